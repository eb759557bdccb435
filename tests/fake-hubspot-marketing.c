/* fake-hubspot-marketing.c — HubSpot's forms, form submissions and marketing events, for the fake
 *
 * As documented: GET /marketing/v3/forms (paged with `after`; two forms a
 * page here, to page); GET /form-integrations/v1/submissions/forms/{guid}
 * (newest first, `limit` 1–50, default 20, 400 past it; `after`); GET
 * /marketing/v3/marketing-events/ (by objectId, `limit` ≤ 100); GET
 * /marketing/v3/marketing-events/participations/{id} (counters) and
 * …/{id}/breakdown (two participations a page here). Paging tokens are
 * opaque strings (base64, which needs escaping in a query).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "fake-hubspot-marketing.h"
#include "fake-server.h"

#define FORMS_PAGE     2
#define BREAKDOWN_PAGE 2

typedef struct
{
  gint64     submitted_ms;
  char      *page_url;
  GPtrArray *names;
  GPtrArray *values;
} Submission;

typedef struct
{
  char      *guid;
  char      *name;
  GPtrArray *submissions;
} Form;

typedef struct
{
  char   *id;
  char   *contact_id;
  char   *email;
  char   *state;
  gint64  occurred_ms;
  guint   duration_s;
} Participation;

typedef struct
{
  char      *id;
  char      *name;
  char      *type;
  GPtrArray *participations;
} Event;

struct _FakeMarketing
{
  GPtrArray *forms;
  GPtrArray *events;
  guint64    next_id;
};

static void
submission_free (Submission *submission)
{
  g_free (submission->page_url);
  g_ptr_array_unref (submission->names);
  g_ptr_array_unref (submission->values);
  g_free (submission);
}

static void
form_free (Form *form)
{
  g_free (form->guid);
  g_free (form->name);
  g_ptr_array_unref (form->submissions);
  g_free (form);
}

static void
participation_free (Participation *participation)
{
  g_free (participation->id);
  g_free (participation->contact_id);
  g_free (participation->email);
  g_free (participation->state);
  g_free (participation);
}

static void
event_free (Event *event)
{
  g_free (event->id);
  g_free (event->name);
  g_free (event->type);
  g_ptr_array_unref (event->participations);
  g_free (event);
}

FakeMarketing *
fake_marketing_new (void)
{
  FakeMarketing *marketing = g_new0 (FakeMarketing, 1);

  marketing->forms = g_ptr_array_new_with_free_func ((GDestroyNotify) form_free);
  marketing->events = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
  marketing->next_id = 501;
  return marketing;
}

void
fake_marketing_free (FakeMarketing *marketing)
{
  g_ptr_array_unref (marketing->forms);
  g_ptr_array_unref (marketing->events);
  g_free (marketing);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *category,
               const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "error");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "category");
  json_builder_add_string_value (builder, category);
  json_builder_set_member_name (builder, "correlationId");
  json_builder_add_string_value (builder, "fake-marketing");
  json_builder_end_object (builder);
  respond (msg, status, builder);
}

/* The `after` of the query as a position; FALSE (400 sent) when unreadable. */
static gboolean
read_position (SoupServerMessage *msg,
               GHashTable        *query,
               guint64           *out_position)
{
  const char *after = query != NULL ? g_hash_table_lookup (query, "after") : NULL;

  *out_position = 0;
  if (after == NULL || fake_paging_token_parse (after, TRUE, out_position))
    return TRUE;
  respond_error (msg, 400, "VALIDATION_ERROR", "Invalid paging token.");
  return FALSE;
}

/* `limit` within 1..@max, @fallback without one; 0 (400 sent) past it. */
static guint
read_limit (SoupServerMessage *msg,
            GHashTable        *query,
            guint              fallback,
            guint              max)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  guint64 limit = text != NULL ? g_ascii_strtoull (text, NULL, 10) : fallback;

  if (limit >= 1 && limit <= max)
    return (guint) limit;
  respond_error (msg, 400, "VALIDATION_ERROR", "limit is out of range.");
  return 0;
}

static void
add_paging (JsonBuilder *builder,
            guint64      next,
            guint        total)
{
  g_autofree char *token = NULL;

  if (next >= total)
    return;
  token = fake_paging_token_new (next, TRUE);
  json_builder_set_member_name (builder, "paging");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "next");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "after");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
handle_forms (FakeMarketing     *marketing,
              SoupServerMessage *msg,
              GHashTable        *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint64 position;
  guint64 end;

  if (!read_position (msg, query, &position))
    return;
  end = MIN (position + FORMS_PAGE, marketing->forms->len);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint64 i = position; i < end; i++)
    {
      Form *form = marketing->forms->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, form->guid);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, form->name);
      json_builder_set_member_name (builder, "formType");
      json_builder_add_string_value (builder, "hubspot");
      json_builder_set_member_name (builder, "archived");
      json_builder_add_boolean_value (builder, FALSE);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_paging (builder, end, marketing->forms->len);
  json_builder_end_object (builder);
  respond (msg, 200, builder);
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  const Submission *x = *(Submission **) a;
  const Submission *y = *(Submission **) b;

  return x->submitted_ms == y->submitted_ms ? 0 : (x->submitted_ms > y->submitted_ms ? -1 : 1);
}

static void
add_submission_json (JsonBuilder *builder,
                     Submission  *submission)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "submittedAt");
  json_builder_add_int_value (builder, submission->submitted_ms);
  json_builder_set_member_name (builder, "values");
  json_builder_begin_array (builder);
  for (guint j = 0; j < submission->names->len; j++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, submission->names->pdata[j]);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, submission->values->pdata[j]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (submission->page_url != NULL)
    {
      json_builder_set_member_name (builder, "pageUrl");
      json_builder_add_string_value (builder, submission->page_url);
    }
  json_builder_end_object (builder);
}

static void
handle_submissions (FakeMarketing     *marketing,
                    SoupServerMessage *msg,
                    const char        *guid,
                    GHashTable        *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) sorted = NULL;
  Form *form = NULL;
  guint64 position;
  guint64 end;
  guint limit;

  for (guint i = 0; i < marketing->forms->len && form == NULL; i++)
    if (g_str_equal (((Form *) marketing->forms->pdata[i])->guid, guid))
      form = marketing->forms->pdata[i];
  if (form == NULL)
    {
      respond_error (msg, 404, "OBJECT_NOT_FOUND", "No form with this guid.");
      return;
    }
  limit = read_limit (msg, query, 20, 50);
  if (limit == 0 || !read_position (msg, query, &position))
    return;
  /* A view, not a copy: the form's array owns the submissions. */
  sorted = g_ptr_array_sized_new (form->submissions->len);
  for (guint i = 0; i < form->submissions->len; i++)
    g_ptr_array_add (sorted, form->submissions->pdata[i]);
  g_ptr_array_sort (sorted, newest_first);
  end = MIN (position + limit, sorted->len);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint64 i = position; i < end; i++)
    add_submission_json (builder, sorted->pdata[i]);
  json_builder_end_array (builder);
  add_paging (builder, end, sorted->len);
  json_builder_end_object (builder);
  respond (msg, 200, builder);
}

static Event *
find_event (FakeMarketing *marketing,
            const char    *id,
            gsize          length)
{
  for (guint i = 0; i < marketing->events->len; i++)
    {
      Event *event = marketing->events->pdata[i];

      if (strlen (event->id) == length && strncmp (event->id, id, length) == 0)
        return event;
    }
  return NULL;
}

static void
handle_events (FakeMarketing     *marketing,
               SoupServerMessage *msg,
               GHashTable        *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint limit = read_limit (msg, query, 10, 100);
  guint64 position;
  guint64 end;

  if (limit == 0 || !read_position (msg, query, &position))
    return;
  end = MIN (position + limit, marketing->events->len);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint64 i = position; i < end; i++)
    {
      Event *event = marketing->events->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "objectId");
      json_builder_add_string_value (builder, event->id);
      json_builder_set_member_name (builder, "eventName");
      json_builder_add_string_value (builder, event->name);
      if (event->type != NULL)
        {
          json_builder_set_member_name (builder, "eventType");
          json_builder_add_string_value (builder, event->type);
        }
      json_builder_set_member_name (builder, "eventCompleted");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_paging (builder, end, marketing->events->len);
  json_builder_end_object (builder);
  respond (msg, 200, builder);
}

static void
handle_counters (SoupServerMessage *msg,
                 Event             *event)
{
  static const char * const states[] = { "ATTENDED", "REGISTERED", "CANCELLED", "NO_SHOW" };
  static const char * const members[] = { "attended", "registered", "cancelled", "noShows" };
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    {
      gint64 n = 0;

      for (guint i = 0; i < event->participations->len; i++)
        n += g_str_equal (((Participation *) event->participations->pdata[i])->state, states[s]);
      json_builder_set_member_name (builder, members[s]);
      json_builder_add_int_value (builder, n);
    }
  json_builder_end_object (builder);
  respond (msg, 200, builder);
}

static void
add_participation_json (JsonBuilder   *builder,
                        Event         *event,
                        Participation *participation)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, participation->id);
  json_builder_set_member_name (builder, "associations");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "contact");
  json_builder_begin_object (builder);
  if (participation->contact_id != NULL)
    {
      json_builder_set_member_name (builder, "contactId");
      json_builder_add_string_value (builder, participation->contact_id);
    }
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, participation->email);
  json_builder_set_member_name (builder, "firstname");
  json_builder_add_string_value (builder, "Private");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "marketingEvent");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "marketingEventId");
  json_builder_add_string_value (builder, event->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, event->name);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "properties");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "attendanceState");
  json_builder_add_string_value (builder, participation->state);
  json_builder_set_member_name (builder, "occurredAt");
  json_builder_add_int_value (builder, participation->occurred_ms);
  if (participation->duration_s > 0)
    {
      json_builder_set_member_name (builder, "attendanceDurationSeconds");
      json_builder_add_int_value (builder, participation->duration_s);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
handle_breakdown (SoupServerMessage *msg,
                  Event             *event,
                  GHashTable        *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint64 position;
  guint64 end;

  if (!read_position (msg, query, &position))
    return;
  end = MIN (position + BREAKDOWN_PAGE, event->participations->len);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, event->participations->len);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint64 i = position; i < end; i++)
    add_participation_json (builder, event, event->participations->pdata[i]);
  json_builder_end_array (builder);
  add_paging (builder, end, event->participations->len);
  json_builder_end_object (builder);
  respond (msg, 200, builder);
}

#define SUBMISSIONS    "/form-integrations/v1/submissions/forms/"
#define PARTICIPATIONS "/marketing/v3/marketing-events/participations/"

gboolean
fake_marketing_handle (FakeMarketing     *marketing,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query)
{
  if (!g_str_equal (soup_server_message_get_method (msg), "GET"))
    return FALSE;
  if (g_str_equal (path, "/marketing/v3/forms") || g_str_equal (path, "/marketing/v3/forms/"))
    handle_forms (marketing, msg, query);
  else if (g_str_has_prefix (path, SUBMISSIONS) &&
           strchr (path + strlen (SUBMISSIONS), '/') == NULL)
    handle_submissions (marketing, msg, path + strlen (SUBMISSIONS), query);
  else if (g_str_equal (path, "/marketing/v3/marketing-events/") ||
           g_str_equal (path, "/marketing/v3/marketing-events"))
    handle_events (marketing, msg, query);
  else if (g_str_has_prefix (path, PARTICIPATIONS))
    {
      const char *id = path + strlen (PARTICIPATIONS);
      const char *slash = strchr (id, '/');
      Event *event = find_event (marketing, id, slash != NULL ? (gsize) (slash - id) : strlen (id));

      if (event == NULL)
        respond_error (msg, 404, "OBJECT_NOT_FOUND", "No marketing event with this id.");
      else if (slash == NULL)
        handle_counters (msg, event);
      else if (g_str_equal (slash, "/breakdown"))
        handle_breakdown (msg, event, query);
      else
        return FALSE;
    }
  else
    return FALSE;
  return TRUE;
}

char *
fake_marketing_add_form (FakeMarketing *marketing,
                         const char    *name)
{
  Form *form = g_new0 (Form, 1);

  form->guid = g_strdup_printf ("0000%04" G_GUINT64_FORMAT "-50ec-465e-894e-e368146fa25f",
                                marketing->next_id++);
  form->name = g_strdup (name);
  form->submissions = g_ptr_array_new_with_free_func ((GDestroyNotify) submission_free);
  g_ptr_array_add (marketing->forms, form);
  return g_strdup (form->guid);
}

void
fake_marketing_add_submission (FakeMarketing *marketing,
                               const char    *form_guid,
                               gint64         submitted_ms,
                               const char    *page_url,
                               va_list        values)
{
  Submission *submission = g_new0 (Submission, 1);
  Form *form = NULL;
  const char *name;

  for (guint i = 0; i < marketing->forms->len && form == NULL; i++)
    if (g_str_equal (((Form *) marketing->forms->pdata[i])->guid, form_guid))
      form = marketing->forms->pdata[i];
  g_assert (form != NULL);
  submission->submitted_ms = submitted_ms;
  submission->page_url = g_strdup (page_url);
  submission->names = g_ptr_array_new_with_free_func (g_free);
  submission->values = g_ptr_array_new_with_free_func (g_free);
  while ((name = va_arg (values, const char *)) != NULL)
    {
      g_ptr_array_add (submission->names, g_strdup (name));
      g_ptr_array_add (submission->values, g_strdup (va_arg (values, const char *)));
    }
  g_ptr_array_add (form->submissions, submission);
}

char *
fake_marketing_add_event (FakeMarketing *marketing,
                          const char    *name,
                          const char    *type)
{
  Event *event = g_new0 (Event, 1);

  event->id = g_strdup_printf ("%" G_GUINT64_FORMAT, marketing->next_id++);
  event->name = g_strdup (name);
  event->type = g_strdup (type);
  event->participations = g_ptr_array_new_with_free_func ((GDestroyNotify) participation_free);
  g_ptr_array_add (marketing->events, event);
  return g_strdup (event->id);
}

void
fake_marketing_add_participation (FakeMarketing *marketing,
                                  const char    *event_id,
                                  const char    *contact_id,
                                  const char    *email,
                                  const char    *state,
                                  gint64         occurred_ms,
                                  guint          duration_s)
{
  Event *event = find_event (marketing, event_id, strlen (event_id));
  Participation *participation = g_new0 (Participation, 1);

  g_assert (event != NULL);
  participation->id = g_strdup_printf ("%" G_GUINT64_FORMAT, marketing->next_id++);
  participation->contact_id = g_strdup (contact_id);
  participation->email = g_strdup (email);
  participation->state = g_strdup (state);
  participation->occurred_ms = occurred_ms;
  participation->duration_s = duration_s;
  g_ptr_array_add (event->participations, participation);
}
