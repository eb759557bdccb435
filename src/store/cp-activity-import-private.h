/* cp-activity-import-private.h — how the activity import finds the lead a row is
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-activity-import.h"
#include "cp-lead-store.h"

G_BEGIN_DECLS

/* Which stored lead a row is (_cp_activity_match()). */
typedef struct
{
  char             *lead_id;     /* (nullable) the lead the row is */
  CpImportEvidence  evidence;
  GStrv             candidates;  /* (nullable) two or more leads it could be: none is taken */
  char             *reason;      /* (nullable) why no lead is taken, in words */
  gboolean          shares_key;  /* a lead shares its phone: a new lead would be a duplicate */
} CpActivityMatch;

void     _cp_activity_match_clear (CpActivityMatch  *match);
gboolean _cp_activity_match       (CpLeadStore      *store,
                                   CpLead           *person,
                                   CpActivityMatch  *out_match,
                                   GError          **error);
char    *_cp_activity_external_id (CpActivityKind    kind,
                                   const char       *who,
                                   gint64            occurred_at,
                                   const char       *detail);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CpActivityMatch, _cp_activity_match_clear)

G_END_DECLS
