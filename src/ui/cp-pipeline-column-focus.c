/* cp-pipeline-column-focus.c — a board column's keyboard focus: the chosen
 * card kept across reloads, a card focused by height, the card menu from the keys
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-pipeline-column"

#include "config.h"

#include "cp-lead-card.h"
#include "cp-pipeline-column-private.h"

/* The card a list row shows, and its position in the column. */
static guint
row_position (GtkWidget *row)
{
  GtkWidget *card = gtk_widget_get_first_child (row);
  GtkListItem *item = card != NULL ? g_object_get_data (G_OBJECT (card), "cp-list-item") : NULL;

  return item != NULL ? gtk_list_item_get_position (item) : GTK_INVALID_LIST_POSITION;
}

static GtkWidget *
find_row (CpPipelineColumn *self,
          guint             position)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_view)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (row_position (row) == position)
      return row;

  return NULL;
}

/* The row of the list that holds the keyboard focus, if any. */
static GtkWidget *
focused_row (CpPipelineColumn *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view)))
    return NULL;
  while (focus != NULL && gtk_widget_get_parent (focus) != GTK_WIDGET (self->list_view))
    focus = gtk_widget_get_parent (focus);

  return focus;
}

/* Selects the card at @position, scrolls it into view and gives it the
 * focus: on the board, the focused card and the selected one are one. */
static gboolean
focus_position (CpPipelineColumn *self,
                guint             position)
{
  GtkWidget *row;

  gtk_single_selection_set_selected (self->selection, position);
  /* Also how GTK 4.8's list learns which row has the focus, so that Up
   * and Down go on from there. */
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  row = find_row (self, position);

  return row != NULL && gtk_widget_grab_focus (row);
}

/* Before a change of the cards reaches the selection and the list: which
 * lead is chosen (the model has changed already, so the lead is taken
 * from the focused card, or the selection's own copy). */
void
_cp_pipeline_column_cards_changing_cb (GListModel       *slice,
                                       guint             position,
                                       guint             removed,
                                       guint             added,
                                       CpPipelineColumn *self)
{
  GtkWidget *row = focused_row (self);
  GtkWidget *card = row != NULL ? gtk_widget_get_first_child (row) : NULL;
  CpLead *lead;

  g_clear_pointer (&self->kept_lead_id, g_free);
  self->kept_focus = CP_IS_LEAD_CARD (card);
  lead = self->kept_focus ? cp_lead_card_get_lead (CP_LEAD_CARD (card))
                          : gtk_single_selection_get_selected_item (self->selection);
  self->kept_position = self->kept_focus ? row_position (row)
                                         : gtk_single_selection_get_selected (self->selection);
  if (lead != NULL && self->kept_position != GTK_INVALID_LIST_POSITION)
    self->kept_lead_id = g_strdup (cp_lead_get_id (lead));
}

/* Where the card of @lead_id is now, or %GTK_INVALID_LIST_POSITION; near
 * @around only: a column shown to its end holds every lead of the stage. */
static guint
find_lead (CpPipelineColumn *self,
           const char       *lead_id,
           guint             around)
{
  GListModel *slice = G_LIST_MODEL (self->slice);
  guint end = MIN (g_list_model_get_n_items (slice), around + MORE_CARDS);

  for (guint i = around > MORE_CARDS ? around - MORE_CARDS : 0; i < end; i++)
    {
      g_autoptr(CpLead) lead = g_list_model_get_item (slice, i);

      if (lead != NULL && g_strcmp0 (cp_lead_get_id (lead), lead_id) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/* After the list has the changed cards: a reload (an import, a sync,
 * another window's edit) replaced the chosen card, and the focus with it.
 * The same lead is chosen again, and focused if it was; if it left the
 * column, the card now in its place takes the focus, so the arrows go on
 * from where the user was instead of the window's first widget. */
void
_cp_pipeline_column_cards_changed_cb (GListModel       *slice,
                                      guint             position,
                                      guint             removed,
                                      guint             added,
                                      CpPipelineColumn *self)
{
  g_autofree char *lead_id = g_steal_pointer (&self->kept_lead_id);
  CpLeadCard *card = cp_pipeline_column_get_focused_card (self);
  guint n = g_list_model_get_n_items (slice);
  GtkWidget *row;
  guint at;

  if (lead_id == NULL)
    return;
  if (card != NULL && cp_lead_card_get_lead (card) != NULL &&
      g_strcmp0 (cp_lead_get_id (cp_lead_card_get_lead (card)), lead_id) == 0)
    return;  /* the focused card was not replaced */
  if (!self->kept_focus && gtk_single_selection_get_selected_item (self->selection) != NULL)
    return;  /* still selected */

  at = find_lead (self, lead_id, self->kept_position);
  if (!self->kept_focus)
    {
      if (at != GTK_INVALID_LIST_POSITION)
        gtk_single_selection_set_selected (self->selection, at);
      return;
    }
  if (at == GTK_INVALID_LIST_POSITION && n > 0)
    at = MIN (self->kept_position, n - 1);
  if (at == GTK_INVALID_LIST_POSITION)
    {
      g_signal_emit_by_name (self, "focus-lost");
      return;
    }
  /* A row already there takes the focus where it stands: scrolling to
   * it now would put it at the column's top, the new rows having no size
   * yet. */
  row = find_row (self, at);
  if (row != NULL)
    gtk_single_selection_set_selected (self->selection, at);
  if (row == NULL || !gtk_widget_grab_focus (row))
    focus_position (self, at);
}

/* The Menu key or Shift+F10 opens the selected card's menu. */
void
_cp_pipeline_column_context_menu_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter)
{
  CpPipelineColumn *self = CP_PIPELINE_COLUMN (widget);
  GtkWidget *row = focused_row (self);
  guint position = row != NULL ? row_position (row) : GTK_INVALID_LIST_POSITION;
  GdkRectangle at = { 24, 48, 1, 1 };
  graphene_rect_t bounds;

  /* The menu is for the focused card; without one, for the selected card. */
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, position);
  position = gtk_single_selection_get_selected (self->selection);
  if (position == GTK_INVALID_LIST_POSITION)
    return;

  row = find_row (self, position);
  if (row != NULL && gtk_widget_compute_bounds (row, GTK_WIDGET (self), &bounds))
    {
      at.x = (int) bounds.origin.x + 24;
      at.y = (int) (bounds.origin.y + bounds.size.height / 2);
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &at);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/**
 * cp_pipeline_column_focus_card_at:
 * @y: a height in the column's coordinates, or a negative number
 *
 * Gives the keyboard focus (and the selection) to the visible card level
 * with @y, or the nearest; with a negative @y, to the selected card, or
 * else the first.
 *
 * Returns: %FALSE when the column has no card to focus (folded or empty)
 */
gboolean
cp_pipeline_column_focus_card_at (CpPipelineColumn *self,
                                  double            y)
{
  guint best = GTK_INVALID_LIST_POSITION;
  double best_distance = G_MAXDOUBLE;
  graphene_rect_t viewport;

  g_return_val_if_fail (CP_IS_PIPELINE_COLUMN (self), FALSE);

  if (self->collapsed || g_list_model_get_n_items (G_LIST_MODEL (self->slice)) == 0)
    return FALSE;

  if (y < 0)
    best = gtk_single_selection_get_selected (self->selection);
  else if (gtk_widget_compute_bounds (self->scroller, GTK_WIDGET (self), &viewport))
    for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_view)); row != NULL;
         row = gtk_widget_get_next_sibling (row))
      {
        guint position = row_position (row);
        graphene_rect_t bounds;
        double top, bottom, distance;

        if (position == GTK_INVALID_LIST_POSITION ||
            !gtk_widget_compute_bounds (row, GTK_WIDGET (self), &bounds))
          continue;
        top = bounds.origin.y;
        bottom = top + bounds.size.height;
        /* Rows GTK keeps outside the visible part do not count. */
        if (bottom <= viewport.origin.y || top >= viewport.origin.y + viewport.size.height)
          continue;
        distance = y < top ? top - y : y > bottom ? y - bottom : 0;
        if (distance < best_distance)
          {
            best = position;
            best_distance = distance;
          }
      }
  if (best == GTK_INVALID_LIST_POSITION)
    best = 0;

  return focus_position (self, best);
}

/**
 * cp_pipeline_column_get_focused_card:
 *
 * Returns: (transfer none) (nullable): the card whose row has the keyboard focus
 */
CpLeadCard *
cp_pipeline_column_get_focused_card (CpPipelineColumn *self)
{
  GtkWidget *row;
  GtkWidget *card;

  g_return_val_if_fail (CP_IS_PIPELINE_COLUMN (self), NULL);

  row = focused_row (self);
  card = row != NULL ? gtk_widget_get_first_child (row) : NULL;

  return CP_IS_LEAD_CARD (card) ? CP_LEAD_CARD (card) : NULL;
}
