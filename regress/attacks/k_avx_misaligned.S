/*
 * vmovaps from an address that is not 32-byte aligned: a general
 * protection fault, SIGSEGV.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	leaq	-65(%rsp), %rax
	andq	$-32, %rax
	incq	%rax			/* odd */
	vmovaps	(%rax), %ymm0
	vzeroupper
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
