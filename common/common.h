/*
 * What common/ offers the three processes: logging, the imsg message layer
 * with fd passing, and a few small helpers.
 */
#ifndef WR_COMMON_H
#define WR_COMMON_H

#include <sys/types.h>
#include <sys/queue.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif

/*
 * Static data that a kernel runner writes goes in a section of its own,
 * so that it lies on as few pages as it can, which the template makes
 * present in each new runner at once (runner/template.c, runner_born())
 * instead of a copy-on-write fault each.
 */
#define RUNNER_WRITES	__attribute__((__section__("runner_writes")))

/* log.c */
void	 log_init(int debug, int facility);
int	 log_confine(void);
void	 log_procinit(const char *name);
void	 log_setverbose(int verbose);
int	 log_getverbose(void);
void	 log_setfd(int);
void	 log_line_fd(int, const char *);
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 logit(int, const char *, ...) __attribute__((format(printf, 2, 3)));
__dead void fatal(const char *, ...) __attribute__((format(printf, 1, 2)));
__dead void fatalx(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * imsg.c: length-prefixed messages over a SOCK_STREAM or SOCK_SEQPACKET
 * socketpair, each optionally carrying one file descriptor.
 */
#define IMSG_HDRSIZE	sizeof(struct imsg_hdr)
#define IMSG_MAXSIZE	(64 * 1024)	/* header included */
#define IMSG_RBUFSIZE	(2 * IMSG_MAXSIZE)
#define IMSG_MAXFDS	4		/* fds queued but not yet claimed */

#define IMSGF_HASFD	0x1

struct imsg_hdr {
	uint32_t	 type;
	uint32_t	 len;		/* header included */
	uint32_t	 id;		/* request id, chosen by the sender */
	uint32_t	 flags;		/* IMSGF_* */
};

struct imsg {
	struct imsg_hdr	 hdr;
	int		 fd;		/* -1 unless IMSGF_HASFD */
	void		*data;
	size_t		 len;		/* payload bytes */
};

struct imsg_wbuf {
	TAILQ_ENTRY(imsg_wbuf)	 entry;
	unsigned char		*buf;
	size_t			 len;
	size_t			 off;	/* bytes already written */
	int			 fd;	/* sent with the first byte, then closed */
};

/*
 * The read buffer goes last: the fields and the start of the buffer, all
 * that most reads touch, then share a page, which the template and each
 * runner it clones write to (and so copy) once instead of twice.
 */
struct imsgbuf {
	int			 fd;
	size_t			 rlen;
	int			 rfds[IMSG_MAXFDS];
	int			 nrfds;
	TAILQ_HEAD(, imsg_wbuf)	 wq;
	size_t			 wqlen;	/* queued messages */
	unsigned char		 rbuf[IMSG_RBUFSIZE];
};

void	 imsgbuf_init(struct imsgbuf *, int);
void	 imsgbuf_clear(struct imsgbuf *);
int	 imsg_compose(struct imsgbuf *, uint32_t, uint32_t, int,
	    const void *, size_t);
int	 imsgbuf_write(struct imsgbuf *);
int	 imsgbuf_flush(struct imsgbuf *);
ssize_t	 imsgbuf_read(struct imsgbuf *);
ssize_t	 imsg_get(struct imsgbuf *, struct imsg *);
ssize_t	 imsg_get_into(struct imsgbuf *, struct imsg *, void *, size_t *);
int	 imsg_send_now(struct imsgbuf *, uint32_t, uint32_t, const void *,
	    size_t);
void	 imsg_free(struct imsg *);
int	 imsg_get_data(struct imsg *, void *, size_t);
int	 imsg_take_fd(struct imsg *);

/*
 * imsgev.c: an imsgbuf driven by libevent (monitor and net process).  The
 * handler is called with EV_READ when the socket is readable, and with
 * EV_WRITE only when writing failed (treat it as a dead peer).  It reads
 * with imsgbuf_read, drains imsg_get, and ends with imsgev_add.
 */
struct event;
struct event_base;
struct imsgev {
	struct imsgbuf	 ibuf;
	struct event	*ev;
	void		(*handler)(int, short, void *);
	void		*data;
	short		 events;
};

int	 imsgev_init(struct imsgev *, struct event_base *, int,
	    void (*)(int, short, void *), void *);
void	 imsgev_clear(struct imsgev *);
void	 imsgev_add(struct imsgev *);
int	 imsgev_compose(struct imsgev *, uint32_t, uint32_t, int,
	    const void *, size_t);

/* util.c */
int	 fd_cloexec(int);
int	 fd_nonblock(int);
void	 closefrom_except(int, const int *, int);
int	 memfd_seal_all(int);
int	 memfd_check_sealed(int, uint64_t *);
const char *signame(int);
int	 exec_dir(char *, size_t);
int	 str_size(const char *, uint64_t *);
const char *wpath_bad(const char *, size_t);
int	 file_id_ok(const char *);
int	 log_flags(char *[], int, int, int, char [8]);
int	 str_duration(const char *, uint64_t *);
int	 cgroup_join(int);
pid_t	 clone_into(uint64_t, const int *, int, int *);
int	 perf_hw_probe(uint64_t);
int	 cfail(int *, int, char *, size_t, const char *, ...)
	    __attribute__((format(printf, 5, 6)));

/*
 * vocab.c: the protocol's vocabulary, the same in every process.  Each
 * run_status has a name for logs and metrics ("time-limit"), a name for
 * clients ("Time limit exceeded") and an HTTP code.
 */
struct outcome {
	const char	*name;
	const char	*text;
	int		 code;
};
const struct outcome *outcome(uint32_t status);
/* What the name checks accept, as error messages say it. */
#define KERNEL_NAME_RULE	"1 to 63 of a-z 0-9 _ -"
#define MACHINE_ID_RULE		"1 to 63 of A-Z a-z 0-9 . _ -"
#define EVENT_NAME_RULE		"1 to 63 of A-Z a-z 0-9 _ : . = -"
int	 kernel_name_ok(const char *);
int	 machine_id_ok(const char *);
int	 event_name_ok(const char *);
size_t	 elem_size(uint32_t);
size_t	 str_clean(char *, size_t, const char *, size_t);
/* Room for any error body error_format() writes. */
#define ERROR_BODYLEN		(3 * 256 + 128)
int	 error_format(char *, size_t, int code, const char *name,
	    const char *reason, int json);

#endif /* WR_COMMON_H */
