/* objs: daemon/multipart.o common/vocab.o */
/*
 * POST /file's reader of multipart/form-data: what curl -F, Go's writer,
 * Python's requests and browsers send gives the file's bytes exactly and
 * its name's last part; each kind of bad body is refused with the reason
 * a client reads in its 400, and no prefix of a good body is taken for
 * a whole one.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "proto.h"
#include "daemon.h"
#include "test.h"

#define B(s)	(s), sizeof(s) - 1

#define CURLB	"------------------------d74496d66958873e"
#define CURLCT	"multipart/form-data; boundary=" CURLB
#define GOB	"3b8f0c1e5a7d9b2c4e6f8a0b1c3d5e7f9a1b3c5d7e9f0a2b4c6d8e0f1a3b"
#define PYB	"6f1ad0c3b2e94d5f8a7c6b5e4d3c2b1a"
#define WKB	"----WebKitFormBoundary7MA4YWxkTrZu0gW"
#define B70	"0123456789012345678901234567890123456789" \
		"012345678901234567890123456789"
#define ADIR	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"

/* Bytes a boundary search could trip on, and NUL, CR and LF. */
#define TRICKY	"\0\r\n--\r\n--" CURLB "X\r\n--" CURLB "-x\r\n" \
		"-" CURLB "\r\n\r\n--------------------------d74496d66958873" \
		"\r\n\xff\xfe\r"

static char	 err[WR_REASONLEN];

/*
 * multipart_file over an exactly sized copy of the body, so that the
 * sanitizers see any read past it; f->data is moved back into body.
 */
static int
mp(const char *ct, const char *body, size_t len, struct mpfile *f)
{
	char	*copy = NULL;
	int	 rc;

	if (len > 0 && (copy = malloc(len)) == NULL)
		abort();
	if (len > 0)
		memcpy(copy, body, len);
	memset(err, 0, sizeof(err));
	rc = multipart_file(ct, copy, len, f, err, sizeof(err));
	if (rc == 0) {
		if (f->data < copy || f->data + f->len > copy + len)
			abort();
		f->data = body + (f->data - copy);
	}
	free(copy);
	return rc;
}

/* Whether err is one printable line. */
static int
printable(void)
{
	size_t	 i;

	for (i = 0; err[i] != '\0'; i++)
		if (err[i] < 0x20 || err[i] >= 0x7f)
			return 0;
	return i > 0;
}

/* A good body: the file's name and bytes. */
static void
ok(const char *what, const char *ct, const char *body, size_t len,
    const char *name, const char *data, size_t dlen)
{
	struct mpfile	 f;
	int		 rc;

	rc = mp(ct, body, len, &f);
	if (rc == -1)
		printf("# %s: %s\n", what, err);
	CHECK(rc == 0 && strcmp(f.name, name) == 0 && f.len == dlen &&
	    memcmp(f.data, data, dlen) == 0, what);
}

/* A bad body: refused, with why in a printable line. */
static void
bad(const char *what, const char *ct, const char *body, size_t len,
    const char *why)
{
	struct mpfile	 f;
	int		 rc;

	rc = mp(ct, body, len, &f);
	if (rc == 0 || strstr(err, why) == NULL)
		printf("# %s: rc %d, \"%s\"\n", what, rc, err);
	CHECK(rc == -1 && strstr(err, why) != NULL && printable() &&
	    f.data == NULL && f.name[0] == '\0', what);
}

/*
 * Every prefix of a good body shorter than its close delimiter is
 * refused, cleanly; the longer ones (the epilogue cut) give the file.
 */
static void
prefixes(const char *what, const char *ct, const char *body, size_t len,
    size_t closed, size_t dlen)
{
	struct mpfile	 f;
	size_t		 k;
	int		 good = 1;

	for (k = 0; k <= len; k++) {
		if (mp(ct, body, k, &f) == 0) {
			if (k < closed || f.len != dlen)
				good = 0;
		} else if (k >= closed || !printable())
			good = 0;
	}
	CHECK(good, what);
}

static const char curl[] =
    "--" CURLB "\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    TRICKY "\r\n"
    "--" CURLB "--\r\n";

static const char go[] =
    "--" GOB "\r\n"
    "Content-Disposition: form-data; name=\"lang\"\r\n"
    "\r\n"
    "c\r\n"
    "--" GOB "\r\n"
    "Content-Disposition: form-data; name=\"file\"; "
    "filename=\"build/out/a.out\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "\x7f" "ELF\x02\x01\x01\0\0\0\r\n"
    "--" GOB "\r\n"
    "Content-Disposition: form-data; name=\"after\"\r\n"
    "\r\n"
    "x\r\n"
    "--" GOB "--\r\n";

static const char py[] =
    "--" PYB "\r\n"
    "Content-Disposition: form-data; name=\"a\"\r\n"
    "\r\n"
    "1\r\n"
    "--" PYB "\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"sol.py\"\r\n"
    "\r\n"
    "print(1)\n\r\n"
    "--" PYB "--\r\n";

static const char webkit[] =
    "--" WKB "\r\n"
    "Content-Disposition: form-data; name=\"file\"; "
    "filename=\"\xc3\xa9t\xc3\xa9.c\"\r\n"
    "Content-Type: text/x-csrc\r\n"
    "\r\n"
    "int main(void) { return 0; }\n\r\n"
    "--" WKB "--\r\n";

/* A body with one file part whose Content-Disposition is cd. */
#define ONE(cd)	"--b\r\nContent-Disposition: " cd "\r\n\r\nX\r\n--b--\r\n"
#define FILE1(fn)	ONE("form-data; name=\"file\"; filename=" fn)

static void
test_shapes(void)
{
	ok("curl -F: binary bytes exact", CURLCT, B(curl), "x", B(TRICKY));
	ok("Go's writer: fields around, a path's last part",
	    "multipart/form-data; boundary=" GOB, B(go), "a.out",
	    B("\x7f" "ELF\x02\x01\x01\0\0\0"));
	ok("Python requests", "multipart/form-data; boundary=" PYB, B(py),
	    "sol.py", B("print(1)\n"));
	ok("browser, UTF-8 name", "multipart/form-data; boundary=" WKB,
	    B(webkit), "\xc3\xa9t\xc3\xa9.c",
	    B("int main(void) { return 0; }\n"));
	ok("quoted boundary", "multipart/form-data; boundary=\"a:b=c d\"",
	    B("--a:b=c d\r\nContent-Disposition: form-data; name=\"file\"; "
	    "filename=\"q\"\r\n\r\nQ\r\n--a:b=c d--"), "q", B("Q"));
	ok("preamble and epilogue", "multipart/form-data; boundary=b",
	    B("preamble\r\n--bX not yet\r\n--b\r\nContent-Disposition: "
	    "form-data; name=\"file\"; filename=\"p\"\r\n\r\nP\r\n--b--\r\n"
	    "epilogue\n--b\n\r\n--b\r\n"), "p", B("P"));
	ok("case, charset, token filename, padding",
	    "Multipart/Form-Data;charset=utf-8 ;  boundary=b;",
	    B("--b \t\r\ncontent-disposition:FORM-DATA;NAME=\"file\";"
	    "FileName=t.c  \r\nX-Other: \"\r\n\r\nT\r\n--b--"), "t.c", B("T"));
	ok("filename* beside filename", "multipart/form-data; boundary=b",
	    B(ONE("form-data; name=\"file\"; filename*=UTF-8''%C3%A9.c; "
	    "filename=\"e.c\"")), "e.c", B("X"));
	ok("an escaped quote stays in a value",
	    "multipart/form-data; boundary=b",
	    B("--b\r\nContent-Disposition: form-data; "
	    "name=\"a\\\"; filename=\\\"evil\"\r\n\r\n1\r\n"
	    "--b\r\nContent-Disposition: form-data; name=\"file\"; "
	    "filename=\"good\"\r\n\r\n2\r\n--b--\r\n"), "good", B("2"));
	ok("an empty file", "multipart/form-data; boundary=b",
	    B("--b\r\nContent-Disposition: form-data; name=\"file\"; "
	    "filename=\"e\"\r\n\r\n\r\n--b--\r\n"), "e", "", 0);
	ok("an empty file, no CRLF before the delimiter",
	    "multipart/form-data; boundary=b",
	    B("--b\r\nContent-Disposition: form-data; name=\"file\"; "
	    "filename=\"e\"\r\n\r\n--b--"), "e", "", 0);
	ok("a 70-character boundary", "multipart/form-data; boundary=" B70,
	    B("--" B70 "\r\nContent-Disposition: form-data; name=\"file\"; "
	    "filename=\"l\"\r\n\r\nL\r\n--" B70 "--"), "l", B("L"));
	ok("a long path, a short name", "multipart/form-data; boundary=b",
	    B(FILE1("\"" ADIR ADIR ADIR ADIR ADIR "n\"")), "n", B("X"));
}

static void
test_ctype(void)
{
	const char	*body = FILE1("\"x\"");
	size_t		 len = strlen(body);

	bad("no Content-Type", NULL, body, len, "no Content-Type");
	bad("text/plain", "text/plain", body, len,
	    "\"text/plain\" is not multipart/form-data");
	bad("multipart/mixed", "multipart/mixed; boundary=b", body, len,
	    "not multipart/form-data");
	bad("no boundary", "multipart/form-data", body, len,
	    "no boundary in Content-Type");
	bad("no boundary, other parameters",
	    "multipart/form-data; charset=utf-8", body, len, "no boundary");
	bad("empty boundary", "multipart/form-data; boundary=\"\"", body,
	    len, "empty boundary");
	bad("a 71-character boundary", "multipart/form-data; boundary=" B70
	    "0", body, len, "longer than 70");
	bad("boundary outside bchars", "multipart/form-data; boundary=\"a;b\"",
	    body, len, "RFC 2046");
	bad("boundary ends in a space", "multipart/form-data; boundary=\"b \"",
	    body, len, "ends in a space");
	bad("two boundaries", "multipart/form-data; boundary=b; boundary=c",
	    body, len, "two boundaries");
	bad("bad parameters", "multipart/form-data; boundary", body, len,
	    "bad parameters in Content-Type");
	bad("unterminated quote", "multipart/form-data; boundary=\"b", body,
	    len, "bad parameters in Content-Type");
}

static void
test_body(void)
{
	const char	*ct = "multipart/form-data; boundary=b";
	char		 big[9000], parts[64 * 64 + 64];
	size_t		 n, i;

	bad("empty body", ct, NULL, 0, "empty body");
	bad("no boundary in the body", ct, B("hello"), "no opening boundary");
	bad("preamble not ending in CRLF", ct,
	    B("xx--b\r\nContent-Disposition: form-data; name=\"file\"; "
	    "filename=\"x\"\r\n\r\nX--b--\r\n"), "no opening boundary");
	bad("only a close delimiter after CRLF", ct,
	    B("xx--b\r\nContent-Disposition: form-data; name=\"file\"; "
	    "filename=\"x\"\r\n\r\nX\r\n--b--\r\n"), "no part named file");
	bad("no close delimiter", ct, B("--b\r\nContent-Disposition: "
	    "form-data; name=\"file\"; filename=\"x\"\r\n\r\nX\r\n"),
	    "part 1: no closing boundary");
	bad("no close delimiter after part 2", ct, B("--b\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b\r\n"
	    "Content-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n"
	    "\r\nX\r\n--bb--\r\n"), "part 2: no closing boundary");
	bad("bare LF everywhere", ct, B("--b\nContent-Disposition: "
	    "form-data; name=\"file\"; filename=\"x\"\n\nX\n--b--\n"),
	    "bare LF");
	bad("bare LF before the close", ct, B("--b\r\nContent-Disposition: "
	    "form-data; name=\"file\"; filename=\"x\"\r\n\r\nX\n--b--\n"),
	    "bare LF before a boundary");
	bad("bare LF in the headers", ct, B("--b\r\nContent-Disposition: "
	    "form-data; name=\"file\"; filename=\"x\"\n\r\nX\r\n--b--\r\n"),
	    "bare LF in the headers");
	bad("CR alone in the headers", ct, B("--b\r\nA: 1\r2\r\n"
	    "Content-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n"
	    "\r\nX\r\n--b--\r\n"), "CR without LF");
	bad("text after a boundary", ct, B("--b x\r\nContent-Disposition: "
	    "form-data; name=\"file\"; filename=\"x\"\r\n\r\nX\r\n--b--\r\n"),
	    "text after a boundary");
	bad("header line without a colon", ct, B("--b\r\nContent-Disposition "
	    "form-data\r\n\r\nX\r\n--b--\r\n"), "without a colon");
	bad("bad header name, shown printable", ct,
	    B("--b\r\nX\x01\xff y: 1\r\n\r\nX\r\n--b--\r\n"),
	    "bad header name \"X?? y\"");
	bad("folded header", ct, B("--b\r\nContent-Disposition: form-data; "
	    "name=\"file\"; filename=\"x\"\r\nX-A: 1\r\n\t2\r\n\r\nX\r\n"
	    "--b--\r\n"),
	    "folded header line");
	bad("no empty line after the headers", ct, B("--b\r\n"
	    "Content-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n"
	    "--b--\r\n"), "no empty line");

	/* 8 KiB of headers, empty line included, and one byte more. */
	n = snprintf(big, sizeof(big), "--b\r\nContent-Disposition: "
	    "form-data; name=\"file\"; filename=\"h\"\r\nX: ");
	memset(big + n, 'a', 8192 - (n - 5) - 4);
	n += 8192 - (n - 5) - 4;
	memcpy(big + n, "\r\n\r\nH\r\n--b--", 12);
	ok("8 KiB of headers", ct, big, n + 12, "h", B("H"));
	memmove(big + n + 1, big + n, 12);
	big[n] = 'a';
	bad("more than 8 KiB of headers", ct, big, n + 13,
	    "headers longer than 8 KiB");
	memset(big + n - 100, 'a', sizeof(big) - (n - 100) - 7);
	memcpy(big + sizeof(big) - 7, "\r\n--b--", 7);
	bad("headers with no end", ct, big, sizeof(big),
	    "headers longer than 8 KiB");

	/* 63 fields and the file are 64 parts; one more is too many. */
	n = 0;
	for (i = 0; i < 63; i++)
		n += snprintf(parts + n, sizeof(parts) - n, "--b\r\n"
		    "Content-Disposition: form-data; name=f\r\n\r\n\r\n");
	n += snprintf(parts + n, sizeof(parts) - n, "%s", FILE1("\"m\""));
	ok("64 parts", ct, parts, n, "m", B("X"));
	memmove(parts + 5 + 44, parts, n);
	memcpy(parts, "--b\r\nContent-Disposition: form-data; name=g\r\n\r\n"
	    "\r\n", 5 + 44);
	bad("65 parts", ct, parts, n + 49, "more than 64 parts");
}

static void
test_parts(void)
{
	const char	*ct = "multipart/form-data; boundary=b";

	bad("no Content-Disposition", ct, B("--b\r\nContent-Type: x\r\n\r\n"
	    "X\r\n--b--\r\n"), "part 1: no Content-Disposition");
	bad("an empty part", ct, B("--b\r\n\r\n--b--\r\n"),
	    "no Content-Disposition");
	bad("two Content-Disposition", ct, B("--b\r\nContent-Disposition: "
	    "form-data; name=\"a\"\r\ncontent-disposition: form-data; "
	    "name=\"file\"; filename=\"x\"\r\n\r\nX\r\n--b--\r\n"),
	    "two Content-Disposition");
	bad("attachment", ct, B(ONE("attachment; name=\"file\"; "
	    "filename=\"x\"")), "not form-data");
	bad("no name", ct, B(ONE("form-data; filename=\"x\"")),
	    "no name in Content-Disposition");
	bad("two names", ct, B(ONE("form-data; name=file; name=\"file\"; "
	    "filename=\"x\"")), "two name parameters");
	bad("two filenames", ct, B(FILE1("\"x\"; filename=\"y\"")),
	    "two filename parameters");
	bad("unterminated quote", ct, B(FILE1("\"x")),
	    "bad parameters in Content-Disposition");
	bad("only filename*", ct, B(ONE("form-data; name=\"file\"; "
	    "filename*=UTF-8''x")), "filename* but no filename");
	bad("no part named file", ct, B(ONE("form-data; name=\"File\"; "
	    "filename=\"x\"")), "no part named file");
	bad("no parts at all", ct, B("--b--\r\n"), "no part named file");
	bad("two parts named file", ct, B("--b\r\nContent-Disposition: "
	    "form-data; name=\"file\"; filename=\"x\"\r\n\r\n1\r\n--b\r\n"
	    "Content-Disposition: form-data; name=\"file\"; "
	    "filename=\"y\"\r\n\r\n2\r\n--b--\r\n"), "second part named file");
	bad("the file part without a filename", ct,
	    B(ONE("form-data; name=\"file\"")), "has no filename");
	bad("empty filename", ct, B(FILE1("\"\"")), "name is empty");
	bad("filename ending in /", ct, B(FILE1("\"dir/\"")),
	    "name is empty");
	bad("filename .", ct, B(FILE1("\".\"")), "\".\" or \"..\"");
	bad("filename a/..", ct, B(FILE1("\"a/..\"")), "\".\" or \"..\"");
	bad("filename with a control byte", ct, B(FILE1("\"a\x01" "b\"")),
	    "control character");
	bad("filename with a tab", ct, B(FILE1("\"a\tb\"")),
	    "control character");
	bad("filename with DEL", ct, B(FILE1("\"a\x7f" "b\"")),
	    "control character");
	bad("filename with NUL", ct, B(FILE1("\"a\0b\"")),
	    "control character");
	bad("filename with an escaped quote", ct, B(FILE1("\"a\\\"b\"")),
	    "quote or a backslash");
	bad("filename with an escaped backslash", ct, B(FILE1("\"a\\\\b\"")),
	    "quote or a backslash");
	bad("filename with a backslash", ct, B(FILE1("\"C:\\x\\a.exe\"")),
	    "quote or a backslash");
	bad("a 256-byte name", ct, B(FILE1("\""
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	    "\"")), "longer than 255 bytes");
	ok("a 255-byte name", ct, B(FILE1("\""
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	    "\"")),
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn",
	    B("X"));
}

static void
test_prefixes(void)
{
	prefixes("every prefix of curl's body", CURLCT, B(curl),
	    sizeof(curl) - 1 - 2, sizeof(TRICKY) - 1);
	prefixes("every prefix of Go's body",
	    "multipart/form-data; boundary=" GOB, B(go), sizeof(go) - 1 - 2,
	    10);
	prefixes("every prefix of a two-field body",
	    "multipart/form-data; boundary=" PYB, B(py), sizeof(py) - 1 - 2,
	    9);
}

int
main(void)
{
	test_shapes();
	test_ctype();
	test_body();
	test_parts();
	test_prefixes();
	return TEST_DONE();
}
