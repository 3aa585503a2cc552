/*
 * What the network process may ask of the monitor, in one table: its
 * type, when it may come, its exact payload size, whether it carries a
 * descriptor, and its handler.  proc.c's reader holds every message to
 * the table; anything else ends the network process (OpenSSH ends the
 * session the same way) and the monitor carries on.  A handler that
 * returns -1 found the request malformed, which ends it too.
 */
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"

static int	 mon_health(struct proc *, struct imsg *);
static int	 mon_run(struct proc *, struct imsg *);
static int	 mon_info(struct proc *, struct imsg *);
static int	 mon_metrics(struct proc *, struct imsg *);

/* What the network process may send the monitor: proto.h's "NET -> MON". */
static const struct proc_msg net_msgs[] = {
	{ IMSG_HEALTH_REQ, "health request", PS(NET_RUNNING), 0,
	    0, mon_health },
	{ IMSG_RUN_REQ, "run request", PS(NET_RUNNING), PM_FD,
	    sizeof(struct run_req), mon_run },
	{ IMSG_INFO_REQ, "info request", PS(NET_RUNNING), 0,
	    sizeof(struct info_req), mon_info },
	{ IMSG_METRICS_REQ, "metrics request", PS(NET_RUNNING), 0,
	    0, mon_metrics },
	{ IMSG_PRUN_FILE, "program input", PS(NET_RUNNING), PM_FD,
	    sizeof(struct prun_file), pjob_file },
	{ IMSG_PRUN_COPYIN, "program copyIn file", PS(NET_RUNNING), PM_MAYFD,
	    sizeof(struct prun_copyin), pjob_copyin },
	{ IMSG_PRUN_SRC, "program src file", PS(NET_RUNNING), 0,
	    sizeof(struct prun_src), pjob_src },
	{ IMSG_PRUN_CMD, "program command", PS(NET_RUNNING), 0,
	    sizeof(struct prun_cmd), pjob_cmd },
	{ IMSG_PRUN_REQ, "program request", PS(NET_RUNNING), 0,
	    sizeof(struct prun_req), pjob_req },
	{ IMSG_FILE_REQ, "file store request", PS(NET_RUNNING), PM_MAYFD,
	    sizeof(struct file_req), store_req },
};

/* The network process is gone: nothing it asked has a client now. */
static void
net_lost(void)
{
	runners_net_lost();
	pjob_net_lost();
}

/* Start the network process with this table. */
void
dispatch_init(void)
{
	net_init(net_msgs, sizeof(net_msgs) / sizeof(net_msgs[0]), net_lost);
}

static int
mon_health(struct proc *p UNUSED, struct imsg *imsg)
{
	struct health_res	 hr;

	memset(&hr, 0, sizeof(hr));
	hr.ok = info_healthy(hr.reason, sizeof(hr.reason));
	net_compose(IMSG_HEALTH_RES, imsg->hdr.id, -1, &hr, sizeof(hr));
	return 0;
}

/* GET on the monitor route, /version or /config. */
static int
mon_info(struct proc *p UNUSED, struct imsg *imsg)
{
	static struct http_res	 res;	/* 60 KiB, off the stack */
	struct info_req		 req;

	if (imsg_get_data(imsg, &req, sizeof(req)) == -1)
		return -1;
	if (req.what < INFO_STATUS || req.what > INFO_GJ_CONFIG)
		return -1;
	info_answer(req.what, req.json != 0, &res);
	net_compose(IMSG_HTTP_RES, imsg->hdr.id, -1, &res, HTTP_RES_SIZE(&res));
	return 0;
}

/* A Prometheus scrape: the monitor's half of the metrics. */
static int
mon_metrics(struct proc *p UNUSED, struct imsg *imsg)
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

	/* Counted here: no runner is asked, so kjob.c never sees it. */
	if (status == RS_NO_KERNEL)
		kjob_count(status);
	format_error(code, status, reason, json, &res);
	net_compose(IMSG_HTTP_RES, id, -1, &res, HTTP_RES_SIZE(&res));
}

/*
 * A run request.  The network process parsed the query into typed pairs;
 * none of that is trusted here: the object must be a memfd whose seals
 * are all set and whose size matches, and every pair is checked again and
 * resolved against the spec from scratch.  A message that no working
 * network process sends ends it.
 */
static int
mon_run(struct proc *p UNUSED, struct imsg *imsg)
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
	req.json = req.json != 0;
	if (memfd_check_sealed(fd, &size) == -1) {
		log_warnx("run request %u: object is not a sealed memfd",
		    imsg->hdr.id);
		close(fd);
		return -1;
	}
	if (size != req.size || size == 0) {
		close(fd);
		answer_error(imsg->hdr.id, 400, RS_BAD_JOB,
		    "object size does not match the request", req.json);
		return 0;
	}
	if (size > mon->conf->max_body) {
		close(fd);
		snprintf(err, sizeof(err), "object larger than max-body %llu "
		    "bytes", (unsigned long long)mon->conf->max_body);
		answer_error(imsg->hdr.id, 413, RS_BAD_JOB, err, req.json);
		return 0;
	}
	memset(&job, 0, sizeof(job));
	memset(&res, 0, sizeof(res));
	if (kspec_resolve(&mon->specs, &req, &(struct run_limits){
	    .memory = mon->conf->memory,
	    .repeat_max = mon->conf->repeat_max,
	    .repeat_default = mon->conf->repeat_default,
	    .warmup = mon->conf->warmup,
	    .time_limit = mon->conf->time_limit,
	    .memory_limit = mon->conf->memory_limit }, &job, &res, &code, err,
	    sizeof(err)) == -1) {
		close(fd);
		if (code == 0)
			return -1;
		answer_error(imsg->hdr.id, code, code == 404 ? RS_NO_KERNEL :
		    RS_BAD_JOB, err, req.json);
		return 0;
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
