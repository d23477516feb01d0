/* as_err.c: error names, texts and the one printer (see as_err.h). */
#include "core/as_err.h"

#include <stdarg.h>  /* va_list */
#include <string.h>  /* strcmp */

static const char *const k_names[] = {
#define AS_ERR_NAME_(code, name, text) name,
    AS_ERR_LIST(AS_ERR_NAME_)
#undef AS_ERR_NAME_
};

static const char *const k_texts[] = {
#define AS_ERR_TEXT_(code, name, text) text,
    AS_ERR_LIST(AS_ERR_TEXT_)
#undef AS_ERR_TEXT_
};

const char *as_err_name(as_code code)
{
    return (unsigned)code < AS_ERR__COUNT ? k_names[code] : "unknown";
}

const char *as_err_text(as_code code)
{
    return (unsigned)code < AS_ERR__COUNT ? k_texts[code] : "unknown error";
}

int as_err_from_name(const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < AS_ERR__COUNT; i++)
        if (strcmp(k_names[i], name) == 0)
            return i;
    return -1;
}

as_code as_err_vset(as_err *e, as_code code, as_loc loc, const char *fmt, va_list ap)
{
    if (e == NULL || e->code != AS_OK)
        return code;
    e->code = code;
    e->loc = loc;
    if (fmt == NULL)
        snprintf(e->msg, sizeof e->msg, "%s", as_err_text(code));
    else
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    return code;
}

as_code as_err_set(as_err *e, as_code code, as_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    as_code rc = as_err_vset(e, code, loc, fmt, ap);
    va_end(ap);
    return rc;
}

as_loc as_loc_at(as_slice text, size_t off)
{
    as_loc loc = { .line = 1 };
    size_t line_start = 0;
    for (size_t i = 0; i < off && i < text.len; i++) {
        if (text.ptr[i] == '\n') {
            loc.line++;
            line_start = i + 1;
        }
    }
    loc.col = (uint64_t)(off - line_start) + 1;
    return loc;
}

static const char *sev_word(as_severity sev)
{
    switch (sev) {
    case AS_SEV_WARNING: return "warning";
    case AS_SEV_NOTE:    return "note";
    default:             return "error";
    }
}

void as_err_format(char *buf, size_t cap, const as_err *e, as_severity sev)
{
    if (cap == 0)
        return;
    const char *src = e->loc.src ? e->loc.src : "assay";
    const char *msg = e->msg[0] ? e->msg : as_err_text(e->code);
    int n;
    if (e->loc.line && e->loc.col)
        n = snprintf(buf, cap, "%s:%llu:%llu: %s: %s", src, (unsigned long long)e->loc.line,
                     (unsigned long long)e->loc.col, sev_word(sev), msg);
    else if (e->loc.line)
        n = snprintf(buf, cap, "%s:%llu: %s: %s", src, (unsigned long long)e->loc.line,
                     sev_word(sev), msg);
    else
        n = snprintf(buf, cap, "%s: %s: %s", src, sev_word(sev), msg);
    if (n >= 0 && (size_t)n < cap && e->loc.has_offset)
        snprintf(buf + n, cap - (size_t)n, " (at byte %llu)", (unsigned long long)e->loc.offset);
}

void as_err_print(FILE *f, const as_err *e, as_severity sev)
{
    char line[AS_ERR_MSG_MAX + 1024];
    as_err_format(line, sizeof line, e, sev);
    fprintf(f, "%s\n", line);
}
