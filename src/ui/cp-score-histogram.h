/* cp-score-histogram.h — how the leads' scores spread, and where the tier thresholds cut
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CP_TYPE_SCORE_HISTOGRAM (cp_score_histogram_get_type ())

G_DECLARE_FINAL_TYPE (CpScoreHistogram, cp_score_histogram, CP, SCORE_HISTOGRAM, GtkWidget)

void       cp_score_histogram_set_counts     (CpScoreHistogram *self,
                                              GArray           *counts);
void       cp_score_histogram_set_thresholds (CpScoreHistogram *self,
                                              int               nurture,
                                              int               sales_ready);
void       cp_score_histogram_get_tier_counts (CpScoreHistogram *self,
                                              guint            *unqualified,
                                              guint            *nurture,
                                              guint            *sales_ready);

G_END_DECLS
