/* rul_out.c: a run's evidence files (rul.h, docs/rules.md):
 *   population.csv  every instance of a control, with its result
 *   exceptions.csv  every exception and untestable instance, with the
 *                   reason code, the measured value and the records involved
 *   results.json    schema assay.results/1: the run, its inputs and every
 *                   control's counts and verdict
 * CSV cells go through rpt_csv (RFC 4180, formulas neutralised); nothing
 * here depends on timing or thread count.
 */
#include <stdio.h>
#include <string.h>

#include "report/rpt.h"
#include "rules/rul_int.h"

#define OUT_FLUSH (1u << 20)  /* 1 MiB: write out the CSV buffer at this size */

static as_code flush(FILE *f, as_buf *b, int force)
{
    if (b->len == 0 || (!force && b->len < OUT_FLUSH))
        return AS_OK;
    if (fwrite(b->data, 1, b->len, f) != b->len)
        return AS_ERR_WRITE;
    as_buf_clear(b);
    return AS_OK;
}

static void cell_where(rpt_csv *c, const rul_run *r, rul_where w, int with_offset)
{
    if (w.input == UINT32_MAX) {
        rpt_csv_cstr(c, "");
        rpt_csv_cstr(c, "");
        if (with_offset)
            rpt_csv_cstr(c, "");
        return;
    }
    rpt_csv_cstr(c, r->b->in.v[w.input].display);
    if (w.line)
        rpt_csv_u64(c, w.line);
    else
        rpt_csv_cstr(c, "");
    if (with_offset) {
        if (w.line)
            rpt_csv_u64(c, w.offset);
        else
            rpt_csv_cstr(c, "");
    }
}

static void cell_time(rpt_csv *c, as_time t)
{
    char b[AS_TIME_RFC3339_MAX];
    if (as_time_is_valid(t)) {
        as_time_format_utc(t, b);
        rpt_csv_cstr(c, b);
    } else {
        rpt_csv_cstr(c, "");
    }
}

static const char *src_name(const rul_run *r, uint8_t src)
{
    return src < r->s->n_src ? r->s->src[src].name : "";
}

as_code rul_write_population(FILE *f, const rul_run *r, const rul_cresult *cr)
{
    as_buf b;
    as_buf_init(&b);
    rpt_csv c;
    rpt_csv_init(&c, &b);
    static const char *const hdr[] = { "record_id", "key", "time", "source", "file", "line", "offset", "result", "reason" };
    for (size_t i = 0; i < sizeof hdr / sizeof *hdr; i++)
        rpt_csv_cstr(&c, hdr[i]);
    rpt_csv_end_row(&c);
    as_code rc = AS_OK;
    for (size_t i = 0; i < cr->n_inst && rc == AS_OK; i++) {
        const rul_inst *in = &cr->inst[i];
        rpt_csv_text(&c, in->id);
        rpt_csv_text(&c, in->key);
        cell_time(&c, in->time);
        rpt_csv_cstr(&c, src_name(r, in->src));
        cell_where(&c, r, in->at, 1);
        rpt_csv_cstr(&c, rul_result_name(in->result));
        rpt_csv_cstr(&c, in->reason);
        rpt_csv_end_row(&c);
        rc = c.failed ? AS_ERR_NOMEM : flush(f, &b, 0);
    }
    if (rc == AS_OK)
        rc = c.failed ? AS_ERR_NOMEM : flush(f, &b, 1);
    as_buf_fini(&b);
    return rc;
}

as_code rul_write_exceptions(FILE *f, const rul_run *r, const rul_cresult *cr)
{
    as_buf b;
    as_buf_init(&b);
    rpt_csv c;
    rpt_csv_init(&c, &b);
    static const char *const hdr[] = { "record_id", "key", "time", "result", "reason", "measured", "detail", "source",
                                       "file", "line", "offset", "related_file", "related_line", "related_offset",
                                       "side" };
    for (size_t i = 0; i < sizeof hdr / sizeof *hdr; i++)
        rpt_csv_cstr(&c, hdr[i]);
    rpt_csv_end_row(&c);
    as_code rc = AS_OK;
    for (size_t i = 0; i < cr->n_inst && rc == AS_OK; i++) {
        const rul_inst *in = &cr->inst[i];
        if (in->result == RUL_PASS)
            continue;
        rpt_csv_text(&c, in->id);
        rpt_csv_text(&c, in->key);
        cell_time(&c, in->time);
        rpt_csv_cstr(&c, rul_result_name(in->result));
        rpt_csv_cstr(&c, in->reason);
        rpt_csv_text(&c, in->measured);
        rpt_csv_text(&c, in->detail);
        rpt_csv_cstr(&c, src_name(r, in->src));
        cell_where(&c, r, in->at, 1);
        cell_where(&c, r, in->rel, 1);
        rpt_csv_cstr(&c, in->side ? in->side : "");
        rpt_csv_end_row(&c);
        rc = c.failed ? AS_ERR_NOMEM : flush(f, &b, 0);
    }
    if (rc == AS_OK)
        rc = c.failed ? AS_ERR_NOMEM : flush(f, &b, 1);
    as_buf_fini(&b);
    return rc;
}

static void json_where(rpt_json *j, const rul_run *r, rul_where w)
{
    if (w.input == UINT32_MAX) {
        rpt_json_null(j);
        return;
    }
    rpt_json_obj_begin(j);
    rpt_json_key(j, "file");
    rpt_json_cstr(j, r->b->in.v[w.input].display);
    rpt_json_key(j, "line");
    if (w.line)
        rpt_json_u64(j, w.line);
    else
        rpt_json_null(j);
    rpt_json_key(j, "offset");
    if (w.line)
        rpt_json_u64(j, w.offset);
    else
        rpt_json_null(j);
    rpt_json_obj_end(j);
}

const char *rul_verdict(const rul_cresult *cr)
{
    if (cr->n_exception + cr->n_untestable)
        return "exceptions";
    if (cr->n_inst == 0)
        return "no_population";
    return "effective";
}

as_code rul_write_results_json(FILE *f, const rul_run *r, const char *const *argv, int argc)
{
    as_buf b;
    as_buf_init(&b);
    rpt_json j;
    rpt_json_init(&j, &b, 1);
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "schema");
    rpt_json_cstr(&j, "assay.results/1");
    (void)argv;  /* the command line goes to the manifest: results do not depend on -j or paths of outputs */
    (void)argc;
    rpt_json_key(&j, "period");
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "start");
    rpt_json_time(&j, r->pstart);
    rpt_json_key(&j, "end");
    rpt_json_time(&j, r->pend);
    rpt_json_key(&j, "end_exclusive");
    rpt_json_bool(&j, 1);
    rpt_json_key(&j, "given");
    rpt_json_bool(&j, r->period_given);
    rpt_json_obj_end(&j);
    rpt_json_key(&j, "rules");
    rpt_json_arr_begin(&j);
    for (size_t i = 0; i < r->s->n_files; i++) {
        char hex[2 * AS_SHA256_LEN + 1];
        as_hex(r->s->files[i].sha256, AS_SHA256_LEN, hex);
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "path");
        rpt_json_cstr(&j, r->s->files[i].path);
        rpt_json_key(&j, "sha256");
        rpt_json_cstr(&j, hex);
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    rpt_json_key(&j, "inputs");
    rpt_json_arr_begin(&j);
    for (size_t i = 0; i < r->b->in.n; i++) {
        const eng_stat *st = r->read[i] ? &r->stat[i] : NULL;
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "path");
        rpt_json_cstr(&j, r->b->in.v[i].display);
        rpt_json_key(&j, "sources");
        rpt_json_arr_begin(&j);
        uint64_t m = rul_run_input_sources(r, i);
        for (size_t k = 0; k < r->s->n_src; k++)
            if (m >> k & 1)
                rpt_json_cstr(&j, r->s->src[k].name);
        rpt_json_arr_end(&j);
        rpt_json_key(&j, "read");
        rpt_json_bool(&j, st != NULL);
        if (st) {
            char hex[2 * AS_SHA256_LEN + 1];
            as_hex(st->sha256, AS_SHA256_LEN, hex);
            rpt_json_key(&j, "format");
            rpt_json_cstr(&j, rul_run_input_format(r, i));
            rpt_json_key(&j, "bytes");
            rpt_json_u64(&j, st->bytes_stored);
            rpt_json_key(&j, "sha256");
            if (st->has_sha256)
                rpt_json_cstr(&j, hex);
            else
                rpt_json_null(&j);
            rpt_json_key(&j, "records");
            rpt_json_u64(&j, st->records);
            rpt_json_key(&j, "accepted");
            rpt_json_u64(&j, st->accepted);
            rpt_json_key(&j, "rejected");
            rpt_json_u64(&j, st->rejected);
            rpt_json_key(&j, "complete");
            rpt_json_bool(&j, st->complete);
        }
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    rpt_json_key(&j, "controls");
    rpt_json_arr_begin(&j);
    uint64_t tot_exc = 0;
    for (size_t i = 0; i < r->s->n_ctl; i++) {
        const rul_cresult *cr = &r->res[i];
        const rul_control *c = cr->c;
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "id");
        rpt_json_cstr(&j, c->id);
        rpt_json_key(&j, "title");
        rpt_json_cstr(&j, c->title);
        rpt_json_key(&j, "criteria");
        rpt_json_arr_begin(&j);
        for (size_t k = 0; k < c->n_criteria; k++)
            rpt_json_cstr(&j, c->criteria[k]);
        rpt_json_arr_end(&j);
        rpt_json_key(&j, "frequency");
        rpt_json_cstr(&j, c->frequency);
        rpt_json_key(&j, "severity");
        rpt_json_cstr(&j, c->severity);
        rpt_json_key(&j, "test");
        rpt_json_cstr(&j, rul_test_name(c->kind));
        rpt_json_key(&j, "rule_file");
        rpt_json_cstr(&j, c->file);
        rpt_json_key(&j, "rule_line");
        rpt_json_u64(&j, c->line);
        rpt_json_key(&j, "population");
        rpt_json_u64(&j, cr->n_inst);
        rpt_json_key(&j, "pass");
        rpt_json_u64(&j, cr->n_pass);
        rpt_json_key(&j, "exceptions");
        rpt_json_u64(&j, cr->n_exception);
        rpt_json_key(&j, "untestable");
        rpt_json_u64(&j, cr->n_untestable);
        rpt_json_key(&j, "duplicates");
        rpt_json_u64(&j, cr->n_dup);
        rpt_json_key(&j, "outside_period");
        rpt_json_u64(&j, cr->n_outside);
        rpt_json_key(&j, "matching_events");
        rpt_json_u64(&j, cr->n_other);
        rpt_json_key(&j, "verdict");
        rpt_json_cstr(&j, rul_verdict(cr));
        rpt_json_key(&j, "reasons");
        rpt_json_obj_begin(&j);
        /* counts by reason, in first-seen order */
        const char *seen[32];
        uint64_t cnt[32];
        size_t ns = 0;
        for (size_t k = 0; k < cr->n_inst; k++) {
            const rul_inst *in = &cr->inst[k];
            if (in->result == RUL_PASS)
                continue;
            size_t s = 0;
            while (s < ns && strcmp(seen[s], in->reason) != 0)
                s++;
            if (s == ns && ns < 32) {
                seen[ns] = in->reason;
                cnt[ns++] = 0;
            }
            if (s < ns)
                cnt[s]++;
        }
        for (size_t s = 0; s < ns; s++) {
            rpt_json_key(&j, seen[s]);
            rpt_json_u64(&j, cnt[s]);
        }
        rpt_json_obj_end(&j);
        rpt_json_key(&j, "duplicates_list");
        rpt_json_arr_begin(&j);
        for (size_t k = 0; k < cr->n_dup && k < 1000; k++) {
            rpt_json_obj_begin(&j);
            rpt_json_key(&j, "unique");
            rpt_json_str(&j, cr->dup[k].uniq);
            rpt_json_key(&j, "at");
            json_where(&j, r, cr->dup[k].at);
            rpt_json_key(&j, "first");
            json_where(&j, r, cr->dup[k].first);
            rpt_json_obj_end(&j);
        }
        rpt_json_arr_end(&j);
        rpt_json_obj_end(&j);
        tot_exc += cr->n_exception + cr->n_untestable;
    }
    rpt_json_arr_end(&j);
    rpt_json_key(&j, "totals");
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "controls");
    rpt_json_u64(&j, r->s->n_ctl);
    rpt_json_key(&j, "exceptions");
    rpt_json_u64(&j, tot_exc);
    rpt_json_obj_end(&j);
    rpt_json_obj_end(&j);
    as_code rc = rpt_json_finish(&j) != 0 ? AS_ERR_NOMEM : flush(f, &b, 1);
    as_buf_fini(&b);
    return rc;
}
