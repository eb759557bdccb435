/* cp-lead-card.h — one lead as a card on the pipeline board
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-lead.h"

G_BEGIN_DECLS

#define CP_TYPE_LEAD_CARD (cp_lead_card_get_type ())

G_DECLARE_FINAL_TYPE (CpLeadCard, cp_lead_card, CP, LEAD_CARD, GtkWidget)

GtkWidget *cp_lead_card_new          (void);
CpLead    *cp_lead_card_get_lead     (CpLeadCard *self);
void       cp_lead_card_set_lead     (CpLeadCard *self,
                                      CpLead     *lead,
                                      const char *stage_title,
                                      gint64      now,
                                      guint       rotting_days);
const char *cp_lead_card_get_accessible_label       (CpLeadCard *self);
const char *cp_lead_card_get_accessible_description (CpLeadCard *self);

G_END_DECLS
