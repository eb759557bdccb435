/* cp-activity.h — an observable signal on a lead: a form fill, a call, a visit
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  CP_ACTIVITY_KIND_FORM_FILL,
  CP_ACTIVITY_KIND_CONTENT_DOWNLOAD,
  CP_ACTIVITY_KIND_WEBINAR_REGISTERED,
  CP_ACTIVITY_KIND_WEBINAR_ATTENDED,
  CP_ACTIVITY_KIND_EMAIL_OPEN,
  CP_ACTIVITY_KIND_EMAIL_CLICK,
  CP_ACTIVITY_KIND_EMAIL_REPLY,
  CP_ACTIVITY_KIND_EMAIL_BOUNCE,
  CP_ACTIVITY_KIND_PAGE_VISIT,
  CP_ACTIVITY_KIND_CALL,
  CP_ACTIVITY_KIND_MEETING_BOOKED,
  CP_ACTIVITY_KIND_MEETING_ATTENDED,
  CP_ACTIVITY_KIND_EVENT_CHECK_IN,
  CP_ACTIVITY_KIND_UNSUBSCRIBE,
  CP_ACTIVITY_KIND_NOTE,
  CP_ACTIVITY_KIND_EMAIL_SENT,   /* outreach: an email the team sent */
} CpActivityKind;

#define CP_ACTIVITY_N_KINDS (CP_ACTIVITY_KIND_EMAIL_SENT + 1)

#define CP_TYPE_ACTIVITY_KIND (cp_activity_kind_get_type ())
GType cp_activity_kind_get_type (void) G_GNUC_CONST;

#define CP_TYPE_ACTIVITY (cp_activity_get_type ())

G_DECLARE_FINAL_TYPE (CpActivity, cp_activity, CP, ACTIVITY, GObject)

const char         *cp_activity_kind_to_string   (CpActivityKind  kind);
gboolean            cp_activity_kind_from_string (const char     *str,
                                                  CpActivityKind *out_kind);
const char         *cp_activity_kind_label       (CpActivityKind  kind);
const char * const *cp_call_dispositions         (void);
gboolean            cp_activity_kind_is_response (CpActivityKind  kind);

CpActivity     *cp_activity_new             (void);
CpActivity     *cp_activity_new_full        (const char     *id,
                                             const char     *lead_id,
                                             CpActivityKind  kind,
                                             gint64          occurred_at);

const char     *cp_activity_get_id          (CpActivity     *self);
void            cp_activity_set_id          (CpActivity     *self,
                                             const char     *id);
const char     *cp_activity_get_lead_id     (CpActivity     *self);
void            cp_activity_set_lead_id     (CpActivity     *self,
                                             const char     *lead_id);
CpActivityKind  cp_activity_get_kind        (CpActivity     *self);
void            cp_activity_set_kind        (CpActivity     *self,
                                             CpActivityKind  kind);
gint64          cp_activity_get_occurred_at (CpActivity     *self);
void            cp_activity_set_occurred_at (CpActivity     *self,
                                             gint64          occurred_at);
const char     *cp_activity_get_detail      (CpActivity     *self);
void            cp_activity_set_detail      (CpActivity     *self,
                                             const char     *detail);
const char     *cp_activity_get_disposition (CpActivity     *self);
void            cp_activity_set_disposition (CpActivity     *self,
                                             const char     *disposition);
int             cp_activity_get_depth       (CpActivity     *self);
void            cp_activity_set_depth       (CpActivity     *self,
                                             int             depth);
const char     *cp_activity_get_actor       (CpActivity     *self);
void            cp_activity_set_actor       (CpActivity     *self,
                                             const char     *actor);
const char     *cp_activity_get_source      (CpActivity     *self);
void            cp_activity_set_source      (CpActivity     *self,
                                             const char     *source);
const char     *cp_activity_source_label    (const char     *source);
const char     *cp_activity_get_external_id (CpActivity     *self);
void            cp_activity_set_external_id (CpActivity     *self,
                                             const char     *external_id);
const char     *cp_activity_get_direction   (CpActivity     *self);
void            cp_activity_set_direction   (CpActivity     *self,
                                             const char     *direction);

G_END_DECLS
