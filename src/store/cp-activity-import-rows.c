/* cp-activity-import-rows.c — an activity list a batch at a time: each row matched, a lead's rows written together
 *
 * Rows are read CP_ACTIVITY_IMPORT_BATCH_ROWS at a time, and a batch is
 * one transaction (a kill loses at most the batch; running the import
 * again records it, and finds the rest "already recorded"). In a batch:
 *
 *  1. each row is read as an activity and the person it names (a row
 *     that cannot be read is reported with its reason);
 *  2. a row recorded before (a re-import) is counted as such; every other
 *     row is matched to a lead (cp-activity-match.c), which says why
 *     none is taken, or a lead is made as the options ask. (One query for
 *     the whole batch's emails was tried and measured: it read the leads'
 *     pages ahead of their writes, and the writes read them again —
 *     docs/performance-activity-import.md);
 *  3. the rows are grouped by lead: a lead's activities of the batch go
 *     through the write path together, in time order, the lead read,
 *     recomputed and written once (_cp_lead_store_write_activities()).
 *
 * The report lists the rows in file order, whatever order they were
 * written in.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-activity-import"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-activity-import-private.h"
#include "cp-core-error.h"
#include "cp-database-private.h"
#include "cp-lead-write-private.h"
#include "cp-store-error.h"

/* Stage moves named (the lead's name read) in the result; the rest carry
 * the lead's id only. */
#define NAMED_MOVES 200

typedef CpActivityImport Import;

/* A row of the batch, as read and matched. */
typedef struct
{
  guint64     line;
  GPtrArray  *row;
  CpActivity *activity;    /* (nullable) NULL: reported, nothing to write */
  CpLead     *person;
  char       *email_key;   /* (nullable) */
  char       *lead_id;     /* (nullable) the lead it is, once matched */
} Pending;

static void
pending_clear (Pending *pending)
{
  g_clear_pointer (&pending->row, g_ptr_array_unref);
  g_clear_object (&pending->activity);
  g_clear_object (&pending->person);
  g_clear_pointer (&pending->email_key, g_free);
  g_clear_pointer (&pending->lead_id, g_free);
}

/* What the store refuses of a row is reported with the row; anything
 * else (the disk, the database) stops the import. */
static gboolean
is_refusal (const GError *error)
{
  return error->domain == CP_CORE_ERROR ||
         g_error_matches (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID) ||
         g_error_matches (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
}

/* A lead for a row no lead is (--create-leads): through the write path,
 * routed, scored and with its SLA clock, as a typed one. */
static gboolean
create_lead (Import   *import,
             CpLead   *person,
             char    **out_lead_id,
             GError  **error)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  CpWriteRequest request = _cp_write_request ("import", import->options->actor, NULL, import->now,
                                              CP_WRITE_BULK | CP_WRITE_BATCH);
  const CpLeadField fields[] = {
    CP_LEAD_FIELD_FIRST_NAME, CP_LEAD_FIELD_LAST_NAME, CP_LEAD_FIELD_EMAIL, CP_LEAD_FIELD_PHONE,
    CP_LEAD_FIELD_ORGANIZATION,
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (cp_lead_get_text (person, fields[i]) != NULL)
      cp_lead_set_text (lead, fields[i], cp_lead_get_text (person, fields[i]));
  cp_lead_set_text (lead, CP_LEAD_FIELD_SOURCE_CHANNEL, "event");
  if (!_cp_lead_store_write_new (import->store, lead, NULL, NULL, &request, NULL, error))
    return FALSE;
  *out_lead_id = g_strdup (cp_lead_get_id (lead));
  import->result->leads_created++;
  return TRUE;
}

static void
note_moves (Import         *import,
            guint64         line,
            const char     *lead_id,
            CpWriteOutcome *outcome)
{
  for (guint i = 0; outcome->moves != NULL && i < outcome->moves->len; i++)
    {
      CpProposedMove *proposed = outcome->moves->pdata[i];
      CpActivityImportMove *move = g_new0 (CpActivityImportMove, 1);

      move->line = line;
      move->lead_id = g_strdup (lead_id);
      if (import->result->moves->len < NAMED_MOVES)
        {
          g_autoptr(CpLead) lead = cp_lead_store_get (import->store, lead_id, NULL);

          move->lead_name = lead != NULL ? cp_lead_dup_display_name (lead) : NULL;
        }
      move->rule_id = g_strdup (proposed->rule_id);
      move->from_stage = g_strdup (proposed->from_stage);
      move->to_stage = g_strdup (proposed->to_stage);
      g_ptr_array_add (import->result->moves, move);
    }
}

/* ---- matching ---- */

/* A row matched to its lead (or a lead made for it): sets @pending's
 * lead, or reports the row. %FALSE only when the import must stop. */
static gboolean
match_alone (Import   *import,
             Pending  *pending,
             GError  **error)
{
  g_auto(CpActivityMatch) match = { NULL, };
  g_autoptr(GError) local_error = NULL;
  CpLead *person = pending->person;

  if (!_cp_activity_match (import->store, person, &match, error))
    return FALSE;
  if (match.candidates != NULL)
    {
      _cp_activity_import_report_row (import, pending->row, pending->line, CP_ACTIVITY_ROW_AMBIGUOUS,
                                      match.reason, match.candidates);
      return TRUE;
    }
  if (match.lead_id != NULL)
    {
      if (match.evidence == CP_IMPORT_EVIDENCE_EMAIL)
        import->result->by_email++;
      else
        import->result->by_phone_name++;
      pending->lead_id = g_steal_pointer (&match.lead_id);
      return TRUE;
    }
  /* Never a lead from a name alone (the row's email or phone says whom
   * to contact), nor a second lead for a phone a lead already has. */
  if (!import->options->create_leads || match.shares_key ||
      (cp_lead_get_text (person, CP_LEAD_FIELD_EMAIL) == NULL &&
       cp_lead_get_text (person, CP_LEAD_FIELD_PHONE) == NULL))
    {
      _cp_activity_import_report_row (import, pending->row, pending->line, CP_ACTIVITY_ROW_UNMATCHED,
                                      match.reason, NULL);
      return TRUE;
    }
  if (!create_lead (import, person, &pending->lead_id, &local_error))
    {
      if (!is_refusal (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      _cp_activity_import_report_row (import, pending->row, pending->line, CP_ACTIVITY_ROW_REJECTED,
                                      local_error->message, NULL);
    }
  return TRUE;
}

/* Whether the row's activity is recorded already, known before any lead
 * is looked for when the row has an email (its identity is the email's,
 * whichever lead it is): a re-import does not match its rows again. */
static gboolean
recorded_before (Import    *import,
                 Pending   *pending,
                 gboolean  *out_recorded,
                 GError   **error)
{
  g_autofree char *external_id = NULL;

  *out_recorded = FALSE;
  if (pending->email_key == NULL)
    return TRUE;
  external_id = _cp_activity_external_id (import->options->kind, pending->email_key,
                                          cp_activity_get_occurred_at (pending->activity),
                                          cp_activity_get_detail (pending->activity));
  return _cp_lead_store_activity_recorded (import->store, external_id, out_recorded, error);
}

/* Every readable row of the batch to its lead, in file order (a lead
 * made for one row is found by the next row naming the same person). */
static gboolean
match_batch (Import  *import,
             GArray  *batch,
             GError **error)
{
  for (guint i = 0; i < batch->len; i++)
    {
      Pending *pending = &g_array_index (batch, Pending, i);
      gboolean recorded = FALSE;

      if (pending->activity == NULL)
        continue;
      if (!recorded_before (import, pending, &recorded, error))
        return FALSE;
      if (recorded)
        import->result->already++;
      else if (!match_alone (import, pending, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- writing ---- */

/* Who the activity is of, as the file says it (its email key when it has
 * one: the same whichever lead it matches, else the lead), in its id. */
static void
identify (Import  *import,
          Pending *pending)
{
  const char *who = pending->email_key != NULL ? pending->email_key : pending->lead_id;
  g_autofree char *external_id = _cp_activity_external_id (import->options->kind, who,
                                                           cp_activity_get_occurred_at (pending->activity),
                                                           cp_activity_get_detail (pending->activity));

  cp_activity_set_external_id (pending->activity, external_id);
  cp_activity_set_lead_id (pending->activity, pending->lead_id);
}

static void
count_outcome (Import         *import,
               Pending        *pending,
               CpWriteOutcome *outcome)
{
  if (outcome->duplicate)
    import->result->already++;
  else
    import->result->recorded++;
  note_moves (import, pending->line, pending->lead_id, outcome);
}

/* One row through the write path alone. %FALSE only when the import must
 * stop (the database, or a refusal after part of the row was written). */
static gboolean
write_one (Import   *import,
           Pending  *pending,
           GError  **error)
{
  g_auto(CpWriteOutcome) outcome = { NULL, };
  g_autoptr(GError) local_error = NULL;
  CpWriteRequest request = _cp_write_request ("activity", import->options->actor, NULL, import->now,
                                              CP_WRITE_BULK);
  sqlite3 *handle = _cp_database_get_handle (import->database);
  int changes = sqlite3_total_changes (handle);

  if (_cp_lead_store_write_activity (import->store, pending->activity, &request, &outcome, &local_error))
    {
      count_outcome (import, pending, &outcome);
      return TRUE;
    }
  if (!is_refusal (local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (sqlite3_total_changes (handle) != changes)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("Line %" G_GUINT64_FORMAT " was refused after part of it was written (%s); "
                     "the import stopped and its last batch was not kept."),
                   pending->line, local_error->message);
      return FALSE;
    }
  _cp_activity_import_report_row (import, pending->row, pending->line, CP_ACTIVITY_ROW_REJECTED,
                                  local_error->message, NULL);
  return TRUE;
}

/* The @i-th of a lead's rows (@members: their positions in @batch). */
static Pending *
member (GArray *batch,
        GArray *members,
        guint   i)
{
  return &g_array_index (batch, Pending, g_array_index (members, guint, i));
}

/* A lead's rows of the batch (@members: positions in @batch, in time
 * order) through the write path together; refused whole before anything
 * was written, they go one by one, each refused or not on its own. */
static gboolean
write_lead (Import   *import,
            GArray   *batch,
            GArray   *members,
            GError  **error)
{
  g_autoptr(GPtrArray) activities = NULL;
  g_autofree CpWriteOutcome *outcomes = NULL;
  g_autoptr(GError) local_error = NULL;
  CpWriteRequest request = _cp_write_request ("activity", import->options->actor, NULL, import->now,
                                              CP_WRITE_BULK);
  sqlite3 *handle = _cp_database_get_handle (import->database);
  int changes = sqlite3_total_changes (handle);
  gboolean ok;

  if (members->len == 1)
    return write_one (import, member (batch, members, 0), error);
  activities = g_ptr_array_new ();
  outcomes = g_new0 (CpWriteOutcome, members->len);
  for (guint i = 0; i < members->len; i++)
    g_ptr_array_add (activities, member (batch, members, i)->activity);
  ok = _cp_lead_store_write_activities (import->store, member (batch, members, 0)->lead_id, activities,
                                        &request, outcomes, &local_error);
  for (guint i = 0; ok && i < members->len; i++)
    count_outcome (import, member (batch, members, i), &outcomes[i]);
  for (guint i = 0; i < members->len; i++)
    cp_write_outcome_clear (&outcomes[i]);
  if (ok)
    return TRUE;
  if (!is_refusal (local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (sqlite3_total_changes (handle) != changes)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("Line %" G_GUINT64_FORMAT " was refused after part of it was written (%s); "
                     "the import stopped and its last batch was not kept."),
                   member (batch, members, 0)->line, local_error->message);
      return FALSE;
    }
  for (guint i = 0; i < members->len; i++)
    if (!write_one (import, member (batch, members, i), error))
      return FALSE;
  return TRUE;
}

/* Time order within a lead, then file order. */
static int
compare_members (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  GArray *batch = user_data;
  Pending *x = &g_array_index (batch, Pending, *(const guint *) a);
  Pending *y = &g_array_index (batch, Pending, *(const guint *) b);
  gint64 tx = cp_activity_get_occurred_at (x->activity);
  gint64 ty = cp_activity_get_occurred_at (y->activity);

  if (tx != ty)
    return tx < ty ? -1 : 1;
  return x->line < y->line ? -1 : x->line > y->line;
}

/* The matched rows by lead, leads in the order the file first names them,
 * each lead's rows in time order; written a lead at a time. %FALSE when
 * the import must stop, or was cancelled (@out_cancelled). */
static gboolean
write_batch (Import        *import,
             GArray        *batch,
             GCancellable  *cancellable,
             gboolean      *out_cancelled,
             GError       **error)
{
  g_autoptr(GHashTable) by_lead = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) leads = g_ptr_array_new ();

  for (guint i = 0; i < batch->len; i++)
    {
      Pending *pending = &g_array_index (batch, Pending, i);
      GArray *members;

      if (pending->activity == NULL || pending->lead_id == NULL)
        continue;
      identify (import, pending);
      members = g_hash_table_lookup (by_lead, pending->lead_id);
      if (members == NULL)
        {
          members = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (by_lead, pending->lead_id, members);
          g_ptr_array_add (leads, members);
        }
      g_array_append_val (members, i);
    }
  for (guint i = 0; i < leads->len; i++)
    {
      GArray *members = leads->pdata[i];

      if (g_cancellable_is_cancelled (cancellable))
        {
          *out_cancelled = TRUE;
          return FALSE;
        }
      g_array_sort_with_data (members, compare_members, batch);
      if (!write_lead (import, batch, members, error))
        return FALSE;
    }
  return TRUE;
}

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const CpActivityRowReport *x = *(CpActivityRowReport * const *) a;
  const CpActivityRowReport *y = *(CpActivityRowReport * const *) b;

  return x->line < y->line ? -1 : x->line > y->line;
}

static int
compare_moves (gconstpointer a,
               gconstpointer b)
{
  const CpActivityImportMove *x = *(CpActivityImportMove * const *) a;
  const CpActivityImportMove *y = *(CpActivityImportMove * const *) b;

  return x->line < y->line ? -1 : x->line > y->line;
}

/* The batch's reports and moves (from @problems and @moves on) in file
 * order; the sort is stable, so a row's moves stay in the order made. */
static void
sort_from (GPtrArray    *array,
           guint         from,
           GCompareFunc  compare)
{
  g_autoptr(GPtrArray) tail = g_ptr_array_new ();

  for (guint i = from; i < array->len; i++)
    g_ptr_array_add (tail, array->pdata[i]);
  g_ptr_array_sort (tail, compare);
  for (guint i = 0; i < tail->len; i++)
    array->pdata[from + i] = tail->pdata[i];
}

/* ---- the run ---- */

/* What the result said when a batch began: a cancel rolls back to it. */
typedef struct
{
  CpActivityImportResult counts;
  guint                  problems;
  guint                  moves;
} Mark;

static Mark
mark_batch (CpActivityImportResult *result)
{
  Mark mark = { *result, result->problems->len, result->moves->len };

  return mark;
}

static void
back_to_mark (CpActivityImportResult *result,
              const Mark             *mark)
{
  result->rows = mark->counts.rows;
  result->recorded = mark->counts.recorded;
  result->already = mark->counts.already;
  result->unmatched = mark->counts.unmatched;
  result->ambiguous = mark->counts.ambiguous;
  result->rejected = mark->counts.rejected;
  result->skipped = mark->counts.skipped;
  result->leads_created = mark->counts.leads_created;
  result->by_email = mark->counts.by_email;
  result->by_phone_name = mark->counts.by_phone_name;
  g_ptr_array_set_size (result->problems, mark->problems);
  g_ptr_array_set_size (result->moves, mark->moves);
}

/* Reads the next batch of rows (a row the reader cannot make out is
 * reported as it comes). %FALSE only when the file cannot be read on;
 * @out_end: no row is left (or a preview has its rows). */
static gboolean
read_batch (Import        *import,
            CpCsvReader   *reader,
            GCancellable  *cancellable,
            GArray        *batch,
            gboolean      *out_end,
            GError       **error)
{
  const CpActivityImportOptions *options = import->options;
  CpActivityImportResult *result = import->result;

  *out_end = FALSE;
  while (batch->len < CP_ACTIVITY_IMPORT_BATCH_ROWS)
    {
      g_autoptr(GPtrArray) row = NULL;
      g_autoptr(GError) local_error = NULL;
      Pending pending = { 0, };
      guint64 line;

      if (g_cancellable_is_cancelled (cancellable))
        return TRUE;
      if (options->max_rows > 0 && result->rows >= options->max_rows)
        break;
      row = cp_csv_reader_next (reader, &local_error);
      if (row == NULL && local_error == NULL)
        break;
      line = cp_csv_reader_get_line (reader);
      if (row == NULL)
        {
          g_autoptr(GPtrArray) nothing = g_ptr_array_new ();

          if (!cp_csv_error_skips_record (local_error) &&
              !g_error_matches (local_error, CP_CSV_ERROR, CP_CSV_ERROR_UNTERMINATED_QUOTE))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          result->rows++;
          _cp_activity_import_report_row (import, nothing, line, CP_ACTIVITY_ROW_REJECTED,
                                          local_error->message, NULL);
          if (local_error->code == CP_CSV_ERROR_UNTERMINATED_QUOTE)
            break;   /* the rest of the file is inside the quote */
          continue;
        }
      if (_cp_activity_import_row_is_blank (row))
        continue;
      result->rows++;
      pending.line = line;
      pending.activity = _cp_activity_import_row_activity (import, row, line);
      if (pending.activity != NULL)
        {
          pending.person = _cp_activity_import_row_person (import, row);
          pending.email_key = cp_lead_match_key (pending.person, CP_MATCH_EMAIL, NULL);
        }
      pending.row = g_steal_pointer (&row);
      g_array_append_val (batch, pending);
    }
  *out_end = batch->len < CP_ACTIVITY_IMPORT_BATCH_ROWS;
  return TRUE;
}

/* One batch read, matched and written in the open transaction. */
static gboolean
land_batch (Import        *import,
            CpCsvReader   *reader,
            GCancellable  *cancellable,
            gboolean      *out_end,
            gboolean      *out_cancelled,
            GError       **error)
{
  g_autoptr(GArray) batch = g_array_new (FALSE, TRUE, sizeof (Pending));
  CpActivityImportResult *result = import->result;
  guint problems = result->problems->len;
  guint moves = result->moves->len;

  g_array_set_clear_func (batch, (GDestroyNotify) pending_clear);
  if (!read_batch (import, reader, cancellable, batch, out_end, error))
    return FALSE;
  if (g_cancellable_is_cancelled (cancellable))
    {
      *out_cancelled = TRUE;
      return FALSE;
    }
  if (!match_batch (import, batch, error) ||
      !write_batch (import, batch, cancellable, out_cancelled, error))
    return FALSE;
  sort_from (result->problems, problems, compare_problems);
  sort_from (result->moves, moves, compare_moves);
  return TRUE;
}

/**
 * _cp_activity_import_rows:
 *
 * Every row after the header, a batch to a transaction (a dry run: all
 * in one, rolled back). A cancel rolls the batch in progress back, and
 * the result back to what the committed batches did.
 */
gboolean
_cp_activity_import_rows (Import         *import,
                          CpCsvReader    *reader,
                          CpProgressFunc  progress,
                          gpointer        user_data,
                          GCancellable   *cancellable,
                          GError        **error)
{
  const CpActivityImportOptions *options = import->options;
  CpActivityImportResult *result = import->result;
  gboolean open = FALSE;
  gboolean end = FALSE;

  while (!end)
    {
      gboolean cancelled = FALSE;
      Mark mark = mark_batch (result);

      if (!open)
        {
          if (!cp_database_begin (import->database, error))
            return FALSE;
          open = TRUE;
        }
      if (!land_batch (import, reader, cancellable, &end, &cancelled, error))
        {
          cp_database_rollback (import->database);
          if (!cancelled)
            return FALSE;
          /* A cancel leaves no half batch (a dry run: nothing at all). */
          result->cancelled = TRUE;
          if (!options->dry_run)
            back_to_mark (result, &mark);
          return TRUE;
        }
      if (options->dry_run)
        continue;
      open = FALSE;
      if (!cp_database_commit (import->database, error))
        return FALSE;
      cp_lead_store_emit_bulk_change (import->store);
      if (progress != NULL && !end)
        progress (result->rows, 0, user_data);
    }
  if (open)
    cp_database_rollback (import->database);   /* a dry run leaves nothing */
  return TRUE;
}
