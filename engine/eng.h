/* eng.h: the public header of engine/, multithreaded streaming ingestion.
 *
 * The engine turns a list of inputs (files, folders, globs, stdin) into
 * records, block by block, on all cores, and accounts for every byte and every
 * record. It knows nothing about formats: what happens to records is the
 * business of a sink (a table of callbacks, redis dictType-style) that cli/
 * wires to parsers and rules.
 *
 * Data flow (docs/architecture.md):
 *   reader threads (one input at a time each): read() large chunks, SHA-256 of
 *     the stored bytes, decompress (gzip/zstd), cut at the last record boundary
 *     into blocks of ENG_BLOCK_SIZE, carry the partial record to the next block
 *   bounded block pool (backpressure: memory does not grow with input size)
 *   worker threads: split a block into records, validate (length, NUL, UTF-8),
 *     hand batches to the sink, keep the block's result
 *   ordered merge: per input, block results are merged strictly in stream
 *     order, so every output is identical at any thread count
 *
 * Lines in the sink's batches are block-relative; the merge callback gets the
 * number of lines before the block (line_base) to make them absolute.
 * Thread-safety: an eng_job is driven by one thread (eng_job_run); the sink's
 * callbacks are called from worker and reader threads as documented below.
 */
#ifndef ASSAY_ENG_H
#define ASSAY_ENG_H

#include <stdatomic.h>  /* progress counters */

#include "core/as.h"
#include "engine/eng_codec.h"

/* ---- sizes: each named with its unit and reason ---- */
#define ENG_BLOCK_SIZE        (4u << 20)  /* 4 MiB: large enough to amortise hand-offs, small enough for L2/L3 reuse */
#define ENG_READ_CHUNK        (1u << 20)  /* 1 MiB compressed read size */
#define ENG_MAX_RECORD_DEFAULT (1u << 20) /* 1 MiB, --max-record default */
#define ENG_REJECT_SAMPLES    10          /* reject locations kept per input (the counts are complete) */
#define ENG_MAX_WORKERS       256         /* -j upper bound */
#define ENG_SNIFF_BYTES       (64u << 10) /* 64 KiB: decompressed head shown to input_head for sniffing */
#define ENG_MAX_DOCUMENT_DEFAULT (256u << 20) /* 256 MiB, --max-document default (one JSON document) */

/* How an input's bytes are cut into records; the sink chooses per input
 * (input_head), after seeing its first bytes. */
typedef enum eng_framing {
    ENG_FRAME_LINES = 0, /* a record is a line (LF or CRLF); empty lines are not records */
    ENG_FRAME_QUOTED,    /* CSV (RFC 4180): a line feed inside double quotes does not end a
                            record, so a record may span lines; after an over-long record the
                            quote state restarts at the next line feed */
    ENG_FRAME_DOCUMENT,  /* the whole stream is one document (up to --max-document bytes),
                            handed to the sink's split_document, which cuts it into records */
} eng_framing;

/* ---- inputs ---- */
typedef struct eng_input {
    char *path;     /* path to open, "-" = stdin; owned */
    char *display;  /* path as shown in outputs; owned */
} eng_input;

typedef struct eng_inputs {
    eng_input *v;  /* owned */
    size_t     n;
    size_t     cap;
} eng_inputs;

void eng_inputs_init(eng_inputs *l);
void eng_inputs_fini(eng_inputs *l);

/* Adds one command-line argument: "-" (stdin), a file, a folder (recursive:
 * regular files below it in bytewise-sorted path order, depth first; names
 * starting with '.' are skipped; symbolic links to files are followed, to
 * folders are not), or a shell-style glob (sorted; folders it matches are
 * expanded as above). A path that does not exist is still added (it will be
 * reported unreadable); a glob that matches nothing is AS_ERR_OPEN. */
as_code eng_inputs_add_arg(eng_inputs *l, const char *arg, as_err *err) AS_MUST_USE;
/* Adds every non-empty line of a file list ("-" = stdin) as an argument. */
as_code eng_inputs_add_list(eng_inputs *l, const char *list_path, as_err *err) AS_MUST_USE;

/* The first decompressed bytes of a file (plain, gzip or zstd by magic
 * bytes), for a caller that must tell what an input is before a job reads
 * it: up to cap bytes into buf; fewer when the file is shorter or its head
 * does not decode (what decoded before the damage is kept). Returns the
 * count; 0 also when the file cannot be opened. */
size_t eng_file_head(const char *path, void *buf, size_t cap);

/* ---- per-input accounting ---- */
typedef struct eng_reject {
    uint64_t line;    /* 1-based line of the record's first line */
    uint64_t col;     /* 1-based byte column of the problem in that line, 0 when unknown */
    uint64_t offset;  /* decompressed byte offset of its first byte */
    as_code  reason;  /* stable name via as_err_name */
} eng_reject;

typedef struct eng_stat {
    eng_comp   comp;                /* detected by magic bytes */
    const char *codec;              /* "none", "isal", "zlib", "zstd" */
    uint64_t   bytes_stored;        /* bytes read from the file */
    uint64_t   bytes_decompressed;  /* bytes after decompression */
    uint64_t   lines;               /* physical lines (a final line without newline counts) */
    uint64_t   blank;               /* empty lines (not records) */
    uint64_t   headers;             /* items a sink marked AS_NOT_A_RECORD (CSV header rows) */
    uint64_t   records;             /* = accepted + rejected */
    uint64_t   accepted;
    uint64_t   rejected;
    uint64_t   rejected_by[AS_ERR__COUNT];  /* by reason */
    eng_reject reject_samples[ENG_REJECT_SAMPLES]; /* the first ones, in stream order */
    unsigned   n_reject_samples;
    uint8_t    sha256[AS_SHA256_LEN];  /* of the stored bytes (what sha256sum prints) */
    int        has_sha256;          /* the whole file was read */
    int        complete;            /* read to the end without a fault */
    int        opened;              /* the file could be opened */
    as_err     fault;               /* the first fault (AS_OK if none) */
    uint64_t   size_at_open;        /* st_size when opened (0 for stdin/pipes) */
    int        is_regular;          /* a regular file (size known) */
} eng_stat;

/* ---- records handed to a sink ---- */
typedef struct eng_item {
    as_rec  rec;   /* rec.line is block-relative (1 = the block's first line) */
    as_code code;  /* AS_OK, or why the engine (or the sink) rejects it */
    uint32_t col;  /* a rejection's 1-based byte column in the record's first line (0 = unknown);
                      set by whoever sets code */
} eng_item;

/* What a sink sees of the block it is working on. */
typedef struct eng_blockctx {
    uint32_t  input;   /* input index */
    uint64_t  seq;     /* block number within the input, from 0 */
    uint64_t  offset;  /* decompressed offset of the block's first byte */
    as_arena *arena;   /* lives until the block is merged: results may point into it */
} eng_blockctx;

/* Hands a document's records to the engine (split_document, eng_emit). */
typedef struct eng_emitter eng_emitter;

/* A sink: what to do with records. Every callback is optional.
 * Concurrency: worker_* and on_batch/block_end run on worker threads, each
 * with its own worker state; input_begin runs on a reader thread (several at
 * once for different inputs); merge and input_end run for one input at a time
 * per input (serialised per input, concurrent across inputs), in block order. */
typedef struct eng_sink {
    void *ctx;
    void *(*worker_init)(void *ctx, unsigned worker_id);
    void  (*worker_fini)(void *ctx, void *wstate);
    void *(*input_begin)(void *ctx, uint32_t input);
    /* A batch of records of one block, in stream order; the sink may set
     * item.code to reject a record (a parse error), or to AS_NOT_A_RECORD
     * for a header row; the engine counts it. */
    void  (*on_batch)(void *wstate, const eng_blockctx *bc, eng_item *items, size_t n);
    /* End of a block: returns the block's result (or NULL), kept until merge. */
    void *(*block_end)(void *wstate, const eng_blockctx *bc);
    void  (*merge)(void *ctx, void *input_acc, void *block_result, uint64_t line_base);
    void  (*input_end)(void *ctx, void *input_acc, uint32_t input, const eng_stat *st);
    /* Runs on the reader thread once per input that could be opened, after
     * input_begin and before any of its blocks is handed out, with the first
     * decompressed bytes (up to ENG_SNIFF_BYTES; fewer for a short input,
     * none for an empty one). Returns the input's framing; without this
     * callback every input is ENG_FRAME_LINES. */
    eng_framing (*input_head)(void *ctx, void *input_acc, uint32_t input, as_slice head);
    /* ENG_FRAME_DOCUMENT inputs: runs on a worker thread with the whole
     * document (doc.ptr is the stream's first byte). It cuts doc into records
     * and hands them, in stream order, in batches to eng_emit: each record
     * with rec.offset absolute (bc->offset + position in doc), rec.line
     * 1-based in doc, rec.n_lines, rec.raw inside doc, and code AS_OK or why
     * it is rejected (an invalid tail of the document is one rejected record
     * at the error's location). Every byte that is not white space between
     * records must belong to some record: nothing may vanish. */
    void  (*split_document)(void *wstate, const eng_blockctx *bc, as_slice doc,
                            eng_emitter *em);
} eng_sink;

/* Passes a batch of a document's records to on_batch and counts them (from
 * split_document only, on its worker thread). */
void eng_emit(eng_emitter *em, eng_item *items, size_t n);

/* ---- a job ---- */
typedef struct eng_opts {
    unsigned    workers;     /* -j: worker threads (0 = number of online CPUs) */
    size_t      max_record;  /* --max-record (0 = ENG_MAX_RECORD_DEFAULT) */
    size_t      block_size;  /* 0 = ENG_BLOCK_SIZE (tests use tiny blocks) */
    size_t      max_document;/* --max-document (0 = ENG_MAX_DOCUMENT_DEFAULT): ENG_FRAME_DOCUMENT inputs */
    eng_gz_impl gz;          /* gzip inflater */
} eng_opts;

typedef struct eng_job eng_job;

/* The progress callback runs on the thread that called eng_job_run, a few
 * times a second; done/total are stored bytes (total 0 = unknown). */
typedef void (*eng_progress_fn)(void *arg, uint64_t done, uint64_t total, double seconds);

eng_job *eng_job_new(const eng_inputs *inputs, const eng_opts *opts, const eng_sink *sink) AS_MUST_USE;
void     eng_job_free(eng_job *job);

/* Runs the job to completion. Returns AS_OK when every input was processed
 * (faults in inputs are not job failures: they are in each input's stat), or
 * AS_ERR_NOMEM / AS_ERR_INTERNAL (err filled) when the job itself failed. */
as_code eng_job_run(eng_job *job, eng_progress_fn progress, void *progress_arg, as_err *err) AS_MUST_USE;

/* Asks a running job to stop soon (signal-safe: one atomic store). */
void eng_job_cancel(eng_job *job);
int  eng_job_cancelled(const eng_job *job);

size_t          eng_job_n_inputs(const eng_job *job);
const eng_stat *eng_job_stat(const eng_job *job, size_t input);
unsigned        eng_job_workers(const eng_job *job);
/* Peak bytes held in block buffers (the bound: pool blocks x block size). */
uint64_t        eng_job_pool_bytes(const eng_job *job);

#endif
