/* cp-outreach.h — outreach from the playbook's templates: placeholders, mailto:/tel: links, consent
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "cp-lead.h"
#include "cp-playbook.h"
#include "cp-task.h"

G_BEGIN_DECLS

/*
 * Placeholder syntax of a template's title and body
 * -------------------------------------------------
 *
 *   {name}            the value of `name` (see below)
 *   {name|fallback}   the value, or the fallback text when the value is
 *                     empty (the fallback is plain text: no braces in it)
 *   {{  and  }}       a literal “{” and “}”
 *
 * A name (letters, digits, “_”) is one of
 *
 *  - a lead field, by its canonical name (cp_lead_field_from_name():
 *    first_name, last_name, organization, service_line, location, owner,
 *    …), written as a person reads it (choices by their label);
 *  - a team value: clinic_name, clinic_phone, booking_link, read from the
 *    @values table the caller passes (the app fills it from the settings
 *    `team-clinic-name`, `team-clinic-phone`, `team-booking-link`);
 *  - an “ask” value: proposed_time — never known in advance; the caller
 *    asks the person and passes it in @values.
 *
 * Any other name is an error (CP_CORE_ERROR_UNKNOWN_FIELD) naming the
 * placeholder and its line and column, as is a “{” without its “}” or a
 * lone “}” (CP_CORE_ERROR_PARSE). A known name whose value is empty and
 * has no fallback renders as nothing and is reported in @missing, so
 * the caller can ask for it and render again with it in @values (a value
 * in @values wins over the lead's own).
 */

#define CP_OUTREACH_CLINIC_NAME   "clinic_name"
#define CP_OUTREACH_CLINIC_PHONE  "clinic_phone"
#define CP_OUTREACH_BOOKING_LINK  "booking_link"
#define CP_OUTREACH_PROPOSED_TIME "proposed_time"

gboolean    cp_outreach_is_known_name   (const char          *name);
char       *cp_outreach_render          (const char          *text,
                                         CpLead              *lead,
                                         GHashTable          *values,
                                         GPtrArray           *missing,
                                         GError             **error);

/* A template filled for one lead. */
typedef struct
{
  char  *channel;    /* the template's: "email", "phone", … */
  char  *subject;    /* the template's title, rendered */
  char  *body;       /* rendered */
  char **missing;    /* names known but empty (each once, in order of use); never NULL */
} CpOutreachMessage;

void               cp_outreach_message_free     (CpOutreachMessage        *message);
CpOutreachMessage *cp_outreach_render_template  (const CpOutreachTemplate *template_,
                                                 CpLead                   *lead,
                                                 GHashTable               *values,
                                                 GError                  **error);
const CpOutreachTemplate *cp_outreach_find_template (CpPlaybook           *playbook,
                                                     const char           *stage_id,
                                                     const char           *key);

/* Links the desktop opens (GtkUriLauncher, the OpenURI portal). */
char       *cp_outreach_mailto_uri      (const char          *to,
                                         const char          *subject,
                                         const char          *body);
char       *cp_outreach_tel_uri         (const char          *e164);

/* Whether a lead may be contacted on a channel, and why not. */
gboolean    cp_outreach_check_consent   (CpPlaybook          *playbook,
                                         CpLead              *lead,
                                         GPtrArray           *activities,
                                         const char          *channel,
                                         char               **out_reason);
gboolean    cp_outreach_check_channel   (CpPlaybook          *playbook,
                                         CpLead              *lead,
                                         GPtrArray           *activities,
                                         const char          *channel,
                                         char               **out_reason);

/* Tasks and channels: a call is made by phone, an email by email. */
const char *cp_outreach_channel_for_kind (CpTaskKind          kind);
CpTaskKind  cp_outreach_kind_for_channel (const char         *channel);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpOutreachMessage, cp_outreach_message_free)

G_END_DECLS
