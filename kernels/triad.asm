; triad: the STREAM triad a[i] = b[i] + s * c[i], SSE2, in nasm syntax.
;
; void triad(size_t n, double *a, const double *b, const double *c, double s)
;	rdi = n, rsi = a, rdx = b, rcx = c, xmm0 = s
;
;	nasm -f elf64 triad.asm
;	curl --data-binary @triad.o \
;	    'http://localhost:8081/local/run?kernel=triad&n=4194304'

	section	.text
	global	triad:function (triad.end - triad)

triad:
	unpcklpd	xmm0, xmm0		; s in both lanes
	xor	eax, eax
	mov	r8, rdi
	and	r8, -2				; elements done two at a time
	jz	.tail
.pairs:
	movupd	xmm1, [rcx + rax * 8]
	mulpd	xmm1, xmm0
	movupd	xmm2, [rdx + rax * 8]
	addpd	xmm1, xmm2
	movupd	[rsi + rax * 8], xmm1
	add	rax, 2
	cmp	rax, r8
	jb	.pairs
.tail:
	cmp	rax, rdi
	jae	.done
	movsd	xmm1, [rcx + rax * 8]
	mulsd	xmm1, xmm0
	addsd	xmm1, [rdx + rax * 8]
	movsd	[rsi + rax * 8], xmm1
.done:
	ret
.end:

	section	.note.GNU-stack noalloc noexec nowrite progbits
