/* cp-router.c — which queue and owner a lead goes to (round robin, fallback)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-router"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-router.h"

typedef struct
{
  guint    next_index;
  gboolean dirty;
} QueuePosition;

struct _CpRouterState
{
  GHashTable    *positions;   /* queue id → QueuePosition */
  CpRouterState *base;        /* (nullable) (unowned) read where positions has nothing */
};

CpRouterState *
cp_router_state_new (void)
{
  CpRouterState *state = g_new0 (CpRouterState, 1);

  state->positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return state;
}

/**
 * cp_router_state_new_over:
 * @base: positions as stored; must outlive the new state
 *
 * A state that reads @base and keeps what routing changes to itself: a
 * write path routes on it, and saves (then applies) only what moved.
 *
 * Returns: (transfer full): the state, nothing moved yet
 */
CpRouterState *
cp_router_state_new_over (CpRouterState *base)
{
  CpRouterState *state = cp_router_state_new ();

  state->base = base;
  return state;
}

/**
 * cp_router_state_apply:
 * @changes: a state routing moved (cp_router_state_new_over() @state)
 *
 * Takes the positions @changes moved into @state, as stored (not dirty).
 */
void
cp_router_state_apply (CpRouterState *state,
                       CpRouterState *changes)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (state != NULL && changes != NULL);

  g_hash_table_iter_init (&iter, changes->positions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    cp_router_state_set (state, key, ((QueuePosition *) value)->next_index);
}

void
cp_router_state_free (CpRouterState *state)
{
  if (state == NULL)
    return;
  g_hash_table_unref (state->positions);
  g_free (state);
}

guint
cp_router_state_get (CpRouterState *state,
                     const char    *queue)
{
  QueuePosition *position;

  g_return_val_if_fail (state != NULL && queue != NULL, 0);

  position = g_hash_table_lookup (state->positions, queue);
  if (position == NULL && state->base != NULL)
    return cp_router_state_get (state->base, queue);
  return position != NULL ? position->next_index : 0;
}

static void
state_store (CpRouterState *state,
             const char    *queue,
             guint          next_index,
             gboolean       dirty)
{
  QueuePosition *position = g_hash_table_lookup (state->positions, queue);

  if (position == NULL)
    {
      position = g_new0 (QueuePosition, 1);
      g_hash_table_insert (state->positions, g_strdup (queue), position);
    }
  position->next_index = next_index;
  position->dirty = dirty;
}

/**
 * cp_router_state_set:
 *
 * Sets a queue's position as loaded from storage (not dirty).
 */
void
cp_router_state_set (CpRouterState *state,
                     const char    *queue,
                     guint          next_index)
{
  g_return_if_fail (state != NULL && queue != NULL);

  state_store (state, queue, next_index, FALSE);
}

/**
 * cp_router_state_get_queues:
 *
 * Returns: (transfer container) (element-type utf8): the queues with a position
 */
GList *
cp_router_state_get_queues (CpRouterState *state)
{
  g_return_val_if_fail (state != NULL, NULL);

  return g_hash_table_get_keys (state->positions);
}

/* Whether routing moved the queue's position since it was loaded. */
gboolean
cp_router_state_is_dirty (CpRouterState *state,
                          const char    *queue)
{
  QueuePosition *position = g_hash_table_lookup (state->positions, queue);

  return position != NULL && position->dirty;
}

void
cp_route_free (CpRoute *route)
{
  if (route == NULL)
    return;
  g_free (route->queue);
  g_free (route->owner);
  g_free (route->rule_id);
  g_free (route->reason);
  g_strfreev (route->channels);
  g_free (route);
}

/* Takes the next available owner of @queue in turn, advancing the position. */
static const char *
next_owner (const CpQueue      *queue,
            CpRouterState      *state,
            const char * const *unavailable)
{
  guint n = queue->owners != NULL ? g_strv_length (queue->owners) : 0;
  guint start;

  if (n == 0)
    return NULL;
  start = cp_router_state_get (state, queue->id) % n;
  for (guint step = 0; step < n; step++)
    {
      guint index = (start + step) % n;
      const char *owner = queue->owners[index];

      if (unavailable != NULL && g_strv_contains (unavailable, owner))
        continue;
      state_store (state, queue->id, (index + 1) % n, TRUE);
      return owner;
    }
  return NULL;
}

/**
 * cp_router_route:
 * @playbook: the playbook
 * @input: the lead
 * @state: round-robin positions; advanced for the queue that got the lead
 * @unavailable_owners: (nullable): owners who cannot take leads now
 *
 * The first routing rule whose condition holds names the queue; its owners
 * take turns. When no rule matches, or no owner of the queue is available,
 * the lead goes to the fallback queue.
 *
 * Returns: (transfer full): the route with its reason
 */
/**
 * cp_router_match_rule:
 * @playbook: the playbook
 * @input: the lead
 *
 * Which routing rule takes the lead, without choosing an owner (no
 * round-robin state moves): what a preview of a draft compares.
 *
 * Returns: (nullable): the first rule whose condition holds, or %NULL when
 *   the lead goes to the fallback queue
 */
const CpRouteRule *
cp_router_match_rule (CpPlaybook       *playbook,
                      CpConditionInput *input)
{
  g_return_val_if_fail (playbook != NULL && input != NULL, NULL);

  for (guint i = 0; i < playbook->route_rules->len; i++)
    {
      const CpRouteRule *rule = g_ptr_array_index (playbook->route_rules, i);

      if (rule->condition == NULL || cp_condition_evaluate (rule->condition, input))
        return rule;
    }
  return NULL;
}

/* Why a lead went where it did, in words. */
static char *
explain (CpPlaybook        *playbook,
         const CpRouteRule *matched,
         gboolean           fallback)
{
  if (!fallback)
    {
      g_autofree char *why = cp_condition_to_string (matched->condition);

      return g_strdup_printf (_("Rule “%s”: %s"),
                              matched->description ? matched->description : matched->id, why);
    }
  if (matched == NULL)
    return g_strdup (_("No routing rule matched: the fallback queue takes the lead"));
  return g_strdup_printf (
      _("Nobody in queue “%s” is available: the fallback queue takes the lead"), matched->queue);
}

static CpRoute *
route (CpPlaybook         *playbook,
       CpConditionInput   *input,
       CpRouterState      *state,
       const char * const *unavailable_owners,
       gboolean            in_full)
{
  CpRoute *route;
  const CpRouteRule *matched = NULL;
  const CpQueue *queue = NULL;
  const char *owner = NULL;

  g_return_val_if_fail (playbook != NULL && input != NULL && state != NULL, NULL);

  route = g_new0 (CpRoute, 1);
  matched = cp_router_match_rule (playbook, input);

  if (matched != NULL)
    {
      queue = cp_playbook_get_queue (playbook, matched->queue);
      route->rule_id = g_strdup (matched->id);
      owner = queue != NULL ? next_owner (queue, state, unavailable_owners) : NULL;
    }

  if (owner == NULL)
    {
      const CpQueue *fallback = cp_playbook_get_queue (playbook, playbook->fallback_queue);

      route->fallback = TRUE;
      queue = fallback;
      owner = fallback != NULL ? next_owner (fallback, state, unavailable_owners) : NULL;
    }

  route->queue = g_strdup (queue != NULL ? queue->id : playbook->fallback_queue);
  route->owner = g_strdup (owner);
  if (in_full)
    {
      route->reason = explain (playbook, matched, route->fallback);
      route->channels =
          cp_playbook_allowed_channels (playbook, input->lead->text[CP_LEAD_FIELD_STAGE], input,
                                        NULL);
    }
  return route;
}

CpRoute *
cp_router_route (CpPlaybook         *playbook,
                 CpConditionInput   *input,
                 CpRouterState      *state,
                 const char * const *unavailable_owners)
{
  return route (playbook, input, state, unavailable_owners, TRUE);
}

/**
 * cp_router_route_quickly:
 *
 * cp_router_route() without the reason and the channels, for a caller
 * routing many leads: cp_router_explain() says why, once per rule.
 *
 * Returns: (transfer full): the route
 */
CpRoute *
cp_router_route_quickly (CpPlaybook         *playbook,
                         CpConditionInput   *input,
                         CpRouterState      *state,
                         const char * const *unavailable_owners)
{
  return route (playbook, input, state, unavailable_owners, FALSE);
}

/**
 * cp_router_explain:
 * @route: a route of @playbook
 *
 * Returns: (transfer full): why the lead went where @route says, in words
 *   (the same text cp_router_route() gives)
 */
char *
cp_router_explain (CpPlaybook    *playbook,
                   const CpRoute *route)
{
  const CpRouteRule *matched = NULL;

  g_return_val_if_fail (playbook != NULL && route != NULL, NULL);

  for (guint i = 0; route->rule_id != NULL && i < playbook->route_rules->len && matched == NULL;
       i++)
    if (g_strcmp0 (((CpRouteRule *) playbook->route_rules->pdata[i])->id, route->rule_id) == 0)
      matched = playbook->route_rules->pdata[i];
  return explain (playbook, matched, route->fallback || matched == NULL);
}
