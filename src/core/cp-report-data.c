/* cp-report-data.c — a compact, column-wise copy of the leads and their
 * stage history that the reports are computed from
 *
 * A million leads with five million stage events fit in about 80 MB: the
 * attributes a report groups by are small dictionary codes, and the events
 * of all leads share one array, sorted by lead then time (rebuilt only when
 * events were added since the last read).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-report-data"
#include "config.h"
#include "cp-report-data-private.h"

#include <string.h>

/* Forgets the merged events of a mapped snapshot (built again when read). */
static void
drop_merged (CpReportData *data)
{
  g_clear_pointer (&data->merged, g_hash_table_unref);
  g_clear_pointer (&data->merged_mask, g_free);
  data->merged_pending = 0;
}

CpReportData *
cp_report_data_new (void)
{
  CpReportData *data = g_new0 (CpReportData, 1);

  data->rows = g_array_new (FALSE, FALSE, sizeof (CpReportLeadRow));
  data->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  data->events = g_array_new (FALSE, FALSE, sizeof (CpReportEvent));
  data->offsets = g_array_new (FALSE, TRUE, sizeof (guint32));
  g_array_set_size (data->offsets, 1);
  data->pending = g_array_new (FALSE, FALSE, sizeof (CpReportPendingEvent));
  for (guint i = 0; i < CP_REPORT_N_ATTRS; i++)
    {
      data->dicts[i].values = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (data->dicts[i].values, NULL);
      data->dicts[i].codes = g_hash_table_new (g_str_hash, g_str_equal);
    }
  data->marks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return data;
}

void
cp_report_data_free (CpReportData *data)
{
  if (data == NULL)
    return;

  drop_merged (data);
  g_clear_pointer (&data->mapping, _cp_report_mapping_free);
  g_array_unref (data->rows);
  g_array_unref (data->rowids);
  g_array_unref (data->events);
  g_array_unref (data->offsets);
  g_array_unref (data->pending);
  for (guint i = 0; i < CP_REPORT_N_ATTRS; i++)
    {
      g_hash_table_unref (data->dicts[i].codes);
      g_ptr_array_unref (data->dicts[i].values);
    }
  g_hash_table_unref (data->marks);
  g_free (data);
}

void
cp_report_data_clear (CpReportData *data)
{
  g_return_if_fail (data != NULL);

  drop_merged (data);
  g_clear_pointer (&data->mapping, _cp_report_mapping_free);
  g_array_set_size (data->rows, 0);
  g_array_set_size (data->rowids, 0);
  g_array_set_size (data->events, 0);
  g_array_set_size (data->offsets, 1);
  g_array_index (data->offsets, guint32, 0) = 0;
  g_array_set_size (data->pending, 0);
  for (guint i = 0; i < CP_REPORT_N_ATTRS; i++)
    {
      g_hash_table_remove_all (data->dicts[i].codes);
      g_ptr_array_set_size (data->dicts[i].values, 1);
    }
  g_hash_table_remove_all (data->marks);
  data->changes++;
}

guint16
cp_report_data_intern (CpReportData *data,
                       CpReportAttr  attr,
                       const char   *value)
{
  CpReportDictionary *dict;
  gpointer code;
  char *copy;

  g_return_val_if_fail (data != NULL, 0);
  g_return_val_if_fail (attr < CP_REPORT_N_ATTRS, 0);

  if (value == NULL || *value == '\0')
    return 0;

  dict = &data->dicts[attr];
  if (g_hash_table_lookup_extended (dict->codes, value, NULL, &code))
    return (guint16) GPOINTER_TO_UINT (code);
  /* More distinct values than a code holds: the rest share the last code,
   * which reads as the first of them. No field of a real pipeline comes
   * near 65,535 distinct values. */
  if (dict->values->len > G_MAXUINT16)
    return G_MAXUINT16;

  copy = g_strdup (value);
  g_ptr_array_add (dict->values, copy);
  g_hash_table_insert (dict->codes, copy, GUINT_TO_POINTER (dict->values->len - 1));

  return (guint16) (dict->values->len - 1);
}

const char *
cp_report_data_value (const CpReportData *data,
                      CpReportAttr        attr,
                      guint16             code)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (attr < CP_REPORT_N_ATTRS, NULL);

  if (code >= data->dicts[attr].values->len)
    return NULL;

  return g_ptr_array_index (data->dicts[attr].values, code);
}

guint16
cp_report_data_lookup (const CpReportData *data,
                       CpReportAttr        attr,
                       const char         *value)
{
  gpointer code;

  g_return_val_if_fail (data != NULL, 0);
  g_return_val_if_fail (attr < CP_REPORT_N_ATTRS, 0);

  if (value == NULL
      || !g_hash_table_lookup_extended (data->dicts[attr].codes, value, NULL, &code))
    return 0;

  return (guint16) GPOINTER_TO_UINT (code);
}

guint
cp_report_data_n_values (const CpReportData *data,
                         CpReportAttr        attr)
{
  g_return_val_if_fail (data != NULL, 0);
  g_return_val_if_fail (attr < CP_REPORT_N_ATTRS, 0);

  return data->dicts[attr].values->len;
}

static gboolean
lead_row_equal (const CpReportLeadRow *a,
                const CpReportLeadRow *b)
{
  return a->created_at == b->created_at && a->first_response_at == b->first_response_at
    && a->sla_due_at == b->sla_due_at && a->flags == b->flags
    && memcmp (a->attr, b->attr, sizeof a->attr) == 0;
}

static gboolean
find_rowid (const CpReportData *data,
            gint64              rowid,
            guint              *out_index)
{
  const gint64 *ids = _cp_report_data_rowids (data);
  guint n = _cp_report_data_n_leads (data);
  guint low = 0, high = n;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (ids[mid] < rowid)
        low = mid + 1;
      else
        high = mid;
    }
  *out_index = low;

  return low < n && ids[low] == rowid;
}

/* Moves the pending events into the shared array, keeping each lead's
 * events in time order. */
void
_cp_report_data_flush_pending (CpReportData *data)
{
  guint n_leads, n_old, n_total;
  g_autofree guint32 *counts = NULL;
  g_autofree guint32 *fill = NULL;
  GArray *events;
  const guint32 *old_offsets;

  /* A mapped snapshot has no pending event: it is whole as it lies. */
  if (data->pending->len == 0
      && (data->mapping != NULL || data->offsets->len == data->rows->len + 1))
    return;
  _cp_report_data_own (data);
  n_leads = data->rows->len;
  n_old = data->events->len;
  n_total = n_old + data->pending->len;

  counts = g_new0 (guint32, n_leads + 1);
  old_offsets = (const guint32 *) data->offsets->data;
  for (guint i = 0; i + 1 < data->offsets->len && i < n_leads; i++)
    counts[i] = old_offsets[i + 1] - old_offsets[i];
  for (guint i = 0; i < data->pending->len; i++)
    counts[g_array_index (data->pending, CpReportPendingEvent, i).lead]++;

  /* counts → offsets, in place; @fill tracks where the next event goes. */
  fill = g_new (guint32, n_leads + 1);
  {
    guint32 sum = 0;
    for (guint i = 0; i <= n_leads; i++)
      {
        guint32 c = i < n_leads ? counts[i] : 0;
        counts[i] = sum;
        fill[i] = sum;
        sum += c;
      }
  }

  events = g_array_sized_new (FALSE, FALSE, sizeof (CpReportEvent), n_total);
  g_array_set_size (events, n_total);
  for (guint i = 0; i + 1 < data->offsets->len && i < n_leads; i++)
    for (guint32 j = old_offsets[i]; j < old_offsets[i + 1]; j++)
      g_array_index (events, CpReportEvent, fill[i]++) =
          g_array_index (data->events, CpReportEvent, j);
  for (guint i = 0; i < data->pending->len; i++)
    {
      const CpReportPendingEvent *p = &g_array_index (data->pending, CpReportPendingEvent, i);
      CpReportEvent *e;
      guint32 start = counts[p->lead];
      guint32 at = fill[p->lead]++;

      /* Insertion into the lead's own short run keeps it sorted and stable. */
      while (at > start && g_array_index (events, CpReportEvent, at - 1).time > p->time)
        {
          g_array_index (events, CpReportEvent, at) = g_array_index (events, CpReportEvent, at - 1);
          at--;
        }
      e = &g_array_index (events, CpReportEvent, at);
      e->time = p->time;
      e->stage = p->stage;
    }

  g_array_unref (data->events);
  data->events = events;
  g_array_set_size (data->offsets, n_leads + 1);
  memcpy (data->offsets->data, counts, (n_leads + 1) * sizeof (guint32));
  g_array_set_size (data->pending, 0);
}

const CpReportLeadRow *
cp_report_data_set_lead (CpReportData          *data,
                         gint64                 rowid,
                         const CpReportLeadRow *row)
{
  guint n;
  guint index;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (row != NULL, NULL);

  n = _cp_report_data_n_leads (data);
  if (n == 0 || _cp_report_data_rowids (data)[n - 1] < rowid)
    index = n;
  else if (find_rowid (data, rowid, &index))
    {
      CpReportLeadRow *old;

      /* Re-reading an unchanged lead is no change (nor a reason to copy
       * a mapped snapshot). */
      if (lead_row_equal (&_cp_report_data_rows (data)[index], row))
        return &_cp_report_data_rows (data)[index];
      /* A mapped snapshot is changed where it lies: a few leads changed
       * since the save cost a page each, not a copy of every array. */
      if (data->mapping != NULL && _cp_report_mapping_make_writable (data->mapping))
        old = (CpReportLeadRow *) &data->mapping->rows[index];
      else
        {
          _cp_report_data_own (data);
          old = &g_array_index (data->rows, CpReportLeadRow, index);
        }
      *old = *row;
      data->changes++;
      return old;
    }
  _cp_report_data_own (data);

  if (index != data->rowids->len)
    {
      /* A lead in the middle: the shared events array must be regrouped,
       * and pending events shift their lead index. */
      guint32 start;

      _cp_report_data_flush_pending (data);
      /* A copy: inserting may move the array the value is in. */
      start = g_array_index (data->offsets, guint32, index);
      g_array_insert_val (data->offsets, index, start);
    }
  else if (data->pending->len == 0 && data->offsets->len == data->rows->len + 1)
    {
      guint32 end = g_array_index (data->offsets, guint32, data->rows->len);
      g_array_append_val (data->offsets, end);
    }
  g_array_insert_val (data->rowids, index, rowid);
  g_array_insert_vals (data->rows, index, row, 1);
  data->changes++;

  return &g_array_index (data->rows, CpReportLeadRow, index);
}

void
_cp_report_data_own (CpReportData *data)
{
  CpReportMapping *mapping = data->mapping;

  if (mapping == NULL)
    return;
  drop_merged (data);
  g_array_set_size (data->rowids, mapping->n_leads);
  memcpy (data->rowids->data, mapping->rowids, (gsize) mapping->n_leads * sizeof (gint64));
  g_array_set_size (data->rows, mapping->n_leads);
  memcpy (data->rows->data, mapping->rows, (gsize) mapping->n_leads * sizeof (CpReportLeadRow));
  g_array_set_size (data->events, mapping->n_events);
  memcpy (data->events->data, mapping->events, (gsize) mapping->n_events * sizeof (CpReportEvent));
  g_array_set_size (data->offsets, mapping->n_leads + 1);
  memcpy (data->offsets->data, mapping->offsets, ((gsize) mapping->n_leads + 1) * sizeof (guint32));
  data->mapping = NULL;
  _cp_report_mapping_free (mapping);
}

gboolean
cp_report_data_add_event (CpReportData *data,
                          gint64        rowid,
                          const char   *stage,
                          gint64        time)
{
  CpReportPendingEvent event;
  guint index;

  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (stage != NULL, FALSE);

  if (!find_rowid (data, rowid, &index))
    return FALSE;

  event.lead = index;
  event.stage = cp_report_data_intern (data, CP_REPORT_ATTR_STAGE, stage);
  event.time = CLAMP (time, -CP_REPORT_EVENT_TIME_MAX, CP_REPORT_EVENT_TIME_MAX);
  g_array_append_val (data->pending, event);
  data->changes++;

  return TRUE;
}

guint
cp_report_data_get_n_leads (const CpReportData *data)
{
  g_return_val_if_fail (data != NULL, 0);

  return _cp_report_data_n_leads (data);
}

const CpReportLeadRow *
cp_report_data_get_lead (const CpReportData *data,
                         guint               index)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (index < _cp_report_data_n_leads (data), NULL);

  return &_cp_report_data_rows (data)[index];
}

gint64
cp_report_data_get_rowid (const CpReportData *data,
                          guint               index)
{
  g_return_val_if_fail (data != NULL, 0);
  g_return_val_if_fail (index < _cp_report_data_n_leads (data), 0);

  return _cp_report_data_rowids (data)[index];
}

/* The events of the leads that have pending ones, each lead's mapped
 * events and its pending ones in the order flushing would give them (by
 * time; an event after those of the same time already there). */
static void
build_merged (CpReportData *data)
{
  const CpReportMapping *mapping = data->mapping;

  drop_merged (data);
  data->merged = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  data->merged_mask = g_new0 (guint8, mapping->n_leads / 8 + 1);
  for (guint i = 0; i < data->pending->len; i++)
    {
      const CpReportPendingEvent *p = &g_array_index (data->pending, CpReportPendingEvent, i);
      GArray *events = g_hash_table_lookup (data->merged, GUINT_TO_POINTER (p->lead));
      CpReportEvent event = { 0 };
      guint at;

      if (events == NULL)
        {
          guint32 start = mapping->offsets[p->lead];
          guint32 end = mapping->offsets[p->lead + 1];

          events = g_array_sized_new (FALSE, FALSE, sizeof (CpReportEvent), end - start + 1);
          g_array_append_vals (events, mapping->events + start, end - start);
          g_hash_table_insert (data->merged, GUINT_TO_POINTER (p->lead), events);
          data->merged_mask[p->lead / 8] |= (guint8) (1u << (p->lead % 8));
        }
      at = events->len;
      while (at > 0 && g_array_index (events, CpReportEvent, at - 1).time > p->time)
        at--;
      event.time = p->time;
      event.stage = p->stage;
      g_array_insert_val (events, at, event);
    }
  data->merged_pending = data->pending->len;
}

const CpReportEvent *
cp_report_data_get_events (CpReportData *data,
                           guint         index,
                           guint        *n_events)
{
  const guint32 *offsets;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (index < _cp_report_data_n_leads (data), NULL);
  g_return_val_if_fail (n_events != NULL, NULL);

  /* A mapped snapshot with a few events since its save: those leads'
   * events merged aside, the others where they lie. */
  if (data->mapping != NULL && data->pending->len > 0)
    {
      GArray *merged;

      if (data->merged == NULL || data->merged_pending != data->pending->len)
        build_merged (data);
      if ((data->merged_mask[index / 8] & (1u << (index % 8))) != 0)
        {
          merged = g_hash_table_lookup (data->merged, GUINT_TO_POINTER (index));
          *n_events = merged->len;
          return (const CpReportEvent *) merged->data;
        }
      offsets = data->mapping->offsets;
      *n_events = offsets[index + 1] - offsets[index];
      return *n_events > 0 ? &data->mapping->events[offsets[index]] : NULL;
    }

  _cp_report_data_flush_pending (data);
  offsets = _cp_report_data_offsets (data);
  *n_events = offsets[index + 1] - offsets[index];

  return *n_events > 0 ? &_cp_report_data_events (data)[offsets[index]] : NULL;
}

gint64
cp_report_data_get_mark (const CpReportData *data,
                         const char         *name)
{
  gint64 *value;

  g_return_val_if_fail (data != NULL, 0);

  value = g_hash_table_lookup (data->marks, name);

  return value != NULL ? *value : 0;
}

void
cp_report_data_set_mark (CpReportData *data,
                         const char   *name,
                         gint64        value)
{
  g_return_if_fail (data != NULL);

  if (g_hash_table_contains (data->marks, name) && cp_report_data_get_mark (data, name) == value)
    return;
  g_hash_table_insert (data->marks, g_strdup (name), g_memdup2 (&value, sizeof value));
  data->changes++;
}

guint64
cp_report_data_get_n_changes (const CpReportData *data)
{
  g_return_val_if_fail (data != NULL, 0);

  return data->changes;
}

gboolean
cp_report_data_is_mapped (const CpReportData *data)
{
  g_return_val_if_fail (data != NULL, FALSE);

  return data->mapping != NULL;
}
