/* cp-router.h — which queue and owner a lead goes to (round robin, fallback)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-playbook.h"

G_BEGIN_DECLS

/* Round-robin positions per queue, passed in and out so the store can
 * persist them (see cp_playbook_store_load_router_state()). */
typedef struct _CpRouterState CpRouterState;

CpRouterState *cp_router_state_new      (void);
CpRouterState *cp_router_state_new_over (CpRouterState *base);
void           cp_router_state_apply    (CpRouterState *state,
                                         CpRouterState *changes);
void           cp_router_state_free     (CpRouterState *state);
guint          cp_router_state_get      (CpRouterState *state,
                                         const char    *queue);
void           cp_router_state_set      (CpRouterState *state,
                                         const char    *queue,
                                         guint          next_index);
GList         *cp_router_state_get_queues (CpRouterState *state);
gboolean       cp_router_state_is_dirty (CpRouterState *state,
                                         const char    *queue);

typedef struct
{
  char     *queue;
  char     *owner;       /* (nullable) nobody available, even in the fallback */
  char     *rule_id;     /* (nullable) no rule matched */
  gboolean  fallback;
  char     *reason;
  char    **channels;    /* outreach channels stage and consent allow */
} CpRoute;

void     cp_route_free   (CpRoute          *route);
const CpRouteRule *cp_router_match_rule (CpPlaybook       *playbook,
                                         CpConditionInput *input);
CpRoute *cp_router_route (CpPlaybook         *playbook,
                          CpConditionInput   *input,
                          CpRouterState      *state,
                          const char * const *unavailable_owners);
CpRoute *cp_router_route_quickly (CpPlaybook         *playbook,
                                  CpConditionInput   *input,
                                  CpRouterState      *state,
                                  const char * const *unavailable_owners);
char    *cp_router_explain       (CpPlaybook         *playbook,
                                  const CpRoute      *route);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpRouterState, cp_router_state_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpRoute, cp_route_free)

G_END_DECLS
