/*
 * The object loader's own state, shared by elf.c (parsing, layout,
 * mapping) and reloc.c (relocations).  Nothing outside those two files
 * includes it; the rest of the runner sees runner.h's elfobj_*() only.
 */
#ifndef WR_LD_H
#define WR_LD_H

#include <gelf.h>
#include <libelf.h>
#include <stdint.h>

#define LD_PAGE		4096	/* x86-64 only, so a constant */
#define LD_MAXALIGN	LD_PAGE	/* groups start on a page */
#define LD_POPULATE	(64 * 1024)	/* mapped present up to this size */
#define LD_NAMELEN	64	/* section names kept for crash reports */
#define LD_LISTLEN	160	/* the "it defines: ..." list */
#define LD_STUBSIZE	16
#define LD_NONE		UINT64_MAX
#define LD_GOTSYM	"_GLOBAL_OFFSET_TABLE_"

#define ISPOW2(x)	((x) != 0 && ((x) & ((x) - 1)) == 0)
#define ROUNDUP(x, a)	(((x) + (a) - 1) & ~((uint64_t)(a) - 1))

enum ld_group {
	G_TEXT,
	G_RODATA,
	G_DATA,
	G_NGROUPS
};

enum sym_kind {
	S_ZERO,		/* the null symbol, weak undefined */
	S_ABS,
	S_SECTION,	/* in a loaded section */
	S_UNLOADED,	/* in a section not loaded; an error if used */
	S_COMMON,
	S_BUILTIN,
	S_GOT		/* _GLOBAL_OFFSET_TABLE_ */
};

/* A region elfobj_locate() knows by name. */
struct elfsec {
	char		 name[LD_NAMELEN];
	uintptr_t	 addr;
	uint64_t	 size;
};

struct elfobj {
	unsigned char	*base;
	size_t		 maplen;
	void		*entry;
	struct elfsec	*secs;
	size_t		 nsecs;
};

/* Everything a single load needs, freed by ld_free(). */
struct ld {
	char		*err;
	size_t		 errlen;
	unsigned char	*img;		/* private copy of the object */
	size_t		 len;
	Elf		*elf;
	size_t		 shnum;
	GElf_Shdr	*sh;
	const char	**shname;
	uint64_t	*place;		/* offset in the mapping, or LD_NONE */
	int		*group;
	size_t		 symtab;	/* section index */
	size_t		 strtab;
	size_t		 nsyms;
	GElf_Sym	*syms;
	const char	**symname;
	unsigned char	*skind;		/* enum sym_kind */
	uint64_t	*soff;		/* COMMON: offset, BUILTIN: index */
	uint32_t	*gotidx;	/* slot + 1, or 0 */
	size_t		 ngot;
	int		 nbuiltin;
	int		 need32;	/* R_X86_64_32 or 32S present */
	size_t		 kernel;	/* symbol index */
	uint64_t	 gstart[G_NGROUPS], gend[G_NGROUPS];
	uint64_t	 stuboff, gotoff, commonoff, commonend;
	uint64_t	 total;
	unsigned char	*base;
};

int		 ld_err(struct ld *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
const char	*ld_symdisplay(const struct ld *, size_t);
uintptr_t	 ld_resolve(const struct ld *, size_t);
/* reloc.c */
int		 ld_relocs(struct ld *, int apply);

#endif /* WR_LD_H */
