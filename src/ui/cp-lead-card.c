/* cp-lead-card.c — one lead as a card on the pipeline board
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-card"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-lead-card.h"
#include "cp-lead-format.h"

struct _CpLeadCard
{
  GtkWidget  parent_instance;

  CpLead    *lead;
  gboolean   rotting;
  gboolean   breached;

  GtkWidget *box;
  GtkLabel  *name_label;
  GtkLabel  *score_label;
  GtkLabel  *detail_label;
  AdwAvatar *owner_avatar;
  GtkLabel  *sla_label;
  GtkImage  *consent_icon;
};

G_DEFINE_FINAL_TYPE (CpLeadCard, cp_lead_card, GTK_TYPE_WIDGET)

static const char * const tier_classes[] = { "tier-unqualified", "tier-nurture", "tier-sales-ready" };

static void
set_class (GtkWidget  *widget,
           const char *css_class,
           gboolean    on)
{
  if (on)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

static void
cp_lead_card_dispose (GObject *object)
{
  CpLeadCard *self = CP_LEAD_CARD (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_LEAD_CARD);
  g_clear_object (&self->lead);

  G_OBJECT_CLASS (cp_lead_card_parent_class)->dispose (object);
}

static void
cp_lead_card_class_init (CpLeadCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_lead_card_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cp-lead-card.ui");
  gtk_widget_class_bind_template_child (widget_class, CpLeadCard, box);
  gtk_widget_class_bind_template_child (widget_class, CpLeadCard, name_label);
  gtk_widget_class_bind_template_child (widget_class, CpLeadCard, score_label);
  gtk_widget_class_bind_template_child (widget_class, CpLeadCard, detail_label);
  gtk_widget_class_bind_template_child (widget_class, CpLeadCard, owner_avatar);
  gtk_widget_class_bind_template_child (widget_class, CpLeadCard, sla_label);
  gtk_widget_class_bind_template_child (widget_class, CpLeadCard, consent_icon);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cp-lead-card");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cp_lead_card_init (CpLeadCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cp_lead_card_new (void)
{
  return g_object_new (CP_TYPE_LEAD_CARD, NULL);
}

CpLead *
cp_lead_card_get_lead (CpLeadCard *self)
{
  g_return_val_if_fail (CP_IS_LEAD_CARD (self), NULL);

  return self->lead;
}

/**
 * cp_lead_card_set_lead:
 * @lead: (nullable): the lead to show
 * @now: the time SLA countdowns and rotting are measured at
 * @rotting_days: how long a lead may sit in its stage (0: no limit)
 */
void
cp_lead_card_set_lead (CpLeadCard *self,
                       CpLead     *lead,
                       gint64      now,
                       guint       rotting_days)
{
  g_autofree char *name = NULL;
  g_autofree char *score = NULL;
  g_autofree char *sla = NULL;
  g_autoptr(GString) detail = NULL;
  g_autoptr(GString) accessible = NULL;
  const char *organization;
  const char *service_line;
  const char *owner;
  const char *tier;
  const char *consent;
  gboolean blocked;
  gint64 entered;

  g_return_if_fail (CP_IS_LEAD_CARD (self));

  g_set_object (&self->lead, lead);
  if (lead == NULL)
    return;

  name = cp_lead_dup_display_name (lead);
  gtk_label_set_text (self->name_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), name);

  score = g_strdup_printf ("%" G_GINT64_FORMAT, cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE));
  gtk_label_set_text (self->score_label, score);
  tier = cp_lead_get_text (lead, CP_LEAD_FIELD_TIER);
  set_class (GTK_WIDGET (self->score_label), tier_classes[0], g_strcmp0 (tier, "unqualified") == 0);
  set_class (GTK_WIDGET (self->score_label), tier_classes[1], g_strcmp0 (tier, "nurture") == 0);
  set_class (GTK_WIDGET (self->score_label), tier_classes[2], g_strcmp0 (tier, "sales_ready") == 0);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->score_label),
                               tier != NULL ? cp_value_label (tier) : _("Not scored yet"));

  detail = g_string_new (NULL);
  organization = cp_lead_get_text (lead, CP_LEAD_FIELD_ORGANIZATION);
  service_line = cp_lead_get_text (lead, CP_LEAD_FIELD_SERVICE_LINE);
  if (organization != NULL)
    g_string_append (detail, organization);
  if (service_line != NULL)
    g_string_append_printf (detail, "%s%s", detail->len > 0 ? " · " : "",
                            cp_value_label (service_line));
  gtk_label_set_text (self->detail_label, detail->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->detail_label), detail->len > 0 ? detail->str : NULL);

  owner = cp_lead_get_text (lead, CP_LEAD_FIELD_OWNER);
  adw_avatar_set_text (self->owner_avatar, owner);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->owner_avatar),
                               owner != NULL ? owner : _("No owner yet"));

  sla = cp_format_sla (cp_lead_get_int (lead, CP_LEAD_FIELD_SLA_DUE_AT),
                       cp_lead_get_int (lead, CP_LEAD_FIELD_FIRST_RESPONSE_AT), now);
  self->breached = sla != NULL && cp_lead_get_int (lead, CP_LEAD_FIELD_SLA_DUE_AT) < now;
  gtk_label_set_text (self->sla_label, sla != NULL ? sla : "");
  set_class (GTK_WIDGET (self->sla_label), "error", self->breached);
  set_class (GTK_WIDGET (self->sla_label), "dim-label", !self->breached);

  consent = cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_STATUS);
  blocked = cp_lead_get_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT) != 0 ||
            g_strcmp0 (consent, "denied") == 0 || g_strcmp0 (consent, "withdrawn") == 0;
  gtk_widget_set_visible (GTK_WIDGET (self->consent_icon), blocked);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->consent_icon),
                               blocked ? _("Do not contact: consent denied or withdrawn") : NULL);

  entered = cp_lead_get_stage_entered_at (lead);
  self->rotting = rotting_days > 0 && entered > 0 && now - entered > (gint64) rotting_days * 86400;
  set_class (self->box, "rotting", self->rotting);

  accessible = g_string_new (name);
  g_string_append_printf (accessible, _(", score %s"), score);
  if (detail->len > 0)
    g_string_append_printf (accessible, ", %s", detail->str);
  if (sla != NULL)
    g_string_append_printf (accessible, ", %s", sla);
  if (blocked)
    g_string_append (accessible, _(", do not contact"));
  if (self->rotting)
    g_string_append (accessible, _(", stuck in this stage"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible->str, -1);
}

gboolean
cp_lead_card_is_rotting (CpLeadCard *self)
{
  g_return_val_if_fail (CP_IS_LEAD_CARD (self), FALSE);

  return self->rotting;
}

gboolean
cp_lead_card_is_breached (CpLeadCard *self)
{
  g_return_val_if_fail (CP_IS_LEAD_CARD (self), FALSE);

  return self->breached;
}
