/* cp-lead-store-query.c — filtered queries, counts, stage summaries and history of leads
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-lead-columns.h"
#include "cp-lead-store-query-private.h"
#include "cp-lead-store-private.h"
#include "cp-normalize.h"

/* The stored phone key a search is, when it is a phone number as people
 * write one ("(202) 555-0143", "202-555-0143", "+44 20 7946 0018"): digits
 * and separators only, at least seven digits. */
static char *
phone_search_key (const char *search,
                  const char *region)
{
  g_autoptr(CpLead) probe = NULL;
  guint digits = 0;

  if (search == NULL)
    return NULL;
  for (const char *p = search; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (strchr (" ()-./+", *p) == NULL)
        return NULL;
    }
  if (digits < 7)
    return NULL;
  probe = cp_lead_new ();
  cp_lead_set_text (probe, CP_LEAD_FIELD_PHONE, search);
  return cp_lead_match_key (probe, CP_MATCH_PHONE, region);
}

/* Appends the WHERE clause of @query to @sql, collecting the values to bind. */
static void
build_where (const CpLeadQuery *query,
             const char        *region,
             GString           *sql,
             GPtrArray         *text_params,
             GArray            *int_params,
             GString           *kinds)
{
  static const struct { gsize offset; const char *column; } equality[] = {
    { G_STRUCT_OFFSET (CpLeadQuery, stage), "stage" },
    { G_STRUCT_OFFSET (CpLeadQuery, owner), "owner" },
    { G_STRUCT_OFFSET (CpLeadQuery, queue), "queue" },
    { G_STRUCT_OFFSET (CpLeadQuery, service_line), "service_line" },
    { G_STRUCT_OFFSET (CpLeadQuery, location), "location" },
    { G_STRUCT_OFFSET (CpLeadQuery, source_channel), "source_channel" },
    { G_STRUCT_OFFSET (CpLeadQuery, lead_type), "lead_type" },
    { G_STRUCT_OFFSET (CpLeadQuery, tier), "tier" },
    { G_STRUCT_OFFSET (CpLeadQuery, consent_status), "consent_status" },
  };
  g_autofree char *match = NULL;
  g_autofree char *phone_key = NULL;

  g_string_append (sql, " WHERE deleted_at = 0");
  if (query == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (equality); i++)
    {
      const char *value = G_STRUCT_MEMBER (const char *, query, equality[i].offset);
      if (value == NULL)
        continue;
      g_string_append_printf (sql, " AND %s = ?", equality[i].column);
      g_ptr_array_add (text_params, g_strdup (value));
      g_string_append_c (kinds, 't');
    }

  match = cp_lead_query_fts_match (query->search);
  phone_key = phone_search_key (query->search, region);
  if (match != NULL && phone_key != NULL)
    {
      /* A phone number as displayed: the number itself, or the words. */
      g_string_append (sql, " AND (phone_key = ? OR rowid IN (SELECT rowid FROM leads_fts"
                            " WHERE leads_fts MATCH ?))");
      g_ptr_array_add (text_params, g_steal_pointer (&phone_key));
      g_ptr_array_add (text_params, g_steal_pointer (&match));
      g_string_append (kinds, "tt");
    }
  else if (match != NULL)
    {
      g_string_append (sql, " AND rowid IN (SELECT rowid FROM leads_fts WHERE leads_fts MATCH ?)");
      g_ptr_array_add (text_params, g_steal_pointer (&match));
      g_string_append_c (kinds, 't');
    }
  else if (query->search != NULL)
    {
      /* A search with no word to look for (punctuation, spaces, nothing,
       * or bytes that are not text) finds nothing, never everything. */
      g_string_append (sql, " AND 0");
    }

  if (query->lead_set != NULL)
    {
      g_string_append (sql, " AND rowid IN (SELECT value FROM json_each (?))");
      g_ptr_array_add (text_params, g_strdup (query->lead_set));
      g_string_append_c (kinds, 't');
    }

  if (query->sla_breached_only)
    {
      gint64 now = query->now != 0 ? query->now : _cp_lead_store_default_now ();
      g_string_append (sql, " AND sla_due_at > 0 AND first_response_at = 0 AND sla_due_at < ?"
                            " AND stage NOT IN ('closed_won', 'closed_lost')");
      g_array_append_val (int_params, now);
      g_string_append_c (kinds, 'i');
    }

#define RANGE(field, column, op) \
  if (query->field != 0) \
    { \
      g_string_append (sql, " AND " column " " op " ?"); \
      g_array_append_val (int_params, query->field); \
      g_string_append_c (kinds, 'i'); \
    }
  RANGE (created_from, "created_at", ">=")
  RANGE (created_to, "created_at", "<")
  RANGE (updated_from, "updated_at", ">=")
  RANGE (updated_to, "updated_at", "<")
#undef RANGE
}

/* Whether @query filters on nothing, or on its stage alone. */
static gboolean
only_stage_filter (const CpLeadQuery  *query,
                   const char        **out_stage)
{
  g_autoptr(CpLeadQuery) copy = cp_lead_query_copy (query);

  g_clear_pointer (&copy->stage, g_free);
  if (cp_lead_query_has_filter (copy))
    return FALSE;

  *out_stage = query->stage;
  return TRUE;
}

static void
bind_params (sqlite3_stmt *stmt,
             GPtrArray    *text_params,
             GArray       *int_params,
             GString      *kinds)
{
  guint t = 0;
  guint n = 0;

  for (guint i = 0; i < kinds->len; i++)
    {
      if (kinds->str[i] == 't')
        _cp_bind_text (stmt, i + 1, text_params->pdata[t++]);
      else
        sqlite3_bind_int64 (stmt, i + 1, g_array_index (int_params, gint64, n++));
    }
}

#define SORT_MATCHES_LIMIT 5000

/* How many leads match an FTS expression, counting no further than @cap. */
static guint
count_matches_capped (CpLeadStore *self,
                      const char  *match,
                      guint        cap)
{
  sqlite3_stmt *stmt = _cp_database_prepare (self->database,
                                             "SELECT count(*) FROM (SELECT 1 FROM leads_fts"
                                             " WHERE leads_fts MATCH ? LIMIT ?)", NULL);
  guint count = cap;

  if (stmt == NULL)
    return cap;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, cap);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return count;
}

/**
 * cp_lead_store_query:
 * @query: (nullable): filters and order; %NULL lists every lead, newest first
 * @limit: at most this many leads; 0 for no limit
 *
 * Returns: (transfer full) (element-type CpLead): one page of leads
 */
GPtrArray *
cp_lead_store_query (CpLeadStore        *self,
                     const CpLeadQuery  *query,
                     guint               offset,
                     guint               limit,
                     GError            **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " CP_LEAD_SELECT_COLUMNS " FROM leads");
  g_autoptr(GPtrArray) text_params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) int_params = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) kinds = g_string_new (NULL);
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_object_unref);
  CpLeadField sort_field = query != NULL ? query->sort_field : CP_LEAD_FIELD_CREATED_AT;
  gboolean descending = query != NULL ? query->sort_descending : TRUE;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (sort_field < CP_LEAD_N_FIELDS, NULL);

  {
    g_autofree char *search_match = query != NULL ? cp_lead_query_fts_match (query->search) : NULL;

    /* A search in date order: a few thousand matches are sorted; more are
     * found by walking the date index, which stops after one page. */
    if (search_match != NULL && sort_field == CP_LEAD_FIELD_CREATED_AT &&
        count_matches_capped (self, search_match, SORT_MATCHES_LIMIT) >= SORT_MATCHES_LIMIT)
      g_string_append (sql, " INDEXED BY leads_created");
  }
  build_where (query, self->default_region, sql, text_params, int_params, kinds);
  {
    const char *dir = descending ? "DESC" : "ASC";

    /* Ties are broken in index order, so a page is read straight from the
     * index (leads_stage_score continues with the SLA columns). */
    g_autofree char *match = query != NULL ? cp_lead_query_fts_match (query->search) : NULL;

    if (match != NULL && sort_field == CP_LEAD_FIELD_CREATED_AT)
      /* Walk the date index and stop after a page, instead of sorting every
       * match of a short prefix (thousands on a million leads). */
      g_string_append_printf (sql, " ORDER BY created_at %s, rowid %s", dir, dir);
    else if (sort_field == CP_LEAD_FIELD_SCORE)
      g_string_append_printf (sql, " ORDER BY score %s, sla_due_at %s, first_response_at %s,"
                                   " rowid %s", dir, dir, dir, dir);
    else
      g_string_append_printf (sql, " ORDER BY %s %s, rowid %s",
                              cp_lead_field_info (sort_field)->name, dir, dir);
  }
  g_string_append (sql, " LIMIT ? OFFSET ?");

  stmt = _cp_database_prepare (self->database, sql->str, error);
  if (stmt == NULL)
    return NULL;
  bind_params (stmt, text_params, int_params, kinds);
  sqlite3_bind_int64 (stmt, kinds->len + 1, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, kinds->len + 2, offset);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (leads, _cp_lead_from_row (stmt));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not list leads"));
      return NULL;
    }

  return g_steal_pointer (&leads);
}

gboolean
cp_lead_store_count (CpLeadStore        *self,
                     const CpLeadQuery  *query,
                     guint              *out_count,
                     GError            **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM leads");
  const char *stage_only = NULL;
  g_autoptr(GPtrArray) text_params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) int_params = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) kinds = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (out_count != NULL, FALSE);

  /* No filter but the stage: the trigger-kept totals answer at once. */
  if (query == NULL || !only_stage_filter (query, &stage_only))
    ;
  else
    {
      stmt = _cp_database_prepare (self->database,
                                   stage_only != NULL
                                   ? "SELECT lead_count FROM stage_totals WHERE stage = ?"
                                   : "SELECT total(lead_count) FROM stage_totals", error);
      if (stmt == NULL)
        return FALSE;
      if (stage_only != NULL)
        sqlite3_bind_text (stmt, 1, stage_only, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      *out_count = rc == SQLITE_ROW ? (guint) sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_finalize (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          _cp_database_set_error (self->database, error, rc, _("Could not count leads"));
          return FALSE;
        }
      return TRUE;
    }

  build_where (query, self->default_region, sql, text_params, int_params, kinds);
  stmt = _cp_database_prepare (self->database, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  bind_params (stmt, text_params, int_params, kinds);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not count leads"));
      return FALSE;
    }

  return TRUE;
}

/* Counts and sums from the trigger-kept totals; breaches from the index of
 * open SLAs. Neither reads the lead rows. */
static GPtrArray *
stage_summaries_from_totals (CpLeadStore  *self,
                             gint64        now,
                             GError      **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_stage_summary_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cp_database_prepare (self->database,
                               "SELECT stage, lead_count, score_sum FROM stage_totals"
                               " WHERE lead_count > 0", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpStageSummary *summary = g_new0 (CpStageSummary, 1);

      summary->stage = g_strdup (_cp_column_text (stmt, 0));
      summary->count = sqlite3_column_int (stmt, 1);
      summary->score_sum = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (result, summary);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not count leads per stage"));
      return NULL;
    }

  stmt = _cp_database_prepare (self->database,
                               "SELECT stage, count(*) FROM leads"
                               " WHERE deleted_at = 0 AND sla_due_at > 0 AND first_response_at = 0"
                               "   AND sla_due_at < ? AND stage NOT IN ('closed_won', 'closed_lost')"
                               " GROUP BY stage", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    for (guint i = 0; i < result->len; i++)
      {
        CpStageSummary *summary = result->pdata[i];
        if (g_strcmp0 (summary->stage, _cp_column_text (stmt, 0)) == 0)
          summary->sla_breached = sqlite3_column_int (stmt, 1);
      }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not count SLA breaches"));
      return NULL;
    }

  return g_steal_pointer (&result);
}

/**
 * cp_lead_store_stage_summaries:
 *
 * Returns: (transfer full) (element-type CpStageSummary): count, score sum
 *   and SLA breaches (at @query's `now`) per stage, for leads matching @query
 */
GPtrArray *
cp_lead_store_stage_summaries (CpLeadStore        *self,
                               const CpLeadQuery  *query,
                               GError            **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GPtrArray) text_params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) int_params = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) kinds = g_string_new ("i");
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_stage_summary_free);
  gint64 now = query != NULL && query->now != 0 ? query->now : self->now_func ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);

  if (query == NULL || !cp_lead_query_has_filter (query))
    return stage_summaries_from_totals (self, now, error);

  g_string_append (sql, "SELECT stage, count(*), total(score),"
                        " sum(sla_due_at > 0 AND first_response_at = 0 AND sla_due_at < ?"
                        "     AND stage NOT IN ('closed_won', 'closed_lost'))"
                        " FROM leads");
  g_array_append_val (int_params, now);
  build_where (query, self->default_region, sql, text_params, int_params, kinds);
  g_string_append (sql, " GROUP BY stage");

  stmt = _cp_database_prepare (self->database, sql->str, error);
  if (stmt == NULL)
    return NULL;
  bind_params (stmt, text_params, int_params, kinds);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpStageSummary *summary = g_new0 (CpStageSummary, 1);

      summary->stage = g_strdup (_cp_column_text (stmt, 0));
      summary->count = sqlite3_column_int (stmt, 1);
      summary->score_sum = (gint64) sqlite3_column_double (stmt, 2);
      summary->sla_breached = sqlite3_column_int (stmt, 3);
      g_ptr_array_add (result, summary);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not count leads per stage"));
      return NULL;
    }

  return g_steal_pointer (&result);
}

static gint
compare_history (gconstpointer a,
                 gconstpointer b)
{
  const CpHistoryEntry *x = *(CpHistoryEntry * const *) a;
  const CpHistoryEntry *y = *(CpHistoryEntry * const *) b;

  return x->time < y->time ? -1 : x->time > y->time ? 1 : 0;
}

/**
 * cp_lead_store_history:
 *
 * Returns: (transfer full) (element-type CpHistoryEntry): the stage events
 *   and audit rows of a lead (tombstoned or not), oldest first
 */
GPtrArray *
cp_lead_store_history (CpLeadStore  *self,
                       const char   *id,
                       GError      **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_history_entry_free);
  g_autoptr(CpLead) lead = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  lead = _cp_lead_store_load (self, id, NULL, error);
  if (lead == NULL)
    return NULL;

  stmt = _cp_database_statement (self->database, CP_STMT_AUDIT_FOR_ENTITY, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, "lead", -1, SQLITE_STATIC);
  _cp_bind_text (stmt, 2, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpHistoryEntry *entry;

      /* Stage changes are shown once, from their stage event. */
      if (g_strcmp0 (_cp_column_text (stmt, 2), "stage") == 0)
        continue;

      entry = g_new0 (CpHistoryEntry, 1);
      entry->time = sqlite3_column_int64 (stmt, 0);
      entry->action = g_strdup (_cp_column_text (stmt, 1));
      entry->field = g_strdup (_cp_column_text (stmt, 2));
      entry->old_value = g_strdup (_cp_column_text (stmt, 3));
      entry->new_value = g_strdup (_cp_column_text (stmt, 4));
      entry->actor = g_strdup (_cp_column_text (stmt, 5));
      entry->reason = g_strdup (_cp_column_text (stmt, 6));
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the history"));
      return NULL;
    }

  stmt = _cp_database_statement (self->database, CP_STMT_STAGE_EVENTS_FOR_LEAD, error);
  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpHistoryEntry *entry = g_new0 (CpHistoryEntry, 1);

      entry->time = sqlite3_column_int64 (stmt, 0);
      entry->action = g_strdup ("stage");
      entry->field = g_strdup ("stage");
      entry->old_value = g_strdup (_cp_column_text (stmt, 1));
      entry->new_value = g_strdup (_cp_column_text (stmt, 2));
      entry->reason = g_strdup (_cp_column_text (stmt, 3));
      entry->actor = g_strdup (_cp_column_text (stmt, 4));
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the history"));
      return NULL;
    }

  /* A stable sort: at equal times, audit rows (a creation) stay before
   * the stage events they caused. */
  g_ptr_array_sort (entries, compare_history);

  return g_steal_pointer (&entries);
}

/**
 * cp_lead_store_distinct_values:
 * @field: a text or choice field
 *
 * Returns: (transfer full) (element-type utf8): the values in use among
 *   live leads, sorted, at most 500 (for filter menus)
 */
GPtrArray *
cp_lead_store_distinct_values (CpLeadStore  *self,
                               CpLeadField   field,
                               GError      **error)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = NULL;
  const CpFieldInfo *info;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, NULL);

  info = cp_lead_field_info (field);
  g_return_val_if_fail (info->type == CP_FIELD_TYPE_TEXT || info->type == CP_FIELD_TYPE_CHOICE, NULL);

  /* The column name comes from the field table, never from input. */
  sql = g_strdup_printf ("SELECT DISTINCT %s FROM leads WHERE deleted_at = 0 AND %s IS NOT NULL"
                         " ORDER BY %s LIMIT 500", info->name, info->name, info->name);
  stmt = _cp_database_prepare (self->database, sql, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (values, g_strdup (_cp_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not list values"));
      return NULL;
    }

  return g_steal_pointer (&values);
}

/**
 * cp_lead_store_score_histogram:
 * @bucket_width: points per bucket (at least 1)
 * @closed_stages: (nullable) (array zero-terminated=1): the stages whose
 *   leads are closed, left out
 * @out_counts: (out) (transfer full) (element-type guint): leads per
 *   bucket, bucket i holding scores from i × @bucket_width; a negative
 *   score counts in the first
 *
 * How the open leads' stored scores spread: what a tier threshold would
 * split. Reads the stage and score index only.
 */
gboolean
cp_lead_store_score_histogram (CpLeadStore         *self,
                               guint                bucket_width,
                               const char * const  *closed_stages,
                               GArray             **out_counts,
                               GError             **error)
{
  g_autoptr(GArray) counts = g_array_new (FALSE, TRUE, sizeof (guint));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (bucket_width > 0 && out_counts != NULL, FALSE);

  stmt = _cp_database_prepare (self->database,
                               "SELECT stage, max (score, 0) / ?1, count(*)"
                               " FROM leads INDEXED BY leads_stage_score"
                               " WHERE deleted_at = 0 AND stage IS NOT NULL GROUP BY 1, 2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, (int) bucket_width);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint bucket = (guint) sqlite3_column_int64 (stmt, 1);
      guint count = (guint) sqlite3_column_int64 (stmt, 2);

      if (closed_stages != NULL && g_strv_contains (closed_stages, _cp_column_text (stmt, 0)))
        continue;
      if (bucket >= counts->len)
        g_array_set_size (counts, bucket + 1);
      g_array_index (counts, guint, bucket) += count;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not count leads by score"));
      return FALSE;
    }
  *out_counts = g_steal_pointer (&counts);
  return TRUE;
}

typedef struct
{
  char  *path;
  guint  bucket_width;
  GStrv  closed_stages;
} HistogramJob;

static void
histogram_job_free (HistogramJob *job)
{
  g_free (job->path);
  g_strfreev (job->closed_stages);
  g_free (job);
}

static void
histogram_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  HistogramJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_database_open_readonly (job->path, &error);
  g_autoptr(CpLeadStore) store = NULL;
  GArray *counts = NULL;

  if (database != NULL)
    {
      store = cp_lead_store_new (database);
      cp_lead_store_score_histogram (store, job->bucket_width,
                                     (const char * const *) job->closed_stages, &counts, &error);
    }
  if (counts == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, counts, (GDestroyNotify) g_array_unref);
}

/**
 * cp_lead_store_score_histogram_async:
 *
 * cp_lead_store_score_histogram() on a worker thread with its own read
 * connection (on the calling thread for a database without a file): a
 * million scores are not counted on the main thread.
 */
void
cp_lead_store_score_histogram_async (CpLeadStore         *self,
                                     guint                bucket_width,
                                     const char * const  *closed_stages,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  HistogramJob *job;
  const char *path;

  g_return_if_fail (CP_IS_LEAD_STORE (self));
  g_return_if_fail (bucket_width > 0);

  /* No source object: a view closed during the count lets go of the store
   * at once; its cancellable says the answer is not wanted. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_lead_store_score_histogram_async);
  job = g_new0 (HistogramJob, 1);
  job->bucket_width = bucket_width;
  job->closed_stages = g_strdupv ((char **) closed_stages);
  g_task_set_task_data (task, job, (GDestroyNotify) histogram_job_free);

  path = cp_database_get_path (self->database);
  if (path == NULL || *path == '\0' || g_str_equal (path, ":memory:"))
    {
      GArray *counts = NULL;
      GError *error = NULL;

      if (cp_lead_store_score_histogram (self, bucket_width, closed_stages, &counts, &error))
        g_task_return_pointer (task, counts, (GDestroyNotify) g_array_unref);
      else
        g_task_return_error (task, error);
      return;
    }
  job->path = g_strdup (path);
  g_task_run_in_thread (task, histogram_thread);
}

/**
 * cp_lead_store_score_histogram_finish:
 * @result: what cp_lead_store_score_histogram_async() gave its callback
 *
 * Returns: (transfer full) (element-type guint) (nullable): leads per
 *   bucket, or %NULL with @error set (%G_IO_ERROR_CANCELLED when cancelled)
 */
GArray *
cp_lead_store_score_histogram_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cp_lead_store_score_histogram_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cp_lead_store_common_values:
 * @field: a text or choice field
 * @limit: at most this many values
 *
 * The values the open leads have for @field, the most frequent first:
 * what a form can offer to choose from the data.
 *
 * Returns: (transfer full) (element-type utf8) (nullable): the values, or
 *   %NULL with @error
 */
GPtrArray *
cp_lead_store_common_values (CpLeadStore  *self,
                             CpLeadField   field,
                             guint         limit,
                             GError      **error)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = NULL;
  const CpFieldInfo *info;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, NULL);

  info = cp_lead_field_info (field);
  g_return_val_if_fail (info->type == CP_FIELD_TYPE_TEXT || info->type == CP_FIELD_TYPE_CHOICE, NULL);
  /* The column is one of the canonical field names, never user input. */
  sql = g_strdup_printf ("SELECT %s, count(*) AS n FROM leads WHERE deleted_at = 0 AND %s IS NOT NULL"
                         " AND %s != '' GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?1",
                         info->name, info->name, info->name);
  stmt = _cp_database_prepare (self->database, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, (int) MIN (limit, G_MAXINT));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (values, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the values of a field"));
      return NULL;
    }
  return g_steal_pointer (&values);
}

/* For the paged and streamed readers of a query (cp-lead-pages.c,
 * cp-lead-export.c): the same filter as every other read of it. */
void
_cp_lead_store_build_where (CpLeadStore       *self,
                            const CpLeadQuery *query,
                            GString           *sql,
                            GPtrArray         *text_params,
                            GArray            *int_params,
                            GString           *kinds)
{
  build_where (query, self->default_region, sql, text_params, int_params, kinds);
}

void
_cp_lead_store_bind_where (sqlite3_stmt *stmt,
                           GPtrArray    *text_params,
                           GArray       *int_params,
                           GString      *kinds)
{
  bind_params (stmt, text_params, int_params, kinds);
}

/* Whether a page of @query in date order is read by walking the date index
 * (a search that matches thousands) rather than sorting the matches. */
gboolean
_cp_lead_store_search_walks_dates (CpLeadStore       *self,
                                   const CpLeadQuery *query)
{
  g_autofree char *match = query != NULL ? cp_lead_query_fts_match (query->search) : NULL;

  return match != NULL && query->sort_field == CP_LEAD_FIELD_CREATED_AT &&
         count_matches_capped (self, match, SORT_MATCHES_LIMIT) >= SORT_MATCHES_LIMIT;
}
