/*
 * float playground(uint64_t n), n >= 1: a loop of packed single-precision
 * adds and multiplies.  It retires 3 + 4n instructions and the ret;
 * webrunnerd reports 4n + 3 (n = 1000: 4003).
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	xorps	%xmm0, %xmm0
	movaps	%xmm0, %xmm1
	movq	%rdi, %rcx
1:	addps	%xmm1, %xmm0
	mulps	%xmm0, %xmm1
	subq	$1, %rcx
	jnz	1b
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
