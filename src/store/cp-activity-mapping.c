/* cp-activity-mapping.c — which column of an attendee, check-in or form list says what
 *
 * Detected from the header the way the lead import reads its headers
 * (spelled any way: "Join Time", "join_time", "JOINTIME"), with the names
 * webinar and event platforms use: Zoom ("Join Time", "Time in Session
 * (minutes)", "Attended"), GoToWebinar, Eventbrite ("Check-in Date"),
 * form tools ("Timestamp", "Submitted At") and plain sheets ("Date").
 * Where several columns give a time, the kind decides: a registration list
 * means the registration time, an attendance list the join time. Or from
 * a mapping file, a key file saying which header is what:
 *
 *     [columns]
 *     email = Attendee Email
 *     occurred_at = Joined
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-activity-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-activity-import.h"
#include "cp-import-private.h"
#include "cp-store-error.h"

static const struct
{
  const char *id;
  const char *label;
} column_names[CP_ACTIVITY_N_COLUMNS] = {
  [CP_ACTIVITY_COLUMN_IGNORE] = { "ignore", N_("Ignored") },
  [CP_ACTIVITY_COLUMN_EMAIL] = { "email", N_("Email") },
  [CP_ACTIVITY_COLUMN_FIRST_NAME] = { "first_name", N_("First name") },
  [CP_ACTIVITY_COLUMN_LAST_NAME] = { "last_name", N_("Last name") },
  [CP_ACTIVITY_COLUMN_FULL_NAME] = { "full_name", N_("Full name") },
  [CP_ACTIVITY_COLUMN_PHONE] = { "phone", N_("Phone") },
  [CP_ACTIVITY_COLUMN_ORGANIZATION] = { "organization", N_("Organization") },
  [CP_ACTIVITY_COLUMN_OCCURRED_AT] = { "occurred_at", N_("When it happened") },
  [CP_ACTIVITY_COLUMN_DETAIL] = { "detail", N_("Detail (webinar, event, form)") },
  [CP_ACTIVITY_COLUMN_DEPTH] = { "depth", N_("Duration or depth") },
  [CP_ACTIVITY_COLUMN_ATTENDED] = { "attended", N_("Attended (yes or no)") },
};

gboolean
cp_activity_column_from_string (const char       *text,
                                CpActivityColumn *out_column)
{
  for (guint c = 0; c < CP_ACTIVITY_N_COLUMNS; c++)
    if (g_strcmp0 (column_names[c].id, text) == 0)
      {
        *out_column = c;
        return TRUE;
      }
  return FALSE;
}

/* Returns: (transfer none): the column's role in words, translated */
const char *
cp_activity_column_label (CpActivityColumn column)
{
  g_return_val_if_fail (column < CP_ACTIVITY_N_COLUMNS, NULL);

  return _(column_names[column].label);
}

const char *
cp_activity_row_status_to_string (CpActivityRowStatus status)
{
  switch (status)
    {
    case CP_ACTIVITY_ROW_UNMATCHED:
      return "unmatched";
    case CP_ACTIVITY_ROW_AMBIGUOUS:
      return "ambiguous";
    case CP_ACTIVITY_ROW_REJECTED:
      return "rejected";
    case CP_ACTIVITY_ROW_SKIPPED:
    default:
      return "skipped";
    }
}

/* Header keys (as _cp_import_header_key() gives them), best first within
 * a role: the first column found with the best key wins the role. */
typedef struct
{
  CpActivityColumn  column;
  const char       *keys[24];
} Names;

static const Names identity_names[] = {
  { CP_ACTIVITY_COLUMN_EMAIL, { "email", "emailaddress", "attendeeemail", "registrantemail",
                                "workemail", "businessemail", "mail", "contactemail", NULL } },
  { CP_ACTIVITY_COLUMN_FIRST_NAME, { "firstname", "first", "givenname", "attendeefirstname", NULL } },
  { CP_ACTIVITY_COLUMN_LAST_NAME, { "lastname", "last", "surname", "familyname", "attendeelastname", NULL } },
  { CP_ACTIVITY_COLUMN_FULL_NAME, { "name", "fullname", "attendeename", "usernameoriginalname", "username", "attendee", "contactname",
                                    "registrantname", NULL } },
  { CP_ACTIVITY_COLUMN_PHONE, { "phone", "phonenumber", "mobile", "mobilephone", "cellphone", "cell",
                                "telephone", "workphone", NULL } },
  { CP_ACTIVITY_COLUMN_ORGANIZATION, { "organization", "organisation", "company", "companyname",
                                       "practice", "employer", "organizationname", NULL } },
  { CP_ACTIVITY_COLUMN_DETAIL, { "detail", "topic", "webinarname", "webinartitle", "webinar",
                                 "eventname", "eventtitle", "event", "sessionname", "session",
                                 "formname", "form", "pagetitle", "pageurl", "page", "url",
                                 "contenttitle", "asset", "subject", NULL } },
  { CP_ACTIVITY_COLUMN_DEPTH, { "depth", "timeinsessionminutes", "timeinsession", "durationminutes",
                                "duration", "minutesattended", "attendanceduration",
                                "attendanceminutes", "pagesviewed", "pages", "steps", NULL } },
  { CP_ACTIVITY_COLUMN_ATTENDED, { "attended", "attendedyesno", "checkedin", "didattend", NULL } },
};

/* When it happened, for an attendance or check-in list. */
static const char * const time_attended[] = {
  "occurredat", "jointime", "jointimeutc", "joined", "checkintime", "checkindate", "checkedinat",
  "checkindatetime", "attendedat", "submittedat", "submissiondate", "submittedon", "downloadedat",
  "visitedat", "repliedat", "timestamp", "datetime", "date", "time", "when", "registrationtime",
  "registrationdate", "registeredat", "createdat", NULL,
};

/* … and for a registration list. */
static const char * const time_registered[] = {
  "occurredat", "registrationtime", "registrationdate", "registeredat", "registeredon", "signupdate",
  "timestamp", "datetime", "date", "time", "when", "createdat", "jointime", NULL,
};

static int
rank_of (const char         *key,
         const char * const *keys)
{
  for (int i = 0; keys[i] != NULL; i++)
    if (g_str_equal (keys[i], key))
      return i;
  return -1;
}

static CpActivityMapping *
mapping_new (GPtrArray *headers)
{
  CpActivityMapping *mapping = g_new0 (CpActivityMapping, 1);
  CpActivityColumn ignore = CP_ACTIVITY_COLUMN_IGNORE;

  mapping->headers = g_ptr_array_ref (headers);
  mapping->columns = g_array_sized_new (FALSE, FALSE, sizeof (CpActivityColumn), headers->len);
  for (guint i = 0; i < headers->len; i++)
    g_array_append_val (mapping->columns, ignore);
  return mapping;
}

/* Gives @column to the header among @keys ranked best (lowest), if any. */
static void
assign_best (CpActivityMapping  *mapping,
             GPtrArray          *keys,
             CpActivityColumn    column,
             const char * const *names)
{
  int best_rank = G_MAXINT;
  guint best = G_MAXUINT;

  for (guint i = 0; i < keys->len; i++)
    {
      int rank = rank_of (keys->pdata[i], names);

      if (rank >= 0 && rank < best_rank &&
          g_array_index (mapping->columns, CpActivityColumn, i) == CP_ACTIVITY_COLUMN_IGNORE)
        {
          best_rank = rank;
          best = i;
        }
    }
  if (best != G_MAXUINT)
    g_array_index (mapping->columns, CpActivityColumn, best) = column;
}

/**
 * cp_activity_mapping_detect:
 * @headers: (element-type utf8): the file's header row
 * @kind: what the rows are: it decides which time column is meant
 *
 * Returns: (transfer full): the role of each column; a role no header
 *   names stays unmapped
 */
CpActivityMapping *
cp_activity_mapping_detect (GPtrArray      *headers,
                            CpActivityKind  kind)
{
  CpActivityMapping *mapping;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (headers != NULL, NULL);

  mapping = mapping_new (headers);
  for (guint i = 0; i < headers->len; i++)
    {
      /* Zoom's "User Name (Original Name)" is "usernameoriginalname". */
      g_autofree char *key = _cp_import_header_key (headers->pdata[i]);

      g_ptr_array_add (keys, g_steal_pointer (&key));
    }
  assign_best (mapping, keys, CP_ACTIVITY_COLUMN_OCCURRED_AT,
               kind == CP_ACTIVITY_KIND_WEBINAR_REGISTERED ? time_registered : time_attended);
  for (guint r = 0; r < G_N_ELEMENTS (identity_names); r++)
    assign_best (mapping, keys, identity_names[r].column, identity_names[r].keys);
  return mapping;
}

/**
 * cp_activity_mapping_load:
 * @path: a key file: group `[columns]`, each key a role
 *   (an id of `column_names` above: email, occurred_at, detail…), each
 *   value the header of its column
 * @headers: the file's header row
 *
 * Returns: (transfer full) (nullable): the mapping, or %NULL with @error
 *   naming the key or the header that is not there
 */
CpActivityMapping *
cp_activity_mapping_load (const char  *path,
                          GPtrArray   *headers,
                          GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(CpActivityMapping) mapping = NULL;
  g_auto(GStrv) keys = NULL;

  g_return_val_if_fail (path != NULL && headers != NULL, NULL);

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    return NULL;
  keys = g_key_file_get_keys (file, "columns", NULL, error);
  if (keys == NULL)
    return NULL;
  mapping = mapping_new (headers);
  for (guint k = 0; keys[k] != NULL; k++)
    {
      g_autofree char *header = g_key_file_get_string (file, "columns", keys[k], NULL);
      g_autofree char *wanted = _cp_import_header_key (header != NULL ? header : "");
      CpActivityColumn column;
      gboolean found = FALSE;

      if (!cp_activity_column_from_string (keys[k], &column) || column == CP_ACTIVITY_COLUMN_IGNORE)
        {
          g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                       _("The mapping names “%s”, which is not a column this import reads (email, "
                         "first_name, last_name, full_name, phone, organization, occurred_at, "
                         "detail, depth, attended)."), keys[k]);
          return NULL;
        }
      for (guint i = 0; i < headers->len && !found; i++)
        {
          g_autofree char *key = _cp_import_header_key (headers->pdata[i]);

          if (*wanted != '\0' && g_str_equal (key, wanted))
            {
              g_array_index (mapping->columns, CpActivityColumn, i) = column;
              found = TRUE;
            }
        }
      if (!found)
        {
          g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                       _("The mapping says %s is in column “%s”, but the file has no such column."),
                       keys[k], header != NULL ? header : "");
          return NULL;
        }
    }
  return g_steal_pointer (&mapping);
}

CpActivityMapping *
cp_activity_mapping_copy (CpActivityMapping *mapping)
{
  CpActivityMapping *copy = g_new0 (CpActivityMapping, 1);

  copy->headers = g_ptr_array_ref (mapping->headers);
  copy->columns = g_array_copy (mapping->columns);
  return copy;
}

void
cp_activity_mapping_free (CpActivityMapping *mapping)
{
  if (mapping == NULL)
    return;
  g_clear_pointer (&mapping->headers, g_ptr_array_unref);
  g_clear_pointer (&mapping->columns, g_array_unref);
  g_free (mapping);
}

/* Returns: the first column (from 1) with the role, or 0 */
guint
cp_activity_mapping_column (CpActivityMapping *mapping,
                            CpActivityColumn   column)
{
  g_return_val_if_fail (mapping != NULL, 0);

  for (guint i = 0; i < mapping->columns->len; i++)
    if (g_array_index (mapping->columns, CpActivityColumn, i) == column)
      return i + 1;
  return 0;
}

/**
 * cp_activity_mapping_check:
 *
 * Returns: %FALSE with @error when the rows cannot be activities of
 *   leads: no column says when, or none says who (an email or a phone)
 */
gboolean
cp_activity_mapping_check (CpActivityMapping  *mapping,
                           GError            **error)
{
  if (cp_activity_mapping_column (mapping, CP_ACTIVITY_COLUMN_OCCURRED_AT) == 0)
    {
      g_set_error_literal (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                           _("No column says when each activity happened (such as “Join Time”, "
                             "“Check-in Date”, “Timestamp” or “Date”): name it in a mapping."));
      return FALSE;
    }
  if (cp_activity_mapping_column (mapping, CP_ACTIVITY_COLUMN_EMAIL) == 0 &&
      cp_activity_mapping_column (mapping, CP_ACTIVITY_COLUMN_PHONE) == 0)
    {
      g_set_error_literal (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                           _("No column gives an email or a phone: rows cannot be matched to leads "
                             "(a name alone is never enough)."));
      return FALSE;
    }
  return TRUE;
}
