; nasm kernels for the loader's unit test.  Labels without :function are
; STT_NOTYPE, which the loader must still accept as kernels.

	default	rel
	extern	memset

	section	.text
	global	nscale
	global	ncount:function
	global	nptr:function
	global	ngot:function
	global	nbss:function
	global	nzero:function

nscale:				; double nscale(double x): x * 2.5 (.rodata)
	mulsd	xmm0, [factor]
	ret

ncount:				; long ncount(void): ++counter (.data)
	inc	qword [counter]
	mov	rax, [counter]
	ret

nptr:				; long nptr(void): *pcounter, an R_X86_64_64
	mov	rax, [pcounter]
	mov	rax, [rax]
	ret

ngot:				; long ngot(void): counter via the GOT
	mov	rax, [rel counter wrt ..got]
	mov	rax, [rax]
	ret

nbss:				; long nbss(long x): helper(x) stored in .bss
	call	helper wrt ..plt
	mov	[scratch], rax
	mov	rax, [scratch]
	ret

nzero:				; void *nzero(void *p, size_t n): memset(p, 0, n)
	mov	rdx, rsi
	xor	esi, esi
	sub	rsp, 8
	call	memset wrt ..plt
	add	rsp, 8
	ret

	section	.text.helper progbits alloc exec nowrite align=16
	global	helper
helper:				; x * 7
	imul	rax, rdi, 7
	ret

	section	.rodata
factor:	dq	2.5

	section	.data
	global	counter
counter: dq	100
pcounter:	dq	counter

	section	.bss
scratch: resq	4

	section	.note.GNU-stack noalloc noexec nowrite progbits
