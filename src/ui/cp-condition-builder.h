/* cp-condition-builder.h — one condition as rows: what is looked at, how it compares, the value
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-condition.h"
#include "cp-lead-store.h"

G_BEGIN_DECLS

#define CP_TYPE_CONDITION_BUILDER (cp_condition_builder_get_type ())

G_DECLARE_FINAL_TYPE (CpConditionBuilder, cp_condition_builder, CP, CONDITION_BUILDER,
                      AdwPreferencesGroup)

CpConditionBuilder *cp_condition_builder_new              (const char         *title,
                                                           gboolean            allow_always,
                                                           const CpCondition  *condition);
void                cp_condition_builder_set_store        (CpConditionBuilder *self,
                                                           CpLeadStore        *store);
GPtrArray          *cp_condition_builder_get_suggestions  (CpConditionBuilder *self);
CpCondition        *cp_condition_builder_build            (CpConditionBuilder *self,
                                                           GError            **error);
AdwComboRow        *cp_condition_builder_get_field_row    (CpConditionBuilder *self);
AdwComboRow        *cp_condition_builder_get_op_row       (CpConditionBuilder *self);
GtkWidget          *cp_condition_builder_get_value_widget (CpConditionBuilder *self);

G_END_DECLS
