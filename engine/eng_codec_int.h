/* eng_codec_int.h: what eng_codec.c shares with its two back ends,
 * eng_codec_gz.c (gzip over ISA-L or zlib) and eng_codec_zstd.c.
 *
 * Private to these three files (sqlite's vdbe.h / vdbeInt.h split): the rest
 * of the engine includes eng_codec.h only. Each back end keeps the first error
 * it reports in its own as_err and repeats it on later calls, so a dead codec
 * answers every call the same way.
 * Thread-safety: as eng_codec.h, one codec per stream.
 */
#ifndef ASSAY_ENG_CODEC_INT_H
#define ASSAY_ENG_CODEC_INT_H

#include "engine/eng_codec.h"

/* zlib counts in uInt and ISA-L in uint32_t: one library call sees at most
 * this much input or output; the back ends loop for more. */
#define ENG_CODEC_STEP_MAX ((size_t)1 << 30) /* 1 GiB */

/* ---- gzip: eng_codec_gz.c ---- */
typedef struct eng_gz eng_gz;

eng_gz         *eng_codec_gz_new(eng_gz_impl impl);   /* ISAL or ZLIB; NULL when out of memory */
void            eng_codec_gz_free(eng_gz *g);
const char     *eng_codec_gz_impl(const eng_gz *g);
as_code         eng_codec_gz_run(eng_gz *g, eng_inbuf *in, eng_outbuf *out, uint64_t in_base, as_err *err);
as_code         eng_codec_gz_end(eng_gz *g, eng_outbuf *out, uint64_t total_in, int *more, as_err *err);
eng_codec_stats eng_codec_gz_stats(const eng_gz *g);

/* ---- zstd: eng_codec_zstd.c ---- */
typedef struct eng_zs eng_zs;

eng_zs         *eng_codec_zs_new(void);                /* NULL when out of memory */
void            eng_codec_zs_free(eng_zs *z);
as_code         eng_codec_zs_run(eng_zs *z, eng_inbuf *in, eng_outbuf *out, uint64_t in_base, as_err *err);
as_code         eng_codec_zs_end(eng_zs *z, eng_outbuf *out, uint64_t total_in, int *more, as_err *err);
eng_codec_stats eng_codec_zs_stats(const eng_zs *z);

/* ---- shared helpers: eng_codec.c ---- */

/* Records a codec's first fault in *keep (code, offset, message) and copies it
 * to *err; returns code. */
as_code eng_codec_fail(as_err *keep, as_err *err, as_code code, uint64_t offset, const char *fmt, ...)
    AS_PRINTF(5, 6);

/* Repeats a recorded fault into *err; returns its code. */
as_code eng_codec_replay(const as_err *keep, as_err *err);

#endif
