/*
 * bpf(BPF_PROG_LOAD, attr, 128): load a program into the host kernel.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	subq	$136, %rsp		/* union bpf_attr, zeroed */
	xorl	%eax, %eax
	movl	$17, %ecx
1:	movq	$0, (%rsp,%rax,8)
	incl	%eax
	loop	1b
	movl	$1, 0(%rsp)		/* BPF_PROG_TYPE_SOCKET_FILTER */
	movl	$321, %eax		/* bpf */
	movl	$5, %edi		/* BPF_PROG_LOAD */
	movq	%rsp, %rsi
	movl	$128, %edx
	syscall
	addq	$136, %rsp
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
