/* cp-sync-store-private.h — kept only until cp-lead-write.c includes cp-outbox.h
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-outbox.h"
