/* cp-person-summary.c — a readable PDF summary of a person export
 *
 * Drawn from the JSON document cp_person_export_build() returns, never from
 * the database, so that the PDF and the JSON handed to the person cannot
 * disagree. A4 portrait; every line is wrapped to the page and paged on.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-person-summary"
#include "config.h"
#include "cp-person-summary.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "cp-lead.h"
#include "cp-private-file.h"

#define FONT_FAMILY "Cantarell, Sans"
#define PAGE_WIDTH  595.0  /* A4, in points */
#define PAGE_HEIGHT 842.0
#define MARGIN      56.0
#define BODY_SIZE   9.5
#define INDENT      14.0

typedef struct
{
  cairo_t *cr;
  double   y;
  guint    page;
} Pager;

static void
next_page (Pager *pager)
{
  cairo_show_page (pager->cr);
  pager->y = MARGIN;
  pager->page++;
}

/* Draws @text wrapped to the page width less @indent, line by line so
 * that a long value carries on onto the next page. */
static void
pager_text (Pager      *pager,
            const char *text,
            double      size,
            gboolean    bold,
            double      indent,
            double      grey)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (pager->cr);
  PangoFontDescription *font = pango_font_description_from_string (FONT_FAMILY);
  PangoLayoutIter *iter;

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_width (layout, (int) ((PAGE_WIDTH - 2 * MARGIN - indent) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  /* A hanging indent: a wrapped entry stands apart from the next one. */
  pango_layout_set_indent (layout, (int) (-INDENT * PANGO_SCALE));
  pango_layout_set_text (layout, text, -1);

  cairo_set_source_rgb (pager->cr, grey, grey, grey);
  iter = pango_layout_get_iter (layout);
  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      PangoRectangle logical;
      double height, baseline;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      height = (double) logical.height / PANGO_SCALE;
      baseline = (double) (pango_layout_iter_get_baseline (iter) - logical.y) / PANGO_SCALE;
      if (pager->y + height > PAGE_HEIGHT - MARGIN)
        {
          next_page (pager);
          cairo_set_source_rgb (pager->cr, grey, grey, grey);
        }
      cairo_move_to (pager->cr, MARGIN + indent + (double) logical.x / PANGO_SCALE,
                     pager->y + baseline);
      pango_cairo_show_layout_line (pager->cr, line);
      pager->y += height;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

static void
pager_heading (Pager      *pager,
               const char *text,
               double      size)
{
  /* A heading never ends a page alone. */
  if (pager->y + 3 * size > PAGE_HEIGHT - MARGIN)
    next_page (pager);
  else
    pager->y += size * 0.8;
  pager_text (pager, text, size, TRUE, 0, 0.0);
  pager->y += 3;
}

static void
pager_empty (Pager *pager)
{
  pager_text (pager, _("None."), BODY_SIZE, FALSE, INDENT, 0.45);
}

/* A member's value as text; NULL when absent or null. */
static char *
member_text (JsonObject *object,
             const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return g_strdup (json_node_get_string (node));
        case G_TYPE_BOOLEAN:
          return g_strdup (json_node_get_boolean (node) ? _("yes") : _("no"));
        case G_TYPE_INT64:
          return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return g_strdup_printf ("%g", json_node_get_double (node));
        default:
          break;
        }
    }
  return json_to_string (node, FALSE);
}

/* Joins the non-empty @parts with " · ". */
static char *
join_present (char **parts,
              guint  n)
{
  GString *line = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    if (parts[i] != NULL && parts[i][0] != '\0')
      {
        if (line->len > 0)
          g_string_append (line, " · ");
        g_string_append (line, parts[i]);
      }
  return g_string_free (line, FALSE);
}

static JsonArray *
array_member (JsonObject *object,
              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
render_fields (Pager      *pager,
               JsonObject *lead)
{
  JsonObject *fields = object_member (lead, "fields");
  guint shown = 0;

  pager_heading (pager, _("Fields"), 12);
  for (CpLeadField f = 0; fields != NULL && f < CP_LEAD_N_FIELDS; f++)
    {
      const CpFieldInfo *info = cp_lead_field_info (f);
      g_autofree char *value = member_text (fields, info->name);
      g_autofree char *line = NULL;

      if (value == NULL || value[0] == '\0')
        continue;
      line = g_strdup_printf ("%s: %s", _(info->label), value);
      pager_text (pager, line, BODY_SIZE, FALSE, INDENT, 0.1);
      shown++;
    }
  if (shown == 0)
    pager_empty (pager);
}

static void
render_custom_fields (Pager      *pager,
                      JsonObject *lead)
{
  JsonObject *custom = object_member (lead, "custom_fields");
  g_autoptr(GList) names = custom != NULL ? json_object_get_members (custom) : NULL;

  pager_heading (pager, _("Custom fields"), 12);
  names = g_list_sort (names, (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autofree char *value = member_text (custom, l->data);
      g_autofree char *line = g_strdup_printf ("%s: %s", (char *) l->data, value ? value : "");

      pager_text (pager, line, BODY_SIZE, FALSE, INDENT, 0.1);
    }
  if (names == NULL)
    pager_empty (pager);
}

/* One line per element of @array, from the members @columns: the first
 * column (a date) set apart, the rest joined. */
static void
render_rows (Pager             *pager,
             const char        *heading,
             JsonArray         *array,
             const char * const *columns,
             guint              n_columns,
             const char        *arrow_from,
             const char        *arrow_to)
{
  guint n = array != NULL ? json_array_get_length (array) : 0;

  pager_heading (pager, heading, 12);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *line = NULL;

      for (guint c = 0; c < n_columns; c++)
        {
          char *value = member_text (row, columns[c]);

          /* An unset time is 0 in the document: nothing to show. */
          if (g_strcmp0 (value, "0") == 0 && g_str_has_suffix (columns[c], "_at"))
            g_clear_pointer (&value, g_free);
          g_ptr_array_add (parts, value);
        }
      if (arrow_from != NULL)
        {
          g_autofree char *from = member_text (row, arrow_from);
          g_autofree char *to = member_text (row, arrow_to);

          if (from != NULL || to != NULL)
            g_ptr_array_add (parts, g_strdup_printf ("%s → %s", from ? from : "—", to ? to : "—"));
        }
      line = join_present ((char **) parts->pdata, parts->len);
      pager_text (pager, line, BODY_SIZE, FALSE, INDENT, 0.1);
    }
  if (n == 0)
    pager_empty (pager);
}

static void
render_lead (Pager      *pager,
             JsonObject *lead)
{
  static const char * const activity[] = { "occurred_at", "kind", "disposition", "detail",
                                           "actor" };
  static const char * const stage[] = { "device_time", "actor", "reason" };
  static const char * const audit[] = { "time", "actor", "action", "field" };
  static const char * const links[] = { "backend", "remote_id", "remote_updated_at",
                                        "remote_deleted_at" };
  g_autofree char *id = member_text (lead, "id");
  g_autofree char *relation = member_text (lead, "relation");
  g_autofree char *heading = NULL;

  /* Translators: %s is a lead's id */
  heading = g_strdup_printf (_("Record %s"), id ? id : "");
  pager_heading (pager, heading, 15);
  if (relation != NULL)
    pager_text (pager, relation, BODY_SIZE, FALSE, 0, 0.45);
  render_fields (pager, lead);
  render_custom_fields (pager, lead);
  render_rows (pager, _("Activities"), array_member (lead, "activities"), activity,
               G_N_ELEMENTS (activity), NULL, NULL);
  render_rows (pager, _("Stage history"), array_member (lead, "stage_events"), stage,
               G_N_ELEMENTS (stage), "from_stage", "to_stage");
  render_rows (pager, _("Audit entries"), array_member (lead, "audit"), audit,
               G_N_ELEMENTS (audit), "old_value", "new_value");
  render_rows (pager, _("CRM links"), array_member (lead, "sync_links"), links,
               G_N_ELEMENTS (links), NULL, NULL);
}

/* "First Last" of the lead asked about, or its id when it has no name. */
static char *
person_name (JsonObject *root)
{
  JsonArray *leads = array_member (root, "leads");
  JsonObject *fields = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  char *name;

  if (leads != NULL && json_array_get_length (leads) > 0)
    fields = object_member (json_array_get_object_element (leads, 0), "fields");
  first = member_text (fields, "first_name");
  last = member_text (fields, "last_name");
  name = g_strdup_printf ("%s %s", first ? first : "", last ? last : "");
  g_strstrip (name);
  if (name[0] != '\0')
    return name;
  g_free (name);
  return member_text (root, "lead_id");
}

static void
render_document (Pager      *pager,
                 JsonObject *root)
{
  static const char * const merge[] = { "time", "actor", "keep_id", "other_id", "undone_at" };
  g_autofree char *name = person_name (root);
  g_autofree char *title = NULL;
  g_autofree char *date = member_text (root, "exported_at");
  g_autofree char *subtitle = NULL;
  JsonArray *leads = array_member (root, "leads");

  /* Translators: %s is a person's name */
  title = g_strdup_printf (_("Everything Carepath holds about %s"), name ? name : "");
  pager_text (pager, title, 20, TRUE, 0, 0.0);
  pager->y += 4;
  /* Translators: %s is a date and time (ISO 8601, UTC) */
  subtitle = g_strdup_printf (_("Exported %s. The JSON export that came with this summary "
                                "holds every detail."), date ? date : "");
  pager_text (pager, subtitle, BODY_SIZE, FALSE, 0, 0.45);
  pager->y += 6;

  for (guint i = 0; leads != NULL && i < json_array_get_length (leads); i++)
    render_lead (pager, json_array_get_object_element (leads, i));
  render_rows (pager, _("Merges"), array_member (root, "merges"), merge, G_N_ELEMENTS (merge),
               NULL, NULL);
}

static cairo_status_t
append_bytes_cb (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

/**
 * cp_person_summary_write_pdf:
 * @document: a document from cp_person_export_build()
 * @file: where to write; replaced whole, readable by its owner only (0600)
 *
 * Writes a readable A4 summary of @document: the person's fields, custom
 * fields, activities, stage history, audit entries, CRM links and merges.
 */
gboolean
cp_person_summary_write_pdf (JsonNode  *document,
                             GFile     *file,
                             GError   **error)
{
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  Pager pager = { NULL, MARGIN, 1 };
  JsonObject *root;

  g_return_val_if_fail (document != NULL && JSON_NODE_HOLDS_OBJECT (document), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  root = json_node_get_object (document);
  name = person_name (root);
  title = g_strdup_printf (_("Everything Carepath holds about %s"), name ? name : "");
  surface = cairo_pdf_surface_create_for_stream (append_bytes_cb, pdf, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Carepath");
  pager.cr = cairo_create (surface);
  render_document (&pager, root);
  cairo_show_page (pager.cr);
  cairo_destroy (pager.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status == CAIRO_STATUS_SUCCESS &&
      cp_private_file_replace (file, pdf->data, pdf->len, &local_error))
    return TRUE;
  {
    g_autofree char *path = g_file_get_parse_name (file);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”: %s"), path,
                 local_error != NULL ? local_error->message : cairo_status_to_string (status));
  }
  return FALSE;
}

/**
 * cp_person_summary_file_for:
 * @json: where a person's export is written
 *
 * Where the app writes the export's summary: next to it, "x.json" →
 * "x.pdf"; when that file is there already — no one chose to replace it —
 * "x (2).pdf", "x (3).pdf" and on.
 *
 * Returns: (transfer full) (nullable): the file, or %NULL when @json has
 *   no local path
 */
GFile *
cp_person_summary_file_for (GFile *json)
{
  g_autofree char *path = NULL;
  g_autofree char *stem = NULL;

  g_return_val_if_fail (G_IS_FILE (json), NULL);

  path = g_file_get_path (json);
  if (path == NULL)
    return NULL;
  stem = g_str_has_suffix (path, ".json") ? g_strndup (path, strlen (path) - 5)
                                          : g_strdup (path);
  for (guint n = 1;; n++)
    {
      g_autofree char *pdf = n == 1 ? g_strconcat (stem, ".pdf", NULL)
                                    : g_strdup_printf ("%s (%u).pdf", stem, n);

      if (!g_file_test (pdf, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK))
        return g_file_new_for_path (pdf);
    }
}
