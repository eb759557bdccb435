/* cp-filter-bar.c — search and filters shared by the board and the table
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-filter-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-filter-bar.h"
#include "cp-lead-format.h"

/* The dropdowns, each over one field's values in use; unfiltered, each
 * shows the field's name (short, so that every filter fits in a row). */
static const struct
{
  CpLeadField  field;
  gsize        offset;     /* into CpLeadQuery */
  const char  *any_label;  /* N_(): no filter */
} filters[] = {
  { CP_LEAD_FIELD_SERVICE_LINE, G_STRUCT_OFFSET (CpLeadQuery, service_line), N_("Service line") },
  { CP_LEAD_FIELD_LOCATION, G_STRUCT_OFFSET (CpLeadQuery, location), N_("Location") },
  { CP_LEAD_FIELD_OWNER, G_STRUCT_OFFSET (CpLeadQuery, owner), N_("Owner") },
  { CP_LEAD_FIELD_QUEUE, G_STRUCT_OFFSET (CpLeadQuery, queue), N_("Queue") },
  { CP_LEAD_FIELD_SOURCE_CHANNEL, G_STRUCT_OFFSET (CpLeadQuery, source_channel), N_("Source") },
  { CP_LEAD_FIELD_LEAD_TYPE, G_STRUCT_OFFSET (CpLeadQuery, lead_type), N_("Lead type") },
  { CP_LEAD_FIELD_TIER, G_STRUCT_OFFSET (CpLeadQuery, tier), N_("Tier") },
};

#define N_FILTERS G_N_ELEMENTS (filters)

struct _CpFilterBar
{
  GtkWidget        parent_instance;

  CpLeadStore     *store;
  CpLeadQuery     *query;
  GPtrArray       *values[N_FILTERS];   /* canonical ids; index 0 = any */
  GtkDropDown     *dropdowns[N_FILTERS];           /* the full bar's */
  GtkDropDown     *compact_dropdowns[N_FILTERS];   /* the popover's, bound to them */
  gboolean         updating;
  gboolean         values_stale;   /* leads changed since the values were read */
  guint            reload_source;

  GSettings       *settings;
  GtkMenuButton   *views_button;
  GtkRevealer     *revealer;
  GtkSearchEntry  *search_entry;
  GtkBox          *dropdown_box;
  GtkToggleButton *sla_button;
  GtkButton       *clear_button;
  GtkBox          *compact_dropdown_box;
  GtkButton       *lead_set_button;
  GtkLabel        *lead_set_label;
  GtkMenuButton   *filters_button;
  GtkLabel        *count_label;
  GtkLabel        *active_label;
  GtkCheckButton  *compact_sla_check;
  GtkButton       *compact_clear_button;
};

G_DEFINE_FINAL_TYPE (CpFilterBar, cp_filter_bar, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_member (CpLeadQuery *query,
            gsize        offset,
            const char  *value)
{
  char **member = &G_STRUCT_MEMBER (char *, query, offset);

  g_free (*member);
  *member = value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

/* The compact form says how many filters are on: the dropdowns and the
 * SLA toggle it hides (the search and a report's leads stay in sight). */
static void
update_count (CpFilterBar *self)
{
  gboolean has_filter = cp_lead_query_has_filter (self->query);
  g_autofree char *count = NULL;
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  guint n = self->query->sla_breached_only ? 1 : 0;

  for (guint i = 0; i < N_FILTERS; i++)
    if (gtk_drop_down_get_selected (self->dropdowns[i]) > 0)
      n++;

  count = g_strdup_printf ("%u", n);
  gtk_label_set_text (self->count_label, count);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), n > 0);
  /* Translators: the name of the Filters button, with the count it shows. */
  name = n > 0 ? g_strdup_printf (ngettext ("Filters, %u active", "Filters, %u active", n), n)
               : g_strdup (_("Filters"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->filters_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  heading = n > 0 ? g_strdup_printf (ngettext ("%u filter active", "%u filters active", n), n)
                  : g_strdup (_("No filters active"));
  gtk_label_set_text (self->active_label, heading);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), has_filter);
  gtk_widget_set_sensitive (GTK_WIDGET (self->compact_clear_button), has_filter);
}

static void
emit_changed (CpFilterBar *self)
{
  update_count (self);
  if (!self->updating)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   CpFilterBar    *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  /* The box being set from the query (it is emptied first, at once) says
   * nothing new; nor does the same search again. */
  if (self->updating)
    return;
  /* Spaces alone are an empty box, not a search (which would find nothing). */
  g_strstrip (text);
  if (g_strcmp0 (*text != '\0' ? text : NULL, self->query->search) == 0)
    return;
  set_member (self->query, G_STRUCT_OFFSET (CpLeadQuery, search), text);
  emit_changed (self);
}

static void
sla_toggled_cb (GtkToggleButton *button,
                CpFilterBar     *self)
{
  self->query->sla_breached_only = gtk_toggle_button_get_active (button);
  emit_changed (self);
}

/* Active filters come first in the row, so none scrolls out of sight. */
static void
order_dropdowns (CpFilterBar *self)
{
  GtkWidget *previous = NULL;

  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < N_FILTERS; i++)
      {
        gboolean active = gtk_drop_down_get_selected (self->dropdowns[i]) > 0;

        if (active != (pass == 0))
          continue;
        gtk_box_reorder_child_after (self->dropdown_box, GTK_WIDGET (self->dropdowns[i]), previous);
        previous = GTK_WIDGET (self->dropdowns[i]);
      }
}

static void
dropdown_selected_cb (GtkDropDown *dropdown,
                      GParamSpec  *pspec,
                      CpFilterBar *self)
{
  for (guint i = 0; i < N_FILTERS; i++)
    if (self->dropdowns[i] == dropdown)
      {
        guint selected = gtk_drop_down_get_selected (dropdown);
        const char *value = selected > 0 && selected < self->values[i]->len
                            ? self->values[i]->pdata[selected] : NULL;
        set_member (self->query, filters[i].offset, value);
      }
  if (!self->updating)
    order_dropdowns (self);
  emit_changed (self);
}

static void
clear_clicked_cb (GtkButton   *button,
                  CpFilterBar *self)
{
  g_autoptr(CpLeadQuery) empty = cp_lead_query_new ();

  cp_filter_bar_set_query (self, empty);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Closing the bar drops the filters: an active filter is never hidden. */
static void sync_widgets (CpFilterBar *self);

/* The leads behind a report's row: one click shows all leads again. */
static void
lead_set_clicked_cb (GtkButton   *button,
                     CpFilterBar *self)
{
  cp_lead_query_set_lead_set (self->query, NULL, NULL);
  sync_widgets (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
close_clicked_cb (GtkButton   *button,
                  CpFilterBar *self)
{
  gtk_revealer_set_reveal_child (self->revealer, FALSE);
  if (cp_lead_query_has_filter (self->query))
    clear_clicked_cb (NULL, self);
}

static void
stop_search_cb (GtkSearchEntry *entry,
                CpFilterBar    *self)
{
  close_clicked_cb (NULL, self);
}

/* The saved views menu: apply one, save the current filter, remove one. */
static void
rebuild_views_menu (CpFilterBar *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) views = g_menu_new ();
  g_autoptr(GMenu) remove = g_menu_new ();
  g_autoptr(GMenu) actions = g_menu_new ();
  g_autoptr(GVariant) saved = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GVariantIter iter;
  const char *name;

  if (self->settings != NULL)
    {
      saved = g_settings_get_value (self->settings, "saved-views");
      g_variant_iter_init (&iter, saved);
      while (g_variant_iter_next (&iter, "{&s&s}", &name, NULL))
        g_ptr_array_add (names, (gpointer) name);
      g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
    }

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GMenuItem) apply = g_menu_item_new (names->pdata[i], NULL);
      g_autoptr(GMenuItem) drop = g_menu_item_new (names->pdata[i], NULL);

      g_menu_item_set_action_and_target (apply, "filter.apply-view", "s", names->pdata[i]);
      g_menu_item_set_action_and_target (drop, "filter.remove-view", "s", names->pdata[i]);
      g_menu_append_item (views, apply);
      g_menu_append_item (remove, drop);
    }
  if (names->len == 0)
    {
      g_autoptr(GMenuItem) none = g_menu_item_new (_("No saved views yet"), "filter.none");
      g_menu_append_item (views, none);
    }

  g_menu_append (actions, _("_Save Current Filter…"), "filter.save-view");
  if (names->len > 0)
    g_menu_append_submenu (actions, _("_Remove Saved View"), G_MENU_MODEL (remove));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (views));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (actions));
  gtk_menu_button_set_menu_model (self->views_button, G_MENU_MODEL (menu));
}

static void
apply_view_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CpFilterBar *self = CP_FILTER_BAR (widget);
  g_autoptr(GVariant) saved = g_settings_get_value (self->settings, "saved-views");
  const char *text = NULL;

  if (g_variant_lookup (saved, g_variant_get_string (parameter, NULL), "&s", &text))
    {
      g_autoptr(CpLeadQuery) query = cp_lead_query_from_string (text);

      cp_filter_bar_set_query (self, query);
      g_signal_emit (self, signals[CHANGED], 0);
    }
}

static void
remove_view_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CpFilterBar *self = CP_FILTER_BAR (widget);

  cp_filter_bar_remove_view (self, g_variant_get_string (parameter, NULL));
}

static void
save_view_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       CpFilterBar      *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "name-entry");
  g_autofree char *name = NULL;

  if (g_strcmp0 (response, "save") != 0)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  cp_filter_bar_save_view (self, name);
}

static void
save_view_name_changed_cb (GtkEditable      *entry,
                           AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "save", *name != '\0');
}

static void
save_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CpFilterBar *self = CP_FILTER_BAR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                              _("Save Current Filter"),
                              _("A saved view brings back this search and these "
                                "filters in one click. A view with the same name "
                                 "is replaced.")));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name, e.g. “Cardiology, breached”"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name of the saved view"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  g_object_set_data (G_OBJECT (dialog), "name-entry", entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, "save", FALSE);
  g_signal_connect (entry, "changed", G_CALLBACK (save_view_name_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (save_view_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Fills each dropdown with “All …” and the values in use. */
static void
load_values (CpFilterBar *self)
{
  for (guint i = 0; i < N_FILTERS; i++)
    {
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
      g_autoptr(GPtrArray) found = NULL;

      g_ptr_array_set_size (self->values[i], 0);
      g_ptr_array_add (self->values[i], NULL);
      gtk_string_list_append (labels, _(filters[i].any_label));

      if (self->store != NULL)
        found = cp_lead_store_distinct_values (self->store, filters[i].field, NULL);
      for (guint j = 0; found != NULL && j < found->len; j++)
        {
          g_ptr_array_add (self->values[i], g_strdup (found->pdata[j]));
          gtk_string_list_append (labels, cp_value_label (found->pdata[j]));
        }
      gtk_drop_down_set_model (self->dropdowns[i], G_LIST_MODEL (labels));
    }
}

/* Shows @self->query in the widgets, without emitting ::changed. */
static void
sync_widgets (CpFilterBar *self)
{
  self->updating = TRUE;

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry),
                         self->query->search != NULL ? self->query->search : "");
  gtk_toggle_button_set_active (self->sla_button, self->query->sla_breached_only);
  for (guint i = 0; i < N_FILTERS; i++)
    {
      const char *value = G_STRUCT_MEMBER (const char *, self->query, filters[i].offset);
      guint selected = 0;

      for (guint j = 1; value != NULL && j < self->values[i]->len; j++)
        if (g_strcmp0 (self->values[i]->pdata[j], value) == 0)
          selected = j;
      /* A saved value no longer in use still filters: show it. */
      if (value != NULL && selected == 0)
        {
          GtkStringList *labels = GTK_STRING_LIST (gtk_drop_down_get_model (self->dropdowns[i]));
          g_ptr_array_add (self->values[i], g_strdup (value));
          gtk_string_list_append (labels, cp_value_label (value));
          selected = self->values[i]->len - 1;
        }
      gtk_drop_down_set_selected (self->dropdowns[i], selected);
    }
  update_count (self);
  gtk_widget_set_visible (GTK_WIDGET (self->lead_set_button), self->query->lead_set != NULL);
  if (self->query->lead_set != NULL)
    {
      const char *label = self->query->lead_set_label != NULL ? self->query->lead_set_label
                                                              : _("Leads from a report");
      g_autofree char *name = g_strdup_printf (_("Show all leads again, not only “%s”"), label);

      gtk_label_set_text (self->lead_set_label, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->lead_set_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
  order_dropdowns (self);
  if (cp_lead_query_has_filter (self->query))
    gtk_revealer_set_reveal_child (self->revealer, TRUE);

  self->updating = FALSE;
}

/* Reads the values in use again, keeping the filters as they are. */
static void
reload_values (CpFilterBar *self)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_copy (self->query);

  self->values_stale = FALSE;
  self->updating = TRUE;
  load_values (self);
  self->updating = FALSE;
  cp_lead_query_free (self->query);
  self->query = g_steal_pointer (&query);
  sync_widgets (self);
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  CpFilterBar *self = user_data;

  self->reload_source = 0;
  if (gtk_revealer_get_reveal_child (self->revealer))
    reload_values (self);
  return G_SOURCE_REMOVE;
}

/* New leads bring new values (a demo load, an import, a pull): offered
 * once the burst of changes is over, or when the bar is next opened. */
static void
store_changed_cb (CpLeadStore *store,
                  const char  *lead_id,
                  guint        change,
                  CpFilterBar *self)
{
  self->values_stale = TRUE;
  if (self->reload_source == 0)
    self->reload_source = g_timeout_add (1000, reload_timeout_cb, self);
}

static void
revealed_cb (GtkRevealer *revealer,
             GParamSpec  *pspec,
             CpFilterBar *self)
{
  if (self->values_stale && gtk_revealer_get_reveal_child (revealer))
    reload_values (self);
}

static void
cp_filter_bar_dispose (GObject *object)
{
  CpFilterBar *self = CP_FILTER_BAR (object);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_FILTER_BAR);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cp_filter_bar_parent_class)->dispose (object);
}

static void
cp_filter_bar_finalize (GObject *object)
{
  CpFilterBar *self = CP_FILTER_BAR (object);

  for (guint i = 0; i < N_FILTERS; i++)
    g_clear_pointer (&self->values[i], g_ptr_array_unref);
  g_clear_pointer (&self->query, cp_lead_query_free);

  G_OBJECT_CLASS (cp_filter_bar_parent_class)->finalize (object);
}

static void
cp_filter_bar_class_init (CpFilterBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_filter_bar_dispose;
  object_class->finalize = cp_filter_bar_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cp-filter-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, CpFilterBar, revealer);
  gtk_widget_class_bind_template_child (widget_class, CpFilterBar, views_button);
  gtk_widget_class_install_action (widget_class, "filter.apply-view", "s", apply_view_action);
  gtk_widget_class_install_action (widget_class, "filter.remove-view", "s", remove_view_action);
  gtk_widget_class_install_action (widget_class, "filter.save-view", NULL, save_view_action);
  gtk_widget_class_install_action (widget_class, "filter.none", NULL, NULL);
  gtk_widget_class_bind_template_child (widget_class, CpFilterBar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CpFilterBar, dropdown_box);
  gtk_widget_class_bind_template_child (widget_class, CpFilterBar, sla_button);
  gtk_widget_class_bind_template_child (widget_class, CpFilterBar, clear_button);
  gtk_widget_class_bind_template_child (widget_class, CpFilterBar, lead_set_button);
  gtk_widget_class_bind_template_child (widget_class, CpFilterBar, lead_set_label);
  gtk_widget_class_bind_template_child (widget_class, CpFilterBar, filters_button);
  gtk_widget_class_bind_template_child (widget_class, CpFilterBar, count_label);
  gtk_widget_class_bind_template_child (widget_class, CpFilterBar, active_label);
  gtk_widget_class_bind_template_child (widget_class, CpFilterBar, compact_sla_check);
  gtk_widget_class_bind_template_child (widget_class, CpFilterBar, compact_clear_button);
  gtk_widget_class_bind_template_child (widget_class, CpFilterBar, compact_dropdown_box);
  gtk_widget_class_bind_template_callback (widget_class, lead_set_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sla_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cp_filter_bar_init (CpFilterBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->query = cp_lead_query_new ();
  for (guint i = 0; i < N_FILTERS; i++)
    {
      const char *label = _(cp_lead_field_info (filters[i].field)->label);

      self->values[i] = g_ptr_array_new_with_free_func (g_free);
      self->dropdowns[i] = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
      self->compact_dropdowns[i] = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
      /* One filter, two forms: the popover's dropdown shows the same list
       * and the same choice as the bar's, whichever is changed. */
      g_object_bind_property (self->dropdowns[i], "model", self->compact_dropdowns[i], "model",
                              G_BINDING_SYNC_CREATE);
      g_object_bind_property (self->dropdowns[i], "selected", self->compact_dropdowns[i],
                              "selected", G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
      for (guint form = 0; form < 2; form++)
        {
          GtkWidget *dropdown =
              GTK_WIDGET (form == 0 ? self->dropdowns[i] : self->compact_dropdowns[i]);

          gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          label, -1);
          gtk_widget_set_tooltip_text (dropdown, label);
        }
      g_signal_connect (self->dropdowns[i], "notify::selected",
                        G_CALLBACK (dropdown_selected_cb), self);
      gtk_box_append (self->dropdown_box, GTK_WIDGET (self->dropdowns[i]));
      gtk_box_append (self->compact_dropdown_box, GTK_WIDGET (self->compact_dropdowns[i]));
    }
  g_object_bind_property (self->sla_button, "active", self->compact_sla_check, "active",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  load_values (self);
  update_count (self);
  g_signal_connect (self->revealer, "notify::reveal-child", G_CALLBACK (revealed_cb), self);

  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = source != NULL
      ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

    if (schema != NULL)
      {
        self->settings = g_settings_new (APP_ID);
        g_signal_connect_object (self->settings, "changed::saved-views",
                                 G_CALLBACK (rebuild_views_menu), self, G_CONNECT_SWAPPED);
      }
    gtk_widget_set_visible (GTK_WIDGET (self->views_button), schema != NULL);
  }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "filter.none", FALSE);
  rebuild_views_menu (self);
}

GtkWidget *
cp_filter_bar_new (void)
{
  return g_object_new (CP_TYPE_FILTER_BAR, NULL);
}

/**
 * cp_filter_bar_set_store:
 *
 * The dropdowns offer the values in use in @store.
 */
void
cp_filter_bar_set_store (CpFilterBar *self,
                         CpLeadStore *store)
{
  g_return_if_fail (CP_IS_FILTER_BAR (self));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
  self->values_stale = FALSE;
  self->updating = TRUE;
  load_values (self);
  self->updating = FALSE;
  sync_widgets (self);
}

const CpLeadQuery *
cp_filter_bar_get_query (CpFilterBar *self)
{
  g_return_val_if_fail (CP_IS_FILTER_BAR (self), NULL);

  return self->query;
}

/**
 * cp_filter_bar_set_query:
 *
 * Shows the filters of @query (copied); does not emit ::changed.
 */
void
cp_filter_bar_set_query (CpFilterBar       *self,
                         const CpLeadQuery *query)
{
  g_return_if_fail (CP_IS_FILTER_BAR (self));
  g_return_if_fail (query != NULL);

  cp_lead_query_free (self->query);
  self->query = cp_lead_query_copy (query);
  sync_widgets (self);
}

void
cp_filter_bar_focus_search (CpFilterBar *self)
{
  g_return_if_fail (CP_IS_FILTER_BAR (self));

  gtk_revealer_set_reveal_child (self->revealer, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

gboolean
cp_filter_bar_get_search_mode (CpFilterBar *self)
{
  g_return_val_if_fail (CP_IS_FILTER_BAR (self), FALSE);

  return gtk_revealer_get_reveal_child (self->revealer);
}

/**
 * cp_filter_bar_save_view:
 * @name: the view's name; a view of that name is replaced
 *
 * Saves the current search and filters under @name.
 */
void
cp_filter_bar_save_view (CpFilterBar *self,
                         const char  *name)
{
  g_autoptr(GVariant) saved = NULL;
  g_autofree char *text = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  const char *value;

  g_return_if_fail (CP_IS_FILTER_BAR (self));
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (self->settings != NULL);

  text = cp_lead_query_to_string (self->query);
  saved = g_settings_get_value (self->settings, "saved-views");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, saved);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (g_strcmp0 (key, name) != 0)
      g_variant_builder_add (&builder, "{ss}", key, value);
  g_variant_builder_add (&builder, "{ss}", name, text);
  g_settings_set_value (self->settings, "saved-views", g_variant_builder_end (&builder));
}

void
cp_filter_bar_remove_view (CpFilterBar *self,
                           const char  *name)
{
  g_autoptr(GVariant) saved = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  const char *value;

  g_return_if_fail (CP_IS_FILTER_BAR (self));
  g_return_if_fail (self->settings != NULL);

  saved = g_settings_get_value (self->settings, "saved-views");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, saved);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (g_strcmp0 (key, name) != 0)
      g_variant_builder_add (&builder, "{ss}", key, value);
  g_settings_set_value (self->settings, "saved-views", g_variant_builder_end (&builder));
}
