/* cp-pipeline-column-private.h — what the board column's files share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-lead-list-model.h"
#include "cp-pipeline-column.h"

G_BEGIN_DECLS

struct _CpPipelineColumn
{
  GtkWidget           parent_instance;

  CpLeadStore        *store;
  CpLeadListModel    *model;
  GtkSliceListModel  *slice;
  GtkSingleSelection *selection;
  char               *stage;
  char               *title;
  guint               rotting_days;
  guint               count;
  gboolean            collapsed;
  gboolean            filtered;   /* the board's filter or search narrows the column */
  gboolean            board_says_empty;
  /* The chosen card's lead while the list's items change (a reload
   * replaces every card), and whether it had the keyboard focus. */
  char               *kept_lead_id;
  guint               kept_position;
  gboolean            kept_focus;

  GtkWidget          *box;
  GtkLabel           *title_label;
  GtkLabel           *count_label;
  GtkLabel           *summary_label;
  GtkToggleButton    *collapse_button;
  GtkWidget          *skeleton;
  GtkLabel           *empty_label;
  GtkWidget          *scroller;
  GtkListView        *list_view;
  GtkWidget          *context_menu;
};

/* GTK 4.8 list views keep up to 200 rows alive whatever is visible, so a
 * column shows a growing window of its leads: a first screenful, more as
 * the column is scrolled to its end. */
#define FIRST_CARDS 40
#define MORE_CARDS 100

/* cp-pipeline-column-focus.c: the chosen card kept across reloads, the
 * keyboard focus, the card menu from the keyboard */
void _cp_pipeline_column_cards_changing_cb    (GListModel       *slice,
                                               guint             position,
                                               guint             removed,
                                               guint             added,
                                               CpPipelineColumn *self);
void _cp_pipeline_column_cards_changed_cb     (GListModel       *slice,
                                               guint             position,
                                               guint             removed,
                                               guint             added,
                                               CpPipelineColumn *self);
void _cp_pipeline_column_context_menu_action  (GtkWidget        *widget,
                                               const char       *action_name,
                                               GVariant         *parameter);

G_END_DECLS
