# getpid through the 32-bit int 0x80 entry (number 20).
	.text
	.globl playground
	.type playground, @function
playground:
	movl $20, %eax
	int $0x80
	ret
