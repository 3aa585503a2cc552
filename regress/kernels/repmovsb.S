/*
 * float playground(uint64_t n): two REP string instructions of 100 bytes
 * each, which count as one instruction apiece, not one per byte, with a
 * PMU (as Intel's counters count them) and without one (the single-step
 * counter counts a step only when the instruction pointer moves).  The
 * call retires 10 instructions; less the empty function's ret, webrunnerd
 * reports 9 for every n.  The buffers are the kernel's own stack.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	subq	$256, %rsp
	movq	%rsp, %rdi
	leaq	128(%rsp), %rsi
	movl	$100, %ecx
	rep movsb
	movl	$100, %ecx
	rep stosb
	addq	$256, %rsp
	xorps	%xmm0, %xmm0
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
