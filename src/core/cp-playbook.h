/* cp-playbook.h — the team's rules: stages, scoring, routing, automation, consent
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "cp-condition.h"
#include "cp-task.h"

G_BEGIN_DECLS

typedef enum
{
  CP_SCORE_FIT,
  CP_SCORE_INTENT,
  CP_SCORE_READINESS,
  CP_SCORE_N_CATEGORIES
} CpScoreCategory;

const char *cp_score_category_to_string   (CpScoreCategory   category);
gboolean    cp_score_category_from_string (const char       *text,
                                           CpScoreCategory  *out_category);

typedef struct
{
  char *id;
  char *channel;   /* "email", "phone", "sms", "mail" */
  char *title;
  char *body;      /* email text or call script */
} CpOutreachTemplate;

/* A task a stage gives the lead's owner when a lead enters it. */
typedef struct
{
  CpTaskKind  kind;
  char       *title;
  guint       due_business_hours;  /* due this long after entry, in the location's business hours */
  char       *template_key;        /* (nullable) the playbook template to do it with */
} CpEntryTask;

typedef struct
{
  char         *id;
  char         *title;
  char         *owner_role;        /* marketing, sales_development, sales, customer_success,
                                    * intake */
  gboolean      closed;
  CpCondition  *entry;             /* (nullable) must hold to enter */
  CpCondition  *exit;              /* (nullable) must hold to leave (except to a closed stage) */
  char        **required_fields;   /* must be known to enter */
  char        **channels;          /* allowed outreach channels */
  guint         sla_hours;         /* response SLA in business hours; 0: none */
  guint         rotting_days;      /* 0: no limit */
  char        **assets;
  GPtrArray    *templates;         /* CpOutreachTemplate */
  char        **handoff_checklist;
  guint         funnel_position;   /* place on the lifecycle path the funnel follows; 0: off it */
  GPtrArray    *entry_tasks;       /* CpEntryTask: created for the owner on entry
                                    * (cp-stage-tasks.c) */
} CpStage;

typedef struct
{
  char            *id;
  char            *description;
  CpScoreCategory  category;
  int              points;
  gboolean         decay;          /* engagement signal: points halve every half-life */
  CpCondition     *condition;
  char           **override_stages;  /* per-stage points, parallel to override_points */
  int             *override_points;
  guint            n_overrides;
} CpScoreRule;

typedef struct
{
  GPtrArray *rules;                          /* CpScoreRule */
  int        caps[CP_SCORE_N_CATEGORIES];    /* maximum per category */
  double     half_life_days;                 /* 0: no decay */
  int        nurture_threshold;              /* score ≥ this: nurture */
  int        sales_ready_threshold;          /* score ≥ this: sales_ready */
  /* Account boost: readiness points per other engaged contact of the account. */
  guint      account_min_contacts;
  int        account_points_per_contact;
  int        account_max_points;
} CpScoringModel;

typedef struct
{
  char        *id;
  char        *description;
  CpCondition *condition;
  char        *queue;
} CpRouteRule;

typedef struct
{
  char  *id;
  char  *title;
  char **owners;
  char  *escalation_owner;  /* (nullable) takes leads whose response SLA escalated */
} CpQueue;

typedef enum
{
  CP_AUTOMATION_ON_ACTIVITY,    /* a new activity of one of the kinds arrived */
  CP_AUTOMATION_ON_INACTIVITY,  /* nothing happened for inactive_days */
  CP_AUTOMATION_ON_FIELD,       /* a field changed and the condition now holds */
} CpAutomationTrigger;

typedef struct
{
  char                *id;
  char                *description;
  CpAutomationTrigger  trigger;
  guint32              kind_mask;     /* ON_ACTIVITY: the kinds; 0 = any */
  guint                inactive_days; /* ON_INACTIVITY */
  CpCondition         *condition;     /* (nullable) */
  char               **from_stages;   /* (nullable) only from these */
  char                *to_stage;
} CpAutomationRule;

typedef struct
{
  char *id;
  char *title;
  char *outcome;   /* "won" or "lost" */
} CpClosureReason;

typedef struct
{
  char        *id;
  char        *description;
  CpCondition *condition;
  char       **blocked_channels;   /* "*" blocks every channel */
} CpConsentRule;

/* Erases leads that stayed in one of @stages without activity for
 * @months_inactive months (the only action so far: "erase"). */
typedef struct
{
  char   *id;
  char   *description;
  char  **stages;
  guint   months_inactive;   /* CP_RETENTION_MIN_MONTHS … CP_RETENTION_MAX_MONTHS */
  char   *action;            /* "erase" */
} CpRetentionRule;

#define CP_RETENTION_MIN_MONTHS 1
#define CP_RETENTION_MAX_MONTHS 240

typedef struct
{
  char      *location;      /* "*" for every location without its own */
  char      *timezone;      /* IANA id, e.g. "America/Chicago" */
  guint8     days;          /* bit 0 = Monday … bit 6 = Sunday */
  int        open_minute;   /* minutes after local midnight */
  int        close_minute;
  GArray    *holidays;      /* GDate (julian days as guint32) */
} CpBusinessHours;

typedef struct
{
  guint       ref_count;
  char       *name;
  char       *description;
  GPtrArray  *stages;          /* CpStage, in order */
  CpScoringModel scoring;
  GPtrArray  *route_rules;     /* CpRouteRule, first match wins */
  GPtrArray  *queues;          /* CpQueue */
  char       *fallback_queue;
  GPtrArray  *automation;      /* CpAutomationRule */
  GPtrArray  *closure_reasons; /* CpClosureReason */
  GPtrArray  *consent_rules;   /* CpConsentRule */
  GPtrArray  *business_hours;  /* CpBusinessHours */
  guint       escalate_after_hours;  /* breached this long: escalated; 0: never */
  GPtrArray  *retention;       /* CpRetentionRule; empty: nothing is erased by time */
} CpPlaybook;

#define CP_TYPE_PLAYBOOK (cp_playbook_get_type ())
GType cp_playbook_get_type (void) G_GNUC_CONST;

CpPlaybook      *cp_playbook_new              (void);
CpPlaybook      *cp_playbook_ref              (CpPlaybook *self);
void             cp_playbook_unref            (CpPlaybook *self);

CpStage         *cp_stage_new                 (const char *id);
void             cp_stage_free                (CpStage    *stage);
CpScoreRule     *cp_score_rule_new            (const char *id);
void             cp_score_rule_free           (CpScoreRule *rule);
CpRouteRule     *cp_route_rule_new            (const char *id);
void             cp_route_rule_free           (CpRouteRule *rule);
CpQueue         *cp_queue_new                 (const char *id);
void             cp_queue_free                (CpQueue    *queue);
CpAutomationRule *cp_automation_rule_new      (const char *id);
void             cp_automation_rule_free      (CpAutomationRule *rule);
CpClosureReason *cp_closure_reason_new        (const char *id);
void             cp_closure_reason_free       (CpClosureReason *reason);
CpConsentRule   *cp_consent_rule_new          (const char *id);
void             cp_consent_rule_free         (CpConsentRule *rule);
CpRetentionRule *cp_retention_rule_new        (const char *id);
void             cp_retention_rule_free       (CpRetentionRule *rule);
CpEntryTask     *cp_entry_task_new            (void);
void             cp_entry_task_free           (CpEntryTask *task);
gboolean         cp_playbook_check_entry_tasks (CpPlaybook *self,
                                                guint       stage_index,
                                                GError    **error);
void             cp_stage_describe_entry_tasks (const CpStage *stage,
                                                GString       *out);
CpOutreachTemplate *cp_outreach_template_new  (const char *id);
void             cp_outreach_template_free    (CpOutreachTemplate *template_);
CpBusinessHours *cp_business_hours_new        (const char *location);
gboolean         cp_parse_iso_date            (const char *text,
                                               guint32    *out_julian);
gboolean         cp_parse_clock_time          (const char *text,
                                               int        *out_minute);
void             cp_business_hours_free       (CpBusinessHours *hours);

const CpStage   *cp_playbook_get_stage        (CpPlaybook *self,
                                               const char *id);
int              cp_playbook_stage_index      (CpPlaybook *self,
                                               const char *id);
const CpQueue   *cp_playbook_get_queue        (CpPlaybook *self,
                                               const char *id);
const CpBusinessHours *cp_playbook_get_business_hours (CpPlaybook *self,
                                                       const char *location);
const char      *cp_playbook_tier_for_score   (CpPlaybook *self,
                                               int         score);
const CpClosureReason *cp_playbook_get_closure_reason (CpPlaybook *self,
                                                       const char *id);
GStrv            cp_playbook_funnel_stages    (CpPlaybook *self);
guint            cp_playbook_account_contacts_limit (CpPlaybook *self);
/* How deep conditions may nest in a valid playbook: its JSON then nests
 * at most 2 × 24 + 4 levels, within CP_JSON_MAX_DEPTH (64). */
#define CP_CONDITION_MAX_DEPTH 24

gboolean         cp_playbook_validate         (CpPlaybook *self,
                                               GError    **error);
char           **cp_playbook_allowed_channels (CpPlaybook          *self,
                                               const char          *stage_id,
                                               CpConditionInput    *input,
                                               GPtrArray          **out_reasons);

/* What differs between two playbooks, rule by rule. */
typedef enum
{
  CP_PLAYBOOK_CHANGE_ADDED,
  CP_PLAYBOOK_CHANGE_REMOVED,
  CP_PLAYBOOK_CHANGE_CHANGED,
} CpPlaybookChangeKind;

typedef struct
{
  CpPlaybookChangeKind  kind;
  char                 *section;   /* "stage", "scoring rule", "routing rule", … */
  char                 *id;
  char                 *before;    /* (nullable) one-line summary */
  char                 *after;     /* (nullable) */
} CpPlaybookChange;

void       cp_playbook_change_free (CpPlaybookChange *change);
GPtrArray *cp_playbook_diff        (CpPlaybook *before,
                                    CpPlaybook *after);
char      *cp_playbook_change_to_string (const CpPlaybookChange *change);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpPlaybook, cp_playbook_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpStage, cp_stage_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpScoreRule, cp_score_rule_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpRouteRule, cp_route_rule_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpQueue, cp_queue_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpAutomationRule, cp_automation_rule_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpClosureReason, cp_closure_reason_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpConsentRule, cp_consent_rule_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpRetentionRule, cp_retention_rule_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpOutreachTemplate, cp_outreach_template_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpEntryTask, cp_entry_task_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpBusinessHours, cp_business_hours_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpPlaybookChange, cp_playbook_change_free)

G_END_DECLS
