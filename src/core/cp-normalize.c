/* cp-normalize.c — match keys for finding duplicate leads
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-normalize"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-normalize.h"
#include "cp-validate.h"
#include "cp-validate-private.h"

/* Whether the first @len bytes of @text (all of it when @len is -1) are ASCII. */
static gboolean
str_is_ascii_len (const char *text,
                  gssize      len)
{
  for (const char *p = text; (len < 0 || p < text + len) && *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

static gboolean
str_is_ascii (const char *text)
{
  return str_is_ascii_len (text, -1);
}

/* @text casefolded, in NFC: casefolding can undo a composition. */
static char *
fold_case (const char *text,
           gssize      len)
{
  g_autofree char *folded = NULL;

  /* ASCII casefolds to its lowercase, which is in NFC already. */
  if (str_is_ascii_len (text, len))
    return g_ascii_strdown (text, len);
  folded = g_utf8_casefold (text, len);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
}

/* The local part of an email key, from the @len bytes at @local: quotes
 * that are not needed dropped ("john"@ is john@), the rest quoted again
 * with only the escapes it needs; *@out_quoted says which. */
static char *
email_local_key (const char *local,
                 gsize       len,
                 gboolean   *out_quoted)
{
  g_autoptr(GString) content = g_string_new (NULL);
  g_autofree char *folded = NULL;
  GString *requoted;
  gboolean quoted;

  quoted = local[0] == '"' && _cp_email_skip_quoted (local, content) == local + len;
  if (!quoted)
    {
      /* Unquoted, or quotes that do not enclose it all: taken as typed. */
      g_string_truncate (content, 0);
      g_string_append_len (content, local, (gssize) len);
    }

  folded = fold_case (content->str, (gssize) content->len);
  *out_quoted = quoted && (folded[0] == '\0' ||
                           _cp_email_dot_atom_problem (folded, strlen (folded)) != NULL);
  if (!*out_quoted)
    return g_steal_pointer (&folded);

  requoted = g_string_new ("\"");
  for (const char *p = folded; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (requoted, '\\');
      g_string_append_c (requoted, *p);
    }
  g_string_append_c (requoted, '"');

  return g_string_free (requoted, FALSE);
}

/**
 * cp_normalize_email:
 * @email: (nullable): an email address
 *
 * The form two addresses of the same mailbox share: trimmed, in NFC and
 * casefolded (SØREN@Example.ORG is søren@example.org), the domain in its
 * A-label form (josé@café.example is josé@xn--caf-dma.example), quotes
 * dropped where they are not needed ("john"@ is john@), without a "+tag"
 * in an unquoted local part, and for Gmail without dots in the local part
 * (googlemail.com becomes gmail.com).
 *
 * The local part is casefolded in full, as Unicode defines it: Straße@ and
 * strasse@, ς and σ give the same key. The domain is lowercased as IDNA
 * does it, which keeps ß: straße.de is not strasse.de.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL for an empty address
 */
char *
cp_normalize_email (const char *email)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *composed = NULL;
  g_autofree char *local = NULL;
  g_autofree char *domain = NULL;
  const char *at;
  gboolean quoted;

  if (email == NULL || !g_utf8_validate (email, -1, NULL))
    return NULL;

  trimmed = g_strstrip (g_strdup (email));
  if (trimmed[0] == '\0')
    return NULL;

  /* Plain ASCII (most addresses) is in NFC already. */
  composed =
      str_is_ascii (trimmed) ? g_strdup (trimmed) : g_utf8_normalize (trimmed, -1, G_NORMALIZE_NFC);
  at = strrchr (composed, '@');
  if (at == NULL || at == composed)
    return fold_case (composed, -1);

  local = email_local_key (composed, (gsize) (at - composed), &quoted);

  /* Not casefolded first: IDNA keeps ß (xn--strae-oqa is straße), and
   * lowercases by itself. A domain it refuses is kept casefolded. */
  domain = g_hostname_to_ascii (at + 1);
  if (domain == NULL)
    domain = fold_case (at + 1, -1);

  if (!quoted)
    {
      char *plus = strchr (local, '+');

      if (plus != NULL && plus != local)
        *plus = '\0';
    }

  if (!quoted && (g_str_equal (domain, "gmail.com") || g_str_equal (domain, "googlemail.com")))
    {
      char *w = local;

      for (const char *r = local; *r != '\0'; r++)
        if (*r != '.')
          *w++ = *r;
      *w = '\0';

      return g_strconcat (local, "@gmail.com", NULL);
    }

  return g_strconcat (local, "@", domain, NULL);
}

/* Appends the casefolded character @c, transliterated to ASCII when GLib
 * knows how (é → e, ø → o, ß → ss) and kept as is otherwise, so that
 * names in other scripts survive intact. Returns whether @c was kept
 * as a non-ASCII character (its combining marks then stay with it). */
static gboolean
append_folded_char (GString  *out,
                    gunichar  c)
{
  char utf8[8];
  gint len;
  g_autofree char *ascii = NULL;

  if (c < 0x80)
    {
      g_string_append_c (out, g_ascii_tolower ((char) c));
      return FALSE;
    }

  len = g_unichar_to_utf8 (c, utf8);
  utf8[len] = '\0';

  ascii = g_str_to_ascii (utf8, "C");
  if (ascii != NULL && ascii[0] != '\0' && strchr (ascii, '?') == NULL)
    {
      for (const char *p = ascii; *p != '\0'; p++)
        if (g_ascii_isalnum (*p))
          g_string_append_c (out, g_ascii_tolower (*p));
      return FALSE;
    }

  g_string_append_len (out, utf8, len);
  return TRUE;
}

/**
 * cp_normalize_name:
 * @name: (nullable): a name or place
 *
 * Casefolds, strips accents from Latin letters (keeping other scripts as
 * they are), drops punctuation (dashes become spaces) and collapses white
 * space: "  José-Luis  O'Brien " → "jose luis obrien".
 *
 * Returns: (transfer full) (nullable): the normalized name, or %NULL when
 *   nothing is left
 */
char *
cp_normalize_name (const char *name)
{
  g_autofree char *composed = NULL;
  g_autofree char *folded = NULL;
  GString *out;
  gboolean pending_space = FALSE;
  gboolean last_kept = FALSE;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return NULL;

  /* ASCII is its own NFKC form and casefolds to its lowercase. */
  if (str_is_ascii (name))
    folded = g_ascii_strdown (name, -1);
  else
    {
      composed = g_utf8_normalize (name, -1, G_NORMALIZE_NFKC);
      if (composed == NULL)
        return NULL;
      folded = g_utf8_casefold (composed, -1);
    }

  out = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c;
      GUnicodeType type;

      /* An ASCII character, as the Unicode rules below take it: white
       * space (tab, line feed, form feed, return, space), the dash, _ and
       * / separate words; letters and digits are kept (folded already);
       * the rest is dropped. */
      if ((guchar) *p < 0x80)
        {
          if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ||
              *p == '-' || *p == '_' || *p == '/')
            pending_space = out->len > 0;
          else if (g_ascii_isalnum (*p))
            {
              if (pending_space)
                g_string_append_c (out, ' ');
              pending_space = FALSE;
              g_string_append_c (out, g_ascii_tolower (*p));
            }
          last_kept = FALSE;
          continue;
        }

      c = g_utf8_get_char (p);
      type = g_unichar_type (c);

      if (g_unichar_isspace (c) || type == G_UNICODE_DASH_PUNCTUATION ||
          c == '_' || c == '/')
        {
          pending_space = out->len > 0;
          last_kept = FALSE;
          continue;
        }

      if (g_unichar_ismark (c))
        {
          /* A mark on a transliterated letter is already gone with it. */
          if (last_kept)
            {
              char utf8[8];
              gint len = g_unichar_to_utf8 (c, utf8);

              g_string_append_len (out, utf8, len);
            }
          continue;
        }

      if (!g_unichar_isalnum (c))
        {
          last_kept = FALSE;
          continue;
        }

      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;

      last_kept = append_folded_char (out, c);
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

/**
 * cp_normalize_name_key:
 * @first: (nullable): first name
 * @last: (nullable): last name
 * @location: (nullable): location
 *
 * Returns: (transfer full) (nullable): "first last|location", normalized,
 *   or %NULL when there is no name or no location
 */
char *
cp_normalize_name_key (const char *first,
                       const char *last,
                       const char *location)
{
  g_autofree char *joined = NULL;
  g_autofree char *name = NULL;
  g_autofree char *place = NULL;

  joined = g_strjoin (" ", first ? first : "", last ? last : "", NULL);
  name = cp_normalize_name (joined);
  place = cp_normalize_name (location);

  if (name == NULL || place == NULL)
    return NULL;

  return g_strconcat (name, "|", place, NULL);
}

/**
 * cp_lead_match_key:
 * @lead: a #CpLead
 * @kind: which key
 * @default_region: (nullable): region for reading phone numbers without
 *   a country code, e.g. "US"
 *
 * Returns: (transfer full) (nullable): the key two duplicates of @lead
 *   share, or %NULL when @lead lacks the data (or its phone number cannot
 *   be read)
 */
char *
cp_lead_match_key (CpLead      *lead,
                   CpMatchKind  kind,
                   const char  *default_region)
{
  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);

  switch (kind)
    {
    case CP_MATCH_EMAIL:
      return cp_normalize_email (cp_lead_get_text (lead, CP_LEAD_FIELD_EMAIL));

    case CP_MATCH_PHONE:
      {
        const char *phone = cp_lead_get_text (lead, CP_LEAD_FIELD_PHONE);

        if (phone == NULL)
          return NULL;
        return cp_phone_normalize_e164 (phone, default_region, NULL);
      }

    case CP_MATCH_NAME_LOCATION:
      return cp_normalize_name_key (cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME),
                                    cp_lead_get_text (lead, CP_LEAD_FIELD_LAST_NAME),
                                    cp_lead_get_text (lead, CP_LEAD_FIELD_LOCATION));

    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * cp_match_kind_describe:
 * @kind: a #CpMatchKind
 *
 * Returns: a translated phrase for why two leads look like duplicates
 */
const char *
cp_match_kind_describe (CpMatchKind kind)
{
  switch (kind)
    {
    case CP_MATCH_EMAIL:
      return _("same email");
    case CP_MATCH_PHONE:
      return _("same phone");
    case CP_MATCH_NAME_LOCATION:
      return _("similar name at the same location");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The characters of @text into @stack when they fit, else into a new
 * array (*@heap, the caller frees it); their number into @out_length. */
static const gunichar *
decode_name (const char  *text,
             gunichar    *stack,
             gsize        n_stack,
             gunichar   **heap,
             glong       *out_length)
{
  gsize n = 0;
  const char *p;

  for (p = text; *p != '\0' && n < n_stack; n++)
    {
      gunichar c = (guchar) *p < 0x80 ? (guchar) *p : g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* a byte that begins no whole character counts as one (never
           * stepping over the end) */
          stack[n] = (guchar) *p++;
          continue;
        }
      stack[n] = c;
      p = g_utf8_next_char (p);
    }
  if (*p == '\0')
    {
      *out_length = (glong) n;
      return stack;
    }
  *heap = g_utf8_to_ucs4_fast (text, -1, out_length);
  return *heap;
}

/**
 * cp_name_key_distance:
 * @a: a name as cp_normalize_name() gives it
 * @b: another
 * @limit: the largest distance that matters
 *
 * The Levenshtein distance between two normalised names, in characters,
 * without normalising them again; anything above @limit is reported as
 * @limit + 1 (found early when the lengths alone differ by more).
 *
 * Only the cells of the edit-distance table within @limit of its
 * diagonal are computed (a path that leaves that band costs more than
 * @limit): the duplicate search asks for a limit of one or two, for
 * dozens of names per lead.
 */
guint
cp_name_key_distance (const char *a,
                      const char *b,
                      guint       limit)
{
  gunichar stack_a[64], stack_b[64];
  g_autofree gunichar *heap_a = NULL;
  g_autofree gunichar *heap_b = NULL;
  const gunichar *ua, *ub;
  guint stack_row[64];
  g_autofree guint *heap_row = NULL;
  guint *row;
  glong la = 0, lb = 0, band;
  guint past;

  g_return_val_if_fail (a != NULL && b != NULL, G_MAXUINT);

  ua = decode_name (a, stack_a, G_N_ELEMENTS (stack_a), &heap_a, &la);
  ub = decode_name (b, stack_b, G_N_ELEMENTS (stack_b), &heap_b, &lb);

  if ((guint) ABS (la - lb) > limit)
    return limit + 1;
  if (la == 0)
    return (guint) lb;
  if (lb == 0)
    return (guint) la;

  /* Beyond the longer length the band is the whole table. */
  band = (glong) MIN ((guint64) limit, (guint64) MAX (la, lb));
  past = (guint) band + 1;

  /* One row of the edit-distance table, updated in place; cells outside
   * the band hold @past. */
  row = lb + 1 <= (glong) G_N_ELEMENTS (stack_row) ? stack_row : (heap_row = g_new (guint, lb + 1));
  for (glong j = 0; j <= lb; j++)
    row[j] = j <= band ? (guint) j : past;

  for (glong i = 1; i <= la; i++)
    {
      glong lo = MAX (1, i - band);
      glong hi = MIN (lb, i + band);
      guint diagonal = row[lo - 1];
      guint left, row_min = past;

      /* The cell left of the band: the first column, or outside it. */
      row[lo - 1] = lo == 1 ? MIN ((guint) i, past) : past;
      left = row[lo - 1];
      row_min = MIN (row_min, left);
      for (glong j = lo; j <= hi; j++)
        {
          guint above = row[j];
          guint cost = ua[i - 1] == ub[j - 1] ? 0 : 1;
          guint best = MIN (MIN (above, left) + 1, diagonal + cost);

          best = MIN (best, past);
          diagonal = above;
          row[j] = left = best;
          row_min = MIN (row_min, best);
        }
      /* Every path goes through this row: past the limit, it stays past. */
      if (row_min > (guint) band)
        return limit + 1;
    }

  return row[lb] > (guint) band ? limit + 1 : row[lb];
}
