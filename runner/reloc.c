/*
 * Relocations of the object loader (elf.c has the rest).  The first walk
 * over them only checks: every type is one we apply, every symbol and
 * offset is in range, and GOT slots are counted.  The second, once the
 * mapping exists, writes the values and refuses any that do not fit in
 * their field.  Any other relocation type is rejected by its name.
 */
#include <sys/types.h>

#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "runner.h"
#include "ld.h"

static int	 ld_reloc(struct ld *, size_t, const GElf_Rela *, int);
static const char *rel_name(uint32_t, char *, size_t);
static int	 rel_width(uint32_t);

/* Every x86-64 relocation type, so that a rejection can name it. */
static const char *const rel_names[] = {
	"NONE", "64", "PC32", "GOT32", "PLT32", "COPY", "GLOB_DAT",
	"JUMP_SLOT", "RELATIVE", "GOTPCREL", "32", "32S", "16", "PC16", "8",
	"PC8", "DTPMOD64", "DTPOFF64", "TPOFF64", "TLSGD", "TLSLD",
	"DTPOFF32", "GOTTPOFF", "TPOFF32", "PC64", "GOTOFF64", "GOTPC32",
	"GOT64", "GOTPCREL64", "GOTPC64", "GOTPLT64", "PLTOFF64", "SIZE32",
	"SIZE64", "GOTPC32_TLSDESC", "TLSDESC_CALL", "TLSDESC", "IRELATIVE",
	"RELATIVE64", "PC32_BND", "PLT32_BND", "GOTPCRELX", "REX_GOTPCRELX",
	"CODE_4_GOTPCRELX", "CODE_4_GOTTPOFF", "CODE_4_GOTPC32_TLSDESC"
};

/*
 * Walk every relocation that applies to a loaded section.  The first walk
 * (apply == 0) only checks and notes which symbols need a GOT slot; the
 * second, once the mapping exists, writes the values.
 */
int
ld_relocs(struct ld *ld, int apply)
{
	GElf_Shdr	*rs, *ts;
	Elf_Data	*d;
	GElf_Rela	 r;
	size_t		 i, j, n;

	for (i = 1; i < ld->shnum; i++) {
		rs = &ld->sh[i];
		if (rs->sh_type != SHT_RELA)
			continue;
		if (!apply) {
			if (rs->sh_info == 0 || rs->sh_info >= ld->shnum)
				return ld_err(ld, "relocation section %.64s "
				    "has bad sh_info %u", ld->shname[i],
				    rs->sh_info);
			if (rs->sh_link != ld->symtab)
				return ld_err(ld, "relocation section %.64s "
				    "has bad sh_link %u", ld->shname[i],
				    rs->sh_link);
			if (rs->sh_entsize != sizeof(Elf64_Rela) ||
			    rs->sh_size % sizeof(Elf64_Rela) != 0)
				return ld_err(ld, "relocation section %.64s "
				    "has bad entry size", ld->shname[i]);
		}
		/* Debug information and the like is not loaded. */
		if (ld->place[rs->sh_info] == LD_NONE)
			continue;
		ts = &ld->sh[rs->sh_info];
		if (ts->sh_type == SHT_NOBITS)
			return ld_err(ld, "relocation section %.64s applies "
			    "to NOBITS section %.64s", ld->shname[i],
			    ld->shname[rs->sh_info]);
		n = rs->sh_size / sizeof(Elf64_Rela);
		if (n == 0)
			continue;
		if ((d = elf_getdata(elf_getscn(ld->elf, i), NULL)) == NULL)
			return ld_err(ld, "cannot read %.64s: %s",
			    ld->shname[i], elf_errmsg(-1));
		for (j = 0; j < n; j++) {
			if (gelf_getrela(d, j, &r) == NULL)
				return ld_err(ld, "cannot read relocation %zu "
				    "in %.64s", j, ld->shname[i]);
			if (ld_reloc(ld, i, &r, apply) == -1)
				return -1;
		}
	}
	return 0;
}

static int
ld_reloc(struct ld *ld, size_t rsec, const GElf_Rela *r, int apply)
{
	size_t		 tsec = ld->sh[rsec].sh_info;
	const char	*rname = ld->shname[rsec], *tname = ld->shname[tsec];
	uint64_t	 size = ld->sh[tsec].sh_size, s, p, v;
	uint32_t	 type = GELF_R_TYPE(r->r_info);
	size_t		 si = GELF_R_SYM(r->r_info);
	unsigned char	*where;
	uint32_t	 v32;
	int		 w, fits;
	char		 tn[48];

	if (!apply) {
		if (si >= ld->nsyms)
			return ld_err(ld, "relocation at %.64s+0x%llx: symbol "
			    "index %zu out of range (%zu symbols)", tname,
			    (unsigned long long)r->r_offset, si, ld->nsyms);
		if ((w = rel_width(type)) == -1)
			return ld_err(ld, "unsupported relocation %s in %.64s",
			    rel_name(type, tn, sizeof(tn)), rname);
		if (r->r_offset > size || (uint64_t)w > size - r->r_offset)
			return ld_err(ld, "relocation at %.64s+0x%llx lies "
			    "outside the section (%llu bytes)", tname,
			    (unsigned long long)r->r_offset,
			    (unsigned long long)size);
		if (ld->skind[si] == S_UNLOADED)
			return ld_err(ld, "relocation in %.64s refers to "
			    "'%.64s' in unloaded section %.64s", rname,
			    ld_symdisplay(ld, si),
			    ld->shname[ld->syms[si].st_shndx]);
		switch (type) {
		case R_X86_64_GOTPCREL:
		case R_X86_64_GOTPCRELX:
		case R_X86_64_REX_GOTPCRELX:
			if (ld->gotidx[si] == 0)
				ld->gotidx[si] = ++ld->ngot;
			break;
		case R_X86_64_32:
		case R_X86_64_32S:
			ld->need32 = 1;
			break;
		}
		return 0;
	}

	/* Checked in the first walk; only overflow is left to find. */
	where = ld->base + ld->place[tsec] + r->r_offset;
	p = (uintptr_t)where;
	s = ld_resolve(ld, si);
	switch (type) {
	case R_X86_64_NONE:
		return 0;
	case R_X86_64_64:
		v = s + r->r_addend;
		memcpy(where, &v, 8);
		return 0;
	case R_X86_64_PC64:
		v = s + r->r_addend - p;
		memcpy(where, &v, 8);
		return 0;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		v = s + r->r_addend - p;
		fits = (int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX;
		break;
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
		v = (uintptr_t)ld->base + ld->gotoff +
		    (uint64_t)(ld->gotidx[si] - 1) * 8 + r->r_addend - p;
		fits = (int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX;
		break;
	case R_X86_64_32:
		v = s + r->r_addend;
		fits = v <= UINT32_MAX;
		break;
	case R_X86_64_32S:
		v = s + r->r_addend;
		fits = (int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX;
		break;
	default:
		return ld_err(ld, "relocation type %u slipped through", type);
	}
	if (!fits)
		return ld_err(ld, "relocation %s at %.64s+0x%llx against "
		    "'%.64s' overflows (value 0x%llx)",
		    rel_name(type, tn, sizeof(tn)), tname,
		    (unsigned long long)r->r_offset, ld_symdisplay(ld, si),
		    (unsigned long long)v);
	v32 = (uint32_t)v;
	memcpy(where, &v32, 4);
	return 0;
}

static const char *
rel_name(uint32_t type, char *buf, size_t len)
{
	if (type < sizeof(rel_names) / sizeof(rel_names[0]))
		snprintf(buf, len, "R_X86_64_%s", rel_names[type]);
	else
		snprintf(buf, len, "type %u", type);
	return buf;
}

/* Bytes a supported relocation writes, or -1 if it is not supported. */
static int
rel_width(uint32_t type)
{
	switch (type) {
	case R_X86_64_NONE:
		return 0;
	case R_X86_64_64:
	case R_X86_64_PC64:
		return 8;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_32:
	case R_X86_64_32S:
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
		return 4;
	default:
		return -1;
	}
}
