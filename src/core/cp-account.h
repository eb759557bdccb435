/* cp-account.h — the organization several leads belong to
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CP_TYPE_ACCOUNT (cp_account_get_type ())

G_DECLARE_FINAL_TYPE (CpAccount, cp_account, CP, ACCOUNT, GObject)

CpAccount  *cp_account_new            (void);

const char *cp_account_get_id         (CpAccount  *self);
void        cp_account_set_id         (CpAccount  *self,
                                       const char *id);
const char *cp_account_get_name       (CpAccount  *self);
void        cp_account_set_name       (CpAccount  *self,
                                       const char *name);
const char *cp_account_get_org_type   (CpAccount  *self);
void        cp_account_set_org_type   (CpAccount  *self,
                                       const char *org_type);
const char *cp_account_get_org_size   (CpAccount  *self);
void        cp_account_set_org_size   (CpAccount  *self,
                                       const char *org_size);
const char *cp_account_get_location   (CpAccount  *self);
void        cp_account_set_location   (CpAccount  *self,
                                       const char *location);
const char *cp_account_get_region     (CpAccount  *self);
void        cp_account_set_region     (CpAccount  *self,
                                       const char *region);
gint64      cp_account_get_created_at (CpAccount  *self);
void        cp_account_set_created_at (CpAccount  *self,
                                       gint64      created_at);

G_END_DECLS
