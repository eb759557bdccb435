/* test-core-validate.c — tests for email and phone checks, normal forms and match keys
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-core-error.h"
#include "cp-lead.h"
#include "cp-normalize.h"
#include "cp-validate.h"

static void
test_email_valid (void)
{
  static const char * const valid[] = {
    "pat@example.org",
    "pat.smith@example.com",
    "pat+intake@example.net",
    "p@example.io",
    "first.middle.last@sub.domain.example.org",
    "o'brien@example.ie",
    "user_name-1@example-clinic.org",
    "x!#$%&'*+/=?^_`{|}~-@example.org",
    "1234567890@example.org",
    "PAT@EXAMPLE.ORG",
    "a@b.co",
    "pat@xn--bcher-kva.example",
    "pat@xn--p1ai.xn--p1ai",
    "pat@bücher.example",
    "pat@münchen.de",
    "pat@例え.テスト",
    "pat@пример.рф",
    "pat@مثال.إختبار",
    "pat@123.example.org",
    "pat@a-b-c.example.org",
    /* 64 characters before the @ */
    "a234567890123456789012345678901234567890123456789012345678901234@example.org",
    /* a 63-character label */
    "pat@a23456789012345678901234567890123456789012345678901234567890123.org",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!cp_validate_email (valid[i], &error))
        g_error ("“%s” should be valid: %s", valid[i], error->message);
    }
}

/* RFC 6530/6531 examples and the shapes real leads type. */
static void
test_email_valid_international (void)
{
  static const char * const valid[] = {
    "søren.müller@clinic.org",
    "Søren@Example.ORG",
    "zoë@example.com",
    "García-López@hospital.es",
    "Dörte.Sörensen@example.de",
    "用户@例子.广告",
    "θσερ@εχαμπλε.ψομ",
    "अजय@डाटा.भारत",
    "квіточка@пошта.укр",
    "медведь@с-балалайкой.рф",
    "二ノ宮@黒川.日本",
    "josé@café.example",
    "josé@xn--caf-dma.example",
    "user@xn--caf-dma.example",
    "user@XN--CAF-DMA.Example",
    "pat@straße.de",
    "pat@xn--strae-oqa.de",
    "zoe\xcc\x88@example.com",                 /* decomposed ë (NFD) */
    "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85@example.ir", /* ZWNJ */
    "i❤️u@example.org",                         /* RFC 6531 allows any printable character */
    "\"john doe\"@example.org",
    "\"john\"@example.org",
    "\"John.Doe\"@example.org",
    "\"john@home\"@example.org",
    "\"john..doe\"@example.org",
    "\".john\"@example.org",
    "\"john \\\"jd\\\" doe\"@example.org",     /* "john \"jd\" doe" */
    "\"back\\\\slash\"@example.org",            /* "back\\slash" */
    "\"(comment) <x>, y;z\"@example.org",
    "\"zoë müller\"@café.example",
    /* 64 bytes before the @: 32 two-byte letters */
    "éééééééééééééééééééééééééééééééé@example.org",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *key = NULL;

      if (!cp_validate_email (valid[i], &error))
        g_error ("“%s” should be valid: %s", valid[i], error->message);

      /* Every valid address has a key, its domain in A-label form. */
      key = cp_normalize_email (valid[i]);
      g_assert_nonnull (key);
      g_assert_true (g_str_is_ascii (strrchr (key, '@')));
    }
}

typedef struct
{
  const char *email;
  const char *message_part;
} InvalidEmail;

static void
assert_invalid_emails (const InvalidEmail *invalid,
                       gsize               n_invalid)
{
  for (gsize i = 0; i < n_invalid; i++)
    {
      g_autoptr(GError) error = NULL;

      if (cp_validate_email (invalid[i].email, &error))
        g_error ("“%s” should be invalid", invalid[i].email);
      g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "“"));
      g_assert_nonnull (strstr (error->message, "” is not a valid email address: "));
      if (strstr (error->message, invalid[i].message_part) == NULL)
        g_error ("message for “%s” lacks “%s”: %s", invalid[i].email, invalid[i].message_part,
                 error->message);
    }
}

static void
test_email_invalid (void)
{
  static const InvalidEmail invalid[] = {
    { "bob@", "the domain is missing" },
    { "bob", "the @ sign is missing" },
    { "@example.org", "the name before the @ is missing" },
    { "bob@@example.org", "more than one @" },
    { "bob@home@example.org", "more than one @" },
    { "bob@localhost", "needs a dot" },
    { ".bob@example.org", "dot" },
    { "bob.@example.org", "dot" },
    { "bo..b@example.org", "dot" },
    { "bob smith@example.org", "space" },
    { "bob@exa mple.org", "space" },
    { "bob@example..org", "empty part" },
    { "bob@.example.org", "empty part" },
    { "bob@example.org.", "empty part" },
    { "bob@-example.org", "dash" },
    { "bob@example-.org", "dash" },
    { "bob@example.c", "two letters" },
    { "bob@example.c0m", "two letters" },
    { "bob@example.123", "two letters" },
    { "bob(comment)@example.org", "not allowed" },
    { "bob@exam_ple.org", "not allowed" },
    { "bob@[192.0.2.1]", "not allowed" },
    { "a2345678901234567890123456789012345678901234567890123456789012345@example.org", "64" },
    { "bob@a234567890123456789012345678901234567890123456789012345678901234.org", "63" },
    { "bob@example.org\n", "not allowed" },
  };

  assert_invalid_emails (invalid, G_N_ELEMENTS (invalid));
}

static void
test_email_invalid_international (void)
{
  static const InvalidEmail invalid[] = {
    { "søren", "the @ sign is missing" },
    { "søren@", "the domain is missing" },
    { "@café.example", "the name before the @ is missing" },
    { "søren@@clinic.org", "it has more than one @ sign" },
    { "søren@home@clinic.org", "it has more than one @ sign" },
    { "\"søren@home\"@clinic@example.org", "it has more than one @ sign" },
    { "josé@café", "the domain needs a dot" },
    { "用户@例子", "the domain needs a dot" },
    { "用户@例子。广告", "the domain needs a dot" },   /* an ideographic full stop */
    { ".søren@clinic.org", "cannot start or end with a dot or have two dots in a row" },
    { "søren.@clinic.org", "cannot start or end with a dot or have two dots in a row" },
    { "sø..ren@clinic.org", "cannot start or end with a dot or have two dots in a row" },
    { "søren müller@clinic.org", "it contains a space" },
    { "søren\xc2\xa0müller@clinic.org", "it contains a space" },   /* no-break space */
    { "用户\xe3\x80\x80名@例子.广告", "it contains a space" },     /* ideographic space */
    { "josé@ca fé.example", "it contains a space" },
    { "josé@café..example", "the domain has an empty part" },
    { "josé@.café.example", "the domain has an empty part" },
    { "josé@-café.example", "a part of the domain starts or ends with a dash" },
    { "josé@café-.example", "a part of the domain starts or ends with a dash" },
    { "josé@café.example.ü", "two letters or more" },
    /* Control and invisible characters, wherever they are. */
    { "søren\x01@clinic.org", "an invisible control character (U+0001), which is not allowed" },
    { "pat\t@example.org", "an invisible control character (U+0009)" },
    { "pat@example.org\r\n", "an invisible control character (U+000D)" },
    { "\"pat\x7f\"@example.org", "an invisible control character (U+007F)" },
    /* zero-width space, byte order mark, right-to-left override */
    { "pat\xe2\x80\x8b@example.org", "an invisible control character (U+200B)" },
    { "\xef\xbb\xbfpat@example.org", "an invisible control character (U+FEFF)" },
    { "pat\xe2\x80\xaegro.elpmaxe@example.org", "an invisible control character (U+202E)" },
    /* The zero-width joiner spells some names, never a domain. */
    { "pat@exa\xe2\x80\x8dmple.org", "the domain contains a character that is not allowed" },
    /* Characters no name is written with: private use, unassigned, ASCII
     * outside atext, a symbol in a domain, a small full stop. */
    { "pat\xee\x80\x80@example.org", "the name before the @ contains a character that is not" },
    { "pat\xcd\xb8@example.org", "the name before the @ contains a character that is not allowed" },
    { "pat<x>@example.org", "the name before the @ contains a character that is not allowed" },
    { "pat@💩.la", "the domain contains a character that is not allowed" },
    { "pat@bücher\xef\xb9\x92" "example.org", "the domain contains a character that is not" },
    /* A letter IDNA maps (NFKC) to words with spaces. */
    { "pat@\xef\xb7\xba.example", "the domain contains a character that is not allowed" },
    /* A-labels that are not the encoding of a valid name. */
    { "pat@xn--zz.example", "starts with “xn--” but is not a valid international name" },
    { "pat@xn--a.example", "starts with “xn--” but is not a valid international name" },
    { "pat@xn--ls8h.la", "starts with “xn--” but is not a valid international name" },
    { "pat@xn--abc-d.example", "starts with “xn--” but is not a valid international name" },
    { "pat@xn--café.example", "starts with “xn--” but is not a valid international name" },
    /* Not the canonical encoding: of e + U+0301, of É. */
    { "pat@xn--e-xbb.example", "starts with “xn--” but is not a valid international name" },
    { "pat@xn--dca.example", "starts with “xn--” but is not a valid international name" },
    /* Quotes. */
    { "\"john doe@example.org", "the closing quote is missing" },
    { "\"john\\\"@example.org", "the closing quote is missing" },
    { "\"john\"doe@example.org", "quotes must enclose the whole name before the @" },
    { "\"john\".doe@example.org", "quotes must enclose the whole name before the @" },
    { "john.\"doe\"@example.org", "quotes must enclose the whole name before the @" },
    { "\"\"@example.org", "the name before the @ is missing" },
    { "\"\xee\x80\x80\"@example.org", "the name before the @ contains a character that is not" },
    { "\"john doe\"@localhost", "the domain needs a dot" },
    /* Before the @, bytes of UTF-8 count, as in RFC 5321; a domain label
     * counts in its xn-- form. */
    { "ééééééééééééééééééééééééééééééééé@example.org",
      "the name before the @ is longer than 64 characters "
      "(letters outside A–Z count as two or more)" },
    { "用户用户用户用户用户用户用户用户用户用户用户@example.org", "longer than 64 characters" },
    { "pat@éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé.org",
      "a part of the domain is too long: written with “xn--”, it has more than 63 characters" },
  };

  assert_invalid_emails (invalid, G_N_ELEMENTS (invalid));
}

static void
test_email_messages (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_local = NULL;
  g_autofree char *too_long = NULL;
  g_autoptr(GString) wide = g_string_new (NULL);

  g_assert_false (cp_validate_email ("bob@", &error));
  g_assert_cmpstr (error->message, ==,
                   "“bob@” is not a valid email address: the domain is missing");
  g_clear_error (&error);

  g_assert_false (cp_validate_email ("søren müller@clinic.org", &error));
  g_assert_cmpstr (error->message, ==,
                   "“søren müller@clinic.org” is not a valid email address: it contains a space");
  g_clear_error (&error);

  g_assert_false (cp_validate_email ("pat\x01@example.org", &error));
  g_assert_cmpstr (error->message, ==,
                   "“pat\x01@example.org” is not a valid email address: "
                   "it contains an invisible control character (U+0001), which is not allowed");
  g_clear_error (&error);

  g_assert_false (cp_validate_email ("", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED);
  g_clear_error (&error);

  g_assert_false (cp_validate_email (NULL, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED);
  g_clear_error (&error);

  g_assert_false (cp_validate_email ("b\xffob@example.org", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  /* 255 characters in all: labels are fine, the total is not. */
  long_local = g_strnfill (60, 'a');
  too_long = g_strdup_printf ("%s@%s.%s.%s.%s.org", long_local,
                              long_local, long_local, long_local, "abcdefghijklmnopqrstuvwxyz");
  g_assert_cmpint (strlen (too_long), >, 254);
  g_assert_false (cp_validate_email (too_long, &error));
  g_assert_nonnull (strstr (error->message, "254"));
  /* Long input is shortened in the message. */
  g_assert_cmpint (g_utf8_strlen (error->message, -1), <, 160);
  g_clear_error (&error);

  /* The total is counted in characters, as the field's length: 228
   * characters in 388 bytes are fine, 255 are not. */
  g_string_append_printf (wide, "%s@", long_local);
  for (guint i = 0; i < 4; i++)
    {
      for (guint j = 0; j < 40; j++)
        g_string_append (wide, "ü");
      g_string_append_c (wide, '.');
    }
  g_string_append (wide, "org");
  g_assert_cmpint (g_utf8_strlen (wide->str, -1), ==, 228);
  g_assert_cmpint (wide->len, ==, 388);
  g_assert_true (cp_validate_email (wide->str, NULL));
  g_string_insert (wide, strlen (long_local) + 1, "abcdefghijklmnopqrstuvwxyz.");
  g_assert_cmpint (g_utf8_strlen (wide->str, -1), ==, 255);
  g_assert_false (cp_validate_email (wide->str, &error));
  g_assert_nonnull (strstr (error->message, "it is longer than 254 characters"));
}

typedef struct
{
  const char *input;
  const char *region;
  const char *e164;      /* NULL: must fail */
  const char *message_part;
} PhoneCase;

static void
test_phone_normalize (void)
{
  static const PhoneCase cases[] = {
    { "(555) 555-0123", "US", "+15555550123", NULL },
    { "555.555.0123", "US", "+15555550123", NULL },
    { "1-555-555-0123", "US", "+15555550123", NULL },
    { "555-555-0123 ext. 42", "US", "+15555550123", NULL },
    { "555-555-0123 x42", "US", "+15555550123", NULL },
    { "555 555 0123 extension 7", "US", "+15555550123", NULL },
    { "+1 (555) 555-0123", "GB", "+15555550123", NULL },
    { "613-555-0199", "CA", "+16135550199", NULL },
    { "613 555 0199", "ca", "+16135550199", NULL },
    { "+44 20 7946 0958", "US", "+442079460958", NULL },
    { "0044 20 7946 0958", "US", "+442079460958", NULL },
    { "011 44 20 7946 0958", "US", "+442079460958", NULL },
    { "020 7946 0958", "GB", "+442079460958", NULL },
    { "030 123456", "DE", "+4930123456", NULL },
    { "01 23 45 67 89", "FR", "+33123456789", NULL },
    { "912 345 678", "ES", "+34912345678", NULL },
    { "06 1234 5678", "IT", "+390612345678", NULL },
    { "020 123 4567", "NL", "+31201234567", NULL },
    { "01 234 5678", "IE", "+35312345678", NULL },
    { "02 9876 5432", "AU", "+61298765432", NULL },
    { "09 123 4567", "NZ", "+6491234567", NULL },
    { "098765 43210", "IN", "+919876543210", NULL },
    { "55 1234 5678", "MX", "+525512345678", NULL },
    { "(11) 98765-4321", "BR", "+5511987654321", NULL },
    { "044 668 18 00", "CH", "+41446681800", NULL },
    { "01 5123456", "AT", "+4315123456", NULL },
    { "02 123 45 67", "BE", "+3221234567", NULL },
    { "08-123 456 78", "SE", "+46812345678", NULL },
    { "32 12 34 56", "DK", "+4532123456", NULL },
    { "22 12 34 56", "NO", "+4722123456", NULL },
    { "12 345 67 89", "PL", "+48123456789", NULL },
    { "212 345 678", "PT", "+351212345678", NULL },
    { "021 123 4567", "ZA", "+27211234567", NULL },
    { "03-1234-5678", "JP", "+81312345678", NULL },
    { "+49 30 1234567", NULL, "+49301234567", NULL },
    /* The trunk 0 written after the country code is not dialled from abroad:
     * "(0)" anywhere it is a trunk prefix, a bare 0 where the plan drops it. */
    { "+44 (0)20 7946 0958", "US", "+442079460958", NULL },
    { "+44 (0) 20 7946 0958", NULL, "+442079460958", NULL },
    { "0044 (0)20 7946 0958", "US", "+442079460958", NULL },
    { "+44 020 7946 0958", "US", "+442079460958", NULL },
    { "+49 (0)30 1234567", "US", "+49301234567", NULL },
    { "+41 (0)44 668 18 00", "US", "+41446681800", NULL },
    { "+86 (0)10 1234 5678", "US", "+861012345678", NULL },
    { "+39 06 1234 5678", "US", "+390612345678", NULL },
    { "+39 (0)6 1234 5678", "US", "+390612345678", NULL },
    { "+44 (0)", "US", NULL, "too short" },
    { "1-800-FLOWERS", "US", NULL, "letters" },
    { "call me", "US", NULL, "letters" },
    { "555-0123", "US", NULL, "10 digits" },
    { "555 555 01234", "US", NULL, "10 digits" },
    { "055 555 0123", "US", NULL, "area codes" },
    { "+1 155 555 0123", "US", NULL, "area codes" },
    { "+1 555 555 012", "US", NULL, "10 digits" },
    { "+123", "US", NULL, "too short" },
    { "+1234567890123456", "US", NULL, "too long" },
    { "0044 12", "US", NULL, "too short" },
    { "+0 123 456 789", NULL, NULL, "cannot start with 0" },
    { "555 555 0123", "XX", NULL, "“XX”" },
    { "555 555 0123", NULL, NULL, "country code" },
    { "++1 555 555 0123", "US", NULL, "“+”" },
    { "555+555 0123", "US", NULL, "“+”" },
    { "#12", "US", NULL, "character" },
    { "555*555*0123", "US", NULL, "character" },
    { "1 2", "FR", NULL, "too short" },
    { "0123 456 789 0123", "FR", NULL, "too long" },
    { "---", "US", NULL, "no digits" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = cp_phone_normalize_e164 (cases[i].input, cases[i].region, &error);

      if (cases[i].e164 != NULL)
        {
          if (result == NULL)
            g_error ("“%s” (%s) should read as %s: %s", cases[i].input, cases[i].region,
                     cases[i].e164, error->message);
          g_assert_no_error (error);
          g_assert_cmpstr (result, ==, cases[i].e164);
        }
      else
        {
          if (result != NULL)
            g_error ("“%s” (%s) should fail, got %s", cases[i].input, cases[i].region, result);
          g_assert_nonnull (error);
          g_assert_true (error->domain == CP_CORE_ERROR);
          if (strstr (error->message, cases[i].message_part) == NULL)
            g_error ("message for “%s” lacks “%s”: %s", cases[i].input, cases[i].message_part,
                     error->message);
        }
    }
}

static void
test_phone_empty (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (cp_phone_normalize_e164 ("", "US", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED);
  g_clear_error (&error);
  g_assert_null (cp_phone_normalize_e164 (NULL, "US", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED);
}

static void
test_phone_display (void)
{
  static const char * const cases[][2] = {
    { "+15555550123", "+1 555-555-0123" },
    { "+16135550199", "+1 613-555-0199" },
    { "+442079460958", "+44 207 946 0958" },
    { "+33123456789", "+33 123 456 789" },
    { "+4930123456", "+49 3012 3456" },
    { "+35312345678", "+353 1234 5678" },
    { "+5511987654321", "+55 119 8765 4321" },
    { "+4532123456", "+45 3212 3456" },
    { "+4912345", "+49 12345" },
    { "not a number", "not a number" },
    { "5555550123", "5555550123" },
    { "+1555abc0123", "+1555abc0123" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *display = cp_phone_format_display (cases[i][0]);

      g_assert_cmpstr (display, ==, cases[i][1]);
    }

  g_assert_null (cp_phone_format_display (NULL));
}

static void
test_validate_text (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_validate_text (NULL, 10, FALSE, NULL));
  g_assert_true (cp_validate_text ("", 10, FALSE, NULL));
  g_assert_true (cp_validate_text ("ééééé", 5, FALSE, NULL));
  g_assert_false (cp_validate_text ("éééééé", 5, FALSE, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "6 characters"));
  g_clear_error (&error);
  g_assert_true (cp_validate_text ("long", 0, FALSE, NULL));
  g_assert_true (cp_validate_text ("a\nb\tc\r\n", 0, TRUE, NULL));
  g_assert_false (cp_validate_text ("a\nb", 0, FALSE, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_validate_text ("a\x01", 0, TRUE, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_validate_text ("\xc3\x28", 0, TRUE, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
}

static void
test_normalize_email (void)
{
  static const char * const cases[][2] = {
    { " John.Doe+news@GMail.com ", "johndoe@gmail.com" },
    { "j.o.h.n@googlemail.com", "john@gmail.com" },
    { "JOHN@gmail.com", "john@gmail.com" },
    { "Bob+x@Example.ORG", "bob@example.org" },
    { "bob.smith@example.org", "bob.smith@example.org" },
    { "bob.smith+a+b@example.org", "bob.smith@example.org" },
    { "+tag@example.org", "+tag@example.org" },
    { "Pat@Bücher.Example", "pat@xn--bcher-kva.example" },
    { "no-at-sign", "no-at-sign" },
    /* NFC and casefolded */
    { "SØREN@Example.ORG", "søren@example.org" },
    { "ZOË@EXAMPLE.COM", "zoë@example.com" },
    { "Zoe\xcc\x88@example.com", "zoë@example.com" },          /* NFD in, NFC out */
    { "García-López@Hospital.ES", "garcía-lópez@hospital.es" },
    { "Straße@example.de", "strasse@example.de" },            /* full casefolding */
    { "ΣΟΦΟΚΛΗΣ@example.gr", "σοφοκλησ@example.gr" },
    { "σοφοκλής@example.gr", "σοφοκλήσ@example.gr" },         /* final sigma */
    /* The domain in A-label form */
    { "josé@café.example", "josé@xn--caf-dma.example" },
    { "JOSÉ@CAFÉ.EXAMPLE", "josé@xn--caf-dma.example" },
    { "jose\xcc\x81@cafe\xcc\x81.example", "josé@xn--caf-dma.example" },
    { "josé@XN--CAF-DMA.example", "josé@xn--caf-dma.example" },
    { "用户@例子.广告", "用户@xn--fsqu00a.xn--4rr70v" },
    { "θσερ@εχαμπλε.ψομ", "θσερ@xn--mxahbxey0c.xn--xxaf0a" },
    { "pat@straße.de", "pat@xn--strae-oqa.de" },              /* IDNA keeps ß */
    /* Quotes only where they are needed */
    { "\"John\"@Example.org", "john@example.org" },
    { "\"john+intake\"@example.org", "john@example.org" },
    { "\"John Doe\"@example.org", "\"john doe\"@example.org" },
    { "\"john\\ doe\"@example.org", "\"john doe\"@example.org" },
    { "\"john doe+x\"@example.org", "\"john doe+x\"@example.org" },
    { "\"a\\\"b\\\\c\"@example.org", "\"a\\\"b\\\\c\"@example.org" },
    { "\"john@home\"@example.org", "\"john@home\"@example.org" },
    { "\"\"@example.org", "\"\"@example.org" },
    { "\"j.o.h.n\"@gmail.com", "john@gmail.com" },
    { "\"j.o h.n\"@gmail.com", "\"j.o h.n\"@gmail.com" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = cp_normalize_email (cases[i][0]);

      if (g_strcmp0 (key, cases[i][1]) != 0)
        g_error ("key of “%s” is “%s”, expected “%s”", cases[i][0], key, cases[i][1]);
    }

  g_assert_null (cp_normalize_email (NULL));
  g_assert_null (cp_normalize_email ("   "));
  g_assert_null (cp_normalize_email ("b\xffob@example.org"));
}

/* What the duplicate check relies on: the same mailbox, however typed,
 * has one key; different mailboxes have different keys. */
static void
test_normalize_email_pairs (void)
{
  static const char * const same[][2] = {
    { "SØREN@Example.ORG", "søren@example.org" },
    { "Zoe\xcc\x88@example.com", "zoë@example.com" },
    { "ZOË@example.com", "zoe\xcc\x88@example.com" },
    { "josé@café.example", "josé@xn--caf-dma.example" },
    { "JOSÉ@Café.Example", "jose\xcc\x81@XN--CAF-DMA.EXAMPLE" },
    { "pat@bücher.example", "pat@xn--bcher-kva.example" },
    { "pat@straße.de", "pat@xn--strae-oqa.de" },
    { "用户@例子.广告", "用户@xn--fsqu00a.xn--4rr70v" },
    { "ΘΣΕΡ@ΕΧΑΜΠΛΕ.ΨΟΜ", "θσερ@εχαμπλε.ψομ" },
    { "\"søren\"@clinic.org", "Søren@clinic.org" },
    { "søren+intake@clinic.org", "søren@clinic.org" },
  };
  static const char * const different[][2] = {
    { "josé@example.org", "jose@example.org" },               /* accents are letters */
    { "pat@straße.de", "pat@strasse.de" },                    /* different domains */
    { "pat@café.example", "pat@cafe.example" },
    { "\"john doe\"@example.org", "johndoe@example.org" },
    { "søren@clinic.org", "soren@clinic.org" },
    { "so\xcc\xb8ren@clinic.org", "søren@clinic.org" },      /* ø has no decomposition */
  };

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *a = cp_normalize_email (same[i][0]);
      g_autofree char *b = cp_normalize_email (same[i][1]);

      if (g_strcmp0 (a, b) != 0)
        g_error ("“%s” and “%s” should share a key: “%s”, “%s”", same[i][0], same[i][1], a, b);
    }

  for (guint i = 0; i < G_N_ELEMENTS (different); i++)
    {
      g_autofree char *a = cp_normalize_email (different[i][0]);
      g_autofree char *b = cp_normalize_email (different[i][1]);

      g_assert_nonnull (a);
      g_assert_nonnull (b);
      if (g_strcmp0 (a, b) == 0)
        g_error ("“%s” and “%s” should not share a key: “%s”", different[i][0], different[i][1], a);
    }
}

static void
test_normalize_name (void)
{
  static const char * const cases[][2] = {
    { "  José-Luis  O'Brien ", "jose luis obrien" },
    { "Zoë", "zoe" },
    { "ZOË", "zoe" },
    { "Nguyễn Thị Thảo", "nguyen thi thao" },
    { "Straße", "strasse" },
    { "Łukasz Wójcik", "lukasz wojcik" },
    { "Jose\xcc\x81", "jose" },     /* decomposed accent */
    { "Ｆｕｌｌ", "full" },          /* full-width */
    { "Mary\tJane", "mary jane" },
    { "Дмитрий", "дмитрий" },
    { "ДМИТРИЙ", "дмитрий" },
    { "美玲", "美玲" },
    { "محمد", "محمد" },
    { "अनन्या", "अनन्या" },         /* combining vowel signs stay */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normalized = cp_normalize_name (cases[i][0]);

      g_assert_cmpstr (normalized, ==, cases[i][1]);
    }

  g_assert_null (cp_normalize_name (NULL));
  g_assert_null (cp_normalize_name ("  ...  "));
}

/* A string of @len random ASCII bytes (controls, punctuation, letters,
 * digits, white space), no NUL. */
static char *
random_ascii (GRand *rand,
              guint  len)
{
  char *text = g_malloc (len + 1);

  for (guint i = 0; i < len; i++)
    text[i] = (char) g_rand_int_range (rand, 1, 0x80);
  text[len] = '\0';
  return text;
}

/* The ASCII fast paths (no Unicode normalisation or casefolding for a
 * plain ASCII value) give what the Unicode path gives: the same value
 * with a character the rules drop, or keep in place, sends it down the
 * Unicode path. */
static void
test_ascii_as_unicode (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1206);

  for (guint n = 0; n < 4000; n++)
    {
      g_autofree char *text = random_ascii (rand, (guint) g_rand_int_range (rand, 0, 24));
      /* U+00B7 MIDDLE DOT: punctuation, dropped from a name */
      g_autofree char *dotted = g_strconcat (text, "\u00b7", NULL);
      g_autofree char *name = cp_normalize_name (text);
      g_autofree char *name_unicode = cp_normalize_name (dotted);
      g_autofree char *accented = g_strconcat (text, "\u00e9", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) error_unicode = NULL;
      gboolean multiline = n % 2 == 0;
      gboolean valid = cp_validate_text (text, 30, multiline, &error);
      gboolean valid_unicode = cp_validate_text (accented, 31, multiline, &error_unicode);

      g_assert_cmpstr (name, ==, name_unicode);
      g_assert_cmpint (valid, ==, valid_unicode);
      if (!valid)
        g_assert_error (error_unicode, CP_CORE_ERROR, error->code);
    }

  /* Each ASCII character between two letters, against GLib's Unicode
   * classes: a separator, a kept letter or digit, or dropped. */
  for (gunichar c = 1; c < 0x80; c++)
    {
      g_autofree char *text = g_strdup_printf ("a%cb", (char) c);
      g_autofree char *name = cp_normalize_name (text);
      g_autofree char *expected = NULL;

      if (g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_DASH_PUNCTUATION ||
          c == '_' || c == '/')
        expected = g_strdup ("a b");
      else if (g_unichar_isalnum (c))
        expected = g_strdup_printf ("a%cb", (char) g_unichar_tolower (c));
      else
        expected = g_strdup ("ab");
      g_assert_cmpstr (name, ==, expected);
    }

  for (guint n = 0; n < 2000; n++)
    {
      /* an unquoted local part of letters, digits and dots; the domain ASCII */
      static const char alphabet[] = "abcXYZ019._-+";
      char local[16];
      guint len = (guint) g_rand_int_range (rand, 1, sizeof local);
      g_autofree char *email = NULL;
      g_autofree char *email_unicode = NULL;
      g_autofree char *key = NULL;
      g_autofree char *key_unicode = NULL;
      g_auto(GStrv) parts = NULL;

      for (guint i = 0; i < len - 1; i++)
        local[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      local[len - 1] = '\0';
      email = g_strdup_printf ("%sQ@Example.ORG", local);
      /* the same with a U+00B7 in the local part, dropped again from the key */
      email_unicode = g_strdup_printf ("%sQ\u00b7@Example.ORG", local);
      key = cp_normalize_email (email);
      key_unicode = cp_normalize_email (email_unicode);
      parts = g_strsplit (key_unicode != NULL ? key_unicode : "", "\u00b7", -1);
      g_free (key_unicode);
      key_unicode = g_strjoinv ("", parts);
      g_assert_cmpstr (key, ==, key_unicode);
    }
}

static void
test_name_key (void)
{
  g_autofree char *key = cp_normalize_name_key ("José", "García-López", " Oak  Park ");
  g_autofree char *same = cp_normalize_name_key ("JOSE", "garcia lopez", "oak park");
  g_autofree char *last_only = cp_normalize_name_key (NULL, "Nguyễn", "Riverside");
  g_autofree char *first_only = cp_normalize_name_key ("Zoë", "", "Riverside");

  g_assert_cmpstr (key, ==, "jose garcia lopez|oak park");
  g_assert_cmpstr (same, ==, key);
  g_assert_cmpstr (last_only, ==, "nguyen|riverside");
  g_assert_cmpstr (first_only, ==, "zoe|riverside");

  g_assert_null (cp_normalize_name_key (NULL, NULL, "Riverside"));
  g_assert_null (cp_normalize_name_key ("", " ", "Riverside"));
  g_assert_null (cp_normalize_name_key ("Pat", "Smith", NULL));
  g_assert_null (cp_normalize_name_key ("Pat", "Smith", "  "));
}

static void
test_match_keys (void)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autofree char *email = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *phone_gb = NULL;
  g_autofree char *name = NULL;

  g_assert_null (cp_lead_match_key (lead, CP_MATCH_EMAIL, "US"));
  g_assert_null (cp_lead_match_key (lead, CP_MATCH_PHONE, "US"));
  g_assert_null (cp_lead_match_key (lead, CP_MATCH_NAME_LOCATION, "US"));

  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "Pat.Smith+Intake@GMAIL.com");
  cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "(555) 555-0123");
  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Pät");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, "Smith");

  email = cp_lead_match_key (lead, CP_MATCH_EMAIL, "US");
  phone = cp_lead_match_key (lead, CP_MATCH_PHONE, "US");
  g_assert_cmpstr (email, ==, "patsmith@gmail.com");
  g_assert_cmpstr (phone, ==, "+15555550123");
  /* A national number means something else in another region. */
  phone_gb = cp_lead_match_key (lead, CP_MATCH_PHONE, "GB");
  g_assert_cmpstr (phone_gb, !=, phone);
  /* No location, no name key. */
  g_assert_null (cp_lead_match_key (lead, CP_MATCH_NAME_LOCATION, "US"));

  cp_lead_set_text (lead, CP_LEAD_FIELD_LOCATION, "Oak Park");
  name = cp_lead_match_key (lead, CP_MATCH_NAME_LOCATION, "US");
  g_assert_cmpstr (name, ==, "pat smith|oak park");

  /* The key the store looks duplicates up by: NFC, casefolded, A-label. */
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "JOSE\xcc\x81@Cafe\xcc\x81.Example");
  {
    g_autofree char *international = cp_lead_match_key (lead, CP_MATCH_EMAIL, "US");

    g_assert_cmpstr (international, ==, "josé@xn--caf-dma.example");
  }

  /* An unreadable phone number gives no key rather than a wrong one. */
  cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "ask at front desk");
  g_assert_null (cp_lead_match_key (lead, CP_MATCH_PHONE, "US"));

  g_assert_cmpstr (cp_match_kind_describe (CP_MATCH_EMAIL), ==, "same email");
  g_assert_cmpstr (cp_match_kind_describe (CP_MATCH_PHONE), ==, "same phone");
  g_assert_cmpstr (cp_match_kind_describe (CP_MATCH_NAME_LOCATION), ==,
                   "similar name at the same location");
}

/* The whole edit-distance table, as the definition says. */
static guint
reference_distance (const char *a,
                    const char *b)
{
  glong la, lb;
  g_autofree gunichar *ua = g_utf8_to_ucs4_fast (a, -1, &la);
  g_autofree gunichar *ub = g_utf8_to_ucs4_fast (b, -1, &lb);
  g_autofree guint *table = g_new (guint, (la + 1) * (lb + 1));

  for (glong i = 0; i <= la; i++)
    for (glong j = 0; j <= lb; j++)
      {
        guint *cell = &table[i * (lb + 1) + j];

        if (i == 0 || j == 0)
          *cell = (guint) (i + j);
        else
          *cell = MIN (MIN (table[(i - 1) * (lb + 1) + j], table[i * (lb + 1) + j - 1]) + 1,
                       table[(i - 1) * (lb + 1) + j - 1] + (ua[i - 1] == ub[j - 1] ? 0 : 1));
      }
  return table[la * (lb + 1) + lb];
}

static char *
random_name (GRand *rand)
{
  static const char * const letters[] = { "a", "b", "c", " ", "é", "ø", "美", "-" };
  /* mostly short, now and then longer than the 64 characters kept on the stack */
  guint length = g_rand_int_range (rand, 0, 10) == 0 ? g_rand_int_range (rand, 60, 80)
                                                      : g_rand_int_range (rand, 0, 14);
  GString *name = g_string_new (NULL);

  for (guint i = 0; i < length; i++)
    g_string_append (name, letters[g_rand_int_range (rand, 0, G_N_ELEMENTS (letters))]);
  return g_string_free (name, FALSE);
}

/* The banded computation agrees with the whole table: exact up to the
 * limit, limit + 1 past it; names near each other (one edited from the
 * other) as well as unrelated ones. */
static void
test_name_key_distance_band (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261206);
  const guint limits[] = { 0, 1, 2, 3, 5, G_MAXUINT - 1 };

  for (guint n = 0; n < 4000; n++)
    {
      g_autofree char *a = random_name (rand);
      g_autofree char *b = NULL;
      guint expected;

      if (n % 2 == 0)
        b = random_name (rand);
      else
        {
          /* a few edits of a */
          GString *edited = g_string_new (a);
          guint edits = g_rand_int_range (rand, 0, 4);

          for (guint e = 0; e < edits; e++)
            {
              glong chars = g_utf8_strlen (edited->str, -1);
              glong at = chars > 0 ? g_rand_int_range (rand, 0, chars) : 0;
              gsize offset = g_utf8_offset_to_pointer (edited->str, at) - edited->str;

              if (chars > 0 && g_rand_boolean (rand))
                g_string_erase (edited, offset,
                                g_utf8_next_char (edited->str + offset) - (edited->str + offset));
              else
                g_string_insert (edited, offset, "x");
            }
          b = g_string_free (edited, FALSE);
        }
      expected = reference_distance (a, b);
      for (guint l = 0; l < G_N_ELEMENTS (limits); l++)
        g_assert_cmpuint (cp_name_key_distance (a, b, limits[l]), ==,
                          expected <= limits[l] ? expected : limits[l] + 1);
    }
  /* bytes that begin no whole character count as one each, never read past the end */
  g_assert_cmpuint (cp_name_key_distance ("ab\xc3", "ab", 2), ==, 1);
  g_assert_cmpuint (cp_name_key_distance ("\xe7\xbe", "\xe7\xbe", 2), ==, 0);
}

/* As the duplicate search compares two names: their keys
 * (cp_normalize_name()), then the distance between the keys. */
static guint
name_distance (const char *a,
               const char *b)
{
  g_autofree char *key_a = cp_normalize_name (a);
  g_autofree char *key_b = cp_normalize_name (b);

  return cp_name_key_distance (key_a ? key_a : "", key_b ? key_b : "", G_MAXUINT - 1);
}

static void
test_name_distance (void)
{
  g_assert_cmpuint (name_distance ("kitten", "sitting"), ==, 3);
  g_assert_cmpuint (name_distance ("Jon", "John"), ==, 1);
  g_assert_cmpuint (name_distance ("John", "Jon"), ==, 1);
  g_assert_cmpuint (name_distance ("José", "JOSE"), ==, 0);
  g_assert_cmpuint (name_distance ("Catherine", "Katherine"), ==, 1);
  g_assert_cmpuint (name_distance ("Smith", "Smyth"), ==, 1);
  g_assert_cmpuint (name_distance ("", "abc"), ==, 3);
  g_assert_cmpuint (name_distance (NULL, "abc"), ==, 3);
  g_assert_cmpuint (name_distance ("abc", NULL), ==, 3);
  g_assert_cmpuint (name_distance (NULL, NULL), ==, 0);
  g_assert_cmpuint (name_distance ("flaw", "lawn"), ==, 2);
  /* Counted in characters, not bytes. */
  g_assert_cmpuint (name_distance ("美玲", "美"), ==, 1);
  g_assert_cmpuint (name_distance ("Дмитрий", "Дмитри"), ==, 1);
  g_assert_cmpuint (name_distance ("Mary-Jane", "mary jane"), ==, 0);

  /* On keys already normalised, with a limit: exact up to it, limit + 1 past it. */
  g_assert_cmpuint (cp_name_key_distance ("kitten", "sitting", 3), ==, 3);
  g_assert_cmpuint (cp_name_key_distance ("kitten", "sitting", 2), ==, 3);
  g_assert_cmpuint (cp_name_key_distance ("kitten", "sitting", 1), ==, 2);
  g_assert_cmpuint (cp_name_key_distance ("ann lee", "annabelle leopold", 2), ==,
                    3); /* lengths alone */
  g_assert_cmpuint (cp_name_key_distance ("maya patel", "maya patel", 0), ==, 0);
  g_assert_cmpuint (cp_name_key_distance ("", "ab", 5), ==, 2);
  g_assert_cmpuint (cp_name_key_distance ("美玲", "美", 1), ==, 1);
  /* Longer than the stack row: the same answer. */
  {
    g_autofree char *a = g_strnfill (100, 'a');
    g_autofree char *b = g_strnfill (99, 'a');

    g_assert_cmpuint (cp_name_key_distance (a, b, 2), ==, 1);
    g_assert_cmpuint (name_distance (a, b), ==, 1);
  }
}

static void
test_custom_key_from_label (void)
{
  static const struct { const char *label; const char *key; } cases[] = {
    { "Insurance member ID", "insurance_member_id" },
    { "  Referral -- code  ", "referral_code" },
    { "Préférence", "pr_f_rence" },          /* non-ASCII letters become separators */
    { "tier2", "tier2" },
    { "2nd contact", NULL },                 /* must start with a letter */
    { "", NULL },
    { "!!!", NULL },
  };
  g_autofree char *long_label = g_strnfill (65, 'a');
  g_autofree char *max_label = g_strnfill (64, 'a');
  g_autofree char *max_key = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = cp_custom_key_from_label (cases[i].label);

      g_assert_cmpstr (key, ==, cases[i].key);
      if (key != NULL)
        g_assert_true (cp_custom_key_is_valid (key));
    }
  g_assert_null (cp_custom_key_from_label (long_label));
  max_key = cp_custom_key_from_label (max_label);
  g_assert_cmpstr (max_key, ==, max_label);
  g_assert_false (cp_custom_key_is_valid ("Has_Capitals"));
  g_assert_false (cp_custom_key_is_valid ("_leading"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/validate/email/valid", test_email_valid);
  g_test_add_func ("/core/validate/name-key-distance-band", test_name_key_distance_band);
  g_test_add_func ("/core/validate/email/valid-international", test_email_valid_international);
  g_test_add_func ("/core/validate/email/invalid", test_email_invalid);
  g_test_add_func ("/core/validate/email/invalid-international", test_email_invalid_international);
  g_test_add_func ("/core/validate/email/messages", test_email_messages);
  g_test_add_func ("/core/validate/phone/normalize", test_phone_normalize);
  g_test_add_func ("/core/validate/phone/empty", test_phone_empty);
  g_test_add_func ("/core/validate/phone/display", test_phone_display);
  g_test_add_func ("/core/validate/text", test_validate_text);
  g_test_add_func ("/core/normalize/email", test_normalize_email);
  g_test_add_func ("/core/normalize/email-pairs", test_normalize_email_pairs);
  g_test_add_func ("/core/normalize/name", test_normalize_name);
  g_test_add_func ("/core/normalize/name-key", test_name_key);
  g_test_add_func ("/core/normalize/ascii-as-unicode", test_ascii_as_unicode);
  g_test_add_func ("/core/normalize/match-keys", test_match_keys);
  g_test_add_func ("/core/normalize/name-distance", test_name_distance);
  g_test_add_func ("/core/validate/custom-key-from-label", test_custom_key_from_label);

  return g_test_run ();
}
