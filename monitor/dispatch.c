/*
 * Every message the monitor accepts from the network process, in one
 * table: its type, its exact payload size, and its handler.  Anything not
 * in the table, or of the wrong size, ends the network process (OpenSSH
 * ends the session the same way); the monitor carries on.
 *
 * Runners' messages are handled in runners.c, which owns their state.
 */
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"

static int	 mon_health(struct imsg *);
static int	 mon_run(struct imsg *);
static int	 mon_info(struct imsg *);
static int	 mon_metrics(struct imsg *);

struct mon_dispatch {
	uint32_t	 type;
	size_t		 len;		/* exact payload size */
	int		 fd;		/* 1: must carry an fd, 0: must not */
	int		 (*handler)(struct imsg *);
};

static const struct mon_dispatch net_table[] = {
	{ IMSG_HEALTH_REQ,	0,			0, mon_health },
	{ IMSG_RUN_REQ,		sizeof(struct run_req),	1, mon_run },
	{ IMSG_INFO_REQ,	sizeof(struct info_req), 0, mon_info },
	{ IMSG_METRICS_REQ,	0,			0, mon_metrics },
};

void
dispatch_net(struct imsg *imsg)
{
	const struct mon_dispatch	*d = NULL;
	size_t				 i;
	char				 why[128];

	for (i = 0; i < sizeof(net_table) / sizeof(net_table[0]); i++)
		if (net_table[i].type == imsg->hdr.type)
			d = &net_table[i];
	if (d == NULL) {
		snprintf(why, sizeof(why), "unexpected message type %u",
		    imsg->hdr.type);
		net_violation(why);
		return;
	}
	if (imsg->len != d->len || (imsg->fd != -1) != d->fd) {
		snprintf(why, sizeof(why), "message type %u with bad size "
		    "%zu or descriptor", imsg->hdr.type, imsg->len);
		net_violation(why);
		return;
	}
	if (d->handler(imsg) == -1)
		net_violation("request failed validation");
}

static int
mon_health(struct imsg *imsg)
{
	struct health_res	 hr;

	memset(&hr, 0, sizeof(hr));
	hr.ok = info_healthy(hr.reason, sizeof(hr.reason));
	net_compose(IMSG_HEALTH_RES, imsg->hdr.id, -1, &hr, sizeof(hr));
	return 0;
}

/* GET on the monitor route, /version or /config. */
static int
mon_info(struct imsg *imsg)
{
	static struct http_res	 res;	/* 60 KiB, off the stack */
	struct info_req		 req;

	if (imsg_get_data(imsg, &req, sizeof(req)) == -1)
		return -1;
	if (req.what != INFO_STATUS && req.what != INFO_VERSION &&
	    req.what != INFO_CONFIG)
		return -1;
	info_answer(req.what, req.json != 0, &res);
	net_compose(IMSG_HTTP_RES, imsg->hdr.id, -1, &res, HTTP_RES_SIZE(&res));
	return 0;
}

/* A Prometheus scrape: the monitor's half of the metrics. */
static int
mon_metrics(struct imsg *imsg)
{
	static struct http_res	 res;	/* 60 KiB, off the stack */

	info_metrics(&res);
	net_compose(IMSG_METRICS_RES, imsg->hdr.id, -1, &res,
	    HTTP_RES_SIZE(&res));
	return 0;
}

static void
answer_error(uint32_t id, int code, uint32_t status, const char *reason,
    int json)
{
	struct http_res	 res;

	format_error(code, status, reason, json, &res);
	net_compose(IMSG_HTTP_RES, id, -1, &res, HTTP_RES_SIZE(&res));
}

/*
 * A run request.  The network process checked the syntax; none of that is
 * trusted here: strings must be terminated, the object must be a memfd
 * whose seals are all set and whose size matches, and the kernel and its
 * parameters are resolved against the spec from scratch.
 */
static int
mon_run(struct imsg *imsg)
{
	struct run_req	 req;
	struct job	 job;
	struct resolved	 res;
	char		 err[WR_REASONLEN];
	uint64_t	 size;
	int		 fd, code;

	if (imsg_get_data(imsg, &req, sizeof(req)) == -1)
		return -1;
	fd = imsg_take_fd(imsg);
	if (memchr(req.kernel, '\0', sizeof(req.kernel)) == NULL ||
	    memchr(req.query, '\0', sizeof(req.query)) == NULL) {
		close(fd);
		return -1;
	}
	req.json = req.json != 0;
	if (memfd_check_sealed(fd, &size) == -1) {
		log_warnx("run request %u: object is not a sealed memfd",
		    imsg->hdr.id);
		close(fd);
		return -1;
	}
	if (size != req.size || size == 0 || size > mon->conf->max_body) {
		close(fd);
		answer_error(imsg->hdr.id, 400, RS_BAD_JOB,
		    "object size does not match the request", req.json);
		return 0;
	}
	memset(&job, 0, sizeof(job));
	memset(&res, 0, sizeof(res));
	if (kspec_resolve(&mon->specs, req.query, &(struct run_limits){
	    .memory = mon->conf->memory,
	    .repeat_max = mon->conf->repeat_max,
	    .repeat_default = mon->conf->repeat_default,
	    .warmup = mon->conf->warmup,
	    .time_limit = mon->conf->time_limit,
	    .memory_limit = mon->conf->memory_limit }, &job, &res, &code, err,
	    sizeof(err)) == -1) {
		close(fd);
		answer_error(imsg->hdr.id, code, code == 404 ? RS_NO_KERNEL :
		    RS_BAD_JOB, err, req.json);
		return 0;
	}
	if (strcmp(res.kernel, req.kernel) != 0) {
		close(fd);
		return -1;
	}
	job.size = size;
	job.memmax = mon->conf->memory;
	job.stepmax = single_step_bound(mon->conf, res.time_limit != 0 ?
	    res.time_limit : mon->conf->time_limit);
	if (runners_submit(imsg->hdr.id, &job, fd, &res, req.json, &code,
	    err, sizeof(err)) == -1)
		answer_error(imsg->hdr.id, code, code == 503 ? RS_UNAVAILABLE :
		    RS_INTERNAL, err, req.json);
	return 0;
}
