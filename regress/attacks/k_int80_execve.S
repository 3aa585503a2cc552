/*
 * execve("/bin/sh", argv, NULL) through int 0x80 (i386 number 11); the
 * pointers are cut to 32 bits, so any that matter would have to live
 * low.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	pushq	%rbx
	leaq	sh(%rip), %rbx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	movl	$11, %eax		/* i386 execve */
	int	$0x80
	popq	%rbx
	ret
	.size	playground, . - playground

	.section .rodata
sh:	.asciz	"/bin/sh"
dashc:	.asciz	"-c"
target:	.ascii	"@TARGET@"	/* the command, filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
