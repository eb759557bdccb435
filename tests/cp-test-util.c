/* cp-test-util.c — what many tests need: temporary folders and databases
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "cp-test-util.h"

/* A fresh folder under the temp dir; remove it with cp_test_remove_tree(). */
char *
cp_test_make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("carepath-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
cp_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      cp_test_remove_tree (child);
    }
  g_remove (path);
}

/* A new database `leads.db` in @dir, asserting that it opens. */
CpDatabase *
cp_test_open_database (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "leads.db", NULL);
  CpDatabase *database = cp_database_open (path, &error);

  g_assert_no_error (error);
  return database;
}

/**
 * cp_test_create_lead:
 * @first_field: a text field, then its value, then more pairs, ending
 *   with %CP_LEAD_N_FIELDS
 *
 * Returns: (transfer full): the id of the stored lead
 */
char *
cp_test_create_lead (CpLeadStore *store,
                     CpLeadField  first_field,
                     ...)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, first_field);
  for (CpLeadField field = first_field; field != CP_LEAD_N_FIELDS; field = va_arg (args, CpLeadField))
    cp_lead_set_text (lead, field, va_arg (args, const char *));
  va_end (args);

  g_assert_true (cp_lead_store_create (store, lead, "test", &error));
  g_assert_no_error (error);
  return g_strdup (cp_lead_get_id (lead));
}
