/* psr_json.h: an on-demand JSON scanner (RFC 8259): validation, compiled path
 * lookups, record iteration over JSON documents and format sniffing.
 *
 * Nothing builds a DOM. psr_json_validate() checks one document completely and
 * reports the first invalid byte (line, byte column, offset). psr_json_get()
 * and psr_json_get_many() walk a document once, descend only into the members
 * and elements a compiled path names and skip everything else by counting
 * brackets outside strings. psr_json_iter splits a CloudTrail delivery file
 * {"Records":[...]} or a top-level array into its elements (each validated
 * before it is handed out) and psr_json_sniff() tells JSON Lines, CloudTrail
 * wrapper, array, single document and not-JSON apart (docs/formats.md,
 * "jsonl / cloudtrail / json").
 *
 * Values (as_val, core/as_rec.h):
 *   string        AS_V_STR: a slice into the document when the string has no
 *                 escape, else the decoded text (\uXXXX and surrogate pairs to
 *                 UTF-8; "\u0000" gives a NUL byte) in the arena
 *   integer       AS_V_INT when it has no fraction or exponent and fits int64
 *                 ("-0" gives 0); 1621305118553.0 and integers outside int64 are
 *                 AS_V_NUM (a double, converted without the locale)
 *   true/false    AS_V_BOOL;  null: AS_V_NULL
 *   object/array  AS_V_JSON holding the raw JSON text of the value, from its
 *                 opening to its closing bracket (not decoded: a caller who
 *                 needs inside it compiles a deeper path)
 *   absent        AS_V_MISSING, also when the path crosses a value of the
 *                 wrong kind (a key on an array, an index on an object or a
 *                 scalar) or an index beyond the array's end
 * Duplicate keys: the last one wins, for the member itself and for everything
 * below it (RFC 8259 leaves it open; ECMAScript JSON.parse does the same).
 * Keys compare after escape decoding, byte for byte, or ASCII-case-insensitively
 * for paths compiled with PSR_JSON_PATH_ICASE (Panther Okta fixtures lower-case
 * top-level keys: docs/formats.md).
 *
 * Leading UTF-8 BOM: skipped everywhere (RFC 8259 section 8.1 allows it), and
 * counted in byte columns. Lines are counted at LF; CR is JSON white space.
 *
 * Scanners: SSE2 on x86-64, portable 8-bytes-at-a-time C elsewhere; both give
 * identical results, and the *_scan variants let tests, fuzzers and benches
 * run either on any machine.
 *
 * Memory: nothing here allocates except decoded strings (and, rarely, number
 * text longer than 63 bytes) taken from the caller's arena; their size is at
 * most the size of the document. Thread-safety: pure functions; a compiled
 * path is read-only after psr_json_path_compile and may be shared by threads.
 */
#ifndef ASSAY_PSR_JSON_H
#define ASSAY_PSR_JSON_H

#include "core/as.h" /* as_slice, as_val, as_arena, as_err, as_loc */

#define PSR_JSON_MAX_DEPTH      512 /* nesting levels accepted by validate and iter */
#define PSR_JSON_PATH_MAX_SEGS  16  /* segments of one compiled path */
#define PSR_JSON_PATH_MAX_KEYS  256 /* bytes of key text (decoded) in one compiled path */
#define PSR_JSON_MANY_MAX       64  /* paths in one psr_json_get_many call */

/* ---- errors ---------------------------------------------------------------
 * One list makes the codes and the texts. Codes below PSR_JSON_E_PATH_EMPTY
 * are document errors, the others path-compilation errors. */
#define PSR_JSON_ERR_LIST(X)                                                                   \
    X(PSR_JSON_OK,             "ok")                                                           \
    X(PSR_JSON_E_EMPTY,        "empty document: expected a JSON value")                        \
    X(PSR_JSON_E_EOF,          "unexpected end of input")                                      \
    X(PSR_JSON_E_VALUE,        "expected a value")                                             \
    X(PSR_JSON_E_KEY,          "expected '\"' to begin an object key")                         \
    X(PSR_JSON_E_COLON,        "expected ':' after an object key")                             \
    X(PSR_JSON_E_OBJECT,       "expected ',' or '}' after an object member")                   \
    X(PSR_JSON_E_ARRAY,        "expected ',' or ']' after an array element")                   \
    X(PSR_JSON_E_TRAILING,     "unexpected data after the JSON value")                         \
    X(PSR_JSON_E_STRING_EOF,   "unterminated string")                                          \
    X(PSR_JSON_E_CONTROL,      "raw control character in a string (must be escaped)")          \
    X(PSR_JSON_E_ESCAPE,       "invalid escape")                                               \
    X(PSR_JSON_E_UNICODE,      "invalid \\u escape: expected 4 hex digits")                    \
    X(PSR_JSON_E_SURROGATE,    "lone surrogate in a \\u escape")                               \
    X(PSR_JSON_E_UTF8,         "invalid UTF-8")                                                \
    X(PSR_JSON_E_NUMBER,       "invalid number")                                               \
    X(PSR_JSON_E_LITERAL,      "invalid literal (expected true, false or null)")               \
    X(PSR_JSON_E_DEPTH,        "nesting deeper than 512 levels")                               \
    X(PSR_JSON_E_CONTAINER,    "expected '[' or '{' at the start of the document")             \
    X(PSR_JSON_E_PATH_EMPTY,   "empty path")                                                   \
    X(PSR_JSON_E_PATH_KEY,     "empty key in path")                                            \
    X(PSR_JSON_E_PATH_CHAR,    "unexpected ']' in path")                                       \
    X(PSR_JSON_E_PATH_OPEN,    "expected a digit or '\"' after '['")                           \
    X(PSR_JSON_E_PATH_CLOSE,   "expected ']'")                                                 \
    X(PSR_JSON_E_PATH_AFTER,   "expected '.' or '[' after ']'")                                \
    X(PSR_JSON_E_PATH_QUOTE,   "unterminated quoted key in path")                              \
    X(PSR_JSON_E_PATH_ESCAPE,  "invalid escape in a quoted path key (use \\\" or \\\\)")       \
    X(PSR_JSON_E_PATH_INDEX,   "array index too large")                                        \
    X(PSR_JSON_E_PATH_LONG,    "path too long (at most 16 segments and 256 bytes of keys)")

typedef enum psr_json_code {
#define PSR_JSON_ENUM_(code, text) code,
    PSR_JSON_ERR_LIST(PSR_JSON_ENUM_)
#undef PSR_JSON_ENUM_
    PSR_JSON__COUNT
} psr_json_code;

/* Where the first error is. For a document: offset from the start of the
 * document (the BOM included) of the first byte that cannot be part of valid
 * JSON, or the document's length when it ends too soon (an unterminated
 * string points at its opening quote instead). For a path: the same within
 * the path text (line is then 1). */
typedef struct psr_json_err {
    psr_json_code code;   /* PSR_JSON_OK when nothing failed */
    uint64_t      offset; /* bytes from the start */
    uint64_t      line;   /* 1-based, counted at LF */
    uint64_t      col;    /* 1-based byte column */
} psr_json_err;

const char *psr_json_err_text(psr_json_code code); /* static text of a code */

/* Turns a JSON error into the project's as_err (if *out is still AS_OK).
 * base is where the document starts in its input (src, 1-based line and
 * column, byte offset; zero line/col mean 1): line, col and offset are made
 * absolute. Codes map to AS_ERR_INVALID_UTF8 (E_UTF8), AS_ERR_USAGE (path
 * errors) or AS_ERR_SYNTAX. Returns the as_code. */
as_code psr_json_err_to_as(const psr_json_err *je, as_loc base, as_err *out);

/* ---- scanner choice ---- */
typedef enum psr_json_scan {
    PSR_JSON_SCAN_BEST = 0,     /* SSE2 where the build targets it, else portable */
    PSR_JSON_SCAN_PORTABLE = 1, /* plain C, 8 bytes at a time (tests run both) */
} psr_json_scan;

/* ---- validation ---- */

/* Checks that doc is exactly one RFC 8259 value (surrounding white space and a
 * leading BOM allowed): grammar, strings (escapes, \u with surrogate pairs, no
 * lone surrogates, no raw bytes below 0x20), numbers, literals, UTF-8, depth
 * <= PSR_JSON_MAX_DEPTH, nothing after the value. Returns PSR_JSON_OK, or the
 * code of the first error with its location in *e (e may be NULL). */
psr_json_code psr_json_validate(as_slice doc, psr_json_err *e) AS_MUST_USE;
psr_json_code psr_json_validate_scan(as_slice doc, psr_json_scan scan, psr_json_err *e) AS_MUST_USE;

/* ---- compiled paths ----
 * Grammar: segments joined by '.', each a key of any bytes but '.', '[' and
 * ']'; "[N]" selects element N (0-based, decimal) of an array; ["key"] is a
 * quoted key (for keys with '.', '[', ']' or a leading '@'; inside it \" and
 * \\ are the only escapes). Examples: actor.alternateId, target[0].type,
 * ["@timestamp"], requestParameters.ipPermissions.items[0].ipRanges.items[0].cidrIp.
 * A path starting with '[' may select from a top-level array: [0].eventName. */
typedef enum psr_json_path_flags {
    PSR_JSON_PATH_DEFAULT = 0,
    PSR_JSON_PATH_ICASE = 1u << 0, /* keys match ASCII-case-insensitively */
} psr_json_path_flags;

typedef struct psr_json_seg {
    uint32_t index;   /* array index, when is_index */
    uint16_t key_off; /* key bytes at keys[key_off..+key_len) (lower-cased with ICASE) */
    uint16_t key_len;
    uint8_t  is_index;/* 1 = [N], 0 = key */
} psr_json_seg;

/* A compiled path: plain storage the caller owns (stack, struct member);
 * fields are private to psr_json.c. */
typedef struct psr_json_path {
    uint32_t     n_segs;                        /* 1..PSR_JSON_PATH_MAX_SEGS */
    uint32_t     flags;                         /* psr_json_path_flags */
    psr_json_seg segs[PSR_JSON_PATH_MAX_SEGS];
    char         keys[PSR_JSON_PATH_MAX_KEYS];  /* decoded key text of all segments */
} psr_json_path;

/* Compiles text into *p. Returns PSR_JSON_OK or a PSR_JSON_E_PATH_* code with
 * the 1-based column in the path in e->col (e may be NULL). */
psr_json_code psr_json_path_compile(psr_json_path *p, as_slice text, unsigned flags,
                                    psr_json_err *e) AS_MUST_USE;

/* ---- lookups ----
 * psr_json_get fills *out with the value at path p in doc (see the value
 * table above). Only what lies on the way is examined: members and elements
 * off the path are skipped by counting brackets outside strings, and are not
 * validated. Returns AS_OK (also when the value is missing), AS_ERR_SYNTAX
 * when the scanned part is malformed (out is then AS_V_MISSING; call
 * psr_json_validate for the location) or AS_ERR_NOMEM when the arena is full.
 * A document psr_json_validate accepts never gives AS_ERR_SYNTAX. ar may be
 * NULL only if no string on the path has escapes (else AS_ERR_NOMEM). */
as_code psr_json_get(as_slice doc, const psr_json_path *p, as_val *out, as_arena *ar) AS_MUST_USE;

/* The value of doc itself: a scalar decoded as above, an object or array as
 * AS_V_JSON (its raw text). For the elements psr_json_iter yields, and the
 * JSON values rules look inside (rules/rul_expr). Returns as psr_json_get;
 * bytes after the value are not looked at. */
as_code psr_json_get_root(as_slice doc, as_val *out, as_arena *ar) AS_MUST_USE;

/* The same for n paths (n <= PSR_JSON_MANY_MAX) in ONE pass over doc: out[i]
 * gets the value of paths[i]; results equal n separate psr_json_get calls.
 * AS_ERR_USAGE when n is too large. On error every out[i] is AS_V_MISSING. */
as_code psr_json_get_many(as_slice doc, const psr_json_path *const paths[], size_t n, as_val out[],
                          as_arena *ar) AS_MUST_USE;
as_code psr_json_get_many_scan(as_slice doc, const psr_json_path *const paths[], size_t n,
                               as_val out[], as_arena *ar, psr_json_scan scan) AS_MUST_USE;

/* ---- record iteration over one document ----
 * The document's top level decides what is yielded:
 *   [ v, v, ... ]                 each element
 *   { ..., "Records": [ ... ], ... }  each element of the Records array
 *                                 (a CloudTrail delivery file; members before
 *                                 and after it are validated and skipped; a
 *                                 second Records array is expanded too)
 *   { ... } without Records array the object itself, once
 * Every element is validated before it is yielded, and so is everything
 * between elements, so iteration stops at the first invalid byte of the
 * document (the same error psr_json_validate reports) after having yielded
 * the valid elements before it. Usage:
 *     psr_json_iter it; psr_json_elem el; psr_json_err e; psr_json_next r;
 *     psr_json_iter_init(&it, doc, PSR_JSON_SCAN_BEST);
 *     while ((r = psr_json_iter_next(&it, &el, &e)) == PSR_JSON_NEXT_ELEM) ...;
 *     if (r == PSR_JSON_NEXT_ERROR) ... e.line, e.col ...
 */
typedef enum psr_json_next {
    PSR_JSON_NEXT_ERROR = -1, /* *e filled; sticky: later calls return it again */
    PSR_JSON_NEXT_END = 0,    /* the document ended cleanly */
    PSR_JSON_NEXT_ELEM = 1,   /* *out holds the next element */
} psr_json_next;

typedef enum psr_json_shape {
    PSR_JSON_SHAPE_UNKNOWN = 0, /* before the first call */
    PSR_JSON_SHAPE_ARRAY,       /* top-level array */
    PSR_JSON_SHAPE_RECORDS,     /* object with a "Records" array */
    PSR_JSON_SHAPE_OBJECT,      /* object without one (so far, until the end) */
} psr_json_shape;

typedef struct psr_json_elem {
    as_slice raw;    /* the element's JSON text, first to last byte; borrowed from the document */
    uint64_t offset; /* byte offset of raw.ptr from the start of the document */
    uint64_t line;   /* 1-based line of its first byte (the opening '{' of a record) */
    uint64_t index;  /* 0-based count of elements yielded before it */
} psr_json_elem;

typedef struct psr_json_iter {
    as_slice       doc;        /* the document; borrowed */
    psr_json_scan  scan;       /* scanner choice */
    psr_json_shape shape;      /* what the top level turned out to be */
    /* private */
    size_t         _pos;       /* cursor: offset of the next unread byte */
    size_t         _line_pos;  /* newlines are counted up to here */
    uint64_t       _line;      /* line number at _line_pos */
    uint64_t       _index;     /* elements yielded */
    size_t         _obj;       /* offset of the top-level '{' */
    int            _state;     /* where the state machine stands */
    int            _records;   /* a Records array was seen */
    psr_json_err   _err;       /* the sticky error */
} psr_json_iter;

void psr_json_iter_init(psr_json_iter *it, as_slice doc, psr_json_scan scan);
psr_json_next psr_json_iter_next(psr_json_iter *it, psr_json_elem *out, psr_json_err *e) AS_MUST_USE;

/* ---- sniffing ----
 * What the first bytes of an input look like (docs/formats.md): skip a BOM
 * and white space; '[' = array; '{' with a complete object on line 1 followed
 * by a line starting with '{' (blank lines skipped) = JSON Lines; '{' whose
 * first key is "Records" with an array value = CloudTrail wrapper; a '{' line
 * cut by the end of head without any newline = JSON Lines (a long first
 * line); any other '{' = one document; anything else = not JSON. Empty or
 * blank head = JSON Lines (zero records either way). */
typedef enum psr_json_kind {
    PSR_JSON_KIND_NOT_JSON = 0,
    PSR_JSON_KIND_JSONL,
    PSR_JSON_KIND_CLOUDTRAIL,
    PSR_JSON_KIND_ARRAY,
    PSR_JSON_KIND_DOCUMENT,
} psr_json_kind;

psr_json_kind psr_json_sniff(as_slice head);
const char   *psr_json_kind_name(psr_json_kind k); /* "jsonl", "cloudtrail", ... */

#endif
