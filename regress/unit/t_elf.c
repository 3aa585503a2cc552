/* objs: runner/elf.o runner/lowmap.o runner/reloc.o common/vocab.o */
/*
 * elf: objects from gcc, clang, nasm, GNU as and PeachPy load and their
 * kernels compute the right answers; the pages are W^X; and every kind of
 * malformed object is refused with its own one-line reason instead of
 * crashing the runner.
 *
 * The objects are built here, from regress/elf/, into a temporary
 * directory, since the compilers are what users have.  The malformed ones
 * are made by corrupting one field of a valid object.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <elf.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"
#include "test.h"

#define SRC		"regress/elf"
#define NFUZZ		3000
#define CORPUS		"regress/fuzz/corpus/elf"

struct mapinfo;

struct variant {
	const char	*label;
	const char	*cmd;		/* %s: the output file */
	int		 smash;		/* built with the stack protector */
};

static const struct variant cvariants[] = {
	{ "gcc -O2", "gcc -O2 -c -o %s " SRC "/kern.c", 0 },
	{ "gcc -O2 -fPIC -fcommon -ffunction-sections",
	    "gcc -O2 -c -fPIC -fcommon -ffunction-sections -fdata-sections "
	    "-o %s " SRC "/kern.c", 0 },
	{ "gcc -O2 -fno-pie -g -fstack-protector-all",
	    "gcc -O2 -c -fno-pie -g -fstack-protector-all -o %s " SRC
	    "/kern.c", 1 },
	{ "clang -O2", "clang -O2 -c -o %s " SRC "/kern.c", 0 },
	{ "clang -O2 -fPIC -fcommon",
	    "clang -O2 -c -fPIC -fcommon -o %s " SRC "/kern.c", 0 },
};

static char	 tmpdir[] = "/tmp/t_elf.XXXXXX";
static char	 lasterr[256];

static unsigned char *build(const char *, const char *, size_t *);
static struct elfobj *load(const unsigned char *, size_t, const char *);
static void	*fn(const unsigned char *, size_t, const char *,
		    struct elfobj **);
static void	 maps_scan(uintptr_t, uintptr_t, uintptr_t,
		    struct mapinfo *);
static void	 test_c(const struct variant *);
static void	 test_wx(const unsigned char *, size_t);
static void	 test_nasm(void);
static void	 test_as(void);
static void	 test_peachpy(void);
static void	 test_bad(const unsigned char *, size_t);
static void	 test_fuzz(const unsigned char *, size_t);
static void	 test_corpus(void);
static int	 one_line(const char *);
static void	 expect(const char *, const unsigned char *, size_t,
		    const char *, const char *);
static int	 secidx(unsigned char *, const char *);
static Elf64_Shdr *sec(unsigned char *, const char *);
static Elf64_Sym *sym(unsigned char *, const char *);

/* Run a build command; the object's bytes, or NULL. */
static unsigned char *
build(const char *name, const char *fmt, size_t *len)
{
	char		 out[128], cmd[512];
	unsigned char	*buf;
	FILE		*f;
	long		 n;

	snprintf(out, sizeof(out), "%s/%s.o", tmpdir, name);
	snprintf(cmd, sizeof(cmd), fmt, out);
	if (system(cmd) != 0)
		return NULL;
	if ((f = fopen(out, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if (n <= 0 || (buf = malloc(n)) == NULL ||
	    fread(buf, 1, n, f) != (size_t)n) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

static struct elfobj *
load(const unsigned char *buf, size_t len, const char *symbol)
{
	struct elfobj	*obj;

	obj = elfobj_load(buf, len, symbol, lasterr, sizeof(lasterr));
	if (obj == NULL)
		printf("# load %s: %s\n", symbol, lasterr);
	return obj;
}

/* Load buf for one kernel and return its address; *objp to free. */
static void *
fn(const unsigned char *buf, size_t len, const char *symbol,
    struct elfobj **objp)
{
	if ((*objp = load(buf, len, symbol)) == NULL)
		return NULL;
	return elfobj_entry(*objp);
}

/* What /proc/self/maps says about the mappings in [lo, hi). */
struct mapinfo {
	int	 n;		/* mappings */
	int	 wx;		/* writable and executable */
	int	 ro;		/* read-only */
	char	 at[4];		/* permissions of the one holding addr */
};

static void
maps_scan(uintptr_t lo, uintptr_t hi, uintptr_t addr, struct mapinfo *mi)
{
	FILE			*f;
	char			 line[512], p[8];
	unsigned long long	 a, b;

	memset(mi, 0, sizeof(*mi));
	strlcpy(mi->at, "???", sizeof(mi->at));
	if ((f = fopen("/proc/self/maps", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%llx-%llx %7s", &a, &b, p) != 3)
			continue;
		if (b <= lo || a >= hi)
			continue;
		mi->n++;
		if (p[1] == 'w' && p[2] == 'x')
			mi->wx++;
		if (strncmp(p, "r--", 3) == 0)
			mi->ro++;
		if (addr >= a && addr < b)
			strlcpy(mi->at, p, sizeof(mi->at));
	}
	fclose(f);
}

static void
test_c(const struct variant *v)
{
	struct elfobj	*o[16];
	unsigned char	*buf;
	size_t		 len, i, no = 0;
	float		 x[100], y[100];
	char		 name[160], dst[16], mv[8], big[64];
	const char	*secname;
	uint64_t	 off;
	int		*p, ok, st;
	pid_t		 pid;
	float		(*f_dot)(size_t, const float *, const float *);
	int		(*f_i)(int);
	int		(*f_ii)(int, int);
	double		(*f_d)(double);
	int		(*f_v)(void);
	long		(*f_l)(long);
	int		*(*f_p)(void);
	int		(*f_copy)(char *, const char *, size_t);
	void		(*f_move)(char *, size_t);
	int		(*f_smash)(const char *, size_t);
	int		(*f_cmp)(const void *, const void *, size_t);

	snprintf(name, sizeof(name), "%s: builds", v->label);
	buf = build("kern", v->cmd, &len);
	CHECK(buf != NULL, name);
	if (buf == NULL)
		return;

#define T(what, cond) do {						\
	snprintf(name, sizeof(name), "%s: %s", v->label, (what));	\
	CHECK(cond, name);						\
} while (0)

	for (i = 0; i < 100; i++) {
		x[i] = i * 0.5f;
		y[i] = 2.0f;
	}
	f_dot = fn(buf, len, "kdot", &o[no++]);
	T("kdot, a dot product", f_dot != NULL && f_dot(100, x, y) == 4950.0f);
	if (f_dot != NULL)
		T("entry is .text+0", elfobj_locate(o[0],
		    (uintptr_t)f_dot, &secname, &off) == 0 &&
		    strncmp(secname, ".text", 5) == 0);

	f_i = fn(buf, len, "kprime", &o[no++]);
	T("kprime, a .rodata table", f_i != NULL && f_i(5) == 13 &&
	    f_i(20) == 11);
	f_d = fn(buf, len, "kpoly", &o[no++]);
	T("kpoly, .rodata constants", f_d != NULL && f_d(2.0) == 9.625);
	f_v = fn(buf, len, "kcount", &o[no++]);
	T("kcount, .data", f_v != NULL && f_v() == 42 && f_v() == 43);
	f_l = fn(buf, len, "kbss", &o[no++]);
	T("kbss, .bss", f_l != NULL && f_l(1) == 2080 && f_l(1) == 4160);
	f_i = fn(buf, len, "kcommon", &o[no++]);
	T("kcommon, COMMON or .bss", f_i != NULL && f_i(5) == 5 &&
	    f_i(3) == 8);
	f_p = fn(buf, len, "kgvar", &o[no++]);
	ok = 0;
	if (f_p != NULL) {
		p = f_p();
		ok = *p == 7 && elfobj_locate(o[no - 1], (uintptr_t)p,
		    &secname, &off) == 0 && strncmp(secname, ".data", 5) == 0;
	}
	T("kgvar, a global through the GOT, located in .data", ok);
	f_i = fn(buf, len, "kcall", &o[no++]);
	T("kcall, a call between functions", f_i != NULL && f_i(4) == 29);
	f_ii = fn(buf, len, "kops", &o[no++]);
	T("kops, a table of function pointers", f_ii != NULL &&
	    f_ii(0, 10) == 11 && f_ii(1, 10) == 20);
	f_ii = fn(buf, len, "kswitch", &o[no++]);
	T("kswitch, a jump table", f_ii != NULL && f_ii(0, 100) == 103 &&
	    f_ii(1, 100) == 500 && f_ii(2, 100) == 93 &&
	    f_ii(3, 100) == 109 && f_ii(4, 100) == 400 &&
	    f_ii(5, 100) == 33 && f_ii(6, 100) == 0 && f_ii(7, 100) == -1);
	f_copy = fn(buf, len, "kcopy", &o[no++]);
	memset(dst, 0, sizeof(dst));
	T("kcopy, memcpy and memset", f_copy != NULL &&
	    f_copy(dst, "hello", 5) == 'h' &&
	    memcmp(dst, "helloZZZZZ", 11) == 0);
	f_move = fn(buf, len, "kmove", &o[no++]);
	memcpy(mv, "abcdefg", 8);
	if (f_move != NULL)
		f_move(mv, 5);
	T("kmove, an overlapping memmove", f_move != NULL &&
	    memcmp(mv, "aabcdeg", 8) == 0);
	f_cmp = fn(buf, len, "kcmp", &o[no++]);
	T("kcmp, memcmp", f_cmp != NULL && f_cmp("abc", "abd", 3) < 0 &&
	    f_cmp("abd", "abc", 3) > 0 && f_cmp("abc", "abc", 3) == 0 &&
	    f_cmp("x", "y", 0) == 0);

	if (v->smash) {
		f_smash = fn(buf, len, "ksmash", &o[no++]);
		memset(big, 'A', sizeof(big));
		ok = 0;
		if (f_smash != NULL && (pid = fork()) == 0) {
			f_smash(big, sizeof(big));
			_exit(0);
		} else if (f_smash != NULL && pid > 0)
			ok = waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
			    WTERMSIG(st) == SIGILL;
		T("a smashed stack ends in __stack_chk_fail's trap", ok);
	}
#undef T
	for (i = 0; i < no; i++)
		elfobj_free(o[i]);
	if (v == &cvariants[0]) {
		test_wx(buf, len);
		test_bad(buf, len);
		test_fuzz(buf, len);
	}
	free(buf);
}

static void
test_wx(const unsigned char *buf, size_t len)
{
	struct elfobj	*obj;
	int		*(*f_p)(void);
	struct mapinfo	 mi;
	uintptr_t	 lo, hi;
	int		*p;

	if ((f_p = fn(buf, len, "kgvar", &obj)) == NULL) {
		CHECK(0, "W^X: the object loads");
		return;
	}
	elfobj_range(obj, &lo, &hi);
	p = f_p();
	CHECK(lo <= (uintptr_t)f_p && (uintptr_t)f_p < hi &&
	    lo <= (uintptr_t)p && (uintptr_t)p < hi,
	    "elfobj_range covers code and data");
	maps_scan(lo, hi, (uintptr_t)f_p, &mi);
	CHECK(mi.n >= 3 && mi.wx == 0,
	    "W^X: no page is writable and executable");
	CHECK(strcmp(mi.at, "r-x") == 0, "W^X: code is r-x");
	CHECK(mi.ro > 0, "W^X: .rodata is r--");
	maps_scan(lo, hi, (uintptr_t)p, &mi);
	CHECK(strcmp(mi.at, "rw-") == 0, "W^X: data is rw-");
	elfobj_free(obj);
	maps_scan(lo, hi, 0, &mi);
	CHECK(mi.n == 0, "elfobj_free unmaps everything");
}

static void
test_nasm(void)
{
	struct elfobj	*o[6];
	unsigned char	*buf, z[16];
	size_t		 len, i;
	double		(*f_d)(double);
	long		(*f_v)(void);
	long		(*f_l)(long);
	void		*(*f_z)(void *, size_t);

	buf = build("nasm", "nasm -f elf64 -o %s " SRC "/kern.asm", &len);
	CHECK(buf != NULL, "nasm: builds");
	if (buf == NULL)
		return;
	f_d = fn(buf, len, "nscale", &o[0]);
	CHECK(f_d != NULL && f_d(2.0) == 5.0,
	    "nasm: nscale, a NOTYPE label using .rodata");
	f_v = fn(buf, len, "ncount", &o[1]);
	CHECK(f_v != NULL && f_v() == 101 && f_v() == 102, "nasm: .data");
	f_v = fn(buf, len, "nptr", &o[2]);
	CHECK(f_v != NULL && f_v() == 100, "nasm: R_X86_64_64 pointer");
	f_v = fn(buf, len, "ngot", &o[3]);
	CHECK(f_v != NULL && f_v() == 100, "nasm: R_X86_64_GOTPCREL");
	f_l = fn(buf, len, "nbss", &o[4]);
	CHECK(f_l != NULL && f_l(6) == 42,
	    "nasm: call into another section, .bss");
	f_z = fn(buf, len, "nzero", &o[5]);
	memset(z, 0xff, sizeof(z));
	CHECK(f_z != NULL && f_z(z, 15) == z && z[0] == 0 && z[14] == 0 &&
	    z[15] == 0xff, "nasm: memset through the builtin stub");
	for (i = 0; i < 6; i++)
		elfobj_free(o[i]);
	free(buf);
}

static void
test_as(void)
{
	struct elfobj	*o[3];
	unsigned char	*buf;
	const char	*secname;
	uint64_t	 off;
	size_t		 len, i;
	long		(*f_l)(long);
	long		*(*f_p)(void);
	long		*p;

	buf = build("as", "as -o %s " SRC "/kern.s", &len);
	CHECK(buf != NULL, "as: builds");
	if (buf == NULL)
		return;
	f_l = fn(buf, len, "gfirst", &o[0]);
	CHECK(f_l != NULL && f_l(5) == 35,
	    "as: PLT32 call across sections, REX_GOTPCRELX load");
	f_p = fn(buf, len, "gcomm_addr", &o[1]);
	p = f_p != NULL ? f_p() : NULL;
	CHECK(p != NULL && ((uintptr_t)p & 31) == 0 &&
	    elfobj_locate(o[1], (uintptr_t)p, &secname, &off) == 0 &&
	    strcmp(secname, "COMMON") == 0 && (p[7] = 5) == 5,
	    "as: COMMON symbol aligned, writable and located");
	f_p = fn(buf, len, "gpc64", &o[2]);
	p = f_p != NULL ? f_p() : NULL;
	CHECK(p != NULL && p[0] == 10 && p[2] == 30 &&
	    elfobj_locate(o[2], (uintptr_t)p, &secname, &off) == 0 &&
	    strcmp(secname, ".rodata") == 0 && off == 0,
	    "as: R_X86_64_PC64 datum, located in .rodata");
	CHECK(elfobj_locate(o[2], 16, &secname, &off) == -1,
	    "elfobj_locate: an address outside the object");
	for (i = 0; i < 3; i++)
		elfobj_free(o[i]);
	free(buf);
}

static void
test_peachpy(void)
{
	struct elfobj	*obj;
	unsigned char	*buf;
	size_t		 len, i;
	float		 x[100], y[100];
	float		(*f_dot)(size_t, const float *, const float *);

	buf = build("peachpy", "/usr/bin/python3 -m peachpy.x86_64 "
	    "-mabi=sysv -mimage-format=elf -o %s " SRC "/sdot.py", &len);
	CHECK(buf != NULL, "peachpy: builds");
	if (buf == NULL)
		return;
	for (i = 0; i < 100; i++) {
		x[i] = i;
		y[i] = 0.5f;
	}
	f_dot = fn(buf, len, "psdot", &obj);
	CHECK(f_dot != NULL && f_dot(100, x, y) == 2475.0f,
	    "peachpy: psdot, a dot product");
	elfobj_free(obj);
	free(buf);
}

/* Load must fail and the reason must contain want, on one line. */
static void
expect(const char *what, const unsigned char *buf, size_t len,
    const char *symbol, const char *want)
{
	struct elfobj	*obj;
	char		 err[256], name[200];

	memset(err, 0, sizeof(err));
	obj = elfobj_load(buf, len, symbol, err, sizeof(err));
	snprintf(name, sizeof(name), "refuses %s: \"%s\"", what, want);
	CHECK(obj == NULL && strstr(err, want) != NULL &&
	    strchr(err, '\n') == NULL, name);
	if (obj != NULL || strstr(err, want) == NULL)
		printf("# got: %s\n", obj != NULL ? "success" : err);
	elfobj_free(obj);
}

static int
secidx(unsigned char *b, const char *name)
{
	Elf64_Ehdr	*eh = (Elf64_Ehdr *)b;
	Elf64_Shdr	*sh = (Elf64_Shdr *)(b + eh->e_shoff);
	const char	*names = (const char *)b + sh[eh->e_shstrndx].sh_offset;
	int		 i;

	for (i = 1; i < eh->e_shnum; i++)
		if (strcmp(names + sh[i].sh_name, name) == 0)
			return i;
	fprintf(stderr, "no section %s\n", name);
	abort();
}

static Elf64_Shdr *
sec(unsigned char *b, const char *name)
{
	Elf64_Ehdr	*eh = (Elf64_Ehdr *)b;

	return (Elf64_Shdr *)(b + eh->e_shoff) + secidx(b, name);
}

static Elf64_Sym *
sym(unsigned char *b, const char *name)
{
	Elf64_Shdr	*st = sec(b, ".symtab");
	Elf64_Shdr	*sh = (Elf64_Shdr *)(b + ((Elf64_Ehdr *)b)->e_shoff);
	Elf64_Sym	*s = (Elf64_Sym *)(b + st->sh_offset);
	const char	*names = (const char *)b + sh[st->sh_link].sh_offset;
	size_t		 i;

	for (i = 1; i < st->sh_size / sizeof(*s); i++)
		if (strcmp(names + s[i].st_name, name) == 0)
			return &s[i];
	fprintf(stderr, "no symbol %s\n", name);
	abort();
}

/*
 * Each case corrupts one field of a fresh copy of a valid object.  B is
 * the copy, EH its header, RELA the first relocation in .rela.text.
 */
static void
test_bad(const unsigned char *good, size_t len)
{
	unsigned char	*b, *und;
	Elf64_Ehdr	*eh;
	Elf64_Rela	*rela, *pc32;
	Elf64_Shdr	*rs;
	size_t		 i, ulen;
	struct elfobj	*obj;
	char		 small[16], err[256], cmd[128];
	FILE		*f;

	if ((b = malloc(len)) == NULL)
		abort();
#define FRESH()	do {							\
	memcpy(b, good, len);						\
	eh = (Elf64_Ehdr *)b;						\
	rs = sec(b, ".rela.text");					\
	rela = (Elf64_Rela *)(b + rs->sh_offset);			\
} while (0)
#define BAD(what, mutation, want) do {					\
	FRESH();							\
	mutation;							\
	expect(what, b, len, "kdot", want);				\
} while (0)

	expect("a truncated header", good, 20, "kdot", "truncated");
	expect("a truncated file", good, len / 2, "kdot",
	    "section header table lies outside the file");
	BAD("bad magic", b[1] = 'X', "not an ELF object");
	BAD("ELFCLASS32", b[EI_CLASS] = ELFCLASS32, "not a 64-bit ELF");
	BAD("big-endian", b[EI_DATA] = ELFDATA2MSB, "not a little-endian");
	BAD("EM_AARCH64", eh->e_machine = EM_AARCH64, "not an x86-64 object");
	BAD("ET_EXEC", eh->e_type = ET_EXEC, "not a relocatable object");
	BAD("2000 sections", eh->e_shnum = 2000, "too many sections");
	BAD("extended numbering", eh->e_shnum = 0, "SHN_XINDEX");
	BAD("a bad section header size", eh->e_shentsize = 40,
	    "bad section header size");
	BAD("a bad e_shstrndx", eh->e_shstrndx = eh->e_shnum + 3,
	    "bad section name table index");
	BAD("a section name table that is code",
	    eh->e_shstrndx = secidx(b, ".text"),
	    "is not a string table");
	BAD("a bad section name offset", sec(b, ".data")->sh_name = 1 << 30,
	    "bad section name offset");
	BAD("a section outside the file",
	    sec(b, ".text")->sh_offset = len + 100,
	    "section .text (index 1) lies outside the file");
	BAD("a section running past the end",
	    sec(b, ".text")->sh_size = len, "lies outside the file");
	BAD("overlapping sections",
	    sec(b, ".data")->sh_offset = sec(b, ".text")->sh_offset + 8,
	    "overlap in the file");
	BAD("a section over the header",
	    sec(b, ".data")->sh_offset = 16, "ELF header and .data overlap");
	BAD("an absurd .bss", sec(b, ".bss")->sh_size = 1ULL << 40,
	    "section .bss is too large");
	BAD("a mapping over ELF_MAXMAPPED",
	    sec(b, ".bss")->sh_size = ELF_MAXMAPPED - 8,
	    "object needs more than");
	BAD("alignment 3", sec(b, ".text")->sh_addralign = 3,
	    "section .text has bad alignment 3");
	BAD("alignment 1 MiB", sec(b, ".rodata")->sh_addralign = 1 << 20,
	    "section .rodata has bad alignment");
	BAD("a writable .text", sec(b, ".text")->sh_flags |= SHF_WRITE,
	    "section .text is writable and executable");
	BAD("a thread-local .data", sec(b, ".data")->sh_flags |= SHF_TLS,
	    "thread-local section .data");
	BAD("an allocated symbol table",
	    sec(b, ".symtab")->sh_flags |= SHF_ALLOC,
	    "allocated section .symtab has unsupported type");
	BAD("SHT_REL", rs->sh_type = SHT_REL,
	    "SHT_REL relocations in .rela.text are not supported");
	BAD("a relocation sh_link", rs->sh_link = 0,
	    "relocation section .rela.text has bad sh_link 0");
	BAD("a relocation sh_info", rs->sh_info = 999,
	    "relocation section .rela.text has bad sh_info 999");
	BAD("a relocation entry size", rs->sh_entsize = 16,
	    "bad entry size");
	BAD("a relocation symbol index",
	    rela[0].r_info = ELF64_R_INFO(0xffffff, R_X86_64_PC32),
	    "symbol index 16777215 out of range");
	BAD("a relocation past its section",
	    rela[0].r_offset = sec(b, ".text")->sh_size - 2,
	    "lies outside the section");
	BAD("a huge relocation offset", rela[0].r_offset = UINT64_MAX - 1,
	    "lies outside the section");
	BAD("R_X86_64_TPOFF32", rela[0].r_info = ELF64_R_INFO(
	    ELF64_R_SYM(rela[0].r_info), R_X86_64_TPOFF32),
	    "unsupported relocation R_X86_64_TPOFF32 in .rela.text");
	BAD("R_X86_64_GOTOFF64", rela[0].r_info = ELF64_R_INFO(
	    ELF64_R_SYM(rela[0].r_info), R_X86_64_GOTOFF64),
	    "unsupported relocation R_X86_64_GOTOFF64 in .rela.text");
	BAD("relocation type 200", rela[0].r_info = ELF64_R_INFO(
	    ELF64_R_SYM(rela[0].r_info), 200),
	    "unsupported relocation type 200 in .rela.text");
	BAD("a symbol table without strings",
	    sec(b, ".symtab")->sh_link = 1,
	    "symbol table sh_link 1 is not a string table");
	BAD("no symbol table", sec(b, ".symtab")->sh_type = SHT_PROGBITS,
	    "object has no symbol table");
	BAD("a bad symbol name", sym(b, "kpoly")->st_name = 1 << 30,
	    "bad symbol name offset");
	BAD("SHN_XINDEX", sym(b, "kdot")->st_shndx = SHN_XINDEX,
	    "symbol 'kdot' uses SHN_XINDEX");
	BAD("a symbol section out of range", sym(b, "kdot")->st_shndx = 500,
	    "symbol 'kdot' has section index 500 out of range");
	BAD("a symbol outside its section",
	    sym(b, "kpoly")->st_value = 1 << 20,
	    "symbol 'kpoly' lies outside section .text");
	BAD("a kernel at the end of .text",
	    sym(b, "kdot")->st_value = sec(b, ".text")->sh_size,
	    "symbol 'kdot' is at the end of section .text");
	BAD("a thread-local symbol",
	    sym(b, "gvar")->st_info = ELF64_ST_INFO(STB_GLOBAL, STT_TLS),
	    "thread-local symbol 'gvar'");
	BAD("a relocation that overflows", {
		pc32 = NULL;
		for (i = 0; i < rs->sh_size / sizeof(*rela); i++)
			if (ELF64_R_TYPE(rela[i].r_info) == R_X86_64_PC32)
				pc32 = &rela[i];
		if (pc32 != NULL)
			pc32->r_addend = 1LL << 40;
	}, "R_X86_64_PC32 at .text+0x");
	BAD("a relocation into unloaded data",
	    sym(b, "gvar")->st_shndx = secidx(b, ".comment"),
	    "in unloaded section .comment");

	FRESH();
	expect("a missing kernel", b, len, "nosuch",
	    "no symbol 'nosuch' in object; it defines: kdot, ");
	snprintf(err, sizeof(err), "%s/many.c", tmpdir);
	if ((f = fopen(err, "w")) == NULL)
		abort();
	for (i = 0; i < 100; i++)
		fprintf(f, "int a_rather_long_function_name_%zu(void);\n"
		    "int a_rather_long_function_name_%zu(void) "
		    "{ return %zu; }\n", i, i, i);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "gcc -O2 -c -o %%s %s/many.c", tmpdir);
	und = build("many", cmd, &ulen);
	obj = und == NULL ? NULL : elfobj_load(und, ulen, "nosuch", err,
	    sizeof(err));
	CHECK(und != NULL && obj == NULL && strlen(err) < 220 &&
	    strstr(err, "it defines: a_rather_long_function_name_0, ") !=
	    NULL && strcmp(err + strlen(err) - 5, ", ...") == 0,
	    "the list of functions is bounded");
	free(und);
	obj = elfobj_load(b, len, "nosuch", small, sizeof(small));
	CHECK(obj == NULL && strlen(small) == sizeof(small) - 1,
	    "a short error buffer is filled and terminated");
	expect("a data symbol as kernel", b, len, "gvar",
	    "symbol 'gvar' is not a function");
	expect("an empty object", b, 0, "kdot", "truncated");
	expect("an oversized object", b, ELF_MAXSIZE + 1, "kdot",
	    "object too large");

	und = build("undef", "gcc -O2 -c -o %s " SRC "/undef.c", &ulen);
	if (und != NULL)
		expect("an undefined external", und, ulen, "kundef",
		    "undefined symbol 'printf'");
	else
		CHECK(0, "undef.c builds");
	free(und);
	und = build("as2", "as -o %s " SRC "/kern.s", &ulen);
	if (und != NULL) {
		sym(und, "gcomm")->st_value = 48;
		expect("a COMMON alignment of 48", und, ulen, "gfirst",
		    "COMMON symbol 'gcomm' has bad alignment 48");
	} else
		CHECK(0, "kern.s builds");
	free(und);
#undef BAD
#undef FRESH
	free(b);
}

/*
 * A small fuzz run in the test itself, so random damage of a real object
 * runs under the sanitizers on every `make test'.  Surviving is not all:
 * each damaged object is either refused with a one-line reason or loaded
 * with its kernel inside what was mapped, in code; a copy cut short
 * (the section headers are at the end) is always refused; and the damage
 * is mild enough that some copies still load, so a loader that refuses
 * everything fails too.
 */
static void
test_fuzz(const unsigned char *good, size_t len)
{
	struct elfobj	*obj;
	unsigned char	*b;
	const char	*secname;
	uint64_t	 x = 0x9e3779b97f4a7c15ULL, off;
	uintptr_t	 entry, lo, hi;
	size_t		 i, n, k, blen, nloaded = 0, badwhy = 0, badload = 0;
	size_t		 cutload = 0;
	char		 err[256];

	if ((b = malloc(len)) == NULL)
		abort();
	for (i = 0; i < NFUZZ; i++) {
		memcpy(b, good, len);
		blen = len;
		n = 1 + i % 8;
		for (k = 0; k < n; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* Headers and tables matter most: hit them often. */
			if (x & 1)
				b[(x >> 8) % 64] ^= 1 << ((x >> 4) & 7);
			else
				b[(x >> 8) % len] = x >> 16;
		}
		if (i % 16 == 0)
			blen = (x >> 20) % len;
		err[0] = '\0';
		if ((obj = elfobj_load(b, blen, "kdot", err,
		    sizeof(err))) == NULL) {
			if (!one_line(err))
				badwhy++;
			continue;
		}
		nloaded++;
		if (blen < len)
			cutload++;
		entry = (uintptr_t)elfobj_entry(obj);
		elfobj_range(obj, &lo, &hi);
		if (entry < lo || entry >= hi || elfobj_locate(obj, entry,
		    &secname, &off) == -1 || strncmp(secname, ".text", 5) != 0)
			badload++;
		elfobj_free(obj);
	}
	free(b);
	CHECK(badwhy == 0, "fuzz: every refused object says why, in one line");
	CHECK(badload == 0, "fuzz: every loaded object's kernel is in its .text");
	CHECK(cutload == 0, "fuzz: no object cut short loads");
	printf("# %zu of %d damaged objects loaded\n", nloaded, NFUZZ);
	CHECK(nloaded > 0 && nloaded < NFUZZ,
	    "fuzz: some damaged objects load, most do not");
}

/* A reason a client can be shown: some text, no control characters. */
static int
one_line(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* The fuzzer's seeds must be valid objects, or they seed nothing. */
static void
test_corpus(void)
{
	struct elfobj	*obj;
	DIR		*dir;
	struct dirent	*de;
	unsigned char	*buf;
	char		 cmd[600], name[300];
	size_t		 len;
	int		 n = 0;

	if ((dir = opendir(CORPUS)) == NULL) {
		CHECK(0, "the seed corpus " CORPUS " exists");
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(cmd, sizeof(cmd), "cp " CORPUS "/%s %%s",
		    de->d_name);
		buf = build("seed", cmd, &len);
		obj = buf != NULL ? load(buf, len, "kernel") : NULL;
		snprintf(name, sizeof(name), "seed %s loads, under 4 KiB",
		    de->d_name);
		CHECK(obj != NULL && len < 4096, name);
		elfobj_free(obj);
		free(buf);
		n++;
	}
	closedir(dir);
	CHECK(n >= 5, "the seed corpus has objects from every assembler");
}

int
main(void)
{
	size_t	 i;
	char	 cmd[64];

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	for (i = 0; i < sizeof(cvariants) / sizeof(cvariants[0]); i++)
		test_c(&cvariants[i]);
	test_nasm();
	test_as();
	test_peachpy();
	test_corpus();

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return TEST_DONE();
}
