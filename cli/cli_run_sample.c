/* cli_run_sample.c: `assay run --out DIR --sample-seed SEED`: a sample of
 * every control's population, drawn while the evidence is written, so the
 * folder carries what the auditor re-tests by hand (cli_evidence.h).
 *
 * Size: the exact binomial plan (samplers/smp_plan.c) for the confidence,
 * tolerable and expected rates given (default 95 / 5 / 0: n = 59), the
 * whole population when it is not larger. Selection: the records (cells)
 * with the n smallest keys, key = the first 8 bytes of HMAC-SHA256(seed,
 * record_id): exactly what `assay sample --population DIR/<id>/population.csv
 * --method random --seed SEED --size n` selects and docs/reperform.md
 * recomputes with openssl. Evaluation: the deviations assay found in the
 * sampled instances (exceptions and untestable), evaluated exactly
 * (Clopper-Pearson), so the report says what the sample would conclude.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_evidence.h"
#include "report/rpt.h"

int cli_sample_control(const cli_sampling *s, const rul_cresult *cr, cli_csample *out)
{
    memset(out, 0, sizeof *out);
    out->N = cr->n_inst;
    smp_plan_req req = { .model = SMP_MODEL_BINOMIAL, .conf_bp = s->conf_bp, .tdr_bp = s->tdr_bp,
                         .edr_bp = s->edr_bp, .stages = 1 };
    smp_plan plan;
    as_err err;
    as_err_clear(&err);
    if (smp_plan_compute(&req, &plan, &err) != AS_OK) {
        cli_err(&err);
        return -1;
    }
    out->k = plan.k;
    out->n = plan.n;
    if (out->N <= plan.n) {
        out->full = 1;
        out->n = out->N;
    }
    if (out->n == 0)
        return 0;
    smp_keyer *ky = smp_keyer_new(&s->seed);
    if (ky == NULL)
        return -1;
    smp_bottomk bk;
    smp_bottomk_init(&bk, out->n, as_free);
    int rc = 0;
    for (size_t i = 0; i < cr->n_inst && rc == 0; i++) {
        uint64_t key;
        if (smp_keyer_key(ky, cr->inst[i].id, &key) != 0) {
            rc = -1;
            break;
        }
        if (!smp_bottomk_wants(&bk, key, cr->inst[i].id))
            continue;
        size_t *p = as_malloc(sizeof *p);
        if (p == NULL) {
            rc = -1;
            break;
        }
        *p = i;
        if (smp_bottomk_push(&bk, key, cr->inst[i].id, p) != AS_OK)
            rc = -1;
    }
    smp_keyer_free(ky);
    if (rc == 0) {
        smp_bottomk_sort(&bk);
        out->idx = as_malloc((bk.n ? bk.n : 1) * sizeof *out->idx);
        out->key = as_malloc((bk.n ? bk.n : 1) * sizeof *out->key);
        if (out->idx == NULL || out->key == NULL)
            rc = -1;
        for (size_t i = 0; rc == 0 && i < bk.n; i++) {
            out->idx[i] = *(size_t *)bk.v[i].payload;
            out->key[i] = bk.v[i].key;
            if (cr->inst[out->idx[i]].result != RUL_PASS)
                out->x++;
        }
        out->n = bk.n;
    }
    smp_bottomk_fini(&bk);
    if (rc != 0) {
        cli_csample_fini(out);
        cli_errf("out of memory drawing the sample of %s", cr->c->id);
        return -1;
    }
    smp_eval_req er = { .model = SMP_MODEL_BINOMIAL, .conf_bp = s->conf_bp, .n = out->n, .x = out->x,
                        .tdr_bp = s->tdr_bp };
    smp_eval ev;
    if (!out->full && smp_eval_compute(&er, &ev, &err) == AS_OK) {
        out->ub = ev.ub;
        out->ub_table_pct = ev.ub_table_pct;
        out->evaluated = 1;
        out->supports = ev.supports;
    } else if (out->full) {
        out->evaluated = 1;  /* the whole population: no sampling risk */
        out->ub = out->N ? (long double)out->x / (long double)out->N : 0;
        out->ub_table_pct = out->ub * 100;
        out->supports = out->x == 0;
    }
    return 0;
}

void cli_csample_fini(cli_csample *c)
{
    as_free(c->idx);
    as_free(c->key);
    c->idx = NULL;
    c->key = NULL;
}

int cli_sample_csv_write(FILE *f, const rul_run *r, const rul_cresult *cr, const cli_csample *cs)
{
    as_buf b;
    as_buf_init(&b);
    rpt_csv c;
    rpt_csv_init(&c, &b);
    static const char *const hdr[] = { "ordinal", "record_id", "key", "time", "source", "file", "line", "offset",
                                       "selection_key", "assay_result", "assay_reason", "tester_result",
                                       "tester_notes" };
    for (size_t i = 0; i < sizeof hdr / sizeof *hdr; i++)
        rpt_csv_cstr(&c, hdr[i]);
    rpt_csv_end_row(&c);
    const rul_set *s = rul_run_rules(r);
    for (size_t i = 0; i < cs->n; i++) {
        const rul_inst *in = &cr->inst[cs->idx[i]];
        char t[AS_TIME_RFC3339_MAX] = "", k[17];
        if (as_time_is_valid(in->time))
            as_time_format_utc(in->time, t);
        snprintf(k, sizeof k, "%016llx", (unsigned long long)cs->key[i]);
        rpt_csv_u64(&c, i + 1);
        rpt_csv_text(&c, in->id);
        rpt_csv_text(&c, in->key);
        rpt_csv_cstr(&c, t);
        rpt_csv_cstr(&c, in->src < s->n_src ? s->src[in->src].name : "");
        if (in->at.input == UINT32_MAX) {
            rpt_csv_cstr(&c, "");
            rpt_csv_cstr(&c, "");
            rpt_csv_cstr(&c, "");
        } else {
            rpt_csv_cstr(&c, rul_run_input_display(r, in->at.input));
            if (in->at.line) {
                rpt_csv_u64(&c, in->at.line);
                rpt_csv_u64(&c, in->at.offset);
            } else {
                rpt_csv_cstr(&c, "");
                rpt_csv_cstr(&c, "");
            }
        }
        rpt_csv_cstr(&c, k);
        rpt_csv_cstr(&c, rul_result_name(in->result));
        rpt_csv_cstr(&c, in->reason);
        rpt_csv_cstr(&c, "");
        rpt_csv_cstr(&c, "");
        rpt_csv_end_row(&c);
    }
    int rc = c.failed || (b.len && fwrite(b.data, 1, b.len, f) != b.len) ? -1 : 0;
    as_buf_fini(&b);
    return rc;
}
