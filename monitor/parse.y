/*
 * webrunnerd.conf(5): the grammar, its lexer and the defaults.
 *
 * Only the monitor, running as root, reads the configuration.  Errors name
 * file:line; parsing goes on after an error so one run shows them all.
 */
%{
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"

static FILE		*fin;
static const char	*fname;
static int		 lineno;
static int		 errors;
static struct config	*conf;

int		 yyparse(void);
static int	 yylex(void);
static int	 yyerror(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
static int	 kw_cmp(const void *, const void *);
static int	 lookup(const char *);
static int	 lgetc(void);
static void	 default_kernels(char *, size_t);
static int	 add_listen(struct listen_addrs *, const char *, int64_t);
static int	 add_exempt(const char *);
static int	 add_mount(const char *);
static int	 add_src(const char *);
static int	 read_token(const char *);
static int	 log_dest(const char *, const char *, uint32_t *, char *,
		    size_t);

typedef struct {
	union {
		int64_t		 number;
		char		*string;
	} v;
	int lineno;
} YYSTYPE;
#define YYSTYPE_IS_DECLARED 1
%}

%token	LISTEN ON PORT USER CHROOT KERNELS MACHINEID MAXBODY MAXHEADERS
%token	TIMEOUT MAXCONNS MEMORY REPEAT REPEATMAX WARMUP ERROR
%token	RUNNERS QUEUE RUNNERUID TIMELIMIT MEMORYLIMIT PIDSLIMIT NICE CGROUPV2
%token	SELFTEST INTERVAL AUTH TOKEN FILE_ MONITOR ACCESSLOG ERRORLOG
%token	METRICS MAXCONNSADDR CONNEXEMPT HEADTIMEOUT BODYTIMEOUT BODYRATE
%token	SENDTIMEOUT SINGLESTEPLIMIT PROGRAM PROCLIMIT OUTPUTLIMIT TMPFSSIZE
%token	MOUNT COPYOUTLIMIT SRCALLOW STORELIMIT STOREFILES
%token	<v.string>	STRING
%token	<v.number>	NUMBER
/* A string the parser throws away on a syntax error is freed, not lost. */
%destructor	{ free($$); }	<v.string>
%type	<v.number>	size duration number
%%

grammar		: /* empty */
		| grammar '\n'
		| grammar main '\n'
		| grammar error '\n'
		;

number		: NUMBER {
			if ($1 < 0 || $1 > UINT32_MAX) {
				yyerror("number out of range");
				YYERROR;
			}
			$$ = $1;
		}
		;

size		: NUMBER {
			if ($1 < 0) {
				yyerror("negative size");
				YYERROR;
			}
			$$ = $1;
		}
		| STRING {
			uint64_t	 v;

			if (str_size($1, &v) == -1) {
				yyerror("bad size '%s': use a number with an "
				    "optional K, M or G", $1);
				free($1);
				YYERROR;
			}
			free($1);
			$$ = (int64_t)v;
		}
		;

duration	: NUMBER {
			if ($1 < 0 || $1 > 86400) {
				yyerror("duration out of range");
				YYERROR;
			}
			$$ = $1 * 1000;
		}
		| STRING {
			uint64_t	 v;

			if (str_duration($1, &v) == -1) {
				yyerror("bad duration '%s': use a number with "
				    "ms, s or m", $1);
				free($1);
				YYERROR;
			}
			free($1);
			$$ = (int64_t)v;
		}
		;

main		: LISTEN ON STRING PORT NUMBER {
			if (add_listen(&conf->listens, $3, $5) == -1) {
				free($3);
				YYERROR;
			}
			free($3);
		}
		| METRICS LISTEN ON STRING PORT NUMBER {
			if (add_listen(&conf->metrics, $4, $6) == -1) {
				free($4);
				YYERROR;
			}
			free($4);
		}
		| USER STRING {
			if (strlcpy(conf->user, $2, sizeof(conf->user)) >=
			    sizeof(conf->user)) {
				yyerror("user name too long");
				free($2);
				YYERROR;
			}
			free($2);
		}
		| CHROOT STRING {
			if ($2[0] != '/' || strlcpy(conf->chroot, $2,
			    sizeof(conf->chroot)) >= sizeof(conf->chroot)) {
				yyerror("chroot must be an absolute path");
				free($2);
				YYERROR;
			}
			free($2);
		}
		| KERNELS STRING {
			if (strlcpy(conf->kernels, $2, sizeof(conf->kernels))
			    >= sizeof(conf->kernels)) {
				yyerror("kernels path too long");
				free($2);
				YYERROR;
			}
			free($2);
		}
		| MACHINEID STRING {
			if (!machine_id_ok($2)) {
				yyerror("machine-id must be " MACHINE_ID_RULE);
				free($2);
				YYERROR;
			}
			strlcpy(conf->machine_id, $2, sizeof(conf->machine_id));
			free($2);
		}
		| MAXBODY size {
			/* A larger object would only burn a runner. */
			if ($2 < 1 || $2 > WR_MAXOBJECT) {
				yyerror("max-body must be between 1 and %d: a "
				    "runner loads objects of at most %d bytes",
				    WR_MAXOBJECT, WR_MAXOBJECT);
				YYERROR;
			}
			conf->max_body = (uint64_t)$2;
		}
		| MAXHEADERS size {
			if ($2 < 1024 || $2 > 1024 * 1024) {
				yyerror("max-headers must be between 1K and "
				    "1M");
				YYERROR;
			}
			conf->max_headers = (uint32_t)$2;
		}
		| TIMEOUT duration {
			if ($2 < 1000) {
				yyerror("timeout must be at least 1s");
				YYERROR;
			}
			conf->timeout = (uint32_t)($2 / 1000);
		}
		| MAXCONNS number {
			if ($2 < 1 || $2 > 65536) {
				yyerror("max-connections must be between 1 "
				    "and 65536");
				YYERROR;
			}
			conf->max_conns = (uint32_t)$2;
		}
		| MAXCONNSADDR number {
			if ($2 > 65536) {
				yyerror("max-connections-per-address must be "
				    "at most 65536");
				YYERROR;
			}
			conf->max_conns_addr = (uint32_t)$2;
		}
		| CONNEXEMPT STRING {
			if (add_exempt($2) == -1) {
				free($2);
				YYERROR;
			}
			free($2);
		}
		| HEADTIMEOUT duration {
			if ($2 < 100 || $2 > 3600 * 1000) {
				yyerror("header-timeout must be between 100ms "
				    "and 1h");
				YYERROR;
			}
			conf->head_timeout = (uint32_t)$2;
		}
		| BODYTIMEOUT duration {
			if ($2 < 100 || $2 > 3600 * 1000) {
				yyerror("body-timeout must be between 100ms "
				    "and 1h");
				YYERROR;
			}
			conf->body_timeout = (uint32_t)$2;
		}
		| BODYRATE size {
			if ($2 > 1024 * 1024 * 1024) {
				yyerror("body-min-rate must be at most 1G");
				YYERROR;
			}
			conf->body_rate = (uint32_t)$2;
		}
		| SENDTIMEOUT duration {
			if ($2 < 100 || $2 > 3600 * 1000) {
				yyerror("send-timeout must be between 100ms "
				    "and 1h");
				YYERROR;
			}
			conf->send_timeout = (uint32_t)$2;
		}
		| MEMORY size {
			if ($2 < 4096 || $2 > (int64_t)1 << 40) {
				yyerror("memory must be between 4K and 1T");
				YYERROR;
			}
			conf->memory = (uint64_t)$2;
		}
		| REPEAT number {
			if ($2 < 1) {
				yyerror("repeat must be at least 1");
				YYERROR;
			}
			conf->repeat_default = (uint32_t)$2;
		}
		| REPEATMAX number {
			if ($2 < 1 || $2 > 1000000) {
				yyerror("repeat-max must be between 1 and "
				    "1000000");
				YYERROR;
			}
			conf->repeat_max = (uint32_t)$2;
		}
		| WARMUP number {
			if ($2 > 1000000) {
				yyerror("warmup must be at most 1000000");
				YYERROR;
			}
			conf->warmup = (uint32_t)$2;
		}
		| SINGLESTEPLIMIT number {
			if ($2 > 1000000000) {
				yyerror("single-step-limit must be at most "
				    "1000000000");
				YYERROR;
			}
			conf->single_step_limit = (uint64_t)$2;
		}
		| RUNNERS number {
			if ($2 < 1 || $2 > 256) {
				yyerror("runners must be between 1 and 256");
				YYERROR;
			}
			conf->runners = (uint32_t)$2;
		}
		| QUEUE number {
			if ($2 > 65536) {
				yyerror("queue must be at most 65536");
				YYERROR;
			}
			conf->queue = (uint32_t)$2;
		}
		| RUNNERUID number {
			if ($2 < 1000 || $2 > UINT32_MAX - 512) {
				yyerror("runner-uid must be at least 1000");
				YYERROR;
			}
			conf->runner_uid = (uint32_t)$2;
		}
		| TIMELIMIT duration {
			if ($2 < 10 || $2 > 3600 * 1000) {
				yyerror("time-limit must be between 10ms and "
				    "1h");
				YYERROR;
			}
			conf->time_limit = (uint32_t)$2;
		}
		| PROGRAM STRING {
			if (strcmp($2, "yes") == 0)
				conf->program_mode = 1;
			else if (strcmp($2, "no") == 0)
				conf->program_mode = 0;
			else {
				yyerror("program: yes or no, or a program "
				    "keyword");
				free($2);
				YYERROR;
			}
			free($2);
		}
		| PROGRAM RUNNERS number {
			if ($3 < 1 || $3 > 256) {
				yyerror("program runners must be between 1 "
				    "and 256");
				YYERROR;
			}
			conf->program_runners = (uint32_t)$3;
		}
		| PROGRAM RUNNERUID number {
			if ($3 < 1000 || $3 > UINT32_MAX - 512) {
				yyerror("program runner-uid must be at least "
				    "1000");
				YYERROR;
			}
			conf->program_uid = (uint32_t)$3;
		}
		| PROGRAM TIMELIMIT duration {
			if ($3 < 10 || $3 > 3600 * 1000) {
				yyerror("program time-limit must be between "
				    "10ms and 1h");
				YYERROR;
			}
			conf->program_time_limit = (uint64_t)$3;
		}
		| PROGRAM MEMORYLIMIT size {
			if ($3 < MEMLIMIT_MIN) {
				yyerror("program memory-limit must be at "
				    "least 16M");
				YYERROR;
			}
			conf->program_memory_limit = (uint64_t)$3;
		}
		| PROGRAM PROCLIMIT number {
			if ($3 < 1 || $3 > 65536) {
				yyerror("program proc-limit must be between 1 "
				    "and 65536");
				YYERROR;
			}
			conf->program_proc_limit = (uint32_t)$3;
		}
		| PROGRAM OUTPUTLIMIT size {
			if ($3 < 1 || $3 > (int64_t)1 << 30) {
				yyerror("program output-limit must be between "
				    "1 and 1G");
				YYERROR;
			}
			conf->program_output_limit = (uint64_t)$3;
		}
		| PROGRAM COPYOUTLIMIT size {
			if ($3 < 1 || $3 > (int64_t)1 << 30) {
				yyerror("program copyout-limit must be between "
				    "1 and 1G");
				YYERROR;
			}
			conf->program_copyout_limit = (uint64_t)$3;
		}
		| PROGRAM TMPFSSIZE size {
			if ($3 < 1024 * 1024 || $3 > (int64_t)1 << 40) {
				yyerror("program tmpfs-size must be between "
				    "1M and 1T");
				YYERROR;
			}
			conf->program_tmpfs = (uint64_t)$3;
		}
		| PROGRAM MAXBODY size {
			if ($3 < 1 || $3 > (int64_t)1 << 30) {
				yyerror("program max-body must be between 1 "
				    "and 1G");
				YYERROR;
			}
			conf->program_max_body = (uint64_t)$3;
		}
		| PROGRAM STORELIMIT size {
			if ($3 < 1 || $3 > (int64_t)1 << 40) {
				yyerror("program store-limit must be between "
				    "1 and 1T");
				YYERROR;
			}
			conf->program_store_limit = (uint64_t)$3;
		}
		| PROGRAM STOREFILES number {
			if ($3 < 1 || $3 > 65536) {
				yyerror("program store-files must be between 1 "
				    "and 65536");
				YYERROR;
			}
			conf->program_store_files = (uint32_t)$3;
		}
		| PROGRAM SRCALLOW STRING {
			if (add_src($3) == -1) {
				free($3);
				YYERROR;
			}
			free($3);
		}
		| PROGRAM MOUNT STRING {
			if (add_mount($3) == -1) {
				free($3);
				YYERROR;
			}
			free($3);
		}
		| MEMORYLIMIT size {
			if ($2 < MEMLIMIT_MIN) {
				yyerror("memory-limit must be at least 16M");
				YYERROR;
			}
			conf->memory_limit = (uint64_t)$2;
		}
		| PIDSLIMIT number {
			if ($2 < 1 || $2 > 1024) {
				yyerror("pids-limit must be between 1 and "
				    "1024");
				YYERROR;
			}
			conf->pids_limit = (uint32_t)$2;
		}
		| NICE STRING {
			const char	*errstr;

			conf->nice = (int32_t)strtonum($2, -20, 19, &errstr);
			if (errstr != NULL) {
				yyerror("nice %s is %s", $2, errstr);
				free($2);
				YYERROR;
			}
			free($2);
		}
		| NICE NUMBER {
			if ($2 > 19) {
				yyerror("nice must be between -20 and 19");
				YYERROR;
			}
			conf->nice = (int32_t)$2;
		}
		| CGROUPV2 STRING {
			if ($2[0] != '/' || strlcpy(conf->cgroup_v2, $2,
			    sizeof(conf->cgroup_v2)) >= sizeof(conf->cgroup_v2)) {
				yyerror("cgroup-v2 must be an absolute path");
				free($2);
				YYERROR;
			}
			free($2);
		}
		| SELFTEST INTERVAL duration {
			if ($3 < 1000 || $3 > 86400 * 1000) {
				yyerror("self-test interval must be between "
				    "1s and 86400s");
				YYERROR;
			}
			conf->selftest_interval = (uint64_t)$3;
		}
		| AUTH TOKEN FILE_ STRING {
			if (read_token($4) == -1) {
				free($4);
				YYERROR;
			}
			free($4);
		}
		| ACCESSLOG STRING {
			if (log_dest("access-log", $2, &conf->access_log,
			    conf->access_log_path,
			    sizeof(conf->access_log_path)) == -1) {
				free($2);
				YYERROR;
			}
			free($2);
		}
		| ERRORLOG STRING {
			if (log_dest("error-log", $2, &conf->error_log,
			    conf->error_log_path,
			    sizeof(conf->error_log_path)) == -1 ||
			    conf->error_log == LOGD_OFF) {
				if (conf->error_log == LOGD_OFF)
					yyerror("error-log cannot be off");
				conf->error_log = LOGD_SYSLOG;
				free($2);
				YYERROR;
			}
			free($2);
		}
		| AUTH MONITOR TOKEN {
			conf->auth_monitor_open = 0;
		}
		| AUTH MONITOR STRING {
			if (strcmp($3, "open") != 0) {
				yyerror("auth monitor: open or token, not "
				    "'%s'", $3);
				free($3);
				YYERROR;
			}
			conf->auth_monitor_open = 1;
			free($3);
		}
		;

%%

struct keyword {
	const char	*k_name;
	int		 k_val;
};

static int
yyerror(const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512];

	errors++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s:%d: %s\n", fname, yylval.lineno, msg);
	return 0;
}

static int
kw_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct keyword *)e)->k_name);
}

static int
lookup(const char *s)
{
	/* Sorted, for bsearch. */
	static const struct keyword keywords[] = {
		{ "access-log",		ACCESSLOG },
		{ "auth",		AUTH },
		{ "body-min-rate",	BODYRATE },
		{ "body-timeout",	BODYTIMEOUT },
		{ "cgroup-v2",		CGROUPV2 },
		{ "chroot",		CHROOT },
		{ "connection-limit-exempt", CONNEXEMPT },
		{ "copyout-limit",	COPYOUTLIMIT },
		{ "error-log",		ERRORLOG },
		{ "file",		FILE_ },
		{ "header-timeout",	HEADTIMEOUT },
		{ "interval",		INTERVAL },
		{ "kernels",		KERNELS },
		{ "listen",		LISTEN },
		{ "machine-id",		MACHINEID },
		{ "max-body",		MAXBODY },
		{ "max-connections",	MAXCONNS },
		{ "max-connections-per-address", MAXCONNSADDR },
		{ "max-headers",	MAXHEADERS },
		{ "memory",		MEMORY },
		{ "memory-limit",	MEMORYLIMIT },
		{ "metrics",		METRICS },
		{ "monitor",		MONITOR },
		{ "mount",		MOUNT },
		{ "nice",		NICE },
		{ "on",			ON },
		{ "output-limit",	OUTPUTLIMIT },
		{ "pids-limit",		PIDSLIMIT },
		{ "port",		PORT },
		{ "proc-limit",		PROCLIMIT },
		{ "program",		PROGRAM },
		{ "queue",		QUEUE },
		{ "repeat",		REPEAT },
		{ "repeat-max",		REPEATMAX },
		{ "runner-uid",		RUNNERUID },
		{ "runners",		RUNNERS },
		{ "self-test",		SELFTEST },
		{ "send-timeout",	SENDTIMEOUT },
		{ "single-step-limit",	SINGLESTEPLIMIT },
		{ "src-allow",		SRCALLOW },
		{ "store-files",	STOREFILES },
		{ "store-limit",	STORELIMIT },
		{ "time-limit",		TIMELIMIT },
		{ "timeout",		TIMEOUT },
		{ "tmpfs-size",		TMPFSSIZE },
		{ "token",		TOKEN },
		{ "user",		USER },
		{ "warmup",		WARMUP },
	};
	const struct keyword	*p;

	p = bsearch(s, keywords, sizeof(keywords) / sizeof(keywords[0]),
	    sizeof(keywords[0]), kw_cmp);
	return p != NULL ? p->k_val : STRING;
}

static int
lgetc(void)
{
	int	 c;

	c = getc(fin);
	/* A backslash before a newline continues the line. */
	while (c == '\\') {
		c = getc(fin);
		if (c != '\n') {
			ungetc(c, fin);
			return '\\';
		}
		lineno++;
		c = getc(fin);
	}
	return c;
}

static int
yylex(void)
{
	char		 buf[1024], *p;
	const char	*errstr;
	int		 c, token;

top:
	while ((c = lgetc()) == ' ' || c == '\t')
		;
	yylval.lineno = lineno;
	if (c == '#')
		while ((c = lgetc()) != '\n' && c != EOF)
			;
	if (c == EOF)
		return 0;
	if (c == '\n') {
		lineno++;
		return '\n';
	}
	if (c == '"') {
		p = buf;
		for (;;) {
			if ((c = lgetc()) == EOF || c == '\n') {
				yyerror("unterminated quoted string");
				if (c == '\n')
					lineno++;
				return ERROR;
			}
			if (c == '"')
				break;
			if (c == '\0' || p + 1 >= buf + sizeof(buf)) {
				yyerror("string too long or holds NUL");
				return ERROR;
			}
			*p++ = (char)c;
		}
		*p = '\0';
		if ((yylval.v.string = strdup(buf)) == NULL)
			err(1, "%s", __func__);
		return STRING;
	}
	if (isalnum(c) || strchr("_-.:/[]", c) != NULL) {
		p = buf;
		do {
			if (p + 1 >= buf + sizeof(buf)) {
				yyerror("word too long");
				return ERROR;
			}
			*p++ = (char)c;
		} while ((c = lgetc()) != EOF &&
		    (isalnum(c) || strchr("_-.:/[]", c) != NULL));
		ungetc(c, fin);
		*p = '\0';
		if (strspn(buf, "0123456789") == strlen(buf)) {
			yylval.v.number = strtonum(buf, 0, INT64_MAX, &errstr);
			if (errstr != NULL) {
				yyerror("number %s is %s", buf, errstr);
				return ERROR;
			}
			return NUMBER;
		}
		if ((token = lookup(buf)) == STRING &&
		    (yylval.v.string = strdup(buf)) == NULL)
			err(1, "%s", __func__);
		return token;
	}
	if (c == '\r')
		goto top;
	return c;
}

/*
 * "ADDRESS" or "ADDRESS/BITS", IPv4 or IPv6: a prefix whose clients are
 * not held to max-connections-per-address (a front proxy's).
 */
static int
add_exempt(const char *s)
{
	struct net_prefix	*p;
	struct in_addr		 a4;
	char			 addr[INET6_ADDRSTRLEN];
	const char		*slash, *errstr;
	size_t			 n;
	int			 v4, max;

	if (conf->nexempt == NET_MAXEXEMPT) {
		yyerror("at most %d connection-limit-exempt prefixes",
		    NET_MAXEXEMPT);
		return -1;
	}
	p = &conf->exempt[conf->nexempt];
	memset(p, 0, sizeof(*p));
	n = (slash = strchr(s, '/')) != NULL ? (size_t)(slash - s) : strlen(s);
	if (n >= sizeof(addr))
		goto bad;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if ((v4 = inet_pton(AF_INET, addr, &a4) == 1)) {
		p->addr[10] = p->addr[11] = 0xff;
		memcpy(p->addr + 12, &a4, sizeof(a4));
	} else if (inet_pton(AF_INET6, addr, p->addr) != 1)
		goto bad;
	max = v4 ? 32 : 128;
	p->bits = 128;
	if (slash != NULL) {
		p->bits = (uint32_t)strtonum(slash + 1, 0, max, &errstr);
		if (errstr != NULL)
			goto bad;
		if (v4)
			p->bits += 96;
	}
	conf->nexempt++;
	return 0;
bad:
	yyerror("connection-limit-exempt %s: want an IPv4 or IPv6 address, "
	    "optionally with /bits", s);
	return -1;
}

static int
add_listen(struct listen_addrs *list, const char *addr, int64_t port)
{
	struct addrinfo		 hints, *res, *ai;
	struct listen_addr	*la;
	char			 pbuf[8], host[256];
	size_t			 len;
	int			 gai;

	if (port < 1 || port > 65535) {
		yyerror("port %lld out of range", (long long)port);
		return -1;
	}
	/* Accept "[::1]" as well as "::1". */
	len = strlen(addr);
	if (len >= 2 && addr[0] == '[' && addr[len - 1] == ']') {
		if (len - 2 >= sizeof(host))
			return -1;
		memcpy(host, addr + 1, len - 2);
		host[len - 2] = '\0';
	} else if (strlcpy(host, addr, sizeof(host)) >= sizeof(host)) {
		yyerror("address too long");
		return -1;
	}
	snprintf(pbuf, sizeof(pbuf), "%d", (int)port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	if ((gai = getaddrinfo(host, pbuf, &hints, &res)) != 0) {
		yyerror("listen on %s: %s (a numeric IPv4 or IPv6 address "
		    "is expected)", addr, gai_strerror(gai));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((la = calloc(1, sizeof(*la))) == NULL)
			err(1, "%s", __func__);
		memcpy(&la->ss, ai->ai_addr, ai->ai_addrlen);
		la->sslen = ai->ai_addrlen;
		la->fd = -1;
		TAILQ_INSERT_TAIL(list, la, entry);
	}
	freeaddrinfo(res);
	return 0;
}

/*
 * The bearer token: the file's first line, 16 to 255 characters of the
 * token68 set (RFC 7235), in a file only root can read.  The token is
 * never printed, not even in an error.
 */
static int
read_token(const char *path)
{
	struct stat	 st;
	FILE		*f;
	char		 line[WR_TOKENLEN + 2];
	size_t		 n;
	int		 rc = -1;

	if ((f = fopen(path, "re")) == NULL) {
		yyerror("auth token file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode)) {
		yyerror("auth token file %s: not a regular file", path);
		goto done;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		yyerror("auth token file %s: readable by others than its "
		    "owner; chmod 600 it", path);
		goto done;
	}
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	if (n < 16 || n >= WR_TOKENLEN || strspn(line,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-._~+/=") != n) {
		yyerror("auth token file %s: the first line must be 16 to %d "
		    "of A-Z a-z 0-9 - . _ ~ + / =", path, WR_TOKENLEN - 1);
		goto done;
	}
	strlcpy(conf->auth_token, line, sizeof(conf->auth_token));
	rc = 0;
done:
	explicit_bzero(line, sizeof(line));
	fclose(f);
	return rc;
}

/* "syslog", "off" or an absolute path. */
static int
log_dest(const char *kw, const char *v, uint32_t *dest, char *path,
    size_t len)
{
	if (strcmp(v, "syslog") == 0)
		*dest = LOGD_SYSLOG;
	else if (strcmp(v, "off") == 0)
		*dest = LOGD_OFF;
	else if (v[0] == '/' && strlcpy(path, v, len) < len)
		*dest = LOGD_FILE;
	else {
		yyerror("%s: syslog, off or an absolute path", kw);
		return -1;
	}
	return 0;
}

static struct config *
config_new(void)
{
	struct config	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		err(1, "%s", __func__);
	TAILQ_INIT(&c->listens);
	TAILQ_INIT(&c->metrics);
	strlcpy(c->user, WR_USER, sizeof(c->user));
	strlcpy(c->chroot, WR_CHROOT, sizeof(c->chroot));
	c->max_body = 4 * 1024 * 1024;
	c->max_headers = 16 * 1024;
	c->timeout = 30;
	c->max_conns = 0;		/* the net process sizes it */
	/* nginx's limit_conn, HAProxy's and Apache's deadlines. */
	c->max_conns_addr = 64;
	c->head_timeout = 10 * 1000;
	c->body_timeout = 20 * 1000;
	c->body_rate = 500;
	c->send_timeout = 30 * 1000;
	c->memory = 1024 * 1024 * 1024;
	c->repeat_default = 25;
	c->repeat_max = 10000;
	c->warmup = 2;
	c->single_step_limit = WR_STEPMAX;
	c->runners = (uint32_t)sysconf(_SC_NPROCESSORS_ONLN);
	if (c->runners < 1 || c->runners > 256)
		c->runners = 1;
	c->queue = 64;
	c->runner_uid = WR_RUNNER_UID;
	c->time_limit = 10000;
	c->memory_limit = 512 * 1024 * 1024;
	c->pids_limit = 4;
	c->nice = 0;
	c->selftest_interval = 60 * 1000;
	c->auth_monitor_open = 1;
	/* Program mode: Hydro's compile (30 s, 512M, 32M of output) fits. */
	c->program_mode = 1;
	/* Two at least: an interactive pair runs its commands at once. */
	c->program_runners = c->runners > 2 ? c->runners : 2;
	c->program_uid = WR_PROGRAM_UID;
	c->program_time_limit = 60 * 1000;
	c->program_memory_limit = 1024 * 1024 * 1024;
	c->program_proc_limit = 128;
	c->program_output_limit = 64 * 1024 * 1024;
	c->program_copyout_limit = 256 * 1024 * 1024;	/* go-judge's */
	c->program_tmpfs = 256 * 1024 * 1024;
	c->program_max_body = 64 * 1024 * 1024;
	/* A judge's binaries and outputs, deleted as it goes. */
	c->program_store_limit = 1024 * 1024 * 1024;
	c->program_store_files = 4096;
	return c;
}

/*
 * program mount: a host path bound read-only into every program
 * runner's root.  The first one replaces the default set.
 */
static int
add_mount(const char *path)
{
	size_t	 n = conf->nprogram_mounts;

	if (path[0] != '/' || strstr(path, "/../") != NULL ||
	    strcmp(path, "/") == 0) {
		yyerror("program mount: an absolute path other than /");
		return -1;
	}
	if (n == PROGRAM_MAXMOUNTS) {
		yyerror("program mount: at most %d", PROGRAM_MAXMOUNTS);
		return -1;
	}
	if (strlcpy(conf->program_mounts[n], path,
	    sizeof(conf->program_mounts[n])) >= sizeof(conf->program_mounts[n])) {
		yyerror("program mount: path too long");
		return -1;
	}
	conf->nprogram_mounts++;
	return 0;
}

/*
 * program src-allow: a host directory beneath which a client's `src' files
 * may be opened; none by default.  Kept without a trailing /, so that a
 * src must name something beneath it.
 */
static int
add_src(const char *path)
{
	size_t	 n = conf->nprogram_src, len;

	if (path[0] != '/' || strstr(path, "/..") != NULL ||
	    strstr(path, "/./") != NULL || strcmp(path, "/") == 0) {
		yyerror("program src-allow: an absolute path other than /, "
		    "without . or ..");
		return -1;
	}
	if (n == PROGRAM_MAXMOUNTS) {
		yyerror("program src-allow: at most %d", PROGRAM_MAXMOUNTS);
		return -1;
	}
	if ((len = strlcpy(conf->program_src[n], path,
	    sizeof(conf->program_src[n]))) >= sizeof(conf->program_src[n])) {
		yyerror("program src-allow: path too long");
		return -1;
	}
	while (len > 1 && conf->program_src[n][len - 1] == '/')
		conf->program_src[n][--len] = '\0';
	conf->nprogram_src++;
	return 0;
}

/*
 * Parse file; NULL and the number of errors in *nerrs when it is not
 * usable.  With no listen line the daemon listens on 127.0.0.1, port 8081,
 * like WebRunner.
 */
struct config *
parse_config(const char *file, int *nerrs)
{
	*nerrs = 0;
	if ((fin = fopen(file, "r")) == NULL) {
		fprintf(stderr, "%s: %s\n", file, strerror(errno));
		*nerrs = 1;
		return NULL;
	}
	fname = file;
	lineno = 1;
	errors = 0;
	conf = config_new();
	yyparse();
	fclose(fin);
	if (errors == 0 && conf->repeat_default > conf->repeat_max) {
		fprintf(stderr, "%s: repeat %u is above repeat-max %u\n",
		    file, conf->repeat_default, conf->repeat_max);
		errors++;
	}
	if (errors == 0 && TAILQ_EMPTY(&conf->listens)) {
		lineno = 0;
		if (add_listen(&conf->listens, "127.0.0.1", WR_PORT) == -1)
			errors++;
	}
	if (errors) {
		*nerrs = errors;
		config_free(conf);
		return NULL;
	}
	if (conf->kernels[0] == '\0')
		default_kernels(conf->kernels, sizeof(conf->kernels));
	return conf;
}

/*
 * Without a kernels line: the build tree's kernels/ when this binary runs
 * from a build tree (its helpers are beside it), else the installed ones.
 */
static void
default_kernels(char *out, size_t len)
{
	struct stat	 st;
	char		 dir[1024], path[1100];

	if (exec_dir(dir, sizeof(dir)) == 0) {
		snprintf(path, sizeof(path), "%s/webrunnerd-net", dir);
		if (access(path, X_OK) == 0) {
			snprintf(path, sizeof(path), "%s/kernels", dir);
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
			    strlcpy(out, path, len) < len)
				return;
		}
	}
	strlcpy(out, SHAREDIR "/kernels", len);
}

void
config_free(struct config *c)
{
	struct listen_addr	*la;

	if (c == NULL)
		return;
	explicit_bzero(c->auth_token, sizeof(c->auth_token));
	while ((la = TAILQ_FIRST(&c->listens)) != NULL) {
		TAILQ_REMOVE(&c->listens, la, entry);
		if (la->fd != -1)
			close(la->fd);
		free(la);
	}
	while ((la = TAILQ_FIRST(&c->metrics)) != NULL) {
		TAILQ_REMOVE(&c->metrics, la, entry);
		if (la->fd != -1)
			close(la->fd);
		free(la);
	}
	free(c);
}
