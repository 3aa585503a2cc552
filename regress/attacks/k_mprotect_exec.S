/*
 * mprotect(2) on our own code page, read, write and exec: undo W^X.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$10, %eax		/* mprotect */
	leaq	playground(%rip), %rdi
	andq	$-4096, %rdi
	movl	$4096, %esi
	movl	$7, %edx		/* PROT_READ | PROT_WRITE | PROT_EXEC */
	syscall
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
