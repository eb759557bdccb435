/* cp-lead-dup-names.c — leads with a similar name at the same location, at a cost bounded per lookup
 *
 * A similar name (at most two letters apart) at the same location is weak
 * evidence: only ever a flag. Its search reads the (location, name) index
 * from the name itself outwards, CP_DUP_NAME_NEIGHBOURS keys each way
 * within the names that begin with the same two bytes, so its cost does
 * not grow with the database: at a million leads a location holds
 * thousands of names of one prefix, and reading them all made each
 * lookup (and each imported row) slower as the database grew. The closest
 * names in the index's order are those sharing the longest beginning; a
 * name further away that differs early (“Jon Smith”, “Joan Smith”) may be
 * beyond the neighbours read when that many names lie between them, and
 * a typo in the first two letters is not caught. At most
 * CP_DUP_NAME_CANDIDATES leads are returned, the closest names first.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-lead-store-private.h"
#include "cp-normalize.h"

typedef struct
{
  gint64 rowid;
  guint  distance;
  guint  order;
} Near;

static int
near_compare (gconstpointer a,
              gconstpointer b)
{
  const Near *x = a, *y = b;

  if (x->distance != y->distance)
    return x->distance < y->distance ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Reads one side of the name's neighbourhood (@statement: upwards from
 * the name, or downwards to it) into @near. */
static gboolean
read_side (CpDatabase  *database,
           CpStatement  statement,
           const char  *location_key,
           const char  *low,
           const char  *high,
           const char  *name,
           guint        allowed,
           GArray      *near,
           GError     **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (database, statement, error);
  gsize suffix = strlen (location_key) + 1;
  int rc;

  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, location_key);
  _cp_bind_text (stmt, 2, low);
  _cp_bind_text (stmt, 3, high);
  sqlite3_bind_int (stmt, 4, CP_DUP_NAME_NEIGHBOURS);
  /* The names are read from the index alone; only the close ones are
   * looked up in the table (live, and not the lead itself). */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      /* The stored key is the normalised name, "|", then the location
       * key the row matched on: the name is read back, not redone. */
      const char *key = _cp_column_text (stmt, 1);
      gsize key_length = key != NULL ? strlen (key) : 0;
      char stack_other[128];
      g_autofree char *heap_other = NULL;
      char *other;
      Near found;

      if (key_length <= suffix)
        continue;
      /* dozens of keys per lookup: no allocation for the usual name */
      if (key_length - suffix < sizeof stack_other)
        {
          other = stack_other;
          memcpy (other, key, key_length - suffix);
          other[key_length - suffix] = '\0';
        }
      else
        other = heap_other = g_strndup (key, key_length - suffix);
      found.distance = cp_name_key_distance (name, other, allowed);
      if (found.distance > allowed)
        continue;
      found.rowid = sqlite3_column_int64 (stmt, 0);
      found.order = near->len;
      g_array_append_val (near, found);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not look for duplicates"));
      return FALSE;
    }
  return TRUE;
}

/**
 * _cp_lead_store_similar_names:
 * @name: the normalised full name (full_name_key())
 * @location_key: the normalised location
 * @own_id: (nullable): the lead itself, never its own duplicate
 * @max: how many to find at most (up to CP_DUP_NAME_CANDIDATES)
 * @ids: (element-type utf8): where the ids of the live leads found are added
 *
 * Live leads at @location_key whose name is at most two letters (one for
 * a name under eight letters) from @name: at most @max, the closest
 * first, from at most 2 × CP_DUP_NAME_NEIGHBOURS index entries read.
 */
gboolean
_cp_lead_store_similar_names (CpLeadStore  *self,
                              const char   *name,
                              const char   *location_key,
                              const char   *own_id,
                              guint         max,
                              GPtrArray    *ids,
                              GError      **error)
{
  CpDatabase *database = cp_lead_store_get_database (self);
  g_autoptr(GArray) near = g_array_new (FALSE, FALSE, sizeof (Near));
  guint allowed = g_utf8_strlen (name, -1) >= 8 ? 2 : 1;
  /* Only names that begin with the same two bytes are compared: an index
   * range (a typo in the first two letters is not caught). */
  gsize prefix_length = MIN (strlen (name), 2);
  g_autofree char *from = g_strndup (name, prefix_length);
  g_autofree char *to = g_strndup (name, prefix_length);

  to[prefix_length - 1]++;
  /* Upwards from the name itself (its own key "name|location" sorts just
   * after it), then downwards from it. */
  if (!read_side (database, CP_STMT_DUP_NAME_UP, location_key, name, to, name, allowed, near, error) ||
      !read_side (database, CP_STMT_DUP_NAME_DOWN, location_key, from, name, name, allowed, near, error))
    return FALSE;
  g_array_sort (near, near_compare);

  for (guint i = 0; i < near->len && ids->len < MIN (max, CP_DUP_NAME_CANDIDATES); i++)
    {
      sqlite3_stmt *stmt = _cp_database_statement (database, CP_STMT_DUP_LIVE_ID, error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (near, Near, i).rowid);
      _cp_bind_text (stmt, 2, own_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        g_ptr_array_add (ids, g_strdup (_cp_column_text (stmt, 0)));
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          _cp_database_set_error (database, error, rc, _("Could not look for duplicates"));
          return FALSE;
        }
    }
  return TRUE;
}
