/* test-outreach.c — templates filled for a lead, mailto:/tel: links, and who may be contacted how
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-activity.h"
#include "cp-core-error.h"
#include "cp-outreach.h"
#include "cp-playbook-format.h"

static CpLead *
sample_lead (void)
{
  CpLead *lead = cp_lead_new ();

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Zoë");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, "Durand");
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "zoe@example.org");
  cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "+13125550100");
  cp_lead_set_text (lead, CP_LEAD_FIELD_SERVICE_LINE, "cardiology");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LOCATION, "Riverside");
  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "qualified");
  cp_lead_set_text (lead, CP_LEAD_FIELD_OWNER, "Kim Park");
  return lead;
}

static GHashTable *
team_values (void)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (values, g_strdup ("clinic_name"), g_strdup ("Riverside Heart"));
  g_hash_table_insert (values, g_strdup ("clinic_phone"), g_strdup ("(312) 555-0199"));
  return values;
}

static void
test_render (void)
{
  g_autoptr(CpLead) lead = sample_lead ();
  g_autoptr(GHashTable) values = team_values ();
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = cp_outreach_render ("Hello {first_name} {last_name}, {{literal}} from {clinic_name}: "
                             "{service_line} at {location}; call {clinic_phone}. Book: "
                             "{booking_link|call us}. "
                             "When? {proposed_time}. Org: {organization|your team}. {org_type}!",
                             lead, values, missing, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
                   "Hello Zoë Durand, {literal} from Riverside Heart: Cardiology at Riverside; "
                   "call (312) 555-0199. Book: call us. When? . Org: your team. !");
  g_assert_cmpuint (missing->len, ==, 2);
  g_assert_cmpstr (missing->pdata[0], ==, "proposed_time");
  g_assert_cmpstr (missing->pdata[1], ==, "org_type");
  g_clear_pointer (&text, g_free);

  /* Asked and given: nothing missing any more; a value given wins over the lead's. */
  g_hash_table_insert (values, g_strdup ("proposed_time"), g_strdup ("Tuesday at 10:00"));
  g_hash_table_insert (values, g_strdup ("first_name"), g_strdup ("Zo"));
  g_ptr_array_set_size (missing, 0);
  text = cp_outreach_render ("{first_name}: {proposed_time}", lead, values, missing, &error);
  g_assert_cmpstr (text, ==, "Zo: Tuesday at 10:00");
  g_assert_cmpuint (missing->len, ==, 0);
}

static void
assert_render_error (const char *text,
                     int         code,
                     const char *message)
{
  g_autoptr(CpLead) lead = sample_lead ();
  g_autoptr(GError) error = NULL;
  g_autofree char *rendered = cp_outreach_render (text, lead, NULL, NULL, &error);

  g_assert_null (rendered);
  g_assert_error (error, CP_CORE_ERROR, code);
  if (strstr (error->message, message) == NULL)
    g_error ("“%s”: expected “%s” in “%s”", text, message, error->message);
}

/* An unknown placeholder is named with its line and column. */
static void
test_render_errors (void)
{
  assert_render_error ("Hello\n  {organization_or_clinic}.", CP_CORE_ERROR_UNKNOWN_FIELD,
                       "“{organization_or_clinic}” (line 2, column 3)");
  assert_render_error ("Hi {first_name", CP_CORE_ERROR_PARSE, "(line 1, column 4)");
  assert_render_error ("Hi first_name}", CP_CORE_ERROR_PARSE, "A “}” closes no placeholder");
  assert_render_error ("Hi {}", CP_CORE_ERROR_PARSE, "needs a name");
  assert_render_error ("Hi {first name}", CP_CORE_ERROR_PARSE, "letters, digits");
  assert_render_error ("Hi {first_name|a\nb}", CP_CORE_ERROR_PARSE, "no matching");
  assert_render_error ("Hi {first_name|{x}}", CP_CORE_ERROR_PARSE, "no matching");
}

/* Every template of the default playbook renders for a lead: no
 * unknown placeholder; what is empty is reported as missing. */
static void
test_default_templates (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(CpLead) lead = sample_lead ();
  g_autoptr(GHashTable) values = team_values ();
  guint n = 0;

  g_assert_nonnull (playbook);
  for (guint s = 0; s < playbook->stages->len; s++)
    {
      CpStage *stage = playbook->stages->pdata[s];

      for (guint t = 0; t < stage->templates->len; t++)
        {
          const CpOutreachTemplate *template_ = stage->templates->pdata[t];
          g_autoptr(CpOutreachMessage) message =
              cp_outreach_render_template (template_, lead, values, &error);

          g_assert_no_error (error);
          g_assert_nonnull (message);
          g_assert_null (strchr (message->body, '{'));
          g_assert_cmpstr (message->subject, ==, template_->title);
          for (guint m = 0; message->missing[m] != NULL; m++)
            g_assert_true (g_str_equal (message->missing[m], "booking_link") ||
                           g_str_equal (message->missing[m], "proposed_time"));
          n++;
        }
      for (guint e = 0; e < stage->entry_tasks->len; e++)
        {
          const CpEntryTask *entry = stage->entry_tasks->pdata[e];

          g_assert_true (entry->template_key == NULL ||
                         cp_outreach_find_template (playbook, stage->id, entry->template_key) !=
                             NULL);
        }
    }
  g_assert_cmpuint (n, >=, 10);
  {
    const CpOutreachTemplate *welcome = cp_outreach_find_template (playbook, NULL, "new_welcome");
    g_autoptr(GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(CpOutreachMessage) message =
        cp_outreach_render_template (welcome, lead, none, &error);

    g_assert_nonnull (strstr (message->body, "Thank you for contacting our clinic."));
    g_assert_cmpstr (message->missing[0], ==, "clinic_phone");
    g_assert_null (cp_outreach_find_template (playbook, "new", "no_such_template"));
  }
}

/* RFC 6068: the subject and body escaped, line breaks as CRLF. */
static void
test_mailto (void)
{
  g_autofree char *uri =
      cp_outreach_mailto_uri ("zoe+care@example.org", "Q&A: 100% sure?",
                              "Hello Zoë,\nsee https://x.example/?a=1&b=2#top\n");
  g_autofree char *bare = cp_outreach_mailto_uri ("a@example.org", NULL, "");
  g_autofree char *body_only = cp_outreach_mailto_uri ("a@example.org", "", "Hi there");
  g_autofree char *crlf = cp_outreach_mailto_uri (NULL, "x", "a\r\nb\rc");

  g_assert_cmpstr (uri, ==,
                   "mailto:zoe+care@example.org?subject=Q%26A%3A%20100%25%20sure%3F"
                   "&body=Hello%20Zo%C3%AB%2C%0D%0Asee%20https%3A%2F%2Fx.example%2F%3Fa%3D1%26b%"
                   "3D2%23top%0D%0A");
  g_assert_cmpstr (bare, ==, "mailto:a@example.org");
  g_assert_cmpstr (body_only, ==, "mailto:a@example.org?body=Hi%20there");
  g_assert_cmpstr (crlf, ==, "mailto:?subject=x&body=a%0D%0Ab%0D%0Ac");
  {
    g_autofree char *odd = cp_outreach_mailto_uri ("a?b#c%d@example.org", NULL, NULL);
    g_assert_cmpstr (odd, ==, "mailto:a%3Fb%23c%25d@example.org");
  }
}

static void
test_tel (void)
{
  g_autofree char *tel = cp_outreach_tel_uri ("+13125550100");
  g_autofree char *bad1 = cp_outreach_tel_uri ("3125550100");
  g_autofree char *bad2 = cp_outreach_tel_uri ("+1 312 555");
  g_autofree char *bad3 = cp_outreach_tel_uri ("+1234567");

  g_assert_cmpstr (tel, ==, "tel:+13125550100");
  g_assert_null (bad1);
  g_assert_null (bad2);
  g_assert_null (bad3);
  g_assert_null (cp_outreach_tel_uri (NULL));
}

static void
assert_blocked (CpPlaybook *playbook,
                CpLead     *lead,
                GPtrArray  *activities,
                const char *channel,
                const char *reason)
{
  g_autofree char *why = NULL;

  g_assert_false (cp_outreach_check_channel (playbook, lead, activities, channel, &why));
  g_assert_cmpstr (why, ==, reason);
}

/* Consent, do-not-contact, the stage's channels and the lead's addresses. */
static void
test_channel_checks (void)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(CpLead) lead = sample_lead ();
  g_autoptr(GPtrArray) activities = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CpActivity) unsubscribe = cp_activity_new ();
  g_autofree char *why = NULL;

  g_assert_true (cp_outreach_check_channel (playbook, lead, NULL, "email", &why));
  g_assert_null (why);
  g_assert_true (cp_outreach_check_channel (playbook, lead, NULL, "phone", NULL));
  assert_blocked (playbook, lead, NULL, "sms", "The Qualified stage does not use sms.");

  /* The playbook's consent rule on an unsubscribe: email only. */
  cp_activity_set_kind (unsubscribe, CP_ACTIVITY_KIND_UNSUBSCRIBE);
  cp_activity_set_occurred_at (unsubscribe, g_get_real_time () / G_USEC_PER_SEC);
  g_ptr_array_add (activities, g_object_ref (unsubscribe));
  assert_blocked (playbook, lead, activities, "email", "Unsubscribed from email.");
  g_assert_true (cp_outreach_check_channel (playbook, lead, activities, "phone", NULL));

  cp_lead_set_text (lead, CP_LEAD_FIELD_CONSENT_STATUS, "granted");
  cp_lead_set_text (lead, CP_LEAD_FIELD_CONSENT_CHANNEL, "phone");
  assert_blocked (playbook, lead, NULL, "email", "Consent covers phone only.");
  cp_lead_set_text (lead, CP_LEAD_FIELD_CONSENT_STATUS, "withdrawn");
  assert_blocked (playbook, lead, NULL, "phone", "The lead withdrew consent.");
  cp_lead_set_text (lead, CP_LEAD_FIELD_CONSENT_STATUS, NULL);
  cp_lead_set_text (lead, CP_LEAD_FIELD_CONSENT_CHANNEL, NULL);
  cp_lead_set_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT, 1);
  assert_blocked (playbook, lead, NULL, "phone", "The lead asked not to be contacted.");
  cp_lead_set_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT, 0);

  /* Allowed, but no address to use. */
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, NULL);
  assert_blocked (playbook, lead, NULL, "email", "The lead has no email address.");
  g_assert_true (cp_outreach_check_consent (playbook, lead, NULL, "email", NULL));
  cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, NULL);
  assert_blocked (playbook, lead, NULL, "phone", "The lead has no phone number.");

  g_assert_cmpstr (cp_outreach_channel_for_kind (CP_TASK_KIND_CALL), ==, "phone");
  g_assert_cmpstr (cp_outreach_channel_for_kind (CP_TASK_KIND_EMAIL), ==, "email");
  g_assert_null (cp_outreach_channel_for_kind (CP_TASK_KIND_MEETING));
  g_assert_cmpint (cp_outreach_kind_for_channel ("phone"), ==, CP_TASK_KIND_CALL);
  g_assert_cmpint (cp_outreach_kind_for_channel ("sms"), ==, CP_TASK_KIND_FOLLOW_UP);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/outreach/render", test_render);
  g_test_add_func ("/outreach/render-errors", test_render_errors);
  g_test_add_func ("/outreach/default-templates", test_default_templates);
  g_test_add_func ("/outreach/mailto", test_mailto);
  g_test_add_func ("/outreach/tel", test_tel);
  g_test_add_func ("/outreach/channel-checks", test_channel_checks);

  return g_test_run ();
}
