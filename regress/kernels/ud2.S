# An undefined instruction: SIGILL.
	.text
	.globl playground
	.type playground, @function
playground:
	ud2
