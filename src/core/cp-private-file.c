/* cp-private-file.c — files that hold personal data, readable by their owner only
 *
 * Every export (leads, reports, refused rows) names people: it is written
 * with mode 0600, whatever the umask and whatever the mode of a file it
 * replaces, so that no other account on the computer can read it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-private-file"

#include "config.h"

#include "cp-private-file.h"

/**
 * cp_private_file_replace:
 * @file: where to write; a file already there is replaced
 * @contents: (array length=length) (element-type guint8): the bytes
 *
 * Writes @file whole with mode 0600. The file is replaced atomically: when
 * writing fails, a file already there stays as it was.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
cp_private_file_replace (GFile       *file,
                         const void  *contents,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (contents != NULL || length == 0, FALSE);

  /* PRIVATE: the new file is created 0600, never readable by others even
   * for a moment; REPLACE_DESTINATION: a new file, which does not take on
   * the mode (or the other hard links) of the one it replaces. */
  if (!g_file_replace_contents (file, contents, length, NULL, FALSE,
                                G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, NULL, error))
    return FALSE;

  /* Then 0600 exactly, whatever the umask took off. A file system without
   * Unix modes (FAT, some network shares) refuses: there is nothing to set. */
  if (g_file_set_attribute_uint32 (file, G_FILE_ATTRIBUTE_UNIX_MODE, 0600,
                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &local_error) ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED) ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
