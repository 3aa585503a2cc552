# Raw openat(AT_FDCWD, "/etc/passwd", O_RDONLY).
	.text
	.globl playground
	.type playground, @function
playground:
	movl $257, %eax
	movq $-100, %rdi
	leaq path(%rip), %rsi
	xorl %edx, %edx
	syscall
	ret
	.section .rodata
path:	.asciz "/etc/passwd"
