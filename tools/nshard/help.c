// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard - administration tool for the nshard LSM: manual pages
 *
 * "nshard help [COMMAND]" and "--help" print these.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <getopt.h>
#include <string.h>

#include "nshard.h"
#include "util.h"

static const char *const nsh_help_main[] = {
	"NAME",
	"    nshard - inspect and administer the nshard LSM",
	"",
	"SYNOPSIS",
	"    nshard status [--all]",
	"    nshard load FILE...",
	"    nshard check [--canonical] FILE...",
	"    nshard boot [--dir DIR]",
	"    nshard inspect [--json] [--threshold N] [PID]",
	"    nshard help [COMMAND]",
	"",
	"DESCRIPTION",
	"    nshard is a stackable Linux Security Module that hardens unprivileged",
	"    user namespaces: a policy says which namespaces unprivileged users may",
	"    create, which capabilities work inside them, and which kernel surfaces",
	"    (gates: netfilter, tc, xfrm, mounts...) stay open to them.  This tool",
	"    reads nshard's state, loads and validates policies, and reports how",
	"    exposed a process is.",
	"",
	"COMMANDS",
	"    status    mode, seal, policy generation and digest, decision counters",
	"    load      load a policy made of FILEs, concatenated",
	"    check     validate a policy without loading it",
	"    boot      load /etc/nshard/policy.d/*.policy, the site policy",
	"    inspect   what nshard, capabilities, seccomp, LSMs and namespaces",
	"              leave open to a process, with an exposure score",
	"    help      this text, or a command's manual: nshard help inspect",
	"",
	"    Every command takes --help.",
	"",
	"ENVIRONMENT",
	"    NSHARD_FS    nshard's securityfs directory, default",
	"                 /sys/kernel/security/nshard; its parent is taken as the",
	"                 securityfs root (for the lsm file).  For tests.",
	"    NSHARD_PROC  the proc file system, default /proc.  For tests.",
	"",
	"EXIT STATUS",
	"    0  success",
	"    1  check, load: the policy is invalid or was rejected;",
	"       inspect: the exposure score is above --threshold",
	"    2  usage error, or nothing to work with: nshard not active, a file",
	"       missing or unreadable, not enough privilege, nshard sealed",
	"",
	"FILES",
	"    /sys/kernel/security/nshard/{mode,seal,generation,digest,counters}",
	"    /sys/kernel/security/nshard/{policy,check,task}",
	"    /sys/kernel/security/lsm",
	"",
	"EXAMPLES",
	"    nshard status",
	"    nshard check site.policy && nshard load site.policy",
	"    nshard inspect --threshold 5 $$",
	"",
	"SEE ALSO",
	"    Documentation/admin-guide/LSM/nshard.rst",
	NULL
};

static const char *const nsh_help_status[] = {
	"NAME",
	"    nshard status - show nshard's mode, policy and decision counters",
	"",
	"SYNOPSIS",
	"    nshard status [--all]",
	"",
	"DESCRIPTION",
	"    Prints the mode (off, audit or enforce), whether nshard is sealed,",
	"    the generation and SHA-256 digest of the active policy (generation 1",
	"    is the built-in policy), whether the kernel offers the task and check",
	"    files, the total of decisions since boot, and a table of the",
	"    operations with denied or audited decisions, most denied first, then",
	"    most audited: the 15 first.",
	"",
	"    In audit mode, what enforce mode would refuse is counted as audited.",
	"    In off mode nothing is counted.",
	"",
	"    When nshard is not active (no /sys/kernel/security/nshard), says so,",
	"    and whether securityfs is mounted at all.",
	"",
	"OPTIONS",
	"    -a, --all   every operation with a non-zero count, allowed ones too",
	"    -h, --help  this text",
	"",
	"EXIT STATUS",
	"    0  shown",
	"    2  usage error; nshard not active; its mode unreadable",
	"",
	"FILES",
	"    /sys/kernel/security/nshard/{mode,seal,generation,digest,counters}",
	"",
	"EXAMPLES",
	"    nshard status",
	"    nshard status --all",
	NULL
};

static const char *const nsh_help_load[] = {
	"NAME",
	"    nshard load - replace nshard's active policy",
	"",
	"SYNOPSIS",
	"    nshard load FILE...",
	"",
	"DESCRIPTION",
	"    Concatenates the FILEs in the order given (\"-\" is standard input),",
	"    each followed by a newline if it lacks one, and writes the text to",
	"    the policy file in one write(2), as the kernel demands.  A text larger",
	"    than NSHARD_POLICY_MAX_SIZE (4 MiB) is refused before anything is",
	"    written.  The kernel parses and checks the whole policy before it",
	"    replaces the active one, atomically: a rejected policy changes",
	"    nothing.",
	"",
	"    On success, prints the new generation and digest.  When the kernel",
	"    rejects the policy, the text is run through the check file, if the",
	"    kernel has one, to name the error as FILE:LINE: message; otherwise",
	"    the kernel log names the line of the concatenated text, and the",
	"    lines each FILE holds are printed.",
	"",
	"    Needs CAP_MAC_ADMIN in the initial user namespace: root on the host,",
	"    not in a container.  When sealed, nothing can be loaded until reboot.",
	"",
	"OPTIONS",
	"    -h, --help  this text",
	"",
	"EXIT STATUS",
	"    0  loaded",
	"    1  the policy is invalid, too large, or names a program that does",
	"       not exist; the active policy is unchanged",
	"    2  usage error; a FILE unreadable; nshard not active; no privilege;",
	"       nshard sealed",
	"",
	"FILES",
	"    /sys/kernel/security/nshard/{policy,check,seal,generation,digest}",
	"",
	"EXAMPLES",
	"    nshard load /etc/nshard/site.policy",
	"    nshard load base.policy docker-rootless.policy",
	NULL
};

static const char *const nsh_help_boot[] = {
	"NAME",
	"    nshard boot - load the site policy at boot",
	"",
	"SYNOPSIS",
	"    nshard boot [--dir DIR]",
	"",
	"DESCRIPTION",
	"    Loads every DIR/*.policy file (default /etc/nshard/policy.d), in",
	"    the C locale's order of their names (10-base.policy before",
	"    20-docker.policy), concatenated, in one write(2), as \"nshard load\"",
	"    does: the kernel checks the site policy whole, and it is in force",
	"    entirely or not at all.  Prints the files, then the new generation",
	"    and digest, for the journal.",
	"",
	"    When the kernel rejects the site policy, the policy in force (the",
	"    built-in one, at boot) stays, and the tool names the file and line",
	"    at fault, says in capitals that the site policy was not loaded, and",
	"    fails, so that the service fails.  No file, or no DIR: the policy",
	"    in force stays, and that is not an error.  Nothing is ever",
	"    unloaded: there is nothing to undo at shutdown.",
	"",
	"    The unit tools/nshard/nshard.service runs it before sysinit.target;",
	"    to seal nshard once the site policy is in force, add",
	"    ExecStartPost=/bin/sh -c 'echo 1 >/sys/kernel/security/nshard/seal'",
	"    which runs only if the policy was loaded.",
	"",
	"OPTIONS",
	"    -d, --dir DIR  where the site policy's files are",
	"    -h, --help     this text",
	"",
	"EXIT STATUS",
	"    0  loaded, or nothing to load",
	"    1  the site policy was rejected; the policy in force stays",
	"    2  usage error; DIR or a file unreadable; nshard not active; no",
	"       privilege; nshard sealed",
	"",
	"FILES",
	"    /etc/nshard/policy.d/*.policy",
	"",
	NULL
};

static const char *const nsh_help_check[] = {
	"NAME",
	"    nshard check - validate a policy without loading it",
	"",
	"SYNOPSIS",
	"    nshard check [--canonical] FILE...",
	"",
	"DESCRIPTION",
	"    Concatenates the FILEs as load does and has the kernel parse and",
	"    compile the text through the check file, loading nothing.  A valid",
	"    policy prints \"ok: N statements, digest D\", D being the digest the",
	"    policy would have once loaded.  An invalid one prints",
	"    \"FILE:LINE: message\", the line mapped back to the FILE it came from.",
	"",
	"    The kernel does the checking, so that exe= paths are resolved and",
	"    the verdict is the kernel's own: validation needs root",
	"    (CAP_MAC_ADMIN in the initial user namespace) on a running kernel",
	"    with nshard.  It works when nshard is sealed.",
	"",
	"OPTIONS",
	"    -c, --canonical  print the canonical text of a valid policy too: what",
	"                     the policy file would read back once it is loaded",
	"    -h, --help       this text",
	"",
	"EXIT STATUS",
	"    0  valid",
	"    1  invalid, or too large",
	"    2  usage error; a FILE unreadable; nshard not active, or without a",
	"       check file; no privilege",
	"",
	"FILES",
	"    /sys/kernel/security/nshard/check",
	"",
	"EXAMPLES",
	"    nshard check site.policy",
	"    nshard check --canonical site.policy > site.canonical",
	NULL
};

static const char *const nsh_help_inspect[] = {
	"NAME",
	"    nshard inspect - show what is left open to a process, and score it",
	"",
	"SYNOPSIS",
	"    nshard inspect [--json] [--threshold N] [PID]",
	"",
	"DESCRIPTION",
	"    Inspects process PID, or the tool itself without one (\"self\"), and",
	"    prints one line per finding:",
	"",
	"        STATUS  NAME  VALUE  - what it means for an attacker inside",
	"",
	"    STATUS is \"ok\" (confines it), \"!!\" (helps an attacker) or \"--\"",
	"    (for information).  Findings:",
	"",
	"    nshard       its mode and policy generation; the process's user",
	"                 namespaces, innermost first (level, origin, whose ids",
	"                 uid= rules see, capabilities dropped at creation); its",
	"                 exe= exemption; the namespaces it may create; the",
	"                 capabilities and gates nshard refuses in its user",
	"                 namespace.  For a process of the initial user namespace,",
	"                 where nshard leaves capabilities to the kernel, what a",
	"                 user namespace it creates would be refused, from nshard's",
	"                 report (its child lines).  When the task file is missing",
	"                 or refuses (the report needs the right to ptrace-read",
	"                 the process), says why and goes on.",
	"    credentials  Uid, Gid, Groups.",
	"    capabilities CapEff, CapPrm, CapInh, CapBnd, CapAmb, by name.",
	"    confinement  NoNewPrivs, Seccomp, the active LSMs, the AppArmor,",
	"                 SELinux and Smack labels, Landlock (enabled or not: the",
	"                 kernel cannot tell whether a process is landlocked),",
	"                 Yama's ptrace_scope.",
	"    namespaces   each namespace, shared with the host or its own, and a",
	"                 summary line.",
	"    user namespaces  the sysctls that limit their creation.",
	"    cgroup       its cgroups.",
	"",
	"    Then the exposure score, 0.0 to 10.0, higher is more exposed, the",
	"    sum of these terms, at most 10.0:",
	"",
	"    caps-host   capabilities permitted in the initial user namespace, by",
	"                weight: SYS_ADMIN, SYS_MODULE, SYS_RAWIO 6.0;",
	"                DAC_OVERRIDE, SETUID, SYS_PTRACE 4.0; CHOWN, FOWNER,",
	"                SETGID, SETFCAP, MAC_ADMIN, MAC_OVERRIDE, SYS_BOOT, BPF",
	"                3.0; NET_ADMIN 2.5; others 0.1-1.5; at most 6.0.  All",
	"                of them: 10.0, whatever else.",
	"    uid0        uid 0 in the initial user namespace: +2.0",
	"    userns      the kernel surface behind capabilities in a user",
	"                namespace it is in or may create: up to 4.0, by the",
	"                gates left open (netfilter 1.0, tc 0.8, xtables,",
	"                fs-mount, modload 0.5, xfrm, overlay 0.4, genl-admin,",
	"                packet, cgroup1, link 0.3, raw, netdev-ioctl,",
	"                netlink-other, family-other 0.2, link-other 0.1).  A",
	"                gate is closed when nshard enforces a deny of it or of",
	"                the capability it needs.  Without nshard all are open.",
	"    seccomp     no filter +1.0; filters +0.2",
	"    nnp         no_new_privs unset +0.8 (+0.4, empty bounding set)",
	"    mac         no AppArmor, SELinux or Smack confinement +1.0;",
	"                AppArmor complain mode +0.7",
	"    namespaces  shared with the host: mnt 0.8, net 0.8, pid 0.4,",
	"                ipc 0.2, uts 0.1, cgroup 0.1",
	"    yama        ptrace_scope 0, or no Yama: +0.2",
	"",
	"    Unknown facts count half; an unreadable user namespace counts as",
	"    the host's.  0.0-1.9 well confined, 2.0-4.9 partly confined,",
	"    5.0-7.9 exposed, 8.0-10.0 highly exposed.  A verdict",
	"    sentence ends the report, with what would lower the score most.",
	"",
	"OPTIONS",
	"    -j, --json         one JSON object with the same facts and \"score\"",
	"    -t, --threshold N  exit with status 1 if the score is above N (0-10,",
	"                       one decimal), as a gate in scripts and CI",
	"    -h, --help         this text",
	"",
	"EXIT STATUS",
	"    0  inspected (and not above the threshold)",
	"    1  the score is above --threshold",
	"    2  usage error; no such process",
	"",
	"FILES",
	"    /sys/kernel/security/nshard/{task,mode,policy}, /sys/kernel/security/lsm",
	"    /proc/PID/{status,ns/*,attr/*,cgroup}, /proc/sys/kernel/yama/ptrace_scope",
	"    /proc/sys/user/max_user_namespaces",
	"",
	"EXAMPLES",
	"    nshard inspect",
	"    nshard inspect --json $(pidof bwrap | cut -d' ' -f1)",
	"    nshard inspect --threshold 6.5 1 || echo 'pid 1 is too exposed'",
	NULL
};

static const char *const nsh_help_help[] = {
	"NAME",
	"    nshard help - show the manual of nshard or of one of its commands",
	"",
	"SYNOPSIS",
	"    nshard help [COMMAND]",
	"",
	"DESCRIPTION",
	"    Without COMMAND, the overview; with one of status, load, check,",
	"    inspect or help, its manual.",
	"",
	"EXIT STATUS",
	"    0  shown",
	"    2  unknown COMMAND",
	"",
	"EXAMPLES",
	"    nshard help inspect",
	NULL
};

static const struct {
	const char *cmd;
	const char *const *text;
} nsh_pages[] = {
	{ "status", nsh_help_status },
	{ "load", nsh_help_load },
	{ "check", nsh_help_check },
	{ "boot", nsh_help_boot },
	{ "inspect", nsh_help_inspect },
	{ "help", nsh_help_help },
};

/* Print the manual of @cmd (NULL: the overview).  0, or -1 if unknown. */
int nsh_help(FILE *f, const char *cmd)
{
	const char *const *text = cmd ? NULL : nsh_help_main;
	size_t i;

	for (i = 0; cmd && i < ARRAY_SIZE(nsh_pages); i++)
		if (!strcmp(cmd, nsh_pages[i].cmd))
			text = nsh_pages[i].text;
	if (!text)
		return -1;
	for (; *text; text++)
		fprintf(f, "%s\n", *text);
	return 0;
}

void nsh_usage_hint(const char *cmd)
{
	fprintf(stderr, "Try '%s help%s%s'.\n", nsh_prog, cmd ? " " : "",
		cmd ? cmd : "");
}

int nsh_cmd_help(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (cmd && (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")))
		cmd = "help";
	if (argc > 2 || (cmd && nsh_help(stdout, cmd))) {
		nsh_err("help: no manual for '%s'; commands: status, load, check, inspect, help",
			argc > 2 ? argv[2] : cmd);
		return NSH_EXIT_ENV;
	}
	if (!cmd)
		nsh_help(stdout, NULL);
	return NSH_EXIT_OK;
}
