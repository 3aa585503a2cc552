/*
 * uint64_t loop5(uint64_t n): a kernel whose instruction count is known.
 *
 * It retires exactly 5n + 6 instructions for every n, 0 included: a
 * prologue of 5 (three zeroing xors, test, jz), a loop body of 5 executed
 * n times (the final jnz falls through), and the ret.  webrunnerd counts
 * the call and the ret as call overhead (the empty function it subtracts
 * is a single ret), so it reports 5n + 5 instructions and n + 1 branches
 * for n >= 1 (the jz not taken, n jnz; the ret cancels out), 1 branch for
 * n = 0.  It returns n.  The loop's only carried dependency is one add per
 * iteration, so it runs at about one iteration per cycle on current
 * cores: loop5(10000) takes some 10,000 cycles.
 */
	.text
	.globl	loop5
	.type	loop5, @function
	.p2align 5
loop5:
	xorl	%eax, %eax
	xorl	%edx, %edx
	xorl	%ecx, %ecx
	testq	%rdi, %rdi
	jz	2f
1:	addq	$1, %rax
	movq	%rax, %rdx
	addq	%rdx, %rcx
	subq	$1, %rdi
	jnz	1b
2:	ret
	.size	loop5, . - loop5

	.section .note.GNU-stack, "", @progbits
