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
  char      *accessible_label;        /* what a screen reader says of the card */
  char      *accessible_description;

  GtkWidget *box;
  GtkLabel  *name_label;
  GtkLabel  *score_label;
  GtkLabel  *detail_label;
  GtkLabel  *owner_avatar;
  GtkLabel  *sla_label;
  GtkImage  *consent_icon;
};

/* Owner avatars get one of a few colours, stable per name. */
static const char * const avatar_classes[] = {
  "avatar-blue", "avatar-green", "avatar-orange", "avatar-purple", "avatar-teal", "avatar-red",
};

G_DEFINE_FINAL_TYPE (CpLeadCard, cp_lead_card, GTK_TYPE_WIDGET)

static const char * const tier_classes[] = { "tier-unqualified", "tier-nurture",
                                             "tier-sales-ready" };

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

/* Tooltips are computed when asked for: setting them on every bind costs
 * an accessibility update per card, which dominated the board's launch. */
static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  CpLeadCard *self)
{
  const char *which = g_object_get_data (G_OBJECT (widget), "cp-tooltip");
  g_autofree char *text = NULL;

  if (self->lead == NULL)
    return FALSE;

  if (g_strcmp0 (which, "name") == 0)
    text = cp_lead_dup_display_name (self->lead);
  else if (g_strcmp0 (which, "detail") == 0)
    text = g_strdup (gtk_label_get_text (self->detail_label));
  else if (g_strcmp0 (which, "score") == 0)
    {
      const char *tier = cp_lead_get_text (self->lead, CP_LEAD_FIELD_TIER);
      text = g_strdup (tier != NULL ? cp_value_label (tier) : _("Not scored yet"));
    }
  else if (g_strcmp0 (which, "owner") == 0)
    {
      const char *owner = cp_lead_get_text (self->lead, CP_LEAD_FIELD_OWNER);
      text = g_strdup (owner != NULL ? owner : _("No owner yet"));
    }
  else if (g_strcmp0 (which, "consent") == 0)
    text = g_strdup (_("Do not contact: consent denied or withdrawn"));

  if (text == NULL || *text == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
lazy_tooltip (CpLeadCard *self,
              GtkWidget  *widget,
              const char *which)
{
  g_object_set_data (G_OBJECT (widget), "cp-tooltip", (gpointer) which);
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
}

static void
cp_lead_card_dispose (GObject *object)
{
  CpLeadCard *self = CP_LEAD_CARD (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->lead);

  G_OBJECT_CLASS (cp_lead_card_parent_class)->dispose (object);
}

static void
cp_lead_card_finalize (GObject *object)
{
  CpLeadCard *self = CP_LEAD_CARD (object);

  g_free (self->accessible_label);
  g_free (self->accessible_description);

  G_OBJECT_CLASS (cp_lead_card_parent_class)->finalize (object);
}

static void
cp_lead_card_class_init (CpLeadCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_lead_card_dispose;
  object_class->finalize = cp_lead_card_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cp-lead-card");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkLabel *
new_label (const char *css_class,
           gboolean    expand)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, expand);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return GTK_LABEL (label);
}

/* A board shows a couple of hundred cards per column (GTK 4.8 list views
 * keep that many rows alive), so the card is built in code: parsing a
 * template per card dominated the time to the first frame. */
static void
cp_lead_card_init (CpLeadCard *self)
{
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *bottom = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (self->box, "card");
  gtk_widget_add_css_class (self->box, "cp-card-body");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->name_label = new_label ("heading", TRUE);
  self->score_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_valign (GTK_WIDGET (self->score_label), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->score_label), "cp-score");
  gtk_widget_add_css_class (GTK_WIDGET (self->score_label), "numeric");
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->name_label));
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->score_label));
  gtk_box_append (GTK_BOX (self->box), top);

  self->detail_label = new_label ("dim-label", FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->detail_label), "caption");
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->detail_label));

  gtk_widget_set_margin_top (bottom, 2);
  self->owner_avatar = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->owner_avatar), "cp-avatar");
  self->sla_label = new_label ("caption", TRUE);
  self->consent_icon = GTK_IMAGE (gtk_image_new_from_icon_name ("action-unavailable-symbolic"));
  gtk_widget_add_css_class (GTK_WIDGET (self->consent_icon), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->consent_icon), FALSE);
  gtk_box_append (GTK_BOX (bottom), GTK_WIDGET (self->owner_avatar));
  gtk_box_append (GTK_BOX (bottom), GTK_WIDGET (self->sla_label));
  gtk_box_append (GTK_BOX (bottom), GTK_WIDGET (self->consent_icon));
  gtk_box_append (GTK_BOX (self->box), bottom);

  lazy_tooltip (self, GTK_WIDGET (self->name_label), "name");
  lazy_tooltip (self, GTK_WIDGET (self->detail_label), "detail");
  lazy_tooltip (self, GTK_WIDGET (self->score_label), "score");
  lazy_tooltip (self, GTK_WIDGET (self->owner_avatar), "owner");
  lazy_tooltip (self, GTK_WIDGET (self->consent_icon), "consent");
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

/* The response time as it is said aloud: words, not “2 d”. */
static char *
spoken_sla (gint64 due,
            gint64 first_response,
            gint64 now)
{
  gint64 delta = due - now;
  gboolean overdue = delta < 0;
  int amount;

  if (due <= 0 || first_response > 0)
    return NULL;

  delta = ABS (delta);
  if (delta < 3600)
    {
      amount = (int) MAX (1, delta / 60);
      return g_strdup_printf (overdue
                              ? g_dngettext (GETTEXT_PACKAGE, "response overdue by %d minute",
                                             "response overdue by %d minutes", amount)
                              : g_dngettext (GETTEXT_PACKAGE, "response due in %d minute",
                                             "response due in %d minutes", amount),
                              amount);
    }
  if (delta < 2 * 86400)
    {
      amount = (int) (delta / 3600);
      return g_strdup_printf (overdue
                              ? g_dngettext (GETTEXT_PACKAGE, "response overdue by %d hour",
                                             "response overdue by %d hours", amount)
                              : g_dngettext (GETTEXT_PACKAGE, "response due in %d hour",
                                             "response due in %d hours", amount),
                              amount);
    }
  amount = (int) (delta / 86400);
  return g_strdup_printf (overdue
                          ? g_dngettext (GETTEXT_PACKAGE, "response overdue by %d day",
                                         "response overdue by %d days", amount)
                          : g_dngettext (GETTEXT_PACKAGE, "response due in %d day",
                                         "response due in %d days", amount),
                          amount);
}

/* What a screen reader says: the name carries what a sighted user reads
 * at a glance (who, score, stage, response time); the description the rest. */
static void
update_accessible (CpLeadCard *self,
                   const char *name,
                   const char *score,
                   const char *stage_title,
                   const char *detail,
                   gboolean    blocked,
                   gint64      due,
                   gint64      first_response,
                   gint64      now)
{
  g_autofree char *sla = spoken_sla (due, first_response, now);
  g_autoptr(GString) label = g_string_new (name);
  g_autoptr(GString) description = g_string_new (detail);

  /* Translators: part of a card's spoken name, e.g. “Jane Doe, score 72, Engaged” */
  g_string_append_printf (label, _(", score %s"), score);
  if (stage_title != NULL && *stage_title != '\0')
    g_string_append_printf (label, ", %s", stage_title);
  if (sla != NULL)
    g_string_append_printf (label, ", %s", sla);

  if (blocked)
    g_string_append_printf (description, "%s%s", description->len > 0 ? ", " : "",
                            _("do not contact"));
  if (self->rotting)
    g_string_append_printf (description, "%s%s", description->len > 0 ? ", " : "",
                            _("stuck in this stage"));

  g_free (self->accessible_label);
  self->accessible_label = g_string_free (g_steal_pointer (&label), FALSE);
  g_free (self->accessible_description);
  self->accessible_description = g_string_free (g_steal_pointer (&description), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->accessible_label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->accessible_description,
                                  -1);
}

/**
 * cp_lead_card_set_lead:
 * @lead: (nullable): the lead to show
 * @stage_title: (nullable): the title of the stage the card sits in, as
 *   the board shows it (part of what a screen reader says)
 * @now: the time SLA countdowns and rotting are measured at
 * @rotting_days: how long a lead may sit in its stage (0: no limit)
 */
void
cp_lead_card_set_lead (CpLeadCard *self,
                       CpLead     *lead,
                       const char *stage_title,
                       gint64      now,
                       guint       rotting_days)
{
  g_autofree char *name = NULL;
  g_autofree char *score = NULL;
  g_autofree char *sla = NULL;
  g_autoptr(GString) detail = NULL;
  const char *organization;
  const char *service_line;
  const char *owner;
  const char *tier;
  const char *consent;
  gboolean blocked;
  gboolean breached;

  g_return_if_fail (CP_IS_LEAD_CARD (self));

  g_set_object (&self->lead, lead);
  if (lead == NULL)
    return;

  name = cp_lead_dup_display_name (lead);
  gtk_label_set_text (self->name_label, name);

  score = g_strdup_printf ("%" G_GINT64_FORMAT, cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE));
  gtk_label_set_text (self->score_label, score);
  tier = cp_lead_get_text (lead, CP_LEAD_FIELD_TIER);
  set_class (GTK_WIDGET (self->score_label), tier_classes[0], g_strcmp0 (tier, "unqualified") == 0);
  set_class (GTK_WIDGET (self->score_label), tier_classes[1], g_strcmp0 (tier, "nurture") == 0);
  set_class (GTK_WIDGET (self->score_label), tier_classes[2], g_strcmp0 (tier, "sales_ready") == 0);

  detail = g_string_new (NULL);
  organization = cp_lead_get_text (lead, CP_LEAD_FIELD_ORGANIZATION);
  service_line = cp_lead_get_text (lead, CP_LEAD_FIELD_SERVICE_LINE);
  if (organization != NULL)
    g_string_append (detail, organization);
  if (service_line != NULL)
    g_string_append_printf (detail, "%s%s", detail->len > 0 ? " · " : "",
                            cp_value_label (service_line));
  gtk_label_set_text (self->detail_label, detail->str);

  owner = cp_lead_get_text (lead, CP_LEAD_FIELD_OWNER);
  {
    g_autofree char *initials = cp_lead_dup_initials (owner);
    guint color = owner != NULL ? g_str_hash (owner) % G_N_ELEMENTS (avatar_classes) : 0;

    gtk_label_set_text (self->owner_avatar, *initials != '\0' ? initials : "?");
    for (guint i = 0; i < G_N_ELEMENTS (avatar_classes); i++)
      set_class (GTK_WIDGET (self->owner_avatar), avatar_classes[i], owner != NULL && i == color);
  }

  sla = cp_format_sla (cp_lead_get_int (lead, CP_LEAD_FIELD_SLA_DUE_AT),
                       cp_lead_get_int (lead, CP_LEAD_FIELD_FIRST_RESPONSE_AT), now);
  breached = cp_lead_is_sla_breached (lead, now);
  gtk_label_set_text (self->sla_label, sla != NULL ? sla : "");
  set_class (GTK_WIDGET (self->sla_label), "error", breached);
  set_class (GTK_WIDGET (self->sla_label), "dim-label", !breached);

  consent = cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_STATUS);
  blocked = cp_lead_get_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT) != 0 ||
            g_strcmp0 (consent, "denied") == 0 || g_strcmp0 (consent, "withdrawn") == 0;
  gtk_widget_set_visible (GTK_WIDGET (self->consent_icon), blocked);

  self->rotting = cp_lead_is_rotting (lead, rotting_days, now);
  set_class (self->box, "rotting", self->rotting);

  update_accessible (self, name, score, stage_title, detail->str, blocked,
                     cp_lead_get_int (lead, CP_LEAD_FIELD_SLA_DUE_AT),
                     cp_lead_get_int (lead, CP_LEAD_FIELD_FIRST_RESPONSE_AT), now);
}

/**
 * cp_lead_card_get_accessible_label:
 *
 * Returns: (nullable): what a screen reader says of the card, e.g.
 *   “Jane Doe, score 72, Engaged, response due in 2 hours”
 */
const char *
cp_lead_card_get_accessible_label (CpLeadCard *self)
{
  g_return_val_if_fail (CP_IS_LEAD_CARD (self), NULL);

  return self->lead != NULL ? self->accessible_label : NULL;
}

/**
 * cp_lead_card_get_accessible_description:
 *
 * Returns: (nullable): the rest: organization, service line, warnings
 */
const char *
cp_lead_card_get_accessible_description (CpLeadCard *self)
{
  g_return_val_if_fail (CP_IS_LEAD_CARD (self), NULL);

  return self->lead != NULL ? self->accessible_description : NULL;
}
