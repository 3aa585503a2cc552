# webrunnerd: GNU make builds everything in place.
#
#   make            build ./webrunnerd and its helper executables
#   make run        install missing packages, build, run on 127.0.0.1:8081
#   make test       install missing packages, build, run the regress suite
#   make fuzz       run every libFuzzer target for FUZZTIME seconds each
#   make bench      HTTP benchmark beside bwrap; how exact and steady counts are
#   make install    PREFIX, DESTDIR
#   make SANITIZE=1 build all but the runner with AddressSanitizer and UBSan

PREFIX		?= /usr/local
SBINDIR		?= $(PREFIX)/sbin
LIBEXECDIR	?= $(PREFIX)/libexec/webrunnerd
SHAREDIR	?= $(PREFIX)/share/webrunnerd
SYSCONFDIR	?= $(PREFIX)/etc
MANDIR		?= $(PREFIX)/share/man
# systemd looks in /usr/local/lib/systemd/system and /usr/lib/systemd/system.
SYSTEMDDIR	?= $(PREFIX)/lib/systemd/system
DESTDIR		?=
FUZZTIME	?= 60

CC		?= cc
YACC		 = bison -y -Wno-yacc
PKGS		 = libevent libseccomp jansson libelf libbsd-overlay libcap
CWARN		 = -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
		   -Wshadow -Wpointer-arith -Wcast-qual -Wsign-compare
CFLAGS		?= -O2 -g
CFLAGS		+= -std=gnu11 $(CWARN) -D_GNU_SOURCE -Icommon \
		   -DLIBEXECDIR='"$(LIBEXECDIR)"' -DSHAREDIR='"$(SHAREDIR)"' \
		   -DSYSCONFDIR='"$(SYSCONFDIR)"'
# Full RELRO: every GOT is resolved at startup and then read-only.
LDFLAGS		+= -Wl,-z,relro,-z,now
# The runner is linked statically, without PIE: the template's address
# space then has a dozen mappings instead of sixty and no pages dirtied
# by load-time relocation, so every runner it clones copies, faults in
# and tears down less (about 15% more runs per second on a 2-CPU host).
# Its layout being fixed tells the only code that could use it, a kernel
# already running inside it, nothing new.
RUNNER_LDFLAGS	 = -static -no-pie
# SANITIZE=1 instruments the monitor, the network process, what they
# share and the test programs, not the runner: a kernel's crash is the
# runner's job to report, and the sanitizers' runtime would need system
# calls that the runner's final seccomp filter refuses.  The runner gets
# its own, uninstrumented copies of the common objects.
SAN_FLAGS	 =
RUNNER_COMMON	 = $(COMMON_OBJS)
ifeq ($(SANITIZE),1)
SAN_FLAGS	 = -fsanitize=address,undefined -fno-omit-frame-pointer
RUNNER_COMMON	 = $(patsubst common/%,runner/common-%,$(COMMON_OBJS))
endif
ifeq ($(SECCOMP_DEBUG),1)
CFLAGS		+= -DSECCOMP_DEBUG
endif

# pkg-config runs only once the packages are there (see deps).
pc_cflags	 = $(shell pkg-config --cflags $(1) 2>/dev/null)
pc_libs		 = $(shell pkg-config --libs $(1) 2>/dev/null)
pc_static	 = $(shell pkg-config --static --libs $(1) 2>/dev/null)

# Debian 12 packages the build, the tests and the man pages need.
DEPS		 = build-essential pkg-config bison clang libclang-rt-14-dev \
		   libseccomp-dev libcap-dev libbsd-dev libjansson-dev libelf-dev \
		   libevent-dev libpfm4-dev mandoc curl nasm python3-peachpy \
		   bubblewrap wrk iproute2 procps psmisc slowhttptest

COMMON_OBJS	 = common/log.o common/imsg.o common/util.o common/vocab.o
EVENT_OBJS	 = common/imsgev.o
MONITOR_OBJS	 = monitor/webrunnerd.o monitor/parse.o monitor/proc.o \
		   monitor/netproc.o monitor/template.o monitor/slot.o \
		   monitor/pool.o monitor/store.o monitor/ppipe.o monitor/stepper.o \
		   monitor/counts.o \
		   monitor/kjob.o monitor/pjob.o \
		   monitor/pfiles.o monitor/prun.o \
		   monitor/selftest.o monitor/selftest-objs.o \
		   monitor/info.o monitor/dispatch.o monitor/spec.o monitor/specdir.o \
		   monitor/resolve.o monitor/expr.o monitor/format.o monitor/spawn.o \
		   monitor/cgroup.o monitor/caps.o
DAEMON_OBJS	 = daemon/net.o daemon/http.o daemon/query.o daemon/prun.o \
		   daemon/sandbox.o daemon/metrics.o daemon/conn.o daemon/multipart.o
RUNNER_OBJS	 = runner/runner.o runner/elf.o runner/reloc.o runner/call.o \
		   runner/counters.o runner/events.o runner/soft.o runner/sandbox.o \
		   runner/template.o runner/prog.o runner/progsec.o \
		   runner/lowmap.o

MONITOR_LIBS	 = $(call pc_libs,libevent jansson libseccomp libcap libbsd-overlay)
DAEMON_LIBS	 = $(call pc_libs,libevent jansson libseccomp libcap libbsd-overlay)
RUNNER_LIBS	 = $(call pc_static,libelf libseccomp libcap libbsd-overlay) -lpfm

PROGS		 = webrunnerd webrunnerd-net webrunnerd-runner webrunnerd-stepper
STEPPER_SRCS	 = monitor/stepmain.c monitor/stepcount.c
KERNEL_OBJS	 = $(patsubst %.c,%.o,$(wildcard kernels/*.c)) \
		   $(patsubst %.S,%.o,$(wildcard kernels/*.S)) \
		   $(patsubst %.asm,%.o,$(wildcard kernels/*.asm))

UNIT_SRCS	 = $(wildcard regress/unit/t_*.c)
UNIT_PROGS	 = $(UNIT_SRCS:.c=)
FUZZ_SRCS	 = $(wildcard regress/fuzz/fuzz_*.c)
FUZZ_PROGS	 = $(FUZZ_SRCS:.c=)
ATTACK_OBJS	 = $(patsubst %.S,%.o,$(wildcard regress/kernels/*.S)) \
		   $(patsubst %.c,%.o,$(wildcard regress/kernels/*.c)) \
		   $(patsubst %.asm,%.o,$(wildcard regress/kernels/*.asm)) \
		   $(patsubst %.S,%.o,$(wildcard regress/attacks/*.S))
REGRESS_PROGS	 = regress/rundriver regress/progdriver regress/fakenet regress/floor \
		   regress/tscpeer

.PHONY: all deps run test fuzz bench install uninstall clean lint

all: $(PROGS) $(KERNEL_OBJS)

webrunnerd: $(MONITOR_OBJS) $(COMMON_OBJS) $(EVENT_OBJS)
	$(CC) $(LDFLAGS) $(SAN_FLAGS) -o $@ $^ $(MONITOR_LIBS)

webrunnerd-net: $(DAEMON_OBJS) $(COMMON_OBJS) $(EVENT_OBJS)
	$(CC) $(LDFLAGS) $(SAN_FLAGS) -o $@ $^ $(DAEMON_LIBS)

webrunnerd-runner: $(RUNNER_OBJS) $(RUNNER_COMMON)
	$(CC) $(LDFLAGS) $(RUNNER_LDFLAGS) -o $@ $^ $(RUNNER_LIBS)

common/%.o: common/%.c common/common.h common/proto.h
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(call pc_cflags,libevent libbsd-overlay) \
	    -c -o $@ $<

# Static and uninstrumented, as the runner: small to start, and under a
# seccomp filter that the sanitizers' runtime would not keep to.
webrunnerd-stepper: $(STEPPER_SRCS) monitor/stepcount.h
	$(CC) $(CFLAGS) $(call pc_cflags,libseccomp libcap) $(LDFLAGS) \
	    $(RUNNER_LDFLAGS) -o $@ $(STEPPER_SRCS) \
	    $(call pc_static,libseccomp libcap)

runner/common-%.o: common/%.c common/common.h common/proto.h
	$(CC) $(CFLAGS) $(call pc_cflags,libbsd-overlay) -c -o $@ $<

monitor/parse.c: monitor/parse.y
	$(YACC) -o $@ $<

monitor/parse.o: monitor/parse.c monitor/monitor.h common/common.h common/proto.h
	$(CC) $(CFLAGS) $(SAN_FLAGS) -Wno-sign-compare -Wno-unused-but-set-variable \
	    $(call pc_cflags,libevent jansson libbsd-overlay) -Imonitor -c -o $@ $<

monitor/%.o: monitor/%.c monitor/monitor.h common/common.h common/proto.h
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(call pc_cflags,libevent jansson libbsd-overlay) -c -o $@ $<

# What /<machine-id>/version calls the build.
BUILD		?= $(shell git describe --always --dirty 2>/dev/null || echo unknown)
monitor/info.o: CFLAGS += -DWR_BUILD='"$(BUILD)"'

# The self-test's objects are built into the monitor as C arrays, so
# nothing is read at run time.
# The counting loop is the shipped kernels/loop.S.
monitor/selftest-syscall.o: monitor/selftest-syscall.S
	$(CC) -c -o $@ $<
monitor/selftest-objs.c: kernels/loop.o monitor/selftest-syscall.o
	{ echo '/* Generated by make from kernels/loop.S and'; \
	  echo '   monitor/selftest-syscall.S. */'; \
	  echo '#include <stddef.h>'; \
	  for o in loop syscall; do \
	    f=monitor/selftest-$$o.o; [ $$o = loop ] && f=kernels/loop.o; \
	    echo "extern const unsigned char selftest_$${o}_obj[];"; \
	    echo "extern const size_t selftest_$${o}_len;"; \
	    echo "const unsigned char selftest_$${o}_obj[] = {"; \
	    od -An -v -tx1 $$f | \
	        sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	    echo "};"; \
	    echo "const size_t selftest_$${o}_len ="; \
	    echo "    sizeof(selftest_$${o}_obj);"; \
	  done; } > $@.tmp && mv $@.tmp $@

daemon/%.o: daemon/%.c daemon/daemon.h common/common.h common/proto.h
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(call pc_cflags,libevent jansson libseccomp libcap libbsd-overlay) -c -o $@ $<

runner/%.o: runner/%.c runner/runner.h runner/ld.h common/common.h common/proto.h
	$(CC) $(CFLAGS) $(call pc_cflags,libelf libseccomp libcap libbsd-overlay) -c -o $@ $<

# Example kernels: what a user would compile and POST.
kernels/%.o: kernels/%.c
	$(CC) -O2 -c -fno-asynchronous-unwind-tables -o $@ $<
kernels/%.o: kernels/%.S
	$(CC) -c -o $@ $<
kernels/%.o: kernels/%.asm
	nasm -f elf64 -o $@ $<
regress/kernels/%.o: regress/kernels/%.c
	$(CC) -O2 -c -fno-asynchronous-unwind-tables -o $@ $<
regress/kernels/%.o: regress/kernels/%.S
	$(CC) -c -o $@ $<
regress/kernels/%.o: regress/kernels/%.asm
	nasm -f elf64 -o $@ $<
$(patsubst %.S,%.o,$(wildcard regress/attacks/*.S)): \
    regress/attacks/forge.h regress/attacks/elfwalk.h

# Unit tests link the objects named in the first line of their source
# ("/* objs: common/log.o runner/elf.o */"), and nothing else.
.SECONDEXPANSION:
unit_objs	 = $(shell sed -n '1s,^/\* objs. \(.*\) \*/$$,\1,p' $(1))
regress/unit/t_%: regress/unit/t_%.c regress/unit/test.h \
    $$(call unit_objs,regress/unit/t_$$*.c)
	$(CC) $(CFLAGS) $(SAN_FLAGS) \
	    $(call pc_cflags,libevent jansson libelf libbsd-overlay) \
	    -Imonitor -Irunner -Idaemon -Iregress/unit -o $@ $< \
	    $(filter %.o,$^) $(LDFLAGS) \
	    $(call pc_libs,libevent jansson libelf libseccomp libcap libbsd-overlay) -lpfm -lm

DRIVER_OBJS	 = monitor/spec.o monitor/specdir.o monitor/resolve.o monitor/expr.o \
		   monitor/format.o daemon/query.o \
		   monitor/spawn.o monitor/cgroup.o $(COMMON_OBJS)
regress/fakenet: regress/fakenet.c $(COMMON_OBJS)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(call pc_cflags,libbsd-overlay) -o $@ $< \
	    $(COMMON_OBJS) $(LDFLAGS) $(call pc_libs,libbsd-overlay)

regress/floor: regress/floor.c monitor/cgroup.o monitor/spawn.o \
    runner/sandbox.o $(COMMON_OBJS)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(call pc_cflags,libbsd-overlay) -Imonitor \
	    -Irunner -o $@ $< monitor/cgroup.o monitor/spawn.o runner/sandbox.o \
	    $(COMMON_OBJS) $(LDFLAGS) \
	    $(call pc_libs,libseccomp libcap libbsd-overlay)

TSCPEER_OBJS	 = runner/soft.o runner/counters.o runner/events.o \
		   runner/call.o runner/lowmap.o monitor/stepcount.o \
		   common/vocab.o common/util.o kernels/loop.o
regress/tscpeer: regress/tscpeer.c runner/runner.h $(TSCPEER_OBJS)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(call pc_cflags,libbsd-overlay) -Irunner \
	    -o $@ $< $(TSCPEER_OBJS) $(LDFLAGS) \
	    $(call pc_libs,libbsd-overlay) -lpfm

regress/progdriver: regress/progdriver.c regress/driver.c regress/driver.h \
	    common/proto.h monitor/spawn.o monitor/cgroup.o $(COMMON_OBJS)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(call pc_cflags,libevent jansson libbsd-overlay) \
	    -Imonitor -o $@ $< regress/driver.c monitor/spawn.o monitor/cgroup.o \
	    $(COMMON_OBJS) \
	    $(LDFLAGS) $(call pc_libs,libevent jansson libbsd-overlay)

regress/rundriver: regress/rundriver.c regress/driver.c regress/driver.h \
	    common/proto.h \
	    $(DRIVER_OBJS)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(call pc_cflags,libevent jansson libbsd-overlay) \
	    -Imonitor -o $@ $< regress/driver.c $(DRIVER_OBJS) $(LDFLAGS) \
	    $(call pc_libs,libevent jansson libbsd-overlay)

# libFuzzer targets: always built with clang and the sanitizers.
FUZZ_CFLAGS	 = -g -O1 -std=gnu11 -D_GNU_SOURCE -Icommon -Imonitor -Irunner \
		   -fsanitize=fuzzer,address,undefined \
		   -DLIBEXECDIR='"$(LIBEXECDIR)"' -DSHAREDIR='"$(SHAREDIR)"' \
		   -DSYSCONFDIR='"$(SYSCONFDIR)"'
fuzz_srcs	 = $(shell sed -n '1s,^/\* srcs. \(.*\) \*/$$,\1,p' $(1))
regress/fuzz/fuzz_%: regress/fuzz/fuzz_%.c $(wildcard common/*.c common/*.h runner/*.c monitor/*.c daemon/*.c daemon/*.h)
	clang $(FUZZ_CFLAGS) $(call pc_cflags,libevent jansson libelf libbsd-overlay) -o $@ $< \
	    $(call fuzz_srcs,$<) \
	    $(call pc_libs,libevent jansson libelf libbsd-overlay) -lpfm

deps:
	@missing=""; for p in $(DEPS); do \
	    dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    if [ "$$(id -u)" != 0 ]; then \
	        echo "missing packages:$$missing; run as root" >&2; exit 1; fi; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	        apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@getent passwd _webrunner >/dev/null || \
	    useradd --system --no-create-home --home-dir /var/empty \
	        --shell /usr/sbin/nologin _webrunner
	@mkdir -p /var/empty

run: deps
	$(MAKE) all
	./webrunnerd -d -f monitor/webrunnerd.conf

test: deps
	$(MAKE) all
	$(MAKE) $(UNIT_PROGS) $(FUZZ_PROGS) $(ATTACK_OBJS) $(REGRESS_PROGS)
	sh regress/run.sh

fuzz: deps
	$(MAKE) $(FUZZ_PROGS)
	sh regress/fuzz/run.sh $(FUZZTIME)

bench: deps
	$(MAKE) all regress/floor regress/tscpeer
	sh regress/bench.sh
	sh regress/bench-counts.sh
	sh regress/bench-prun.sh

lint:
	mandoc -Tlint -W warning man/*.[1-9]

# The unit, the sample configuration and the man pages name the installed
# paths, so they are written with this PREFIX's directories in place of
# /usr/local's.
INSTALL_PATHS	 = sed -e 's,/usr/local/sbin,$(SBINDIR),g' \
		       -e 's,/usr/local/etc,$(SYSCONFDIR),g' \
		       -e 's,/usr/local/libexec/webrunnerd,$(LIBEXECDIR),g' \
		       -e 's,/usr/local/share/webrunnerd,$(SHAREDIR),g' \
		       -e 's,/usr/local/lib/systemd/system,$(SYSTEMDDIR),g' \
		       -e 's|^\.Pa /usr/local ,$$|.Pa $(PREFIX) ,|'
KERNEL_FILES	 = $(wildcard kernels/*.json kernels/*.c kernels/*.S \
		       kernels/*.asm kernels/*.py) $(KERNEL_OBJS)
MAN5		 = $(wildcard man/*.5)
MAN7		 = $(wildcard man/*.7)
MAN8		 = $(wildcard man/*.8)

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBEXECDIR) \
	    $(DESTDIR)$(SHAREDIR)/kernels $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(SYSCONFDIR) $(DESTDIR)$(SYSTEMDDIR)
	install -m 755 webrunnerd $(DESTDIR)$(SBINDIR)/
	install -m 755 webrunnerd-net webrunnerd-runner webrunnerd-stepper \
	    $(DESTDIR)$(LIBEXECDIR)/
	install -m 644 $(KERNEL_FILES) $(DESTDIR)$(SHAREDIR)/kernels/
	for f in $(MAN5) $(MAN7) $(MAN8); do \
	    t=$(DESTDIR)$(MANDIR)/man$${f##*.}/$${f##*/}; \
	    $(INSTALL_PATHS) $$f > $$t && chmod 644 $$t || exit 1; \
	done
	$(INSTALL_PATHS) -e 's,^kernels "kernels"$$,kernels "$(SHAREDIR)/kernels",' \
	    -e 's,^# Kernel specs.*,# Kernel specs.,' monitor/webrunnerd.conf \
	    > $(DESTDIR)$(SHAREDIR)/webrunnerd.conf.sample
	chmod 644 $(DESTDIR)$(SHAREDIR)/webrunnerd.conf.sample
	$(INSTALL_PATHS) monitor/webrunnerd.service \
	    > $(DESTDIR)$(SYSTEMDDIR)/webrunnerd.service
	chmod 644 $(DESTDIR)$(SYSTEMDDIR)/webrunnerd.service

# Only what install wrote goes: the configuration in SYSCONFDIR and any
# kernel spec an operator added stay, and so do their directories.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/webrunnerd \
	    $(DESTDIR)$(LIBEXECDIR)/webrunnerd-net \
	    $(DESTDIR)$(LIBEXECDIR)/webrunnerd-runner \
	    $(DESTDIR)$(LIBEXECDIR)/webrunnerd-stepper \
	    $(addprefix $(DESTDIR)$(SHAREDIR)/kernels/,$(notdir $(KERNEL_FILES))) \
	    $(DESTDIR)$(SHAREDIR)/webrunnerd.conf.sample
	rmdir $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(SHAREDIR)/kernels \
	    $(DESTDIR)$(SHAREDIR) 2>/dev/null || true
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5))) \
	    $(addprefix $(DESTDIR)$(MANDIR)/man7/,$(notdir $(MAN7))) \
	    $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MAN8))) \
	    $(DESTDIR)$(SYSTEMDDIR)/webrunnerd.service

clean:
	rm -f $(PROGS) */*.o kernels/*.o regress/kernels/*.o \
	    regress/attacks/*.o monitor/parse.c monitor/selftest-objs.c \
	    $(UNIT_PROGS) $(FUZZ_PROGS) $(REGRESS_PROGS)
