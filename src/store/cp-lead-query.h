/* cp-lead-query.h — what a view asks of the leads: filters, search, order
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "cp-lead.h"

G_BEGIN_DECLS

typedef struct
{
  /* Equality filters on canonical values; NULL = any. */
  char        *stage;
  char        *owner;
  char        *queue;
  char        *service_line;
  char        *location;
  char        *source_channel;
  char        *lead_type;
  char        *tier;
  char        *consent_status;
  /* Words as typed in the search box; each is matched as a prefix. One
   * with no word at all (only punctuation, or empty) matches nothing;
   * %NULL: no search. */
  char        *search;
  /* Open leads whose response SLA passed at @now without a first response. */
  gboolean     sla_breached_only;
  gint64       now;
  /* Ranges in unix seconds; 0 = open-ended. */
  gint64       created_from;
  gint64       created_to;
  gint64       updated_from;
  gint64       updated_to;
  /* A set of leads by rowid, as a JSON array ("[3,17,…]"), and what it
   * is as a person reads it: the leads behind a report's row. Not saved
   * with a view's filter. NULL = any. */
  char        *lead_set;
  char        *lead_set_label;
  /* Order: a canonical field; ties are broken by insertion order. */
  CpLeadField  sort_field;
  gboolean     sort_descending;
} CpLeadQuery;

#define CP_TYPE_LEAD_QUERY (cp_lead_query_get_type ())

GType        cp_lead_query_get_type   (void) G_GNUC_CONST;
CpLeadQuery *cp_lead_query_new        (void);
CpLeadQuery *cp_lead_query_copy       (const CpLeadQuery *query);
void         cp_lead_query_free       (CpLeadQuery       *query);
gboolean     cp_lead_query_equal      (const CpLeadQuery *a,
                                       const CpLeadQuery *b);
char        *cp_lead_query_fts_match  (const char        *search);
gboolean     cp_lead_query_search_has_words (const char  *search);
char        *cp_lead_query_to_string  (const CpLeadQuery *query);
CpLeadQuery *cp_lead_query_from_string (const char       *text);
gboolean     cp_lead_query_has_filter (const CpLeadQuery *query);
void         cp_lead_query_set_lead_set (CpLeadQuery     *query,
                                         const GArray    *rowids,
                                         const char      *label);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpLeadQuery, cp_lead_query_free)

G_END_DECLS
