/* cp-lead-store-query-private.h — a query's SQL for the readers that page or stream it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "cp-lead-query.h"
#include "cp-lead-store.h"

G_BEGIN_DECLS

/* Where a row stands in a query's order: its sort columns, then its rowid. */
typedef struct _CpLeadKey CpLeadKey;

void       _cp_lead_key_free          (CpLeadKey          *key);

void       _cp_lead_store_build_where (CpLeadStore        *self,
                                       const CpLeadQuery  *query,
                                       GString            *sql,
                                       GPtrArray          *text_params,
                                       GArray             *int_params,
                                       GString            *kinds);
void       _cp_lead_store_bind_where  (sqlite3_stmt       *stmt,
                                       GPtrArray          *text_params,
                                       GArray             *int_params,
                                       GString            *kinds);
gboolean   _cp_lead_store_search_walks_dates (CpLeadStore   *self,
                                              const CpLeadQuery *query);
void       _cp_lead_query_append_order (const CpLeadQuery *query,
                                        GString           *sql);
gboolean   _cp_lead_query_can_seek    (const CpLeadQuery  *query);
char      *_cp_lead_store_page_sql    (CpLeadStore        *self,
                                       const CpLeadQuery  *query,
                                       const char         *columns,
                                       const CpLeadKey    *after,
                                       GPtrArray          *text_params,
                                       GArray             *int_params,
                                       GString            *kinds);
GPtrArray *_cp_lead_store_query_after (CpLeadStore        *self,
                                       const CpLeadQuery  *query,
                                       const CpLeadKey    *after,
                                       guint               limit,
                                       CpLeadKey         **out_last,
                                       GError            **error);
CpLeadKey *_cp_lead_store_key_at      (CpLeadStore        *self,
                                       const CpLeadQuery  *query,
                                       guint               position,
                                       GError            **error);

/* A read on the store's read worker (cp-lead-store-query-async.c). */
typedef gpointer (*CpLeadStoreReadFunc) (CpLeadStore  *reader,
                                         gpointer      job,
                                         GError      **error);

void       _cp_lead_store_read_async  (CpLeadStore         *self,
                                       CpLeadStoreReadFunc  func,
                                       gpointer             job,
                                       GDestroyNotify       job_free,
                                       GDestroyNotify       result_free,
                                       gpointer             source_tag,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpLeadKey, _cp_lead_key_free)

G_END_DECLS
