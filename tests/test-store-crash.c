/* test-store-crash.c — the local store: crash safety: a writer killed mid-batch or mid-transaction
 * leaves a sound file
 *
 * Every case works in its own temporary folder. Times come from a fixed
 * clock (cp_lead_store_set_clock()) so audit rows and ranges are exact.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cp-database-private.h"
#include "cp-lead-store.h"
#include "cp-test-util.h"

#define CRASH_BATCH  100
#define CRASH_TARGET 500
#define CRASH_TIMEOUT_MS 120000

enum
{
  REPORT_MIDDLE = 1,     /* half a batch is written, not committed */
  REPORT_COMMITTED = 2,  /* value: leads committed so far */
};

typedef struct
{
  guint32 kind;
  guint32 value;
} CrashReport;

static void
child_report (int     fd,
              guint32 kind,
              guint32 value)
{
  CrashReport report = { kind, value };
  gssize n;

  do
    n = write (fd, &report, sizeof report);
  while (n < 0 && errno == EINTR);
  if (n != sizeof report)
    _exit (10);
}

/* Runs in the forked child: writes batches until it is killed. With
 * @hold_fd, it stops in the middle of the first batch after the target,
 * with the transaction open, and waits to be killed there. */
static void G_GNUC_NORETURN
crash_child (const char *path,
             int         report_fd,
             int         hold_fd)
{
  g_autoptr(GError) error = NULL;
  CpDatabase *database;
  CpLeadStore *store;
  guint32 committed = 0;

  /* Lead ids come from GLib's global random generator, which a forked
   * child shares with its parent: without a new seed, the parent's next
   * ids would repeat the child's. */
  g_random_set_seed ((guint32) getpid () ^ (guint32) g_get_monotonic_time ());

  database = cp_database_open (path, &error);
  if (database == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      _exit (2);
    }
  store = cp_lead_store_new (database);

  /* A tiny page cache makes SQLite spill the open transaction's pages into
   * the write-ahead log before COMMIT, so the kill leaves uncommitted
   * frames behind that recovery must ignore. */
  if (hold_fd >= 0)
    sqlite3_exec (_cp_database_get_handle (database), "PRAGMA cache_size = 8", NULL, NULL, NULL);

  for (guint batch = 0; batch < 200; batch++)
    {
      g_autofree char *campaign = g_strdup_printf ("batch-%u", batch);

      if (!cp_database_begin (database, &error))
        {
          g_printerr ("child: %s\n", error->message);
          _exit (3);
        }
      for (guint i = 0; i < CRASH_BATCH; i++)
        {
          g_autoptr(CpLead) lead = cp_test_lead_new ("Crash", NULL);
          g_autofree char *last = g_strdup_printf ("Batch%u Lead%u", batch, i);

          cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, last);
          cp_lead_set_text (lead, CP_LEAD_FIELD_CAMPAIGN, campaign);
          cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES,
                            "Interested in the diabetes education programme; call after 5 pm. "
                            "Prefers email for paperwork and reminders.");
          if (!cp_lead_store_create (store, lead, "crash-child", &error))
            {
              g_printerr ("child: %s\n", error->message);
              _exit (4);
            }
          if (i == CRASH_BATCH / 2)
            {
              child_report (report_fd, REPORT_MIDDLE, committed);
              if (hold_fd >= 0 && committed >= CRASH_TARGET)
                {
                  char byte;
                  /* Blocks with the transaction open until SIGKILL. */
                  while (read (hold_fd, &byte, 1) < 0 && errno == EINTR)
                    ;
                  _exit (5);
                }
            }
        }
      if (!cp_database_commit (database, &error))
        {
          g_printerr ("child: %s\n", error->message);
          _exit (6);
        }
      committed += CRASH_BATCH;
      child_report (report_fd, REPORT_COMMITTED, committed);
    }

  _exit (7);
}

/* 1: a report; 0: end of file; -1: timeout. */
static int
read_report (int          fd,
             CrashReport *report,
             int          timeout_ms)
{
  GPollFD pfd = { fd, G_IO_IN | G_IO_HUP | G_IO_ERR, 0 };
  gssize n;
  int ready;

  do
    ready = g_poll (&pfd, 1, timeout_ms);
  while (ready < 0 && errno == EINTR);
  if (ready == 0)
    return -1;

  do
    n = read (fd, report, sizeof *report);
  while (n < 0 && errno == EINTR);

  if (n == 0)
    return 0;
  g_assert_cmpint (n, ==, sizeof *report);
  return 1;
}

static void
run_crash_test (gboolean hold_mid_transaction)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  int report_pipe[2], hold_pipe[2];
  guint32 last_committed = 0;
  gboolean seen_middle = FALSE;
  CrashReport report;
  int status = 0;
  guint count;
  pid_t pid;

  g_assert_true (g_unix_open_pipe (report_pipe, FD_CLOEXEC, &error));
  g_assert_no_error (error);
  g_assert_true (g_unix_open_pipe (hold_pipe, FD_CLOEXEC, &error));
  g_assert_no_error (error);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (report_pipe[0]);
      close (hold_pipe[1]);
      crash_child (tmp->path, report_pipe[1], hold_mid_transaction ? hold_pipe[0] : -1);
    }
  close (report_pipe[1]);
  close (hold_pipe[0]);

  /* Wait for enough commits, then for the middle of the next batch. */
  for (;;)
    {
      int rc = read_report (report_pipe[0], &report, CRASH_TIMEOUT_MS);

      if (rc <= 0)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          g_error ("the writer stopped early (%s, status %d) after %u leads",
                   rc == 0 ? "exited" : "timeout", status, last_committed);
        }
      if (report.kind == REPORT_COMMITTED)
        last_committed = report.value;
      else if (report.kind == REPORT_MIDDLE && last_committed >= CRASH_TARGET)
        {
          seen_middle = TRUE;
          break;
        }
    }
  g_assert_true (seen_middle);

  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  /* What the child reported before it died is all in the pipe. */
  while (read_report (report_pipe[0], &report, CRASH_TIMEOUT_MS) == 1)
    if (report.kind == REPORT_COMMITTED)
      last_committed = report.value;
  close (report_pipe[0]);
  close (hold_pipe[1]);

  {
    g_autofree char *wal = g_strconcat (tmp->path, "-wal", NULL);
    GStatBuf st;

    if (g_stat (wal, &st) == 0)
      g_test_message ("write-ahead log left by the killed writer: %" G_GINT64_FORMAT " bytes",
                      (gint64) st.st_size);
  }

  store = cp_test_open_store (tmp->path);
  cp_test_assert_database_sound (cp_lead_store_get_database (store));

  count =
      (guint) cp_test_sqlite_int (cp_test_store_handle (store), "SELECT count(*) FROM leads", NULL);
  g_test_message ("committed %u, found %u", last_committed, count);
  g_assert_cmpuint (count % CRASH_BATCH, ==, 0);
  g_assert_cmpuint (count, >=, last_committed);
  g_assert_cmpuint (count, <=, last_committed + CRASH_BATCH);
  if (hold_mid_transaction)
    g_assert_cmpuint (count, ==, last_committed);

  /* Whole batches only, each with its history and search entries. */
  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, count);
  g_assert_cmpint (cp_test_sqlite_int (cp_test_store_handle (store),
                            "SELECT count(*) FROM (SELECT campaign FROM leads GROUP BY campaign"
                            " HAVING count(*) <> 100)", NULL), ==, 0);
  g_assert_cmpint (cp_test_sqlite_int (cp_test_store_handle (store),
                                       "SELECT count(DISTINCT campaign) FROM leads", NULL),
                   ==, count / CRASH_BATCH);
  /* Each lead: its creation, with who routing gave it to; and its
   * first-response task (New has a response SLA), with its own audit row. */
  g_assert_cmpint (cp_test_sqlite_int (cp_test_store_handle (store),
                                       "SELECT count(*) FROM audit_log WHERE entity = 'lead'",
                                       NULL),
                   ==, count);
  g_assert_cmpint (cp_test_store_rows (store, "tasks"), ==, count);
  g_assert_cmpint (cp_test_sqlite_int (cp_test_store_handle (store),
                                       "SELECT count(*) FROM audit_log WHERE entity = 'task'",
                                       NULL),
                   ==, count);
  g_assert_cmpint (cp_test_store_rows (store, "stage_events"), ==, count);
  {
    g_autoptr(CpLeadQuery) query = cp_lead_query_new ();

    query->search = g_strdup ("crash");
    g_assert_cmpuint (cp_test_count_leads (store, query), ==, count);
  }

  /* And the file takes new writes. */
  g_free (cp_test_add_named (store, "After", "Crash"));
  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, count + 1);
}

static void
test_crash_kill_while_writing (void)
{
  run_crash_test (FALSE);
}

static void
test_crash_kill_mid_transaction (void)
{
  run_crash_test (TRUE);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  /* Before any test starts a thread: these fork. */
  g_test_add_func ("/store/crash/kill-while-writing", test_crash_kill_while_writing);
  g_test_add_func ("/store/crash/kill-mid-transaction", test_crash_kill_mid_transaction);

  return g_test_run ();
}
