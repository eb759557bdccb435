/* cp-crm-client.h — the one HTTP client of CRM sync: session, auth, retries, throttle
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CP_TYPE_CRM_CLIENT (cp_crm_client_get_type ())

G_DECLARE_FINAL_TYPE (CpCrmClient, cp_crm_client, CP, CRM_CLIENT, GObject)

/* How the client waits between attempts. */
typedef struct
{
  guint  base_ms;        /* first backoff ceiling */
  guint  cap_ms;         /* largest backoff ceiling */
  guint  max_attempts;   /* per request, the first included */
  double server_scale;   /* multiplies delays the server asks for (1.0; tests shrink it) */
} CpBackoff;

typedef enum
{
  CP_CRM_REQUEST_SEARCH = 1 << 0,          /* throttled to the search rate */
  CP_CRM_REQUEST_NOT_IDEMPOTENT = 1 << 1,  /* never resent once it may have arrived */
} CpCrmRequestFlags;

CpCrmClient *cp_crm_client_new              (const char   *base_url,
                                             const char   *auth_header,
                                             const char   *auth_value,
                                             GError      **error);
void         cp_crm_client_set_backoff      (CpCrmClient     *self,
                                             const CpBackoff *backoff);
void         cp_crm_client_set_timeout      (CpCrmClient  *self,
                                             guint         seconds);
void         cp_crm_client_set_search_rate  (CpCrmClient  *self,
                                             guint         per_second);
void         cp_crm_client_set_rate_limit   (CpCrmClient  *self,
                                             guint         max_requests,
                                             guint         interval_ms);
void         cp_crm_client_set_service_name (CpCrmClient  *self,
                                             const char   *name);

JsonNode    *cp_crm_client_request          (CpCrmClient   *self,
                                             const char    *method,
                                             const char    *path,
                                             JsonNode      *body,
                                             CpCrmRequestFlags flags,
                                             guint         *out_status,
                                             GCancellable  *cancellable,
                                             GError       **error);

guint        cp_crm_client_get_retries      (CpCrmClient  *self);
guint        cp_crm_client_get_rate_refusals (CpCrmClient *self);
guint        cp_crm_client_get_longest_server_delay_ms (CpCrmClient *self);
const char  *cp_crm_client_get_last_correlation_id (CpCrmClient *self);
JsonNode    *cp_crm_client_get_last_error_body (CpCrmClient *self);

/* Helpers for JSON bodies. */
const char  *cp_json_get_string             (JsonObject   *object,
                                             const char   *member);
JsonObject  *cp_json_root_object            (JsonNode     *root);
void         cp_crm_client_set_unexpected   (CpCrmClient  *self,
                                             GError      **error,
                                             const char   *what);

/* An answer body as a JSON tree; NULL with @error set when it is nested
 * deeper than CP_JSON_MAX_DEPTH or is no JSON. Private to src/sync and its
 * fuzz target. */
JsonNode    *_cp_crm_parse_json            (const char   *data,
                                            gsize         length,
                                            GError      **error);

/* Makes what a request keeps of a 2xx answer's bytes: NULL with an error
 * of JSON_PARSER_ERROR's (or CP_CORE_ERROR's) domain for a garbled
 * answer, which is retried; any other error is final. Private to src/sync. */
typedef gpointer (*CpCrmReadFunc) (const char  *data,
                                   gsize        length,
                                   gpointer     user_data,
                                   GError     **error);

gpointer     _cp_crm_client_request_read   (CpCrmClient       *self,
                                            const char        *method,
                                            const char        *path,
                                            JsonNode          *body,
                                            CpCrmRequestFlags  flags,
                                            CpCrmReadFunc      read,
                                            gpointer           read_data,
                                            GCancellable      *cancellable,
                                            GError           **error);

G_END_DECLS
