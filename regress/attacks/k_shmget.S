/*
 * shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600): a System V shared memory
 * segment, which would outlive the runner in the IPC namespace that all
 * runners share.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$29, %eax		/* shmget */
	xorl	%edi, %edi		/* IPC_PRIVATE */
	movl	$4096, %esi
	movl	$0x380, %edx		/* IPC_CREAT | 0600 */
	syscall
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
