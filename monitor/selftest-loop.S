/*
 * The self-test's counting kernel, built into the monitor: the same loop
 * as kernels/loop.S.  uint64_t selftest(uint64_t n) retires 5 * n + 4
 * instructions; with the empty call's ret subtracted webrunnerd reports
 * 5 * n + 3, and it returns n.
 */
	.text
	.globl	selftest
	.type	selftest, @function
	.p2align 5
selftest:
	movq	%rdi, %rax
	testq	%rdi, %rdi
	jz	2f
1:	addq	$1, %rcx
	addq	$1, %rdx
	addq	$1, %rsi
	subq	$1, %rdi
	jnz	1b
2:	ret
	.size	selftest, . - selftest

	.section .note.GNU-stack, "", @progbits
