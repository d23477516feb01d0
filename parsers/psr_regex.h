/* psr_regex.h: the custom-format parser: a PCRE2 pattern with named groups
 * describes one record of an in-house log, e.g.
 *
 *   (?<time>\S+) backup host=(?<host>\S+) job=(?<job>\S+) status=(?<status>\w+) bytes=(?<bytes>\d+)
 *
 * psr_regex_new() compiles the pattern once (8-bit PCRE2, UTF mode, JIT when
 * the machine allows it); psr_regex_match() matches one record (a line
 * without its terminator) and gives each named group as a slice into the
 * record. Nothing is copied. Writing patterns, anchoring, the time group,
 * errors and limits: docs/formats_regex.md.
 *
 * Subjects are untrusted bytes and are never assumed to be valid UTF-8:
 * psr_regex_match scans each record and refuses an invalid one
 * (AS_ERR_INVALID_UTF8, at its first invalid byte) before PCRE2 sees it, then
 * matches with PCRE2_NO_UTF_CHECK, which is safe only because of that check.
 * The engine has already rejected invalid records, so in assay the check
 * never fires; it costs one pass over the record (SSE2 for ASCII, as_utf8
 * for the rest) and makes the function safe for any caller. A pure-ASCII
 * record against an ASCII pattern runs on a byte-mode compilation of the
 * pattern (same results, no UTF decoding: psr_regex.c). (PCRE2_MATCH_INVALID_UTF would
 * avoid the pass but gives wrong matches on valid UTF-8 in PCRE2 10.42:
 * psr_regex.c.)
 *
 * Hostile records cannot hang a worker: every match runs under a match limit
 * (PSR_REGEX_MATCH_LIMIT), a heap limit for the interpreter and a bounded JIT
 * stack; hitting one is an error value (AS_ERR_BAD_VALUE), never a hang.
 * Patterns that call groups ((?R), (?1), (?&name)) are interpreted: JIT code
 * does not count an empty recursion loop against the match limit.
 *
 * Thread-safety: a psr_regex is read-only after psr_regex_new() returns and
 * may be shared by any number of threads (PCRE2 compiled code is thread-safe
 * for matching); each thread matches with its own psr_regex_md, which holds
 * the mutable state (PCRE2 match data, match context, JIT stack). Nothing
 * static is mutable.
 * Memory: every allocation, PCRE2's own included, goes through core/as_alloc
 * (a PCRE2 general context with as_malloc/as_free), except JIT executable
 * code and JIT stacks, which PCRE2 maps itself. psr_regex_new allocates the
 * compiled pattern twice at most (UTF and byte mode; about the pattern's size
 * each, plus JIT code); psr_regex_md_new
 * about 200 bytes + 16 per capture group, and a JIT stack (address space
 * of PSR_REGEX_JIT_STACK_MAX, touched as used). The interpreter
 * (no JIT) keeps its backtracking frames in the match data, at most
 * PSR_REGEX_HEAP_LIMIT_KIB. psr_regex_match allocates nothing on the JIT path.
 */
#ifndef ASSAY_PSR_REGEX_H
#define ASSAY_PSR_REGEX_H

#include "core/as.h"  /* as_slice, as_code, as_err */

/* psr_regex_new flags. */
enum {
    PSR_REGEX_SEARCH = 1u << 0, /* find the leftmost match anywhere in the record instead of
                                   requiring the pattern to span the whole record (compiled
                                   with PCRE2_NO_START_OPTIMIZE: psr_regex.c) */
    PSR_REGEX_NO_JIT = 1u << 1, /* use PCRE2's interpreter even when JIT is available
                                   (tests, comparisons); results are the same, only slower */
};

/* ---- limits ---- */

/* Most pattern bytes: a format description, not a program. */
#define PSR_REGEX_PATTERN_MAX    ((size_t)64 << 10)  /* 64 KiB */
/* PCRE2 match limit per record: calls of the interpreter's internal match()
 * or JIT backtracking steps. A well-written 9-group combined-log pattern needs
 * a few dozen on a 160-byte line; a catastrophic one such as (a|a)+ on 10,000
 * 'a' bytes and a '!' reaches the limit after ~3 ms with JIT, ~16 ms with the
 * interpreter (tests/unit/test_psr_regex.c, 2.6 GHz VM). The limit also bounds
 * the interpreter's backtracking depth (each level is a counted call); a
 * pattern may only lower it ((*LIMIT_MATCH=n), (*LIMIT_DEPTH=n)). */
#define PSR_REGEX_MATCH_LIMIT    1000000u
/* Interpreter backtracking memory per match, KiB (PCRE2's default is 20 GB):
 * tens of thousands of nested group repetitions. */
#define PSR_REGEX_HEAP_LIMIT_KIB 16384u              /* 16 MiB */
/* JIT stack of one psr_regex_md. PCRE2 maps the maximum at once but the
 * pages are only touched as the stack grows. A repeated group with
 * alternatives ((?:[^"\\]|\\.)*) takes 24 bytes per repetition: 1 MiB holds
 * ~43,000 of them (write (?:[^"\\]++|\\.)* to need one per escape instead).
 * A record that needs more fails (AS_ERR_BAD_VALUE). */
#define PSR_REGEX_JIT_STACK_MIN  ((size_t)32 << 10)  /* 32 KiB */
#define PSR_REGEX_JIT_STACK_MAX  ((size_t)1 << 20)   /* 1 MiB */

typedef struct psr_regex psr_regex;       /* compiled pattern; read-only, shared */
typedef struct psr_regex_md psr_regex_md; /* per-thread match state */

/* Compiles pattern (bytes, not NUL-terminated; NUL bytes in it are literal;
 * it must be valid UTF-8) with PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C and, by
 * default, PCRE2_ANCHORED | PCRE2_ENDANCHORED (the pattern must span the
 * whole record; PSR_REGEX_SEARCH drops both). Then JIT-compiles it
 * (PCRE2_JIT_COMPLETE); when JIT is unavailable or fails, or the pattern
 * calls groups ((?R), (?1), (?&name): JIT cannot bound an empty recursion
 * loop), matching uses the interpreter and psr_regex_is_jit() says so. Only named groups are reported
 * ((?<name>...), (?'name'...), (?P<name>...)); plain (...) groups still
 * capture (backreferences keep working) but are not reported.
 * Returns the compiled pattern, or NULL with *err filled (err may be NULL):
 *   AS_ERR_SYNTAX  PCRE2 refused the pattern: err->msg is PCRE2's message,
 *                  err->loc.line / .col the 1-based line and byte column in the
 *                  pattern where PCRE2 stopped (line 1 unless the pattern holds
 *                  newlines); a pattern without any named group (col 0); a
 *                  name used twice (PCRE2 refuses it, and (?J), which would
 *                  allow it, is refused after compiling: col = the second
 *                  use when found, else 0); a pattern longer than
 *                  PSR_REGEX_PATTERN_MAX (col 0);
 *   AS_ERR_USAGE   flags holds an unknown bit;
 *   AS_ERR_NOMEM   out of memory.
 * err->loc.src is left NULL for the caller to fill (e.g. "--pattern"). */
psr_regex *psr_regex_new(as_slice pattern, unsigned flags, as_err *err) AS_MUST_USE;
/* Frees re; psr_regex_free(NULL) is a no-op. Every psr_regex_md made from re
 * must be freed first. */
void psr_regex_free(psr_regex *re);

/* 1 when records are matched by JIT code, 0 when by the interpreter. */
int psr_regex_is_jit(const psr_regex *re);
/* Why the interpreter is used ("" with JIT): "disabled by PSR_REGEX_NO_JIT",
 * "PCRE2 was built without JIT", that the pattern calls groups, or PCRE2's
 * message for a failed JIT compile.
 * Lives as long as re. */
const char *psr_regex_jit_reason(const psr_regex *re);

/* ---- named groups ---- */

/* How many named groups the pattern has (>= 1): the length of the groups_out
 * array of psr_regex_match. */
size_t psr_regex_n_groups(const psr_regex *re);
/* The name of named group i (0 .. n_groups - 1), in the order the groups
 * open in the pattern (group-number order); lives as long as re. {NULL, 0}
 * when i is out of range. */
as_slice psr_regex_group_name(const psr_regex *re, size_t i);
/* The index of the named group called name, or -1. By convention the group
 * named "time" holds the record's time; its text is the caller's to parse. */
int psr_regex_group_find(const psr_regex *re, as_slice name);

/* ---- matching ---- */

/* Per-thread match state for re: PCRE2 match data sized for re's groups, a
 * match context with the limits above, and a JIT stack when re uses JIT.
 * NULL when memory runs out. md may be used only with the re it was made
 * for, by one thread at a time, and must be freed before re. */
psr_regex_md *psr_regex_md_new(const psr_regex *re) AS_MUST_USE;
/* psr_regex_md_free(NULL) is a no-op. */
void psr_regex_md_free(psr_regex_md *md);

/* Matches one record (any bytes; rec.ptr may be NULL when rec.len is 0).
 * Returns AS_OK and fills groups_out[0 .. n_groups) with each named group's
 * text as a slice into rec (NOT NUL-terminated, lives as long as rec):
 *   - a group that took part in the match: {rec.ptr + start, len}, len may be
 *     0: an empty group has a non-NULL ptr (for a NULL rec.ptr it points
 *     to a static empty string);
 *   - a group that did not take part ((?<x>a)? with no a, the other branch
 *     of an alternation): {NULL, 0}.
 * Or, with groups_out unspecified and *err_col (when non-NULL) set to the
 * 1-based byte column of the problem (1 unless said otherwise: PCRE2 gives no
 * cheap position for a failed match):
 *   AS_ERR_SYNTAX       the record does not match the pattern;
 *   AS_ERR_INVALID_UTF8 the record is not valid UTF-8 (checked before
 *                       matching); the column of its first invalid byte;
 *   AS_ERR_BAD_VALUE    a limit was hit (match limit, depth or heap limit, JIT
 *                       stack): the pattern backtracks too much on this record
 *                       (catastrophic backtracking), or a recursion such as
 *                       (?1) loops without consuming anything;
 *                       psr_regex_md_reason says which;
 *   AS_ERR_NOMEM        the interpreter could not get memory for its frames;
 *   AS_ERR_USAGE        md was made for another psr_regex;
 *   AS_ERR_INTERNAL     any other PCRE2 error (message in psr_regex_md_reason).
 * Allocates nothing with JIT; the interpreter may grow md's frames. */
as_code psr_regex_match(const psr_regex *re, psr_regex_md *md, as_slice rec, as_slice *groups_out,
                        uint64_t *err_col) AS_MUST_USE;

/* Why the last psr_regex_match with md failed, as text ("" after a match);
 * e.g. "record does not match the pattern", "match limit exceeded
 * (catastrophic backtracking?)". Valid until md's next match or free. */
const char *psr_regex_md_reason(const psr_regex_md *md);

#endif
