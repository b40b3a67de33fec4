// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - an exe= exemption cannot be borrowed
 *
 * Under "deny create user restricted" and "allow create user exe=VICTIM",
 * the program nshard_exempt_victim (built beside this test, see victim.c)
 * may create user namespaces for the test user; nothing else the test user
 * runs may, and nothing the test user does may make the victim work for it:
 * code loaded into it (LD_PRELOAD, LD_AUDIT, LD_LIBRARY_PATH), control of it
 * (ptrace, /proc/PID/mem, process_vm_writev, pidfd_getfd), running it
 * traced, under a seccomp filter or sharing its fs_struct, its
 * children, an exe file made to look like it (PR_SET_MM), entering the
 * namespaces it made, or a copy of it started before the policy.
 *
 * Each test has an assertion marked "OLD:" that fails on a kernel that
 * matches exe= against the mm's exe file (/proc/PID/exe) alone, as nshard
 * did before exemptions were bound to an execution; the mark says what that
 * kernel answers.
 *
 * The tests load policies: as the unprivileged user they are skipped.
 *
 * Copyright (C) 2026 The nshard authors
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/auxv.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "../kselftest_harness.h"
#include "common.h"

#ifndef __NR_pidfd_open
#define __NR_pidfd_open		434
#endif
#ifndef __NR_pidfd_getfd
#define __NR_pidfd_getfd	438
#endif

#define VICTIM		"nshard_exempt_victim"
#define EVIL_LIB	"libnshard_evil.so"
#define BUSYBOX		"/bin/busybox"

/* Where the victim reports it is ready; see victim.c. */
#define READY_FD	3

/* The policies of these tests; %1$s is the exempt program. */
#define EXEMPT_USERNS	"deny create user restricted\n" \
			"allow create user exe=%1$s\n"
#define INHERIT_USERNS	"deny create user restricted\n" \
			"allow create user exe=%1$s inherit\n"
#define EXEMPT_NETNS	"deny create net restricted\n" \
			"allow create net exe=%1$s\n"

static char *test_env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };

/* Characters an exe path may hold unquoted (see nshard_path_char_plain). */
static bool path_char_plain(unsigned char c)
{
	return isalnum(c) || strchr("/._+-@,:=~%", c) || c >= 0x80;
}

/* Load @fmt, where %1$s stands for @exe, quoted if need be: 0 or -errno. */
static int load(const char *fmt, const char *exe)
{
	char word[4 * PATH_MAX + 3], *text;
	const unsigned char *p;
	bool plain = true;
	size_t n = 0;
	int err;

	for (p = (const unsigned char *)exe; *p; p++)
		plain = plain && path_char_plain(*p);
	if (!plain)
		word[n++] = '"';
	for (p = (const unsigned char *)exe; *p && n + 6 < sizeof(word); p++) {
		if (plain || (*p >= 0x20 && *p != 0x7f && *p != '"' &&
			      *p != '\\'))
			word[n++] = *p;
		else if (*p == '"' || *p == '\\')
			n += sprintf(word + n, "\\%c", *p);
		else
			n += sprintf(word + n, "\\x%02x", *p);
	}
	if (!plain)
		word[n++] = '"';
	word[n] = '\0';
	if (asprintf(&text, fmt, word) < 0)
		return -ENOMEM;
	err = write_policy(text);
	free(text);
	return err;
}

/* Copy @from to @to, a new file with mode 0755 (another inode). */
static int copy_file(const char *from, const char *to)
{
	char *data;
	size_t len;
	int fd, ok;

	data = read_file(from, &len);
	if (!data)
		return -1;
	fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	ok = fd >= 0 && write(fd, data, len) == (ssize_t)len &&
	     !fchmod(fd, 0755);
	if (fd >= 0)
		close(fd);
	free(data);
	return ok ? 0 : -1;
}

/*
 * Become @who.  Root without CAP_SYS_ADMIN loses it from the bounding set
 * too, or execve(2) would give it back.
 */
static int become(enum creator who)
{
	switch (who) {
	case AS_TEST_USER:
		return drop_to_test_user();
	case AS_ROOT_WITHOUT_SYS_ADMIN:
		if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0))
			return -1;
		return drop_cap(CAP_SYS_ADMIN);
	default:
		return 0;
	}
}

/* A seccomp filter that allows everything: having one is what counts. */
static int allow_all_filter(void)
{
	struct sock_filter insn = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = 1, .filter = &insn };

	return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

/* Let @pid run to its end under our ptrace; returns its exit status. */
static int trace_to_end(pid_t pid)
{
	int status, sig;

	for (;;) {
		if (waitpid(pid, &status, 0) != pid)
			return CHILD_SETUP_FAILED;
		if (WIFEXITED(status))
			return WEXITSTATUS(status);
		if (!WIFSTOPPED(status))
			return CHILD_SETUP_FAILED;
		sig = WSTOPSIG(status) == SIGTRAP ? 0 : WSTOPSIG(status);
		if (ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig))
			return CHILD_SETUP_FAILED;
	}
}

/* How the program is executed. */
enum how {
	AS_IS,
	WITH_NNP,		/* under PR_SET_NO_NEW_PRIVS */
	WITH_NNP_SECCOMP,	/* and a seccomp filter */
	WITH_SECCOMP,		/* a filter root installed, no no_new_privs */
	WITH_CLONE_FS,		/* by a child sharing our fs_struct */
	TRACED,			/* by a child we trace (PTRACE_TRACEME) */
	/*
	 * the same, root the parent: PTRACE_TRACEME records the tracee's
	 * own credentials as the tracer's, as for set-user-ID programs
	 */
	TRACED_BY_ROOT,
	ATTACHED_BY_ROOT,	/* by a child root attaches to (PTRACE_SEIZE) */
	UNDER_OWN_PARENT,	/* by a child, so that its parent is @who */
	IN_OWN_USERNS,		/* in a new user namespace, mapped to root */
};

struct exec_args {
	char *const *argv;
	char *const *envp;
};

static int exec_fn(void *arg)
{
	const struct exec_args *a = arg;

	execve(a->argv[0], a->argv, a->envp);
	return CHILD_SETUP_FAILED;
}

/* In a child: become @who, execute @argv as @how; returns on failure. */
static int exec_as(enum creator who, enum how how, char *const envp[],
		   char *const argv[])
{
	static char stack[64 * 1024];
	struct exec_args a = { argv, envp };
	pid_t pid;

	/* Root may install a filter without no_new_privs. */
	if (how == WITH_SECCOMP && allow_all_filter())
		return CHILD_SETUP_FAILED;
	if (how != TRACED_BY_ROOT && how != ATTACHED_BY_ROOT && become(who))
		return CHILD_SETUP_FAILED;
	switch (how) {
	case WITH_NNP:
	case WITH_NNP_SECCOMP:
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    (how == WITH_NNP_SECCOMP && allow_all_filter()))
			return CHILD_SETUP_FAILED;
		break;
	case WITH_SECCOMP:
		if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0))
			return CHILD_SETUP_FAILED;
		break;
	case IN_OWN_USERNS:
		if (enter_userns_as_root())
			return CHILD_SETUP_FAILED;
		break;
	case WITH_CLONE_FS:
		pid = clone(exec_fn,
			    (void *)(((unsigned long)stack + sizeof(stack)) &
				     ~15UL),
			    CLONE_FS | SIGCHLD, &a);
		return pid < 0 ? CHILD_SETUP_FAILED : wait_child(pid);
	case TRACED:
	case TRACED_BY_ROOT:
	case UNDER_OWN_PARENT:
		pid = fork();
		if (pid == 0) {
			if (how == TRACED_BY_ROOT && become(who))
				_exit(CHILD_SETUP_FAILED);
			if (how != UNDER_OWN_PARENT &&
			    ptrace(PTRACE_TRACEME, 0, NULL, NULL))
				_exit(CHILD_SETUP_FAILED);
			_exit(exec_fn(&a));
		}
		if (pid < 0)
			return CHILD_SETUP_FAILED;
		return how == UNDER_OWN_PARENT ? wait_child(pid) :
						 trace_to_end(pid);
	case ATTACHED_BY_ROOT:
		pid = fork();
		if (pid == 0) {
			if (become(who) || raise(SIGSTOP))
				_exit(CHILD_SETUP_FAILED);
			_exit(exec_fn(&a));
		}
		if (pid < 0 || waitpid(pid, NULL, WSTOPPED) != pid ||
		    ptrace(PTRACE_SEIZE, pid, NULL, NULL) ||
		    kill(pid, SIGCONT))
			return CHILD_SETUP_FAILED;
		return trace_to_end(pid);
	default:
		break;
	}
	return exec_fn(&a);
}

/* Run @argv as @who, @how; returns its exit status. */
static int run_as(enum creator who, enum how how, char *const envp[],
		  char *const argv[])
{
	pid_t pid = fork();

	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0)
		_exit(exec_as(who, how, envp, argv));
	return wait_child(pid);
}

/* Duplicate @fd to @to, without close-on-exec, whatever numbers they are. */
static int place_fd(int fd, int to)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);

	return high < 0 ? -1 : dup2(high, to);
}

/*
 * Start @argv (a "wait" or "hold" command of the victim) as @who and wait
 * until it reports ready.  Returns its pid, and in @go the end of the pipe
 * it waits on; -1 if it exited first.  Dying, we let it go.
 */
static pid_t start(enum creator who, char *const argv[], int *go)
{
	int ready[2], in[2];
	pid_t pid;
	char c;

	if (pipe2(ready, O_CLOEXEC))
		return -1;
	if (pipe2(in, O_CLOEXEC)) {
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		int r = fcntl(ready[1], F_DUPFD_CLOEXEC, 10);

		if (r < 0 || place_fd(in[0], STDIN_FILENO) < 0 ||
		    place_fd(r, READY_FD) < 0 || become(who))
			_exit(CHILD_SETUP_FAILED);
		execve(argv[0], argv, test_env);
		_exit(CHILD_SETUP_FAILED);
	}
	close(ready[1]);
	close(in[0]);
	if (pid < 0 || read(ready[0], &c, 1) != 1) {
		close(in[1]);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(ready[0]);
	*go = in[1];
	return pid;
}

/* Let a started victim go on; returns its exit status. */
static int finish(pid_t pid, int go)
{
	int ok = write(go, "g", 1) == 1;

	close(go);
	return ok ? wait_child(pid) : CHILD_SETUP_FAILED;
}

/*
 * Run @argv as the test user, its standard output read into @out (at most
 * @size bytes, *@len of them).  Returns its exit status.
 */
static int run_capture(char *const argv[], void *out, size_t size,
		       size_t *len)
{
	char rest[256];
	int fds[2];
	ssize_t n;
	pid_t pid;

	*len = 0;
	if (pipe2(fds, O_CLOEXEC))
		return CHILD_SETUP_FAILED;
	pid = fork();
	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0) {
		if (place_fd(fds[1], STDOUT_FILENO) < 0 || drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		execve(argv[0], argv, test_env);
		_exit(CHILD_SETUP_FAILED);
	}
	close(fds[1]);
	while (*len < size &&
	       (n = read(fds[0], (char *)out + *len, size - *len)) > 0)
		*len += n;
	while (read(fds[0], rest, sizeof(rest)) > 0)
		;
	close(fds[0]);
	return wait_child(pid);
}

struct files {
	char dir[PATH_MAX];		/* this test's, and the helpers' */
	char victim[PATH_MAX + 32];	/* the program the exe= rules name */
	char tmp[64];			/* our own directory under /tmp */
	char copy[PATH_MAX];		/* the victim's bytes, another inode */
	char report[PATH_MAX];		/* where the evil code reports */
};

FIXTURE(exempt) {
	int saved_mode;
	char *saved_policy;
	struct files f;
};

FIXTURE_SETUP(exempt)
{
	char *slash;
	ssize_t len;
	int fd, err;

	ASSERT_TRUE(nshard_active());
	if (getuid() != 0 || !privileged())
		SKIP(return, "needs root to load policies naming " VICTIM);
	len = readlink("/proc/self/exe", self->f.dir,
		       sizeof(self->f.dir) - 1);
	ASSERT_LT(0, len);
	self->f.dir[len] = '\0';
	slash = strrchr(self->f.dir, '/');
	ASSERT_NE(NULL, slash);
	*slash = '\0';
	snprintf(self->f.victim, sizeof(self->f.victim), "%s/" VICTIM,
		 self->f.dir);
	ASSERT_EQ(0, access(self->f.victim, X_OK)) {
		TH_LOG("%s is built and installed with this test",
		       self->f.victim);
	}

	snprintf(self->f.tmp, sizeof(self->f.tmp),
		 "/tmp/nshard-exempt-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->f.tmp));
	ASSERT_EQ(0, chmod(self->f.tmp, 0755));
	snprintf(self->f.copy, sizeof(self->f.copy), "%s/victim-copy",
		 self->f.tmp);
	ASSERT_EQ(0, copy_file(self->f.victim, self->f.copy));
	/* The test user appends to it. */
	snprintf(self->f.report, sizeof(self->f.report), "%s/report",
		 self->f.tmp);
	fd = open(self->f.report, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		  0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fchown(fd, NSHARD_TEST_UID, NSHARD_TEST_GID));
	close(fd);

	self->saved_mode = read_mode();
	ASSERT_LE(0, self->saved_mode);
	self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, self->saved_policy);
	/* No teardown after a failed setup: undo it here. */
	err = write_mode(MODE_ENFORCE) ?: load(EXEMPT_USERNS, self->f.victim);
	if (err) {
		write_mode(self->saved_mode);
		write_policy(self->saved_policy);
	}
	ASSERT_EQ(0, err);
}

FIXTURE_TEARDOWN(exempt)
{
	if (!self->saved_policy)
		return;
	EXPECT_EQ(0, write_mode(self->saved_mode));
	EXPECT_EQ(0, write_policy(self->saved_policy));
	free(self->saved_policy);
	unlink(self->f.copy);
	unlink(self->f.report);
	rmdir(self->f.tmp);
}

/*
 * The exemption works for the victim, and only for it: not for the same
 * bytes at another inode, nor for the test user.  The victim runs as a
 * set-user-ID program would, with AT_SECURE.
 */
TEST_F(exempt, baseline)
{
	char *const victim_userns[] = { self->f.victim, "userns", NULL };
	char *const victim_secure[] = { self->f.victim, "secure", NULL };
	char *const copy_userns[] = { self->f.copy, "userns", NULL };
	char *const copy_secure[] = { self->f.copy, "secure", NULL };

	EXPECT_EQ(0, run_as(AS_TEST_USER, AS_IS, test_env, victim_userns));
	/* OLD: 0 */
	EXPECT_EQ(1, run_as(AS_TEST_USER, AS_IS, test_env, victim_secure));
	EXPECT_EQ(EPERM, run_as(AS_TEST_USER, AS_IS, test_env, copy_userns));
	EXPECT_EQ(0, run_as(AS_TEST_USER, AS_IS, test_env, copy_secure));
	EXPECT_EQ(EPERM, try_create(BY_UNSHARE, CLONE_NEWUSER, AS_TEST_USER));
}

/*
 * Lines in the evil code's report; in *@refused, how many say that its
 * unshare(CLONE_NEWUSER) failed with EPERM.  -1 if unreadable.
 */
static int report_lines(const char *path, int *refused)
{
	char *text = read_file(path, NULL), *line, *save, eperm[16];
	int n = 0;

	*refused = 0;
	if (!text)
		return -1;
	snprintf(eperm, sizeof(eperm), "evil %d", EPERM);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		n++;
		*refused += !strcmp(line, eperm);
	}
	free(text);
	return n;
}

/* Run @prog @cmd as the test user with @var=@value, the report emptied. */
static int run_with(const struct files *f, const char *prog,
		    const char *cmd, const char *var, const char *value)
{
	char report[PATH_MAX + 32], setting[PATH_MAX + 32];
	char *const envp[] = { test_env[0], report, setting, NULL };
	char *const argv[] = { (char *)prog, (char *)cmd, NULL };

	snprintf(report, sizeof(report), "NSHARD_EVIL_REPORT=%s", f->report);
	snprintf(setting, sizeof(setting), "%s=%s", var, value);
	if (truncate(f->report, 0))
		return CHILD_SETUP_FAILED;
	return run_as(AS_TEST_USER, AS_IS, envp, argv);
}

/*
 * Code the test user has the loader put into a program: in the non-exempt
 * copy it runs and is refused (the control: the attack is live); in the
 * victim it must not get a user namespace.  With AT_SECURE, ld.so ignores
 * @var and the code does not run at all.  @copy_status and @victim_status:
 * what @cmd exits with in each; @copy_lines: how often the evil code runs
 * in the copy (an audit module: its constructor and la_version()).
 */
static void loader_attack(struct __test_metadata *_metadata,
			  const struct files *f, const char *var,
			  const char *value, const char *cmd, int copy_lines,
			  int copy_status, int victim_status)
{
	int lines, refused;

	EXPECT_EQ(copy_status, run_with(f, f->copy, cmd, var, value));
	lines = report_lines(f->report, &refused);
	EXPECT_EQ(copy_lines, lines) {
		TH_LOG("%s=%s: the evil code ran %d times in the copy", var,
		       value, lines);
	}
	EXPECT_EQ(lines, refused);

	/* OLD: the victim's status differs, the report says "evil 0". */
	EXPECT_EQ(victim_status, run_with(f, f->victim, cmd, var, value));
	lines = report_lines(f->report, &refused);
	EXPECT_EQ(lines, refused) {
		TH_LOG("%s: the evil code got a user namespace", var);
	}
	EXPECT_EQ(0, lines) {
		TH_LOG("%s: not ignored, as AT_SECURE should have it", var);
	}
}

TEST_F(exempt, ld_preload)
{
	char lib[PATH_MAX + 32];

	snprintf(lib, sizeof(lib), "%s/" EVIL_LIB, self->f.dir);
	ASSERT_EQ(0, access(lib, R_OK));
	/*
	 * OLD: the victim exits with EPERM, its own unshare refused because
	 * the evil code already put it in an (unmapped) user namespace.
	 */
	loader_attack(_metadata, &self->f, "LD_PRELOAD", lib, "userns", 1,
		      EPERM, 0);
}

TEST_F(exempt, ld_audit)
{
	char lib[PATH_MAX + 32];

	snprintf(lib, sizeof(lib), "%s/" EVIL_LIB, self->f.dir);
	ASSERT_EQ(0, access(lib, R_OK));
	loader_attack(_metadata, &self->f, "LD_AUDIT", lib, "userns", 2,
		      EPERM, 0);
}

/* The victim dlopen()s libnshard_plugin.so: ENOENT, LD_LIBRARY_PATH unused. */
TEST_F(exempt, ld_library_path)
{
	char lib[PATH_MAX + 32];

	snprintf(lib, sizeof(lib), "%s/libnshard_plugin.so", self->f.dir);
	ASSERT_EQ(0, access(lib, R_OK));
	/* OLD: the victim loads it, exits 0. */
	loader_attack(_metadata, &self->f, "LD_LIBRARY_PATH", self->f.dir,
		      "plugin", 1, 0, ENOENT);
}

/* What the test user's attempts on its exempt child returned. */
struct attempts {
	pid_t victim;
	int attach;
	int seize;
	int mem_rw;
	int mem_ro;
	int vm_write;
	int vm_read;
	int getfd;
};

/* A request that should have been refused made us the tracer: let go. */
static int let_go(pid_t pid, bool seized)
{
	int status;

	if (seized)
		ptrace(PTRACE_INTERRUPT, pid, NULL, NULL);
	waitpid(pid, &status, __WALL);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return 0;
}

static int open_errno(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/*
 * As the test user: start the victim as our own child (Yama lets a parent
 * trace), try to take control of it, send the results to @out; when @turn
 * says so, let the victim try its unshare, and return its status.
 */
static int attack(char *const argv[], int out, int turn)
{
	char byte = 0, path[64];
	struct iovec local = { .iov_base = &byte, .iov_len = 1 };
	/* Below any mapping: the access check comes first. */
	struct iovec remote = { .iov_base = (void *)0x10000, .iov_len = 1 };
	struct attempts a = { 0 };
	int go, pidfd, fd;

	a.victim = start(AS_SELF, argv, &go);
	if (a.victim < 0)
		return CHILD_SETUP_FAILED;
	a.attach = ptrace(PTRACE_ATTACH, a.victim, NULL, NULL) ? errno :
		   let_go(a.victim, false);
	a.seize = ptrace(PTRACE_SEIZE, a.victim, NULL, NULL) ? errno :
		  let_go(a.victim, true);
	snprintf(path, sizeof(path), "/proc/%d/mem", a.victim);
	a.mem_rw = open_errno(path, O_RDWR);
	a.mem_ro = open_errno(path, O_RDONLY);
	a.vm_write = process_vm_writev(a.victim, &local, 1, &remote, 1, 0) < 0 ?
		     errno : 0;
	a.vm_read = process_vm_readv(a.victim, &local, 1, &remote, 1, 0) < 0 ?
		    errno : 0;
	pidfd = syscall(__NR_pidfd_open, a.victim, 0);
	if (pidfd < 0)
		return CHILD_SETUP_FAILED;
	fd = syscall(__NR_pidfd_getfd, pidfd, STDIN_FILENO, 0);
	a.getfd = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	close(pidfd);
	if (write(out, &a, sizeof(a)) != sizeof(a) || read(turn, &byte, 1) != 1)
		return CHILD_SETUP_FAILED;
	return finish(a.victim, go);
}

TEST_F(exempt, ptrace_and_memory_access)
{
	char *const argv[] = { self->f.victim, "wait", "userns", NULL };
	int results[2], turn[2], status;
	struct attempts a;
	pid_t attacker;
	bool attached;

	ASSERT_EQ(0, pipe2(results, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(turn, O_CLOEXEC));
	attacker = fork();
	ASSERT_LE(0, attacker);
	if (attacker == 0) {
		if (drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		_exit(attack(argv, results[1], turn[0]));
	}
	close(results[1]);
	close(turn[0]);
	ASSERT_EQ(sizeof(a), read(results[0], &a, sizeof(a))) {
		TH_LOG("the attacker failed: %d", wait_child(attacker));
	}
	/* OLD: 0 for each: the test user controls its own child. */
	EXPECT_EQ(EPERM, a.attach);
	EXPECT_EQ(EPERM, a.seize);
	/* mm_access() makes any refusal EACCES... */
	EXPECT_EQ(EACCES, a.mem_rw);
	EXPECT_EQ(EACCES, a.mem_ro);
	/* ...which process_vm_rw_core() makes EPERM. */
	EXPECT_EQ(EPERM, a.vm_write);
	EXPECT_EQ(EPERM, a.vm_read);
	EXPECT_EQ(EPERM, a.getfd);

	/* Privileged, CAP_SYS_PTRACE in the initial user namespace: may. */
	attached = !ptrace(PTRACE_ATTACH, a.victim, NULL, NULL);
	EXPECT_TRUE(attached) {
		TH_LOG("root cannot attach: %s", strerror(errno));
	}
	if (attached) {
		EXPECT_EQ(a.victim, waitpid(a.victim, &status, __WALL));
		EXPECT_TRUE(WIFSTOPPED(status));
		EXPECT_EQ(0, ptrace(PTRACE_DETACH, a.victim, NULL, NULL));
	}
	/* The victim, still exempt, tries its unshare. */
	ASSERT_EQ(1, write(turn[1], "g", 1));
	EXPECT_EQ(0, wait_child(attacker));
	close(results[0]);
	close(turn[1]);
}

/* Executed traced, by a tracer without CAP_SYS_PTRACE: withheld. */
TEST_F(exempt, traced_exec)
{
	char *const userns[] = { self->f.victim, "userns", NULL };
	char *const traceme[] = { self->f.victim, "traceme", NULL };

	/* OLD: 0 */
	EXPECT_EQ(EPERM, run_as(AS_TEST_USER, TRACED, test_env, userns));
	/*
	 * PTRACE_TRACEME under a root parent: the tracer's credentials are
	 * recorded as the tracee's own, unprivileged ones; withheld, as the
	 * kernel ignores set-user-ID bits there.  OLD: 0
	 */
	EXPECT_EQ(EPERM, run_as(AS_TEST_USER, TRACED_BY_ROOT, test_env,
				userns));
	/* Root attaching: a privileged tracer; the exemption stays. */
	EXPECT_EQ(0, run_as(AS_TEST_USER, ATTACHED_BY_ROOT, test_env, userns));
	/* The control: the same parent, not tracing. */
	EXPECT_EQ(0, run_as(AS_TEST_USER, UNDER_OWN_PARENT, test_env, userns));
	/* Exempt, it may not offer itself to that parent either. */
	EXPECT_EQ(EPERM, run_as(AS_TEST_USER, UNDER_OWN_PARENT, test_env,
				traceme)); /* OLD: 0 */
}

/*
 * no_new_privs alone lets nobody into the program, and Chromium executes
 * its zygote with it: the exemption stays.  (Not a regression test for the
 * old kernel, which also answered 0: it keeps the withholding rules from
 * growing to a case that would break Chromium.)
 */
TEST_F(exempt, no_new_privs)
{
	char *const userns[] = { self->f.victim, "userns", NULL };

	EXPECT_EQ(0, run_as(AS_TEST_USER, WITH_NNP, test_env, userns));
}

/*
 * A seccomp filter could answer the loader's system calls (user
 * notification): the exemption is withheld.  Unprivileged, a filter needs
 * no_new_privs; root can install one without it, then drop to the test
 * user: the filter alone withholds it too.
 */
TEST_F(exempt, seccomp)
{
	char *const userns[] = { self->f.victim, "userns", NULL };

	EXPECT_EQ(EPERM, run_as(AS_TEST_USER, WITH_NNP_SECCOMP, test_env,
				userns)); /* OLD: 0 */
	EXPECT_EQ(EPERM, run_as(AS_TEST_USER, WITH_SECCOMP, test_env,
				userns)); /* OLD: 0 */
}

/* Executed by a task sharing its fs_struct (CLONE_FS) with another. */
TEST_F(exempt, shared_fs)
{
	char *const userns[] = { self->f.victim, "userns", NULL };

	EXPECT_EQ(EPERM, run_as(AS_TEST_USER, WITH_CLONE_FS, test_env,
				userns)); /* OLD: 0 */
}

/* Without "inherit": threads keep it, children and new programs do not. */
TEST_F(exempt, children)
{
	char *const fork_userns[] = { self->f.victim, "fork", "userns", NULL };
	char *const thread_userns[] = { self->f.victim, "thread",
					"clone-userns", NULL };
	char *const exec_copy[] = { self->f.victim, "exec", self->f.copy,
				    "userns", NULL };
	char *const exec_victim[] = { self->f.victim, "exec", self->f.victim,
				      "userns", NULL };

	/* OLD: 0 */
	EXPECT_EQ(EPERM, run_as(AS_TEST_USER, AS_IS, test_env, fork_userns));
	/* unshare(CLONE_NEWUSER) is EINVAL when threaded: clone it. */
	EXPECT_EQ(0, run_as(AS_TEST_USER, AS_IS, test_env, thread_userns));
	EXPECT_EQ(EPERM, run_as(AS_TEST_USER, AS_IS, test_env, exec_copy));
	/* Executing a named program again: exempt again. */
	EXPECT_EQ(0, run_as(AS_TEST_USER, AS_IS, test_env, exec_victim));
}

/* With "inherit": children keep it, until they execute something else. */
TEST_F(exempt, children_with_inherit)
{
	char *const fork_userns[] = { self->f.victim, "fork", "userns", NULL };
	char *const grandchild[] = { self->f.victim, "fork", "fork", "userns",
				     NULL };
	char *const fork_exec[] = { self->f.victim, "fork", "exec",
				    self->f.copy, "userns", NULL };

	/* Every rule naming the program says "inherit", or none does. */
	EXPECT_EQ(-EINVAL, load(INHERIT_USERNS "allow create net exe=%1$s\n",
				self->f.victim));
	ASSERT_EQ(0, load(INHERIT_USERNS, self->f.victim)); /* OLD: -EINVAL */
	EXPECT_EQ(0, run_as(AS_TEST_USER, AS_IS, test_env, fork_userns));
	EXPECT_EQ(0, run_as(AS_TEST_USER, AS_IS, test_env, grandchild));
	EXPECT_EQ(EPERM, run_as(AS_TEST_USER, AS_IS, test_env, fork_exec));
}

/*
 * Making the victim's file the mm's exe file (PR_SET_MM_EXE_FILE) borrows
 * nothing; the victim doing it to itself loses the exemption.  That prctl
 * needs CAP_SYS_RESOURCE in the initial user namespace: root without
 * CAP_SYS_ADMIN, whom nshard does not count as privileged, has it.
 */
TEST_F(exempt, set_mm_exe_file)
{
	char *const victim_userns[] = { self->f.victim, "userns", NULL };
	char *const copy_userns[] = { self->f.copy, "userns", NULL };
	char *const borrow[] = { self->f.copy, "setmm", "exe", self->f.victim,
				 "userns", NULL };
	char *const lend[] = { self->f.victim, "setmm", "exe", self->f.copy,
			       "userns", NULL };

	EXPECT_EQ(0, run_as(AS_ROOT_WITHOUT_SYS_ADMIN, AS_IS, test_env,
			    victim_userns));
	EXPECT_EQ(EPERM, run_as(AS_ROOT_WITHOUT_SYS_ADMIN, AS_IS, test_env,
				copy_userns));
	EXPECT_EQ(EPERM, run_as(AS_ROOT_WITHOUT_SYS_ADMIN, AS_IS, test_env,
				borrow)); /* OLD: 0 */
	EXPECT_EQ(EPERM, run_as(AS_ROOT_WITHOUT_SYS_ADMIN, AS_IS, test_env,
				lend));
}

/*
 * The same with PR_SET_MM_MAP and its exe_fd, which needs only
 * CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE in the task's user namespace:
 * the test user, root in a user namespace of its own, under a policy that
 * exempts the victim from "deny create net restricted".
 */
TEST_F(exempt, set_mm_map_in_own_userns)
{
	char *const victim_netns[] = { self->f.victim, "netns", NULL };
	char *const copy_netns[] = { self->f.copy, "netns", NULL };
	char *const borrow[] = { self->f.copy, "setmm", "map", self->f.victim,
				 "netns", NULL };
	char *const lend[] = { self->f.victim, "setmm", "map", self->f.copy,
			       "netns", NULL };
	unsigned int size;

	if (prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, &size, 0, 0))
		SKIP(return, "PR_SET_MM_MAP needs CONFIG_CHECKPOINT_RESTORE");
	ASSERT_EQ(0, load(EXEMPT_NETNS, self->f.victim));
	EXPECT_EQ(0, run_as(AS_TEST_USER, IN_OWN_USERNS, test_env,
			    victim_netns));
	EXPECT_EQ(EPERM, run_as(AS_TEST_USER, IN_OWN_USERNS, test_env,
				copy_netns));
	EXPECT_EQ(EPERM, run_as(AS_TEST_USER, IN_OWN_USERNS, test_env,
				borrow)); /* OLD: 0 */
	EXPECT_EQ(EPERM, run_as(AS_TEST_USER, IN_OWN_USERNS, test_env, lend));
}

/*
 * The victim holds a user namespace it created: entering it from outside
 * is judged as creating it.  The test user may not; root and the victim
 * may.  The kernel judges a setns(2) into a namespace of restricted origin
 * as "create <type>" when the task lacks CAP_SYS_ADMIN in the initial user
 * namespace and no "setns <type>" statement applies: root is privileged,
 * and the victim's exe= rule allows creating; the test user and the copy
 * meet "deny create user restricted".
 */
TEST_F(exempt, setns_from_outside)
{
	char *const hold[] = { self->f.victim, "hold", NULL };
	char nsfile[64];
	char *const victim_enter[] = { self->f.victim, "enter", nsfile, NULL };
	char *const copy_enter[] = { self->f.copy, "enter", nsfile, NULL };
	pid_t holder;
	int go, fd;

	holder = start(AS_TEST_USER, hold, &go);
	ASSERT_LT(0, holder) {
		TH_LOG("the victim could not create and map a user namespace");
	}
	snprintf(nsfile, sizeof(nsfile), "/proc/%d/ns/user", holder);
	fd = open_ns(holder, CLONE_NEWUSER);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EPERM, try_setns(fd, CLONE_NEWUSER, true)); /* OLD: 0 */
	EXPECT_EQ(EPERM, run_as(AS_TEST_USER, AS_IS, test_env, copy_enter));
	EXPECT_EQ(0, run_as(AS_TEST_USER, AS_IS, test_env, victim_enter));
	EXPECT_EQ(0, try_setns(fd, CLONE_NEWUSER, false));
	close(fd);
	EXPECT_EQ(0, finish(holder, go));
}

/* A victim running before a policy names it is not exempt. */
TEST_F(exempt, executed_before_the_policy)
{
	char *const argv[] = { self->f.victim, "wait", "userns", NULL };
	pid_t pid;
	int go;

	ASSERT_EQ(0, write_policy(RESTRICT_USERNS_POLICY));
	pid = start(AS_TEST_USER, argv, &go);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, load(EXEMPT_USERNS, self->f.victim));
	EXPECT_EQ(EPERM, finish(pid, go)); /* OLD: 0 */

	/* The control: started under the policy. */
	pid = start(AS_TEST_USER, argv, &go);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, finish(pid, go));
}

/* Does the output of "busybox --list" name @applet? */
static bool has_applet(const char *list, const char *applet)
{
	size_t len = strlen(applet);
	const char *p;

	for (p = list; (p = strstr(p, applet)); p += len)
		if ((p == list || p[-1] == '\n') && p[len] == '\n')
			return true;
	return false;
}

/* The value of @type in an auxiliary vector, or -1. */
static long auxv_value(const unsigned long *auxv, size_t len,
		       unsigned long type)
{
	size_t i;

	for (i = 0; i + 1 < len / sizeof(*auxv); i += 2)
		if (auxv[i] == type)
			return auxv[i + 1];
	return -1;
}

/*
 * Documents a limitation: busybox is a multi-call binary, and exempting it
 * exempts every applet, here unshare(1), for anyone who runs it (the same
 * holds for shells and interpreters).  It runs with AT_SECURE.
 */
TEST_F(exempt, busybox_exempts_every_applet)
{
	char busybox[PATH_MAX], list[16384];
	char *const list_argv[] = { busybox, "--list", NULL };
	char *const unshare_argv[] = { busybox, "unshare", "-U", busybox,
				       "true", NULL };
	char *const auxv_argv[] = { busybox, "cat", "/proc/self/auxv", NULL };
	unsigned long auxv[512];
	size_t len;

	if (!realpath(BUSYBOX, busybox))
		SKIP(return, "no " BUSYBOX);
	ASSERT_EQ(0, run_capture(list_argv, list, sizeof(list) - 1, &len));
	list[len] = '\0';
	if (!has_applet(list, "unshare") || !has_applet(list, "cat") ||
	    !has_applet(list, "true"))
		SKIP(return, BUSYBOX " has no unshare, cat or true applet");
	ASSERT_EQ(0, load(EXEMPT_USERNS, busybox));

	EXPECT_EQ(0, run_as(AS_TEST_USER, AS_IS, test_env, unshare_argv));
	ASSERT_EQ(0, run_capture(auxv_argv, auxv, sizeof(auxv), &len));
	EXPECT_EQ(1, auxv_value(auxv, len, AT_SECURE)); /* OLD: 0 */
	/* The test user itself is no more exempt. */
	EXPECT_EQ(EPERM, try_create(BY_UNSHARE, CLONE_NEWUSER, AS_TEST_USER));
}

TEST_HARNESS_MAIN
