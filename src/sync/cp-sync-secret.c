/* cp-sync-secret.c — CRM tokens in the desktop keyring (libsecret), and only there
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-secret"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "cp-sync-error.h"
#include "cp-sync-secret.h"

/* The one schema of Carepath's secrets: a token per backend and address. */
static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".CrmToken", SECRET_SCHEMA_NONE,
    {
      { "backend", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

/**
 * cp_sync_secret_lookup:
 * @base_url: (nullable): the address the token is for; %NULL or "" for the default
 *
 * Returns: (transfer full) (nullable): the token, or %NULL (no error) when none is saved
 */
char *
cp_sync_secret_lookup (const char    *backend,
                       const char    *base_url,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (backend != NULL, NULL);

  return secret_password_lookup_sync (token_schema (), cancellable, error,
                                      "backend", backend,
                                      "url", base_url != NULL ? base_url : "",
                                      NULL);
}

gboolean
cp_sync_secret_store (const char    *backend,
                      const char    *base_url,
                      const char    *token,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (backend != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  label = g_strdup_printf (_("Carepath CRM token (%s)"), backend);
  return secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                                     cancellable, error,
                                     "backend", backend,
                                     "url", base_url != NULL ? base_url : "",
                                     NULL);
}

/**
 * cp_sync_token_for:
 *
 * The token for a backend: the environment variable CAREPATH_CRM_TOKEN
 * (scripts, CI) when set, else the keyring.
 *
 * Returns: (transfer full): the token, or %NULL with a readable error
 */
char *
cp_sync_token_for (const char  *backend,
                   const char  *base_url,
                   GError     **error)
{
  const char *env = g_getenv (CP_SYNC_TOKEN_ENV);
  g_autoptr(GError) local_error = NULL;
  char *token;

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  token = cp_sync_secret_lookup (backend, base_url, NULL, &local_error);
  if (token != NULL)
    return token;
  if (local_error != NULL)
    g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                 _("Could not read the CRM token from the keyring (%s). Set %s or save the "
                   "token in Preferences → Account."), local_error->message, CP_SYNC_TOKEN_ENV);
  else
    g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                 _("No token is saved for %s. Save one in Preferences → Account or set %s."),
                 backend, CP_SYNC_TOKEN_ENV);
  return NULL;
}
