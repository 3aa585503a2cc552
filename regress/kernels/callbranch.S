/*
 * float playground(uint64_t n), n >= 1: n calls of a function whose
 * branch is taken for every other call.  Per call: call, test, jz, the
 * add when the counter is odd, ret, sub, jnz, so 6n + ceil(n/2), plus mov,
 * xor, xorps and the final ret: webrunnerd reports 6n + ceil(n/2) + 3
 * instructions (n = 1000: 6503).
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movq	%rdi, %rcx
	xorl	%eax, %eax
1:	call	odd
	subq	$1, %rcx
	jnz	1b
	xorps	%xmm0, %xmm0
	ret
	.size	playground, . - playground

	.type	odd, @function
odd:
	testb	$1, %cl
	jz	2f
	addq	$1, %rax
2:	ret
	.size	odd, . - odd

	.section .note.GNU-stack, "", @progbits
