/* cp-activity.c — an observable signal on a lead: a form fill, a call, a visit
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-activity"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-activity.h"

struct _CpActivity
{
  GObject         parent_instance;

  char           *id;
  char           *lead_id;
  char           *detail;
  char           *disposition;
  char           *actor;
  char           *source;
  char           *external_id;
  char           *direction;
  gint64          occurred_at;
  int             depth;
  CpActivityKind  kind;
};

G_DEFINE_FINAL_TYPE (CpActivity, cp_activity, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_LEAD_ID,
  PROP_KIND,
  PROP_OCCURRED_AT,
  PROP_DETAIL,
  PROP_DISPOSITION,
  PROP_DEPTH,
  PROP_ACTOR,
  PROP_SOURCE,
  PROP_EXTERNAL_ID,
  PROP_DIRECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GEnumValue kind_values[] = {
  { CP_ACTIVITY_KIND_FORM_FILL, "CP_ACTIVITY_KIND_FORM_FILL", "form_fill" },
  { CP_ACTIVITY_KIND_CONTENT_DOWNLOAD, "CP_ACTIVITY_KIND_CONTENT_DOWNLOAD", "content_download" },
  { CP_ACTIVITY_KIND_WEBINAR_REGISTERED, "CP_ACTIVITY_KIND_WEBINAR_REGISTERED",
    "webinar_registered" },
  { CP_ACTIVITY_KIND_WEBINAR_ATTENDED, "CP_ACTIVITY_KIND_WEBINAR_ATTENDED", "webinar_attended" },
  { CP_ACTIVITY_KIND_EMAIL_OPEN, "CP_ACTIVITY_KIND_EMAIL_OPEN", "email_open" },
  { CP_ACTIVITY_KIND_EMAIL_CLICK, "CP_ACTIVITY_KIND_EMAIL_CLICK", "email_click" },
  { CP_ACTIVITY_KIND_EMAIL_REPLY, "CP_ACTIVITY_KIND_EMAIL_REPLY", "email_reply" },
  { CP_ACTIVITY_KIND_EMAIL_BOUNCE, "CP_ACTIVITY_KIND_EMAIL_BOUNCE", "email_bounce" },
  { CP_ACTIVITY_KIND_PAGE_VISIT, "CP_ACTIVITY_KIND_PAGE_VISIT", "page_visit" },
  { CP_ACTIVITY_KIND_CALL, "CP_ACTIVITY_KIND_CALL", "call" },
  { CP_ACTIVITY_KIND_MEETING_BOOKED, "CP_ACTIVITY_KIND_MEETING_BOOKED", "meeting_booked" },
  { CP_ACTIVITY_KIND_MEETING_ATTENDED, "CP_ACTIVITY_KIND_MEETING_ATTENDED", "meeting_attended" },
  { CP_ACTIVITY_KIND_EVENT_CHECK_IN, "CP_ACTIVITY_KIND_EVENT_CHECK_IN", "event_check_in" },
  { CP_ACTIVITY_KIND_UNSUBSCRIBE, "CP_ACTIVITY_KIND_UNSUBSCRIBE", "unsubscribe" },
  { CP_ACTIVITY_KIND_NOTE, "CP_ACTIVITY_KIND_NOTE", "note" },
  { CP_ACTIVITY_KIND_EMAIL_SENT, "CP_ACTIVITY_KIND_EMAIL_SENT", "email_sent" },
  { 0, NULL, NULL }
};

G_STATIC_ASSERT (G_N_ELEMENTS (kind_values) == CP_ACTIVITY_N_KINDS + 1);

static const char * const kind_labels[CP_ACTIVITY_N_KINDS] = {
  [CP_ACTIVITY_KIND_FORM_FILL] = N_("Form filled in"),
  [CP_ACTIVITY_KIND_CONTENT_DOWNLOAD] = N_("Content downloaded"),
  [CP_ACTIVITY_KIND_WEBINAR_REGISTERED] = N_("Registered for webinar"),
  [CP_ACTIVITY_KIND_WEBINAR_ATTENDED] = N_("Attended webinar"),
  [CP_ACTIVITY_KIND_EMAIL_OPEN] = N_("Opened email"),
  [CP_ACTIVITY_KIND_EMAIL_CLICK] = N_("Clicked email link"),
  [CP_ACTIVITY_KIND_EMAIL_REPLY] = N_("Replied to email"),
  [CP_ACTIVITY_KIND_EMAIL_BOUNCE] = N_("Email bounced"),
  [CP_ACTIVITY_KIND_PAGE_VISIT] = N_("Visited page"),
  [CP_ACTIVITY_KIND_CALL] = N_("Call"),
  [CP_ACTIVITY_KIND_MEETING_BOOKED] = N_("Meeting booked"),
  [CP_ACTIVITY_KIND_MEETING_ATTENDED] = N_("Meeting attended"),
  [CP_ACTIVITY_KIND_EVENT_CHECK_IN] = N_("Checked in at event"),
  [CP_ACTIVITY_KIND_UNSUBSCRIBE] = N_("Unsubscribed"),
  [CP_ACTIVITY_KIND_NOTE] = N_("Note"),
  [CP_ACTIVITY_KIND_EMAIL_SENT] = N_("Email sent"),
};

static const char * const call_dispositions[] = {
  "connected", "left_voicemail", "no_answer", "wrong_number", "not_interested",
  "callback_requested", "booked_meeting", NULL
};

GType
cp_activity_kind_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      GType type = g_enum_register_static (g_intern_static_string ("CpActivityKind"), kind_values);

      g_once_init_leave (&type_id, type);
    }

  return (GType) type_id;
}

static gboolean
replace_string (char       **slot,
                const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;

  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

static void
cp_activity_finalize (GObject *object)
{
  CpActivity *self = (CpActivity *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->lead_id, g_free);
  g_clear_pointer (&self->detail, g_free);
  g_clear_pointer (&self->disposition, g_free);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->external_id, g_free);
  g_clear_pointer (&self->direction, g_free);

  G_OBJECT_CLASS (cp_activity_parent_class)->finalize (object);
}

static void
cp_activity_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CpActivity *self = CP_ACTIVITY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_LEAD_ID:
      g_value_set_string (value, self->lead_id);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_OCCURRED_AT:
      g_value_set_int64 (value, self->occurred_at);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    case PROP_DISPOSITION:
      g_value_set_string (value, self->disposition);
      break;
    case PROP_DEPTH:
      g_value_set_int (value, self->depth);
      break;
    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_EXTERNAL_ID:
      g_value_set_string (value, self->external_id);
      break;
    case PROP_DIRECTION:
      g_value_set_string (value, self->direction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_activity_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CpActivity *self = CP_ACTIVITY (object);

  switch (prop_id)
    {
    case PROP_ID:
      cp_activity_set_id (self, g_value_get_string (value));
      break;
    case PROP_LEAD_ID:
      cp_activity_set_lead_id (self, g_value_get_string (value));
      break;
    case PROP_KIND:
      cp_activity_set_kind (self, g_value_get_enum (value));
      break;
    case PROP_OCCURRED_AT:
      cp_activity_set_occurred_at (self, g_value_get_int64 (value));
      break;
    case PROP_DETAIL:
      cp_activity_set_detail (self, g_value_get_string (value));
      break;
    case PROP_DISPOSITION:
      cp_activity_set_disposition (self, g_value_get_string (value));
      break;
    case PROP_DEPTH:
      cp_activity_set_depth (self, g_value_get_int (value));
      break;
    case PROP_ACTOR:
      cp_activity_set_actor (self, g_value_get_string (value));
      break;
    case PROP_SOURCE:
      cp_activity_set_source (self, g_value_get_string (value));
      break;
    case PROP_EXTERNAL_ID:
      cp_activity_set_external_id (self, g_value_get_string (value));
      break;
    case PROP_DIRECTION:
      cp_activity_set_direction (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_activity_class_init (CpActivityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cp_activity_finalize;
  object_class->get_property = cp_activity_get_property;
  object_class->set_property = cp_activity_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_LEAD_ID] = g_param_spec_string ("lead-id", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, CP_TYPE_ACTIVITY_KIND,
                                             CP_ACTIVITY_KIND_NOTE, flags);
  properties[PROP_OCCURRED_AT] = g_param_spec_int64 ("occurred-at", NULL, NULL,
                                                     G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_DETAIL] = g_param_spec_string ("detail", NULL, NULL, NULL, flags);
  properties[PROP_DISPOSITION] = g_param_spec_string ("disposition", NULL, NULL, NULL, flags);
  properties[PROP_DEPTH] = g_param_spec_int ("depth", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_ACTOR] = g_param_spec_string ("actor", NULL, NULL, NULL, flags);
  properties[PROP_SOURCE] = g_param_spec_string ("source", NULL, NULL, "manual", flags);
  properties[PROP_EXTERNAL_ID] = g_param_spec_string ("external-id", NULL, NULL, NULL, flags);
  properties[PROP_DIRECTION] = g_param_spec_string ("direction", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cp_activity_init (CpActivity *self)
{
  self->kind = CP_ACTIVITY_KIND_NOTE;
  self->source = g_strdup ("manual");
}

/**
 * cp_activity_kind_to_string:
 * @kind: a #CpActivityKind
 *
 * Returns: the stable snake_case id of @kind, such as "form_fill"
 */
const char *
cp_activity_kind_to_string (CpActivityKind kind)
{
  g_return_val_if_fail ((guint) kind < CP_ACTIVITY_N_KINDS, NULL);

  return kind_values[kind].value_nick;
}

gboolean
cp_activity_kind_from_string (const char     *str,
                              CpActivityKind *out_kind)
{
  g_return_val_if_fail (str != NULL, FALSE);

  for (guint i = 0; i < CP_ACTIVITY_N_KINDS; i++)
    {
      if (strcmp (kind_values[i].value_nick, str) == 0)
        {
          if (out_kind != NULL)
            *out_kind = (CpActivityKind) kind_values[i].value;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * cp_activity_kind_label:
 * @kind: a #CpActivityKind
 *
 * Returns: a translated label for @kind, such as “Form filled in”
 */
const char *
cp_activity_kind_label (CpActivityKind kind)
{
  g_return_val_if_fail ((guint) kind < CP_ACTIVITY_N_KINDS, NULL);

  return _(kind_labels[kind]);
}

/**
 * cp_call_dispositions:
 *
 * Returns: (array zero-terminated=1) (transfer none): the standard call
 *   outcomes, as snake_case ids
 */
const char * const *
cp_call_dispositions (void)
{
  return call_dispositions;
}

/**
 * cp_activity_kind_is_response:
 * @kind: a #CpActivityKind
 *
 * Whether an activity of @kind is the team reaching the lead — a call, an
 * email sent, a meeting booked or held — which stops the response SLA
 * clock. What the lead does alone (a form, a page visit) does not.
 *
 * Returns: %TRUE for a response
 */
gboolean
cp_activity_kind_is_response (CpActivityKind kind)
{
  switch (kind)
    {
    case CP_ACTIVITY_KIND_CALL:
    case CP_ACTIVITY_KIND_EMAIL_SENT:
    case CP_ACTIVITY_KIND_MEETING_BOOKED:
    case CP_ACTIVITY_KIND_MEETING_ATTENDED:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * cp_activity_new:
 *
 * Returns: (transfer full): an empty activity (kind note, no id); the
 *   caller sets an id, e.g. from cp_lead_new_id()
 */
CpActivity *
cp_activity_new (void)
{
  return g_object_new (CP_TYPE_ACTIVITY, NULL);
}

CpActivity *
cp_activity_new_full (const char     *id,
                      const char     *lead_id,
                      CpActivityKind  kind,
                      gint64          occurred_at)
{
  CpActivity *self;

  g_return_val_if_fail ((guint) kind < CP_ACTIVITY_N_KINDS, NULL);

  self = cp_activity_new ();
  self->id = g_strdup (id);
  self->lead_id = g_strdup (lead_id);
  self->kind = kind;
  self->occurred_at = occurred_at;
  return self;
}

const char *
cp_activity_get_id (CpActivity *self)
{
  g_return_val_if_fail (CP_IS_ACTIVITY (self), NULL);
  return self->id;
}

void
cp_activity_set_id (CpActivity *self,
                    const char *id)
{
  g_return_if_fail (CP_IS_ACTIVITY (self));
  if (replace_string (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
cp_activity_get_lead_id (CpActivity *self)
{
  g_return_val_if_fail (CP_IS_ACTIVITY (self), NULL);
  return self->lead_id;
}

void
cp_activity_set_lead_id (CpActivity *self,
                         const char *lead_id)
{
  g_return_if_fail (CP_IS_ACTIVITY (self));
  if (replace_string (&self->lead_id, lead_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEAD_ID]);
}

CpActivityKind
cp_activity_get_kind (CpActivity *self)
{
  g_return_val_if_fail (CP_IS_ACTIVITY (self), CP_ACTIVITY_KIND_NOTE);
  return self->kind;
}

void
cp_activity_set_kind (CpActivity     *self,
                      CpActivityKind  kind)
{
  g_return_if_fail (CP_IS_ACTIVITY (self));
  g_return_if_fail ((guint) kind < CP_ACTIVITY_N_KINDS);

  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

gint64
cp_activity_get_occurred_at (CpActivity *self)
{
  g_return_val_if_fail (CP_IS_ACTIVITY (self), 0);
  return self->occurred_at;
}

void
cp_activity_set_occurred_at (CpActivity *self,
                             gint64      occurred_at)
{
  g_return_if_fail (CP_IS_ACTIVITY (self));

  if (self->occurred_at == occurred_at)
    return;
  self->occurred_at = occurred_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OCCURRED_AT]);
}

const char *
cp_activity_get_detail (CpActivity *self)
{
  g_return_val_if_fail (CP_IS_ACTIVITY (self), NULL);
  return self->detail;
}

void
cp_activity_set_detail (CpActivity *self,
                        const char *detail)
{
  g_return_if_fail (CP_IS_ACTIVITY (self));
  if (replace_string (&self->detail, detail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
}

const char *
cp_activity_get_disposition (CpActivity *self)
{
  g_return_val_if_fail (CP_IS_ACTIVITY (self), NULL);
  return self->disposition;
}

void
cp_activity_set_disposition (CpActivity *self,
                             const char *disposition)
{
  g_return_if_fail (CP_IS_ACTIVITY (self));
  if (replace_string (&self->disposition, disposition))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPOSITION]);
}

int
cp_activity_get_depth (CpActivity *self)
{
  g_return_val_if_fail (CP_IS_ACTIVITY (self), 0);
  return self->depth;
}

void
cp_activity_set_depth (CpActivity *self,
                       int         depth)
{
  g_return_if_fail (CP_IS_ACTIVITY (self));
  g_return_if_fail (depth >= 0);

  if (self->depth == depth)
    return;
  self->depth = depth;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEPTH]);
}

const char *
cp_activity_get_actor (CpActivity *self)
{
  g_return_val_if_fail (CP_IS_ACTIVITY (self), NULL);
  return self->actor;
}

void
cp_activity_set_actor (CpActivity *self,
                       const char *actor)
{
  g_return_if_fail (CP_IS_ACTIVITY (self));
  if (replace_string (&self->actor, actor))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTOR]);
}

/**
 * cp_activity_get_source:
 *
 * Where the activity came from: "manual" (the lead window, the CLI's
 * `log`), "crm" (an engagement pulled from the CRM), "file" (an attendee
 * or event list), "automation" or "demo".
 */
const char *
cp_activity_get_source (CpActivity *self)
{
  g_return_val_if_fail (CP_IS_ACTIVITY (self), NULL);
  return self->source;
}

void
cp_activity_set_source (CpActivity *self,
                        const char *source)
{
  g_return_if_fail (CP_IS_ACTIVITY (self));
  if (replace_string (&self->source, source != NULL ? source : "manual"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

/**
 * cp_activity_source_label:
 * @source: (nullable): as cp_activity_get_source() gives it
 *
 * Returns: (transfer none): where an activity came from, in words:
 *   Manual, CRM, File, Automation, Demo (an unknown source as written)
 */
const char *
cp_activity_source_label (const char *source)
{
  static const struct { const char *id; const char *label; } labels[] = {
    /* Translators: where an activity came from: logged by hand */
    { "manual", N_("Manual") },
    /* Translators: where an activity came from: pulled from the CRM */
    { "crm", N_("CRM") },
    /* Translators: where an activity came from: an imported attendee or event list */
    { "file", N_("File") },
    { "automation", N_("Automation") },
    /* Translators: where an activity came from: made-up demo data */
    { "demo", N_("Demo") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].id, source != NULL ? source : "manual") == 0)
      return _(labels[i].label);
  return source;
}

/**
 * cp_activity_get_external_id:
 *
 * The activity's identity at its source (a CRM engagement id, or a key
 * derived from a file row), or %NULL. The store records an activity with
 * a given external id once: recording it again changes nothing.
 */
const char *
cp_activity_get_external_id (CpActivity *self)
{
  g_return_val_if_fail (CP_IS_ACTIVITY (self), NULL);
  return self->external_id;
}

void
cp_activity_set_external_id (CpActivity *self,
                             const char *external_id)
{
  g_return_if_fail (CP_IS_ACTIVITY (self));
  if (replace_string (&self->external_id, external_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTERNAL_ID]);
}

/**
 * cp_activity_get_direction:
 *
 * "inbound", "outbound" or %NULL when the source does not say.
 */
const char *
cp_activity_get_direction (CpActivity *self)
{
  g_return_val_if_fail (CP_IS_ACTIVITY (self), NULL);
  return self->direction;
}

void
cp_activity_set_direction (CpActivity *self,
                           const char *direction)
{
  g_return_if_fail (CP_IS_ACTIVITY (self));
  if (replace_string (&self->direction, direction))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTION]);
}
