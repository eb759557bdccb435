/* cp-demo-private.h — the demo generator's random stream, shared by its parts
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-demo.h"

G_BEGIN_DECLS

/* Our own generator (SplitMix64) rather than g_random: the same seed must
 * give the same leads on every GLib version and platform. */
typedef struct
{
  guint64 state;
} CpDemoRng;

typedef struct
{
  const char *value;
  guint       weight;
} CpDemoWeighted;

typedef enum
{
  CP_DEMO_STAGE_NEW,
  CP_DEMO_STAGE_ENGAGED,
  CP_DEMO_STAGE_QUALIFIED,
  CP_DEMO_STAGE_ACTIVE_EVALUATION,
  CP_DEMO_STAGE_ONBOARDING,
  CP_DEMO_STAGE_ADOPTION,
  CP_DEMO_STAGE_REACTIVATION,
  CP_DEMO_STAGE_CLOSED_WON,
  CP_DEMO_STAGE_CLOSED_LOST,
  CP_DEMO_N_STAGES
} CpDemoStage;

extern const char * const _cp_demo_stage_ids[CP_DEMO_N_STAGES + 1];

static inline guint64
mix64 (guint64 z)
{
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline guint64
rng_next (CpDemoRng *rng)
{
  return mix64 (rng->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
}

/* A uniform integer in [0, n). */
static inline guint
rng_below (CpDemoRng *rng,
           guint      n)
{
  return (guint) (((rng_next (rng) >> 32) * (guint64) n) >> 32);
}

/* A uniform integer in [0, n) for spans of time; 0 when n <= 0. */
static inline gint64
rng_span (CpDemoRng *rng,
          gint64     n)
{
  if (n <= 0)
    return 0;
  return (gint64) (rng_next (rng) % (guint64) n);
}

static inline gboolean
rng_percent (CpDemoRng *rng,
             guint      percent)
{
  return rng_below (rng, 100) < percent;
}

const char *_cp_demo_pick_weighted          (CpDemoRng            *rng,
                                             const CpDemoWeighted *items,
                                             guint                 n_items);
guint       _cp_demo_pick_index             (CpDemoRng            *rng,
                                             const guint          *weights,
                                             guint                 n);
char       *_cp_demo_child_uuid             (const char           *lead_id,
                                             guint                 child,
                                             CpDemoRng            *rng);
CpDemoRng   _cp_demo_generator_rng_for_lead (CpDemoGenerator      *self,
                                             CpLead               *lead,
                                             guint64               salt);
CpDemoStage _cp_demo_stage_from_id          (const char           *id);

#define PICK(rng, table) _cp_demo_pick_weighted ((rng), (table), G_N_ELEMENTS (table))
#define PICK_ANY(rng, array) ((array)[rng_below ((rng), G_N_ELEMENTS (array))])

G_END_DECLS
