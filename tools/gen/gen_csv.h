/* gen_csv.h: RFC 4180 field writing for the generated CSV exports.
 *
 * A field is quoted when it contains a comma, a double quote, CR or LF;
 * inner quotes are doubled. Row terminators are the caller's (the HR export
 * uses CRLF like Excel, the others LF). Thread-safety: pure functions.
 */
#ifndef ASSAY_GEN_CSV_H
#define ASSAY_GEN_CSV_H

#include "tools/gen/gen_out.h"

/* Appends one field (no separator). s may be NULL for an empty field. */
void gen_csv_field(gen_out *o, const char *s);

/* Appends fields[0..n) separated by commas, then the terminator eol. */
void gen_csv_row(gen_out *o, const char *const *fields, size_t n, const char *eol);

#endif
