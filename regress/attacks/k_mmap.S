/*
 * mmap(NULL, 1 TiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS
 * | MAP_NORESERVE, -1, 0): a large anonymous mapping.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$9, %eax		/* mmap */
	xorl	%edi, %edi
	movabsq	$0x10000000000, %rsi	/* 1 TiB */
	movl	$3, %edx		/* PROT_READ | PROT_WRITE */
	movl	$0x4022, %r10d		/* MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE */
	movq	$-1, %r8
	xorl	%r9d, %r9d
	syscall
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
