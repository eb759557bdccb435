/* cp-lead-list-model.c — a lazy GListModel of the leads matching a query
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-list-model"

#include "config.h"

#include "cp-lead-list-model.h"

/* Rows are read a page at a time and only a few pages are kept, so a view
 * over a million leads holds a few hundred objects, not a million. */
#define PAGE_SIZE 100
#define MAX_PAGES 8

typedef struct
{
  guint      index;    /* first position / PAGE_SIZE */
  GPtrArray *leads;
  guint64    last_use;
} Page;

struct _CpLeadListModel
{
  GObject       parent_instance;

  CpLeadStore  *store;
  CpLeadQuery  *query;
  gulong        changed_id;

  guint         n_items;
  Page          pages[MAX_PAGES];
  guint64       use_counter;
};

static void cp_lead_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CpLeadListModel, cp_lead_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cp_lead_list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
drop_pages (CpLeadListModel *self)
{
  for (guint i = 0; i < MAX_PAGES; i++)
    {
      g_clear_pointer (&self->pages[i].leads, g_ptr_array_unref);
      self->pages[i].last_use = 0;
    }
}

static guint
count_items (CpLeadListModel *self)
{
  g_autoptr(GError) error = NULL;
  guint count = 0;

  if (!cp_lead_store_count (self->store, self->query, &count, &error))
    {
      g_warning ("Could not count leads: %s", error->message);
      return 0;
    }

  return count;
}

static Page *
load_page (CpLeadListModel *self,
           guint            page_index)
{
  g_autoptr(GError) error = NULL;
  Page *victim = &self->pages[0];

  for (guint i = 0; i < MAX_PAGES; i++)
    {
      Page *page = &self->pages[i];

      if (page->leads != NULL && page->index == page_index)
        {
          page->last_use = ++self->use_counter;
          return page;
        }
      if (page->leads == NULL || page->last_use < victim->last_use)
        victim = page;
    }

  g_clear_pointer (&victim->leads, g_ptr_array_unref);
  victim->leads = cp_lead_store_query (self->store, self->query, page_index * PAGE_SIZE,
                                       PAGE_SIZE, &error);
  if (victim->leads == NULL)
    {
      g_warning ("Could not load leads: %s", error->message);
      return NULL;
    }
  victim->index = page_index;
  victim->last_use = ++self->use_counter;

  return victim;
}

static void
reset (CpLeadListModel *self)
{
  guint old_n = self->n_items;

  drop_pages (self);
  self->n_items = count_items (self);

  if (old_n != 0 || self->n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
  if (old_n != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
store_changed_cb (CpLeadStore     *store,
                  const char      *lead_id,
                  guint            change,
                  CpLeadListModel *self)
{
  /* Any change can move a row in or out of the query or change its place
   * in the order, so the model is re-read; pages load again on demand. */
  reset (self);
}

static GType
cp_lead_list_model_get_item_type (GListModel *model)
{
  return CP_TYPE_LEAD;
}

static guint
cp_lead_list_model_get_n_items (GListModel *model)
{
  return CP_LEAD_LIST_MODEL (model)->n_items;
}

static gpointer
cp_lead_list_model_get_item (GListModel *model,
                             guint       position)
{
  CpLeadListModel *self = CP_LEAD_LIST_MODEL (model);
  Page *page;
  guint offset;

  if (position >= self->n_items)
    return NULL;

  page = load_page (self, position / PAGE_SIZE);
  if (page == NULL)
    return NULL;

  offset = position % PAGE_SIZE;
  if (offset >= page->leads->len)
    return NULL;  /* the table shrank since the count; a reset follows */

  return g_object_ref (page->leads->pdata[offset]);
}

static void
cp_lead_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cp_lead_list_model_get_item_type;
  iface->get_n_items = cp_lead_list_model_get_n_items;
  iface->get_item = cp_lead_list_model_get_item;
}

static void
cp_lead_list_model_dispose (GObject *object)
{
  CpLeadListModel *self = CP_LEAD_LIST_MODEL (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->store);
  drop_pages (self);

  G_OBJECT_CLASS (cp_lead_list_model_parent_class)->dispose (object);
}

static void
cp_lead_list_model_finalize (GObject *object)
{
  CpLeadListModel *self = CP_LEAD_LIST_MODEL (object);

  g_clear_pointer (&self->query, cp_lead_query_free);

  G_OBJECT_CLASS (cp_lead_list_model_parent_class)->finalize (object);
}

static void
cp_lead_list_model_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CpLeadListModel *self = CP_LEAD_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_lead_list_model_class_init (CpLeadListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cp_lead_list_model_dispose;
  object_class->finalize = cp_lead_list_model_finalize;
  object_class->get_property = cp_lead_list_model_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cp_lead_list_model_init (CpLeadListModel *self)
{
}

/**
 * cp_lead_list_model_new:
 * @query: (nullable): filters and order; copied
 */
CpLeadListModel *
cp_lead_list_model_new (CpLeadStore       *store,
                        const CpLeadQuery *query)
{
  CpLeadListModel *self;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);

  self = g_object_new (CP_TYPE_LEAD_LIST_MODEL, NULL);
  self->store = g_object_ref (store);
  self->query = query != NULL ? cp_lead_query_copy (query) : cp_lead_query_new ();
  self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
  self->n_items = count_items (self);

  return self;
}

const CpLeadQuery *
cp_lead_list_model_get_query (CpLeadListModel *self)
{
  g_return_val_if_fail (CP_IS_LEAD_LIST_MODEL (self), NULL);

  return self->query;
}

void
cp_lead_list_model_set_query (CpLeadListModel   *self,
                              const CpLeadQuery *query)
{
  g_return_if_fail (CP_IS_LEAD_LIST_MODEL (self));
  g_return_if_fail (query != NULL);

  if (cp_lead_query_equal (self->query, query))
    return;

  cp_lead_query_free (self->query);
  self->query = cp_lead_query_copy (query);
  reset (self);
}

void
cp_lead_list_model_reload (CpLeadListModel *self)
{
  g_return_if_fail (CP_IS_LEAD_LIST_MODEL (self));

  reset (self);
}

/* How many lead objects the model holds right now (for tests, benchmarks). */
guint
cp_lead_list_model_get_n_loaded (CpLeadListModel *self)
{
  guint n = 0;

  g_return_val_if_fail (CP_IS_LEAD_LIST_MODEL (self), 0);

  for (guint i = 0; i < MAX_PAGES; i++)
    if (self->pages[i].leads != NULL)
      n += self->pages[i].leads->len;

  return n;
}

guint
cp_lead_list_model_get_page_size (void)
{
  return PAGE_SIZE;
}
