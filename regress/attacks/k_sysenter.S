/*
 * getpid through sysenter: a 32-bit system call on Intel, an invalid
 * instruction in long mode on AMD.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	pushq	%rbp
	movl	$20, %eax		/* i386 getpid */
	movq	%rsp, %rbp
	sysenter
	popq	%rbp
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
