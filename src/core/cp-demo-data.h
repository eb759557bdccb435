/* cp-demo-data.h — invented names, places and organizations for demo leads
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* None of these are real people or organizations: names are drawn
 * independently, so any combination is a coincidence. */

typedef struct
{
  const char *name;
  const char *ascii;   /* for email addresses; NULL = derived from @name */
} CpDemoName;

typedef struct
{
  const char *name;
  const char *region;
  const char *postal_code;
  const char *area_code;
} CpDemoLocation;

typedef enum
{
  CP_DEMO_ORG_REFERRAL,
  CP_DEMO_ORG_B2B,
  CP_DEMO_ORG_LOCAL,
} CpDemoOrgKind;

typedef struct
{
  const char    *name;
  const char    *org_type;
  CpDemoOrgKind  kind;
} CpDemoOrganization;

extern const CpDemoName         _cp_demo_first_names[];
extern const guint              _cp_demo_n_first_names;
extern const CpDemoName         _cp_demo_last_names[];
extern const guint              _cp_demo_n_last_names;
extern const CpDemoLocation     _cp_demo_locations[];
extern const guint              _cp_demo_n_locations;
extern const CpDemoOrganization _cp_demo_organizations[];
extern const guint              _cp_demo_n_organizations;
extern const char * const       _cp_demo_staff[];
extern const guint              _cp_demo_n_staff;
extern const char * const       _cp_demo_campaigns[];
extern const guint              _cp_demo_n_campaigns;

G_END_DECLS
