/* cp-crm-mapping-page.c — Preferences page: which CRM property each field and stage maps to
 *
 * One entry row per Carepath field and per stage, showing the mapping in
 * effect (the backend's default unless the team changed it). Applying a
 * row saves the whole mapping through cp_crm_mapping_save(), which refuses
 * an invalid one with the reason; the row then keeps the typed text,
 * marked as an error, and nothing saved changes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-crm-mapping-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-crm-backend.h"
#include "cp-crm-mapping.h"
#include "cp-crm-mapping-page.h"
#include "cp-crm-registry.h"
#include "cp-lead-format.h"
#include "cp-stages.h"
#include "cp-toast.h"

struct _CpCrmMappingPage
{
  AdwPreferencesPage  parent_instance;

  CpDatabase         *database;
  CpPlaybook         *playbook;
  char               *backend_name;
  CpCrmDefaults       defaults;
  CpCrmMapping       *mapping;     /* the team's changes, as saved */
  GPtrArray          *groups;      /* AdwPreferencesGroup on the page */
};

G_DEFINE_FINAL_TYPE (CpCrmMappingPage, cp_crm_mapping_page, ADW_TYPE_PREFERENCES_PAGE)

static const char *
default_property (CpCrmMappingPage *self,
                  CpLeadField       field)
{
  for (guint i = 0; i < self->defaults.n_fields; i++)
    if (self->defaults.fields[i].field == field)
      return self->defaults.fields[i].property;
  return NULL;
}

static const char *
default_stage_value (CpCrmMappingPage *self,
                     const char       *stage)
{
  for (guint i = 0; i < self->defaults.n_stages; i++)
    if (g_str_equal (self->defaults.stages[i].stage, stage))
      return self->defaults.stages[i].value;
  return NULL;
}

static const char *
crm_title (CpCrmMappingPage *self)
{
  return g_strcmp0 (self->backend_name, "espocrm") == 0 ? "EspoCRM" : "HubSpot";
}

static void
toast (CpCrmMappingPage *self,
       const char       *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), cp_toast_new_text (text));
}

static CpCrmMapping *
mapping_copy (CpCrmMapping *mapping)
{
  CpCrmMapping *copy = cp_crm_mapping_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, mapping->fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->fields, g_strdup (key), g_strdup (value));
  g_hash_table_iter_init (&iter, mapping->stages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->stages, g_strdup (key), g_strdup (value));
  return copy;
}

/* Only a difference from the default is kept as the team's change. */
static void
set_change (GHashTable *table,
            const char *key,
            const char *text,
            const char *default_value,
            gboolean    empty_is_default)
{
  if (g_strcmp0 (text, default_value) == 0 ||
      (*text == '\0' && (default_value == NULL || empty_is_default)))
    g_hash_table_remove (table, key);
  else
    g_hash_table_insert (table, g_strdup (key), g_strdup (text));
}

static void
row_applied_cb (AdwEntryRow      *row,
                CpCrmMappingPage *self)
{
  g_autoptr(CpCrmMapping) changed = NULL;
  g_autoptr(GError) error = NULL;
  const char *key = g_object_get_data (G_OBJECT (row), "cp-key");
  gboolean is_stage = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "cp-is-stage"));
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (self->database == NULL || self->mapping == NULL)
    return;
  changed = mapping_copy (self->mapping);
  if (is_stage)
    set_change (changed->stages, key, text, default_stage_value (self, key), TRUE);
  else
    {
      CpLeadField field;

      g_assert (cp_lead_field_from_name (key, &field));
      set_change (changed->fields, key, text, default_property (self, field), FALSE);
    }

  if (!cp_crm_mapping_save (self->database, self->backend_name, changed, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), error->message);
      toast (self, error->message);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), NULL);
  cp_crm_mapping_free (self->mapping);
  self->mapping = g_steal_pointer (&changed);
  toast (self, _("Mapping saved: the next sync uses it"));
}

static GtkWidget *
add_row (CpCrmMappingPage   *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *key,
         const char          *text,
         gboolean             is_stage)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  g_object_set_data_full (G_OBJECT (row), "cp-key", g_strdup (key), g_free);
  g_object_set_data (G_OBJECT (row), "cp-is-stage", GINT_TO_POINTER (is_stage));
  g_signal_connect (row, "apply", G_CALLBACK (row_applied_cb), self);
  adw_preferences_group_add (group, row);
  return row;
}

static AdwPreferencesGroup *
add_group (CpCrmMappingPage *self,
           const char       *title,
           const char       *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (group));
  g_ptr_array_add (self->groups, group);
  return ADW_PREFERENCES_GROUP (group);
}

static void
add_field_rows (CpCrmMappingPage *self)
{
  AdwPreferencesGroup *group;
  const CpFieldGroup *field_groups;
  guint n_groups = 0;
  g_autofree char *description = NULL;

  /* Translators: %s is a CRM's name, “HubSpot” or “EspoCRM” */
  description =
      g_strdup_printf (_("The %s property each field is kept in, by its internal name "
                         "(such as “jobtitle”). Empty: the field stays in Carepath only."),
                       crm_title (self));
  group = add_group (self, _("Fields"), description);
  field_groups = cp_lead_field_groups (&n_groups);
  for (guint g = 0; g < n_groups; g++)
    for (const CpLeadField *f = field_groups[g].fields; *f != CP_LEAD_N_FIELDS; f++)
      {
        const char *name = cp_lead_field_info (*f)->name;
        const char *text;

        if (*f == CP_LEAD_FIELD_STAGE || *f == CP_LEAD_FIELD_ID)
          continue;
        text = g_hash_table_contains (self->mapping->fields, name)
               ? g_hash_table_lookup (self->mapping->fields, name)
               : default_property (self, *f);
        add_row (self, group, _(cp_lead_field_info (*f)->label), name, text, FALSE);
      }
}

static void
add_stage_rows (CpCrmMappingPage *self)
{
  AdwPreferencesGroup *group;
  g_autofree char *description = NULL;

  /* Translators: %s is a CRM's name, “HubSpot” or “EspoCRM” */
  description = g_strdup_printf (_("The %s value each stage is sent as. Empty: the usual value."),
                                 crm_title (self));
  group = add_group (self, _("Stages"), description);
  if (self->playbook != NULL)
    for (guint i = 0; i < self->playbook->stages->len; i++)
      {
        const CpStage *stage = g_ptr_array_index (self->playbook->stages, i);
        const char *text = g_hash_table_lookup (self->mapping->stages, stage->id);

        add_row (self, group, stage->title != NULL ? stage->title : stage->id, stage->id,
                 text != NULL ? text : default_stage_value (self, stage->id), TRUE);
      }
  else
    {
      guint n = 0;
      const CpStageInfo *stages = cp_default_stages (&n);

      for (guint i = 0; i < n; i++)
        {
          const char *text = g_hash_table_lookup (self->mapping->stages, stages[i].id);

          add_row (self, group, _(stages[i].title), stages[i].id,
                   text != NULL ? text : default_stage_value (self, stages[i].id), TRUE);
        }
    }
}

static void
rebuild (CpCrmMappingPage *self)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (ADW_PREFERENCES_PAGE (self), self->groups->pdata[i]);
  g_ptr_array_set_size (self->groups, 0);
  g_clear_pointer (&self->mapping, cp_crm_mapping_free);

  if (self->backend_name == NULL || self->database == NULL ||
      !cp_crm_defaults_for_name (self->backend_name, &self->defaults))
    {
      add_group (self, _("No CRM Chosen"),
                 _("Choose a CRM on the Account page to map fields and stages to it."));
      return;
    }

  self->mapping = cp_crm_mapping_load (self->database, self->backend_name, &error);
  if (self->mapping == NULL)
    {
      /* Unreadable: start again from the defaults; saving replaces it. */
      add_group (self, _("The Saved Mapping Cannot Be Read"), error->message);
      self->mapping = cp_crm_mapping_new ();
    }
  add_field_rows (self);
  add_stage_rows (self);
}

static void
cp_crm_mapping_page_dispose (GObject *object)
{
  CpCrmMappingPage *self = CP_CRM_MAPPING_PAGE (object);

  g_clear_object (&self->database);
  g_clear_pointer (&self->playbook, cp_playbook_unref);
  g_clear_pointer (&self->mapping, cp_crm_mapping_free);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->backend_name, g_free);

  G_OBJECT_CLASS (cp_crm_mapping_page_parent_class)->dispose (object);
}

static void
cp_crm_mapping_page_class_init (CpCrmMappingPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cp_crm_mapping_page_dispose;
}

static void
cp_crm_mapping_page_init (CpCrmMappingPage *self)
{
  self->groups = g_ptr_array_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Mapping"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "view-list-symbolic");
  gtk_widget_set_name (GTK_WIDGET (self), "mapping");
  rebuild (self);
}

CpCrmMappingPage *
cp_crm_mapping_page_new (void)
{
  return g_object_new (CP_TYPE_CRM_MAPPING_PAGE, NULL);
}

/**
 * cp_crm_mapping_page_set_database:
 * @database: (nullable): where the mapping is saved
 * @playbook: (nullable): whose stages are listed (the default stages
 *   without one)
 */
void
cp_crm_mapping_page_set_database (CpCrmMappingPage *self,
                                  CpDatabase       *database,
                                  CpPlaybook       *playbook)
{
  g_return_if_fail (CP_IS_CRM_MAPPING_PAGE (self));

  g_set_object (&self->database, database);
  g_clear_pointer (&self->playbook, cp_playbook_unref);
  self->playbook = playbook != NULL ? cp_playbook_ref (playbook) : NULL;
  rebuild (self);
}

/**
 * cp_crm_mapping_page_set_backend:
 * @backend_name: (nullable): "hubspot", "espocrm", or %NULL / "none"
 */
void
cp_crm_mapping_page_set_backend (CpCrmMappingPage *self,
                                 const char       *backend_name)
{
  g_return_if_fail (CP_IS_CRM_MAPPING_PAGE (self));

  if (g_strcmp0 (backend_name, "none") == 0)
    backend_name = NULL;
  if (g_strcmp0 (self->backend_name, backend_name) == 0)
    return;
  g_free (self->backend_name);
  self->backend_name = g_strdup (backend_name);
  rebuild (self);
}
