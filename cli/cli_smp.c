/* cli_smp.c: option values and rate texts of the sampling commands (see cli_smp.h). */
#include "cli/cli_smp.h"

#include <stdlib.h>  /* strtold */
#include <string.h>  /* strcmp */

int cli_smp_pct(const char *opt, const char *arg, uint32_t *bp)
{
    if (smp_parse_bp(arg, bp) != 0) {
        cli_errf("%s '%s': expected a percentage from 0 to 100 with at most two decimals, e.g. 95, 97.5%%, 2.25",
                 opt, arg);
        return -1;
    }
    return 0;
}

int cli_smp_count(const char *opt, const char *arg, int allow_zero, uint64_t *out)
{
    uint64_t v = 0;
    const char *p = arg;
    if (*p == '\0')
        goto bad;
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || v > (UINT64_MAX - 9) / 10)
            goto bad;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if (v == 0 && !allow_zero)
        goto bad;
    *out = v;
    return 0;
bad:
    cli_errf("%s '%s': expected a whole number%s", opt, arg, allow_zero ? "" : " of at least 1");
    return -1;
}

int cli_smp_amount(const char *opt, const char *arg, long double *out)
{
    char *end;
    const char *p = arg;
    int digits = 0;
    for (; *p; p++)
        digits += *p >= '0' && *p <= '9';
    long double v = strtold(arg, &end);
    if (digits == 0 || *end != '\0' || !(v >= 0.0L) || strchr(arg, 'e') || strchr(arg, 'E') ||
        strchr(arg, 'x') || strchr(arg, 'n') || strchr(arg, 'N')) {
        cli_errf("%s '%s': expected an amount such as 25000 or 1250.50", opt, arg);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_smp_model(const char *arg, smp_model *out)
{
    static const smp_model all[] = { SMP_MODEL_BINOMIAL, SMP_MODEL_HYPERGEOMETRIC, SMP_MODEL_POISSON };
    for (size_t i = 0; i < AS_ARRAY_LEN(all); i++)
        if (strcmp(arg, smp_model_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    cli_errf("--model '%s': expected binomial, hypergeometric or poisson", arg);
    return -1;
}

void cli_smp_bp_text(uint32_t bp, char *out, size_t cap)
{
    if (bp % 100 == 0)
        snprintf(out, cap, "%u%%", bp / 100);
    else if (bp % 10 == 0)
        snprintf(out, cap, "%u.%u%%", bp / 100, bp % 100 / 10);
    else
        snprintf(out, cap, "%u.%02u%%", bp / 100, bp % 100);
}

void cli_smp_frac_text(long double f, int decimals, char *out, size_t cap)
{
    snprintf(out, cap, "%.*Lf%%", decimals, 100.0L * f);
}
