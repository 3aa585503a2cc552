/*
 * The object loader.  An untrusted x86-64 ELF relocatable object is parsed
 * with libelf, its allocated sections are laid out in one private mapping,
 * relocated against each other (reloc.c), and the pages are then
 * protected W^X.
 *
 * Every number taken from the object is checked before it is used, since
 * the object comes straight from an HTTP client.  All checks happen before
 * anything is mapped, except for relocation overflow, which depends on
 * where the mapping lands.  Each rejection produces its own one-line
 * reason, which the client sees.
 *
 * The mapping holds three groups, each starting on a page of its own so
 * that no page needs two kinds of protection:
 *
 *	text	executable sections, then the builtin stubs	r-x
 *	rodata	read-only sections, then the GOT		r--
 *	data	writable sections, .bss, then COMMON symbols	rw-
 *
 * Everything lies within ELF_MAXMAPPED bytes of everything else, so all
 * 32-bit PC-relative references fit.  The GOT is built only for the
 * symbols that GOTPCREL relocations name, and is read-only once filled.
 *
 * The kernel runs under a seccomp filter that allows almost no system
 * calls, and compilers emit calls to memcpy and friends on their own, so
 * the loader provides those few functions itself.  They are reached
 * through 16-byte stubs in the text group, which keeps calls to them
 * within reach of a 32-bit displacement.
 */
#include <sys/types.h>
#include <sys/mman.h>

#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "runner.h"
#include "ld.h"

/* A piece of the file, for the overlap check. */
struct interval {
	uint64_t	 lo, hi;
	size_t		 idx;		/* section, or shnum + 0/1 */
};

static int	 ld_header(struct ld *);
static int	 ld_sections(struct ld *);
static int	 ld_overlap(struct ld *);
static const char *ld_ivname(const struct ld *, size_t);
static int	 ld_cmpiv(const void *, const void *);
static int	 ld_symbols(struct ld *);
static int	 ld_kernel(struct ld *, const char *);
static int	 ld_layout(struct ld *);
static int	 ld_place(struct ld *, uint64_t *, uint64_t, uint64_t);
static int	 ld_map(struct ld *);
static int	 ld_finish(struct ld *, struct elfobj *);
static void	 ld_addsec(struct elfobj *, const char *,
		    const unsigned char *, uint64_t);
static void	 ld_free(struct ld *);
static int	 builtin_find(const char *);
static void	*bi_memcpy(void *, const void *, size_t);
static void	*bi_memmove(void *, const void *, size_t);
static void	*bi_memset(void *, int, size_t);
static int	 bi_memcmp(const void *, const void *, size_t);

/*
 * What compilers call on their own; the index is the stub number.  A null
 * function is __stack_chk_fail, which traps in its stub.
 */
static const struct builtin {
	const char	*name;
	void		(*fn)(void);
} builtins[] = {
	{ "memcpy", (void (*)(void))bi_memcpy },
	{ "memmove", (void (*)(void))bi_memmove },
	{ "memset", (void (*)(void))bi_memset },
	{ "memcmp", (void (*)(void))bi_memcmp },
	{ "__stack_chk_fail", NULL }
};
#define NBUILTINS	((int)(sizeof(builtins) / sizeof(builtins[0])))

/*
 * libelf's version, once.  The kernel template sets it before it clones
 * any runner, so that a runner's loading does not write it again: the
 * write, of the same value, would copy its page.
 */
void
elfobj_init(void)
{
	static int	 done;

	if (!done) {
		elf_version(EV_CURRENT);
		done = 1;
	}
}

struct elfobj *
elfobj_load(const void *buf, size_t len, const char *symbol, char *err,
    size_t errlen)
{
	struct ld	 ld;
	struct elfobj	*obj = NULL;

	memset(&ld, 0, sizeof(ld));
	ld.err = err;
	ld.errlen = err != NULL ? errlen : 0;
	if (ld.errlen > 0)
		err[0] = '\0';
	if (buf == NULL || symbol == NULL) {
		ld_err(&ld, "no object or no symbol given");
		return NULL;
	}
	if (len < sizeof(Elf64_Ehdr) || len > ELF_MAXSIZE) {
		ld_err(&ld, "object %s: %zu bytes", len > ELF_MAXSIZE ?
		    "too large" : "truncated", len);
		return NULL;
	}

	/*
	 * libelf wants writable memory and keeps pointing into it; a copy
	 * also guarantees the caller's buffer is not referenced later.
	 */
	if ((ld.img = malloc(len)) == NULL) {
		ld_err(&ld, "out of memory for a %zu byte object", len);
		return NULL;
	}
	memcpy(ld.img, buf, len);
	ld.len = len;

	if (ld_header(&ld) == -1 || ld_sections(&ld) == -1 ||
	    ld_overlap(&ld) == -1 || ld_symbols(&ld) == -1 ||
	    ld_relocs(&ld, 0) == -1 || ld_kernel(&ld, symbol) == -1 ||
	    ld_layout(&ld) == -1 || ld_map(&ld) == -1 ||
	    ld_relocs(&ld, 1) == -1)
		goto fail;
	if ((obj = calloc(1, sizeof(*obj))) == NULL) {
		ld_err(&ld, "out of memory");
		goto fail;
	}
	if (ld_finish(&ld, obj) == -1)
		goto fail;
	ld_free(&ld);
	return obj;

 fail:
	if (ld.base != NULL)
		munmap(ld.base, ld.total);
	if (obj != NULL) {
		free(obj->secs);
		free(obj);
	}
	ld_free(&ld);
	return NULL;
}

void *
elfobj_entry(const struct elfobj *obj)
{
	return obj->entry;
}

/*
 * Called from the runner's fault handler: no allocation, no locks, only
 * reads of memory that stays put while the object is loaded.
 */
int
elfobj_locate(const struct elfobj *obj, uintptr_t addr, const char **secname,
    uint64_t *off)
{
	size_t	 i;

	if (obj == NULL)
		return -1;
	for (i = 0; i < obj->nsecs; i++) {
		if (addr >= obj->secs[i].addr &&
		    addr - obj->secs[i].addr < obj->secs[i].size) {
			*secname = obj->secs[i].name;
			*off = addr - obj->secs[i].addr;
			return 0;
		}
	}
	return -1;
}

void
elfobj_range(const struct elfobj *obj, uintptr_t *lo, uintptr_t *hi)
{
	*lo = (uintptr_t)obj->base;
	*hi = (uintptr_t)obj->base + obj->maplen;
}

void
elfobj_free(struct elfobj *obj)
{
	if (obj == NULL)
		return;
	if (obj->base != NULL)
		munmap(obj->base, obj->maplen);
	free(obj->secs);
	free(obj);
}

/*
 * The reason goes to an HTTP client on one line, and names in it come
 * from the object, so anything unprintable is replaced.
 */
int
ld_err(struct ld *ld, const char *fmt, ...)
{
	va_list	 ap;

	if (ld->errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ld->err, ld->errlen, fmt, ap);
	va_end(ap);
	str_clean(ld->err, ld->errlen, ld->err, ld->errlen);
	return -1;
}

/*
 * The ELF header is checked by hand before libelf sees the object, both
 * for precise reasons and so libelf never works on a header we would
 * reject anyway.
 */
static int
ld_header(struct ld *ld)
{
	Elf64_Ehdr	 eh;
	size_t		 n;

	memcpy(&eh, ld->img, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return ld_err(ld, "not an ELF object (bad magic)");
	if (eh.e_ident[EI_CLASS] != ELFCLASS64)
		return ld_err(ld, "not a 64-bit ELF object (class %u)",
		    eh.e_ident[EI_CLASS]);
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return ld_err(ld, "not a little-endian ELF object (data %u)",
		    eh.e_ident[EI_DATA]);
	if (eh.e_ident[EI_VERSION] != EV_CURRENT || eh.e_version != EV_CURRENT)
		return ld_err(ld, "unknown ELF version %u",
		    (unsigned)eh.e_version);
	if (eh.e_machine != EM_X86_64)
		return ld_err(ld, "not an x86-64 object (machine %u)",
		    eh.e_machine);
	if (eh.e_type != ET_REL)
		return ld_err(ld, "not a relocatable object (type %u); "
		    "compile with -c", eh.e_type);
	if (eh.e_shoff == 0)
		return ld_err(ld, "object has no sections");
	if (eh.e_shnum == 0 || eh.e_shstrndx == SHN_XINDEX)
		return ld_err(ld, "extended section numbering (SHN_XINDEX) "
		    "is not supported");
	if (eh.e_shnum > ELF_MAXSECTIONS)
		return ld_err(ld, "too many sections: %u, at most %d",
		    eh.e_shnum, ELF_MAXSECTIONS);
	if (eh.e_shentsize != sizeof(Elf64_Shdr))
		return ld_err(ld, "bad section header size %u", eh.e_shentsize);
	if (eh.e_shoff > ld->len ||
	    (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr) > ld->len - eh.e_shoff)
		return ld_err(ld, "section header table lies outside the file");
	if (eh.e_shstrndx == SHN_UNDEF || eh.e_shstrndx >= eh.e_shnum)
		return ld_err(ld, "bad section name table index %u",
		    eh.e_shstrndx);

	elfobj_init();
	if ((ld->elf = elf_memory((char *)ld->img, ld->len)) == NULL ||
	    elf_kind(ld->elf) != ELF_K_ELF)
		return ld_err(ld, "libelf rejects the object: %s",
		    elf_errmsg(-1));
	if (elf_getshdrnum(ld->elf, &n) != 0 || n != eh.e_shnum)
		return ld_err(ld, "libelf disagrees on the section count");
	ld->shnum = n;
	return 0;
}

/* Read, name and check every section header; decide what gets loaded. */
static int
ld_sections(struct ld *ld)
{
	Elf_Scn		*scn;
	GElf_Shdr	*s;
	Elf64_Ehdr	 eh;
	size_t		 i;
	const char	*nm;

	memcpy(&eh, ld->img, sizeof(eh));
	if ((ld->sh = calloc(ld->shnum, sizeof(*ld->sh))) == NULL ||
	    (ld->shname = calloc(ld->shnum, sizeof(*ld->shname))) == NULL ||
	    (ld->place = calloc(ld->shnum, sizeof(*ld->place))) == NULL ||
	    (ld->group = calloc(ld->shnum, sizeof(*ld->group))) == NULL)
		return ld_err(ld, "out of memory");
	for (i = 0; i < ld->shnum; i++) {
		ld->place[i] = LD_NONE;
		if ((scn = elf_getscn(ld->elf, i)) == NULL ||
		    gelf_getshdr(scn, &ld->sh[i]) == NULL)
			return ld_err(ld, "cannot read section header %zu: %s",
			    i, elf_errmsg(-1));
	}

	/* The names come first: every later message uses them. */
	s = &ld->sh[eh.e_shstrndx];
	if (s->sh_type != SHT_STRTAB)
		return ld_err(ld, "section name table %u is not a string table",
		    eh.e_shstrndx);
	if (s->sh_offset > ld->len || s->sh_size > ld->len - s->sh_offset)
		return ld_err(ld, "section name table lies outside the file");
	ld->shname[0] = "";
	for (i = 1; i < ld->shnum; i++) {
		nm = elf_strptr(ld->elf, eh.e_shstrndx, ld->sh[i].sh_name);
		if (nm == NULL)
			return ld_err(ld, "bad section name offset %u for "
			    "section %zu", ld->sh[i].sh_name, i);
		ld->shname[i] = nm;
	}

	for (i = 1; i < ld->shnum; i++) {
		s = &ld->sh[i];
		nm = ld->shname[i];
		if (s->sh_type == SHT_NULL)
			continue;
		if (s->sh_type != SHT_NOBITS && (s->sh_offset > ld->len ||
		    s->sh_size > ld->len - s->sh_offset))
			return ld_err(ld, "section %.64s (index %zu) lies "
			    "outside the file", nm, i);
		if (s->sh_type == SHT_REL)
			return ld_err(ld, "SHT_REL relocations in %.64s are "
			    "not supported (RELA only)", nm);
		if (s->sh_type == SHT_SYMTAB_SHNDX)
			return ld_err(ld, "extended section indices "
			    "(SHN_XINDEX) are not supported");
		if (s->sh_type == SHT_SYMTAB) {
			if (ld->symtab != 0)
				return ld_err(ld, "more than one symbol table");
			ld->symtab = i;
		}
		if (!(s->sh_flags & SHF_ALLOC))
			continue;
		switch (s->sh_type) {
		case SHT_PROGBITS:
		case SHT_NOBITS:
		case SHT_NOTE:
		case SHT_INIT_ARRAY:
		case SHT_FINI_ARRAY:
		case SHT_PREINIT_ARRAY:
		case SHT_X86_64_UNWIND:
			break;
		default:
			return ld_err(ld, "allocated section %.64s has "
			    "unsupported type 0x%x", nm, s->sh_type);
		}
		if (s->sh_flags & SHF_TLS)
			return ld_err(ld, "thread-local section %.64s is not "
			    "supported", nm);
		if ((s->sh_flags & SHF_WRITE) && (s->sh_flags & SHF_EXECINSTR))
			return ld_err(ld, "section %.64s is writable and "
			    "executable", nm);
		if (s->sh_addralign > LD_MAXALIGN ||
		    (s->sh_addralign > 1 && !ISPOW2(s->sh_addralign)))
			return ld_err(ld, "section %.64s has bad alignment %llu "
			    "(a power of two up to %d)", nm,
			    (unsigned long long)s->sh_addralign, LD_MAXALIGN);
		if (s->sh_size > ELF_MAXMAPPED)
			return ld_err(ld, "section %.64s is too large: %llu "
			    "bytes", nm, (unsigned long long)s->sh_size);
		if (s->sh_flags & SHF_EXECINSTR)
			ld->group[i] = G_TEXT;
		else if (s->sh_flags & SHF_WRITE)
			ld->group[i] = G_DATA;
		else
			ld->group[i] = G_RODATA;
		ld->place[i] = 0;	/* loaded; ld_layout() places it */
	}
	if (ld->symtab == 0)
		return ld_err(ld, "object has no symbol table");
	return 0;
}

/*
 * No two pieces of the file may overlap: libelf would not mind, but a
 * relocation section that is also code is not something a compiler
 * writes, and we do not want to reason about what it would mean.
 */
static int
ld_overlap(struct ld *ld)
{
	struct interval	*iv;
	Elf64_Ehdr	 eh;
	size_t		 i, n = 0;
	const char	*a, *b;

	memcpy(&eh, ld->img, sizeof(eh));
	if ((iv = calloc(ld->shnum + 2, sizeof(*iv))) == NULL)
		return ld_err(ld, "out of memory");
	iv[n].lo = 0;
	iv[n].hi = sizeof(Elf64_Ehdr);
	iv[n++].idx = ld->shnum;
	iv[n].lo = eh.e_shoff;
	iv[n].hi = eh.e_shoff + ld->shnum * sizeof(Elf64_Shdr);
	iv[n++].idx = ld->shnum + 1;
	for (i = 1; i < ld->shnum; i++) {
		if (ld->sh[i].sh_type == SHT_NOBITS ||
		    ld->sh[i].sh_type == SHT_NULL || ld->sh[i].sh_size == 0)
			continue;
		iv[n].lo = ld->sh[i].sh_offset;
		iv[n].hi = ld->sh[i].sh_offset + ld->sh[i].sh_size;
		iv[n++].idx = i;
	}
	qsort(iv, n, sizeof(*iv), ld_cmpiv);
	for (i = 1; i < n; i++) {
		if (iv[i].lo >= iv[i - 1].hi)
			continue;
		a = ld_ivname(ld, iv[i - 1].idx);
		b = ld_ivname(ld, iv[i].idx);
		free(iv);
		return ld_err(ld, "%.64s and %.64s overlap in the file", a, b);
	}
	free(iv);
	return 0;
}

static const char *
ld_ivname(const struct ld *ld, size_t idx)
{
	if (idx == ld->shnum)
		return "ELF header";
	if (idx == ld->shnum + 1)
		return "section header table";
	return ld->shname[idx];
}

static int
ld_cmpiv(const void *a, const void *b)
{
	const struct interval	*x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Read the symbol table and decide what each symbol refers to. */
static int
ld_symbols(struct ld *ld)
{
	GElf_Shdr	*st = &ld->sh[ld->symtab];
	Elf_Data	*d;
	GElf_Sym	*sym;
	size_t		 i;
	const char	*nm;
	int		 b;

	if (st->sh_entsize != sizeof(Elf64_Sym) ||
	    st->sh_size % sizeof(Elf64_Sym) != 0 || st->sh_size == 0)
		return ld_err(ld, "symbol table has bad entry size %llu or "
		    "size %llu", (unsigned long long)st->sh_entsize,
		    (unsigned long long)st->sh_size);
	if (st->sh_link == 0 || st->sh_link >= ld->shnum ||
	    ld->sh[st->sh_link].sh_type != SHT_STRTAB)
		return ld_err(ld, "symbol table sh_link %u is not a string "
		    "table", st->sh_link);
	ld->strtab = st->sh_link;
	ld->nsyms = st->sh_size / sizeof(Elf64_Sym);
	if ((d = elf_getdata(elf_getscn(ld->elf, ld->symtab), NULL)) == NULL)
		return ld_err(ld, "cannot read the symbol table: %s",
		    elf_errmsg(-1));
	if ((ld->syms = calloc(ld->nsyms, sizeof(*ld->syms))) == NULL ||
	    (ld->symname = calloc(ld->nsyms, sizeof(*ld->symname))) == NULL ||
	    (ld->skind = calloc(ld->nsyms, 1)) == NULL ||
	    (ld->soff = calloc(ld->nsyms, sizeof(*ld->soff))) == NULL ||
	    (ld->gotidx = calloc(ld->nsyms, sizeof(*ld->gotidx))) == NULL)
		return ld_err(ld, "out of memory");

	ld->symname[0] = "";
	for (i = 1; i < ld->nsyms; i++) {
		sym = &ld->syms[i];
		if (gelf_getsym(d, i, sym) == NULL)
			return ld_err(ld, "cannot read symbol %zu", i);
		nm = elf_strptr(ld->elf, ld->strtab, sym->st_name);
		if (nm == NULL)
			return ld_err(ld, "bad symbol name offset %u for "
			    "symbol %zu", sym->st_name, i);
		ld->symname[i] = nm;
		if (GELF_ST_TYPE(sym->st_info) == STT_TLS)
			return ld_err(ld, "thread-local symbol '%.64s' is not "
			    "supported", nm);
		if (GELF_ST_TYPE(sym->st_info) == STT_GNU_IFUNC)
			return ld_err(ld, "ifunc symbol '%.64s' is not "
			    "supported", nm);

		switch (sym->st_shndx) {
		case SHN_UNDEF:
			/* as names the GOT whenever it sees @GOTPCREL. */
			if (nm[0] == '\0')
				ld->skind[i] = S_ZERO;
			else if (strcmp(nm, LD_GOTSYM) == 0)
				ld->skind[i] = S_GOT;
			else if ((b = builtin_find(nm)) != -1) {
				ld->skind[i] = S_BUILTIN;
				ld->soff[i] = b;
				ld->nbuiltin++;
			} else if (GELF_ST_BIND(sym->st_info) == STB_WEAK)
				ld->skind[i] = S_ZERO;
			else
				return ld_err(ld, "undefined symbol '%.64s'",
				    nm);
			continue;
		case SHN_ABS:
			ld->skind[i] = S_ABS;
			continue;
		case SHN_COMMON:
			if (!ISPOW2(sym->st_value) ||
			    sym->st_value > LD_MAXALIGN)
				return ld_err(ld, "COMMON symbol '%.64s' has "
				    "bad alignment %llu", nm,
				    (unsigned long long)sym->st_value);
			if (sym->st_size > ELF_MAXMAPPED)
				return ld_err(ld, "COMMON symbol '%.64s' is "
				    "too large: %llu bytes", nm,
				    (unsigned long long)sym->st_size);
			ld->skind[i] = S_COMMON;
			continue;
		case SHN_XINDEX:
			return ld_err(ld, "symbol '%.64s' uses SHN_XINDEX, "
			    "which is not supported", nm);
		default:
			break;
		}
		if (sym->st_shndx >= SHN_LORESERVE)
			return ld_err(ld, "symbol '%.64s' has unsupported "
			    "section index 0x%x", nm, sym->st_shndx);
		if (sym->st_shndx >= ld->shnum)
			return ld_err(ld, "symbol '%.64s' has section index %u "
			    "out of range", nm, sym->st_shndx);
		if (ld->place[sym->st_shndx] == LD_NONE) {
			ld->skind[i] = S_UNLOADED;
			continue;
		}
		if (sym->st_value > ld->sh[sym->st_shndx].sh_size)
			return ld_err(ld, "symbol '%.64s' lies outside section "
			    "%.64s", ld_symdisplay(ld, i),
			    ld->shname[sym->st_shndx]);
		ld->skind[i] = S_SECTION;
	}
	return 0;
}

/* A symbol's name for messages; section symbols have none of their own. */
const char *
ld_symdisplay(const struct ld *ld, size_t i)
{
	const GElf_Sym	*sym = &ld->syms[i];

	if (ld->symname[i][0] == '\0' &&
	    GELF_ST_TYPE(sym->st_info) == STT_SECTION &&
	    sym->st_shndx < ld->shnum)
		return ld->shname[sym->st_shndx];
	return ld->symname[i];
}

/*
 * Find the kernel: a function, or a label without a type (nasm, PeachPy
 * and as write those) in an executable section.  A global definition wins
 * over a local one of the same name.
 */
static int
ld_kernel(struct ld *ld, const char *symbol)
{
	GElf_Sym	*sym;
	size_t		 i, found = 0, pass, used = 0;
	int		 type, n, ok, notfn = 0, listed = 0, trunc = 0;
	char		 list[LD_LISTLEN];

	for (i = 1; i < ld->nsyms; i++) {
		sym = &ld->syms[i];
		type = GELF_ST_TYPE(sym->st_info);
		if (strcmp(ld->symname[i], symbol) != 0 ||
		    type == STT_FILE || type == STT_SECTION ||
		    ld->skind[i] == S_ZERO || ld->skind[i] == S_BUILTIN ||
		    ld->skind[i] == S_GOT)
			continue;
		ok = ld->skind[i] == S_SECTION &&
		    ld->group[sym->st_shndx] == G_TEXT &&
		    (type == STT_FUNC || type == STT_NOTYPE);
		if (!ok)
			notfn = 1;
		else if (found == 0 || (GELF_ST_BIND(sym->st_info) !=
		    STB_LOCAL && GELF_ST_BIND(ld->syms[found].st_info) ==
		    STB_LOCAL))
			found = i;
	}
	if (found != 0) {
		sym = &ld->syms[found];
		if (sym->st_value >= ld->sh[sym->st_shndx].sh_size)
			return ld_err(ld, "symbol '%.128s' is at the end of "
			    "section %.64s", symbol, ld->shname[sym->st_shndx]);
		ld->kernel = found;
		return 0;
	}
	if (notfn)
		return ld_err(ld, "symbol '%.128s' is not a function in a "
		    "loaded executable section", symbol);

	/* Name what is there: global functions first, then local ones. */
	list[0] = '\0';
	for (pass = 0; pass < 2 && !trunc; pass++) {
		for (i = 1; i < ld->nsyms && !trunc; i++) {
			sym = &ld->syms[i];
			type = GELF_ST_TYPE(sym->st_info);
			if (ld->skind[i] != S_SECTION ||
			    ld->group[sym->st_shndx] != G_TEXT ||
			    (type != STT_FUNC && type != STT_NOTYPE) ||
			    ld->symname[i][0] == '\0' ||
			    (GELF_ST_BIND(sym->st_info) == STB_LOCAL) !=
			    (pass == 1))
				continue;
			n = snprintf(list + used, sizeof(list) - used, "%s%s",
			    listed ? ", " : "", ld->symname[i]);
			if (n < 0 || (size_t)n >= sizeof(list) - used - 5) {
				trunc = 1;
				break;
			}
			used += n;
			listed++;
		}
	}
	if (trunc)
		strlcpy(list + used, listed ? ", ..." : "...",
		    sizeof(list) - used);
	if (listed == 0 && !trunc)
		return ld_err(ld, "no symbol '%.128s' in object; it defines "
		    "no functions", symbol);
	return ld_err(ld, "no symbol '%.128s' in object; it defines: %s",
	    symbol, list);
}

/* Assign every loaded piece its offset in the one mapping. */
static int
ld_layout(struct ld *ld)
{
	uint64_t	 off = 0;
	size_t		 i;
	int		 g;

	for (g = 0; g < G_NGROUPS; g++) {
		off = ROUNDUP(off, LD_PAGE);
		ld->gstart[g] = off;
		for (i = 1; i < ld->shnum; i++) {
			if (ld->place[i] == LD_NONE || ld->group[i] != g)
				continue;
			if (ld_place(ld, &off, ld->sh[i].sh_size,
			    ld->sh[i].sh_addralign) == -1)
				return -1;
			ld->place[i] = off - ld->sh[i].sh_size;
		}
		if (g == G_TEXT && ld->nbuiltin > 0) {
			if (ld_place(ld, &off, NBUILTINS * LD_STUBSIZE,
			    LD_STUBSIZE) == -1)
				return -1;
			ld->stuboff = off - NBUILTINS * LD_STUBSIZE;
		}
		if (g == G_RODATA) {
			if (ld_place(ld, &off, ld->ngot * 8, 8) == -1)
				return -1;
			ld->gotoff = off - ld->ngot * 8;
		}
		if (g == G_DATA) {
			ld->commonoff = off;
			for (i = 1; i < ld->nsyms; i++) {
				if (ld->skind[i] != S_COMMON)
					continue;
				if (ld_place(ld, &off, ld->syms[i].st_size,
				    ld->syms[i].st_value) == -1)
					return -1;
				ld->soff[i] = off - ld->syms[i].st_size;
			}
			ld->commonend = off;
		}
		ld->gend[g] = off;
	}
	ld->total = ROUNDUP(off, LD_PAGE);
	if (ld->total == 0)
		return ld_err(ld, "object has nothing to load");
	return 0;
}

/* Sizes and alignments are bounded already, so nothing here can wrap. */
static int
ld_place(struct ld *ld, uint64_t *off, uint64_t size, uint64_t align)
{
	if (align > 1)
		*off = ROUNDUP(*off, align);
	if (size > ELF_MAXMAPPED || *off > ELF_MAXMAPPED - size)
		return ld_err(ld, "object needs more than %d bytes mapped",
		    ELF_MAXMAPPED);
	*off += size;
	return 0;
}

/*
 * Map, copy the section contents, write the stubs and the GOT.  Objects
 * with absolute 32-bit relocations (non-PIC code) only work in the low
 * 2 GiB, so ask for that first when they have them.
 */
static int
ld_map(struct ld *ld)
{
	unsigned char	*stub;
	uint64_t	 a;
	size_t		 i;
	int		 k;
	void		*p = MAP_FAILED;
	int		 flags;

	/*
	 * A small object's pages are all written below: present at once,
	 * not a fault each.  A large one may have .bss it never touches.
	 */
	flags = MAP_PRIVATE | MAP_ANONYMOUS |
	    (ld->total <= LD_POPULATE ? MAP_POPULATE : 0);
	if (ld->need32)
		p = mmap(NULL, ld->total, PROT_READ | PROT_WRITE,
		    flags | MAP_32BIT, -1, 0);
	if (p == MAP_FAILED)
		p = lowmap(ld->total, PROT_READ | PROT_WRITE, flags, -1);
	if (p == MAP_FAILED)
		return ld_err(ld, "cannot map %llu bytes for the object",
		    (unsigned long long)ld->total);
	ld->base = p;

	for (i = 1; i < ld->shnum; i++)
		if (ld->place[i] != LD_NONE && ld->sh[i].sh_type != SHT_NOBITS)
			memcpy(ld->base + ld->place[i],
			    ld->img + ld->sh[i].sh_offset, ld->sh[i].sh_size);

	/*
	 * A stub is "jmp *0(%rip)" followed by the target address, so no
	 * register is touched.  The stack protector's stub traps right there,
	 * so a crash report names it.
	 */
	for (k = 0; ld->nbuiltin > 0 && k < NBUILTINS; k++) {
		stub = ld->base + ld->stuboff + k * LD_STUBSIZE;
		memset(stub, 0xcc, LD_STUBSIZE);
		if (builtins[k].fn == NULL) {
			stub[0] = 0x0f;		/* ud2 */
			stub[1] = 0x0b;
			continue;
		}
		stub[0] = 0xff;
		stub[1] = 0x25;
		memset(stub + 2, 0, 4);
		a = (uintptr_t)builtins[k].fn;
		memcpy(stub + 6, &a, 8);
	}

	for (i = 1; i < ld->nsyms; i++) {
		if (ld->gotidx[i] == 0)
			continue;
		a = ld_resolve(ld, i);
		memcpy(ld->base + ld->gotoff + (uint64_t)(ld->gotidx[i] - 1) *
		    8, &a, 8);
	}
	return 0;
}

/* Protect the groups and record what elfobj_locate() will report. */
static int
ld_finish(struct ld *ld, struct elfobj *obj)
{
	static const int	 prot[G_NGROUPS] = {
		PROT_READ | PROT_EXEC, PROT_READ, PROT_READ | PROT_WRITE
	};
	uint64_t		 end;
	size_t			 i;
	int			 g, k;

	for (g = 0; g < G_NGROUPS; g++) {
		end = ROUNDUP(ld->gend[g], LD_PAGE);
		if (end > ld->gstart[g] && mprotect(ld->base + ld->gstart[g],
		    end - ld->gstart[g], prot[g]) == -1)
			return ld_err(ld, "cannot protect the object's pages");
	}

	if ((obj->secs = calloc(ld->shnum + NBUILTINS + 2,
	    sizeof(*obj->secs))) == NULL)
		return ld_err(ld, "out of memory");
	for (i = 1; i < ld->shnum; i++)
		if (ld->place[i] != LD_NONE)
			ld_addsec(obj, ld->shname[i], ld->base + ld->place[i],
			    ld->sh[i].sh_size);
	for (k = 0; ld->nbuiltin > 0 && k < NBUILTINS; k++)
		ld_addsec(obj, builtins[k].name, ld->base + ld->stuboff +
		    k * LD_STUBSIZE, LD_STUBSIZE);
	ld_addsec(obj, ".got", ld->base + ld->gotoff, ld->ngot * 8);
	ld_addsec(obj, "COMMON", ld->base + ld->commonoff,
	    ld->commonend - ld->commonoff);
	obj->base = ld->base;
	obj->maplen = ld->total;
	obj->entry = (void *)ld_resolve(ld, ld->kernel);
	ld->base = NULL;	/* the object owns the mapping now */
	return 0;
}

/* Empty regions are left out: nothing can fault in them. */
static void
ld_addsec(struct elfobj *obj, const char *name, const unsigned char *addr,
    uint64_t size)
{
	struct elfsec	*es;

	if (size == 0)
		return;
	es = &obj->secs[obj->nsecs++];
	strlcpy(es->name, name, sizeof(es->name));
	es->addr = (uintptr_t)addr;
	es->size = size;
}

uintptr_t
ld_resolve(const struct ld *ld, size_t i)
{
	const GElf_Sym	*sym = &ld->syms[i];

	switch (ld->skind[i]) {
	case S_ABS:
		return sym->st_value;
	case S_SECTION:
		return (uintptr_t)ld->base + ld->place[sym->st_shndx] +
		    sym->st_value;
	case S_COMMON:
		return (uintptr_t)ld->base + ld->soff[i];
	case S_BUILTIN:
		return (uintptr_t)ld->base + ld->stuboff +
		    ld->soff[i] * LD_STUBSIZE;
	case S_GOT:
		return (uintptr_t)ld->base + ld->gotoff;
	default:
		return 0;
	}
}

static void
ld_free(struct ld *ld)
{
	if (ld->elf != NULL)
		elf_end(ld->elf);
	free(ld->img);
	free(ld->sh);
	free(ld->shname);
	free(ld->place);
	free(ld->group);
	free(ld->syms);
	free(ld->symname);
	free(ld->skind);
	free(ld->soff);
	free(ld->gotidx);
}

static int
builtin_find(const char *name)
{
	int	 k;

	for (k = 0; k < NBUILTINS; k++)
		if (strcmp(name, builtins[k].name) == 0)
			return k;
	return -1;
}

/*
 * The builtins run inside the kernel's seccomp sandbox and are measured
 * with it, so they stay out of libc (whose versions are picked by ifunc
 * and may differ from run to run) and make no system call.  String
 * instructions also keep the compiler from turning the loops back into
 * calls to the very functions they implement.
 */
static void *
bi_memcpy(void *dst, const void *src, size_t n)
{
	void	*d = dst;

	__asm__ volatile("rep movsb"
	    : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

static void *
bi_memmove(void *dst, const void *src, size_t n)
{
	unsigned char		*d = dst;
	const unsigned char	*s = src;

	if ((uintptr_t)d - (uintptr_t)s >= n)
		return bi_memcpy(dst, src, n);
	/* dst overlaps the end of src: copy backwards. */
	d += n - 1;
	s += n - 1;
	__asm__ volatile("std\n\trep movsb\n\tcld"
	    : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return dst;
}

static void *
bi_memset(void *dst, int c, size_t n)
{
	void	*d = dst;

	__asm__ volatile("rep stosb"
	    : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

static int
bi_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char	*p = a, *q = b;

	/* repe cmpsb stops one byte past the first difference. */
	if (n == 0)
		return 0;
	__asm__ volatile("repe cmpsb"
	    : "+D"(q), "+S"(p), "+c"(n) : : "memory", "cc");
	if (p[-1] == q[-1])
		return 0;
	return p[-1] < q[-1] ? -1 : 1;
}
