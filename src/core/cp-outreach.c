/* cp-outreach.c — outreach from the playbook's templates: placeholders, mailto:/tel: links, consent
 *
 * The placeholder syntax is documented in cp-outreach.h. Whether a lead
 * may be contacted is decided here once, for the lead window (logging an
 * outreach, starting one from a template) and for anything else that
 * contacts a lead.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-outreach"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-activity.h"
#include "cp-core-error.h"
#include "cp-lead-format.h"
#include "cp-outreach.h"

static const char * const team_names[] = {
  CP_OUTREACH_CLINIC_NAME, CP_OUTREACH_CLINIC_PHONE, CP_OUTREACH_BOOKING_LINK,
};

static const char * const ask_names[] = {
  CP_OUTREACH_PROPOSED_TIME,
};

static gboolean
in_list (const char * const *list,
         guint               n,
         const char         *name)
{
  for (guint i = 0; i < n; i++)
    if (g_str_equal (list[i], name))
      return TRUE;
  return FALSE;
}

/**
 * cp_outreach_is_known_name:
 *
 * Returns: whether @name may be used as a placeholder: a lead field, a
 *   team value or an “ask” value (see cp-outreach.h)
 */
gboolean
cp_outreach_is_known_name (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  return cp_lead_field_from_name (name, NULL) ||
         in_list (team_names, G_N_ELEMENTS (team_names), name) ||
         in_list (ask_names, G_N_ELEMENTS (ask_names), name);
}

/* The line and column (from 1, in characters) of @at in @text. */
static void
position_of (const char *text,
             const char *at,
             guint      *out_line,
             guint      *out_column)
{
  guint line = 1, column = 1;

  for (const char *p = text; p < at; p = g_utf8_next_char (p))
    {
      if (*p == '\n')
        {
          line++;
          column = 1;
        }
      else
        column++;
    }
  *out_line = line;
  *out_column = column;
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* The value of @name for @lead: @values first, then the lead's field. */
static char *
value_of (const char *name,
          CpLead     *lead,
          GHashTable *values)
{
  CpLeadField field;
  const char *given = values != NULL ? g_hash_table_lookup (values, name) : NULL;

  if (given != NULL)
    return g_strdup (given);
  if (lead != NULL && cp_lead_field_from_name (name, &field))
    return cp_lead_dup_value_label (lead, field);
  return NULL;
}

static void
add_missing (GPtrArray  *missing,
             const char *name)
{
  for (guint i = 0; missing != NULL && i < missing->len; i++)
    if (g_str_equal (missing->pdata[i], name))
      return;
  if (missing != NULL)
    g_ptr_array_add (missing, g_strdup (name));
}

static gboolean
syntax_error (GError    **error,
              const char *text,
              const char *at,
              const char *message)
{
  guint line, column;

  position_of (text, at, &line, &column);
  /* Translators: the first %s says what is wrong; then a line and a column */
  g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_PARSE, _("%s (line %u, column %u)."),
               message, line, column);
  return FALSE;
}

/* Reads the placeholder at @open ("{name}" or "{name|fallback}") and
 * appends its value; returns just past it, or %NULL with @error set. */
static const char *
render_placeholder (GString     *out,
                    const char  *text,
                    const char  *open,
                    CpLead      *lead,
                    GHashTable  *values,
                    GPtrArray   *missing,
                    GError     **error)
{
  const char *p = open + 1;
  const char *name_end;
  const char *fallback = NULL;
  const char *close;
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  while (is_name_char (*p))
    p++;
  name_end = p;
  if (*p == '|')
    fallback = ++p;
  close = strpbrk (p, "{}\n");
  if (close == NULL || *close != '}' || (fallback == NULL && close != name_end))
    {
      syntax_error (error, text, open,
                    close != NULL && *close == '}' && fallback == NULL
                      ? _("A placeholder name has only letters, digits and “_”")
                      : _("A “{” has no matching “}” (write “{{” for a brace)"));
      return NULL;
    }
  if (name_end == open + 1)
    {
      syntax_error (error, text, open, _("A placeholder needs a name"));
      return NULL;
    }
  name = g_strndup (open + 1, name_end - (open + 1));
  if (!cp_outreach_is_known_name (name))
    {
      guint line, column;

      position_of (text, open, &line, &column);
      g_set_error (
          error, CP_CORE_ERROR, CP_CORE_ERROR_UNKNOWN_FIELD,
          _("The template uses “{%s}” (line %u, column %u), which is neither a lead field "
            "nor a team value."),
          name, line, column);
      return NULL;
    }
  value = value_of (name, lead, values);
  if (value != NULL && *value != '\0')
    g_string_append (out, value);
  else if (fallback != NULL && close > fallback)
    g_string_append_len (out, fallback, close - fallback);
  else
    add_missing (missing, name);
  return close + 1;
}

/**
 * cp_outreach_render:
 * @text: a template's title or body
 * @lead: (nullable): the lead whose fields fill it; %NULL: check @text only
 * @values: (nullable) (element-type utf8 utf8): team and “ask” values by
 *   name (a value here wins over the lead's field)
 * @missing: (nullable) (element-type utf8): where the names of known but
 *   empty values without a fallback are added, each once
 * @error: %CP_CORE_ERROR_UNKNOWN_FIELD for an unknown placeholder,
 *   %CP_CORE_ERROR_PARSE for a brace out of place
 *
 * Fills @text's placeholders (see cp-outreach.h).
 *
 * Returns: (transfer full): the text, or %NULL with @error set
 */
char *
cp_outreach_render (const char  *text,
                    CpLead      *lead,
                    GHashTable  *values,
                    GPtrArray   *missing,
                    GError     **error)
{
  g_autoptr(GString) out = NULL;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (lead == NULL || CP_IS_LEAD (lead), NULL);

  out = g_string_sized_new (strlen (text) + 64);
  for (p = text; *p != '\0';)
    {
      if (p[0] == '{' && p[1] == '{')
        {
          g_string_append_c (out, '{');
          p += 2;
        }
      else if (p[0] == '}' && p[1] == '}')
        {
          g_string_append_c (out, '}');
          p += 2;
        }
      else if (*p == '}')
        {
          syntax_error (error, text, p, _("A “}” closes no placeholder (write “}}” for a brace)"));
          return NULL;
        }
      else if (*p == '{')
        {
          p = render_placeholder (out, text, p, lead, values, missing, error);
          if (p == NULL)
            return NULL;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
cp_outreach_message_free (CpOutreachMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->channel);
  g_free (message->subject);
  g_free (message->body);
  g_strfreev (message->missing);
  g_free (message);
}

/**
 * cp_outreach_render_template:
 * @lead: the lead to write to
 * @values: (nullable) (element-type utf8 utf8): team and “ask” values
 *
 * Fills a template's title (the subject) and body for @lead. Errors name
 * the part of the template (title or body) they are in.
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
CpOutreachMessage *
cp_outreach_render_template (const CpOutreachTemplate  *template_,
                             CpLead                    *lead,
                             GHashTable                *values,
                             GError                   **error)
{
  g_autoptr(CpOutreachMessage) message = g_new0 (CpOutreachMessage, 1);
  g_autoptr(GPtrArray) missing = g_ptr_array_new_null_terminated (4, g_free, TRUE);

  g_return_val_if_fail (template_ != NULL, NULL);
  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);

  message->channel = g_strdup (template_->channel);
  message->subject = cp_outreach_render (template_->title != NULL ? template_->title : "", lead,
                                         values, missing, error);
  if (message->subject == NULL)
    {
      g_prefix_error (error, _("In the title of the template “%s”: "), template_->id);
      return NULL;
    }
  message->body = cp_outreach_render (template_->body != NULL ? template_->body : "", lead, values,
                                      missing, error);
  if (message->body == NULL)
    {
      g_prefix_error (error, _("In the template “%s”: "), template_->id);
      return NULL;
    }
  message->missing = (char **) g_ptr_array_steal (missing, NULL);
  return g_steal_pointer (&message);
}

/**
 * cp_outreach_find_template:
 * @stage_id: (nullable): the stage to look in first; %NULL: every stage
 * @key: a template id, e.g. "qualified_call"
 *
 * Returns: (transfer none) (nullable): the template, from @stage_id or
 *   else from any stage
 */
const CpOutreachTemplate *
cp_outreach_find_template (CpPlaybook *playbook,
                           const char *stage_id,
                           const char *key)
{
  g_return_val_if_fail (playbook != NULL, NULL);

  if (key == NULL)
    return NULL;
  for (int pass = stage_id != NULL ? 0 : 1; pass < 2; pass++)
    for (guint s = 0; s < playbook->stages->len; s++)
      {
        const CpStage *stage = playbook->stages->pdata[s];

        if (pass == 0 && g_strcmp0 (stage->id, stage_id) != 0)
          continue;
        for (guint t = 0; stage->templates != NULL && t < stage->templates->len; t++)
          {
            const CpOutreachTemplate *template_ = stage->templates->pdata[t];

            if (g_strcmp0 (template_->id, key) == 0)
              return template_;
          }
      }
  return NULL;
}

/* ---- links ---- */

/* RFC 6068: a header value is escaped but for unreserved characters;
 * line breaks are CRLF, as %0D%0A. */
static void
append_hfvalue (GString    *uri,
                const char *value)
{
  g_autoptr(GString) crlf = g_string_sized_new (strlen (value) + 16);
  g_autofree char *escaped = NULL;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\r' && p[1] == '\n')
        continue;
      if (*p == '\n' || *p == '\r')
        g_string_append (crlf, "\r\n");
      else
        g_string_append_c (crlf, *p);
    }
  escaped = g_uri_escape_string (crlf->str, NULL, FALSE);
  g_string_append (uri, escaped);
}

/**
 * cp_outreach_mailto_uri:
 * @to: (nullable): the address
 * @subject: (nullable)
 * @body: (nullable)
 *
 * A mailto: link (RFC 6068): in the subject and body everything but
 * letters, digits and “-._~” is percent-encoded as UTF-8 (a space is
 * %20, a line break %0D%0A); the address keeps “@” and the characters
 * RFC 6068 allows in it.
 *
 * Returns: (transfer full): the URI
 */
char *
cp_outreach_mailto_uri (const char *to,
                        const char *subject,
                        const char *body)
{
  GString *uri = g_string_new ("mailto:");
  const char *separator = "?";

  if (to != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (to, "!$'()*+,;:@", FALSE);
      g_string_append (uri, escaped);
    }
  if (subject != NULL && *subject != '\0')
    {
      g_string_append (uri, "?subject=");
      append_hfvalue (uri, subject);
      separator = "&";
    }
  if (body != NULL && *body != '\0')
    {
      g_string_append_printf (uri, "%sbody=", separator);
      append_hfvalue (uri, body);
    }
  return g_string_free (uri, FALSE);
}

/**
 * cp_outreach_tel_uri:
 * @e164: a phone number in E.164 (“+” and 8 to 15 digits), as leads store them
 *
 * Returns: (transfer full) (nullable): the tel: link (RFC 3966), or %NULL
 *   when @e164 is not an E.164 number
 */
char *
cp_outreach_tel_uri (const char *e164)
{
  gsize digits = 0;

  if (e164 == NULL || e164[0] != '+')
    return NULL;
  for (const char *p = e164 + 1; *p != '\0'; p++, digits++)
    if (!g_ascii_isdigit (*p))
      return NULL;
  if (digits < 8 || digits > 15)
    return NULL;
  return g_strconcat ("tel:", e164, NULL);
}

/* ---- consent ---- */

/* The playbook's own consent rules, beyond the consent fields: the first
 * rule that applies to the lead and blocks @channel. */
static char *
playbook_consent_reason (CpPlaybook *playbook,
                         CpLead     *lead,
                         GPtrArray  *activities,
                         const char *channel)
{
  g_autoptr(GArray) records = NULL;
  CpLeadRecord record;
  CpConditionInput input = { 0 };

  cp_lead_record_init (&record, lead);
  input.lead = &record;
  input.now = g_get_real_time () / G_USEC_PER_SEC;
  if (activities != NULL)
    {
      records = cp_activity_records_new (activities);
      input.activities = (const CpActivityRecord *) (void *) records->data;
      input.n_activities = records->len;
    }

  for (guint i = 0; i < playbook->consent_rules->len; i++)
    {
      CpConsentRule *rule = g_ptr_array_index (playbook->consent_rules, i);
      const char * const *blocked = (const char * const *) rule->blocked_channels;

      if (blocked == NULL ||
          (!g_strv_contains (blocked, channel) && !g_strv_contains (blocked, "*")))
        continue;
      if (rule->condition != NULL && !cp_condition_evaluate (rule->condition, &input))
        continue;
      /* TRANSLATORS: the playbook's description of a consent rule */
      return g_strdup_printf (_("%s."), rule->description != NULL ? rule->description : rule->id);
    }
  return NULL;
}

/**
 * cp_outreach_check_consent:
 * @playbook: (nullable): the playbook in effect, for the stage's channels
 *   and its consent rules
 * @activities: (nullable) (element-type CpActivity): the lead's
 *   activities, for consent rules on them (an unsubscribe)
 * @channel: "email", "phone", "sms" or "mail"
 * @out_reason: (out) (optional) (transfer full): why not, when not
 *
 * Whether the lead may be contacted on @channel at all (an outreach made
 * may be logged): not when it asked not to be contacted, when consent was
 * denied or withdrawn, when granted consent covers another channel only,
 * when its stage does not use the channel, or when a consent rule of the
 * playbook blocks it.
 *
 * Returns: %TRUE if allowed
 */
gboolean
cp_outreach_check_consent (CpPlaybook  *playbook,
                           CpLead      *lead,
                           GPtrArray   *activities,
                           const char  *channel,
                           char       **out_reason)
{
  const char *status;
  const char *consented;
  const CpStage *stage = NULL;
  char *reason = NULL;

  g_return_val_if_fail (CP_IS_LEAD (lead), FALSE);
  g_return_val_if_fail (channel != NULL, FALSE);

  status = cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_STATUS);
  consented = cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_CHANNEL);
  if (playbook != NULL && cp_lead_get_stage (lead) != NULL)
    stage = cp_playbook_get_stage (playbook, cp_lead_get_stage (lead));

  if (cp_lead_get_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT) != 0)
    reason = g_strdup (_("The lead asked not to be contacted."));
  else if (g_strcmp0 (status, "denied") == 0)
    reason = g_strdup (_("The lead did not consent to contact."));
  else if (g_strcmp0 (status, "withdrawn") == 0)
    reason = g_strdup (_("The lead withdrew consent."));
  else if (g_strcmp0 (status, "granted") == 0 && consented != NULL &&
           g_strcmp0 (consented, "any") != 0 && g_strcmp0 (consented, channel) != 0)
    reason = g_strdup_printf (_("Consent covers %s only."), consented);
  else if (stage != NULL && stage->channels != NULL && stage->channels[0] != NULL &&
           !g_strv_contains ((const char * const *) stage->channels, channel))
    reason =
        g_strdup_printf (_("The %s stage does not use %s."), stage->title ?: stage->id, channel);
  else if (playbook != NULL)
    reason = playbook_consent_reason (playbook, lead, activities, channel);

  if (out_reason != NULL)
    *out_reason = reason;
  else
    g_free (reason);
  return reason == NULL;
}

/**
 * cp_outreach_check_channel:
 *
 * Whether an outreach on @channel may be started now (an email written
 * from a template, a call dialled): what cp_outreach_check_consent()
 * checks, then that the lead has an address on the channel (an email
 * address for "email", a phone number for "phone" and "sms").
 *
 * Returns: %TRUE if allowed; otherwise @out_reason says why
 */
gboolean
cp_outreach_check_channel (CpPlaybook  *playbook,
                           CpLead      *lead,
                           GPtrArray   *activities,
                           const char  *channel,
                           char       **out_reason)
{
  const char *reason = NULL;

  g_return_val_if_fail (CP_IS_LEAD (lead), FALSE);
  g_return_val_if_fail (channel != NULL, FALSE);

  if (!cp_outreach_check_consent (playbook, lead, activities, channel, out_reason))
    return FALSE;
  if (g_str_equal (channel, "email") && cp_lead_get_text (lead, CP_LEAD_FIELD_EMAIL) == NULL)
    reason = _("The lead has no email address.");
  else if ((g_str_equal (channel, "phone") || g_str_equal (channel, "sms")) &&
           cp_lead_get_text (lead, CP_LEAD_FIELD_PHONE) == NULL)
    reason = _("The lead has no phone number.");
  if (out_reason != NULL)
    *out_reason = g_strdup (reason);
  return reason == NULL;
}

/**
 * cp_outreach_channel_for_kind:
 *
 * Returns: (nullable): the channel a task of @kind is done on ("phone"
 *   for a call, "email" for an email), %NULL when it has none
 */
const char *
cp_outreach_channel_for_kind (CpTaskKind kind)
{
  switch (kind)
    {
    case CP_TASK_KIND_CALL:
      return "phone";
    case CP_TASK_KIND_EMAIL:
      return "email";
    case CP_TASK_KIND_MEETING:
    case CP_TASK_KIND_FOLLOW_UP:
    case CP_TASK_KIND_HANDOFF:
    case CP_TASK_N_KINDS:
    default:
      return NULL;
    }
}

/**
 * cp_outreach_kind_for_channel:
 * @channel: (nullable): an outreach channel
 *
 * Returns: the kind of task that contacts a lead on @channel: a call for
 *   "phone", an email for "email", a follow-up otherwise
 */
CpTaskKind
cp_outreach_kind_for_channel (const char *channel)
{
  if (g_strcmp0 (channel, "phone") == 0)
    return CP_TASK_KIND_CALL;
  if (g_strcmp0 (channel, "email") == 0)
    return CP_TASK_KIND_EMAIL;
  return CP_TASK_KIND_FOLLOW_UP;
}
