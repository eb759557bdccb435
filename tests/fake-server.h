/* fake-server.h — a SoupServer in its own thread, with injectable faults, for fake CRMs
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _FakeServer FakeServer;

typedef enum
{
  FAKE_FAULT_STATUS,             /* answer @status with @body and @header instead */
  FAKE_FAULT_TRUNCATED,          /* do the work, send half the JSON */
  FAKE_FAULT_NOT_JSON,           /* do the work, send an HTML page */
  FAKE_FAULT_DROP_AFTER_COMMIT,  /* do the work, close the connection unanswered */
  FAKE_FAULT_SLOW,               /* answer after @value ms */
  FAKE_FAULT_FAIL_INPUT,         /* batch: refuse the input at @value (207) */
  FAKE_FAULT_CLOSE,              /* do the work, answer "Connection: close" and close */
} FakeFaultKind;

/* Called in the server's thread with the server's lock held. */
typedef void (*FakeHandler) (SoupServerMessage *msg,
                             const char        *path,
                             GHashTable        *query,
                             gpointer           user_data);

FakeServer *fake_server_new          (FakeHandler    handler,
                                      gpointer       user_data);
void        fake_server_free         (FakeServer    *server);
const char *fake_server_get_url      (FakeServer    *server);
void        fake_server_lock         (FakeServer    *server);
void        fake_server_unlock       (FakeServer    *server);
void        fake_server_inject       (FakeServer    *server,
                                      const char    *path_part,
                                      FakeFaultKind  kind,
                                      guint          status,
                                      const char    *body,
                                      const char    *header,
                                      guint          value,
                                      guint          times);
void        fake_server_delay_last_fault (FakeServer *server,
                                          guint       requests);
int         fake_server_take_input_fault (FakeServer *server,
                                          const char *path);
guint       fake_server_requests     (FakeServer    *server,
                                      const char    *path_part);
guint       fake_server_connections  (FakeServer    *server);

/* A rolling window of arrivals: at most @max in any @interval_ms. */
typedef struct _FakeRateWindow FakeRateWindow;

FakeRateWindow *fake_rate_window_new       (guint           max,
                                            guint           interval_ms);
void            fake_rate_window_free      (FakeRateWindow *window);
void            fake_rate_window_set       (FakeRateWindow *window,
                                            guint           max,
                                            guint           interval_ms);
gboolean        fake_rate_window_admit     (FakeRateWindow *window);
void            fake_rate_window_spend     (FakeRateWindow *window,
                                            guint           n);
guint           fake_rate_window_remaining (FakeRateWindow *window);
guint           fake_rate_window_max       (FakeRateWindow *window);
guint           fake_rate_window_interval_ms (FakeRateWindow *window);
guint           fake_rate_window_refusals  (FakeRateWindow *window);

/* Paging tokens: a position, spelled as a number or as an opaque string. */
char     *fake_paging_token_new   (guint64      position,
                                   gboolean     opaque);
gboolean  fake_paging_token_parse (const char  *token,
                                   gboolean     opaque,
                                   guint64     *out_position);

G_END_DECLS
