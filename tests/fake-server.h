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
int         fake_server_take_input_fault (FakeServer *server,
                                          const char *path);
guint       fake_server_requests     (FakeServer    *server,
                                      const char    *path_part);

G_END_DECLS
