/* cp-rescore-reader.c — every live lead in batches, read ahead on threads with their own connections
 *
 * Reading is the slow part of a rescore, so reader threads with their own
 * connections fetch the next batches of leads (and their activities,
 * through the covering index activities_scoring) — and, given a ready
 * function, score them — while the calling thread writes the current
 * one. Batches take turns between the threads.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-rescore"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-rescore-private.h"

typedef struct
{
  CpDatabase   *database;
  ReadPlan      plan;
  guint64       text_fields;       /* bit per CpLeadField read as text */
  CpLeadField   fields[CP_LEAD_N_FIELDS];
  guint         n_fields;
  sqlite3_stmt *lead_stmt;
  sqlite3_stmt *activity_stmt;
  sqlite3_stmt *custom_stmt;
} Reader;

/* Batch k holds the live leads with rowids in (k × CP_RESCORE_BATCH_SIZE,
 * (k + 1) × CP_RESCORE_BATCH_SIZE]: reader thread k mod N_READERS reads
 * it. Each reader has two batches that take turns with the scoring
 * thread. */
#define N_READERS 2

typedef struct _Source Source;

typedef struct
{
  Source      *source;
  guint        index;
  Batch        batches[2];
  GAsyncQueue *free_batches;
  GAsyncQueue *full_batches;
  GThread     *thread;
  ReadPlan     plan;
} ReaderThread;

struct _Source
{
  CpBatchReadyFunc ready;
  gpointer      ready_data;
  gint64        max_rowid;
  guint64       next;              /* the batch _cp_lead_source_next() returns next */
  gboolean      threaded;
  /* unthreaded */
  Reader        reader;
  Batch         batch;
  /* threaded */
  char         *path;
  ReaderThread  threads[N_READERS];
};

/* Handed to the reader thread to stop it. */
static Batch stop_batch;

#define FIELD_BIT(f) CP_PLAYBOOK_READS_FIELD (f)

/* Activity kinds as stored, without a loop over every name per row. */
static gboolean
kind_from_text (const char     *text,
                CpActivityKind *out_kind)
{
  static GHashTable *kinds;
  guint value;

  if (g_once_init_enter (&kinds))
    {
      GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint k = 0; k < CP_ACTIVITY_N_KINDS; k++)
        g_hash_table_insert (table, (gpointer) cp_activity_kind_to_string (k), GUINT_TO_POINTER (k + 1));
      g_once_init_leave (&kinds, table);
    }
  value = text != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (kinds, text)) : 0;
  if (value == 0)
    return FALSE;
  *out_kind = value - 1;
  return TRUE;
}

/* ---- batches ---- */

static void
batch_init (Batch *batch)
{
  batch->leads = g_new0 (BatchLead, CP_RESCORE_BATCH_SIZE);
  batch->activities = g_array_sized_new (FALSE, FALSE, sizeof (CpActivityRecord), CP_RESCORE_BATCH_SIZE * 4);
  batch->strings = g_string_chunk_new (1 << 20);
  batch->customs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  batch->scores = g_new0 (CpScoreResult, CP_RESCORE_BATCH_SIZE);
}

static void
batch_clear (Batch *batch)
{
  g_clear_pointer (&batch->leads, g_free);
  g_clear_pointer (&batch->activities, g_array_unref);
  g_clear_pointer (&batch->strings, g_string_chunk_free);
  g_clear_pointer (&batch->customs, g_ptr_array_unref);
  g_clear_pointer (&batch->scores, g_free);
  g_clear_error (&batch->error);
}

static const char *
chunk_text (Batch        *batch,
            sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? g_string_chunk_insert (batch->strings, text) : NULL;
}

/* ---- reading ---- */

static void
reader_clear (Reader *reader)
{
  g_clear_pointer (&reader->lead_stmt, sqlite3_finalize);
  g_clear_pointer (&reader->activity_stmt, sqlite3_finalize);
  g_clear_pointer (&reader->custom_stmt, sqlite3_finalize);
}

static gboolean
reader_init (Reader         *reader,
             CpDatabase     *database,
             const ReadPlan *plan,
             GError        **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT rowid, id, account_id, score, fit_score, "
                                         "intent_score, readiness_score, tier, queue, "
                                         "stage_entered_at");

  reader->database = database;
  reader->plan = *plan;
  for (guint f = 0; f < CP_LEAD_N_FIELDS; f++)
    {
      CpFieldType type = cp_lead_field_info (f)->type;

      if (!(plan->fields & FIELD_BIT (f)))
        continue;
      reader->fields[reader->n_fields++] = f;
      if (type == CP_FIELD_TYPE_TEXT || type == CP_FIELD_TYPE_CHOICE)
        reader->text_fields |= FIELD_BIT (f);
      /* Field names are the column names (cp-lead-columns.h). */
      g_string_append_printf (sql, ", %s", cp_lead_field_info (f)->name);
    }
  g_string_append (sql, " FROM leads WHERE deleted_at = 0 AND rowid > ?1 AND rowid <= ?2"
                       " ORDER BY rowid");
  reader->lead_stmt = _cp_database_prepare (database, sql->str, error);
  if (reader->lead_stmt == NULL)
    return FALSE;

  /* Activities of a range of leads in lead order: one pass over the
   * covering index activities_scoring (schema 6), no seek per lead.
   * Activities of deleted leads are skipped while merging. */
  reader->activity_stmt = _cp_database_prepare (database, plan->detail
    ? "SELECT lead_rowid, kind, occurred_at, detail FROM activities"
      " WHERE lead_rowid > ?1 AND lead_rowid <= ?2 ORDER BY lead_rowid, occurred_at"
    : "SELECT lead_rowid, kind, occurred_at FROM activities"
      " WHERE lead_rowid > ?1 AND lead_rowid <= ?2 ORDER BY lead_rowid, occurred_at",
    error);
  if (reader->activity_stmt == NULL)
    return FALSE;

  /* Custom fields only when a rule looks at one: a seek per lead. */
  if (plan->custom)
    {
      reader->custom_stmt = _cp_database_prepare (database,
        "SELECT l.rowid, c.key, c.value FROM leads l JOIN lead_custom_fields c ON c.lead_id = l.id"
        " WHERE l.rowid > ?1 AND l.rowid <= ?2 AND l.deleted_at = 0 ORDER BY l.rowid",
        error);
      if (reader->custom_stmt == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_leads (Reader  *reader,
            Batch   *batch,
            gint64   after_rowid,
            gint64   last_rowid,
            GError **error)
{
  sqlite3_stmt *stmt = reader->lead_stmt;
  int rc;

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, after_rowid);
  sqlite3_bind_int64 (stmt, 2, last_rowid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && batch->n_leads < CP_RESCORE_BATCH_SIZE)
    {
      BatchLead *lead = &batch->leads[batch->n_leads++];

      memset (lead, 0, sizeof *lead);
      lead->rowid = sqlite3_column_int64 (stmt, 0);
      lead->id = chunk_text (batch, stmt, 1);
      lead->account_id = chunk_text (batch, stmt, 2);
      lead->old_score = sqlite3_column_int (stmt, 3);
      for (guint c = 0; c < CP_SCORE_N_CATEGORIES; c++)
        lead->old_category[c] = sqlite3_column_int (stmt, 4 + c);
      lead->old_tier = chunk_text (batch, stmt, 7);
      lead->old_queue = chunk_text (batch, stmt, 8);
      lead->stage_entered_at = sqlite3_column_int64 (stmt, 9);
      for (guint i = 0; i < reader->n_fields; i++)
        {
          CpLeadField f = reader->fields[i];

          if (reader->text_fields & FIELD_BIT (f))
            lead->record.text[f] = chunk_text (batch, stmt, 10 + i);
          else
            lead->record.number[f] = sqlite3_column_int64 (stmt, 10 + i);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (reader->database, error, rc, _("Could not read the leads"));
      return FALSE;
    }
  return TRUE;
}

/* Walks rows of (lead rowid, …) in lead order alongside the batch. */
static BatchLead *
batch_find (Batch  *batch,
            guint  *cursor,
            gint64  rowid)
{
  while (*cursor < batch->n_leads && batch->leads[*cursor].rowid < rowid)
    (*cursor)++;
  if (*cursor == batch->n_leads || batch->leads[*cursor].rowid != rowid)
    return NULL;
  return &batch->leads[*cursor];
}

/* One row of (lead rowid, …) that belongs to @lead. */
typedef void (*RowFunc) (Reader       *reader,
                         Batch        *batch,
                         BatchLead    *lead,
                         sqlite3_stmt *stmt);

static void
add_activity_row (Reader       *reader,
                  Batch        *batch,
                  BatchLead    *lead,
                  sqlite3_stmt *stmt)
{
  CpActivityRecord record = { 0, };
  CpActivityKind kind;

  if (!kind_from_text ((const char *) sqlite3_column_text (stmt, 1), &kind))
    return;
  if (lead->n_activities == 0)
    lead->first_activity = batch->activities->len;
  lead->n_activities++;
  record.kind = kind;
  record.occurred_at = sqlite3_column_int64 (stmt, 2);
  record.detail = reader->plan.detail ? chunk_text (batch, stmt, 3) : NULL;
  g_array_append_val (batch->activities, record);
}

static void
add_custom_row (Reader       *reader,
                Batch        *batch,
                BatchLead    *lead,
                sqlite3_stmt *stmt)
{
  if (lead->record.custom == NULL)
    {
      lead->record.custom = g_hash_table_new (g_str_hash, g_str_equal);
      g_ptr_array_add (batch->customs, lead->record.custom);
    }
  g_hash_table_insert (lead->record.custom, (gpointer) chunk_text (batch, stmt, 1),
                       (gpointer) chunk_text (batch, stmt, 2));
}

/* Runs @stmt over the batch's rowid range; its rows come in lead order,
 * first column the lead's rowid (rows of deleted leads are skipped). */
static gboolean
read_lead_rows (Reader        *reader,
                Batch         *batch,
                sqlite3_stmt  *stmt,
                gint64         after_rowid,
                RowFunc        func,
                const char    *failure,
                GError       **error)
{
  guint cursor = 0;
  int rc;

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, after_rowid);
  sqlite3_bind_int64 (stmt, 2, batch->leads[batch->n_leads - 1].rowid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BatchLead *lead = batch_find (batch, &cursor, sqlite3_column_int64 (stmt, 0));

      if (lead != NULL)
        func (reader, batch, lead, stmt);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (reader->database, error, rc, failure);
      return FALSE;
    }
  return TRUE;
}

/* Reads batch @k (see Source) with what the rules need; past
 * @max_rowid it is the end. */
static gboolean
reader_read (Reader   *reader,
             Batch    *batch,
             guint64   k,
             gint64    max_rowid,
             GError  **error)
{
  gint64 after_rowid = (gint64) k * CP_RESCORE_BATCH_SIZE;

  batch->n_leads = 0;
  g_array_set_size (batch->activities, 0);
  g_string_chunk_clear (batch->strings);
  g_ptr_array_set_size (batch->customs, 0);
  batch->end = after_rowid >= max_rowid;
  if (batch->end)
    return TRUE;

  if (!read_leads (reader, batch, after_rowid, after_rowid + CP_RESCORE_BATCH_SIZE, error))
    return FALSE;
  if (batch->n_leads == 0)
    return TRUE;
  if (!read_lead_rows (reader, batch, reader->activity_stmt, after_rowid, add_activity_row,
                       _("Could not read the activities"), error))
    return FALSE;
  return reader->custom_stmt == NULL ||
         read_lead_rows (reader, batch, reader->custom_stmt, after_rowid, add_custom_row,
                         _("Could not read the custom fields"), error);
}

/* ---- the source: here, or on the reader threads ---- */

/* Reads batch @k and hands it to the source's ready function. */
static gboolean
source_read (Source   *source,
             Reader   *reader,
             Batch    *batch,
             guint64   k,
             GError  **error)
{
  if (!reader_read (reader, batch, k, source->max_rowid, error))
    return FALSE;
  if (source->ready != NULL && batch->n_leads > 0)
    source->ready (batch, source->ready_data);
  return TRUE;
}

static gpointer
reader_thread (gpointer user_data)
{
  ReaderThread *self = user_data;
  g_autoptr(CpDatabase) database = NULL;
  Reader reader = { 0, };
  GError *error = NULL;

  database = cp_database_open_readonly (self->source->path, &error);
  if (database != NULL)
    {
      /* A scan reads each page once: a small page cache, no mapping
       * (mapped pages would count as this process's memory). */
      _cp_database_exec (database, "PRAGMA cache_size = -8192", NULL);
      reader_init (&reader, database, &self->plan, &error);
    }

  for (guint64 k = self->index;; k += N_READERS)
    {
      Batch *batch = g_async_queue_pop (self->free_batches);

      if (batch == &stop_batch)
        break;
      if (error == NULL)
        source_read (self->source, &reader, batch, k, &error);
      if (error != NULL)
        {
          batch->n_leads = 0;
          batch->error = g_steal_pointer (&error);
          g_async_queue_push (self->full_batches, batch);
          break;
        }
      g_async_queue_push (self->full_batches, batch);
      if (batch->end)
        break;
    }

  g_clear_error (&error);
  reader_clear (&reader);
  return NULL;
}

static gint64
max_lead_rowid (CpDatabase  *database,
                GError     **error)
{
  sqlite3_stmt *stmt = _cp_database_prepare (database, "SELECT max(rowid) FROM leads", error);
  gint64 max_rowid;

  if (stmt == NULL)
    return -1;
  max_rowid = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_finalize (stmt);
  return max_rowid;
}

static gboolean
source_start (Source           *source,
              CpDatabase       *database,
              const ReadPlan   *plan,
              CpBatchReadyFunc  ready,
              gpointer          ready_data,
              GError          **error)
{
  const char *path = cp_database_get_path (database);

  memset (source, 0, sizeof *source);
  source->ready = ready;
  source->ready_data = ready_data;
  source->max_rowid = max_lead_rowid (database, error);
  if (source->max_rowid < 0)
    return FALSE;

  /* A second connection sees only what is committed: read on this one
   * inside the caller's transaction, or when there is no file to open. */
  source->threaded = !cp_database_in_transaction (database) && path != NULL &&
                     g_file_test (path, G_FILE_TEST_IS_REGULAR);
  if (!source->threaded)
    {
      batch_init (&source->batch);
      return reader_init (&source->reader, database, plan, error);
    }

  source->path = g_strdup (path);
  for (guint i = 0; i < N_READERS; i++)
    {
      ReaderThread *thread = &source->threads[i];

      thread->source = source;
      thread->index = i;
      thread->plan = *plan;
      thread->free_batches = g_async_queue_new ();
      thread->full_batches = g_async_queue_new ();
      for (guint b = 0; b < G_N_ELEMENTS (thread->batches); b++)
        {
          batch_init (&thread->batches[b]);
          g_async_queue_push (thread->free_batches, &thread->batches[b]);
        }
      thread->thread = g_thread_new ("cp-rescore-read", reader_thread, thread);
    }
  return TRUE;
}

/* The next batch in rowid order (->end after the last lead; a batch may
 * hold no leads), or %NULL with @error set. */
Batch *
_cp_lead_source_next (CpLeadSource  *source,
                      GError       **error)
{
  Batch *batch;

  if (!source->threaded)
    {
      batch = &source->batch;
      if (!source_read (source, &source->reader, batch, source->next++, error))
        return NULL;
      return batch;
    }

  batch = g_async_queue_pop (source->threads[source->next++ % N_READERS].full_batches);
  if (batch->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&batch->error));
      return NULL;
    }
  return batch;
}

/* Hands the batch _cp_lead_source_next() returned back to be filled again. */
void
_cp_lead_source_release (CpLeadSource *source,
                         Batch        *batch)
{
  if (source->threaded)
    g_async_queue_push (source->threads[(source->next - 1) % N_READERS].free_batches, batch);
}

static void
source_clear (Source *source)
{
  for (guint i = 0; i < N_READERS && source->threaded; i++)
    {
      ReaderThread *thread = &source->threads[i];

      if (thread->thread != NULL)
        {
          g_async_queue_push (thread->free_batches, &stop_batch);
          g_thread_join (g_steal_pointer (&thread->thread));
        }
      g_clear_pointer (&thread->free_batches, g_async_queue_unref);
      g_clear_pointer (&thread->full_batches, g_async_queue_unref);
      for (guint b = 0; b < G_N_ELEMENTS (thread->batches); b++)
        batch_clear (&thread->batches[b]);
    }
  g_clear_pointer (&source->path, g_free);
  reader_clear (&source->reader);
  if (source->batch.leads != NULL)
    batch_clear (&source->batch);
}

/**
 * _cp_lead_source_new:
 *
 * @ready: (nullable): called with each batch on the thread that read it
 *   (see #CpBatchReadyFunc); @ready_data must outlive the source
 *
 * Every live lead in rowid order, in batches read ahead on threads of
 * their own (unless the caller is inside a transaction).
 *
 * Returns: (transfer full): the source, or %NULL with @error set
 */
CpLeadSource *
_cp_lead_source_new (CpDatabase        *database,
                     const ReadPlan    *plan,
                     CpBatchReadyFunc   ready,
                     gpointer           ready_data,
                     GError           **error)
{
  Source *source = g_new0 (Source, 1);

  if (!source_start (source, database, plan, ready, ready_data, error))
    {
      _cp_lead_source_free (source);
      return NULL;
    }
  return source;
}

void
_cp_lead_source_free (CpLeadSource *source)
{
  if (source == NULL)
    return;
  source_clear (source);
  g_free (source);
}

/* ---- what the rules see of a lead of a batch ---- */

/* Accounts with several engaged contacts, for the account boost. */
GHashTable *
_cp_rescore_load_engaged_accounts (CpDatabase  *database,
                                   gint64       now,
                                   GError     **error)
{
  g_autoptr(GHashTable) accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = _cp_database_statement (database, CP_STMT_RESCORE_ENGAGED_ACCOUNTS, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now - CP_RESCORE_ENGAGED_DAYS * G_GINT64_CONSTANT (86400));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (accounts, g_strdup (_cp_column_text (stmt, 0)),
                         GUINT_TO_POINTER (sqlite3_column_int (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not read account engagement"));
      return NULL;
    }
  return g_steal_pointer (&accounts);
}

/* What the rules see of a lead of a batch. */
void
_cp_rescore_batch_input (Batch            *batch,
                         BatchLead        *lead,
                         GHashTable       *engaged_accounts,
                         gint64            now,
                         CpConditionInput *input)
{
  guint engaged = 0;

  memset (input, 0, sizeof *input);
  input->lead = &lead->record;
  input->activities = lead->n_activities > 0
                      ? &g_array_index (batch->activities, CpActivityRecord, lead->first_activity)
                      : NULL;
  input->n_activities = lead->n_activities;
  input->now = now;
  if (lead->account_id != NULL)
    {
      gboolean self_engaged = lead->record.number[CP_LEAD_FIELD_LAST_ACTIVITY_AT] >=
                              now - CP_RESCORE_ENGAGED_DAYS * G_GINT64_CONSTANT (86400);

      engaged = GPOINTER_TO_UINT (g_hash_table_lookup (engaged_accounts, lead->account_id));
      if (engaged > 0 && self_engaged)
        engaged--;
    }
  input->account_engaged_contacts = engaged;
}

/* How many live leads there are, for progress. */
gboolean
_cp_rescore_count_leads (CpDatabase  *database,
                         guint       *out_total,
                         GError     **error)
{
  /* stage_totals is kept by triggers (schema 3): no scan of the leads. */
  sqlite3_stmt *stmt = _cp_database_prepare (database, "SELECT total(lead_count) FROM stage_totals",
                                             error);

  if (stmt == NULL)
    return FALSE;
  *out_total = sqlite3_step (stmt) == SQLITE_ROW ? (guint) sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_finalize (stmt);
  return TRUE;
}
