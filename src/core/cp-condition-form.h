/* cp-condition-form.h — one condition as a form builds it: a field, an operator, a value
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-condition.h"

G_BEGIN_DECLS

/* What the form's first choice names: a lead field, or recent activity. */
#define CP_CONDITION_FORM_ACTIVITY CP_LEAD_N_FIELDS

const CpConditionOp *cp_condition_form_ops      (CpLeadField         field,
                                                 guint              *n_ops);
const char          *cp_condition_form_op_label (CpConditionOp       op);
gboolean             cp_condition_form_op_takes_value (CpConditionOp op);
CpCondition         *cp_condition_form_build    (CpLeadField         field,
                                                 CpConditionOp       op,
                                                 const char         *text,
                                                 double              number,
                                                 GError            **error);
CpCondition         *cp_condition_form_build_activity (CpActivityKind kind,
                                                 guint               min_count,
                                                 guint               days,
                                                 GError            **error);
gboolean             cp_condition_form_can_edit (const CpCondition  *condition);

G_END_DECLS
