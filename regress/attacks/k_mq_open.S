/*
 * mq_open("wr", O_RDWR | O_CREAT, 0600, NULL): a POSIX message queue,
 * which would outlive the runner in the IPC namespace that all runners
 * share.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$240, %eax		/* mq_open */
	leaq	name(%rip), %rdi
	movl	$0102, %esi		/* O_RDWR | O_CREAT */
	movl	$0600, %edx
	xorl	%r10d, %r10d
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
name:	.asciz	"wr"

	.section .note.GNU-stack, "", @progbits
