/* cp-playbook-editor-edits.c — changes to the draft: stages, tiers, scoring rules, business hours
 *
 * Each change goes through the editor's commit: checked whole by the
 * engine, saved at once, undoable (see cp-playbook-editor.c).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-playbook-editor-private.h"

/* ---- stages ---- */

static CpStage *
find_stage (CpPlaybook  *playbook,
            const char  *stage_id,
            guint       *out_index,
            GError     **error)
{
  for (guint i = 0; i < playbook->stages->len; i++)
    {
      CpStage *stage = playbook->stages->pdata[i];

      if (g_strcmp0 (stage->id, stage_id) == 0)
        {
          if (out_index != NULL)
            *out_index = i;
          return stage;
        }
    }
  g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_NOT_FOUND,
               _("The playbook has no stage “%s”."), stage_id);
  return NULL;
}

/* @title without surrounding spaces, or %NULL when that leaves nothing. */
static char *
stage_title (const char  *title,
             GError     **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (title != NULL ? title : ""));

  if (*clean == '\0')
    {
      g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                           _("A stage needs a name."));
      return NULL;
    }
  return g_steal_pointer (&clean);
}

/**
 * cp_playbook_editor_move_stage:
 * @position: where the stage goes, from 0
 *
 * Open stages keep coming before closed ones: a move across is refused.
 */
gboolean
cp_playbook_editor_move_stage (CpPlaybookEditor  *self,
                               const char        *stage_id,
                               guint              position,
                               GError           **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;
  CpStage *stage;
  guint index;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);

  playbook = _cp_playbook_editor_working_copy (self);
  stage = find_stage (playbook, stage_id, &index, error);
  if (stage == NULL)
    return FALSE;
  if (position >= playbook->stages->len)
    position = playbook->stages->len - 1;
  if (position == index)
    return TRUE;
  if (((CpStage *) playbook->stages->pdata[position])->closed != stage->closed)
    {
      g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                   stage->closed ? _("“%s” closes leads: it stays after the open stages.")
                                 : _("“%s” is an open stage: it stays before the closed ones."),
                   stage->title != NULL ? stage->title : stage->id);
      return FALSE;
    }
  g_ptr_array_steal_index (playbook->stages, index);
  g_ptr_array_insert (playbook->stages, (int) position, stage);
  return _cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error);
}

/* "Follow-up call" → "follow_up_call", made unique in @playbook. */
static char *
new_stage_id (CpPlaybook *playbook,
              const char *title)
{
  g_autofree char *base = cp_custom_key_from_label (title);
  char *id;

  if (base == NULL)
    base = g_strdup ("stage");
  id = g_strdup (base);
  for (guint n = 2; cp_playbook_get_stage (playbook, id) != NULL; n++)
    {
      g_free (id);
      id = g_strdup_printf ("%s_%u", base, n);
    }
  return id;
}

/**
 * cp_playbook_editor_add_stage:
 *
 * Adds an open stage after the last open one.
 *
 * Returns: (transfer full) (nullable): the new stage's id
 */
char *
cp_playbook_editor_add_stage (CpPlaybookEditor  *self,
                              const char        *title,
                              GError           **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *id = NULL;
  CpStage *stage;
  guint position = 0;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), NULL);
  g_return_val_if_fail (title != NULL, NULL);

  clean = stage_title (title, error);
  if (clean == NULL)
    return NULL;
  playbook = _cp_playbook_editor_working_copy (self);
  id = new_stage_id (playbook, clean);
  stage = cp_stage_new (id);
  stage->title = g_steal_pointer (&clean);
  stage->owner_role = g_strdup ("sales");
  while (position < playbook->stages->len &&
         !((CpStage *) playbook->stages->pdata[position])->closed)
    position++;
  g_ptr_array_insert (playbook->stages, (int) position, stage);
  if (!_cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error))
    return NULL;
  return g_steal_pointer (&id);
}

/**
 * cp_playbook_editor_retire_stage:
 *
 * Removes a stage from the draft. A stage that still holds leads cannot
 * vanish: they are moved first (with a reason, on the board). Rules that
 * name the stage are reported by the playbook's validation.
 */
gboolean
cp_playbook_editor_retire_stage (CpPlaybookEditor  *self,
                                 const char        *stage_id,
                                 GError           **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  CpStage *stage;
  guint index, count = 0;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);

  playbook = _cp_playbook_editor_working_copy (self);
  stage = find_stage (playbook, stage_id, &index, error);
  if (stage == NULL)
    return FALSE;
  query->stage = g_strdup (stage_id);
  if (!cp_lead_store_count (cp_playbook_editor_get_store (self), query, &count, error))
    return FALSE;
  if (count > 0)
    {
      g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_EXISTS,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u lead is in “%s”: move it to another stage first.",
                                "%u leads are in “%s”: move them to another stage first.", count),
                   count, stage->title != NULL ? stage->title : stage->id);
      return FALSE;
    }
  g_ptr_array_remove_index (playbook->stages, index);
  return _cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error);
}

static const char * const known_channels[] = { "email", "phone", "sms", "mail", NULL };
static const char * const known_roles[] = {
  "marketing", "sales_development", "sales", "customer_success", "intake", NULL
};

/**
 * cp_playbook_editor_owner_roles:
 *
 * Returns: (transfer none): the roles a stage may be owned by
 */
const char * const *
cp_playbook_editor_owner_roles (void)
{
  return known_roles;
}

/**
 * cp_stage_edit_init:
 *
 * Fills @edit with @stage as it stands (borrowed), so that a caller sets
 * only what it changes.
 */
void
cp_stage_edit_init (CpStageEdit   *edit,
                    const CpStage *stage)
{
  g_return_if_fail (edit != NULL && stage != NULL);

  *edit = (CpStageEdit) {
    .title = stage->title != NULL ? stage->title : stage->id,
    .owner_role = stage->owner_role,
    .channels = (const char * const *) stage->channels,
    .required_fields = (const char * const *) stage->required_fields,
    .sla_hours = stage->sla_hours,
    .rotting_days = stage->rotting_days,
    .entry = stage->entry,
    .exit = stage->exit,
    .assets = (const char * const *) stage->assets,
  };
}

/* The parts of @edit the editor judges; the engine judges the rest at commit. */
static gboolean
check_stage_edit (const CpStageEdit  *edit,
                  GError            **error)
{
  if (edit->owner_role != NULL && !g_strv_contains (known_roles, edit->owner_role))
    {
      g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                   _("“%s” is not a role."), edit->owner_role);
      return FALSE;
    }
  for (guint i = 0; edit->channels != NULL && edit->channels[i] != NULL; i++)
    if (!g_strv_contains (known_channels, edit->channels[i]))
      {
        g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                     _("“%s” is not an outreach channel."), edit->channels[i]);
        return FALSE;
      }
  if (edit->sla_hours > 24 * 30 || edit->rotting_days > 3650)
    {
      g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                           _("The response time is at most 720 business hours, "
                             "the rotting limit at most 3,650 days."));
      return FALSE;
    }
  return TRUE;
}

static GStrv
clean_assets (const char * const *assets)
{
  g_autoptr(GStrvBuilder) clean = g_strv_builder_new ();

  for (guint i = 0; assets != NULL && assets[i] != NULL; i++)
    {
      g_autofree char *asset = g_strstrip (g_strdup (assets[i]));

      if (*asset != '\0')
        g_strv_builder_add (clean, asset);
    }
  return g_strv_builder_end (clean);
}

/**
 * cp_playbook_editor_update_stage:
 * @edit: the stage's name, owner, channels, required fields, SLA, rotting
 *   limit, entry and exit rules and assets
 *
 * Changes the stage as one edit, one undo step: checked whole first, and
 * when any part is refused, nothing changes.
 */
gboolean
cp_playbook_editor_update_stage (CpPlaybookEditor   *self,
                                 const char         *stage_id,
                                 const CpStageEdit  *edit,
                                 GError            **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autofree char *title = NULL;
  CpStage *stage;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);
  g_return_val_if_fail (stage_id != NULL && edit != NULL, FALSE);

  title = stage_title (edit->title, error);
  if (title == NULL || !check_stage_edit (edit, error))
    return FALSE;
  playbook = _cp_playbook_editor_working_copy (self);
  stage = find_stage (playbook, stage_id, NULL, error);
  if (stage == NULL)
    return FALSE;
  g_free (stage->title);
  stage->title = g_steal_pointer (&title);
  g_free (stage->owner_role);
  stage->owner_role = g_strdup (edit->owner_role);
  g_strfreev (stage->channels);
  stage->channels = g_strdupv ((char **) edit->channels);
  g_strfreev (stage->required_fields);
  stage->required_fields = g_strdupv ((char **) edit->required_fields);
  stage->sla_hours = edit->sla_hours;
  stage->rotting_days = edit->rotting_days;
  g_clear_pointer (&stage->entry, cp_condition_free);
  g_clear_pointer (&stage->exit, cp_condition_free);
  stage->entry = edit->entry != NULL ? cp_condition_copy (edit->entry) : NULL;
  stage->exit = edit->exit != NULL ? cp_condition_copy (edit->exit) : NULL;
  g_strfreev (stage->assets);
  stage->assets = clean_assets (edit->assets);
  /* An unknown required field is the engine's to name, in the commit. */
  return _cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error);
}

/* ---- scoring ---- */

gboolean
cp_playbook_editor_set_thresholds (CpPlaybookEditor  *self,
                                   int                nurture,
                                   int                sales_ready,
                                   GError           **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);

  if (nurture < 0 || sales_ready <= nurture)
    {
      g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                   _("Sales-ready (%d) must be above nurture (%d), and nurture at least 0."),
                   sales_ready, nurture);
      return FALSE;
    }
  playbook = _cp_playbook_editor_working_copy (self);
  playbook->scoring.nurture_threshold = nurture;
  playbook->scoring.sales_ready_threshold = sales_ready;
  return _cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error);
}

gboolean
cp_playbook_editor_set_decay (CpPlaybookEditor  *self,
                              double             half_life_days,
                              GError           **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);

  if (half_life_days < 0 || half_life_days > 3650)
    {
      g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                           _("The half-life is a number of days from 0 (no decay) to 3,650."));
      return FALSE;
    }
  playbook = _cp_playbook_editor_working_copy (self);
  playbook->scoring.half_life_days = half_life_days;
  return _cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error);
}

gboolean
cp_playbook_editor_set_cap (CpPlaybookEditor  *self,
                            CpScoreCategory    category,
                            int                cap,
                            GError           **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);
  g_return_val_if_fail (category < CP_SCORE_N_CATEGORIES, FALSE);

  if (cap <= 0)
    {
      g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                           _("A category's cap is at least 1 point."));
      return FALSE;
    }
  playbook = _cp_playbook_editor_working_copy (self);
  playbook->scoring.caps[category] = cap;
  return _cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error);
}

/* The description without surrounding spaces, once the edit's values are in range. */
static char *
check_rule_edit (const CpRuleEdit  *edit,
                 GError           **error)
{
  const char *description = edit->description != NULL ? edit->description : "";
  g_autofree char *clean = g_strstrip (g_strdup (description));

  if (*clean == '\0')
    {
      g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                           _("Describe the rule: the description is what the score "
                             "explanation shows."));
      return NULL;
    }
  if (edit->condition == NULL)
    {
      g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                           _("A rule needs a condition."));
      return NULL;
    }
  if (edit->points == 0 || edit->points < -100 || edit->points > 100)
    {
      g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                           _("Points are from −100 to 100, and not 0."));
      return NULL;
    }
  return g_steal_pointer (&clean);
}

/* The rule @rule_id of @playbook, or a new one (with an id from @description) when %NULL. */
static CpScoreRule *
find_or_add_rule (CpPlaybook  *playbook,
                  const char  *rule_id,
                  const char  *description,
                  GError     **error)
{
  g_autofree char *base = NULL;
  g_autofree char *id = NULL;
  CpScoreRule *rule;

  for (guint i = 0; rule_id != NULL && i < playbook->scoring.rules->len; i++)
    if (g_strcmp0 (((CpScoreRule *) playbook->scoring.rules->pdata[i])->id, rule_id) == 0)
      return playbook->scoring.rules->pdata[i];
  if (rule_id != NULL)
    {
      g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_NOT_FOUND,
                   _("The playbook has no scoring rule “%s”."), rule_id);
      return NULL;
    }
  base = cp_custom_key_from_label (description);
  id = g_strdup (base != NULL ? base : "rule");
  for (guint n = 2;; n++)
    {
      gboolean taken = FALSE;

      for (guint i = 0; i < playbook->scoring.rules->len; i++)
        taken |= g_strcmp0 (((CpScoreRule *) playbook->scoring.rules->pdata[i])->id, id) == 0;
      if (!taken)
        break;
      g_free (id);
      id = g_strdup_printf ("%s_%u", base != NULL ? base : "rule", n);
    }
  rule = cp_score_rule_new (id);
  g_ptr_array_add (playbook->scoring.rules, rule);
  return rule;
}

static gboolean
set_overrides (CpPlaybook        *playbook,
               CpScoreRule       *rule,
               const CpRuleEdit  *edit,
               GError           **error)
{
  guint n = edit->n_overrides;

  for (guint i = 0; i < n; i++)
    {
      if (cp_playbook_get_stage (playbook, edit->override_stages[i]) == NULL)
        {
          g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                       _("The playbook has no stage “%s”."), edit->override_stages[i]);
          return FALSE;
        }
      if (edit->override_points[i] < -100 || edit->override_points[i] > 100)
        {
          g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                               _("Points are from −100 to 100."));
          return FALSE;
        }
    }
  g_strfreev (rule->override_stages);
  g_free (rule->override_points);
  rule->override_stages = n > 0 ? g_new0 (char *, n + 1) : NULL;
  rule->override_points = n > 0 ? g_new0 (int, n) : NULL;
  for (guint i = 0; i < n; i++)
    {
      rule->override_stages[i] = g_strdup (edit->override_stages[i]);
      rule->override_points[i] = edit->override_points[i];
    }
  rule->n_overrides = n;
  return TRUE;
}

/**
 * cp_playbook_editor_save_rule:
 * @rule_id: (nullable): the rule to change, or %NULL for a new one
 * @edit: its description, category, points, decay, condition (copied) and
 *   per-stage points
 *
 * Saves the scoring rule as one edit, one undo step: when any part is
 * refused, nothing changes.
 *
 * Returns: (transfer full) (nullable): the rule's id
 */
char *
cp_playbook_editor_save_rule (CpPlaybookEditor  *self,
                              const char        *rule_id,
                              const CpRuleEdit  *edit,
                              GError           **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *id = NULL;
  CpScoreRule *rule;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), NULL);
  g_return_val_if_fail (edit != NULL && edit->category < CP_SCORE_N_CATEGORIES, NULL);
  g_return_val_if_fail (edit->n_overrides == 0 ||
                        (edit->override_stages != NULL && edit->override_points != NULL), NULL);

  clean = check_rule_edit (edit, error);
  if (clean == NULL)
    return NULL;
  playbook = _cp_playbook_editor_working_copy (self);
  rule = find_or_add_rule (playbook, rule_id, clean, error);
  if (rule == NULL)
    return NULL;
  id = g_strdup (rule->id);
  g_free (rule->description);
  rule->description = g_steal_pointer (&clean);
  rule->category = edit->category;
  rule->points = edit->points;
  rule->decay = edit->decay;
  g_clear_pointer (&rule->condition, cp_condition_free);
  rule->condition = cp_condition_copy (edit->condition);
  if (!set_overrides (playbook, rule, edit, error) ||
      !_cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error))
    return NULL;
  return g_steal_pointer (&id);
}

gboolean
cp_playbook_editor_remove_rule (CpPlaybookEditor  *self,
                                const char        *rule_id,
                                GError           **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);

  playbook = _cp_playbook_editor_working_copy (self);
  for (guint i = 0; i < playbook->scoring.rules->len; i++)
    if (g_strcmp0 (((CpScoreRule *) playbook->scoring.rules->pdata[i])->id, rule_id) == 0)
      {
        g_ptr_array_remove_index (playbook->scoring.rules, i);
        return _cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error);
      }
  g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_NOT_FOUND,
               _("The playbook has no scoring rule “%s”."), rule_id);
  return FALSE;
}

/* ---- business hours ---- */

/**
 * cp_playbook_editor_set_business_hours:
 * @location: a location, or "*" for every location without its own
 * @timezone: an IANA time zone ("America/Chicago")
 * @days: bit 0 Monday … bit 6 Sunday
 * @open_minute: minutes after local midnight
 * @holidays: (array zero-terminated=1) (nullable): dates "2026-12-25"
 *
 * Adds or replaces the hours of @location; SLAs count only these hours.
 */
gboolean
cp_playbook_editor_set_business_hours (CpPlaybookEditor    *self,
                                       const char          *location,
                                       const char          *time_zone,
                                       guint8               days,
                                       int                  open_minute,
                                       int                  close_minute,
                                       const char * const  *holidays,
                                       GError             **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autoptr(GArray) dates = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GTimeZone) zone = NULL;
  g_autofree char *place = g_strstrip (g_strdup (location != NULL ? location : ""));
  CpBusinessHours *hours = NULL;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);

  if (*place == '\0')
    {
      g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                           _("Name the location (or * for every other location)."));
      return FALSE;
    }
  zone = time_zone != NULL ? g_time_zone_new_identifier (time_zone) : NULL;
  if (zone == NULL)
    {
      g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                   _("“%s” is not a time zone (such as America/Chicago)."),
                   time_zone != NULL ? time_zone : "");
      return FALSE;
    }
  if ((days & 0x7f) == 0 || open_minute < 0 || close_minute > 24 * 60 ||
      open_minute >= close_minute)
    {
      g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                           _("Open on at least one day, and close after opening."));
      return FALSE;
    }
  for (guint i = 0; holidays != NULL && holidays[i] != NULL; i++)
    {
      g_autofree char *text = g_strstrip (g_strdup (holidays[i]));
      guint32 julian;

      if (*text == '\0')
        continue;
      if (!cp_parse_iso_date (text, &julian))
        {
          g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                       _("“%s” is not a date such as 2026-12-25."), text);
          return FALSE;
        }
      g_array_append_val (dates, julian);
    }

  playbook = _cp_playbook_editor_working_copy (self);
  for (guint i = 0; i < playbook->business_hours->len; i++)
    if (g_strcmp0 (((CpBusinessHours *) playbook->business_hours->pdata[i])->location, place) == 0)
      hours = playbook->business_hours->pdata[i];
  if (hours == NULL)
    {
      hours = cp_business_hours_new (place);
      g_ptr_array_add (playbook->business_hours, hours);
    }
  g_free (hours->timezone);
  hours->timezone = g_strdup (time_zone);
  hours->days = days & 0x7f;
  hours->open_minute = open_minute;
  hours->close_minute = close_minute;
  g_array_set_size (hours->holidays, 0);
  g_array_append_vals (hours->holidays, dates->data, dates->len);
  return _cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error);
}
