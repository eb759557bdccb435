/* cp-crm-client.c — the one HTTP client of CRM sync: session, auth, retries (limits: cp-crm-rate.c)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-crm-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "cp-core-error.h"
#include "cp-crm-client-private.h"
#include "cp-json-check.h"
#include "cp-sync-error.h"

#define DEFAULT_TIMEOUT_S   30
#define MAX_SEARCH_RATE     64
#define LOCKED_MIN_DELAY_MS 2000   /* HubSpot: 423 means wait at least 2 s */

struct _CpCrmClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *auth_header;
  char        *auth_value;
  char        *service;
  CpBackoff    backoff;
  CpCrmAccountLimits *limits;     /* the account's, shared */
  guint        rate_refusals;     /* 429 answers seen */
  GRand       *rand;
  guint        retries;
  guint        longest_server_delay_ms;
  char        *last_correlation_id;
  JsonNode    *last_error_body;
};

G_DEFINE_FINAL_TYPE (CpCrmClient, cp_crm_client, G_TYPE_OBJECT)

/* The one place a session is configured: timeouts, user agent, and TLS
 * verified against the system's certificate authorities (libsoup's
 * default; nothing here ever accepts an invalid certificate). */
static SoupSession *
create_session (guint timeout_s)
{
  return soup_session_new_with_options ("timeout", timeout_s,
                                        "idle-timeout", 60,
                                        "user-agent", "Carepath/" PACKAGE_VERSION " ",
                                        "max-conns-per-host", 4,
                                        NULL);
}

const char *
cp_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* Returns: (nullable): @root's object, NULL when it is no object */
JsonObject *
cp_json_root_object (JsonNode *root)
{
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

/* Sets @error for an answer of an unexpected shape. */
void
cp_crm_client_set_unexpected (CpCrmClient  *self,
                              GError      **error,
                              const char   *what)
{
  g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_INVALID_RESPONSE,
               _("%s sent an unexpected answer: %s"), self->service, what);
}

/* Full jitter: random (0, min (cap, base · 2^attempt)). */
static guint
backoff_delay (CpCrmClient *self,
               guint        attempt)
{
  guint64 ceiling = (guint64) self->backoff.base_ms << MIN (attempt, 20u);

  ceiling = MIN (ceiling, (guint64) self->backoff.cap_ms);
  if (ceiling == 0)
    return 0;
  return g_rand_int_range (self->rand, 0, (gint32) MIN (ceiling, G_MAXINT32 - 1) + 1);
}

/* Retry-After: delay-seconds or an HTTP-date. Returns milliseconds, 0 if absent. */
static guint
parse_retry_after (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  char *end = NULL;
  guint64 seconds;

  if (value == NULL)
    return 0;
  seconds = g_ascii_strtoull (value, &end, 10);
  if (end != value && *end == '\0')
    return (guint) MIN (seconds, 3600) * 1000;

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return 0;
  now = g_date_time_new_now_utc ();
  return (guint) CLAMP (g_date_time_difference (date, now) / 1000, 0, 3600 * 1000);
}

/* The readable message of an error body; every field is optional. */
static char *
describe_failure (CpCrmClient *self,
                  guint        status,
                  JsonNode    *root)
{
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
                       ? json_node_get_object (root) : NULL;
  const char *message = cp_json_get_string (object, "message");
  const char *correlation = cp_json_get_string (object, "correlationId");
  g_autofree char *text = NULL;

  g_clear_pointer (&self->last_correlation_id, g_free);
  self->last_correlation_id = g_strdup (correlation);

  if (message == NULL && object != NULL && json_object_has_member (object, "errors"))
    {
      JsonNode *errors = json_object_get_member (object, "errors");

      if (JSON_NODE_HOLDS_ARRAY (errors) && json_array_get_length (json_node_get_array (errors)) > 0)
        {
          JsonNode *first = json_array_get_element (json_node_get_array (errors), 0);
          if (JSON_NODE_HOLDS_OBJECT (first))
            message = cp_json_get_string (json_node_get_object (first), "message");
        }
    }

  if (message != NULL)
    text = g_strdup_printf (_("%s answered HTTP %u: %s"), self->service, status, message);
  else
    text = g_strdup_printf (_("%s answered HTTP %u (%s)"), self->service, status,
                            soup_status_get_phrase (status));
  if (correlation != NULL)
    {
      char *with_id = g_strdup_printf (_("%s [correlation id %s]"), text, correlation);
      g_free (text);
      text = with_id;
    }

  return g_steal_pointer (&text);
}

JsonNode *
_cp_crm_parse_json (const char  *data,
                    gsize        length,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  /* Refused before json-glib recurses into it. */
  if (!cp_json_check_depth (data, length, CP_JSON_MAX_DEPTH, error) ||
      !json_parser_load_from_data (parser, data, length, error))
    return NULL;

  root = json_parser_get_root (parser);
  return root != NULL ? json_node_ref (root) : NULL;
}

static JsonNode *
parse_body (GBytes  *bytes,
            GError **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size == 0)
    return NULL;
  return _cp_crm_parse_json (data, size, error);
}

/* This computer only: localhost, 127.0.0.0/8, ::1. */
static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
is_transport_retryable (const GError *error)
{
  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
         !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED) &&
         error->domain != G_TLS_ERROR;
}

static void
cp_crm_client_finalize (GObject *object)
{
  CpCrmClient *self = CP_CRM_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->auth_header, g_free);
  g_clear_pointer (&self->auth_value, g_free);
  g_clear_pointer (&self->service, g_free);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->last_correlation_id, g_free);
  g_clear_pointer (&self->last_error_body, json_node_unref);

  G_OBJECT_CLASS (cp_crm_client_parent_class)->finalize (object);
}

static void
cp_crm_client_class_init (CpCrmClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_crm_client_finalize;
}

static void
cp_crm_client_init (CpCrmClient *self)
{
  self->backoff = (CpBackoff) { 500, 60000, 8, 1.0 };
  self->rand = g_rand_new ();
  self->service = g_strdup ("CRM");
}

/**
 * cp_crm_client_new:
 * @base_url: https URL the API paths are appended to; plain http only
 *   for this computer (localhost, 127.0.0.0/8, ::1: test servers, local proxies)
 * @auth_header: e.g. "Authorization" or "X-Api-Key"
 * @auth_value: the header's value (holds the token: never logged)
 */
CpCrmClient *
cp_crm_client_new (const char  *base_url,
                   const char  *auth_header,
                   const char  *auth_value,
                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  CpCrmClient *self;
  const char *scheme;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (auth_header != NULL, NULL);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                   _("“%s” is not an http or https address."), base_url);
      return NULL;
    }
  /* The token and every lead would cross the network unencrypted. */
  if (g_str_equal (scheme, "http") && !is_loopback_host (g_uri_get_host (uri)))
    {
      g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                   _("“%s” is a plain http address: the access token and the leads would travel "
                     "unencrypted. Use its https:// address instead (plain http is accepted only "
                     "for this computer: localhost, 127.0.0.1 or ::1)."), base_url);
      return NULL;
    }
  if (auth_value == NULL || *auth_value == '\0' || strpbrk (auth_value, "\r\n") != NULL)
    {
      g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                   _("No access token is set for the CRM."));
      return NULL;
    }

  self = g_object_new (CP_TYPE_CRM_CLIENT, NULL);
  self->session = create_session (DEFAULT_TIMEOUT_S);
  self->base_url = g_strdup (base_url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->auth_header = g_strdup (auth_header);
  self->auth_value = g_strdup (auth_value);
  self->limits = _cp_crm_account_limits_get (self->base_url, auth_header, auth_value);

  return self;
}

void
cp_crm_client_set_backoff (CpCrmClient     *self,
                           const CpBackoff *backoff)
{
  g_return_if_fail (CP_IS_CRM_CLIENT (self));
  g_return_if_fail (backoff != NULL && backoff->max_attempts >= 1);

  self->backoff = *backoff;
}

void
cp_crm_client_set_timeout (CpCrmClient *self,
                           guint        seconds)
{
  g_return_if_fail (CP_IS_CRM_CLIENT (self));
  g_return_if_fail (seconds > 0);

  soup_session_set_timeout (self->session, seconds);
}

/* At most @per_second searches in any second, for every client of the
 * account; 0 turns the throttle off (only for servers on this machine:
 * benchmarks). */
void
cp_crm_client_set_search_rate (CpCrmClient *self,
                               guint        per_second)
{
  g_return_if_fail (CP_IS_CRM_CLIENT (self));
  g_return_if_fail (per_second <= MAX_SEARCH_RATE);

  _cp_crm_account_limits_set_search_rate (self->limits, per_second);
}

/**
 * cp_crm_client_set_rate_limit:
 * @max_requests: requests allowed in any @interval_ms; 0 turns the limit off
 *
 * The account's rolling request limit (HubSpot: 190 per 10 s for private
 * apps), searches included, for every client of the account. Rate-limit
 * headers in answers replace it with the account's own figures.
 */
void
cp_crm_client_set_rate_limit (CpCrmClient *self,
                              guint        max_requests,
                              guint        interval_ms)
{
  g_return_if_fail (CP_IS_CRM_CLIENT (self));
  g_return_if_fail (max_requests <= CP_CRM_MAX_RATE_LIMIT);
  g_return_if_fail (max_requests == 0 || interval_ms > 0);

  _cp_crm_account_limits_set_rate_limit (self->limits, max_requests, interval_ms);
}

void
cp_crm_client_set_service_name (CpCrmClient *self,
                                const char  *name)
{
  g_return_if_fail (CP_IS_CRM_CLIENT (self));

  g_free (self->service);
  self->service = g_strdup (name);
}

/* A request's JSON body, as sent. */
static GBytes *
encode_body (JsonNode *body)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, body);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

/* One attempt's message: the account's credentials, JSON both ways.
 *
 * libsoup sends a POST on a new connection unless the message is marked
 * idempotent, and every search is a POST: without the flag each page of a
 * pull paid a connect (and, over TLS, a handshake). A request the client
 * would resend anyway (not CP_CRM_REQUEST_NOT_IDEMPOTENT: searches, batch
 * reads, upserts by a unique property) may go out on the connection kept
 * alive from the last one; a create that must never be resent still gets
 * a connection of its own. */
static SoupMessage *
new_message (CpCrmClient       *self,
             const char        *method,
             const char        *url,
             GBytes            *request_body,
             CpCrmRequestFlags  flags,
             GError           **error)
{
  SoupMessage *message = soup_message_new (method, url);

  if (message == NULL)
    {
      g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                   _("“%s” is not a valid address."), url);
      return NULL;
    }
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                self->auth_header, self->auth_value);
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "application/json");
  if (request_body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", request_body);
  if (!(flags & CP_CRM_REQUEST_NOT_IDEMPOTENT))
    soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
  return message;
}

/* A non-2xx answer: its message, with *@code, *@retry and *@server_delay
 * set by what its status means. The body is kept as the last error body. */
static char *
http_failure (CpCrmClient        *self,
              guint               status,
              JsonNode           *root,
              CpCrmRequestFlags   flags,
              int                *code,
              gboolean           *retry,
              guint              *server_delay)
{
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
                       ? json_node_get_object (root) : NULL;
  char *failure = describe_failure (self, status, root);

  g_clear_pointer (&self->last_error_body, json_node_unref);
  self->last_error_body = root != NULL ? json_node_ref (root) : NULL;
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      {
        g_autofree char *detail = g_steal_pointer (&failure);

        *code = CP_SYNC_ERROR_AUTH;
        failure = g_strdup_printf (_("%s refused the access token (HTTP 401). Check "
                                     "the token saved for this account. %s"),
                                   self->service, detail);
      }
      break;
    case SOUP_STATUS_FORBIDDEN:
      *code = CP_SYNC_ERROR_FORBIDDEN;
      break;
    case SOUP_STATUS_CONFLICT:
      *code = CP_SYNC_ERROR_CONFLICT;
      break;
    case 429: /* Too Many Requests */
      *code = CP_SYNC_ERROR_RATE_LIMITED;
      self->rate_refusals++;
      /* The daily allowance does not come back by waiting seconds. */
      *retry = g_strcmp0 (cp_json_get_string (object, "policyName"), "DAILY") != 0;
      if (*retry)
        _cp_crm_account_limits_pause (self->limits, flags, self->backoff.server_scale);
      break;
    case SOUP_STATUS_LOCKED:
      *code = CP_SYNC_ERROR_TRANSIENT;
      *server_delay = MAX (*server_delay, LOCKED_MIN_DELAY_MS);
      *retry = TRUE;
      break;
    case 477: /* HubSpot: the account is being migrated */
    case SOUP_STATUS_INTERNAL_SERVER_ERROR:
    case SOUP_STATUS_BAD_GATEWAY:
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
    case SOUP_STATUS_GATEWAY_TIMEOUT:
      *code = CP_SYNC_ERROR_TRANSIENT;
      /* A gateway may have passed the request on before failing. */
      *retry = status == SOUP_STATUS_SERVICE_UNAVAILABLE || status == 477 ||
               !(flags & CP_CRM_REQUEST_NOT_IDEMPOTENT);
      break;
    default:
      *code = CP_SYNC_ERROR_REJECTED;
      break;
    }
  return failure;
}

/* Sends one request and hands back what @read made of a 2xx answer, or
 * (without @read) its JSON tree; see cp_crm_client_request(). An error
 * @read reports in JSON_PARSER_ERROR's or CP_CORE_ERROR's domain is a
 * garbled answer, retried as one; any other is final. */
static gpointer
send_request (CpCrmClient       *self,
              const char        *method,
              const char        *path,
              JsonNode          *body,
              CpCrmRequestFlags  flags,
              CpCrmReadFunc      read,
              gpointer           read_data,
              guint             *out_status,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autofree char *url = NULL;
  g_autoptr(GBytes) request_body = NULL;

  url = g_strconcat (self->base_url, path, NULL);
  if (body != NULL)
    request_body = encode_body (body);

  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(SoupMessage) message = NULL;
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GError) parse_error = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *failure = NULL;
      gboolean retry = FALSE;
      guint server_delay = 0;
      int code = CP_SYNC_ERROR_REJECTED;
      guint status;

      if (!_cp_crm_account_limits_pace (self->limits, flags, cancellable))
        return g_cancellable_set_error_if_cancelled (cancellable, error), NULL;

      message = new_message (self, method, url, request_body, flags, error);
      if (message == NULL)
        return NULL;

      answer = soup_session_send_and_read (self->session, message, cancellable, &local_error);
      if (answer == NULL)
        {
          if (g_cancellable_is_cancelled (cancellable) || !is_transport_retryable (local_error))
            {
              if (local_error->domain == G_TLS_ERROR)
                g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_TRANSIENT,
                             _("The secure connection to %s could not be verified: %s"),
                             self->service, local_error->message);
              else
                g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          failure = g_strdup_printf (_("Could not reach %s: %s"), self->service, local_error->message);
          code = CP_SYNC_ERROR_TRANSIENT;
          retry = !(flags & CP_CRM_REQUEST_NOT_IDEMPOTENT);
          status = 0;
        }
      else
        {
          SoupMessageHeaders *headers = soup_message_get_response_headers (message);

          status = soup_message_get_status (message);
          _cp_crm_account_limits_note_headers (self->limits, headers);
          server_delay = parse_retry_after (headers);
          if (read != NULL && status >= 200 && status < 300)
            {
              gsize size = 0;
              const char *data = g_bytes_get_data (answer, &size);
              gpointer result = read (data, size, read_data, &parse_error);

              if (parse_error == NULL || (parse_error->domain != JSON_PARSER_ERROR &&
                                          parse_error->domain != CP_CORE_ERROR))
                {
                  if (out_status != NULL)
                    *out_status = status;
                  if (parse_error != NULL)
                    g_propagate_error (error, g_steal_pointer (&parse_error));
                  return result;
                }
            }
          else
            root = parse_body (answer, &parse_error);

          if (status >= 200 && status < 300)
            {
              if (parse_error == NULL)
                {
                  if (out_status != NULL)
                    *out_status = status;
                  return g_steal_pointer (&root);
                }
              /* A truncated or garbled answer: nothing was applied yet. */
              failure = g_strdup_printf (_("%s sent an answer that is not valid JSON: %s"),
                                         self->service, parse_error->message);
              code = CP_SYNC_ERROR_INVALID_RESPONSE;
              retry = !(flags & CP_CRM_REQUEST_NOT_IDEMPOTENT);
            }
          else
            failure = http_failure (self, status, root, flags, &code, &retry, &server_delay);
        }

      if (retry && attempt + 1 < self->backoff.max_attempts)
        {
          guint delay = backoff_delay (self, attempt);

          self->longest_server_delay_ms = MAX (self->longest_server_delay_ms, server_delay);
          delay = MAX (delay, (guint) (server_delay * self->backoff.server_scale));
          self->retries++;
          g_debug ("%s %s: HTTP %u, retry %u in %u ms", method, path, status, attempt + 1, delay);
          if (!_cp_crm_sleep_cancellable (delay, cancellable))
            return g_cancellable_set_error_if_cancelled (cancellable, error), NULL;
          continue;
        }

      if (out_status != NULL)
        *out_status = status;
      if (retry)
        {
          char *with_attempts = g_strdup_printf (_("%s (gave up after %u attempts)"), failure,
                                                 attempt + 1);
          g_free (failure);
          failure = with_attempts;
        }
      g_set_error_literal (error, CP_SYNC_ERROR, code, failure);
      return NULL;
    }
}

/**
 * cp_crm_client_request:
 * @path: appended to the base URL, query included
 * @body: (nullable): a JSON body to send
 * @flags: search (throttled), not idempotent (not resent after it may have arrived)
 * @out_status: (out) (optional): the final HTTP status
 *
 * Sends one API request, retrying what is worth retrying (429 within the
 * ten-second window, 423, 477, 5xx, dropped connections, timeouts,
 * truncated bodies) with exponential backoff and full jitter, never less
 * than the server asked for.
 *
 * Returns: (transfer full) (nullable): the JSON answer; %NULL with no
 *   error for an empty 2xx answer
 */
JsonNode *
cp_crm_client_request (CpCrmClient   *self,
                       const char    *method,
                       const char    *path,
                       JsonNode      *body,
                       CpCrmRequestFlags flags,
                       guint         *out_status,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (CP_IS_CRM_CLIENT (self), NULL);
  g_return_val_if_fail (method != NULL && path != NULL, NULL);

  return send_request (self, method, path, body, flags, NULL, NULL, out_status, cancellable,
                       error);
}

/**
 * _cp_crm_client_request_read:
 * @read: makes the result of a 2xx answer's bytes, without a JSON tree
 *
 * As cp_crm_client_request(), for answers read straight into what is kept
 * (a pull's pages). An answer @read finds garbled is retried as a
 * truncated one; error answers are read as JSON trees, as always.
 *
 * Returns: (transfer full) (nullable): what @read returned
 */
gpointer
_cp_crm_client_request_read (CpCrmClient       *self,
                             const char        *method,
                             const char        *path,
                             JsonNode          *body,
                             CpCrmRequestFlags  flags,
                             CpCrmReadFunc      read,
                             gpointer           read_data,
                             GCancellable      *cancellable,
                             GError           **error)
{
  g_return_val_if_fail (CP_IS_CRM_CLIENT (self), NULL);
  g_return_val_if_fail (method != NULL && path != NULL && read != NULL, NULL);

  return send_request (self, method, path, body, flags, read, read_data, NULL, cancellable,
                       error);
}

guint
cp_crm_client_get_retries (CpCrmClient *self)
{
  g_return_val_if_fail (CP_IS_CRM_CLIENT (self), 0);

  return self->retries;
}

/* The 429 answers seen: 0 when the pacing kept within every limit. */
guint
cp_crm_client_get_rate_refusals (CpCrmClient *self)
{
  g_return_val_if_fail (CP_IS_CRM_CLIENT (self), 0);

  return self->rate_refusals;
}

/* The longest delay a server asked for (Retry-After, 423), before scaling. */
guint
cp_crm_client_get_longest_server_delay_ms (CpCrmClient *self)
{
  g_return_val_if_fail (CP_IS_CRM_CLIENT (self), 0);

  return self->longest_server_delay_ms;
}

const char *
cp_crm_client_get_last_correlation_id (CpCrmClient *self)
{
  g_return_val_if_fail (CP_IS_CRM_CLIENT (self), NULL);

  return self->last_correlation_id;
}

/* Returns: (transfer none) (nullable): the JSON body of the last error answer */
JsonNode *
cp_crm_client_get_last_error_body (CpCrmClient *self)
{
  g_return_val_if_fail (CP_IS_CRM_CLIENT (self), NULL);

  return self->last_error_body;
}
