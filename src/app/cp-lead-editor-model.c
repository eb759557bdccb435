/* cp-lead-editor-model.c — the state behind the lead editor: draft, checks, duplicates, save
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "cp-core-error.h"
#include "cp-lead-editor-model.h"
#include "cp-outreach.h"
#include "cp-validate.h"

struct _CpLeadEditorModel
{
  GObject      parent_instance;

  CpLeadStore *store;
  CpPlaybook  *playbook;
  char        *default_region;

  CpLead      *draft;
  CpLead      *pristine;         /* what was loaded or last saved */
  gboolean     is_new;

  char        *inputs[CP_LEAD_N_FIELDS];        /* text as typed */
  char        *input_errors[CP_LEAD_N_FIELDS];  /* could not be read at all */
  char        *messages[CP_LEAD_N_FIELDS];
  char        *custom_message;
  GPtrArray   *duplicates;                      /* CpDuplicateCandidate */
  gboolean     valid;
  gboolean     dirty;
};

G_DEFINE_FINAL_TYPE (CpLeadEditorModel, cp_lead_editor_model, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
clear_fields (CpLeadEditorModel *self)
{
  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      g_clear_pointer (&self->inputs[i], g_free);
      g_clear_pointer (&self->input_errors[i], g_free);
      g_clear_pointer (&self->messages[i], g_free);
    }
  g_clear_pointer (&self->custom_message, g_free);
}

static void
cp_lead_editor_model_finalize (GObject *object)
{
  CpLeadEditorModel *self = CP_LEAD_EDITOR_MODEL (object);

  clear_fields (self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->playbook, cp_playbook_unref);
  g_clear_pointer (&self->default_region, g_free);
  g_clear_object (&self->draft);
  g_clear_object (&self->pristine);
  g_clear_pointer (&self->duplicates, g_ptr_array_unref);

  G_OBJECT_CLASS (cp_lead_editor_model_parent_class)->finalize (object);
}

static void
cp_lead_editor_model_class_init (CpLeadEditorModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cp_lead_editor_model_finalize;

  /**
   * CpLeadEditorModel::changed:
   *
   * Messages, validity, dirty state or duplicates may have changed.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cp_lead_editor_model_init (CpLeadEditorModel *self)
{
  self->duplicates = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_duplicate_candidate_free);
}

static const char * const *
required_fields (CpLeadEditorModel *self)
{
  const char *stage_id = cp_lead_get_stage (self->draft);
  const CpStage *stage;

  if (self->playbook == NULL || stage_id == NULL)
    return NULL;
  stage = cp_playbook_get_stage (self->playbook, stage_id);
  return stage != NULL ? (const char * const *) stage->required_fields : NULL;
}

static void
refresh_duplicates (CpLeadEditorModel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = cp_lead_store_find_duplicates (self->store, self->draft, &error);

  g_ptr_array_set_size (self->duplicates, 0);
  if (found == NULL)
    {
      g_debug ("Duplicate check failed: %s", error->message);
      return;
    }
  g_ptr_array_extend_and_steal (self->duplicates, g_steal_pointer (&found));
}

static void
recompute (CpLeadEditorModel *self,
           gboolean           identity_changed)
{
  g_autoptr(GPtrArray) errors = NULL;
  gboolean has_problem = FALSE;

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    g_clear_pointer (&self->messages[i], g_free);
  g_clear_pointer (&self->custom_message, g_free);

  /* A playbook naming an unknown required field is not the user’s problem:
   * only the per-field problems in @errors count. */
  cp_lead_validate (self->draft, required_fields (self), &errors, NULL);
  for (guint i = 0; i < errors->len; i++)
    {
      CpFieldError *problem = g_ptr_array_index (errors, i);

      if (problem->field == CP_LEAD_N_FIELDS)
        {
          if (self->custom_message == NULL)
            self->custom_message = g_strdup (problem->message);
        }
      else if (self->messages[problem->field] == NULL)
        self->messages[problem->field] = g_strdup (problem->message);
      has_problem = TRUE;
    }
  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    if (self->input_errors[i] != NULL)
      {
        g_free (self->messages[i]);
        self->messages[i] = g_strdup (self->input_errors[i]);
        has_problem = TRUE;
      }
  self->valid = !has_problem;

  self->dirty = !cp_lead_custom_fields_equal (self->draft, self->pristine);
  for (guint i = 0; i < CP_LEAD_N_FIELDS && !self->dirty; i++)
    if (!cp_lead_equal_field (self->draft, self->pristine, i))
      self->dirty = TRUE;

  if (identity_changed)
    refresh_duplicates (self);

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
reset_to (CpLeadEditorModel *self,
          CpLead            *lead,
          gboolean           is_new)
{
  clear_fields (self);
  g_set_object (&self->draft, lead);
  g_clear_object (&self->pristine);
  self->pristine = cp_lead_copy (lead);
  self->is_new = is_new;
  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    self->inputs[i] = cp_lead_dup_field_string (lead, i);
  recompute (self, !is_new);
}

/**
 * cp_lead_editor_model_new:
 * @store: where the lead is saved and duplicates are looked for
 * @playbook: (nullable): the active playbook, for the stage’s required fields
 * @default_region: (nullable): region for phone numbers without a country
 *   code (the `default-phone-region` setting)
 *
 * Returns: (transfer full): a model editing a new, empty lead
 */
CpLeadEditorModel *
cp_lead_editor_model_new (CpLeadStore *store,
                          CpPlaybook  *playbook,
                          const char  *default_region)
{
  CpLeadEditorModel *self;
  g_autoptr(CpLead) lead = cp_lead_new ();

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);

  self = g_object_new (CP_TYPE_LEAD_EDITOR_MODEL, NULL);
  self->store = g_object_ref (store);
  self->playbook = playbook != NULL ? cp_playbook_ref (playbook) : NULL;
  self->default_region = g_strdup (default_region != NULL && *default_region != '\0'
                                   ? default_region : "US");
  reset_to (self, lead, TRUE);
  return self;
}

/**
 * cp_lead_editor_model_load:
 * @id: a stored lead
 *
 * Edits the stored lead, custom fields included.
 *
 * Returns: %TRUE if it was loaded; else the model is unchanged
 */
gboolean
cp_lead_editor_model_load (CpLeadEditorModel  *self,
                           const char         *id,
                           GError            **error)
{
  g_autoptr(CpLead) lead = NULL;

  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  lead = cp_lead_store_get (self->store, id, error);
  if (lead == NULL)
    return FALSE;
  reset_to (self, lead, FALSE);
  return TRUE;
}

/**
 * cp_lead_editor_model_get_draft:
 *
 * Returns: (transfer none): the lead as edited so far
 */
CpLead *
cp_lead_editor_model_get_draft (CpLeadEditorModel *self)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), NULL);
  return self->draft;
}

/**
 * cp_lead_editor_model_get_playbook:
 *
 * Returns: (transfer none) (nullable): the playbook the form follows
 */
CpPlaybook *
cp_lead_editor_model_get_playbook (CpLeadEditorModel *self)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), NULL);
  return self->playbook;
}

gboolean
cp_lead_editor_model_is_new (CpLeadEditorModel *self)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), FALSE);
  return self->is_new;
}

static gboolean
is_identity_field (CpLeadField field)
{
  return field == CP_LEAD_FIELD_EMAIL || field == CP_LEAD_FIELD_PHONE ||
         field == CP_LEAD_FIELD_FIRST_NAME || field == CP_LEAD_FIELD_LAST_NAME ||
         field == CP_LEAD_FIELD_LOCATION;
}

static void
store_field (CpLeadEditorModel *self,
             CpLeadField        field,
             const char        *text)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->input_errors[field], g_free);
  if (field == CP_LEAD_FIELD_PHONE && text != NULL)
    {
      g_autofree char *e164 = cp_phone_normalize_e164 (text, self->default_region, &error);

      /* Keep what was typed so the user can fix it; it cannot be saved. */
      cp_lead_set_text (self->draft, field, e164 != NULL ? e164 : text);
      if (e164 == NULL)
        self->input_errors[field] = g_strdup (error->message);
      return;
    }
  if (!cp_lead_set_field_from_string (self->draft, field, text, &error))
    self->input_errors[field] = g_strdup (error->message);
}

/**
 * cp_lead_editor_model_set_field:
 * @field: a canonical field
 * @text: (nullable): as typed; empty or blank clears the field
 *
 * Updates the draft and re-checks it. A phone number is stored in E.164.
 */
void
cp_lead_editor_model_set_field (CpLeadEditorModel *self,
                                CpLeadField        field,
                                const char        *text)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (CP_IS_LEAD_EDITOR_MODEL (self));
  g_return_if_fail (field > CP_LEAD_FIELD_ID && field < CP_LEAD_N_FIELDS);

  stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  if (g_strcmp0 (self->inputs[field] ?: "", stripped) == 0)
    return;
  g_free (self->inputs[field]);
  self->inputs[field] = *stripped != '\0' ? g_strdup (stripped) : NULL;
  store_field (self, field, self->inputs[field]);
  recompute (self, is_identity_field (field));
}

/**
 * cp_lead_editor_model_get_input:
 *
 * Returns: (nullable): the field’s text as typed (or loaded)
 */
const char *
cp_lead_editor_model_get_input (CpLeadEditorModel *self,
                                CpLeadField        field)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), NULL);
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, NULL);
  return self->inputs[field];
}

/**
 * cp_lead_editor_model_set_custom:
 * @key: a custom field name
 * @value: (nullable): %NULL or empty removes it
 */
void
cp_lead_editor_model_set_custom (CpLeadEditorModel *self,
                                 const char        *key,
                                 const char        *value)
{
  g_return_if_fail (CP_IS_LEAD_EDITOR_MODEL (self));
  g_return_if_fail (key != NULL);

  cp_lead_set_custom (self->draft, key, value != NULL && *value != '\0' ? value : NULL);
  recompute (self, FALSE);
}

/**
 * cp_lead_editor_model_get_message:
 *
 * Returns: (nullable): what is wrong with @field, to show next to it
 */
const char *
cp_lead_editor_model_get_message (CpLeadEditorModel *self,
                                  CpLeadField        field)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), NULL);
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, NULL);
  return self->messages[field];
}

/**
 * cp_lead_editor_model_get_custom_message:
 *
 * Returns: (nullable): the first problem with a custom field
 */
const char *
cp_lead_editor_model_get_custom_message (CpLeadEditorModel *self)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), NULL);
  return self->custom_message;
}

/**
 * cp_lead_editor_model_dup_phone_display:
 *
 * Returns: (transfer full) (nullable): the normalised phone number formatted
 *   for reading, or %NULL if there is none or it is not valid
 */
char *
cp_lead_editor_model_dup_phone_display (CpLeadEditorModel *self)
{
  const char *phone;

  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), NULL);

  phone = cp_lead_get_text (self->draft, CP_LEAD_FIELD_PHONE);
  if (phone == NULL || self->input_errors[CP_LEAD_FIELD_PHONE] != NULL)
    return NULL;
  return cp_phone_format_display (phone);
}

/**
 * cp_lead_editor_model_is_required:
 *
 * Returns: %TRUE if the lead’s stage needs @field to be known
 */
gboolean
cp_lead_editor_model_is_required (CpLeadEditorModel *self,
                                  CpLeadField        field)
{
  const char * const *required;

  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), FALSE);
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, FALSE);

  required = required_fields (self);
  return required != NULL && g_strv_contains (required, cp_lead_field_info (field)->name);
}

gboolean
cp_lead_editor_model_is_valid (CpLeadEditorModel *self)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), FALSE);
  return self->valid;
}

gboolean
cp_lead_editor_model_is_dirty (CpLeadEditorModel *self)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), FALSE);
  return self->dirty;
}

/**
 * cp_lead_editor_model_get_duplicates:
 *
 * Returns: (transfer none) (element-type CpDuplicateCandidate): stored leads
 *   that may be the same person as the draft
 */
GPtrArray *
cp_lead_editor_model_get_duplicates (CpLeadEditorModel *self)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), NULL);
  return self->duplicates;
}

/**
 * cp_lead_editor_model_save:
 * @actor: who saves, for the audit trail
 *
 * Creates the lead if it is new, else updates it, through the store's
 * write path: what the playbook refuses is refused there, in its words.
 * Afterwards the model is clean and edits the stored lead.
 *
 * Returns: %TRUE if saved
 */
gboolean
cp_lead_editor_model_save (CpLeadEditorModel  *self,
                           const char         *actor,
                           GError            **error)
{
  gboolean ok;

  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Text that could not be read at all never reaches the store; every
   * other problem is the store's to judge, so the form refuses a lead in
   * the same words as the CLI, an import or a sync. */
  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    if (self->input_errors[i] != NULL)
      {
        g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID, "%s: %s",
                     _(cp_lead_field_info (i)->label), self->input_errors[i]);
        return FALSE;
      }

  if (self->is_new)
    ok = cp_lead_store_create (self->store, self->draft, actor, error);
  else
    ok = cp_lead_store_update (self->store, self->draft, actor, NULL, error);
  if (!ok)
    return FALSE;

  g_clear_object (&self->pristine);
  self->pristine = cp_lead_copy (self->draft);
  self->is_new = FALSE;
  recompute (self, TRUE);
  return TRUE;
}

/**
 * cp_lead_editor_model_merge_choices:
 * @existing_id: the stored lead the draft may duplicate
 *
 * The fields the user may choose to take from the draft when merging it
 * into @existing_id: those the draft fills with a different value.
 *
 * Returns: (transfer full) (element-type CpLeadField): the fields, in
 *   canonical order, or %NULL if @existing_id could not be read
 */
GArray *
cp_lead_editor_model_merge_choices (CpLeadEditorModel  *self,
                                    const char         *existing_id,
                                    GError            **error)
{
  g_autoptr(CpLead) existing = NULL;
  GArray *fields;

  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), NULL);
  g_return_val_if_fail (existing_id != NULL, NULL);

  existing = cp_lead_store_get (self->store, existing_id, error);
  if (existing == NULL)
    return NULL;

  fields = g_array_new (FALSE, FALSE, sizeof (CpLeadField));
  for (CpLeadField i = CP_LEAD_FIELD_FIRST_NAME; i < CP_LEAD_N_FIELDS; i++)
    {
      const CpFieldInfo *info = cp_lead_field_info (i);

      if ((info->type != CP_FIELD_TYPE_TEXT && info->type != CP_FIELD_TYPE_CHOICE) ||
          i == CP_LEAD_FIELD_STAGE || cp_lead_get_text (self->draft, i) == NULL)
        continue;
      if (!cp_lead_equal_field (self->draft, existing, i))
        g_array_append_val (fields, i);
    }
  return fields;
}

/**
 * cp_lead_editor_model_merge_into:
 * @existing_id: the stored lead that stays
 * @take: (array length=n_take) (nullable): fields whose value is taken from
 *   the draft even when @existing_id has one; its empty fields are filled
 *   from the draft either way
 *
 * Saves the draft, then merges it into @existing_id (undoable, with both
 * histories kept).
 *
 * Returns: (transfer full): the merge id, or %NULL
 */
char *
cp_lead_editor_model_merge_into (CpLeadEditorModel  *self,
                                 const char         *existing_id,
                                 const CpLeadField  *take,
                                 guint               n_take,
                                 const char         *actor,
                                 GError            **error)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), NULL);
  g_return_val_if_fail (existing_id != NULL, NULL);

  if (!cp_lead_editor_model_save (self, actor, error))
    return NULL;
  return cp_lead_store_merge (self->store, existing_id, cp_lead_get_id (self->draft),
                              take, n_take, actor, error);
}

/**
 * cp_lead_editor_model_keep_both:
 * @existing_id: the stored lead the draft may duplicate
 *
 * Saves the draft and records it as a possible duplicate of @existing_id,
 * for review later.
 *
 * Returns: %TRUE if both steps succeeded
 */
gboolean
cp_lead_editor_model_keep_both (CpLeadEditorModel  *self,
                                const char         *existing_id,
                                const char         *actor,
                                GError            **error)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR_MODEL (self), FALSE);
  g_return_val_if_fail (existing_id != NULL, FALSE);

  return cp_lead_editor_model_save (self, actor, error) &&
         cp_lead_store_flag_duplicate (self->store, cp_lead_get_id (self->draft), existing_id,
                                       actor, error);
}

/**
 * cp_lead_editor_model_reset:
 *
 * Starts over with a new, empty lead (quick capture after each save).
 */
void
cp_lead_editor_model_reset (CpLeadEditorModel *self)
{
  g_autoptr(CpLead) lead = cp_lead_new ();

  g_return_if_fail (CP_IS_LEAD_EDITOR_MODEL (self));
  reset_to (self, lead, TRUE);
}

/**
 * cp_lead_editor_model_set_event:
 * @event_name: (nullable): the event the lead was met at
 *
 * Marks the draft as captured at an event: source channel “event” and the
 * event's name as its campaign. %NULL or empty clears both.
 */
void
cp_lead_editor_model_set_event (CpLeadEditorModel *self,
                                const char        *event_name)
{
  gboolean has_event = event_name != NULL && *event_name != '\0';

  g_return_if_fail (CP_IS_LEAD_EDITOR_MODEL (self));

  cp_lead_editor_model_set_field (self, CP_LEAD_FIELD_SOURCE_CHANNEL, has_event ? "event" : NULL);
  cp_lead_editor_model_set_field (self, CP_LEAD_FIELD_CAMPAIGN, has_event ? event_name : NULL);
}

/**
 * cp_lead_editor_model_set_event_consent:
 * @agreed: whether the person agreed, at the event, to be contacted
 * @event_name: (nullable): the event
 * @captured_by: (nullable): who asked
 *
 * A person met at an event who agreed to be contacted has consent
 * granted on any channel, with the event as its source and who asked; the
 * save dates it (the write path stamps a status given without a time).
 * Not agreed: no consent is recorded, the status stays unknown — contact
 * is never assumed.
 */
void
cp_lead_editor_model_set_event_consent (CpLeadEditorModel *self,
                                        gboolean           agreed,
                                        const char        *event_name,
                                        const char        *captured_by)
{
  g_autofree char *source = NULL;

  g_return_if_fail (CP_IS_LEAD_EDITOR_MODEL (self));

  if (agreed)
    source = event_name != NULL && *event_name != '\0' ? g_strdup_printf ("event: %s", event_name)
                                                        : g_strdup ("event");
  cp_lead_editor_model_set_field (self, CP_LEAD_FIELD_CONSENT_STATUS, agreed ? "granted" : NULL);
  cp_lead_editor_model_set_field (self, CP_LEAD_FIELD_CONSENT_CHANNEL, agreed ? "any" : NULL);
  cp_lead_editor_model_set_field (self, CP_LEAD_FIELD_CONSENT_SOURCE, source);
  cp_lead_editor_model_set_field (self, CP_LEAD_FIELD_CONSENT_CAPTURED_BY,
                                  agreed ? captured_by : NULL);
}

/**
 * cp_lead_outreach_allowed:
 * @playbook: (nullable): the active playbook, for the stage's channels
 * @channel: "email", "phone", "sms" or "mail"
 * @out_reason: (out) (optional) (transfer full): why not, when not allowed
 *
 * Whether an outreach on @channel may be logged for the lead: the consent
 * and stage check of cp_outreach_check_consent(), the one every outreach
 * path uses.
 *
 * Returns: %TRUE if allowed
 */
gboolean
cp_lead_outreach_allowed (CpPlaybook  *playbook,
                          CpLead      *lead,
                          const char  *channel,
                          char       **out_reason)
{
  return cp_outreach_check_consent (playbook, lead, NULL, channel, out_reason);
}
