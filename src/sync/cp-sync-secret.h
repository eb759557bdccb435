/* cp-sync-secret.h — CRM tokens in the desktop keyring (libsecret), and only there
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CP_SYNC_TOKEN_ENV "CAREPATH_CRM_TOKEN"

char     *cp_sync_secret_lookup (const char    *backend,
                                 const char    *base_url,
                                 GCancellable  *cancellable,
                                 GError       **error);
gboolean  cp_sync_secret_store  (const char    *backend,
                                 const char    *base_url,
                                 const char    *token,
                                 GCancellable  *cancellable,
                                 GError       **error);
char     *cp_sync_token_for     (const char    *backend,
                                 const char    *base_url,
                                 GError       **error);
GError   *cp_sync_secret_error_in_words (const GError *raw);

G_END_DECLS
