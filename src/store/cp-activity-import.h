/* cp-activity-import.h — activities from attendee, check-in and form lists: matched to leads, recorded once
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-activity.h"
#include "cp-csv-reader.h"
#include "cp-lead-import.h"
#include "cp-lead-store.h"

G_BEGIN_DECLS

/* What a column of an activity list gives. */
typedef enum
{
  CP_ACTIVITY_COLUMN_IGNORE,
  CP_ACTIVITY_COLUMN_EMAIL,
  CP_ACTIVITY_COLUMN_FIRST_NAME,
  CP_ACTIVITY_COLUMN_LAST_NAME,
  CP_ACTIVITY_COLUMN_FULL_NAME,
  CP_ACTIVITY_COLUMN_PHONE,
  CP_ACTIVITY_COLUMN_ORGANIZATION,  /* only for leads the import creates */
  CP_ACTIVITY_COLUMN_OCCURRED_AT,
  CP_ACTIVITY_COLUMN_DETAIL,        /* webinar title, event or form name, page */
  CP_ACTIVITY_COLUMN_DEPTH,         /* minutes in session, pages, form steps */
  CP_ACTIVITY_COLUMN_ATTENDED,      /* yes/no: a registrant who did not come is no attendance */
} CpActivityColumn;

#define CP_ACTIVITY_N_COLUMNS (CP_ACTIVITY_COLUMN_ATTENDED + 1)

gboolean    cp_activity_column_from_string (const char       *text,
                                            CpActivityColumn *out_column);
const char *cp_activity_column_label       (CpActivityColumn  column);

typedef struct
{
  GPtrArray *headers;   /* the header row, as read */
  GArray    *columns;   /* CpActivityColumn per column of the file */
} CpActivityMapping;

CpActivityMapping *cp_activity_mapping_detect (GPtrArray         *headers,
                                               CpActivityKind     kind);
CpActivityMapping *cp_activity_mapping_load   (const char        *path,
                                               GPtrArray         *headers,
                                               GError           **error);
CpActivityMapping *cp_activity_mapping_copy   (CpActivityMapping *mapping);
void               cp_activity_mapping_free   (CpActivityMapping *mapping);
guint              cp_activity_mapping_column (CpActivityMapping *mapping,
                                               CpActivityColumn   column);
gboolean           cp_activity_mapping_check  (CpActivityMapping *mapping,
                                               GError           **error);

/* What became of a row that recorded nothing. */
typedef enum
{
  CP_ACTIVITY_ROW_UNMATCHED,   /* no lead is this person (kept; --create-leads makes one) */
  CP_ACTIVITY_ROW_AMBIGUOUS,   /* two or more leads could be: none is guessed */
  CP_ACTIVITY_ROW_REJECTED,    /* a value cannot be read (a date, a duration…) */
  CP_ACTIVITY_ROW_SKIPPED,     /* the row says it did not happen (not attended) */
} CpActivityRowStatus;

const char *cp_activity_row_status_to_string (CpActivityRowStatus status);

typedef struct
{
  guint64              line;
  CpActivityRowStatus  status;
  char                *reason;
  GStrv                values;       /* the row as read: kept, and exported */
  GStrv                candidates;   /* (nullable) ambiguous: the leads it could be */
} CpActivityRowReport;

/* A stage move the import's activities made the playbook take. */
typedef struct
{
  guint64  line;
  char    *lead_id;
  char    *lead_name;  /* (nullable) */
  char    *rule_id;
  char    *from_stage;
  char    *to_stage;
} CpActivityImportMove;

typedef struct
{
  guint      rows;            /* data rows read */
  guint      recorded;        /* new activities */
  guint      already;         /* the same activity was recorded before (a re-import) */
  guint      unmatched;
  guint      ambiguous;
  guint      rejected;
  guint      skipped;
  guint      leads_created;
  guint      by_email;        /* of the matched rows, how each was matched */
  guint      by_phone_name;
  GPtrArray *problems;        /* CpActivityRowReport, in file order */
  GPtrArray *moves;           /* CpActivityImportMove */
  GPtrArray *headers;         /* the file's header row */
  char      *warning;         /* (nullable) */
  char      *run_id;          /* (nullable) the audit row's id; NULL for a dry run */
  gboolean   cancelled;
} CpActivityImportResult;

void     cp_activity_import_result_clear (CpActivityImportResult *result);
char    *cp_activity_import_problems_csv (CpActivityImportResult *result);

/* Rows committed together, matched in one query and written a lead at a
 * time: a kill loses at most these, and a re-run records them (what was
 * committed is "already recorded"). An index page many rows of a batch
 * touch is written to the log once per commit: larger commits, fewer
 * copies (docs/performance-activity-import.md). */
#define CP_ACTIVITY_IMPORT_BATCH_ROWS 2000

typedef struct
{
  CpActivityKind      kind;
  CpActivityMapping  *mapping;       /* (nullable) as chosen for this file's header */
  const char         *mapping_path;  /* (nullable) a mapping file (cp_activity_mapping_load());
                                      * neither: detected from the header */
  gboolean            create_leads;  /* an unmatched row with a name and an email or phone */
  gboolean            dry_run;
  const char         *actor;
  const char         *file_name;     /* (nullable) for the audit row */
  gint64              now;           /* 0: the current time */
  GTimeZone          *zone;          /* (nullable) of times naming none; NULL: local */
  guint               max_rows;      /* 0: every row; else a preview of the first rows */
  /* (nullable) For cp_activity_import_run_async(), whose store is its
   * own: the region phone numbers without a country code are read in (the
   * user's setting); NULL: the store's default. cp_activity_import_run()
   * reads them as the store it is given does. */
  const char         *phone_region;
} CpActivityImportOptions;

CpActivityMapping *cp_activity_import_read_header (const char     *path,
                                                   CpActivityKind  kind,
                                                   guint           max_rows,
                                                   GPtrArray     **out_rows,
                                                   GError        **error);

gboolean cp_activity_import_run (CpLeadStore                   *store,
                                 CpCsvReader                   *reader,
                                 const CpActivityImportOptions *options,
                                 CpProgressFunc                 progress,
                                 gpointer                       user_data,
                                 GCancellable                  *cancellable,
                                 CpActivityImportResult        *out_result,
                                 GError                       **error);

void     cp_activity_import_run_async  (const char                    *database_path,
                                        const char                    *csv_path,
                                        const CpActivityImportOptions *options,
                                        CpProgressFunc                 progress,
                                        gpointer                       progress_data,
                                        GCancellable                  *cancellable,
                                        GAsyncReadyCallback            callback,
                                        gpointer                       user_data);
gboolean cp_activity_import_run_finish (GAsyncResult                  *result,
                                        CpActivityImportResult        *out_result,
                                        GError                       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpActivityMapping, cp_activity_mapping_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CpActivityImportResult, cp_activity_import_result_clear)

G_END_DECLS
