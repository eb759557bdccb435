/* cp-database-check.c — the integrity checks of a database, and their repair
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-database"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-impl.h"

/* ---- checks, in words ---- */

/* What a row of a table is, for a reader: “Activities: 3 rows refer to a
 * missing lead”. Tables not listed are named as they are. */
static const struct
{
  const char *table;
  const char *what;     /* N_() */
} table_words[] = {
  { "leads", N_("Leads") },
  { "lead_custom_fields", N_("Custom field values") },
  { "activities", N_("Activities") },
  { "stage_events", N_("Stage history") },
  { "merges", N_("Merges") },
  { "merge_snapshots", N_("Merge snapshots") },
  { "merge_moves", N_("Merge records") },
  { "sync_links", N_("CRM links") },
  { "sync_conflicts", N_("Sync conflicts") },
  { "accounts", N_("Organizations") },
};

static const struct
{
  const char *table;
  const char *one;      /* N_() */
} parent_words[] = {
  { "leads", N_("lead") },
  { "accounts", N_("organization") },
  { "merges", N_("merge") },
};

static const char *
table_in_words (const char *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (table_words); i++)
    if (g_strcmp0 (table_words[i].table, table) == 0)
      return _(table_words[i].what);
  return table;
}

static const char *
parent_in_words (const char *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (parent_words); i++)
    if (g_strcmp0 (parent_words[i].table, table) == 0)
      return _(parent_words[i].one);
  return table;
}

/* SQLite's own checks of the file: anything it finds is damage that
 * only a backup repairs. Its messages are technical; one is quoted. */
static void
check_file (CpDatabase *self,
            GPtrArray  *problems)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *first = NULL;
  guint n = 0;
  int rc;

  rc = sqlite3_prepare_v2 (self->handle, "PRAGMA integrity_check", -1, &stmt, NULL);
  for (rc = rc == SQLITE_OK ? sqlite3_step (stmt) : rc; rc == SQLITE_ROW; rc = sqlite3_step (stmt))
    {
      const char *row = _cp_column_text (stmt, 0);

      if (g_strcmp0 (row, "ok") == 0)
        continue;
      if (first == NULL)
        first = g_strdup (row);
      n++;
    }
  if (rc != SQLITE_DONE && first == NULL)
    first = g_strdup (sqlite3_errmsg (self->handle));
  sqlite3_finalize (stmt);

  if (first != NULL)
    g_ptr_array_add (problems,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "The database file is damaged (SQLite found "
                                                   "%u problem: “%s”). Restore the file from a "
                                                   "backup; a repair by Carepath cannot fix this.",
                                                   "The database file is damaged (SQLite found "
                                                   "%u problems, the first: “%s”). Restore the "
                                                   "file from a backup; a repair by Carepath "
                                                   "cannot fix this.", MAX (n, 1)),
                                      MAX (n, 1), first));
}

/* Rows that point at a row that is gone: one sentence per kind, with a
 * few of the row ids to look at. */
static void
check_references (CpDatabase *self,
                  GPtrArray  *problems)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->handle, "PRAGMA foreign_key_check", -1, &stmt, NULL);
  for (rc = rc == SQLITE_OK ? sqlite3_step (stmt) : rc; rc == SQLITE_ROW; rc = sqlite3_step (stmt))
    {
      /* table, rowid, parent table, constraint index */
      g_autofree char *key = g_strdup_printf ("%s\x1f%s", _cp_column_text (stmt, 0),
                                              _cp_column_text (stmt, 2));
      GPtrArray *rows = g_hash_table_lookup (groups, key);

      if (rows == NULL)
        {
          rows = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (order, key);
          g_hash_table_insert (groups, g_steal_pointer (&key), rows);
        }
      g_ptr_array_add (rows, g_strdup (sqlite3_column_type (stmt, 1) == SQLITE_NULL
                                       ? "?" : _cp_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    g_ptr_array_add (problems, g_strdup_printf (_("The links between records could not be "
                                                  "checked: %s"),
                                                sqlite3_errmsg (self->handle)));
  sqlite3_finalize (stmt);

  for (guint i = 0; i < order->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (order->pdata[i], "\x1f", 2);
      GPtrArray *rows = g_hash_table_lookup (groups, order->pdata[i]);
      g_autoptr(GString) ids = g_string_new (NULL);

      for (guint r = 0; r < rows->len && r < 5; r++)
        g_string_append_printf (ids, "%s%s", r > 0 ? ", " : "", (char *) rows->pdata[r]);
      if (rows->len > 5)
        g_string_append (ids, ", …");
      g_ptr_array_add (problems,
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%s: %u record refers to a %s that no "
                                                     "longer exists (row %s). Restore the file "
                                                     "from a backup, or remove that record.",
                                                     "%s: %u records refer to a %s that no "
                                                     "longer exists (rows %s). Restore the file "
                                                     "from a backup, or remove those records.",
                                                     rows->len),
                                        table_in_words (parts[0]), rows->len,
                                        parent_in_words (parts[1]), ids->str));
    }
}

/* The per-stage totals the board shows must agree with the leads. */
static guint
check_stage_totals (CpDatabase *self,
                    GPtrArray  *problems)
{
  sqlite3_stmt *stmt = NULL;
  guint n = 0;
  int rc;

  rc = sqlite3_prepare_v2 (self->handle,
                           "SELECT coalesce (t.stage, c.stage)"
                           " FROM (SELECT stage, count(*) AS n, total(score) AS s FROM leads"
                           "       WHERE deleted_at = 0 GROUP BY stage) AS c"
                           " FULL OUTER JOIN (SELECT * FROM stage_totals"
                           "                  WHERE lead_count <> 0) AS t ON t.stage = c.stage"
                           " WHERE t.lead_count IS NOT c.n"
                           "    OR t.score_sum IS NOT CAST (c.s AS INTEGER)",
                           -1, &stmt, NULL);
  for (rc = rc == SQLITE_OK ? sqlite3_step (stmt) : rc; rc == SQLITE_ROW; rc = sqlite3_step (stmt))
    {
      g_ptr_array_add (problems,
                       g_strdup_printf (_("The lead count and score total shown for the stage "
                                          "“%s” do not match its leads."),
                                        _cp_column_text (stmt, 0)));
      n++;
    }
  if (rc != SQLITE_DONE)
    g_ptr_array_add (problems, g_strdup_printf (_("The stage totals could not be checked: %s"),
                                                sqlite3_errmsg (self->handle)));
  sqlite3_finalize (stmt);
  return n;
}

/* How many leads the search index disagrees with, found by indexing the
 * leads again in a temporary table (same columns, same tokenizer) and
 * comparing every token of both; -1 when it cannot be counted. */
static gint64
count_stale_search_rows (CpDatabase *self)
{
  static const char setup[] =
    "CREATE VIRTUAL TABLE temp.cp_check_fts USING fts5 ("
    "  first_name, last_name, email, phone, organization, notes,"
    "  tokenize = 'unicode61 remove_diacritics 2');"
    "INSERT INTO temp.cp_check_fts (rowid, first_name, last_name, email, phone, organization,"
    "                               notes)"
    "  SELECT rowid, first_name, last_name, email, phone, organization, notes FROM main.leads;"
    "CREATE VIRTUAL TABLE temp.cp_check_fresh USING fts5vocab (temp, cp_check_fts, instance);"
    "CREATE VIRTUAL TABLE temp.cp_check_index USING fts5vocab (main, leads_fts, instance);";
  static const char teardown[] =
    "DROP TABLE IF EXISTS temp.cp_check_index;"
    "DROP TABLE IF EXISTS temp.cp_check_fresh;"
    "DROP TABLE IF EXISTS temp.cp_check_fts;";
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  if (sqlite3_exec (self->handle, setup, NULL, NULL, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (self->handle,
                          "SELECT count(*) FROM ("
                          " SELECT doc FROM (SELECT term, doc, col, offset"
                          "                  FROM temp.cp_check_index EXCEPT"
                          "                  SELECT term, doc, col, offset FROM temp.cp_check_fresh)"
                          " UNION"
                          " SELECT doc FROM (SELECT term, doc, col, offset"
                          "                  FROM temp.cp_check_fresh EXCEPT"
                          "                  SELECT term, doc, col, offset FROM temp.cp_check_index))",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_exec (self->handle, teardown, NULL, NULL, NULL);
  return count;
}

/* FTS5 reports an index that disagrees with its content table as a
 * malformed database: it is only out of date, and a rebuild repairs it. */
static guint
check_search_index (CpDatabase *self,
                    GPtrArray  *problems)
{
  sqlite3_stmt *stmt = NULL;
  gint64 stale;
  int rc;

  rc = sqlite3_prepare_v2 (self->handle,
                           "INSERT INTO leads_fts (leads_fts, rank) VALUES ('integrity-check', 1)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    return 0;
  if ((rc & 0xff) != SQLITE_CORRUPT)
    {
      g_ptr_array_add (problems, g_strdup_printf (_("The search index could not be checked: %s"),
                                                  sqlite3_errstr (rc)));
      return 0;
    }

  stale = count_stale_search_rows (self);
  if (stale > 0)
    g_ptr_array_add (problems,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "The search index is out of date for %"
                                                   G_GINT64_FORMAT " lead: a search may miss it, "
                                                   "or find it by words it no longer has.",
                                                   "The search index is out of date for %"
                                                   G_GINT64_FORMAT " leads: a search may miss "
                                                   "them, or find them by words they no longer "
                                                   "have.", stale), stale));
  else
    g_ptr_array_add (problems, g_strdup (_("The search index is out of date: a search may miss "
                                           "leads, or find them by words they no longer have.")));
  return 1;
}

/**
 * cp_database_check_repairable:
 * @out_repairable: (out) (optional): how many of the problems
 *   cp_database_repair() fixes (an out-of-date search index, wrong stage
 *   totals); the others need a backup
 *
 * Runs SQLite's integrity and foreign-key checks, the check of the
 * per-stage totals and the full-text index check (not on a read-only
 * database: it writes), and says what they found in words.
 *
 * Returns: (transfer full): the problems found, one readable sentence
 *   each; empty when the database is sound
 */
GPtrArray *
cp_database_check_repairable (CpDatabase  *self,
                              guint       *out_repairable,
                              GError     **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  guint repairable = 0;

  g_return_val_if_fail (CP_IS_DATABASE (self), NULL);

  check_file (self, problems);
  check_references (self, problems);
  repairable += check_stage_totals (self, problems);
  if (!self->readonly)
    repairable += check_search_index (self, problems);

  if (out_repairable != NULL)
    *out_repairable = repairable;
  return g_steal_pointer (&problems);
}

/**
 * cp_database_repair:
 *
 * Rebuilds what is derived from the leads and can always be computed
 * again: the search index and the per-stage totals, in one transaction.
 * Damage to the file itself, or records that lost what they belong to,
 * need a backup instead.
 *
 * Returns: %TRUE when repaired
 */
gboolean
cp_database_repair (CpDatabase  *self,
                    GError     **error)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), FALSE);

  if (!cp_database_begin (self, error))
    return FALSE;
  if (!_cp_database_exec (self,
                          "INSERT INTO leads_fts (leads_fts) VALUES ('rebuild');"
                          "DELETE FROM stage_totals;"
                          "INSERT INTO stage_totals (stage, lead_count, score_sum)"
                          "  SELECT stage, count(*), total(score) FROM leads"
                          "  WHERE deleted_at = 0 GROUP BY stage;",
                          error))
    {
      cp_database_rollback (self);
      return FALSE;
    }
  return cp_database_commit (self, error);
}

