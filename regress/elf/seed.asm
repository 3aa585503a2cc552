; Seed for the loader's fuzz corpus, in nasm: a NOTYPE kernel label, a
; GOT load, an absolute pointer and all three kinds of data.

	default	rel
	section	.text
	global	kernel
kernel:
	mov	rax, [rel value wrt ..got]
	mov	rax, [rax]
	add	rax, [pointer]
	mov	[scratch], rax
	mulsd	xmm0, [factor]
	ret

	section	.rodata
factor:	dq	2.5
	section	.data
	global	value
value:	dq	1
pointer: dq	value
	section	.bss
scratch: resq	1
	section	.note.GNU-stack noalloc noexec nowrite progbits
