# int3: SIGTRAP.
	.text
	.globl playground
	.type playground, @function
playground:
	int3
	ret
