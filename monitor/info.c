/*
 * What the service says about itself: the monitor route's body (text or
 * JSON), /version and /config (JSON, as go-judge offers them).  Nothing
 * secret is shown: not the auth token, not file paths of the host beyond
 * what the configuration names for kernels.
 */
#include <sys/types.h>
#include <sys/utsname.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <jansson.h>
#include <seccomp.h>

#include "common.h"
#include "monitor.h"

#ifndef WR_BUILD
#define WR_BUILD	"unknown"
#endif

static void	 iso_time(time_t, char *, size_t);
static int	 info_status(int json, struct http_res *);
static int	 info_version(struct http_res *);
static int	 info_config(struct http_res *);
static json_t	*gj_features(void);
static int	 gj_version(struct http_res *);
static int	 gj_config(struct http_res *);
static int	 by_stage(struct http_res *, const char *, const char *,
		    const char *const *, int, const uint64_t *, double,
		    const uint64_t *);
static const char *param_type_name(uint32_t);

/* Outcomes as logs and metrics spell them, by enum run_status. */
static const char *ret_type_name(uint32_t, uint32_t);

void
info_answer(uint32_t what, int json, struct http_res *hr)
{
	int	 rc;

	memset(hr, 0, HTTP_RES_HDRSIZE);
	hr->json = json != 0;
	hr->code = 200;
	switch (what) {
	case INFO_STATUS:
		rc = info_status(json, hr);
		break;
	case INFO_VERSION:
		hr->json = 1;
		rc = info_version(hr);
		break;
	case INFO_CONFIG:
		hr->json = 1;
		rc = info_config(hr);
		break;
	case INFO_GJ_VERSION:
		hr->json = 1;
		rc = gj_version(hr);
		break;
	case INFO_GJ_CONFIG:
		hr->json = 1;
		rc = gj_config(hr);
		break;
	default:
		rc = -1;
		break;
	}
	if (rc == -1)
		format_error(500, RS_INTERNAL, "answer too large", hr->json,
		    hr);
}

/* 1 and an empty reason when the monitor route may say 200. */
int
info_healthy(char *reason, size_t len)
{
	reason[0] = '\0';
	if (!kjob_healthy(reason, len))
		return 0;
	return selftest_healthy(reason, len);
}

static void
iso_time(time_t t, char *buf, size_t len)
{
	struct tm	 tm;

	if (t == 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strlcpy(buf, "never", len);
}

static int
info_status(int json, struct http_res *hr)
{
	struct pool_stats	 ps;
	struct selftest_status	 st;
	json_t			*o, *pool, *ev, *avail, *unavail, *stj;
	char			 reason[WR_REASONLEN * 2], when[32];
	uint32_t		 i;
	int			 ok;
	long long		 up;

	ok = info_healthy(reason, sizeof(reason));
	hr->code = ok ? 200 : 503;
	hr->retry_after = ok ? 0 : 1;
	hr->outcome = ok ? RS_OK : RS_UNAVAILABLE;
	runners_stats(&ps);
	selftest_get(&st);
	iso_time(st.ran ? st.when : 0, when, sizeof(when));
	up = (long long)(time(NULL) - mon->started);

	if (json) {
		avail = json_array();
		unavail = json_object();
		for (i = 0; i < st.nevents; i++) {
			if (st.events[i].available)
				json_array_append_new(avail,
				    json_string(st.events[i].name));
			else
				json_object_set_new(unavail, st.events[i].name,
				    json_string(st.events[i].reason));
		}
		ev = json_pack("{s:o, s:o}", "available", avail,
		    "unavailable", unavail);
		pool = json_pack("{s:i, s:i, s:i, s:i, s:i}", "size", ps.size,
		    "idle", ps.idle, "busy", ps.busy, "starting", ps.starting,
		    "waiting", ps.empty);
		stj = json_pack("{s:b, s:s, s:I, s:I, s:I, s:s}",
		    "passed", st.ran && st.ok, "time", when,
		    "age", (json_int_t)(st.age_ms / 1000),
		    "duration_ms", (json_int_t)st.duration_ms,
		    "interval", (json_int_t)(mon->conf->selftest_interval /
		    1000), "result", st.result);
		o = json_pack("{s:s, s:s, s:o, s:o, s:{s:I, s:I}, s:o, s:i, "
		    "s:I}",
		    "status", ok ? "ok" : "unavailable",
		    "reason", reason,
		    "self_test", stj,
		    "runners", pool,
		    "queue", "depth", (json_int_t)ps.queued,
		    "max", (json_int_t)ps.queue_max,
		    "perf_events", ev,
		    "cgroup_version", ps.cgroup_version,
		    "uptime", (json_int_t)up);
		if (o == NULL)
			return -1;
		return hr_json(hr, o);
	}
	if (ok) {
		if (hr_printf(hr, "OK\n") == -1)
			return -1;
	} else if (hr_printf(hr, "Service unavailable: %s\n", reason) == -1)
		return -1;
	if (hr_printf(hr, "Self-test: %s at %s, %llu s ago, a pass holds "
	    "%llu s: %s\n", !st.ran ? "not run" : st.ok ? "passed" :
	    "failed", when, (unsigned long long)(st.age_ms / 1000),
	    (unsigned long long)(mon->conf->selftest_interval / 1000),
	    st.result) == -1 ||
	    hr_printf(hr, "Runners: %d (idle %d, busy %d, starting %d, "
	    "waiting %d)\n", ps.size, ps.idle, ps.busy, ps.starting,
	    ps.empty) == -1 ||
	    hr_printf(hr, "Queue: %u of %u\n", ps.queued, ps.queue_max) == -1 ||
	    hr_printf(hr, "Perf events available:") == -1)
		return -1;
	for (i = 0; i < st.nevents; i++)
		if (st.events[i].available &&
		    hr_printf(hr, " %s", st.events[i].name) == -1)
			return -1;
	if (hr_printf(hr, "\nPerf events unavailable:") == -1)
		return -1;
	for (i = 0; i < st.nevents; i++)
		if (!st.events[i].available &&
		    hr_printf(hr, " %s (%s)", st.events[i].name,
		    st.events[i].reason) == -1)
			return -1;
	if (ps.cgroup_version != 0) {
		if (hr_printf(hr, "\nCgroup: v%d\n", ps.cgroup_version) == -1)
			return -1;
	} else if (hr_printf(hr, "\nCgroup: not usable\n") == -1)
		return -1;
	return hr_printf(hr, "Uptime: %lld s\n", up);
}

static int
info_version(struct http_res *hr)
{
	struct utsname			 u;
	const struct scmp_version	*sv;
	char				 seccomp[32];
	json_t				*o;

	if (uname(&u) == -1)
		memset(&u, 0, sizeof(u));
	sv = seccomp_version();
	if (sv != NULL)
		snprintf(seccomp, sizeof(seccomp), "%u.%u.%u", sv->major,
		    sv->minor, sv->micro);
	else
		strlcpy(seccomp, "unknown", sizeof(seccomp));
	o = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:s, s:s}",
	    "version", WEBRUNNERD_VERSION,
	    "build", WR_BUILD,
	    "compiler", __VERSION__,
	    "libraries",
	    "libevent", event_get_version(),
	    "jansson", JANSSON_VERSION,
	    "libseccomp", seccomp,
	    "os", u.sysname,
	    "kernel", u.release);
	if (o == NULL)
		return -1;
	return hr_json(hr, o);
}

/*
 * go-judge's feature flags, true only for what works here: judges check
 * them (Hydro refuses a sandbox without fixSymlinkEscape, and keeps the
 * `?' of optional copyOut names only with copyOutOptional).  What is
 * not built (streams, the zero-copy proxy) is false.
 * instructionLimit and counters are webrunnerd's own.
 */
static json_t *
gj_features(void)
{
	struct prun_caps	 caps;

	pjob_caps(&caps);
	return json_pack("{s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, "
	    "s:b, s:b}",
	    "copyOutOptional", 1,
	    "pipeProxy", 1,
	    "symlink", 1,
	    "addressSpaceLimit", 1,
	    "stream", 0,
	    "procPeak", 1,
	    "copyOutTruncate", 1,
	    "pipeProxyZeroCopy", 0,
	    "fixSymlinkEscape", 1,
	    "instructionLimit", caps.have_pmu,
	    "counters", caps.have_pmu);
}

/*
 * GET /version as go-judge answers it.  buildVersion is the go-judge
 * release whose API this speaks, with webrunnerd's own version as build
 * metadata: Hydro reads it as a semantic version after its `v' and
 * compares it with go-judge's releases to know what the sandbox measures
 * right (memory peaks on cgroup v2 from 1.6.10, the memory controller
 * from 1.8.6), both of which this does.
 */
static int
gj_version(struct http_res *hr)
{
	json_t	*o;

	if ((o = gj_features()) == NULL)
		return -1;
	json_object_set_new(o, "buildVersion", json_string("v"
	    GJ_API_VERSION "+webrunnerd." WEBRUNNERD_VERSION));
	json_object_set_new(o, "build", json_string(WR_BUILD));
	json_object_set_new(o, "platform", json_string("amd64"));
	json_object_set_new(o, "os", json_string("linux"));
	return hr_json(hr, o);
}

/*
 * GET /config as go-judge answers it: the flags, where files are stored
 * (in memory: none), and runnerConfig with the cgroup facts a judge
 * looks at.
 */
static int
gj_config(struct http_res *hr)
{
	const struct config	*c = mon->conf;
	json_t			*o;

	if ((o = gj_features()) == NULL)
		return -1;
	json_object_set_new(o, "fileStorePath", json_string(""));
	json_object_set_new(o, "runnerConfig", json_pack("{s:i, s:[s, s], "
	    "s:s, s:I, s:I, s:I, s:I, s:I}",
	    "cgroupType", cgroup_version(),
	    "cgroupControllers", "memory", "pids",
	    "workDir", "/w",
	    "timeLimit", (json_int_t)c->program_time_limit * 1000000,
	    "memoryLimit", (json_int_t)c->program_memory_limit,
	    "procLimit", (json_int_t)c->program_proc_limit,
	    "outputLimit", (json_int_t)c->program_output_limit,
	    "copyOutLimit", (json_int_t)c->program_copyout_limit));
	return hr_json(hr, o);
}

static int
info_config(struct http_res *hr)
{
	const struct config	*c = mon->conf;
	struct kspec		*ks;
	json_t			*o, *kernels, *params, *p;
	uint32_t		 i;

	if ((kernels = json_array()) == NULL)
		return -1;
	TAILQ_FOREACH(ks, &mon->specs, entry) {
		params = json_array();
		for (i = 0; i < ks->nparams && i < WR_MAXPARAMS; i++) {
			p = json_pack("{s:s, s:s, s:I, s:I}",
			    "name", ks->params[i].name,
			    "type", param_type_name(ks->params[i].type),
			    "min", (json_int_t)ks->params[i].min,
			    "max", (json_int_t)ks->params[i].max);
			if (p != NULL && ks->params[i].hasdef)
				json_object_set_new(p, "default",
				    json_integer(ks->params[i].def));
			json_array_append_new(params, p);
		}
		json_array_append_new(kernels, json_pack("{s:s, s:s, s:s, "
		    "s:o}", "name", ks->name, "description", ks->description,
		    "return", ret_type_name(ks->ret, ks->retint),
		    "parameters", params));
	}
	o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
	    "s:I, s:I, s:I, s:I, s:i, s:I, s:I, s:b, s:b, s:o}",
	    "machine_id", c->machine_id,
	    "max_body", (json_int_t)c->max_body,
	    "max_headers", (json_int_t)c->max_headers,
	    "timeout", (json_int_t)c->timeout,
	    "max_connections", (json_int_t)c->max_conns,
	    "memory", (json_int_t)c->memory,
	    "repeat", (json_int_t)c->repeat_default,
	    "repeat_max", (json_int_t)c->repeat_max,
	    "warmup", (json_int_t)c->warmup,
	    "runners", (json_int_t)c->runners,
	    "queue", (json_int_t)c->queue,
	    "time_limit_ms", (json_int_t)c->time_limit,
	    "memory_limit", (json_int_t)c->memory_limit,
	    "pids_limit", (json_int_t)c->pids_limit,
	    "nice", (int)c->nice,
	    "self_test_interval", (json_int_t)(c->selftest_interval / 1000),
	    "single_step_limit", (json_int_t)c->single_step_limit,
	    "auth", c->auth_token[0] != '\0',
	    "auth_monitor_open", c->auth_monitor_open,
	    "kernels", kernels);
	if (o == NULL)
		return -1;
	json_object_set_new(o, "program", json_pack("{s:b, s:I, s:I, s:I, "
	    "s:I, s:I, s:I, s:I, s:I}",
	    "enabled", c->program_mode,
	    "runners", (json_int_t)c->program_runners,
	    "time_limit_ms", (json_int_t)c->program_time_limit,
	    "memory_limit", (json_int_t)c->program_memory_limit,
	    "proc_limit", (json_int_t)c->program_proc_limit,
	    "output_limit", (json_int_t)c->program_output_limit,
	    "copyout_limit", (json_int_t)c->program_copyout_limit,
	    "tmpfs_size", (json_int_t)c->program_tmpfs,
	    "max_body", (json_int_t)c->program_max_body));
	return hr_json(hr, o);
}

/* Program mode's lines of the metrics. */
static int
program_metrics(struct http_res *hr)
{
	struct pool_stats	 ps;
	uint64_t		 runs[16], files, bytes;
	const char		*names[16];
	size_t			 i;
	int			 rc;

	memset(names, 0, sizeof(names));
	pjob_stats(&ps, runs, 16, names);
	rc = hr_printf(hr, "# HELP webrunnerd_program_runs_total Commands "
	    "of POST /run answered, by go-judge's status.\n"
	    "# TYPE webrunnerd_program_runs_total counter\n");
	for (i = 0; i < 16 && names[i] != NULL && rc == 0; i++)
		rc = hr_printf(hr, "webrunnerd_program_runs_total{status=\"%s\"}"
		    " %llu\n", names[i], (unsigned long long)runs[i]);
	if (rc == 0)
		rc = hr_printf(hr, "# HELP webrunnerd_program_runners Program "
		    "runners, by state.\n# TYPE webrunnerd_program_runners "
		    "gauge\n"
		    "webrunnerd_program_runners{state=\"idle\"} %d\n"
		    "webrunnerd_program_runners{state=\"busy\"} %d\n"
		    "webrunnerd_program_runners{state=\"starting\"} %d\n"
		    "webrunnerd_program_runners{state=\"waiting\"} %d\n"
		    "# HELP webrunnerd_program_queue_depth Commands waiting "
		    "for a program runner.\n"
		    "# TYPE webrunnerd_program_queue_depth gauge\n"
		    "webrunnerd_program_queue_depth %u\n",
		    ps.idle, ps.busy, ps.starting, ps.empty, ps.queued);
	store_stats(&files, &bytes);
	if (rc == 0)
		rc = hr_printf(hr, "# HELP webrunnerd_store_files Files in "
		    "the file store.\n# TYPE webrunnerd_store_files gauge\n"
		    "webrunnerd_store_files %llu\n"
		    "# HELP webrunnerd_store_bytes Bytes of the files in the "
		    "file store.\n# TYPE webrunnerd_store_bytes gauge\n"
		    "webrunnerd_store_bytes %llu\n", (unsigned long long)files,
		    (unsigned long long)bytes);
	return rc;
}

/* The monitor's half of GET /metrics, Prometheus text format 0.0.4. */
void
info_metrics(struct http_res *hr)
{
	struct pool_stats	 ps;
	struct selftest_status	 st;
	char			 reason[WR_REASONLEN];
	size_t			 i;
	int			 rc;

	memset(hr, 0, HTTP_RES_HDRSIZE);
	hr->code = 200;
	runners_stats(&ps);
	selftest_get(&st);
	rc = hr_printf(hr, "# HELP webrunnerd_runs_total Runs of kernels "
	    "answered, by outcome.\n# TYPE webrunnerd_runs_total counter\n");
	for (i = 0; i <= RS_UNAVAILABLE && rc == 0; i++)
		rc = hr_printf(hr, "webrunnerd_runs_total{outcome=\"%s\"} "
		    "%llu\n", outcome(i)->name, (unsigned long long)ps.runs[i]);
	if (rc == 0)
		rc = hr_printf(hr, "# HELP webrunnerd_queue_depth Run requests "
		    "waiting for a runner.\n# TYPE webrunnerd_queue_depth "
		    "gauge\nwebrunnerd_queue_depth %u\n"
		    "# HELP webrunnerd_queue_max The most that may wait.\n"
		    "# TYPE webrunnerd_queue_max gauge\n"
		    "webrunnerd_queue_max %u\n"
		    "# HELP webrunnerd_runners Runners of the pool, by "
		    "state.\n# TYPE webrunnerd_runners gauge\n"
		    "webrunnerd_runners{state=\"idle\"} %d\n"
		    "webrunnerd_runners{state=\"busy\"} %d\n"
		    "webrunnerd_runners{state=\"starting\"} %d\n"
		    "webrunnerd_runners{state=\"waiting\"} %d\n",
		    ps.queued, ps.queue_max, ps.idle, ps.busy, ps.starting,
		    ps.empty);
	if (rc == 0)
		rc = hr_printf(hr, "# HELP webrunnerd_runner_spawn_seconds "
		    "Time from asking for a runner to its being ready.\n"
		    "# TYPE webrunnerd_runner_spawn_seconds summary\n"
		    "webrunnerd_runner_spawn_seconds_sum %.6f\n"
		    "webrunnerd_runner_spawn_seconds_count %llu\n",
		    (double)ps.spawn_usecs / 1e6,
		    (unsigned long long)ps.spawns);
	if (rc == 0)
		rc = hr_printf(hr, "# HELP webrunnerd_runner_cpu_seconds_total "
		    "CPU time of the runners reaped, user and system.\n"
		    "# TYPE webrunnerd_runner_cpu_seconds_total counter\n"
		    "webrunnerd_runner_cpu_seconds_total %.6f\n"
		    "# HELP webrunnerd_counters_disagree_total Runners' "
		    "reports refused: their counts disagree with the "
		    "monitor's.\n"
		    "# TYPE webrunnerd_counters_disagree_total counter\n"
		    "webrunnerd_counters_disagree_total %llu\n",
		    (double)ps.cpu_usecs / 1e6,
		    (unsigned long long)ps.disagree);
	if (rc == 0)
		rc = hr_printf(hr, "# HELP webrunnerd_runners_reaped_total "
		    "Runners reaped whose usage is known.\n"
		    "# TYPE webrunnerd_runners_reaped_total counter\n"
		    "webrunnerd_runners_reaped_total %llu\n"
		    "# HELP webrunnerd_runner_page_faults_total Page faults "
		    "of those runners, over their lives.\n"
		    "# TYPE webrunnerd_runner_page_faults_total counter\n"
		    "webrunnerd_runner_page_faults_total %llu\n",
		    (unsigned long long)ps.reaped,
		    (unsigned long long)ps.faults);
	if (rc == 0)
		rc = by_stage(hr, "runner_stage_seconds",
		    "Where kernel jobs' time goes", pool_stage_names, NSTAGES,
		    ps.stage_usecs, 1e6, ps.stage_count);
	if (rc == 0)
		rc = by_stage(hr, "runner_cpu_stage_seconds",
		    "Kernel runners' own CPU time", cpu_stage_names,
		    NCPUSTAGES, ps.cpu_stage_ns, 1e9, ps.cpu_stage_count);
	if (rc == 0)
		rc = hr_printf(hr, "# HELP webrunnerd_selftest_ok 1 while the "
		    "monitor route says 200.\n# TYPE webrunnerd_selftest_ok "
		    "gauge\nwebrunnerd_selftest_ok %d\n"
		    "# HELP webrunnerd_selftest_passed 1 if the last "
		    "self-test passed.\n# TYPE webrunnerd_selftest_passed "
		    "gauge\nwebrunnerd_selftest_passed %d\n"
		    "# HELP webrunnerd_selftest_last_run_timestamp_seconds "
		    "When the last self-test ended.\n"
		    "# TYPE webrunnerd_selftest_last_run_timestamp_seconds "
		    "gauge\nwebrunnerd_selftest_last_run_timestamp_seconds "
		    "%lld\n"
		    "# HELP webrunnerd_uptime_seconds Since the monitor "
		    "started.\n# TYPE webrunnerd_uptime_seconds gauge\n"
		    "webrunnerd_uptime_seconds %lld\n",
		    info_healthy(reason, sizeof(reason)), st.ran && st.ok,
		    st.ran ? (long long)st.when : 0LL,
		    (long long)(time(NULL) - mon->started));
	if (rc == 0)
		rc = program_metrics(hr);
	if (rc == -1)
		format_error(500, RS_INTERNAL, "metrics too large", 0, hr);
}

/*
 * A summary by stage, webrunnerd_NAME: n stages named names[], each the
 * sum of sums[i] (in units of a second) over counts[i] times.
 */
static int
by_stage(struct http_res *hr, const char *name, const char *help,
    const char *const *names, int n, const uint64_t *sums, double unit,
    const uint64_t *counts)
{
	int	 i, rc;

	rc = hr_printf(hr, "# HELP webrunnerd_%s %s, by stage.\n"
	    "# TYPE webrunnerd_%s summary\n", name, help, name);
	for (i = 0; i < n && rc == 0; i++)
		rc = hr_printf(hr, "webrunnerd_%s_sum{stage=\"%s\"} %.6f\n"
		    "webrunnerd_%s_count{stage=\"%s\"} %llu\n", name,
		    names[i], (double)sums[i] / unit, name, names[i],
		    (unsigned long long)counts[i]);
	return rc;
}

static const char *
param_type_name(uint32_t t)
{
	switch (t) {
	case PT_UINT8:
		return "uint8";
	case PT_UINT16:
		return "uint16";
	case PT_UINT32:
		return "uint32";
	case PT_UINT64:
		return "uint64";
	case PT_INT8:
		return "int8";
	case PT_INT16:
		return "int16";
	case PT_INT32:
		return "int32";
	case PT_INT64:
		return "int64";
	}
	return "unknown";
}

static const char *
ret_type_name(uint32_t ret, uint32_t retint)
{
	switch (ret) {
	case RET_VOID:
		return "void";
	case RET_F32:
		return "float";
	case RET_F64:
		return "double";
	case RET_INT:
		return param_type_name(retint);
	}
	return "unknown";
}

