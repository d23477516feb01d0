/* rpt_manifest.c: manifest.json from its model (rpt_manifest.h). */
#include "report/rpt.h"
#include "report/rpt_manifest.h"

static void file_list(rpt_json *j, const char *key, const rpt_mfile *v, size_t n, int inputs)
{
    rpt_json_key(j, key);
    rpt_json_arr_begin(j);
    for (size_t i = 0; i < n; i++) {
        const rpt_mfile *f = &v[i];
        rpt_json_obj_begin(j);
        rpt_json_key(j, "path");
        rpt_json_str(j, f->path);
        if (inputs && f->with_read) {
            rpt_json_key(j, "read");
            rpt_json_bool(j, f->read);
        }
        if (!inputs || !f->with_read || f->read) {
            rpt_json_key(j, "bytes");
            rpt_json_u64(j, f->bytes);
            rpt_json_key(j, "sha256");
            if (f->sha256.len)
                rpt_json_str(j, f->sha256);
            else
                rpt_json_null(j);
            if (inputs) {
                rpt_json_key(j, "records");
                rpt_json_u64(j, f->records);
                rpt_json_key(j, "rejected");
                rpt_json_u64(j, f->rejected);
                rpt_json_key(j, "complete");
                rpt_json_bool(j, f->complete);
            }
        }
        rpt_json_obj_end(j);
    }
    rpt_json_arr_end(j);
}

as_code rpt_manifest_json(as_buf *out, const rpt_manifest *m)
{
    rpt_json j;
    rpt_json_init(&j, out, 1);
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "schema");
    rpt_json_cstr(&j, "assay.manifest/1");
    rpt_json_key(&j, "assay");
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "version");
    rpt_json_str(&j, m->version);
    rpt_json_key(&j, "build");
    rpt_json_str(&j, m->build);
    rpt_json_obj_end(&j);
    rpt_json_key(&j, "command");
    rpt_json_arr_begin(&j);
    rpt_json_cstr(&j, "assay");
    for (int i = 0; i < m->argc; i++)
        rpt_json_cstr(&j, m->argv[i]);
    rpt_json_arr_end(&j);
    rpt_json_key(&j, "cwd");
    if (m->cwd.len)
        rpt_json_str(&j, m->cwd);
    else
        rpt_json_null(&j);
    rpt_json_key(&j, "started");
    rpt_json_time(&j, m->started);
    rpt_json_key(&j, "finished");
    rpt_json_time(&j, m->finished);
    rpt_json_key(&j, "period");
    if (m->has_period) {
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "start");
        rpt_json_time(&j, m->period_start);
        rpt_json_key(&j, "end");
        rpt_json_time(&j, m->period_end);
        rpt_json_key(&j, "end_exclusive");
        rpt_json_bool(&j, 1);
        rpt_json_key(&j, "given");
        rpt_json_bool(&j, m->period_given);
        rpt_json_obj_end(&j);
    } else {
        rpt_json_null(&j);
    }
    file_list(&j, "inputs", m->inputs, m->n_inputs, 1);
    file_list(&j, "rules", m->rules, m->n_rules, 0);
    rpt_json_key(&j, "seeds");
    rpt_json_arr_begin(&j);
    for (size_t i = 0; i < m->n_seeds; i++) {
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, m->seeds[i].kind ? m->seeds[i].kind : "seed");
        rpt_json_str(&j, m->seeds[i].value);
        rpt_json_key(&j, "drawn_from_os");
        rpt_json_bool(&j, m->seeds[i].drawn_from_os);
        rpt_json_key(&j, "used_for");
        rpt_json_str(&j, m->seeds[i].used_for);
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    file_list(&j, "outputs", m->outputs, m->n_outputs, 0);
    if (m->not_listed.len) {
        rpt_json_key(&j, "not_listed");
        rpt_json_str(&j, m->not_listed);
    }
    rpt_json_obj_end(&j);
    return rpt_json_finish(&j) == 0 ? AS_OK : AS_ERR_NOMEM;
}
