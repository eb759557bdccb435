/* cp-json-member.c — reading and writing the members of a JSON document
 *
 * Every reader refuses what it does not expect with a %CP_CORE_ERROR_INVALID
 * error of the form "PATH: REASON" (cp_set_path_error()), so a user can find
 * the mistake in a hand-edited file.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-json-member"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-json-member.h"

/* ---- reading ---- */

gboolean
cp_json_path_error (GError     **error,
                    const char  *path,
                    const char  *format,
                    ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  return cp_set_path_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID, path, "%s", reason);
}

char *
cp_json_member_path (const char *path,
                     const char *member)
{
  return *path != '\0' ? g_strdup_printf ("%s.%s", path, member) : g_strdup (member);
}

char *
cp_json_index_path (const char *path,
                    guint       index)
{
  return g_strdup_printf ("%s[%u]", path, index);
}

gboolean
cp_json_check_members (JsonObject          *object,
                       const char          *path,
                       const char * const  *allowed,
                       GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *p = cp_json_member_path (path, l->data);

        return cp_json_path_error (error, p, _("unknown member \"%s\""), (const char *) l->data);
      }
  return TRUE;
}

gboolean
cp_json_read_object (JsonNode    *node,
                     const char  *path,
                     JsonObject **out,
                     GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return cp_json_path_error (error, path, _("expected an object"));
  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
cp_json_read_array (JsonObject  *object,
                    const char  *path,
                    const char  *member,
                    gboolean     required,
                    JsonArray  **out,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *p = cp_json_member_path (path, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? cp_json_path_error (error, p, _("is required")) : TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return cp_json_path_error (error, p, _("expected a list"));
  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
cp_json_read_string (JsonObject  *object,
                     const char  *path,
                     const char  *member,
                     gboolean     required,
                     char       **out,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *p = cp_json_member_path (path, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? cp_json_path_error (error, p, _("is required")) : TRUE;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return cp_json_path_error (error, p, _("expected text"));
  if (required && *json_node_get_string (node) == '\0')
    return cp_json_path_error (error, p, _("cannot be empty"));
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

gboolean
cp_json_read_int (JsonObject  *object,
                  const char  *path,
                  const char  *member,
                  gboolean     required,
                  gint64       min,
                  gint64       max,
                  gint64      *out,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *p = cp_json_member_path (path, member);
  gint64 value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? cp_json_path_error (error, p, _("is required")) : TRUE;
  /* An integer beyond 64 bits was marked as an infinite number before
   * parsing (cp_json_mark_huge_integers()); JSON has no other way to
   * write one. */
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE && isinf (json_node_get_double (node)))
    return cp_json_path_error (error, p, _("the number is out of range (%" G_GINT64_FORMAT
                                           "–%" G_GINT64_FORMAT ")"), min, max);
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    return cp_json_path_error (error, p, _("expected a whole number"));
  value = json_node_get_int (node);
  if (value < min || value > max)
    return cp_json_path_error (error, p, _("%" G_GINT64_FORMAT " is out of range (%" G_GINT64_FORMAT
                                           "–%" G_GINT64_FORMAT ")"), value, min, max);
  *out = value;
  return TRUE;
}

gboolean
cp_json_read_number (JsonNode    *node,
                     const char  *path,
                     double      *out,
                     GError     **error)
{
  GType type = G_TYPE_INVALID;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return cp_json_path_error (error, path, _("expected a number"));
  if (!isfinite (*out))
    return cp_json_path_error (error, path, _("the number is out of range"));
  return TRUE;
}

gboolean
cp_json_read_bool (JsonObject  *object,
                   const char  *path,
                   const char  *member,
                   gboolean    *out,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *p = cp_json_member_path (path, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return cp_json_path_error (error, p, _("expected true or false"));
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
cp_json_read_strv_node (JsonNode    *node,
                        const char  *path,
                        char      ***out,
                        GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return cp_json_path_error (error, path, _("expected a list of text"));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_autofree char *p = cp_json_index_path (path, i);

          return cp_json_path_error (error, p, _("expected text"));
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;
}

gboolean
cp_json_read_strv (JsonObject  *object,
                   const char  *path,
                   const char  *member,
                   char      ***out,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *p = cp_json_member_path (path, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  return cp_json_read_strv_node (node, p, out, error);
}

/* ---- writing ---- */

void
cp_json_add_strv (JsonBuilder *builder,
                  const char  *member,
                  char       **strv)
{
  if (strv == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

void
cp_json_add_string (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

void
cp_json_add_int (JsonBuilder *builder,
                 const char  *member,
                 gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

