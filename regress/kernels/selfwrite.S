# Writes into its own code, which is mapped read+exec: SIGSEGV.
	.text
	.globl playground
	.type playground, @function
playground:
	leaq playground(%rip), %rax
	movb $0, (%rax)
	ret
