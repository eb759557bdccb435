/* cp-sync-activity-store.c — engagements pulled from the CRM, recorded through the write path
 *
 * A call, email, meeting or note the CRM holds for a linked contact lands
 * on its lead as an activity from the source 'crm', identified by the
 * engagement's external id ("hubspot:call:ID"), so pulling the same page
 * twice records it once. It goes through the same write path as an
 * activity logged in the lead window: the lead is rescored, its first
 * response and last activity follow, account scoring and the automation
 * the activity triggers run. Nothing here journals the activity for the
 * CRM: it came from there.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-lead-store-private.h"
#include "cp-store-error.h"
#include "cp-sync-store.h"

/* How far ahead of now an engagement may be dated (a meeting booked for
 * next week is recorded when it is booked, with the booking's time). */
#define FUTURE_MARGIN_S (24 * 3600)

/**
 * cp_sync_store_record_activity:
 * @activity: an activity of a stored lead, with its external id
 * @out_new: (out) (optional): %FALSE when it was recorded before
 *
 * Records an engagement pulled from the CRM as an activity of source
 * 'crm', through the write path, audited as done by sync. An activity
 * dated more than a day ahead is refused with %CP_CORE_ERROR_INVALID, one
 * of a lead that is not here with %CP_STORE_ERROR_NOT_FOUND. Must run
 * inside a transaction (the page's).
 */
gboolean
cp_sync_store_record_activity (CpSyncStore  *self,
                               CpActivity   *activity,
                               gboolean     *out_new,
                               GError      **error)
{
  CpLeadStore *leads;
  g_auto(CpWriteOutcome) outcome = { 0, };
  CpWriteRequest request;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (CP_IS_ACTIVITY (activity), FALSE);
  g_return_val_if_fail (cp_activity_get_external_id (activity) != NULL, FALSE);
  g_return_val_if_fail (cp_database_in_transaction (cp_sync_store_get_database (self)), FALSE);

  if (out_new != NULL)
    *out_new = FALSE;
  leads = cp_sync_store_get_lead_store (self);
  request = _cp_write_request ("activity", CP_SYNC_ACTOR, NULL, cp_lead_store_now (leads),
                               CP_WRITE_FROM_CRM | CP_WRITE_BULK);
  if (cp_activity_get_lead_id (activity) == NULL)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND,
                   _("The engagement belongs to no contact linked here."));
      return FALSE;
    }
  if (cp_activity_get_occurred_at (activity) > request.now + FUTURE_MARGIN_S)
    {
      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                   _("The engagement is dated more than a day ahead."));
      return FALSE;
    }
  if (cp_activity_get_id (activity) == NULL)
    {
      g_autofree char *id = cp_lead_new_id ();
      cp_activity_set_id (activity, id);
    }
  cp_activity_set_source (activity, "crm");
  cp_activity_set_actor (activity, CP_SYNC_ACTOR);
  if (!_cp_lead_store_write_activity (leads, activity, &request, &outcome, error))
    return FALSE;
  if (out_new != NULL)
    *out_new = !outcome.duplicate;
  return TRUE;
}
