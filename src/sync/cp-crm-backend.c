/* cp-crm-backend.c — what the sync engine needs from a remote CRM
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-crm-backend"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cp-crm-backend-private.h"
#include "cp-stages.h"
#include "cp-sync-error.h"

G_DEFINE_INTERFACE (CpCrmBackend, cp_crm_backend, G_TYPE_OBJECT)

static void
cp_crm_backend_default_init (CpCrmBackendInterface *iface)
{
}

CpCrmRecord *
cp_crm_record_new (const char *remote_id,
                   const char *updated_at,
                   const char *cursor)
{
  CpCrmRecord *record = g_new0 (CpCrmRecord, 1);

  record->remote_id = g_strdup (remote_id);
  record->updated_at = g_strdup (updated_at);
  record->cursor = g_strdup (cursor);
  record->properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return record;
}

void
cp_crm_record_free (CpCrmRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->remote_id);
  g_free (record->updated_at);
  g_free (record->cursor);
  g_clear_pointer (&record->properties, g_hash_table_unref);
  g_free (record);
}

void
cp_crm_page_free (CpCrmPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->records, g_ptr_array_unref);
  g_free (page->next_page);
  g_free (page);
}

CpCrmChange *
cp_crm_change_new (const char *lead_id,
                   const char *remote_id)
{
  CpCrmChange *change = g_new0 (CpCrmChange, 1);

  change->lead_id = g_strdup (lead_id);
  change->remote_id = g_strdup (remote_id);
  change->properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return change;
}

void
cp_crm_change_free (CpCrmChange *change)
{
  if (change == NULL)
    return;
  g_free (change->lead_id);
  g_free (change->remote_id);
  g_free (change->previous_stage);
  g_clear_pointer (&change->properties, g_hash_table_unref);
  g_free (change);
}

void
cp_crm_push_result_free (CpCrmPushResult *result)
{
  if (result == NULL)
    return;
  g_free (result->lead_id);
  g_free (result->remote_id);
  g_free (result->updated_at);
  g_clear_error (&result->error);
  g_free (result);
}

CpCrmSetup *
cp_crm_setup_new (void)
{
  CpCrmSetup *setup = g_new0 (CpCrmSetup, 1);

  setup->missing = g_ptr_array_new_with_free_func (g_free);
  setup->created = g_ptr_array_new_with_free_func (g_free);
  return setup;
}

void
cp_crm_setup_free (CpCrmSetup *setup)
{
  if (setup == NULL)
    return;
  g_clear_pointer (&setup->missing, g_ptr_array_unref);
  g_clear_pointer (&setup->created, g_ptr_array_unref);
  g_free (setup);
}

/* Returns: %TRUE when nothing is missing: sync can write to the CRM */
gboolean
cp_crm_setup_is_ready (const CpCrmSetup *setup)
{
  g_return_val_if_fail (setup != NULL, FALSE);

  return setup->missing->len == 0;
}

const char *
cp_crm_backend_get_name (CpCrmBackend *self)
{
  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), NULL);

  return CP_CRM_BACKEND_GET_IFACE (self)->get_name (self);
}

/* The team's mapping, when it differs from the backend's defaults. */
typedef struct
{
  GArray     *fields;    /* CpCrmFieldMap: the effective field map */
  GPtrArray  *strings;   /* owns the property names in @fields */
  GHashTable *stages;    /* Carepath stage → CRM value */
} MappingOverrides;

static void
mapping_overrides_free (MappingOverrides *overrides)
{
  g_array_unref (overrides->fields);
  g_ptr_array_unref (overrides->strings);
  g_clear_pointer (&overrides->stages, g_hash_table_unref);
  g_free (overrides);
}

static MappingOverrides *
get_overrides (CpCrmBackend *self)
{
  return g_object_get_data (G_OBJECT (self), "cp-crm-mapping-overrides");
}

/**
 * cp_crm_backend_get_field_map:
 *
 * Returns: the field map in effect: the defaults with the team's changes
 *   (cp_crm_backend_set_mapping())
 */
const CpCrmFieldMap *
cp_crm_backend_get_field_map (CpCrmBackend *self,
                              guint        *n_fields)
{
  MappingOverrides *overrides;

  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), NULL);

  overrides = get_overrides (self);
  if (overrides == NULL)
    return CP_CRM_BACKEND_GET_IFACE (self)->get_field_map (self, n_fields);
  *n_fields = overrides->fields->len;
  return (const CpCrmFieldMap *) (gpointer) overrides->fields->data;
}

/**
 * cp_crm_backend_set_mapping:
 * @fields: (nullable): canonical field name → CRM property; "" stops
 *   syncing a field the defaults map. The stage is never remapped here
 *   (it goes through @stages).
 * @stages: (nullable): Carepath stage id → CRM stage value
 *
 * Applies the team's mapping on top of the backend's defaults. Names must
 * have been checked (cp_crm_mapping_validate()); unknown fields are
 * ignored.
 */
void
cp_crm_backend_set_mapping (CpCrmBackend *self,
                            GHashTable   *fields,
                            GHashTable   *stages)
{
  MappingOverrides *overrides;
  const CpCrmFieldMap *defaults;
  guint n_defaults = 0;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (CP_IS_CRM_BACKEND (self));

  overrides = g_new0 (MappingOverrides, 1);
  overrides->fields = g_array_new (FALSE, FALSE, sizeof (CpCrmFieldMap));
  overrides->strings = g_ptr_array_new_with_free_func (g_free);
  defaults = CP_CRM_BACKEND_GET_IFACE (self)->get_field_map (self, &n_defaults);
  for (guint i = 0; i < n_defaults; i++)
    {
      const char *property = defaults[i].property;
      const char *changed = fields != NULL && defaults[i].field != CP_LEAD_FIELD_STAGE
                            ? g_hash_table_lookup (fields, cp_lead_field_info (defaults[i].field)->name)
                            : NULL;
      CpCrmFieldMap entry = { defaults[i].field, property };

      if (changed != NULL && *changed == '\0')
        continue;
      if (changed != NULL)
        {
          entry.property = g_strdup (changed);
          g_ptr_array_add (overrides->strings, (gpointer) entry.property);
        }
      g_array_append_val (overrides->fields, entry);
    }
  /* Fields the defaults leave out. */
  if (fields != NULL)
    {
      g_hash_table_iter_init (&iter, fields);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          CpLeadField field;
          CpCrmFieldMap entry;
          gboolean known = FALSE;

          if (*(const char *) value == '\0' || !cp_lead_field_from_name (key, &field) ||
              field == CP_LEAD_FIELD_STAGE)
            continue;
          for (guint i = 0; i < n_defaults && !known; i++)
            known = defaults[i].field == field;
          if (known)
            continue;
          entry.field = field;
          entry.property = g_strdup (value);
          g_ptr_array_add (overrides->strings, (gpointer) entry.property);
          g_array_append_val (overrides->fields, entry);
        }
    }
  if (stages != NULL && g_hash_table_size (stages) > 0)
    {
      overrides->stages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_iter_init (&iter, stages);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (*(const char *) value != '\0')
          g_hash_table_insert (overrides->stages, g_strdup (key), g_strdup (value));
    }
  g_object_set_data_full (G_OBJECT (self), "cp-crm-mapping-overrides", overrides,
                          (GDestroyNotify) mapping_overrides_free);
}

/* The CRM property that holds Carepath's lead id: unique, so pushes are upserts. */
const char *
cp_crm_backend_get_id_property (CpCrmBackend *self)
{
  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), NULL);

  return CP_CRM_BACKEND_GET_IFACE (self)->get_id_property (self);
}

guint
cp_crm_backend_get_batch_size (CpCrmBackend *self)
{
  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), 1);

  return CP_CRM_BACKEND_GET_IFACE (self)->get_batch_size (self);
}

CpCrmClient *
cp_crm_backend_get_client (CpCrmBackend *self)
{
  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), NULL);

  return CP_CRM_BACKEND_GET_IFACE (self)->get_client (self);
}

/* Reads what the CRM allows (e.g. its lifecycle stage options). */
gboolean
cp_crm_backend_read_schema (CpCrmBackend  *self,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), FALSE);

  return CP_CRM_BACKEND_GET_IFACE (self)->read_schema (self, cancellable, error);
}

/* Returns: (transfer full) (nullable): the CRM value for @stage, NULL if unmapped */
char *
cp_crm_backend_stage_to_remote (CpCrmBackend *self,
                                const char   *stage)
{
  MappingOverrides *overrides;
  const char *value;

  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), NULL);

  overrides = get_overrides (self);
  value = overrides != NULL && overrides->stages != NULL && stage != NULL
          ? g_hash_table_lookup (overrides->stages, stage) : NULL;
  if (value != NULL)
    return g_strdup (value);
  return CP_CRM_BACKEND_GET_IFACE (self)->stage_to_remote (self, stage);
}

/**
 * cp_crm_backend_stage_is_option:
 *
 * Returns: whether @value is one of the CRM's own stage options (as read
 *   by the last cp_crm_backend_read_schema()), mapped here or not
 */
gboolean
cp_crm_backend_stage_is_option (CpCrmBackend *self,
                                const char   *value)
{
  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), FALSE);

  return value != NULL && CP_CRM_BACKEND_GET_IFACE (self)->stage_is_option (self, value);
}

/* Returns: (transfer full) (nullable): the Carepath stage for a CRM value */
char *
cp_crm_backend_stage_from_remote (CpCrmBackend *self,
                                  const char   *value)
{
  MappingOverrides *overrides;
  g_autofree char *from = NULL;
  g_autoptr(GList) stages = NULL;

  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), NULL);

  from = CP_CRM_BACKEND_GET_IFACE (self)->stage_from_remote (self, value);
  overrides = get_overrides (self);
  if (overrides == NULL || overrides->stages == NULL || value == NULL)
    return g_steal_pointer (&from);

  /* The default answer holds unless the team sent that stage elsewhere;
   * otherwise the first stage (by id) the team maps to @value. */
  if (from != NULL)
    {
      const char *now = g_hash_table_lookup (overrides->stages, from);

      if (now == NULL || g_str_equal (now, value))
        return g_steal_pointer (&from);
    }
  stages = g_list_sort (g_hash_table_get_keys (overrides->stages), (GCompareFunc) g_strcmp0);
  for (GList *l = stages; l != NULL; l = l->next)
    if (g_str_equal (g_hash_table_lookup (overrides->stages, l->data), value))
      return g_strdup (l->data);
  return NULL;
}

/**
 * cp_crm_backend_pull_page:
 * @cursor: (nullable): the committed cursor, %NULL for a first pull
 * @page: (nullable): the page token of the running query, %NULL to start one
 */
CpCrmPage *
cp_crm_backend_pull_page (CpCrmBackend  *self,
                          const char    *cursor,
                          const char    *page,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), NULL);

  return CP_CRM_BACKEND_GET_IFACE (self)->pull_page (self, cursor, page, cancellable, error);
}

/**
 * cp_crm_backend_pull_deletions:
 * @known_remote_ids: remote id → lead id of every live link
 *
 * Returns: (transfer full) (element-type utf8): the known remote ids the
 *   CRM has deleted
 */
GPtrArray *
cp_crm_backend_pull_deletions (CpCrmBackend  *self,
                               GHashTable    *known_remote_ids,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), NULL);

  return CP_CRM_BACKEND_GET_IFACE (self)->pull_deletions (self, known_remote_ids, cancellable,
                                                          error);
}

/**
 * cp_crm_backend_push_batch:
 * @changes: (element-type CpCrmChange): at most the batch size
 *
 * Returns: (transfer full) (element-type CpCrmPushResult): one result per
 *   change; %NULL with @error when the whole batch failed
 */
GPtrArray *
cp_crm_backend_push_batch (CpCrmBackend  *self,
                           GPtrArray     *changes,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), NULL);
  g_return_val_if_fail (changes != NULL, NULL);

  return CP_CRM_BACKEND_GET_IFACE (self)->push_batch (self, changes, cancellable, error);
}

/**
 * cp_crm_backend_erase:
 * @remote_id: the CRM's id of a contact whose person was erased here
 *
 * Deletes the contact for good, through the CRM's own privacy deletion
 * (HubSpot: GDPR delete). A contact the CRM no longer has is done.
 */
gboolean
cp_crm_backend_erase (CpCrmBackend  *self,
                      const char    *remote_id,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), FALSE);
  g_return_val_if_fail (remote_id != NULL, FALSE);

  return CP_CRM_BACKEND_GET_IFACE (self)->erase (self, remote_id, cancellable, error);
}

/**
 * cp_crm_backend_check_setup:
 * @create: also create what is missing, where the CRM lets the token do it
 *
 * Checks that the CRM holds what sync writes with (HubSpot: the unique
 * contact property `carepath_id`). Backends without such needs have
 * nothing to check.
 *
 * Returns: (transfer full): what is missing and what was created; %NULL
 *   with @error when the CRM could not be asked
 */
CpCrmSetup *
cp_crm_backend_check_setup (CpCrmBackend  *self,
                            gboolean       create,
                            GCancellable  *cancellable,
                            GError       **error)
{
  CpCrmBackendInterface *iface;

  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), NULL);

  iface = CP_CRM_BACKEND_GET_IFACE (self);
  if (iface->check_setup == NULL)
    return cp_crm_setup_new ();
  return iface->check_setup (self, create, cancellable, error);
}

void
cp_crm_activity_clear (CpCrmActivity *activity)
{
  g_clear_pointer (&activity->disposition, g_free);
  g_clear_pointer (&activity->direction, g_free);
  g_clear_pointer (&activity->detail, g_free);
  g_clear_pointer (&activity->external_id, g_free);
}

gboolean
_cp_crm_activity_refuse (GError    **error,
                         const char *what,
                         const char *value)
{
  g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED,
               _("The engagement's %s “%s” means nothing to Carepath yet."), what,
               value != NULL ? value : "");
  return FALSE;
}

int
_cp_crm_cursor_compare (const char *a,
                        const char *b)
{
  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);
  if (strlen (a) != strlen (b))
    return strlen (a) < strlen (b) ? -1 : 1;
  return strcmp (a, b);
}

void
_cp_crm_activity_set_external_id (CpCrmActivity *activity,
                                  const char    *crm,
                                  const char    *type,
                                  const char    *remote_id)
{
  g_free (activity->external_id);
  activity->external_id = g_strdup_printf ("%s:%s:%s%s", crm, type, remote_id,
                                           activity->kind == CP_ACTIVITY_KIND_MEETING_ATTENDED
                                           ? ":attended" : "");
}

/**
 * cp_crm_backend_get_activity_objects:
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the
 *   engagement types pulled as activities ("calls", "Meeting", …), or
 *   %NULL when the backend pulls none
 */
const char * const *
cp_crm_backend_get_activity_objects (CpCrmBackend *self)
{
  CpCrmBackendInterface *iface;

  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), NULL);

  iface = CP_CRM_BACKEND_GET_IFACE (self);
  return iface->get_activity_objects != NULL ? iface->get_activity_objects (self) : NULL;
}

/**
 * cp_crm_backend_pull_activity_page:
 * @object: one of cp_crm_backend_get_activity_objects()
 * @cursor: (nullable): the committed cursor of @object's pull
 * @page: (nullable): the token of the page before, %NULL for the first
 *
 * One page of engagements of @object modified since @cursor, oldest
 * first, each with its cursor and its associated contacts.
 */
CpCrmPage *
cp_crm_backend_pull_activity_page (CpCrmBackend  *self,
                                   const char    *object,
                                   const char    *cursor,
                                   const char    *page,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  CpCrmBackendInterface *iface;

  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), NULL);
  g_return_val_if_fail (object != NULL, NULL);

  iface = CP_CRM_BACKEND_GET_IFACE (self);
  g_return_val_if_fail (iface->pull_activity_page != NULL, NULL);
  return iface->pull_activity_page (self, object, cursor, page, cancellable, error);
}

/**
 * cp_crm_backend_activity_from_record:
 * @out_activity: (out caller-allocates): the engagement in Carepath's terms
 *
 * Returns: %FALSE with %CP_SYNC_ERROR_REJECTED when the record is no
 *   activity Carepath knows (an unknown outcome, no time), saying why
 */
gboolean
cp_crm_backend_activity_from_record (CpCrmBackend      *self,
                                     const char        *object,
                                     const CpCrmRecord *record,
                                     CpCrmActivity     *out_activity,
                                     GError           **error)
{
  CpCrmBackendInterface *iface;

  g_return_val_if_fail (CP_IS_CRM_BACKEND (self), FALSE);
  g_return_val_if_fail (object != NULL && record != NULL && out_activity != NULL, FALSE);

  iface = CP_CRM_BACKEND_GET_IFACE (self);
  g_return_val_if_fail (iface->activity_from_record != NULL, FALSE);
  memset (out_activity, 0, sizeof *out_activity);
  return iface->activity_from_record (self, object, record, out_activity, error);
}

struct _CpCrmStageMap
{
  GHashTable *to_remote;      /* stage → value */
  GHashTable *from_remote;    /* value → stage (first mapping wins) */
  GHashTable *order;          /* value → position + 1 in the CRM's options */
  const CpCrmStageDefault *defaults;
  guint n_defaults;
};

static void
stage_map_fill (CpCrmStageMap *map,
                const char    *stage,
                const char    *value)
{
  g_hash_table_replace (map->to_remote, g_strdup (stage), g_strdup (value));
  if (!g_hash_table_contains (map->from_remote, value))
    g_hash_table_insert (map->from_remote, g_strdup (value), g_strdup (stage));
}

CpCrmStageMap *
cp_crm_stage_map_new (const CpCrmStageDefault *defaults,
                      guint                    n_defaults)
{
  CpCrmStageMap *map = g_new0 (CpCrmStageMap, 1);

  map->to_remote = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  map->from_remote = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  map->order = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  map->defaults = defaults;
  map->n_defaults = n_defaults;
  for (guint i = 0; i < n_defaults; i++)
    stage_map_fill (map, defaults[i].stage, defaults[i].value);
  return map;
}

void
cp_crm_stage_map_free (CpCrmStageMap *map)
{
  if (map == NULL)
    return;
  g_hash_table_unref (map->to_remote);
  g_hash_table_unref (map->from_remote);
  g_hash_table_unref (map->order);
  g_free (map);
}

/* Maps each stage through the CRM's live options (in the CRM's order): an
 * option labelled like the Carepath stage wins (accounts add custom stages
 * with numeric values); else the default value if the CRM offers it; else
 * the stage is not synced. */
void
cp_crm_stage_map_resolve (CpCrmStageMap *map,
                          GPtrArray     *option_values,
                          GPtrArray     *option_labels)
{
  guint n_stages = 0;
  const CpStageInfo *stages = cp_default_stages (&n_stages);

  g_hash_table_remove_all (map->to_remote);
  g_hash_table_remove_all (map->from_remote);
  g_hash_table_remove_all (map->order);
  for (guint i = 0; i < option_values->len; i++)
    g_hash_table_insert (map->order, g_strdup (option_values->pdata[i]), GUINT_TO_POINTER (i + 1));

  for (guint i = 0; i < map->n_defaults; i++)
    {
      const char *stage = map->defaults[i].stage;
      const char *title = NULL;
      const char *value = NULL;

      for (guint s = 0; s < n_stages; s++)
        if (g_strcmp0 (stages[s].id, stage) == 0)
          title = stages[s].title;
      for (guint o = 0; title != NULL && o < option_labels->len && value == NULL; o++)
        if (g_ascii_strcasecmp (option_labels->pdata[o], title) == 0)
          value = option_values->pdata[o];
      if (value == NULL && g_hash_table_contains (map->order, map->defaults[i].value))
        value = map->defaults[i].value;
      if (value != NULL)
        stage_map_fill (map, stage, value);
    }
}

char *
cp_crm_stage_map_to_remote (CpCrmStageMap *map,
                            const char    *stage)
{
  return stage != NULL ? g_strdup (g_hash_table_lookup (map->to_remote, stage)) : NULL;
}

char *
cp_crm_stage_map_from_remote (CpCrmStageMap *map,
                              const char    *value)
{
  return value != NULL ? g_strdup (g_hash_table_lookup (map->from_remote, value)) : NULL;
}

/* Returns: the value's position in the CRM's options (1…), 0 if unknown */
int
cp_crm_stage_map_order (CpCrmStageMap *map,
                        const char    *value)
{
  return value != NULL ? GPOINTER_TO_INT (g_hash_table_lookup (map->order, value)) : 0;
}
