/*
 * sethostname("pwned", 5): rename the UTS namespace that all runners
 * share.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$170, %eax		/* sethostname */
	leaq	name(%rip), %rdi
	movl	$5, %esi
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
name:	.ascii	"pwned"

	.section .note.GNU-stack, "", @progbits
