/* cp-utf16-decoder.h — UTF-16 read as UTF-8, a buffer at a time
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-byte-source.h"

G_BEGIN_DECLS

typedef struct _CpUtf16Decoder CpUtf16Decoder;

CpUtf16Decoder *cp_utf16_decoder_new            (CpByteReadFunc   read_func,
                                                 gpointer         user_data,
                                                 gboolean         big_endian,
                                                 const char      *head,
                                                 gsize            head_length);
void            cp_utf16_decoder_free           (CpUtf16Decoder  *decoder);
gssize          cp_utf16_decoder_read           (CpUtf16Decoder  *decoder,
                                                 char            *buffer,
                                                 gsize            size,
                                                 GError         **error);
guint64         cp_utf16_decoder_get_bytes_read (CpUtf16Decoder  *decoder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpUtf16Decoder, cp_utf16_decoder_free)

G_END_DECLS
