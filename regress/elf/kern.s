# GNU as kernels for the loader's unit test: a call across sections, a
# GOTPCREL load, a COMMON symbol and a 64-bit PC-relative datum.

	.section .text.a,"ax",@progbits
	.globl	gfirst
	.type	gfirst, @function
gfirst:				# long gfirst(long x): 3x + gtable[1]
	call	gsecond@PLT
	movq	gtable@GOTPCREL(%rip), %rcx
	addq	8(%rcx), %rax
	ret

	.globl	gcomm_addr
gcomm_addr:			# void *gcomm_addr(void): &gcomm
	leaq	gcomm(%rip), %rax
	ret

	.globl	gpc64
gpc64:				# long *gpc64(void): &gtable, via PC64
	leaq	pcdiff(%rip), %rax
	movq	(%rax), %rcx
	addq	%rcx, %rax
	ret

	.section .text.b,"ax",@progbits
gsecond:
	leaq	(%rdi,%rdi,2), %rax
	ret

	.section .rodata
	.globl	gtable
	.p2align 3
gtable:	.quad	10, 20, 30

	.data
	.p2align 3
pcdiff:	.quad	gtable - .

	.comm	gcomm, 64, 32

	.section .note.GNU-stack,"",@progbits
