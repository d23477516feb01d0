/* psr_clf.h: Apache/nginx access-log tokenizer ("common", "combined" and
 * their common variants: vhost prefix, proxy lists, extra trailing fields,
 * mod_ssl's ssl_request_log).
 *
 * psr_clf_scan() finds and validates every field of one record (a line
 * without its terminator) and copies nothing: the fields are slices into the
 * record and live as long as its block. Quoted fields keep their escapes;
 * psr_clf_unescape*() decode one on demand. The format, the accepted
 * variants and the error columns are documented in docs/formats.md,
 * "combined / common".
 * Thread-safety: pure functions over caller storage; no shared mutable state.
 */
#ifndef ASSAY_PSR_CLF_H
#define ASSAY_PSR_CLF_H

#include "core/as.h"  /* as_slice, as_time, as_code, as_buf, as_arena */

/* psr_clf.variant: the shape the record had, and which optional fields it holds. */
enum {
    PSR_CLF_COMBINED       = 1u << 0,  /* both referer and user agent present */
    PSR_CLF_VHOST          = 1u << 1,  /* a virtual-host token came before the client */
    PSR_CLF_EXTRA          = 1u << 2,  /* tokens after the user agent (or bytes): `extra` */
    PSR_CLF_QUOTED_CLIENT  = 1u << 3,  /* the client (or part of it) was in double quotes */
    PSR_CLF_CLIENT_LIST    = 1u << 4,  /* the client holds more than one address */
    PSR_CLF_SSL_REQUEST    = 1u << 5,  /* mod_ssl ssl_request_log: time first, no status */
    PSR_CLF_SPLIT          = 1u << 6,  /* request had the shape METHOD SP target SP HTTP/x.y */
    PSR_CLF_HAS_IDENT      = 1u << 7,  /* an ident (%l) field was present */
    PSR_CLF_HAS_USER       = 1u << 8,  /* a user (%u) field was present */
    PSR_CLF_HAS_REFERER    = 1u << 9,  /* a quoted referer followed the bytes */
    PSR_CLF_HAS_USER_AGENT = 1u << 10, /* a quoted user agent followed the referer */
    PSR_CLF_BARE_QUOTE     = 1u << 11, /* a quoted field held an unescaped `"` not followed by a space
                                             (kept as content) */
    PSR_CLF_TIME_FRACTION  = 1u << 12, /* the time had a fraction of a second (`:36.123456 +0000`) */
};

/* One access-log record, split. Every slice points into the scanned line
 * (NOT NUL-terminated); an absent field is an empty slice with ptr NULL. */
typedef struct psr_clf {
    as_slice vhost;        /* "example.com:80" or "example.com" before the client; empty when absent */
    as_slice client;       /* IPv4, IPv6, host name, "unix:", or a proxy list ("a, b, c"); the quotes
                              are removed when the whole client was one quoted string, otherwise a
                              partly quoted list is kept raw (`"a, b" c`): walk it with psr_clf_client_next */
    as_slice ident;        /* %l, "-" kept as is; see PSR_CLF_HAS_IDENT */
    as_slice user;         /* %u / $remote_user, "-" kept as is; see PSR_CLF_HAS_USER */
    as_slice time_text;    /* inside the brackets: "10/Oct/2000:13:55:36 -0700" */
    as_time  time;         /* time_text parsed (offset kept in time.offset_min) */
    as_slice request;      /* inside the quotes, raw (escapes kept); may be "-", empty or junk */
    as_slice method;       /* "GET"; empty unless PSR_CLF_SPLIT */
    as_slice path;         /* request target, raw; empty unless PSR_CLF_SPLIT */
    as_slice protocol;     /* "HTTP/1.1"; empty unless PSR_CLF_SPLIT */
    as_slice referer;      /* inside the quotes, raw; empty when absent (common) */
    as_slice user_agent;   /* inside the quotes, raw; empty when absent */
    as_slice tls_protocol; /* ssl_request_log %{SSL_PROTOCOL}x ("TLSv1.2"); empty otherwise */
    as_slice tls_cipher;   /* ssl_request_log %{SSL_CIPHER}x; empty otherwise */
    as_slice extra;        /* trailing tokens after the user agent (or after the bytes when no
                              referer/UA follows): request time, upstream time, an extra "-" */
    int64_t  bytes;        /* %b / %O / $body_bytes_sent; -1 for "-" */
    uint16_t status;       /* 100..599 (nginx 444, 499 included); 0 only with PSR_CLF_SSL_REQUEST */
    unsigned variant;      /* PSR_CLF_* flags */
} psr_clf;

/* Most space-separated groups before the time (vhost, client list parts,
 * ident, user): more is rejected as AS_ERR_BAD_VALUE. A group is one token,
 * one quoted string, or tokens joined by ", " (a proxy list). */
#define PSR_CLF_MAX_LEFT_GROUPS 16

/* Finds and validates every field of line (one record without its line
 * terminator; trailing spaces and a CR are ignored). Reads only
 * line.ptr[0 .. line.len); allocates nothing.
 * Returns AS_OK and fills *out, or:
 *   AS_ERR_BAD_TIME   no [dd/Mon/yyyy:HH:MM:SS +hhmm] token, or a bad field in it
 *                     (month name, day for the month, hour, minute, second, offset);
 *   AS_ERR_SYNTAX     a missing or misplaced separator, quote or field;
 *   AS_ERR_BAD_VALUE  a status that is not 100..599, bytes that are not digits or "-"
 *                     (or overflow int64), a byte not allowed in a client or vhost;
 * and, when err_col is non-NULL, stores there the 1-based byte column of the
 * problem (line.len + 1 when the record ends too early). *out is unspecified
 * after an error. */
as_code psr_clf_scan(as_slice line, psr_clf *out, uint64_t *err_col) AS_MUST_USE;

/* The same as psr_clf_scan, with the text before the time always split byte
 * by byte instead of 16 bytes at a time (SSE2): for tests and the fuzzer,
 * which check that both give the same result. */
as_code psr_clf_scan_scalar(as_slice line, psr_clf *out, uint64_t *err_col) AS_MUST_USE;

/* Parses a CLF time, exactly the text between the brackets:
 * "dd/Mon/yyyy:HH:MM:SS[.fraction] +hhmm" (English month abbreviations in any
 * case; 1..9 fraction digits; offset -2359..+2359). Returns AS_OK and fills
 * *out, or AS_ERR_BAD_TIME (nothing else consumed or tolerated). */
as_code psr_clf_time(as_slice text, as_time *out) AS_MUST_USE;

/* Decodes the escapes Apache and nginx write in quoted fields: \" \\ \n \t
 * \r \b \v \f and \xhh; any other backslash sequence is kept verbatim. The
 * result is never longer than raw. Decoded bytes are not checked for UTF-8
 * (as_utf8 does that). */

/* Writes the decoded bytes to dst, which has room for raw.len bytes and may
 * be raw.ptr itself (in place). Returns the decoded length. */
size_t psr_clf_unescape_to(as_slice raw, char *dst);
/* Appends the decoded bytes to out. AS_OK or AS_ERR_NOMEM (out unchanged). */
as_code psr_clf_unescape(as_slice raw, as_buf *out) AS_MUST_USE;
/* The decoded field in *out: raw itself when it has no backslash (no copy),
 * else a copy from ar that lives until the arena is reset. AS_OK or
 * AS_ERR_NOMEM. */
as_code psr_clf_unescape_view(as_slice raw, as_arena *ar, as_slice *out) AS_MUST_USE;

/* Walks a client field: each call stores the next address of a list such as
 * "10.0.0.2, 10.0.0.1", "\"10.5.102.222, 199.96.1.1\" 10.2.1.185" or a single
 * address in *addr and advances *rest; commas, spaces and double quotes
 * separate. Returns 1 with an address, 0 when none is left. */
int psr_clf_client_next(as_slice *rest, as_slice *addr);

#endif
