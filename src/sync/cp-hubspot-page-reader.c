/* cp-hubspot-page-reader.c — a contacts search answer read straight into records, without a tree
 *
 * A pull reads hundreds of pages of 200 contacts. Parsed by json-glib,
 * each page became a tree of nodes, objects and strings, which was then
 * copied into records and thrown away. This reader walks the text once
 * and copies only what a record keeps: a contact's id, updatedAt and its
 * non-empty string properties, and whether paging.next.after says more
 * pages follow. Every other member is checked as JSON and skipped.
 *
 * The text is checked in full before the page is handed on: malformed
 * JSON (a truncated or garbled answer, worth asking again) is an error of
 * JSON_PARSER_ERROR's domain; JSON of the wrong shape is reported as
 * *out_what, as the tree's reader did. Nesting is bounded by
 * cp_json_check_depth() before any recursion. Where a member appears
 * twice the last one counts, as in json-glib.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-hubspot-backend"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cp-crm-parse-private.h"
#include "cp-hubspot-private.h"
#include "cp-json-check.h"
#include "cp-sync-error.h"

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  GError     *error;        /* the first syntax error */
  GString    *scratch;      /* the last string read */
} Reader;

static gboolean
fail (Reader     *reader,
      const char *what)
{
  if (reader->error == NULL)
    reader->error = g_error_new (JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                                 _("%s at byte %" G_GSIZE_FORMAT), what,
                                 (gsize) (reader->p - reader->start));
  return FALSE;
}

static void
skip_space (Reader *reader)
{
  while (reader->p < reader->end &&
         (*reader->p == ' ' || *reader->p == '\t' || *reader->p == '\n' || *reader->p == '\r'))
    reader->p++;
}

/* Whether the next character (after spaces) is @c; consumes it if so. */
static gboolean
next_is (Reader *reader,
         char    c)
{
  skip_space (reader);
  if (reader->p < reader->end && *reader->p == c)
    {
      reader->p++;
      return TRUE;
    }
  return FALSE;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four hex digits after "\u"; -1 if they are not. */
static gint32
read_hex4 (Reader *reader)
{
  gint32 value = 0;

  if (reader->end - reader->p < 4)
    return -1;
  for (guint i = 0; i < 4; i++)
    {
      int digit = hex_digit (reader->p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  reader->p += 4;
  return value;
}

/* A \u escape (the "\u" read): a surrogate pair is one character, a lone
 * surrogate or U+0000 (which would cut a C string) becomes U+FFFD. */
static gboolean
read_unicode_escape (Reader *reader)
{
  gint32 unit = read_hex4 (reader);
  gunichar c;

  if (unit < 0)
    return fail (reader, _("a \\u escape without four hex digits"));
  c = (gunichar) unit;
  if (unit >= 0xd800 && unit <= 0xdbff && reader->end - reader->p >= 6 &&
      reader->p[0] == '\\' && reader->p[1] == 'u')
    {
      const char *pair = reader->p;
      gint32 low;

      reader->p += 2;
      low = read_hex4 (reader);
      if (low >= 0xdc00 && low <= 0xdfff)
        c = 0x10000 + (((gunichar) unit - 0xd800) << 10) + ((gunichar) low - 0xdc00);
      else
        reader->p = pair;   /* not its pair: read on its own */
    }
  if (c == 0 || (c >= 0xd800 && c <= 0xdfff))
    c = 0xfffd;
  g_string_append_unichar (reader->scratch, c);
  return TRUE;
}

/* A string (the opening quote next), unescaped into reader->scratch and
 * checked as UTF-8. */
static gboolean
read_string (Reader *reader)
{
  g_string_truncate (reader->scratch, 0);
  if (!next_is (reader, '"'))
    return fail (reader, _("a string was expected"));
  for (;;)
    {
      const char *run = reader->p;

      while (reader->p < reader->end && *reader->p != '"' && *reader->p != '\\' &&
             (guchar) *reader->p >= 0x20)
        reader->p++;
      g_string_append_len (reader->scratch, run, reader->p - run);
      if (reader->p >= reader->end)
        return fail (reader, _("a string is not closed"));
      if (*reader->p == '"')
        break;
      if ((guchar) *reader->p < 0x20)
        return fail (reader, _("a control character inside a string"));
      if (++reader->p >= reader->end)
        return fail (reader, _("a string is not closed"));
      switch (*reader->p++)
        {
        case '"':
        case '\\':
        case '/':
          g_string_append_c (reader->scratch, reader->p[-1]);
          break;
        case 'b':
          g_string_append_c (reader->scratch, '\b');
          break;
        case 'f':
          g_string_append_c (reader->scratch, '\f');
          break;
        case 'n':
          g_string_append_c (reader->scratch, '\n');
          break;
        case 'r':
          g_string_append_c (reader->scratch, '\r');
          break;
        case 't':
          g_string_append_c (reader->scratch, '\t');
          break;
        case 'u':
          if (!read_unicode_escape (reader))
            return FALSE;
          break;
        default:
          return fail (reader, _("an unknown escape in a string"));
        }
    }
  reader->p++;
  if (!g_utf8_validate_len (reader->scratch->str, reader->scratch->len, NULL))
    return fail (reader, _("a string that is not UTF-8"));
  return TRUE;
}

static gboolean
read_digits (Reader *reader)
{
  const char *first = reader->p;

  while (reader->p < reader->end && g_ascii_isdigit (*reader->p))
    reader->p++;
  return reader->p > first;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
skip_number (Reader *reader)
{
  if (reader->p < reader->end && *reader->p == '-')
    reader->p++;
  if (reader->p < reader->end && *reader->p == '0')
    reader->p++;
  else if (!read_digits (reader))
    return fail (reader, _("a malformed number"));
  if (reader->p < reader->end && *reader->p == '.' && (reader->p++, !read_digits (reader)))
    return fail (reader, _("a malformed number"));
  if (reader->p < reader->end && (*reader->p == 'e' || *reader->p == 'E'))
    {
      reader->p++;
      if (reader->p < reader->end && (*reader->p == '+' || *reader->p == '-'))
        reader->p++;
      if (!read_digits (reader))
        return fail (reader, _("a malformed number"));
    }
  return TRUE;
}

static gboolean
skip_word (Reader     *reader,
           const char *word)
{
  gsize length = strlen (word);

  if ((gsize) (reader->end - reader->p) < length || memcmp (reader->p, word, length) != 0)
    return fail (reader, _("an unknown word"));
  reader->p += length;
  return TRUE;
}

static gboolean skip_value (Reader *reader);

/* The members of an object (its '{' read), each handed to @member with
 * its name in reader->scratch; @member reads the value. */
typedef gboolean (*MemberFunc) (Reader *reader, const char *name, gpointer user_data);

static gboolean
read_members (Reader     *reader,
              MemberFunc  member,
              gpointer    user_data)
{
  if (next_is (reader, '}'))
    return TRUE;
  do
    {
      g_autofree char *name = NULL;

      if (!read_string (reader))
        return FALSE;
      name = g_strndup (reader->scratch->str, reader->scratch->len);
      if (!next_is (reader, ':'))
        return fail (reader, _("a ':' was expected"));
      if (!member (reader, name, user_data))
        return FALSE;
    }
  while (next_is (reader, ','));
  if (!next_is (reader, '}'))
    return fail (reader, _("a ',' or '}' was expected"));
  return TRUE;
}

static gboolean
skip_member (Reader     *reader,
             const char *name,
             gpointer    user_data)
{
  return skip_value (reader);
}

static gboolean
skip_value (Reader *reader)
{
  skip_space (reader);
  if (reader->p >= reader->end)
    return fail (reader, _("a value was expected"));
  switch (*reader->p)
    {
    case '"':
      return read_string (reader);
    case '{':
      reader->p++;
      return read_members (reader, skip_member, NULL);
    case '[':
      reader->p++;
      if (next_is (reader, ']'))
        return TRUE;
      do
        if (!skip_value (reader))
          return FALSE;
      while (next_is (reader, ','));
      return next_is (reader, ']') || fail (reader, _("a ',' or ']' was expected"));
    case 't':
      return skip_word (reader, "true");
    case 'f':
      return skip_word (reader, "false");
    case 'n':
      return skip_word (reader, "null");
    default:
      return skip_number (reader);
    }
}

/* A value that is kept only when it is a string: TRUE with *@out_string
 * (reader->scratch's text) set, or skipped with *@out_string NULL. */
static gboolean
read_if_string (Reader      *reader,
                const char **out_string)
{
  *out_string = NULL;
  skip_space (reader);
  if (reader->p < reader->end && *reader->p == '"')
    {
      if (!read_string (reader))
        return FALSE;
      *out_string = reader->scratch->str;
      return TRUE;
    }
  return skip_value (reader);
}

/* A member whose value is kept only when it is a string: *@field is
 * replaced by it, or cleared. */
static gboolean
read_string_member (Reader  *reader,
                    char   **field)
{
  const char *text;

  if (!read_if_string (reader, &text))
    return FALSE;
  g_free (*field);
  *field = g_strdup (text);
  return TRUE;
}

/* A member whose value is read by @member when it is an object, and
 * skipped otherwise. */
static gboolean
read_object_member (Reader     *reader,
                    MemberFunc  member,
                    gpointer    user_data)
{
  return next_is (reader, '{') ? read_members (reader, member, user_data) : skip_value (reader);
}

/* A contact as it is read. */
typedef struct
{
  char       *id;
  char       *updated_at;
  GHashTable *properties;     /* NULL until a "properties" object */
} Contact;

static gboolean
property_member (Reader     *reader,
                 const char *name,
                 gpointer    user_data)
{
  GHashTable *properties = user_data;
  const char *value;

  if (!read_if_string (reader, &value))
    return FALSE;
  if (value != NULL && *value != '\0')
    g_hash_table_insert (properties, g_strdup (name), g_strdup (value));
  else
    g_hash_table_remove (properties, name);
  return TRUE;
}

static gboolean
contact_member (Reader     *reader,
                const char *name,
                gpointer    user_data)
{
  Contact *contact = user_data;

  if (g_str_equal (name, "properties"))
    {
      g_clear_pointer (&contact->properties, g_hash_table_unref);
      if (!next_is (reader, '{'))
        return skip_value (reader);
      contact->properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      return read_members (reader, property_member, contact->properties);
    }
  if (g_str_equal (name, "id"))
    return read_string_member (reader, &contact->id);
  if (g_str_equal (name, "updatedAt"))
    return read_string_member (reader, &contact->updated_at);
  return skip_value (reader);
}

/* One element of "results": a record, or NULL (*@out_ok still TRUE) when
 * it is no contact with an id and an updatedAt. */
static CpCrmRecord *
read_contact (Reader   *reader,
              gboolean *out_ok)
{
  Contact contact = { NULL, };
  CpCrmRecord *record = NULL;

  *out_ok = TRUE;
  if (!next_is (reader, '{'))
    {
      *out_ok = skip_value (reader);
      return NULL;
    }
  *out_ok = read_members (reader, contact_member, &contact);
  if (*out_ok && contact.id != NULL && _cp_hubspot_parse_time_ms (contact.updated_at) >= 0)
    {
      record = cp_crm_record_new (contact.id, contact.updated_at, NULL);
      if (contact.properties != NULL)
        {
          g_hash_table_unref (record->properties);
          record->properties = g_steal_pointer (&contact.properties);
        }
    }
  g_free (contact.id);
  g_free (contact.updated_at);
  g_clear_pointer (&contact.properties, g_hash_table_unref);
  return record;
}

/* The page as it is read. */
typedef struct
{
  GPtrArray *records;       /* NULL until a "results" array */
  gboolean   bad_record;    /* an element of it is no contact */
  char      *next_after;
  gint64     total;         /* "total" of a search answer; -1: none */
} Page;

static gboolean
read_results (Reader *reader,
              Page   *page)
{
  g_clear_pointer (&page->records, g_ptr_array_unref);
  page->bad_record = FALSE;
  if (!next_is (reader, '['))
    return skip_value (reader);
  page->records = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_crm_record_free);
  if (next_is (reader, ']'))
    return TRUE;
  do
    {
      gboolean ok;
      CpCrmRecord *record = read_contact (reader, &ok);

      if (!ok)
        return FALSE;
      if (record != NULL)
        g_ptr_array_add (page->records, record);
      else
        page->bad_record = TRUE;
    }
  while (next_is (reader, ','));
  return next_is (reader, ']') || fail (reader, _("a ',' or ']' was expected"));
}

static gboolean
next_member (Reader     *reader,
             const char *name,
             gpointer    user_data)
{
  Page *page = user_data;

  return g_str_equal (name, "after") ? read_string_member (reader, &page->next_after)
                                     : skip_value (reader);
}

static gboolean
paging_member (Reader     *reader,
               const char *name,
               gpointer    user_data)
{
  Page *page = user_data;

  if (!g_str_equal (name, "next"))
    return skip_value (reader);
  g_clear_pointer (&page->next_after, g_free);
  return read_object_member (reader, next_member, page);
}

/* "total": kept when it is a whole number that fits, else skipped as
 * any value (it only tells the pull how large it will be). */
static gboolean
read_total (Reader *reader,
            gint64 *out_total)
{
  const char *start;
  guint64 total = 0;

  *out_total = -1;
  skip_space (reader);
  start = reader->p;
  if (!skip_value (reader))
    return FALSE;
  for (const char *c = start; c < reader->p; c++)
    {
      if (!g_ascii_isdigit (*c) || total > G_MAXINT64 / 10)
        return TRUE;
      total = total * 10 + (guint64) (*c - '0');
    }
  if (reader->p > start && total <= G_MAXINT64)
    *out_total = (gint64) total;
  return TRUE;
}

static gboolean
page_member (Reader     *reader,
             const char *name,
             gpointer    user_data)
{
  Page *page = user_data;

  if (g_str_equal (name, "results"))
    return read_results (reader, page);
  if (g_str_equal (name, "total"))
    return read_total (reader, &page->total);
  if (!g_str_equal (name, "paging"))
    return skip_value (reader);
  g_clear_pointer (&page->next_after, g_free);
  return read_object_member (reader, paging_member, page);
}

/**
 * _cp_hubspot_read_page:
 * @out_what: (out): set, with %NULL returned and no error, when the
 *   answer is JSON of another shape
 *
 * Reads a contacts search (or list) answer; see cp-crm-parse-private.h.
 *
 * Returns: (transfer full) (nullable): the page; %NULL with @error set
 *   when @data is no JSON (or nested too deep), or with *@out_what set
 */
CpCrmPage *
_cp_hubspot_read_page (const char   *data,
                       gsize         length,
                       const char  **out_what,
                       GError      **error)
{
  g_autoptr(GString) scratch = g_string_sized_new (64);
  Reader reader = { data, data, data + length, NULL, scratch };
  Page page = { NULL, FALSE, NULL, -1 };
  CpCrmPage *result = NULL;
  gboolean object;
  gboolean ok;

  *out_what = NULL;
  if (!cp_json_check_depth (data, length, CP_JSON_MAX_DEPTH, error))
    return NULL;
  skip_space (&reader);
  /* Nothing at all: no answer, as an empty body. */
  if (reader.p == reader.end)
    {
      *out_what = _("a search answer without results");
      return NULL;
    }
  object = next_is (&reader, '{');
  ok = object ? read_members (&reader, page_member, &page) : skip_value (&reader);
  if (ok)
    {
      skip_space (&reader);
      if (reader.p != reader.end)
        ok = fail (&reader, _("text after the answer"));
    }

  if (!ok)
    g_propagate_error (error, g_steal_pointer (&reader.error));
  else if (page.records == NULL)
    *out_what = _("a search answer without results");
  else if (page.bad_record)
    *out_what = _("a contact without id or updatedAt");
  else
    {
      result = g_new0 (CpCrmPage, 1);
      result->records = g_steal_pointer (&page.records);
      result->next_page = g_steal_pointer (&page.next_after);
      result->total = page.total;
    }
  g_clear_error (&reader.error);
  g_clear_pointer (&page.records, g_ptr_array_unref);
  g_free (page.next_after);
  return result;
}
