/* cp-json-member.h — reading and writing the members of a JSON document, with
 * errors that name the path of the problem
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Paths name the place of a problem: "stages[2].entry.op". */
char     *cp_json_member_path    (const char          *path,
                                  const char          *member);
char     *cp_json_index_path     (const char          *path,
                                  guint                index);
gboolean  cp_json_path_error     (GError             **error,
                                  const char          *path,
                                  const char          *format,
                                  ...) G_GNUC_PRINTF (3, 4);

gboolean  cp_json_check_members  (JsonObject          *object,
                                  const char          *path,
                                  const char * const  *allowed,
                                  GError             **error);
gboolean  cp_json_read_object    (JsonNode            *node,
                                  const char          *path,
                                  JsonObject         **out,
                                  GError             **error);
gboolean  cp_json_read_array     (JsonObject          *object,
                                  const char          *path,
                                  const char          *member,
                                  gboolean             required,
                                  JsonArray          **out,
                                  GError             **error);
gboolean  cp_json_read_string    (JsonObject          *object,
                                  const char          *path,
                                  const char          *member,
                                  gboolean             required,
                                  char               **out,
                                  GError             **error);
gboolean  cp_json_read_int       (JsonObject          *object,
                                  const char          *path,
                                  const char          *member,
                                  gboolean             required,
                                  gint64               min,
                                  gint64               max,
                                  gint64              *out,
                                  GError             **error);
gboolean  cp_json_read_number    (JsonNode            *node,
                                  const char          *path,
                                  double              *out,
                                  GError             **error);
gboolean  cp_json_read_bool      (JsonObject          *object,
                                  const char          *path,
                                  const char          *member,
                                  gboolean            *out,
                                  GError             **error);
gboolean  cp_json_read_strv_node (JsonNode            *node,
                                  const char          *path,
                                  char              ***out,
                                  GError             **error);
gboolean  cp_json_read_strv      (JsonObject          *object,
                                  const char          *path,
                                  const char          *member,
                                  char              ***out,
                                  GError             **error);

void      cp_json_add_string     (JsonBuilder         *builder,
                                  const char          *member,
                                  const char          *value);
void      cp_json_add_int        (JsonBuilder         *builder,
                                  const char          *member,
                                  gint64               value);
void      cp_json_add_strv       (JsonBuilder         *builder,
                                  const char          *member,
                                  char               **strv);

G_END_DECLS
