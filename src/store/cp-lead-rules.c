/* cp-lead-rules.c — what the write path asks the playbook: the one in effect, what its rules see, routing, derived fields, transition checks
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-database-private.h"
#include "cp-lead-write-private.h"
#include "cp-normalize.h"
#include "cp-playbook-store.h"
#include "cp-router.h"
#include "cp-rescore.h"
#include "cp-validate.h"

/* ---- the playbook in effect ---- */

static gint64
active_version (CpLeadStore  *self,
                gint64        now,
                GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (self->database, CP_STMT_PLAYBOOK_ACTIVE_ID, error);
  gint64 version = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the playbook in effect"));
      return -1;
    }
  return version;
}

/**
 * _cp_lead_store_lifecycle:
 * @now: the time of the write (a version may take effect later)
 *
 * The playbook in effect, as another process may have published one:
 * checked once per transaction (one indexed lookup), read again only when
 * the version changed.
 *
 * Returns: (transfer none): the playbook ready to judge writes, or %NULL
 *   with @error set
 */
CpLifecycle *
_cp_lead_store_lifecycle (CpLeadStore  *self,
                          gint64        now,
                          GError      **error)
{
  guint64 serial = _cp_database_transaction_serial (self->database);
  g_autoptr(CpPlaybookVersion) info = NULL;
  g_autoptr(CpPlaybook) playbook = NULL;
  gint64 version;

  if (self->lifecycle != NULL && serial != 0 && serial == self->lifecycle_serial)
    return self->lifecycle;

  version = active_version (self, now, error);
  if (version < 0)
    return NULL;
  if (self->lifecycle == NULL || cp_lifecycle_get_version (self->lifecycle) != version)
    {
      playbook = version > 0 ? cp_playbook_store_get (self->database, version, &info, error)
                             : cp_playbook_store_load_active (self->database, now, &info, error);
      if (playbook == NULL)
        return NULL;
      g_clear_pointer (&self->lifecycle, cp_lifecycle_unref);
      self->lifecycle = cp_lifecycle_new (playbook, version);
    }
  self->lifecycle_serial = serial;
  return self->lifecycle;
}

/* ---- what the rules see of a lead ---- */


void
_cp_rule_view_clear (CpRuleView *view)
{
  g_clear_pointer (&view->records, g_array_unref);
  g_clear_pointer (&view->activities, g_ptr_array_unref);
}


/* The engaged contacts of @organization as of @now, @lead_id apart,
 * counted up to @cap (cp_lifecycle_account_cap()): an organization of
 * thousands costs no more than one of a few. */
gboolean
_cp_lead_rules_count_engaged (CpLeadStore  *self,
                              const char   *organization,
                              const char   *lead_id,
                              gint64        now,
                              guint         cap,
                              guint        *out_count,
                              GError      **error)
{
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;
  int rc;

  *out_count = 0;
  if (cap == 0 || organization == NULL)
    return TRUE;
  key = cp_normalize_name (organization);
  if (key == NULL || *key == '\0')
    return TRUE;
  stmt = _cp_database_statement (self->database, CP_STMT_ACCOUNT_ENGAGED_BY_KEY, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, key);
  _cp_bind_text (stmt, 2, lead_id);
  sqlite3_bind_int64 (stmt, 3, now - CP_RESCORE_ENGAGED_DAYS * G_GINT64_CONSTANT (86400));
  sqlite3_bind_int64 (stmt, 4, cap == G_MAXUINT ? -1 : (sqlite3_int64) cap);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_count = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _cp_database_set_error (self->database, error, rc,
                              _("Could not count the organization’s contacts"));
      return FALSE;
    }
  return TRUE;
}

/* @lead with its stored activities (or @activities, for a lead being
 * created with its past) and its account's engagement, as of @now. */
gboolean
_cp_rule_view_init (CpLeadStore  *self,
                CpRuleView     *view,
                CpLead       *lead,
                gboolean      stored,
                GPtrArray    *activities,
                gint64        now,
                GError      **error)
{
  CpLifecycle *lifecycle;

  memset (view, 0, sizeof *view);
  if (activities != NULL)
    view->activities = g_ptr_array_ref (activities);
  else if (stored)
    {
      view->activities = cp_lead_store_list_activities (self, cp_lead_get_id (lead), error);
      if (view->activities == NULL)
        return FALSE;
    }
  else
    view->activities = g_ptr_array_new_with_free_func (g_object_unref);
  view->records = cp_activity_records_new (view->activities);
  cp_lead_record_init (&view->record, lead);
  view->input.lead = &view->record;
  view->input.activities = (CpActivityRecord *) view->records->data;
  view->input.n_activities = view->records->len;
  view->input.now = now;
  lifecycle = _cp_lead_store_lifecycle (self, now, error);
  return lifecycle != NULL &&
         _cp_lead_rules_count_engaged (self, cp_lead_get_text (lead, CP_LEAD_FIELD_ORGANIZATION),
                                       cp_lead_get_id (lead), now, cp_lifecycle_account_cap (lifecycle),
                                       &view->input.account_engaged_contacts, error);
}

/* @lead seen with the activities and the account engagement of @like, a
 * view of the same lead in the same write: nothing is read again, but the
 * engagement of another organization (an edit that changed it). */
gboolean
_cp_rule_view_init_like (CpLeadStore       *self,
                         CpRuleView        *view,
                         CpLead            *lead,
                         const CpRuleView  *like,
                         GError           **error)
{
  const char *organization = cp_lead_get_text (lead, CP_LEAD_FIELD_ORGANIZATION);
  CpLifecycle *lifecycle;

  g_return_val_if_fail (g_strcmp0 (cp_lead_get_id (lead), like->record.text[CP_LEAD_FIELD_ID]) == 0, FALSE);

  memset (view, 0, sizeof *view);
  view->activities = g_ptr_array_ref (like->activities);
  view->records = g_array_ref (like->records);
  cp_lead_record_init (&view->record, lead);
  view->input.lead = &view->record;
  view->input.activities = (CpActivityRecord *) view->records->data;
  view->input.n_activities = view->records->len;
  view->input.now = like->input.now;
  if (g_strcmp0 (organization, like->record.text[CP_LEAD_FIELD_ORGANIZATION]) == 0)
    {
      view->input.account_engaged_contacts = like->input.account_engaged_contacts;
      return TRUE;
    }
  lifecycle = _cp_lead_store_lifecycle (self, like->input.now, error);
  return lifecycle != NULL &&
         _cp_lead_rules_count_engaged (self, organization, cp_lead_get_id (lead), like->input.now,
                                       cp_lifecycle_account_cap (lifecycle),
                                       &view->input.account_engaged_contacts, error);
}

/* After @lead changed: the record borrows its values. */
void
_cp_rule_view_refresh (CpRuleView *view,
                   CpLead   *lead)
{
  cp_lead_record_init (&view->record, lead);
  view->input.matched_activity_at = 0;
}

/* ---- the rules ---- */

gboolean
_cp_lead_rules_check_reason (const char  *reason,
              GError     **error)
{
  gboolean blank = TRUE;

  for (const char *p = reason; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    blank &= g_unichar_isspace (g_utf8_get_char (p));
  if (blank)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID, _("A stage move needs a reason."));
      return FALSE;
    }
  /* Reasons land in the append-only history: they must be clean text. */
  return cp_validate_text (reason, 2000, TRUE, error);
}

/* The queue routing picks, and an owner in turn when the lead changes
 * queue or has nobody. The round-robin positions live in the database:
 * @out_state is where they are after this lead, for the caller to save
 * once the change is accepted (_cp_lead_rules_save_route(); %NULL when
 * routing did not run), so that a refused change writes nothing. */
gboolean
_cp_lead_rules_route (CpLeadStore      *self,
            CpLifecycle      *lifecycle,
            CpLead           *after,
            const char       *old_queue,
            gboolean          owner_by_caller,
            CpConditionInput *input,
            char            **out_reason,
            CpRouterState   **out_state,
            GError          **error)
{
  CpPlaybook *playbook = cp_lifecycle_get_playbook (lifecycle);
  const char *queue = cp_lifecycle_queue_for (lifecycle, input);
  gboolean queue_changes = g_strcmp0 (queue, old_queue) != 0;
  g_autoptr(CpRouterState) state = NULL;
  g_autoptr(CpRoute) route = NULL;

  *out_state = NULL;
  if (!queue_changes && (owner_by_caller || cp_lead_get_text (after, CP_LEAD_FIELD_OWNER) != NULL))
    return TRUE;

  /* Read once per transaction (an import routes thousands of leads);
   * routing moves positions on a state of its own, saved when the change
   * is written. */
  if (self->router == NULL || self->router_serial != _cp_database_transaction_serial (self->database) ||
      self->router_serial == 0)
    {
      g_autoptr(CpRouterState) stored = cp_router_state_new ();

      if (!cp_playbook_store_load_router_state (self->database, stored, error))
        return FALSE;
      g_clear_pointer (&self->router, cp_router_state_free);
      self->router = g_steal_pointer (&stored);
      self->router_serial = _cp_database_transaction_serial (self->database);
    }
  state = cp_router_state_new_over (self->router);
  route = cp_router_route_quickly (playbook, input, state, NULL);
  cp_lead_set_text (after, CP_LEAD_FIELD_QUEUE, route->queue);
  if (!owner_by_caller && route->owner != NULL)
    cp_lead_set_text (after, CP_LEAD_FIELD_OWNER, route->owner);
  *out_reason = cp_lifecycle_route_reason (lifecycle, route);
  *out_state = g_steal_pointer (&state);
  return TRUE;
}

void
_cp_lead_rules_derive (CpLifecycle      *lifecycle,
               CpLead           *after,
               CpRuleView         *view,
               gint64            stage_entered_at)
{
  CpDerivedFields derived;

  _cp_rule_view_refresh (view, after);
  cp_lifecycle_derive (lifecycle, &view->input, stage_entered_at, &derived);
  cp_lead_set_int (after, CP_LEAD_FIELD_SCORE, derived.score.score);
  cp_lead_set_int (after, CP_LEAD_FIELD_FIT_SCORE, derived.score.category[CP_SCORE_FIT]);
  cp_lead_set_int (after, CP_LEAD_FIELD_INTENT_SCORE, derived.score.category[CP_SCORE_INTENT]);
  cp_lead_set_int (after, CP_LEAD_FIELD_READINESS_SCORE, derived.score.category[CP_SCORE_READINESS]);
  cp_lead_set_text (after, CP_LEAD_FIELD_TIER, derived.score.tier);
  cp_lead_set_int (after, CP_LEAD_FIELD_SLA_DUE_AT, derived.sla_due_at);
  cp_lead_set_int (after, CP_LEAD_FIELD_FIRST_RESPONSE_AT, derived.first_response_at);
  cp_lead_set_int (after, CP_LEAD_FIELD_LAST_ACTIVITY_AT, derived.last_activity_at);
  _cp_rule_view_refresh (view, after);
}

/**
 * _cp_lead_rules_stamp_consent:
 * @before: (nullable): the lead as stored, %NULL for a new lead
 *
 * A consent status someone records here (the form, the capture, the
 * command line) without the time it was captured was captured now: a new
 * lead's, or an edit's that changed the status and gave no time. A file's
 * or the CRM's status without a time keeps none: the time is not known.
 */
void
_cp_lead_rules_stamp_consent (CpLead               *before,
                              CpLead               *after,
                              const CpWriteRequest *request)
{
  gboolean stamp;

  if (request->flags & (CP_WRITE_BATCH | CP_WRITE_FROM_CRM) ||
      cp_lead_get_text (after, CP_LEAD_FIELD_CONSENT_STATUS) == NULL)
    return;
  if (before == NULL)
    stamp = cp_lead_get_int (after, CP_LEAD_FIELD_CONSENT_CAPTURED_AT) == 0;
  else
    stamp = !cp_lead_equal_field (before, after, CP_LEAD_FIELD_CONSENT_STATUS) &&
            cp_lead_equal_field (before, after, CP_LEAD_FIELD_CONSENT_CAPTURED_AT);
  if (stamp)
    cp_lead_set_int (after, CP_LEAD_FIELD_CONSENT_CAPTURED_AT, request->now);
}

/* Whether @to_stage may be entered by @lead from its current stage in
 * @view (its stage field says where it is now). */
gboolean
_cp_lead_rules_check_transition (CpLifecycle  *lifecycle,
                  CpRuleView     *view,
                  const char   *from_stage,
                  const char   *to_stage,
                  GError      **error)
{
  g_autoptr(CpMoveCheck) check = NULL;
  const char *saved = view->record.text[CP_LEAD_FIELD_STAGE];

  view->record.text[CP_LEAD_FIELD_STAGE] = from_stage;
  check = cp_transition_check (cp_lifecycle_get_playbook (lifecycle), &view->input, to_stage);
  view->record.text[CP_LEAD_FIELD_STAGE] = saved;
  return cp_move_check_to_error (check, error);
}

/* A change may not empty a field the lead's stage requires. */
gboolean
_cp_lead_rules_check_required_kept (CpLifecycle  *lifecycle,
                     CpLead       *after,
                     guint64       changed,
                     GError      **error)
{
  CpPlaybook *playbook = cp_lifecycle_get_playbook (lifecycle);
  const CpStage *stage = cp_playbook_get_stage (playbook, cp_lead_get_stage (after));

  for (guint i = 0; stage != NULL && stage->required_fields != NULL && stage->required_fields[i] != NULL; i++)
    {
      CpLeadField field;
      g_autofree char *value = NULL;

      if (!cp_lead_field_from_name (stage->required_fields[i], &field) || !(changed & CP_FIELD_BIT (field)))
        continue;
      value = cp_lead_dup_field_string (after, field);
      if (value == NULL || *value == '\0')
        {
          g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REFUSED,
                       _("%s cannot be emptied: the stage “%s” requires it."),
                       _(cp_lead_field_info (field)->label), stage->title != NULL ? stage->title : stage->id);
          return FALSE;
        }
    }
  return TRUE;
}


/* Saves the positions routing advanced (inside the write's transaction),
 * and keeps them for the next lead routed in the same transaction. */
gboolean
_cp_lead_rules_save_route (CpLeadStore    *self,
                           CpRouterState  *state,
                           GError        **error)
{
  if (!cp_playbook_store_save_router_state (self->database, state, error))
    return FALSE;
  if (self->router != NULL && self->router_serial == _cp_database_transaction_serial (self->database))
    cp_router_state_apply (self->router, state);
  return TRUE;
}
