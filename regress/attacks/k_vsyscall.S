/*
 * A call into the vsyscall page (gettimeofday at 0xffffffffff600000): a
 * system call made by the host kernel on our behalf.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	subq	$24, %rsp
	movq	%rsp, %rdi		/* struct timeval */
	xorl	%esi, %esi
	movq	$0xffffffffff600000, %rax
	call	*%rax
	addq	$24, %rsp
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
