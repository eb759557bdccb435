/* cp-crm-client-private.h — the request limits the CRM client keeps per account (cp-crm-rate.c)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "cp-crm-client.h"

G_BEGIN_DECLS

#define CP_CRM_MAX_RATE_LIMIT 10000

/* The limits of one account (address and credentials), shared by every
 * client of it for the life of the process. */
typedef struct _CpCrmAccountLimits CpCrmAccountLimits;

CpCrmAccountLimits *
          _cp_crm_account_limits_get             (const char          *base_url,
                                                  const char          *auth_header,
                                                  const char          *auth_value);
void      _cp_crm_account_limits_set_search_rate (CpCrmAccountLimits  *limits,
                                                  guint                per_second);
void      _cp_crm_account_limits_set_rate_limit  (CpCrmAccountLimits  *limits,
                                                  guint                max_requests,
                                                  guint                interval_ms);
gboolean  _cp_crm_account_limits_pace            (CpCrmAccountLimits  *limits,
                                                  CpCrmRequestFlags    flags,
                                                  GCancellable        *cancellable);
void      _cp_crm_account_limits_note_headers    (CpCrmAccountLimits  *limits,
                                                  SoupMessageHeaders  *headers);
void      _cp_crm_account_limits_pause           (CpCrmAccountLimits  *limits,
                                                  CpCrmRequestFlags    flags,
                                                  double               server_scale);

/* Sleeps @ms, waking early (FALSE) when cancelled. */
gboolean  _cp_crm_sleep_cancellable              (guint                ms,
                                                  GCancellable        *cancellable);

G_END_DECLS
