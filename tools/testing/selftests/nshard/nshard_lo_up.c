// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - helper: bring lo up, exit with the errno (0 if done)
 *
 * cap_test installs a setuid copy of it inside a user namespace.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include "common.h"

int main(void)
{
	return lo_up();
}
