# Reads through a null pointer: SIGSEGV at address 0.
	.text
	.globl playground
	.type playground, @function
playground:
	xorl %eax, %eax
	movq (%rax), %rax
	ret
