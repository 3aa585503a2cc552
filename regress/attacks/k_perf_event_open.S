/*
 * perf_event_open(2) for the task clock of another process (the test
 * names the monitor): spy on the host.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	subq	$136, %rsp		/* struct perf_event_attr */
	xorl	%eax, %eax
	movl	$17, %ecx
1:	movq	$0, (%rsp,%rax,8)
	incl	%eax
	loop	1b
	movl	$1, 0(%rsp)		/* type = PERF_TYPE_SOFTWARE */
	movl	$128, 4(%rsp)		/* size */
	movq	$1, 8(%rsp)		/* config = PERF_COUNT_SW_TASK_CLOCK */
	movl	$298, %eax		/* perf_event_open */
	movq	%rsp, %rdi
	movslq	target(%rip), %rsi	/* pid */
	movq	$-1, %rdx		/* any cpu */
	movq	$-1, %r10		/* no group */
	xorl	%r8d, %r8d
	syscall
	addq	$136, %rsp
	ret
	.size	playground, . - playground

	.section .rodata
target:	.ascii	"@TARGET@"	/* the test puts a pid here */
	.space	248

	.section .note.GNU-stack, "", @progbits
