/* cp-utf16-decoder.c — UTF-16 read as UTF-8, a buffer at a time
 *
 * Sits between a CpByteReadFunc that returns UTF-16 (little- or big-endian,
 * its byte order mark already read) and whoever wants UTF-8: memory is one
 * buffer of UTF-16 whatever the size of the file. A read may end anywhere,
 * even inside a character or a surrogate pair. What is not UTF-16 (half a
 * surrogate pair, an odd last byte) becomes U+FFFD, as a text editor shows
 * it; U+0000 stays a NUL byte, for the reader to report.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-utf16-decoder"

#include "config.h"

#include <string.h>

#include "cp-utf16-decoder.h"

#define RAW_SIZE (64 * 1024)

struct _CpUtf16Decoder
{
  CpByteReadFunc read_func;
  gpointer       user_data;
  gboolean       big_endian;

  guint8        *raw;           /* UTF-16 read, not yet decoded */
  gsize          raw_length;
  gsize          raw_position;
  gboolean       eof;
  guint64        bytes_read;

  char           pending[6];    /* UTF-8 of a character that did not fit the last read */
  guint          pending_length;
  guint          pending_position;
};

/**
 * cp_utf16_decoder_new:
 * @read_func: where the UTF-16 comes from; it is not freed with the decoder
 * @head: (array length=head_length): UTF-16 already read from @read_func,
 *   after the byte order mark
 */
CpUtf16Decoder *
cp_utf16_decoder_new (CpByteReadFunc read_func,
                      gpointer       user_data,
                      gboolean       big_endian,
                      const char    *head,
                      gsize          head_length)
{
  CpUtf16Decoder *decoder;

  g_return_val_if_fail (read_func != NULL, NULL);
  g_return_val_if_fail (head_length <= RAW_SIZE, NULL);

  decoder = g_new0 (CpUtf16Decoder, 1);
  decoder->read_func = read_func;
  decoder->user_data = user_data;
  decoder->big_endian = big_endian;
  decoder->raw = g_malloc (RAW_SIZE);
  memcpy (decoder->raw, head, head_length);
  decoder->raw_length = head_length;
  decoder->bytes_read = head_length;
  return decoder;
}

void
cp_utf16_decoder_free (CpUtf16Decoder *decoder)
{
  if (decoder == NULL)
    return;
  g_free (decoder->raw);
  g_free (decoder);
}

/* The bytes of UTF-16 read so far (the head included). */
guint64
cp_utf16_decoder_get_bytes_read (CpUtf16Decoder *decoder)
{
  g_return_val_if_fail (decoder != NULL, 0);

  return decoder->bytes_read;
}

/* Makes two bytes ready, unless the input ends first. */
static gboolean
ensure_unit (CpUtf16Decoder  *decoder,
             GError         **error)
{
  while (decoder->raw_length - decoder->raw_position < 2 && !decoder->eof)
    {
      gssize n;

      memmove (decoder->raw, decoder->raw + decoder->raw_position,
               decoder->raw_length - decoder->raw_position);
      decoder->raw_length -= decoder->raw_position;
      decoder->raw_position = 0;
      n = decoder->read_func (decoder->user_data, (char *) decoder->raw + decoder->raw_length,
                              RAW_SIZE - decoder->raw_length, error);
      if (n < 0)
        return FALSE;
      decoder->raw_length += n;
      decoder->bytes_read += n;
      decoder->eof = n == 0;
    }
  return TRUE;
}

static gunichar
take_unit (CpUtf16Decoder *decoder)
{
  const guint8 *p = decoder->raw + decoder->raw_position;

  decoder->raw_position += 2;
  return decoder->big_endian ? (gunichar) (p[0] << 8 | p[1]) : (gunichar) (p[1] << 8 | p[0]);
}

/* The next character in @out: 1, or 0 at the end, or -1 with @error set. */
static int
next_char (CpUtf16Decoder  *decoder,
           gunichar        *out,
           GError         **error)
{
  gunichar unit;

  if (!ensure_unit (decoder, error))
    return -1;
  if (decoder->raw_position == decoder->raw_length)
    return 0;
  *out = 0xFFFD;
  if (decoder->raw_length - decoder->raw_position == 1)
    {
      decoder->raw_position++;   /* an odd last byte */
      return 1;
    }
  unit = take_unit (decoder);
  if (unit < 0xD800 || unit >= 0xE000)
    *out = unit;
  else if (unit < 0xDC00)
    {
      /* The first half of a surrogate pair: the other half comes next. */
      if (!ensure_unit (decoder, error))
        return -1;
      if (decoder->raw_length - decoder->raw_position >= 2)
        {
          gunichar low = take_unit (decoder);

          if (low >= 0xDC00 && low < 0xE000)
            *out = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
          else
            decoder->raw_position -= 2;   /* a character of its own */
        }
    }
  return 1;
}

/**
 * cp_utf16_decoder_read:
 *
 * Fills @buffer with up to @size bytes of UTF-8, as a #CpByteReadFunc does.
 *
 * Returns: the bytes written, 0 at the end, -1 with @error set
 */
gssize
cp_utf16_decoder_read (CpUtf16Decoder  *decoder,
                       char            *buffer,
                       gsize            size,
                       GError         **error)
{
  gsize written = 0;

  g_return_val_if_fail (decoder != NULL, -1);

  while (written < size)
    {
      gunichar c;
      int got;

      if (decoder->pending_position < decoder->pending_length)
        {
          buffer[written++] = decoder->pending[decoder->pending_position++];
          continue;
        }
      got = next_char (decoder, &c, error);
      if (got < 0)
        return -1;
      if (got == 0)
        break;
      if (size - written >= 4)
        written += g_unichar_to_utf8 (c, buffer + written);
      else
        {
          decoder->pending_length = g_unichar_to_utf8 (c, decoder->pending);
          decoder->pending_position = 0;
        }
    }
  return written;
}
