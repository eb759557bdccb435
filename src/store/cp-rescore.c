/* cp-rescore.c — score every lead with a playbook, in batches, with progress and cancel
 *
 * Reading is the slow part of a rescore, so a reader thread with its own
 * connection fetches the next batch of leads (and their activities, through
 * the covering index activities_scoring) while the calling thread scores
 * and writes the current one. Two batches take turns between the threads.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-rescore"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-rescore.h"
#include "cp-rescore-private.h"
#include "cp-router.h"
#include "cp-transition.h"

#define BATCH_SIZE 20000
#define COMMIT_LEADS (5 * BATCH_SIZE)
#define IMPACT_EXAMPLES 10

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

/* Batch k holds the live leads with rowids in (k × BATCH_SIZE,
 * (k + 1) × BATCH_SIZE]: reader thread k mod N_READERS reads it. Each
 * reader has two batches that take turns with the scoring thread. */
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
  gint64        max_rowid;
  guint64       next;              /* the batch source_next() returns next */
  gboolean      threaded;
  /* unthreaded */
  Reader        reader;
  Batch         batch;
  /* threaded */
  char         *path;
  ReaderThread  threads[N_READERS];
};

/* The scoring side: the scorer and what it needs beyond one lead. */
typedef struct
{
  CpScorer   *scorer;
  GHashTable *engaged_accounts;    /* account id → engaged contacts */
  gint64      now;
} Scoring;

/* Handed to the reader thread to stop it. */
static Batch stop_batch;

#define FIELD_BIT(f) (G_GUINT64_CONSTANT (1) << (f))

static void
plan_add_condition (ReadPlan          *plan,
                    const CpCondition *condition)
{
  if (condition == NULL)
    return;
  if (condition->type == CP_CONDITION_FIELD && condition->field < CP_LEAD_N_FIELDS)
    plan->fields |= FIELD_BIT (condition->field);
  plan->detail |= cp_condition_uses_activity_detail (condition);
  plan->custom |= cp_condition_uses_custom_fields (condition);
  for (guint i = 0; i < condition->n_children; i++)
    plan_add_condition (plan, condition->children[i]);
}

static void
plan_add_scoring (ReadPlan   *plan,
                  CpPlaybook *playbook)
{
  for (guint i = 0; i < playbook->scoring.rules->len; i++)
    plan_add_condition (plan, ((CpScoreRule *) g_ptr_array_index (playbook->scoring.rules, i))->condition);
  plan->fields |= FIELD_BIT (CP_LEAD_FIELD_STAGE) | FIELD_BIT (CP_LEAD_FIELD_LAST_ACTIVITY_AT) |
                  FIELD_BIT (CP_LEAD_FIELD_CREATED_AT);
}

/* Everything routing and stage moves look at too (a preview of a draft). */
static void
plan_add_everything (ReadPlan   *plan,
                     CpPlaybook *playbook)
{
  plan_add_scoring (plan, playbook);
  for (guint i = 0; i < playbook->route_rules->len; i++)
    plan_add_condition (plan, ((CpRouteRule *) g_ptr_array_index (playbook->route_rules, i))->condition);
  for (guint i = 0; i < playbook->stages->len; i++)
    {
      const CpStage *stage = g_ptr_array_index (playbook->stages, i);

      plan_add_condition (plan, stage->entry);
      plan_add_condition (plan, stage->exit);
      for (guint r = 0; stage->required_fields != NULL && stage->required_fields[r] != NULL; r++)
        {
          CpLeadField field;

          /* Canonical fields only (cp_playbook_validate()). */
          if (cp_lead_field_from_name (stage->required_fields[r], &field))
            plan->fields |= FIELD_BIT (field);
        }
    }
}

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
  batch->leads = g_new0 (BatchLead, BATCH_SIZE);
  batch->activities = g_array_sized_new (FALSE, FALSE, sizeof (CpActivityRecord), BATCH_SIZE * 4);
  batch->strings = g_string_chunk_new (1 << 20);
  batch->customs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
}

static void
batch_clear (Batch *batch)
{
  g_clear_pointer (&batch->leads, g_free);
  g_clear_pointer (&batch->activities, g_array_unref);
  g_clear_pointer (&batch->strings, g_string_chunk_free);
  g_clear_pointer (&batch->customs, g_ptr_array_unref);
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
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && batch->n_leads < BATCH_SIZE)
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
  gint64 after_rowid = (gint64) k * BATCH_SIZE;

  batch->n_leads = 0;
  g_array_set_size (batch->activities, 0);
  g_string_chunk_clear (batch->strings);
  g_ptr_array_set_size (batch->customs, 0);
  batch->end = after_rowid >= max_rowid;
  if (batch->end)
    return TRUE;

  if (!read_leads (reader, batch, after_rowid, after_rowid + BATCH_SIZE, error))
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
      _cp_database_exec (database, "PRAGMA mmap_size = 4294967296", NULL);
      reader_init (&reader, database, &self->plan, &error);
    }

  for (guint64 k = self->index;; k += N_READERS)
    {
      Batch *batch = g_async_queue_pop (self->free_batches);

      if (batch == &stop_batch)
        break;
      if (error == NULL)
        reader_read (&reader, batch, k, self->source->max_rowid, &error);
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
source_start (Source         *source,
              CpDatabase     *database,
              const ReadPlan *plan,
              GError        **error)
{
  const char *path = cp_database_get_path (database);

  memset (source, 0, sizeof *source);
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
static Batch *
source_next (Source  *source,
             GError **error)
{
  Batch *batch;

  if (!source->threaded)
    {
      batch = &source->batch;
      if (!reader_read (&source->reader, batch, source->next++, source->max_rowid, error))
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

/* Hands the batch source_next() returned back to be filled again. */
static void
source_release (Source *source,
                Batch  *batch)
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

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Source, source_clear)

/* ---- the source, for the other readers of every lead ---- */

void
_cp_rescore_plan_add_everything (ReadPlan   *plan,
                                 CpPlaybook *playbook)
{
  plan_add_everything (plan, playbook);
}

void
_cp_rescore_plan_add_field (ReadPlan    *plan,
                            CpLeadField  field)
{
  plan->fields |= FIELD_BIT (field);
}

/**
 * _cp_lead_source_new:
 *
 * Every live lead in rowid order, in batches read ahead on threads of
 * their own (unless the caller is inside a transaction).
 *
 * Returns: (transfer full): the source, or %NULL with @error set
 */
CpLeadSource *
_cp_lead_source_new (CpDatabase      *database,
                     const ReadPlan  *plan,
                     GError         **error)
{
  Source *source = g_new0 (Source, 1);

  if (!source_start (source, database, plan, error))
    {
      _cp_lead_source_free (source);
      return NULL;
    }
  return source;
}

Batch *
_cp_lead_source_next (CpLeadSource  *source,
                      GError       **error)
{
  return source_next (source, error);
}

void
_cp_lead_source_release (CpLeadSource *source,
                         Batch        *batch)
{
  source_release (source, batch);
}

void
_cp_lead_source_free (CpLeadSource *source)
{
  if (source == NULL)
    return;
  source_clear (source);
  g_free (source);
}

/* ---- scoring ---- */

static void
scoring_clear (Scoring *scoring)
{
  g_clear_pointer (&scoring->engaged_accounts, g_hash_table_unref);
  g_clear_pointer (&scoring->scorer, cp_scorer_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Scoring, scoring_clear)

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

static gboolean
scoring_init (Scoring     *scoring,
              CpDatabase  *database,
              CpPlaybook  *playbook,
              GHashTable  *engaged_accounts,
              gint64       now,
              GError     **error)
{
  scoring->scorer = cp_scorer_new (playbook);
  scoring->now = now;
  scoring->engaged_accounts = engaged_accounts != NULL
                              ? g_hash_table_ref (engaged_accounts)
                              : _cp_rescore_load_engaged_accounts (database, now, error);
  return scoring->engaged_accounts != NULL;
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

static void
scoring_score (Scoring       *scoring,
               Batch         *batch,
               BatchLead     *lead,
               CpScoreResult *result)
{
  CpConditionInput input;

  _cp_rescore_batch_input (batch, lead, scoring->engaged_accounts, scoring->now, &input);
  cp_scorer_score (scoring->scorer, &input, result);
}

static gboolean
count_leads (CpDatabase  *database,
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

/* The UPDATE of a changed lead names only the columns that changed: an
 * index on the score (the board's order) or on the tier is then only
 * touched when that value moved — a new tier threshold rewrites no score
 * index entry. Bit 0: the score changed, bit 1: the tier changed. */
typedef struct
{
  sqlite3_stmt *update[4];
} Writer;

static void
writer_clear (Writer *writer)
{
  for (guint i = 0; i < G_N_ELEMENTS (writer->update); i++)
    g_clear_pointer (&writer->update[i], sqlite3_finalize);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Writer, writer_clear)

static gboolean
write_lead (CpDatabase          *database,
            Writer              *writer,
            const BatchLead     *lead,
            const CpScoreResult *result,
            const char          *actor,
            const char          *reason,
            gint64               now,
            CpRescoreStats      *stats,
            GError             **error)
{
  gboolean tier_changed = g_strcmp0 (lead->old_tier, result->tier) != 0;
  guint variant = (result->score != lead->old_score ? 1 : 0) | (tier_changed ? 2 : 0);
  sqlite3_stmt *stmt = writer->update[variant];

  if (stmt == NULL)
    {
      g_autofree char *sql = g_strdup_printf ("UPDATE leads SET fit_score = ?3, intent_score = ?4,"
                                              " readiness_score = ?5%s%s WHERE rowid = ?1",
                                              variant & 1 ? ", score = ?2" : "",
                                              variant & 2 ? ", tier = ?6" : "");

      stmt = writer->update[variant] = _cp_database_prepare (database, sql, error);
      if (stmt == NULL)
        return FALSE;
    }
  sqlite3_reset (stmt);
  /* Parameters a variant leaves out are out of range: ignored. */
  sqlite3_bind_int64 (stmt, 1, lead->rowid);
  sqlite3_bind_int (stmt, 2, result->score);
  for (guint c = 0; c < CP_SCORE_N_CATEGORIES; c++)
    sqlite3_bind_int (stmt, 3 + c, result->category[c]);
  sqlite3_bind_text (stmt, 6, result->tier, -1, SQLITE_STATIC);
  if (!_cp_database_step_done (database, stmt, error))
    return FALSE;
  stats->changed++;

  if (!tier_changed)
    return TRUE;
  stmt = _cp_database_statement (database, CP_STMT_AUDIT_INSERT, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, "lead", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, lead->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, "rescore", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, "tier", -1, SQLITE_STATIC);
  if (lead->old_tier != NULL)
    sqlite3_bind_text (stmt, 5, lead->old_tier, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, result->tier, -1, SQLITE_STATIC);
  if (actor != NULL)
    sqlite3_bind_text (stmt, 7, actor, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, now);
  sqlite3_bind_text (stmt, 9, reason, -1, SQLITE_STATIC);
  if (!_cp_database_step_done (database, stmt, error))
    return FALSE;
  stats->tier_changes++;
  return TRUE;
}

static gboolean
finish_run (CpDatabase      *database,
            gint64           run_id,
            CpRescoreStats  *stats,
            GError         **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (database, CP_STMT_RESCORE_RUN_FINISH, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int (stmt, 2, stats->leads);
  sqlite3_bind_int (stmt, 3, stats->changed);
  sqlite3_bind_int (stmt, 4, stats->tier_changes);
  sqlite3_bind_int (stmt, 5, !stats->cancelled);
  return _cp_database_step_done (database, stmt, error);
}

static gboolean
commit_pending (CpDatabase  *database,
                gboolean    *in_transaction,
                GError     **error)
{
  if (!*in_transaction)
    return TRUE;
  *in_transaction = FALSE;
  return cp_database_commit (database, error);   /* rolls back when it fails */
}

static gboolean
rescore_run (CpDatabase      *database,
             CpPlaybook      *playbook,
             gint64           playbook_version,
             gint64           now,
             const char      *actor,
             CpProgressFunc   progress,
             gpointer         user_data,
             GCancellable    *cancellable,
             CpRescoreStats  *out_stats,
             GError         **error)
{
  g_auto(Source) source = { 0, };
  g_auto(Scoring) scoring = { 0, };
  g_auto(Writer) writer = { { NULL, } };
  g_autofree char *reason = NULL;
  CpRescoreStats stats = { 0, };
  ReadPlan plan = { 0, };
  sqlite3_stmt *stmt;
  gint64 run_id;
  guint total = 0, uncommitted = 0;
  gboolean in_transaction = FALSE;

  g_return_val_if_fail (CP_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (playbook != NULL, FALSE);

  plan_add_scoring (&plan, playbook);
  if (!count_leads (database, &total, error) ||
      !scoring_init (&scoring, database, playbook, NULL, now, error))
    return FALSE;
  reason = playbook_version > 0
           ? g_strdup_printf (_("Rescored with playbook version %" G_GINT64_FORMAT), playbook_version)
           : g_strdup (_("Rescored with the default playbook"));

  stmt = _cp_database_statement (database, CP_STMT_RESCORE_RUN_INSERT, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, playbook_version);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_cp_database_step_done (database, stmt, error))
    return FALSE;
  run_id = sqlite3_last_insert_rowid (_cp_database_get_handle (database));

  if (!source_start (&source, database, &plan, error))
    return FALSE;
  for (;;)
    {
      Batch *batch;

      if (g_cancellable_is_cancelled (cancellable))
        {
          stats.cancelled = TRUE;
          break;
        }
      batch = source_next (&source, error);
      if (batch == NULL)
        {
          if (in_transaction)
            cp_database_rollback (database);
          return FALSE;
        }
      if (batch->end)
        break;
      if (!in_transaction && !cp_database_begin (database, error))
        return FALSE;
      in_transaction = TRUE;
      for (guint i = 0; i < batch->n_leads; i++)
        {
          BatchLead *lead = &batch->leads[i];
          CpScoreResult result;

          scoring_score (&scoring, batch, lead, &result);
          stats.leads++;
          if (result.score == lead->old_score &&
              result.category[0] == lead->old_category[0] &&
              result.category[1] == lead->old_category[1] &&
              result.category[2] == lead->old_category[2] &&
              g_strcmp0 (result.tier, lead->old_tier) == 0)
            continue;
          if (!write_lead (database, &writer, lead, &result, actor, reason, now, &stats, error))
            {
              cp_database_rollback (database);
              return FALSE;
            }
        }
      /* A transaction spans several batches: an index page that many
       * changed leads share is then written once, not once per batch. */
      uncommitted += batch->n_leads;
      if (uncommitted >= COMMIT_LEADS && !commit_pending (database, &in_transaction, error))
        return FALSE;
      uncommitted = in_transaction ? uncommitted : 0;
      source_release (&source, batch);
      if (progress != NULL)
        progress (stats.leads, MAX (total, stats.leads), user_data);
    }

  if (!commit_pending (database, &in_transaction, error))
    return FALSE;
  if (!finish_run (database, run_id, &stats, error))
    return FALSE;
  if (out_stats != NULL)
    *out_stats = stats;
  return TRUE;
}

/**
 * cp_rescore_run:
 * @database: a connection owned by the calling thread (run this on a
 *   worker with its own connection, see cp_rescore_run_async())
 * @playbook: the playbook to score with
 * @playbook_version: its version id (0: the built-in default), recorded
 *   with the run so each score can be explained as of that version
 * @now: the time decay is measured to
 * @actor: (nullable): who asked, for the audit trail
 * @progress: (nullable): called after each batch
 * @cancellable: (nullable): stops after the current batch; batches scored
 *   so far stay written
 * @out_stats: (out) (optional): what happened
 *
 * Rescores every live lead in batches of 20,000, read ahead on a thread
 * with its own connection (unless the caller is inside a transaction),
 * committed every 100,000 leads. Only changed rows are written; each tier
 * change leaves an audit row (entity "lead", action "rescore", field
 * "tier").
 *
 * Returns: %FALSE with @error set if the database failed (a cancel is not
 *   an error: see @out_stats)
 */
gboolean
cp_rescore_run (CpDatabase      *database,
                CpPlaybook      *playbook,
                gint64           playbook_version,
                gint64           now,
                const char      *actor,
                CpProgressFunc   progress,
                gpointer         user_data,
                GCancellable    *cancellable,
                CpRescoreStats  *out_stats,
                GError         **error)
{
  gboolean ok;

  /* A full scan reads the file straight from the page cache without a
   * system call per page; only this connection maps it, and only now.
   * A larger page cache holds the index pages that changed leads share
   * across batches. */
  _cp_database_exec (database, "PRAGMA mmap_size = 4294967296", NULL);
  _cp_database_exec (database, "PRAGMA cache_size = -262144", NULL);
  ok = rescore_run (database, playbook, playbook_version, now, actor, progress, user_data,
                    cancellable, out_stats, error);
  _cp_database_exec (database, "PRAGMA cache_size = -32768", NULL);
  _cp_database_exec (database, "PRAGMA mmap_size = 0", NULL);

  return ok;
}

/**
 * cp_rescore_dry_run:
 * @playbook: a draft
 * @out_tier_changes: (out): how many leads would change tier
 * @out_leads: (out): how many leads were scored
 *
 * Which stored tiers a rescore with @playbook would change, writing
 * nothing (stored tiers may also be stale: cp_rescore_impact() isolates
 * what a draft itself changes).
 */
gboolean
cp_rescore_dry_run (CpDatabase  *database,
                    CpPlaybook  *playbook,
                    gint64       now,
                    guint       *out_tier_changes,
                    guint       *out_leads,
                    GError     **error)
{
  g_auto(Source) source = { 0, };
  g_auto(Scoring) scoring = { 0, };
  ReadPlan plan = { 0, };
  guint changes = 0, leads = 0;

  plan_add_scoring (&plan, playbook);
  if (!scoring_init (&scoring, database, playbook, NULL, now, error) ||
      !source_start (&source, database, &plan, error))
    return FALSE;
  for (;;)
    {
      Batch *batch = source_next (&source, error);

      if (batch == NULL)
        return FALSE;
      if (batch->end)
        break;
      for (guint i = 0; i < batch->n_leads; i++)
        {
          CpScoreResult result;

          scoring_score (&scoring, batch, &batch->leads[i], &result);
          leads++;
          changes += g_strcmp0 (result.tier, batch->leads[i].old_tier) != 0;
        }
      source_release (&source, batch);
    }
  *out_tier_changes = changes;
  *out_leads = leads;
  return TRUE;
}

void
cp_playbook_impact_free (CpPlaybookImpact *impact)
{
  if (impact == NULL)
    return;
  for (guint i = 0; i < CP_IMPACT_N_KINDS; i++)
    g_clear_pointer (&impact->examples[i], g_ptr_array_unref);
  g_free (impact);
}

/* The open stage after @stage_id in the playbook's order, if any. */
static const CpStage *
next_open_stage (CpPlaybook *playbook,
                 const char *stage_id)
{
  gboolean seen = FALSE;

  for (guint i = 0; stage_id != NULL && i < playbook->stages->len; i++)
    {
      const CpStage *stage = g_ptr_array_index (playbook->stages, i);

      if (seen && !stage->closed)
        return stage;
      seen |= g_strcmp0 (stage->id, stage_id) == 0;
    }
  return NULL;
}

/* Whether the lead could no longer move on to the next stage. */
static gboolean
is_blocked (CpPlaybook       *playbook,
            CpConditionInput *input,
            const char       *stage_id)
{
  const CpStage *next = next_open_stage (playbook, stage_id);
  g_autoptr(CpMoveCheck) check = NULL;

  if (next == NULL)
    return FALSE;
  check = cp_transition_check (playbook, input, next->id);
  return check->verdict == CP_MOVE_MISSING_FIELDS || check->verdict == CP_MOVE_BLOCKED_BY_EXIT ||
         check->verdict == CP_MOVE_BLOCKED_BY_ENTRY;
}

static const char *
queue_of (CpPlaybook       *playbook,
          CpConditionInput *input)
{
  const CpRouteRule *rule = cp_router_match_rule (playbook, input);

  return rule != NULL ? rule->queue : playbook->fallback_queue;
}

static void
impact_count (CpPlaybookImpact *impact,
              CpImpactKind      kind,
              const char       *lead_id)
{
  impact->counts[kind]++;
  if (impact->examples[kind]->len < IMPACT_EXAMPLES)
    g_ptr_array_add (impact->examples[kind], g_strdup (lead_id));
}

/**
 * cp_rescore_impact:
 * @database: a connection
 * @current: the playbook in effect
 * @draft: the playbook that would replace it
 * @now: the time both are evaluated at
 * @progress: (nullable): called after each batch
 * @cancellable: (nullable): stops early (then %NULL and a cancelled error)
 *
 * What publishing @draft would do, writing nothing: for every live lead,
 * both playbooks are evaluated at the same time, so only the draft's own
 * differences count (not scores gone stale since the last rescore). A lead
 * counts as newly blocked when, under the draft but not now, it could not
 * move on to the next open stage (missing required fields, or an exit or
 * entry rule); a lead whose stage the draft no longer has counts in
 * CP_IMPACT_STAGE_REMOVED. Up to ten example leads are kept per kind.
 *
 * Returns: (transfer full) (nullable): the impact, or %NULL with @error set
 */
CpPlaybookImpact *
cp_rescore_impact (CpDatabase     *database,
                   CpPlaybook     *current,
                   CpPlaybook     *draft,
                   gint64          now,
                   CpProgressFunc  progress,
                   gpointer        user_data,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autoptr(CpPlaybookImpact) impact = g_new0 (CpPlaybookImpact, 1);
  g_autoptr(GHashTable) engaged = NULL;
  g_auto(Source) source = { 0, };
  g_auto(Scoring) before = { 0, };
  g_auto(Scoring) after = { 0, };
  ReadPlan plan = { 0, };
  guint total = 0;

  g_return_val_if_fail (CP_IS_DATABASE (database), NULL);
  g_return_val_if_fail (current != NULL && draft != NULL, NULL);

  for (guint i = 0; i < CP_IMPACT_N_KINDS; i++)
    impact->examples[i] = g_ptr_array_new_with_free_func (g_free);
  plan_add_everything (&plan, current);
  plan_add_everything (&plan, draft);
  engaged = _cp_rescore_load_engaged_accounts (database, now, error);
  if (engaged == NULL || !count_leads (database, &total, error) ||
      !scoring_init (&before, database, current, engaged, now, error) ||
      !scoring_init (&after, database, draft, engaged, now, error) ||
      !source_start (&source, database, &plan, error))
    return NULL;

  for (;;)
    {
      Batch *batch;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      batch = source_next (&source, error);
      if (batch == NULL)
        return NULL;
      if (batch->end)
        break;
      for (guint i = 0; i < batch->n_leads; i++)
        {
          BatchLead *lead = &batch->leads[i];
          const char *stage = lead->record.text[CP_LEAD_FIELD_STAGE];
          CpScoreResult old_result, new_result;
          CpConditionInput input;

          impact->leads++;
          _cp_rescore_batch_input (batch, lead, engaged, now, &input);
          cp_scorer_score (before.scorer, &input, &old_result);
          cp_scorer_score (after.scorer, &input, &new_result);
          if (old_result.score != new_result.score)
            impact_count (impact, CP_IMPACT_SCORE, lead->id);
          if (g_strcmp0 (old_result.tier, new_result.tier) != 0)
            impact_count (impact, CP_IMPACT_TIER, lead->id);
          if (g_strcmp0 (queue_of (current, &input), queue_of (draft, &input)) != 0)
            impact_count (impact, CP_IMPACT_QUEUE, lead->id);
          if (cp_playbook_get_stage (current, stage) != NULL &&
              cp_playbook_get_stage (draft, stage) == NULL)
            impact_count (impact, CP_IMPACT_STAGE_REMOVED, lead->id);
          else if (is_blocked (draft, &input, stage) && !is_blocked (current, &input, stage))
            impact_count (impact, CP_IMPACT_BLOCKED, lead->id);
        }
      source_release (&source, batch);
      if (progress != NULL)
        progress (impact->leads, MAX (total, impact->leads), user_data);
    }
  return g_steal_pointer (&impact);
}

/* ---- on a worker thread ---- */

typedef struct
{
  char           *path;
  CpPlaybook     *playbook;
  gint64          version;
  gint64          now;
  char           *actor;
  CpRescoreStats  stats;
} RescoreTaskData;

static void
rescore_task_data_free (RescoreTaskData *data)
{
  g_free (data->path);
  cp_playbook_unref (data->playbook);
  g_free (data->actor);
  g_free (data);
}

static void
rescore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RescoreTaskData *data = task_data;
  g_autoptr(CpDatabase) database = NULL;
  GError *error = NULL;

  /* Its own connection: SQLite connections are not shared across threads. */
  database = cp_database_open (data->path, &error);
  if (database == NULL ||
      !cp_rescore_run (database, data->playbook, data->version, data->now, data->actor,
                       NULL, NULL, cancellable, &data->stats, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
cp_rescore_run_async (const char          *database_path,
                      CpPlaybook          *playbook,
                      gint64               playbook_version,
                      gint64               now,
                      const char          *actor,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RescoreTaskData *data;

  g_return_if_fail (database_path != NULL && playbook != NULL);

  data = g_new0 (RescoreTaskData, 1);
  data->path = g_strdup (database_path);
  data->playbook = cp_playbook_ref (playbook);
  data->version = playbook_version;
  data->now = now;
  data->actor = g_strdup (actor);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_rescore_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify) rescore_task_data_free);
  g_task_run_in_thread (task, rescore_thread);
}

gboolean
cp_rescore_run_finish (GAsyncResult    *result,
                       CpRescoreStats  *out_stats,
                       GError         **error)
{
  GTask *task = G_TASK (result);

  g_return_val_if_fail (g_task_get_source_tag (task) == cp_rescore_run_async, FALSE);

  if (!g_task_propagate_boolean (task, error))
    return FALSE;
  if (out_stats != NULL)
    *out_stats = ((RescoreTaskData *) g_task_get_task_data (task))->stats;
  return TRUE;
}

/* ---- one lead ---- */

void
cp_lead_snapshot_free (CpLeadSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_clear_pointer (&snapshot->records, g_array_unref);
  g_clear_pointer (&snapshot->activities, g_ptr_array_unref);
  g_clear_object (&snapshot->lead);
  g_free (snapshot);
}

/**
 * cp_lead_snapshot_load:
 * @now: the time conditions and decay are evaluated at
 *
 * Returns: (transfer full) (nullable): the lead, its activities and its
 *   account engagement, ready to score, explain, route or check a move
 */
CpLeadSnapshot *
cp_lead_snapshot_load (CpLeadStore  *store,
                       const char   *id,
                       gint64        now,
                       GError      **error)
{
  g_autoptr(CpLeadSnapshot) snapshot = g_new0 (CpLeadSnapshot, 1);
  CpDatabase *database = cp_lead_store_get_database (store);
  sqlite3_stmt *stmt;

  snapshot->lead = cp_lead_store_get (store, id, error);
  if (snapshot->lead == NULL)
    return NULL;
  snapshot->activities = cp_lead_store_list_activities (store, cp_lead_get_id (snapshot->lead), error);
  if (snapshot->activities == NULL)
    return NULL;
  snapshot->records = cp_activity_records_new (snapshot->activities);
  cp_lead_record_init (&snapshot->record, snapshot->lead);

  snapshot->input.lead = &snapshot->record;
  snapshot->input.activities = (CpActivityRecord *) snapshot->records->data;
  snapshot->input.n_activities = snapshot->records->len;
  snapshot->input.now = now;

  stmt = _cp_database_statement (database, CP_STMT_RESCORE_ACCOUNT_CONTACTS, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, cp_lead_get_id (snapshot->lead), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now - CP_RESCORE_ENGAGED_DAYS * G_GINT64_CONSTANT (86400));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    snapshot->input.account_engaged_contacts = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  return g_steal_pointer (&snapshot);
}
