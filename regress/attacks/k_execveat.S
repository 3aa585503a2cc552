/*
 * execveat(AT_FDCWD, "/bin/sh", {"/bin/sh", "-c", target}, NULL, 0):
 * execve by its newer entry.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	subq	$40, %rsp
	leaq	sh(%rip), %rdi
	movq	%rdi, 0(%rsp)
	leaq	dashc(%rip), %rax
	movq	%rax, 8(%rsp)
	leaq	target(%rip), %rax
	movq	%rax, 16(%rsp)
	movq	$0, 24(%rsp)
	movq	%rsp, %rsi
	movq	%rsi, %rdx		/* argv */
	movq	%rdi, %rsi		/* path */
	movq	$-100, %rdi		/* AT_FDCWD */
	xorl	%r10d, %r10d		/* envp */
	xorl	%r8d, %r8d		/* flags */
	movl	$322, %eax		/* execveat */
	syscall
	addq	$40, %rsp
	ret
	.size	playground, . - playground

	.section .rodata
sh:	.asciz	"/bin/sh"
dashc:	.asciz	"-c"
target:	.ascii	"@TARGET@"	/* the command, filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
