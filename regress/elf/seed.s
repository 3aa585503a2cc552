# Seed for the loader's fuzz corpus, in GNU as: calls across sections,
# GOTPCREL, PC64 and COMMON.

	.section .text.a,"ax",@progbits
	.globl	kernel
	.type	kernel, @function
kernel:
	call	helper@PLT
	movq	table@GOTPCREL(%rip), %rcx
	addq	8(%rcx), %rax
	leaq	common(%rip), %rdx
	movq	%rax, (%rdx)
	ret

	.section .text.b,"ax",@progbits
helper:
	leaq	(%rdi,%rdi,2), %rax
	ret

	.section .rodata
	.globl	table
	.p2align 3
table:	.quad	10, 20

	.data
	.p2align 3
delta:	.quad	table - .

	.comm	common, 16, 16
	.section .note.GNU-stack,"",@progbits
