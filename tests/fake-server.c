/* fake-server.c — a SoupServer in its own thread, with injectable faults, for fake CRMs
 *
 * The client under test blocks on HTTP, so the server runs its own main
 * context in its own thread. Faults (spec/crm-sync.md §4) are queued per
 * path and applied around the API handler.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "fake-server.h"

typedef struct
{
  char          *path_part;
  FakeFaultKind  kind;
  guint          status;
  char          *body;
  char          *header;
  guint          value;
  guint          times;
  guint          skip;      /* matching requests let through first */
} Fault;

struct _FakeServer
{
  GMutex        lock;
  GCond         ready;
  gboolean      started;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *soup;
  char         *url;
  FakeHandler   handler;
  gpointer      user_data;
  GPtrArray    *faults;
  GPtrArray    *request_log;
  GHashTable   *client_ports;   /* the client's end of each connection seen */
};

static void
fault_free (Fault *fault)
{
  g_free (fault->path_part);
  g_free (fault->body);
  g_free (fault->header);
  g_free (fault);
}

static Fault *
find_fault (FakeServer *server,
            const char *path,
            gboolean    input_faults)
{
  for (guint i = 0; i < server->faults->len; i++)
    {
      Fault *fault = server->faults->pdata[i];

      if (strstr (path, fault->path_part) != NULL &&
          (fault->kind == FAKE_FAULT_FAIL_INPUT) == input_faults)
        return fault;
    }
  return NULL;
}

static void
consume_fault (FakeServer *server,
               Fault      *fault)
{
  if (--fault->times == 0)
    g_ptr_array_remove (server->faults, fault);
}

static gboolean
unpause_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
apply_fault_after (FakeServer        *server,
                   SoupServerMessage *msg,
                   Fault             *fault)
{
  switch (fault->kind)
    {
    case FAKE_FAULT_TRUNCATED:
      {
        SoupMessageBody *body = soup_server_message_get_response_body (msg);
        g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
        gsize half = g_bytes_get_size (bytes) / 2;
        g_autofree char *copy = g_strndup (g_bytes_get_data (bytes, NULL), half);

        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, copy, half);
      }
      break;
    case FAKE_FAULT_NOT_JSON:
      {
        static const char html[] = "<html><body>502 Bad Gateway</body></html>";
        soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, html,
                                          strlen (html));
      }
      break;
    case FAKE_FAULT_DROP_AFTER_COMMIT:
      {
        g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
        g_io_stream_close (stream, NULL, NULL);
      }
      break;
    case FAKE_FAULT_SLOW:
      {
        GSource *source = g_timeout_source_new (fault->value);

        soup_server_message_pause (msg);
        g_source_set_callback (source, unpause_cb, g_object_ref (msg), NULL);
        g_source_attach (source, server->context);
        g_source_unref (source);
      }
      break;
    case FAKE_FAULT_CLOSE:
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                    "close");
      break;
    case FAKE_FAULT_STATUS:
    case FAKE_FAULT_FAIL_INPUT:
    default:
      break;
    }
}

/* A connection is told by the client's port: loopback, one address. */
static void
note_connection (FakeServer        *server,
                 SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  guint16 port;

  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return;
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote));
  g_hash_table_add (server->client_ports, GUINT_TO_POINTER (port));
}

static void
server_cb (SoupServer        *soup,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  FakeServer *server = user_data;
  g_autofree char *request = g_strdup_printf ("%s %s", soup_server_message_get_method (msg), path);
  Fault *fault;

  g_mutex_lock (&server->lock);
  g_ptr_array_add (server->request_log, g_strdup (request));
  note_connection (server, msg);

  fault = find_fault (server, request, FALSE);
  if (fault != NULL && fault->skip > 0)
    {
      fault->skip--;
      fault = NULL;
    }
  if (fault != NULL && fault->kind == FAKE_FAULT_STATUS)
    {
      soup_server_message_set_status (msg, fault->status, NULL);
      if (fault->body != NULL)
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, fault->body,
                                          strlen (fault->body));
      if (fault->header != NULL)
        {
          g_auto(GStrv) kv = g_strsplit (fault->header, ": ", 2);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), kv[0],
                                        kv[1]);
        }
      consume_fault (server, fault);
      g_mutex_unlock (&server->lock);
      return;
    }

  server->handler (msg, path, query, server->user_data);
  if (fault != NULL)
    {
      apply_fault_after (server, msg, fault);
      consume_fault (server, fault);
    }
  g_mutex_unlock (&server->lock);
}

static gpointer
server_thread (gpointer user_data)
{
  FakeServer *server = user_data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (server->context);
  server->soup = soup_server_new (NULL, NULL);
  soup_server_add_handler (server->soup, NULL, server_cb, server, NULL);
  soup_server_listen_local (server->soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server->soup);
  server->url = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  if (g_str_has_suffix (server->url, "/"))
    server->url[strlen (server->url) - 1] = '\0';
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&server->lock);
  server->started = TRUE;
  g_cond_signal (&server->ready);
  g_mutex_unlock (&server->lock);

  g_main_loop_run (server->loop);

  soup_server_disconnect (server->soup);
  g_clear_object (&server->soup);
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

FakeServer *
fake_server_new (FakeHandler handler,
                 gpointer    user_data)
{
  FakeServer *server = g_new0 (FakeServer, 1);

  g_mutex_init (&server->lock);
  g_cond_init (&server->ready);
  server->handler = handler;
  server->user_data = user_data;
  server->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  server->request_log = g_ptr_array_new_with_free_func (g_free);
  server->client_ports = g_hash_table_new (NULL, NULL);
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->thread = g_thread_new ("fake-server", server_thread, server);

  g_mutex_lock (&server->lock);
  while (!server->started)
    g_cond_wait (&server->ready, &server->lock);
  g_mutex_unlock (&server->lock);

  return server;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

void
fake_server_free (FakeServer *server)
{
  g_main_context_invoke (server->context, quit_cb, server->loop);
  g_thread_join (server->thread);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_ptr_array_unref (server->faults);
  g_ptr_array_unref (server->request_log);
  g_hash_table_unref (server->client_ports);
  g_free (server->url);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->ready);
  g_free (server);
}

const char *
fake_server_get_url (FakeServer *server)
{
  return server->url;
}

void
fake_server_lock (FakeServer *server)
{
  g_mutex_lock (&server->lock);
}

void
fake_server_unlock (FakeServer *server)
{
  g_mutex_unlock (&server->lock);
}

/**
 * fake_server_inject:
 * @path_part: the fault hits requests whose “METHOD /path” contains this
 * @header: (nullable): "Name: value" added to a FAKE_FAULT_STATUS answer
 * @value: delay in ms (SLOW) or input index (FAIL_INPUT)
 * @times: how many matching requests it hits
 */
void
fake_server_inject (FakeServer    *server,
                    const char    *path_part,
                    FakeFaultKind  kind,
                    guint          status,
                    const char    *body,
                    const char    *header,
                    guint          value,
                    guint          times)
{
  Fault *fault = g_new0 (Fault, 1);

  fault->path_part = g_strdup (path_part);
  fault->kind = kind;
  fault->status = status;
  fault->body = g_strdup (body);
  fault->header = g_strdup (header);
  fault->value = value;
  fault->times = times;
  g_mutex_lock (&server->lock);
  g_ptr_array_add (server->faults, fault);
  g_mutex_unlock (&server->lock);
}

/* The fault injected last strikes only after @requests matching requests
 * went through: "page 2 fails". */
void
fake_server_delay_last_fault (FakeServer *server,
                              guint       requests)
{
  g_mutex_lock (&server->lock);
  g_assert (server->faults->len > 0);
  ((Fault *) server->faults->pdata[server->faults->len - 1])->skip = requests;
  g_mutex_unlock (&server->lock);
}

/* For handlers (lock held): the input index to refuse in this batch, or -1. */
int
fake_server_take_input_fault (FakeServer *server,
                              const char *path)
{
  Fault *fault = find_fault (server, path, TRUE);
  int index;

  if (fault == NULL)
    return -1;
  index = fault->value;
  consume_fault (server, fault);
  return index;
}

guint
fake_server_requests (FakeServer *server,
                      const char *path_part)
{
  guint n = 0;

  g_mutex_lock (&server->lock);
  for (guint i = 0; i < server->request_log->len; i++)
    if (strstr (server->request_log->pdata[i], path_part) != NULL)
      n++;
  g_mutex_unlock (&server->lock);
  return n;
}

/* The connections the requests so far came on: a client that keeps its
 * connection alive sends every request of a pull on one. */
guint
fake_server_connections (FakeServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = g_hash_table_size (server->client_ports);
  g_mutex_unlock (&server->lock);
  return n;
}

struct _FakeRateWindow
{
  GQueue arrivals;      /* monotonic µs, oldest first */
  guint  max;           /* 0: no limit */
  gint64 interval_us;
  guint  refusals;
};

FakeRateWindow *
fake_rate_window_new (guint max,
                      guint interval_ms)
{
  FakeRateWindow *window = g_new0 (FakeRateWindow, 1);

  g_queue_init (&window->arrivals);
  fake_rate_window_set (window, max, interval_ms);
  return window;
}

void
fake_rate_window_free (FakeRateWindow *window)
{
  g_queue_clear_full (&window->arrivals, g_free);
  g_free (window);
}

void
fake_rate_window_set (FakeRateWindow *window,
                      guint           max,
                      guint           interval_ms)
{
  window->max = max;
  window->interval_us = (gint64) interval_ms * 1000;
  g_queue_clear_full (&window->arrivals, g_free);
}

static void
rate_window_prune (FakeRateWindow *window)
{
  gint64 now = g_get_monotonic_time ();

  while (!g_queue_is_empty (&window->arrivals) &&
         *(gint64 *) g_queue_peek_head (&window->arrivals) <= now - window->interval_us)
    g_free (g_queue_pop_head (&window->arrivals));
}

/* Counts one arrival. FALSE (counted as a refusal, not as an arrival)
 * when the window is full: answer 429. */
gboolean
fake_rate_window_admit (FakeRateWindow *window)
{
  if (window->max == 0)
    return TRUE;
  rate_window_prune (window);
  if (g_queue_get_length (&window->arrivals) >= window->max)
    {
      window->refusals++;
      return FALSE;
    }
  fake_rate_window_spend (window, 1);
  return TRUE;
}

/* @n arrivals now: other apps of the account using the same limit. */
void
fake_rate_window_spend (FakeRateWindow *window,
                        guint           n)
{
  for (guint i = 0; i < n; i++)
    g_queue_push_tail (&window->arrivals, g_memdup2 (&(gint64) { g_get_monotonic_time () },
                                                     sizeof (gint64)));
}

guint
fake_rate_window_remaining (FakeRateWindow *window)
{
  rate_window_prune (window);
  return window->max > g_queue_get_length (&window->arrivals)
         ? window->max - g_queue_get_length (&window->arrivals) : 0;
}

guint
fake_rate_window_max (FakeRateWindow *window)
{
  return window->max;
}

guint
fake_rate_window_interval_ms (FakeRateWindow *window)
{
  return window->interval_us / 1000;
}

guint
fake_rate_window_refusals (FakeRateWindow *window)
{
  return window->refusals;
}

/* Opaque tokens carry the position in base64, padding and '+' or '/'
 * included: a client must pass them back exactly, escaped in a URL. */
char *
fake_paging_token_new (guint64  position,
                       gboolean opaque)
{
  g_autofree char *text = g_strdup_printf ("%s%" G_GUINT64_FORMAT, opaque ? "~?>" : "", position);

  return opaque ? g_base64_encode ((const guchar *) text, strlen (text)) : g_steal_pointer (&text);
}

gboolean
fake_paging_token_parse (const char *token,
                         gboolean    opaque,
                         guint64    *out_position)
{
  g_autofree char *text = NULL;
  const char *digits = token;
  gsize length = 0;
  char *end = NULL;

  if (opaque)
    {
      text = (char *) g_base64_decode (token, &length);
      text = g_realloc (text, length + 1);
      text[length] = '\0';
      if (!g_str_has_prefix (text, "~?>"))
        return FALSE;
      digits = text + strlen ("~?>");
    }
  *out_position = g_ascii_strtoull (digits, &end, 10);
  return end != digits && *end == '\0';
}
