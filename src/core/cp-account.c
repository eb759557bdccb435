/* cp-account.c — the organization several leads belong to
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-account"

#include "config.h"

#include "cp-account.h"

/* org-type and org-size hold the same canonical choice ids as the lead
 * fields of that name (see cp_lead_field_info()). */
struct _CpAccount
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  char    *org_type;
  char    *org_size;
  char    *location;
  char    *region;
  gint64   created_at;
};

G_DEFINE_FINAL_TYPE (CpAccount, cp_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ORG_TYPE,
  PROP_ORG_SIZE,
  PROP_LOCATION,
  PROP_REGION,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
replace_string (char       **slot,
                const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;

  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

static void
cp_account_finalize (GObject *object)
{
  CpAccount *self = (CpAccount *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->org_type, g_free);
  g_clear_pointer (&self->org_size, g_free);
  g_clear_pointer (&self->location, g_free);
  g_clear_pointer (&self->region, g_free);

  G_OBJECT_CLASS (cp_account_parent_class)->finalize (object);
}

static void
cp_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CpAccount *self = CP_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ORG_TYPE:
      g_value_set_string (value, self->org_type);
      break;
    case PROP_ORG_SIZE:
      g_value_set_string (value, self->org_size);
      break;
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_REGION:
      g_value_set_string (value, self->region);
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_account_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CpAccount *self = CP_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      cp_account_set_id (self, g_value_get_string (value));
      break;
    case PROP_NAME:
      cp_account_set_name (self, g_value_get_string (value));
      break;
    case PROP_ORG_TYPE:
      cp_account_set_org_type (self, g_value_get_string (value));
      break;
    case PROP_ORG_SIZE:
      cp_account_set_org_size (self, g_value_get_string (value));
      break;
    case PROP_LOCATION:
      cp_account_set_location (self, g_value_get_string (value));
      break;
    case PROP_REGION:
      cp_account_set_region (self, g_value_get_string (value));
      break;
    case PROP_CREATED_AT:
      cp_account_set_created_at (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_account_class_init (CpAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cp_account_finalize;
  object_class->get_property = cp_account_get_property;
  object_class->set_property = cp_account_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_ORG_TYPE] = g_param_spec_string ("org-type", NULL, NULL, NULL, flags);
  properties[PROP_ORG_SIZE] = g_param_spec_string ("org-size", NULL, NULL, NULL, flags);
  properties[PROP_LOCATION] = g_param_spec_string ("location", NULL, NULL, NULL, flags);
  properties[PROP_REGION] = g_param_spec_string ("region", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL,
                                                    G_MININT64, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cp_account_init (CpAccount *self)
{
}

CpAccount *
cp_account_new (void)
{
  return g_object_new (CP_TYPE_ACCOUNT, NULL);
}

const char *
cp_account_get_id (CpAccount *self)
{
  g_return_val_if_fail (CP_IS_ACCOUNT (self), NULL);
  return self->id;
}

void
cp_account_set_id (CpAccount  *self,
                   const char *id)
{
  g_return_if_fail (CP_IS_ACCOUNT (self));
  if (replace_string (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
cp_account_get_name (CpAccount *self)
{
  g_return_val_if_fail (CP_IS_ACCOUNT (self), NULL);
  return self->name;
}

void
cp_account_set_name (CpAccount  *self,
                     const char *name)
{
  g_return_if_fail (CP_IS_ACCOUNT (self));
  if (replace_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
cp_account_get_org_type (CpAccount *self)
{
  g_return_val_if_fail (CP_IS_ACCOUNT (self), NULL);
  return self->org_type;
}

void
cp_account_set_org_type (CpAccount  *self,
                         const char *org_type)
{
  g_return_if_fail (CP_IS_ACCOUNT (self));
  if (replace_string (&self->org_type, org_type))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORG_TYPE]);
}

const char *
cp_account_get_org_size (CpAccount *self)
{
  g_return_val_if_fail (CP_IS_ACCOUNT (self), NULL);
  return self->org_size;
}

void
cp_account_set_org_size (CpAccount  *self,
                         const char *org_size)
{
  g_return_if_fail (CP_IS_ACCOUNT (self));
  if (replace_string (&self->org_size, org_size))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORG_SIZE]);
}

const char *
cp_account_get_location (CpAccount *self)
{
  g_return_val_if_fail (CP_IS_ACCOUNT (self), NULL);
  return self->location;
}

void
cp_account_set_location (CpAccount  *self,
                         const char *location)
{
  g_return_if_fail (CP_IS_ACCOUNT (self));
  if (replace_string (&self->location, location))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATION]);
}

const char *
cp_account_get_region (CpAccount *self)
{
  g_return_val_if_fail (CP_IS_ACCOUNT (self), NULL);
  return self->region;
}

void
cp_account_set_region (CpAccount  *self,
                       const char *region)
{
  g_return_if_fail (CP_IS_ACCOUNT (self));
  if (replace_string (&self->region, region))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGION]);
}

gint64
cp_account_get_created_at (CpAccount *self)
{
  g_return_val_if_fail (CP_IS_ACCOUNT (self), 0);
  return self->created_at;
}

void
cp_account_set_created_at (CpAccount *self,
                           gint64     created_at)
{
  g_return_if_fail (CP_IS_ACCOUNT (self));

  if (self->created_at == created_at)
    return;
  self->created_at = created_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}
