/* cp-lead-pages.c — a query's leads a page at a time, each page after the last row of the one before
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-lead-columns.h"
#include "cp-lead-store-query-private.h"
#include "cp-lead-store-private.h"

/* Deep into a million rows, OFFSET reads and throws away every row before
 * the page. A page that starts after a known row (its sort key) is read
 * straight from the index instead; a jump far down finds its start key
 * from the index alone, without reading the wide lead rows. */

#define MAX_KEY_COLUMNS 4

struct _CpLeadKey
{
  guint          n_values;
  sqlite3_value *values[MAX_KEY_COLUMNS];  /* the sort columns, then the rowid */
};

void
_cp_lead_key_free (CpLeadKey *key)
{
  if (key == NULL)
    return;
  for (guint i = 0; i < key->n_values; i++)
    sqlite3_value_free (key->values[i]);
  g_free (key);
}

static CpLeadKey *
key_from_row (sqlite3_stmt *stmt,
              int           first_column,
              guint         n_values)
{
  CpLeadKey *key = g_new0 (CpLeadKey, 1);

  key->n_values = n_values;
  for (guint i = 0; i < n_values; i++)
    key->values[i] = sqlite3_value_dup (sqlite3_column_value (stmt, first_column + i));

  return key;
}

/* The columns of a query's order, ties broken by rowid; must be the order
 * cp_lead_store_query() reads (test-lead-pages compares the two). */
static char *
order_columns (const CpLeadQuery *query,
               guint             *out_n)
{
  CpLeadField sort_field = query != NULL ? query->sort_field : CP_LEAD_FIELD_CREATED_AT;

  if (sort_field == CP_LEAD_FIELD_SCORE)
    {
      *out_n = 4;
      return g_strdup ("score, sla_due_at, first_response_at, rowid");
    }

  *out_n = 2;
  return g_strconcat (cp_lead_field_info (sort_field)->name, ", rowid", NULL);
}

void
_cp_lead_query_append_order (const CpLeadQuery *query,
                             GString           *sql)
{
  const char *dir = query == NULL || query->sort_descending ? "DESC" : "ASC";
  guint n;
  g_autofree char *list = order_columns (query, &n);
  g_auto(GStrv) columns = g_strsplit (list, ", ", -1);

  g_string_append (sql, " ORDER BY ");
  for (guint i = 0; columns[i] != NULL; i++)
    g_string_append_printf (sql, "%s%s %s", i > 0 ? ", " : "", columns[i], dir);
}

/**
 * _cp_lead_query_can_seek:
 *
 * Row values compare as unknown against NULL, so only an order whose
 * columns are never NULL (the numbers and times) can be sought by key;
 * the others page with OFFSET.
 */
gboolean
_cp_lead_query_can_seek (const CpLeadQuery *query)
{
  static const CpLeadField not_null[] = {
    CP_LEAD_FIELD_SCORE, CP_LEAD_FIELD_FIT_SCORE, CP_LEAD_FIELD_INTENT_SCORE,
    CP_LEAD_FIELD_READINESS_SCORE, CP_LEAD_FIELD_SLA_DUE_AT, CP_LEAD_FIELD_FIRST_RESPONSE_AT,
    CP_LEAD_FIELD_LAST_ACTIVITY_AT, CP_LEAD_FIELD_CREATED_AT, CP_LEAD_FIELD_UPDATED_AT,
  };
  CpLeadField sort_field = query != NULL ? query->sort_field : CP_LEAD_FIELD_CREATED_AT;

  for (guint i = 0; i < G_N_ELEMENTS (not_null); i++)
    if (not_null[i] == sort_field)
      return TRUE;
  return FALSE;
}

/**
 * _cp_lead_store_page_sql:
 * @columns: what to select
 * @after: (nullable): the key of the row before the page
 * @text_params, @int_params, @kinds: receive the WHERE clause's values
 *
 * The SQL of a page of @query: SELECT @columns FROM leads WHERE (the
 * query) [AND after @after] ORDER BY … LIMIT ? OFFSET ?; the query-plan
 * test reads its plan.
 *
 * Returns: (transfer full): the statement's text
 */
char *
_cp_lead_store_page_sql (CpLeadStore       *self,
                         const CpLeadQuery *query,
                         const char        *columns,
                         const CpLeadKey   *after,
                         GPtrArray         *text_params,
                         GArray            *int_params,
                         GString           *kinds)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  gboolean descending = query == NULL || query->sort_descending;
  guint n_key;
  g_autofree char *key_columns = order_columns (query, &n_key);

  g_string_printf (sql, "SELECT %s FROM leads", columns);
  /* As cp_lead_store_query() reads a search that matches thousands in date
   * order. With no filter, a narrow SELECT deep into the date order is
   * planned as a sort of every row (a minute on a million cold rows); the
   * date index walks to it. */
  if (_cp_lead_store_search_walks_dates (self, query))
    g_string_append (sql, " INDEXED BY leads_created");
  else if (query == NULL || !cp_lead_query_has_filter (query))
    {
      CpLeadField sort_field = query != NULL ? query->sort_field : CP_LEAD_FIELD_CREATED_AT;

      if (sort_field == CP_LEAD_FIELD_CREATED_AT)
        g_string_append (sql, " INDEXED BY leads_created");
      else if (sort_field == CP_LEAD_FIELD_UPDATED_AT)
        g_string_append (sql, " INDEXED BY leads_updated");
    }
  _cp_lead_store_build_where (self, query, sql, text_params, int_params, kinds);
  if (after != NULL)
    {
      g_assert (after->n_values == n_key);
      g_string_append_printf (sql, " AND (%s) %s (", key_columns, descending ? "<" : ">");
      for (guint i = 0; i < n_key; i++)
        g_string_append (sql, i > 0 ? ", ?" : "?");
      g_string_append_c (sql, ')');
    }
  _cp_lead_query_append_order (query, sql);
  g_string_append (sql, " LIMIT ? OFFSET ?");

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static sqlite3_stmt *
prepare_page (CpLeadStore        *self,
              const CpLeadQuery  *query,
              const char         *columns,
              const CpLeadKey    *after,
              GError            **error)
{
  g_autoptr(GPtrArray) text_params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) int_params = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) kinds = g_string_new (NULL);
  g_autofree char *sql = _cp_lead_store_page_sql (self, query, columns, after, text_params, int_params,
                                                  kinds);
  sqlite3_stmt *stmt;

  stmt = _cp_database_prepare (self->database, sql, error);
  if (stmt == NULL)
    return NULL;
  _cp_lead_store_bind_where (stmt, text_params, int_params, kinds);
  for (guint i = 0; after != NULL && i < after->n_values; i++)
    sqlite3_bind_value (stmt, kinds->len + 1 + i, after->values[i]);

  return stmt;
}

/**
 * _cp_lead_store_query_after:
 * @after: (nullable): the key of the row before the page; %NULL: from the first
 * @out_last: (out) (optional) (nullable): the key of the page's last row
 *
 * A page of @query's leads, read from the index at @after: as fast at row
 * 900,000 as at row 0. @query must be one _cp_lead_query_can_seek() allows.
 *
 * Returns: (transfer full) (element-type CpLead): the page
 */
GPtrArray *
_cp_lead_store_query_after (CpLeadStore        *self,
                            const CpLeadQuery  *query,
                            const CpLeadKey    *after,
                            guint               limit,
                            CpLeadKey         **out_last,
                            GError            **error)
{
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CpLeadKey) last = NULL;
  g_autofree char *key_columns = NULL;
  g_autofree char *columns = NULL;
  sqlite3_stmt *stmt;
  guint n_key;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (_cp_lead_query_can_seek (query), NULL);

  key_columns = order_columns (query, &n_key);
  columns = g_strconcat (CP_LEAD_SELECT_COLUMNS ", ", key_columns, NULL);
  stmt = prepare_page (self, query, columns, after, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_count (stmt) - 1, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_count (stmt), 0);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (leads, _cp_lead_from_row (stmt));
      if (out_last != NULL && leads->len == limit)
        last = key_from_row (stmt, CP_LEAD_STAGE_ENTERED_COLUMN + 1, n_key);
    }
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not list leads"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  /* A short page is the last one: no key follows it. */
  sqlite3_finalize (stmt);

  if (out_last != NULL)
    *out_last = g_steal_pointer (&last);
  return g_steal_pointer (&leads);
}

/**
 * _cp_lead_store_key_at:
 * @position: a row of @query, from 0
 *
 * The key of the row at @position, read from the sort index alone where
 * one covers the query (the lead rows themselves are not read).
 *
 * Returns: (transfer full) (nullable): the key, or %NULL (with @error set
 *   on failure, without when @query has no such row)
 */
CpLeadKey *
_cp_lead_store_key_at (CpLeadStore        *self,
                       const CpLeadQuery  *query,
                       guint               position,
                       GError            **error)
{
  CpLeadKey *key = NULL;
  g_autofree char *key_columns = NULL;
  sqlite3_stmt *stmt;
  guint n_key;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (_cp_lead_query_can_seek (query), NULL);

  key_columns = order_columns (query, &n_key);
  stmt = prepare_page (self, query, key_columns, NULL, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_count (stmt) - 1, 1);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_count (stmt), position);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    key = key_from_row (stmt, 0, n_key);
  else if (rc != SQLITE_DONE)
    _cp_database_set_error (self->database, error, rc, _("Could not list leads"));
  sqlite3_finalize (stmt);

  return key;
}
