/* fake-espocrm.h — an in-process EspoCRM REST API (Lead entity), faults included
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fake-server.h"

G_BEGIN_DECLS

typedef struct _FakeEspocrm FakeEspocrm;

FakeEspocrm *fake_espocrm_new          (void);
void         fake_espocrm_free         (FakeEspocrm *fake);
FakeServer  *fake_espocrm_get_server   (FakeEspocrm *fake);
const char  *fake_espocrm_get_url      (FakeEspocrm *fake);
const char  *fake_espocrm_get_key      (FakeEspocrm *fake);

void         fake_espocrm_add_generated (FakeEspocrm *fake,
                                         guint        n);
char        *fake_espocrm_add_lead     (FakeEspocrm *fake,
                                        const char  *first_name,
                                        const char  *email);
void         fake_espocrm_edit         (FakeEspocrm *fake,
                                        const char  *id,
                                        const char  *attribute,
                                        const char  *value);
void         fake_espocrm_delete       (FakeEspocrm *fake,
                                        const char  *id);
void         fake_espocrm_delete_when_listed (FakeEspocrm *fake,
                                              const char  *trigger_id,
                                              const char  *id);
void         fake_espocrm_restore      (FakeEspocrm *fake,
                                        const char  *id);
void         fake_espocrm_forbid       (FakeEspocrm *fake,
                                        const char  *id);
void         fake_espocrm_set_carepath_field (FakeEspocrm *fake,
                                              gboolean     present);
char        *fake_espocrm_get          (FakeEspocrm *fake,
                                        const char  *id,
                                        const char  *attribute);
char        *fake_espocrm_find         (FakeEspocrm *fake,
                                        const char  *attribute,
                                        const char  *value);
guint        fake_espocrm_count        (FakeEspocrm *fake);
char        *fake_espocrm_add_activity (FakeEspocrm *fake,
                                        const char  *entity,
                                        const char  *lead_id,
                                        ...) G_GNUC_NULL_TERMINATED;
char        *fake_espocrm_id_at        (FakeEspocrm *fake,
                                        guint        index);

G_END_DECLS
