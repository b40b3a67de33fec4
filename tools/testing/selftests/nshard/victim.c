// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - helper: the program exempt_test names in exe= rules
 *
 * It runs the command its arguments spell and exits with the result: 0, or
 * the errno of the operation tried; CHILD_SETUP_FAILED (255) if it could not
 * get that far.  Commands:
 *
 *   userns                 unshare(CLONE_NEWUSER)
 *   netns                  unshare(CLONE_NEWNET)
 *   clone-userns           clone3(CLONE_NEWUSER): a child that exits at once
 *                          (a threaded process cannot unshare a user ns)
 *   secure                 exit with AT_SECURE, from the auxiliary vector
 *   plugin                 dlopen("libnshard_plugin.so"), by bare name: 0 if
 *                          loaded, ENOENT if not
 *   traceme                ptrace(PTRACE_TRACEME)
 *   enter NSFILE           setns(2) to the namespace file NSFILE
 *   hold                   enter a new user namespace mapped to root, report
 *                          ready, wait, exit 0
 *   wait CMD...            report ready, wait, then CMD
 *   fork CMD...            CMD in a child; exit with its status
 *   thread CMD...          CMD in a second thread
 *   exec PATH CMD...       execute PATH with the arguments CMD...
 *   setmm exe|map FILE CMD...
 *                          make FILE the executable file of our mm, with
 *                          PR_SET_MM_EXE_FILE or PR_SET_MM_MAP, then CMD
 *
 * "Report ready": write a byte to descriptor 3.  "Wait": read a byte, or end
 * of file, from standard input.  So "fork userns" is a forked child's
 * unshare, "exec PATH userns" the unshare of the program executed.
 *
 * Copyright (C) 2026 The nshard authors
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "common.h"

#define READY_FD	3

static int run(char **argv);

static void ready(void)
{
	if (write(READY_FD, "r", 1) != 1)
		perror("nshard_exempt_victim: fd 3");
	close(READY_FD);
}

static void wait_for_go(void)
{
	char c;

	while (read(STDIN_FILENO, &c, 1) < 0 && errno == EINTR)
		;
}

static void *thread_fn(void *argv)
{
	return (void *)(long)run(argv);
}

static int in_thread(char **argv)
{
	pthread_t t;
	void *ret;

	if (pthread_create(&t, NULL, thread_fn, argv) ||
	    pthread_join(t, &ret))
		return CHILD_SETUP_FAILED;
	return (long)ret;
}

static int in_child(char **argv)
{
	pid_t pid = fork();

	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0)
		_exit(run(argv));
	return wait_child(pid);
}

/*
 * The kernel lets the executable file of an mm change only when it is not
 * mapped any more: replace every mapping of it by an anonymous copy at the
 * same address.  The code running here is copied too: mremap() returns into
 * the same bytes.
 */
static int remap_exe_anonymous(void)
{
	unsigned long start[32], end[32];
	char *maps, *line, *save;
	int prot[32], n = 0, i;
	struct stat exe;

	if (stat("/proc/self/exe", &exe))
		return -1;
	maps = read_file("/proc/self/maps", NULL);
	if (!maps)
		return -1;
	for (line = strtok_r(maps, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned int major, minor;
		unsigned long s, e, ino;
		char perms[5];

		if (sscanf(line, "%lx-%lx %4s %*x %x:%x %lu", &s, &e, perms,
			   &major, &minor, &ino) != 6 ||
		    ino != exe.st_ino || makedev(major, minor) != exe.st_dev)
			continue;
		if (n == 32) {
			free(maps);
			return -1;
		}
		start[n] = s;
		end[n] = e;
		prot[n] = (perms[0] == 'r' ? PROT_READ : 0) |
			  (perms[1] == 'w' ? PROT_WRITE : 0) |
			  (perms[2] == 'x' ? PROT_EXEC : 0);
		n++;
	}
	free(maps);
	for (i = 0; i < n; i++) {
		size_t len = end[i] - start[i];
		void *copy;

		if (!(prot[i] & PROT_READ)) {
			if (mmap((void *)start[i], len, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
				 0) == MAP_FAILED)
				return -1;
			continue;
		}
		copy = mmap(NULL, len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (copy == MAP_FAILED)
			return -1;
		memcpy(copy, (void *)start[i], len);
		if (mprotect(copy, len, prot[i]) ||
		    mremap(copy, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
			   (void *)start[i]) == MAP_FAILED)
			return -1;
	}
	return n ? 0 : -1;
}

/* The current layout of our mm, for PR_SET_MM_MAP (see proc(5), stat). */
static int current_mm_map(struct prctl_mm_map *map)
{
	unsigned long long f[53] = { 0 };
	char *stat = read_file("/proc/self/stat", NULL), *p, *next;
	int i;

	/* Fields 1 and 2 end with the last ')', field 3 is a letter. */
	p = stat ? strrchr(stat, ')') : NULL;
	if (p)
		p = strchr(p + 2, ' ');
	if (!p) {
		free(stat);
		return -1;
	}
	for (i = 4; i < 53; i++, p = next)
		f[i] = strtoull(p, &next, 10);
	free(stat);
	memset(map, 0, sizeof(*map));
	map->start_code = f[26];
	map->end_code = f[27];
	map->start_stack = f[28];
	map->start_data = f[45];
	map->end_data = f[46];
	map->start_brk = f[47];
	map->brk = syscall(SYS_brk, 0);
	map->arg_start = f[48];
	map->arg_end = f[49];
	map->env_start = f[50];
	map->env_end = f[51];
	return map->start_code ? 0 : -1;
}

/* Make @file the executable file of our mm; 0 or -1 (with a message). */
static int set_exe_file(const char *method, const char *file)
{
	struct stat want, now;
	struct prctl_mm_map map;
	int fd, ret = -1;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &want)) {
		perror(file);
		return -1;
	}
	if (remap_exe_anonymous()) {
		fprintf(stderr, "nshard_exempt_victim: cannot unmap it\n");
	} else if (!strcmp(method, "exe")) {
		ret = prctl(PR_SET_MM, PR_SET_MM_EXE_FILE, fd, 0, 0);
	} else if (!strcmp(method, "map") && !current_mm_map(&map)) {
		map.exe_fd = fd;
		ret = prctl(PR_SET_MM, PR_SET_MM_MAP, &map, sizeof(map), 0);
	}
	if (ret)
		perror("nshard_exempt_victim: PR_SET_MM");
	close(fd);
	/* Check that it took. */
	if (!ret && (stat("/proc/self/exe", &now) ||
		     now.st_ino != want.st_ino || now.st_dev != want.st_dev)) {
		fprintf(stderr, "nshard_exempt_victim: exe is not %s\n", file);
		ret = -1;
	}
	return ret;
}

static int run(char **argv)
{
	const char *cmd = argv[0];
	int fd, err;

	if (!cmd)
		return CHILD_SETUP_FAILED;
	if (!strcmp(cmd, "userns"))
		return unshare(CLONE_NEWUSER) ? errno : 0;
	if (!strcmp(cmd, "netns"))
		return unshare(CLONE_NEWNET) ? errno : 0;
	if (!strcmp(cmd, "clone-userns"))
		return create_ns(BY_CLONE3, CLONE_NEWUSER);
	if (!strcmp(cmd, "secure"))
		return getauxval(AT_SECURE);
	if (!strcmp(cmd, "plugin"))
		return dlopen("libnshard_plugin.so", RTLD_NOW) ? 0 : ENOENT;
	if (!strcmp(cmd, "traceme"))
		return ptrace(PTRACE_TRACEME, 0, NULL, NULL) ? errno : 0;
	if (!strcmp(cmd, "enter") && argv[1]) {
		fd = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return CHILD_SETUP_FAILED;
		err = setns(fd, 0) ? errno : 0;
		close(fd);
		return err;
	}
	if (!strcmp(cmd, "hold")) {
		err = enter_userns_as_root();
		if (err)
			return err;
		ready();
		wait_for_go();
		return 0;
	}
	if (!strcmp(cmd, "wait")) {
		ready();
		wait_for_go();
		return run(argv + 1);
	}
	if (!strcmp(cmd, "fork"))
		return in_child(argv + 1);
	if (!strcmp(cmd, "thread"))
		return in_thread(argv + 1);
	if (!strcmp(cmd, "exec") && argv[1]) {
		execv(argv[1], argv + 1);
		return CHILD_SETUP_FAILED;
	}
	if (!strcmp(cmd, "setmm") && argv[1] && argv[2]) {
		if (set_exe_file(argv[1], argv[2]))
			return CHILD_SETUP_FAILED;
		return run(argv + 3);
	}
	fprintf(stderr, "nshard_exempt_victim: bad command %s\n", cmd);
	return CHILD_SETUP_FAILED;
}

int main(int argc, char **argv)
{
	return run(argv + 1);
}
