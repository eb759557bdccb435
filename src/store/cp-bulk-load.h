/* cp-bulk-load.h — many new rows in a row, with index builds deferred when that pays
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-database.h"

G_BEGIN_DECLS

typedef enum
{
  /* Into a database holding fewer leads than the load adds: one
   * transaction, the search index and the indexes the write path never
   * reads built once at the end. Otherwise as CP_BULK_LOAD_PER_BATCH. */
  CP_BULK_LOAD_AUTO,
  /* One transaction per batch, every index kept current: other writers
   * get their turn between batches, and a batch once committed stays. */
  CP_BULK_LOAD_PER_BATCH,
  /* As CP_BULK_LOAD_AUTO, but the indexes the duplicate search reads
   * (email key, phone key, location and name) stay current: for a load
   * whose every row is checked against the rows before it (an import). */
  CP_BULK_LOAD_AUTO_DUPLICATE_KEYS,
  /* As CP_BULK_LOAD_AUTO, for a database file just created that no other
   * connection opens until the load is over (`carepath-cli generate` into
   * a new file, the benchmarks' caches): the load goes through a rollback
   * journal, written once into the file, instead of through the
   * write-ahead log and then copied back. Another program opening the
   * file meanwhile is told it is busy, rather than shown it empty. */
  CP_BULK_LOAD_AUTO_NEW_FILE,
} CpBulkLoadMode;

typedef struct _CpBulkLoad CpBulkLoad;

CpBulkLoad *cp_bulk_load_begin       (CpDatabase      *database,
                                      guint            n_leads,
                                      CpBulkLoadMode   mode,
                                      GError         **error);
gboolean    cp_bulk_load_is_deferred (CpBulkLoad      *self);
gboolean    cp_bulk_load_batch_done  (CpBulkLoad      *self,
                                      GError         **error);
gboolean    cp_bulk_load_finish      (CpBulkLoad      *self,
                                      GError         **error);
void        cp_bulk_load_abort       (CpBulkLoad      *self);

G_END_DECLS
