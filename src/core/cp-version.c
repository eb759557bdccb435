/* cp-version.c — the version of the Carepath code base
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-version.h"

const char *
cp_version_string (void)
{
  return PACKAGE_VERSION;
}
