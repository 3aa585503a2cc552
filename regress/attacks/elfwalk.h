/*
 * Helpers for the kernels that go after libc through the harness (k_got.S,
 * k_libc.S): walk from any code address to the ELF image that holds it and
 * look up its dynamic symbols and PLT slots, or, in a static image, its
 * own syscall instructions, as an exploit would.  Plain
 * functions of the System V ABI; they touch only caller-saved registers.
 */

/* streq(a, b): 1 in %eax when the two strings are equal. */
streq:
	movb	(%rdi), %al
	cmpb	(%rsi), %al
	jne	1f
	incq	%rdi
	incq	%rsi
	testb	%al, %al
	jnz	streq
	movl	$1, %eax
	ret
1:	xorl	%eax, %eax
	ret

/* elf_base(addr): the image's ELF header, the first page below addr
 * that starts with "\177ELF" (an image's pages are mapped contiguously). */
elf_base:
	movq	%rdi, %rax
	andq	$-4096, %rax
1:	cmpl	$0x464c457f, (%rax)
	je	2f
	subq	$4096, %rax
	jmp	1b
2:	ret

/* elf_dyn(base, tag): the value of a dynamic tag as an address (ld.so
 * usually relocates them in place; when not, add the base), 0 if absent. */
elf_dyn:
	movq	0x20(%rdi), %rax	/* e_phoff */
	leaq	(%rdi,%rax), %rdx	/* program headers */
	movzwl	0x38(%rdi), %ecx	/* e_phnum */
	jrcxz	4f
1:	cmpl	$2, (%rdx)		/* PT_DYNAMIC */
	je	2f
	addq	$56, %rdx
	loop	1b
	jmp	4f
2:	movq	16(%rdx), %rdx		/* p_vaddr */
	addq	%rdi, %rdx
3:	movq	(%rdx), %rax		/* d_tag */
	testq	%rax, %rax
	jz	4f
	addq	$16, %rdx
	cmpq	%rsi, %rax
	jne	3b
	movq	-8(%rdx), %rax		/* d_val */
	cmpq	%rdi, %rax
	jae	5f
	addq	%rdi, %rax
5:	ret
4:	xorl	%eax, %eax
	ret

/* plt_slot(base, name): the GOT slot the PLT jumps through for name. */
plt_slot:
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rdi, %rbx
	movq	%rsi, %r15
	movl	$6, %esi		/* DT_SYMTAB */
	call	elf_dyn
	movq	%rax, %r14
	movq	%rbx, %rdi
	movl	$23, %esi		/* DT_JMPREL */
	call	elf_dyn
	testq	%rax, %rax		/* a static image has none */
	jz	3f
	movq	%rax, %r12
	movq	%rbx, %rdi
	movl	$2, %esi		/* DT_PLTRELSZ, a size */
	call	elf_dyn
	subq	%rbx, %rax
	leaq	(%r12,%rax), %r13	/* end of the relocations */
1:	cmpq	%r13, %r12
	jae	3f
	movl	12(%r12), %eax		/* ELF64_R_SYM(r_info) */
	leaq	(%rax,%rax,2), %rax
	movl	(%r14,%rax,8), %eax	/* st_name */
	movq	%rbx, %rdi
	pushq	%rax
	movl	$5, %esi		/* DT_STRTAB */
	call	elf_dyn
	popq	%rdi
	addq	%rax, %rdi
	movq	%r15, %rsi
	call	streq
	testl	%eax, %eax
	jnz	2f
	addq	$24, %r12		/* sizeof(Elf64_Rela) */
	jmp	1b
2:	movq	(%r12), %rax		/* r_offset */
	addq	%rbx, %rax
	jmp	4f
3:	xorl	%eax, %eax
4:	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	ret

/* syscall_insn(base): the first syscall instruction (0f 05) in an
 * executable segment of the image, 0 if there is none.  A static image
 * has no GOT to go through, but libc's code is inside it. */
syscall_insn:
	movq	0x20(%rdi), %rax	/* e_phoff */
	leaq	(%rdi,%rax), %rdx	/* program headers */
	movzwl	0x38(%rdi), %ecx	/* e_phnum */
	xorl	%r8d, %r8d		/* load bias: none for ET_EXEC */
	cmpw	$2, 0x10(%rdi)		/* e_type */
	je	1f
	movq	%rdi, %r8
1:	jrcxz	5f
2:	cmpl	$1, (%rdx)		/* PT_LOAD */
	jne	4f
	testl	$1, 4(%rdx)		/* PF_X */
	jz	4f
	movq	16(%rdx), %rsi		/* p_vaddr */
	addq	%r8, %rsi
	movq	40(%rdx), %r9		/* p_memsz */
	leaq	-1(%rsi,%r9), %r9
3:	cmpq	%r9, %rsi
	jae	4f
	cmpw	$0x050f, (%rsi)
	je	6f
	incq	%rsi
	jmp	3b
4:	addq	$56, %rdx
	loop	2b
5:	xorl	%eax, %eax
	ret
6:	movq	%rsi, %rax
	ret

/* image_syscall(base, nr, a, b, c): the system call nr(a, b, c), made by
 * the image's own first syscall instruction; nothing if it has none. */
image_syscall:
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	subq	$8, %rsp
	movq	%rsi, %rbx
	movq	%rdx, %r12
	movq	%rcx, %r13
	movq	%r8, %r14
	call	syscall_insn
	testq	%rax, %rax
	jz	1f
	movq	%rax, %r11
	movq	%rbx, %rax
	movq	%r12, %rdi
	movq	%r13, %rsi
	movq	%r14, %rdx
	call	*%r11
1:	addq	$8, %rsp
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	ret

/* dynsym(base, name): the address of a defined dynamic symbol, by a walk
 * over the symbol table, which ends where the string table starts. */
dynsym:
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rdi, %rbx
	movq	%rsi, %r15
	movl	$6, %esi		/* DT_SYMTAB */
	call	elf_dyn
	movq	%rax, %r12
	movq	%rbx, %rdi
	movl	$5, %esi		/* DT_STRTAB */
	call	elf_dyn
	movq	%rax, %r13
1:	cmpq	%r13, %r12
	jae	3f
	cmpq	$0, 8(%r12)		/* st_value: skip undefined ones */
	je	2f
	movl	(%r12), %edi		/* st_name */
	addq	%r13, %rdi
	movq	%r15, %rsi
	call	streq
	testl	%eax, %eax
	jz	2f
	movq	8(%r12), %rax
	addq	%rbx, %rax
	jmp	4f
2:	addq	$24, %r12		/* sizeof(Elf64_Sym) */
	jmp	1b
3:	xorl	%eax, %eax
4:	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	ret
