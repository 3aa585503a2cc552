/*
 * uint64_t loop(uint64_t iterations): a kernel whose instruction count is
 * known exactly.
 *
 * A call retires 5 * iterations + 4 instructions for every value of
 * iterations, 0 included: mov, test and jz before the loop, the 5
 * instructions of the body per iteration (the last jnz falls through) and
 * the ret.  webrunnerd subtracts the cost of an empty function, a single
 * ret, so it reports 5 * iterations + 3 Instructions.  The body has no
 * memory access and one short dependency per register, so it runs at
 * about one iteration per cycle.  It returns iterations.
 *
 *	cc -c loop.S
 *	curl --data-binary @loop.o \
 *	    'http://localhost:8081/local/run?kernel=loop&iterations=1000000'
 */
	.text
	.globl	loop
	.type	loop, @function
	.p2align 5
loop:
	movq	%rdi, %rax
	testq	%rdi, %rdi
	jz	2f
1:	addq	$1, %rcx
	addq	$1, %rdx
	addq	$1, %rsi
	subq	$1, %rdi
	jnz	1b
2:	ret
	.size	loop, . - loop

	.section .note.GNU-stack, "", @progbits
