/* cp-import.h — what every import shares: mapping, identity evidence, options, results
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-csv-reader.h"
#include "cp-demo-writer.h"
#include "cp-lead-store.h"
#include "cp-playbook.h"

G_BEGIN_DECLS

typedef enum
{
  CP_IMPORT_HEADERS_AUTO,      /* Carepath's ids, HubSpot's export headers, common variants */
  CP_IMPORT_HEADERS_CARE_PATH, /* only Carepath's field ids (its own export) */
  CP_IMPORT_HEADERS_HUBSPOT,   /* only HubSpot's export headers */
} CpImportHeaders;

/* What a row that is a stored lead does to it. */
typedef enum
{
  CP_IMPORT_DUPLICATE_MERGE,   /* fill the stored lead's empty fields; its values win */
  CP_IMPORT_DUPLICATE_SKIP,
  CP_IMPORT_DUPLICATE_KEEP,    /* a new lead, flagged as a possible duplicate */
  CP_IMPORT_DUPLICATE_UPDATE,  /* as merge, but the row's values win */
} CpImportDuplicates;

/* Why a row is taken to be a stored lead, strongest first. A shared phone
 * alone or a similar name never is: the row is then a new lead, flagged. */
typedef enum
{
  CP_IMPORT_EVIDENCE_NONE,
  CP_IMPORT_EVIDENCE_ID,         /* the row's Carepath id */
  CP_IMPORT_EVIDENCE_REMOTE_ID,  /* the row's CRM record id, linked by sync */
  CP_IMPORT_EVIDENCE_EMAIL,      /* the same email (case, Unicode form, IDN spelling aside) */
  CP_IMPORT_EVIDENCE_PHONE_NAME, /* the same phone and a compatible name */
} CpImportEvidence;

const char *cp_import_evidence_to_string (CpImportEvidence evidence);
const char *cp_import_evidence_describe  (CpImportEvidence evidence);

/* Which field each column of the file fills. */
typedef struct
{
  GPtrArray *headers;          /* the header row, as read */
  GArray    *fields;           /* CpLeadField per column; CP_LEAD_N_FIELDS: custom or ignored */
  GPtrArray *custom_keys;      /* per column: a custom field key, or NULL */
  guint      remote_id_column; /* from 1: the CRM's record id (HubSpot's “Record ID”); 0: none */
  GHashTable *values;          /* what the user said values become (cp_import_mapping_set_value) */
} CpImportMapping;

/* What rows with a given stage or choice value get. */
typedef enum
{
  CP_IMPORT_VALUE_AUTO,        /* read as people write it; a stage not found refuses the row */
  CP_IMPORT_VALUE_SET,         /* this stage or choice */
  CP_IMPORT_VALUE_EMPTY,       /* the field is left empty */
  CP_IMPORT_VALUE_REFUSE,      /* the row is refused, with the reason */
} CpImportValueAction;

#define CP_IMPORT_MAX_VALUES 200
/* Rows committed together: a cancel or a failure rolls back at most these. */
#define CP_IMPORT_BATCH_ROWS 2000

/* A distinct value of a stage or choice column. */
typedef struct
{
  guint        column;         /* from 0 */
  CpLeadField  field;
  char        *value;          /* the first spelling seen */
  guint        count;          /* rows with it */
  const char  *automatic;      /* (nullable) the stage or choice it is read as, unmapped */
} CpImportValue;

CpImportMapping *cp_import_mapping_detect (GPtrArray        *headers,
                                           CpImportHeaders   kind);
CpImportMapping *cp_import_mapping_copy   (CpImportMapping  *mapping,
                                           GPtrArray        *headers);
void             cp_import_mapping_free   (CpImportMapping  *mapping);
guint            cp_import_mapping_count  (CpImportMapping  *mapping);
void             cp_import_mapping_set_value (CpImportMapping    *mapping,
                                              CpLeadField         field,
                                              const char         *value,
                                              CpImportValueAction action,
                                              const char         *target);
CpImportValueAction cp_import_mapping_get_value (CpImportMapping  *mapping,
                                              CpLeadField       field,
                                              const char       *value,
                                              const char      **out_target);
void             cp_import_value_free     (CpImportValue    *value);
GPtrArray       *cp_import_scan_values    (CpCsvReader      *reader,
                                           CpImportMapping  *mapping,
                                           CpPlaybook       *playbook,
                                           guint64           max_rows,
                                           gboolean         *out_truncated,
                                           GError          **error);

typedef struct
{
  guint64  line;
  guint    column;             /* from 1; 0 for the whole row */
  char    *reason;
  GStrv    values;             /* (nullable) the row as read, for the first
                                * CP_IMPORT_REPORTED_ROWS refused rows */
} CpImportRejection;

/* Refused rows whose values the report keeps (to fix and import again). */
#define CP_IMPORT_REPORTED_ROWS 10000

/* A row taken to be a stored lead. */
typedef struct
{
  guint64           line;
  char             *lead_id;
  char             *lead_name; /* (nullable) the lead's name, for the first CP_IMPORT_NAMED_MATCHES */
  CpImportEvidence  evidence;
  gboolean          changed;   /* FALSE: the lead already held all of it */
} CpImportMatch;

#define CP_IMPORT_NAMED_MATCHES 200

typedef struct
{
  guint      imported;
  guint      merged;           /* rows that changed the lead they matched */
  guint      unchanged;        /* rows that matched a lead holding all of them already */
  guint      skipped;
  guint      flagged;          /* new leads flagged as possible duplicates */
  guint      rejected;
  GPtrArray *rejections;       /* CpImportRejection, in file order */
  GStrv      header;           /* (nullable) the file's header row, for the report */
  GPtrArray *matches;          /* CpImportMatch: every row taken to be a stored lead */
  char      *warning;          /* (nullable) e.g. read as Windows-1252 */
  gboolean   cancelled;
} CpImportResult;

void     cp_import_result_clear    (CpImportResult *result);
char    *cp_import_rejections_csv  (CpImportResult *result);

typedef struct
{
  CpImportHeaders     headers;
  CpImportDuplicates  duplicates;
  gboolean            dry_run;
  const char         *actor;
  CpPlaybook         *playbook;   /* (nullable) the one in effect is loaded */
  gint64              now;        /* 0: the current time */
  CpImportMapping    *mapping;    /* (nullable) as chosen; NULL: detected from the header */
  /* Commit every batch (CP_IMPORT_BATCH_ROWS rows) as it is done, every
   * index kept current: a crash keeps the batches done. Otherwise a file
   * of more rows than the database holds leads is one transaction, its
   * index builds deferred to the end (cp-bulk-load.h): much faster, and
   * a crash keeps nothing of it. */
  gboolean            commit_batches;
  /* (nullable) For cp_lead_import_run_async(), whose store is its own:
   * the region phone numbers without a country code are read in (the
   * user's setting, as the editor reads them); NULL: the store's default.
   * cp_lead_import_run() reads them as the store it is given does. */
  const char         *phone_region;
} CpImportOptions;

GPtrArray *cp_import_preview (const char  *path,
                              guint        max_rows,
                              GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpImportMapping, cp_import_mapping_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpImportValue, cp_import_value_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CpImportResult, cp_import_result_clear)

G_END_DECLS
