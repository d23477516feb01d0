/* gen_csv.c: RFC 4180 field quoting (see gen_csv.h). */
#include "tools/gen/gen_csv.h"

void gen_csv_field(gen_out *o, const char *s)
{
    if (s == NULL)
        return;
    size_t n = strlen(s);
    if (strpbrk(s, ",\"\r\n") == NULL) {
        gen_out_put(o, s, n);
        return;
    }
    gen_out_put(o, "\"", 1);
    for (const char *q = s; *q; q++) {
        if (*q == '"')
            gen_out_put(o, "\"\"", 2);
        else
            gen_out_put(o, q, 1);
    }
    gen_out_put(o, "\"", 1);
}

void gen_csv_row(gen_out *o, const char *const *fields, size_t n, const char *eol)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            gen_out_put(o, ",", 1);
        gen_csv_field(o, fields[i]);
    }
    gen_out_puts(o, eol);
}
