/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard - administration tool for the nshard LSM: commands
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef NSHARD_TOOL_NSHARD_H
#define NSHARD_TOOL_NSHARD_H

#include <stdio.h>

/* Every command: (argc, argv) with argv[0] the command's name. */
int nsh_cmd_status(int argc, char **argv);
int nsh_cmd_load(int argc, char **argv);
int nsh_cmd_check(int argc, char **argv);
int nsh_cmd_inspect(int argc, char **argv);
int nsh_cmd_help(int argc, char **argv);
int nsh_cmd_boot(int argc, char **argv);

int nsh_load_files(int n, char **paths);

int nsh_help(FILE *f, const char *cmd);
void nsh_usage_hint(const char *cmd);

#endif /* NSHARD_TOOL_NSHARD_H */
