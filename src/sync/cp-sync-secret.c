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
 * cp_sync_secret_error_in_words:
 * @raw: what libsecret or D-Bus answered
 *
 * What a keyring failure means for the person, without D-Bus names:
 * no keyring running, a locked keyring, a dismissed prompt, a refusal.
 *
 * Returns: (transfer full): a %CP_SYNC_ERROR_NOT_CONFIGURED error in words
 */
GError *
cp_sync_secret_error_in_words (const GError *raw)
{
  const char *words;

  g_return_val_if_fail (raw != NULL, NULL);

  if (g_error_matches (raw, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    words = _("The keyring is locked. Unlock it (in Passwords and Keys, or by logging in again) "
              "and try again.");
  else if (g_error_matches (raw, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    words = _("The keyring was not unlocked: its prompt was dismissed.");
  else if (g_error_matches (raw, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT))
    words = _("The keyring has no default collection to keep the token in. Create one in "
              "Passwords and Keys.");
  else if (g_error_matches (raw, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED) ||
           g_error_matches (raw, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    words = _("The keyring refused to let Carepath use it.");
  else if (raw->domain == G_DBUS_ERROR || raw->domain == G_IO_ERROR)
    words = _("No keyring is running in this session. Start one (for example GNOME Keyring) "
              "and try again.");
  else
    words = _("The keyring could not be used.");

  /* The technical answer is for a bug report, not for the person. */
  g_debug ("Keyring error: %s", raw->message);
  return g_error_new_literal (CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED, words);
}

/* Replaces a keyring error in @error by its words. */
static void
say_keyring_error (GError **error)
{
  if (error != NULL && *error != NULL && (*error)->domain != CP_SYNC_ERROR)
    {
      GError *words = cp_sync_secret_error_in_words (*error);

      g_clear_error (error);
      *error = words;
    }
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
  GError *local_error = NULL;
  char *token;

  g_return_val_if_fail (backend != NULL, NULL);

  token = secret_password_lookup_sync (token_schema (), cancellable, &local_error,
                                       "backend", backend,
                                       "url", base_url != NULL ? base_url : "",
                                       NULL);
  say_keyring_error (&local_error);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return token;
}

gboolean
cp_sync_secret_store (const char    *backend,
                      const char    *base_url,
                      const char    *token,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *label = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (backend != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  label = g_strdup_printf (_("Carepath CRM token (%s)"), backend);
  if (secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                                  cancellable, &local_error,
                                  "backend", backend,
                                  "url", base_url != NULL ? base_url : "",
                                  NULL))
    return TRUE;
  say_keyring_error (&local_error);
  g_propagate_error (error, local_error);
  return FALSE;
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
                 _("Could not read the CRM token: %s Or set %s."), local_error->message,
                 CP_SYNC_TOKEN_ENV);
  else
    g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                 _("No token is saved for %s. Save one in Preferences → Account or set %s."),
                 backend, CP_SYNC_TOKEN_ENV);
  return NULL;
}
