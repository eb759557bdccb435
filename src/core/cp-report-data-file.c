/* cp-report-data-file.c — a report snapshot saved to a file and read back
 *
 * The file is the snapshot's own arrays, as they lie in memory, behind a
 * fixed header: reading it back maps the file (read-only, populated in
 * one call) and uses the arrays where they lie — no copy, no parsing per
 * lead; the first change copies them (see _cp_report_data_own()). The
 * header carries a format version, the byte order and struct sizes (a
 * file from another build or machine is refused), the identity the
 * caller gives (what the snapshot was read from), the lengths (a file cut
 * short is refused before anything is read) and a checksum over the rest
 * (a damaged file is refused). Saving writes a private temporary file
 * beside the target and renames it over: a reader sees the old file or
 * the new one, never half of one.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-report-data"
#include "config.h"
#include "cp-report-data-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FILE_MAGIC     "CPREPORT"
#define FILE_VERSION   1
#define BYTE_ORDER_TAG 0x01020304u
/* Far above any real snapshot's dictionaries and marks: a header that
 * claims more is damaged. */
#define MAX_META_LEN   (64u << 20)

typedef struct
{
  char    magic[8];
  guint32 version;
  guint32 byte_order;
  guint32 row_size;
  guint32 event_size;
  guint64 meta_len;
  guint64 n_leads;
  guint64 n_events;
  guint64 checksum;
  guint64 reserved;
} FileHeader;

G_STATIC_ASSERT (sizeof (FileHeader) == 64);
/* No padding among the stamped fields: they are compared as bytes. */
G_STATIC_ASSERT (G_STRUCT_OFFSET (FileHeader, meta_len) == 8 + 4 * sizeof (guint32));

/* What a file of this build's format starts with: its magic, version,
 * byte order and struct sizes. Saving writes it; loading compares it. */
static void
stamp_header (FileHeader *header)
{
  memcpy (header->magic, FILE_MAGIC, sizeof header->magic);
  header->version = FILE_VERSION;
  header->byte_order = BYTE_ORDER_TAG;
  header->row_size = sizeof (CpReportLeadRow);
  header->event_size = sizeof (CpReportEvent);
}

static gboolean
header_stamped (const FileHeader *header)
{
  FileHeader expected = { { 0 } };

  stamp_header (&expected);

  return memcmp (header, &expected, G_STRUCT_OFFSET (FileHeader, meta_len)) == 0;
}

/* A fast checksum to catch damage (not an attacker: the file is private
 * to the user): four multiply-rotate lanes over 64-bit words. */
#define HASH_K1 G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)
#define HASH_K2 G_GUINT64_CONSTANT (0xC2B2AE3D27D4EB4F)

static inline guint64
rotl64 (guint64 x,
        int     r)
{
  return (x << r) | (x >> (64 - r));
}

static inline guint64
load64 (const guint8 *p)
{
  guint64 w;

  memcpy (&w, p, sizeof w);
  return w;
}

static guint64
hash_bytes (guint64       seed,
            const guint8 *p,
            gsize         n)
{
  /* Four lanes in registers: the multiplications of one word overlap
   * those of the next three. */
  guint64 a = seed, b = seed ^ HASH_K1, c = seed ^ HASH_K2, d = ~seed;
  guint64 tail = 0;
  guint64 h;
  gsize len = n;

  for (; n >= 32; p += 32, n -= 32)
    {
      a = rotl64 (a ^ load64 (p), 29) * HASH_K1;
      b = rotl64 (b ^ load64 (p + 8), 29) * HASH_K1;
      c = rotl64 (c ^ load64 (p + 16), 29) * HASH_K1;
      d = rotl64 (d ^ load64 (p + 24), 29) * HASH_K1;
    }
  for (; n >= 8; p += 8, n -= 8)
    a = rotl64 (a ^ load64 (p), 29) * HASH_K1;
  if (n > 0)
    memcpy (&tail, p, n);
  b = rotl64 (b ^ tail, 29) * HASH_K1;

  h = len * HASH_K2;
  h = rotl64 (h ^ (a * HASH_K2), 31) * HASH_K1;
  h ^= h >> 29;
  h = rotl64 (h ^ (b * HASH_K2), 31) * HASH_K1;
  h ^= h >> 29;
  h = rotl64 (h ^ (c * HASH_K2), 31) * HASH_K1;
  h ^= h >> 29;
  h = rotl64 (h ^ (d * HASH_K2), 31) * HASH_K1;
  h ^= h >> 29;

  return h;
}

typedef struct
{
  const void *data;
  gsize       size;
} Block;

/* The big arrays, in file order after the header and the meta block
 * (padded to 16 bytes): each starts aligned for its type. */
static guint
data_blocks (CpReportData *data,
             Block         blocks[4])
{
  guint n_leads = _cp_report_data_n_leads (data);

  blocks[0] = (Block){ _cp_report_data_rowids (data), (gsize) n_leads * sizeof (gint64) };
  blocks[1] = (Block){ _cp_report_data_rows (data), (gsize) n_leads * sizeof (CpReportLeadRow) };
  blocks[2] = (Block){ _cp_report_data_events (data),
                       (gsize) _cp_report_data_n_events (data) * sizeof (CpReportEvent) };
  blocks[3] = (Block){ _cp_report_data_offsets (data), ((gsize) n_leads + 1) * sizeof (guint32) };

  return 4;
}

G_STATIC_ASSERT (G_ALIGNOF (CpReportLeadRow) <= 8 && G_ALIGNOF (CpReportEvent) <= 8);

static void
put_string (GByteArray *meta,
            const char *text)
{
  guint32 len = text != NULL ? strlen (text) : 0;

  g_byte_array_append (meta, (const guint8 *) &len, sizeof len);
  if (len > 0)
    g_byte_array_append (meta, (const guint8 *) text, len);
}

/* Identity, marks and dictionaries: small, kept together. */
static GByteArray *
build_meta (CpReportData *data,
            const char   *identity)
{
  GByteArray *meta = g_byte_array_new ();
  GHashTableIter iter;
  gpointer name, value;
  guint32 n;

  put_string (meta, identity);
  n = g_hash_table_size (data->marks);
  g_byte_array_append (meta, (const guint8 *) &n, sizeof n);
  g_hash_table_iter_init (&iter, data->marks);
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      put_string (meta, name);
      g_byte_array_append (meta, value, sizeof (gint64));
    }
  for (guint a = 0; a < CP_REPORT_N_ATTRS; a++)
    {
      GPtrArray *values = data->dicts[a].values;

      n = values->len - 1;
      g_byte_array_append (meta, (const guint8 *) &n, sizeof n);
      for (guint i = 1; i < values->len; i++)
        put_string (meta, g_ptr_array_index (values, i));
    }
  while (meta->len % 16 != 0)
    g_byte_array_append (meta, (const guint8 *) "", 1);

  return meta;
}

/* The arguments cp_report_data_save_file() and _load_file() both take. */
static gboolean
file_arguments_valid (CpReportData *data,
                      const char   *path,
                      const char   *identity,
                      GError      **error)
{
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (identity != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return TRUE;
}

static gboolean
write_all (int           fd,
           const void   *buffer,
           gsize         size,
           GError      **error)
{
  const guint8 *p = buffer;

  while (size > 0)
    {
      gssize n = write (fd, p, MIN (size, (gsize) 1 << 30));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("Could not write the report snapshot: %s"), g_strerror (saved));
          return FALSE;
        }
      p += n;
      size -= n;
    }

  return TRUE;
}

static gboolean
write_file (int           fd,
            CpReportData *data,
            const char   *identity,
            GError      **error)
{
  g_autoptr(GByteArray) meta = build_meta (data, identity);
  FileHeader header = { { 0 } };
  Block blocks[4];
  guint n_blocks = data_blocks (data, blocks);

  stamp_header (&header);
  header.meta_len = meta->len;
  header.n_leads = _cp_report_data_n_leads (data);
  header.n_events = _cp_report_data_n_events (data);
  header.checksum = hash_bytes (FILE_VERSION, meta->data, meta->len);
  for (guint b = 0; b < n_blocks; b++)
    header.checksum = hash_bytes (header.checksum, blocks[b].data, blocks[b].size);

  if (!write_all (fd, &header, sizeof header, error)
      || !write_all (fd, meta->data, meta->len, error))
    return FALSE;
  for (guint b = 0; b < n_blocks; b++)
    if (!write_all (fd, blocks[b].data, blocks[b].size, error))
      return FALSE;

  return TRUE;
}

/* A temporary file older than this was left by a process that stopped
 * while saving (the app quit, a crash): it is removed, not waited for. */
#define STALE_TEMP_SECONDS (10 * 60)

/* "<path>.tmp", created exclusively and private. -1 with errno EEXIST when
 * another process is saving right now. One fixed name: a save cut short
 * leaves at most one such file, removed by a later save. */
static int
create_temp (const char *temp)
{
  GStatBuf st;
  int fd = g_open (temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  if (fd >= 0 || errno != EEXIST)
    return fd;
  if (g_stat (temp, &st) == 0 && time (NULL) - st.st_mtime > STALE_TEMP_SECONDS)
    {
      g_unlink (temp);
      return g_open (temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    }
  errno = EEXIST;

  return -1;
}

/**
 * cp_report_data_save_file:
 * @path: the file to write (replaced atomically)
 * @identity: what the snapshot was read from; a load must name the same
 *
 * Writes the snapshot, readable by its owner only. When another process
 * is saving one to @path at the same moment, leaves it to that one and
 * returns %TRUE.
 */
gboolean
cp_report_data_save_file (CpReportData *data,
                          const char   *path,
                          const char   *identity,
                          GError      **error)
{
  g_autofree char *temp = NULL;
  gboolean ok;
  int fd;

  if (!file_arguments_valid (data, path, identity, error))
    return FALSE;

  _cp_report_data_flush_pending (data);
  temp = g_strconcat (path, ".tmp", NULL);
  fd = create_temp (temp);
  if (fd < 0 && errno == EEXIST)
    return TRUE;
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create the report snapshot: %s"), g_strerror (saved));
      return FALSE;
    }
  ok = write_file (fd, data, identity, error);
  if (close (fd) != 0 && ok)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not write the report snapshot: %s"), g_strerror (saved));
      ok = FALSE;
    }
  if (ok && g_rename (temp, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not replace the report snapshot: %s"), g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (temp);

  return ok;
}

/* Loading. */

gboolean
_cp_report_mapping_make_writable (CpReportMapping *mapping)
{
  if (mapping->writable)
    return TRUE;
  /* Private: a write copies its page for this process; the file, and
   * every other process that maps it, keep the saved bytes. */
  if (mprotect (mapping->base, mapping->size, PROT_READ | PROT_WRITE) != 0)
    return FALSE;
  mapping->writable = TRUE;

  return TRUE;
}

void
_cp_report_mapping_free (CpReportMapping *mapping)
{
  if (mapping == NULL)
    return;
  if (mapping->base != NULL)
    munmap (mapping->base, mapping->size);
  g_free (mapping);
}

typedef struct
{
  const guint8 *p;
  const guint8 *end;
} Cursor;

static gboolean
take (Cursor     *cursor,
      void       *out,
      gsize       size)
{
  if ((gsize) (cursor->end - cursor->p) < size)
    return FALSE;
  memcpy (out, cursor->p, size);
  cursor->p += size;

  return TRUE;
}

/* A string of the meta block, copied; FALSE past its end. */
static gboolean
take_string (Cursor  *cursor,
             char   **out)
{
  guint32 len;

  if (!take (cursor, &len, sizeof len) || (gsize) (cursor->end - cursor->p) < len)
    return FALSE;
  *out = g_strndup ((const char *) cursor->p, len);
  cursor->p += len;

  return TRUE;
}

static gboolean
parse_meta (CpReportData *data,
            Cursor       *cursor)
{
  guint32 n;

  if (!take (cursor, &n, sizeof n))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = NULL;
      gint64 value;

      if (!take_string (cursor, &name) || !take (cursor, &value, sizeof value))
        return FALSE;
      cp_report_data_set_mark (data, name, value);
    }
  for (guint a = 0; a < CP_REPORT_N_ATTRS; a++)
    {
      if (!take (cursor, &n, sizeof n) || n > G_MAXUINT16)
        return FALSE;
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *value = NULL;

          /* Codes are positions: a value twice (or empty) would shift them. */
          if (!take_string (cursor, &value) || *value == '\0'
              || cp_report_data_intern (data, a, value) != i + 1)
            return FALSE;
        }
    }

  /* Then only the padding. */
  return cursor->end - cursor->p < 16;
}

/* The offsets are a valid grouping of the events, and every code has a
 * value (never trusted blindly: they index memory). */
static gboolean
arrays_consistent (CpReportData *data)
{
  guint n_leads = _cp_report_data_n_leads (data);
  guint n_events = _cp_report_data_n_events (data);
  const gint64 *rowids = _cp_report_data_rowids (data);
  const guint32 *offsets = _cp_report_data_offsets (data);
  const CpReportEvent *events = _cp_report_data_events (data);
  const CpReportLeadRow *rows = _cp_report_data_rows (data);
  guint n_values[CP_REPORT_N_ATTRS];
  guint n_stages = data->dicts[CP_REPORT_ATTR_STAGE].values->len;

  for (guint a = 0; a < CP_REPORT_N_ATTRS; a++)
    n_values[a] = data->dicts[a].values->len;
  if (offsets[0] != 0 || offsets[n_leads] != n_events)
    return FALSE;
  for (guint i = 0; i < n_leads; i++)
    {
      if (offsets[i + 1] < offsets[i] || (i > 0 && rowids[i] <= rowids[i - 1]))
        return FALSE;
      for (guint a = 0; a < CP_REPORT_N_ATTRS; a++)
        if (rows[i].attr[a] >= n_values[a])
          return FALSE;
    }
  for (guint i = 0; i < n_events; i++)
    if (events[i].stage >= n_stages)
      return FALSE;

  return TRUE;
}

/* Checks the mapped file and points @mapping's arrays into it. */
static gboolean
check_mapped (CpReportData    *data,
              CpReportMapping *mapping,
              const char      *identity,
              const char     **why)
{
  const guint8 *base = mapping->base;
  g_autofree char *saved_identity = NULL;
  FileHeader header;
  Cursor cursor;
  guint64 expected_size;
  guint64 checksum;
  const guint8 *p;
  Block blocks[4];
  guint n_blocks;

  *why = "cut short";
  if (mapping->size < sizeof header)
    return FALSE;
  memcpy (&header, base, sizeof header);
  *why = "not a snapshot of this format version";
  if (!header_stamped (&header))
    return FALSE;
  *why = "damaged header";
  if (header.meta_len > MAX_META_LEN || header.meta_len % 16 != 0
      || header.n_leads >= G_MAXUINT32 || header.n_events >= G_MAXUINT32)
    return FALSE;
  expected_size = sizeof header + header.meta_len
    + header.n_leads * (sizeof (gint64) + sizeof (CpReportLeadRow) + sizeof (guint32))
    + sizeof (guint32) + header.n_events * sizeof (CpReportEvent);
  *why = "cut short or too long";
  if (mapping->size != expected_size)
    return FALSE;

  cursor = (Cursor){ base + sizeof header, base + sizeof header + header.meta_len };
  *why = "saved from another database, schema or playbook";
  if (!take_string (&cursor, &saved_identity) || !g_str_equal (saved_identity, identity))
    return FALSE;
  p = base + sizeof header + header.meta_len;
  mapping->n_leads = header.n_leads;
  mapping->n_events = header.n_events;
  mapping->rowids = (const gint64 *) p;
  p += header.n_leads * sizeof (gint64);
  mapping->rows = (const CpReportLeadRow *) p;
  p += header.n_leads * sizeof (CpReportLeadRow);
  mapping->events = (const CpReportEvent *) p;
  p += header.n_events * sizeof (CpReportEvent);
  mapping->offsets = (const guint32 *) p;
  data->mapping = mapping;

  *why = "damaged (checksum)";
  n_blocks = data_blocks (data, blocks);
  checksum = hash_bytes (FILE_VERSION, base + sizeof header, header.meta_len);
  for (guint b = 0; b < n_blocks; b++)
    checksum = hash_bytes (checksum, blocks[b].data, blocks[b].size);
  if (checksum != header.checksum)
    return FALSE;
  *why = "damaged (contents)";

  return parse_meta (data, &cursor) && arrays_consistent (data);
}

static gboolean
load_fd (CpReportData *data,
         int           fd,
         const char   *identity,
         const char  **why)
{
  CpReportMapping *mapping;
  struct stat st;

  *why = "cut short";
  if (fstat (fd, &st) != 0 || st.st_size < (off_t) sizeof (FileHeader))
    return FALSE;
  mapping = g_new0 (CpReportMapping, 1);
  mapping->size = st.st_size;
  /* Read-only at first: populating a writable private mapping would copy
   * every page. A change makes it writable (only the pages written are
   * copied then). */
  mapping->base = mmap (NULL, mapping->size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  if (mapping->base == MAP_FAILED)
    {
      mapping->base = NULL;
      _cp_report_mapping_free (mapping);
      *why = "could not be mapped";
      return FALSE;
    }
  if (!check_mapped (data, mapping, identity, why))
    {
      /* Owned by @data once checked far enough to point into it. */
      if (data->mapping != mapping)
        _cp_report_mapping_free (mapping);
      return FALSE;
    }

  return TRUE;
}

/**
 * cp_report_data_load_file:
 * @data: an empty snapshot to fill
 * @identity: what the snapshot must have been saved with
 *
 * Reads a snapshot that cp_report_data_save_file() wrote. Anything but a
 * whole, undamaged file of this format and @identity is refused: @data is
 * left empty and the error (G_FILE_ERROR_INVAL, or the I/O error) says why.
 */
gboolean
cp_report_data_load_file (CpReportData *data,
                          const char   *path,
                          const char   *identity,
                          GError      **error)
{
  const char *why = NULL;
  gboolean ok;
  int fd;

  if (!file_arguments_valid (data, path, identity, error))
    return FALSE;

  cp_report_data_clear (data);
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not open the report snapshot: %s"), g_strerror (saved));
      return FALSE;
    }
  ok = load_fd (data, fd, identity, &why);
  close (fd);
  if (!ok)
    {
      cp_report_data_clear (data);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("The report snapshot is not usable: %s"), why);
      return FALSE;
    }

  return TRUE;
}
