/* eng_int.h: engine internals shared by eng_job.c (threads, pool, merge) and
 * eng_read.c (one input's streaming reader). Not for use outside engine/. */
#ifndef ASSAY_ENG_INT_H
#define ASSAY_ENG_INT_H

#include <pthread.h>  /* mutexes and condition variables of the pool and queue */

#include "engine/eng.h"

/* A block: decompressed bytes cut at a record boundary, plus what the worker
 * found in it. Owned by the pool; lent to a reader, then a worker, then the
 * merge, then returned. */
typedef struct eng_block eng_block;
struct eng_block {
    char     *data;          /* owned buffer of cap bytes */
    size_t    len;           /* bytes of records (ends at a boundary, or at end of stream) */
    size_t    cap;
    uint32_t  input;         /* input index */
    uint64_t  seq;           /* block number within the input */
    uint64_t  offset;        /* stream offset of data[0] */
    int       has_lead;      /* an over-long record ended at this block's start */
    uint64_t  lead_offset;   /* its stream offset */
    uint64_t  lead_len;      /* its length without the terminator */
    uint64_t  lead_lines;    /* physical lines it spanned (1, more when QUOTED) */
    uint64_t  doc_lf;        /* DOCUMENT: line feeds in the whole stream (also past --max-document) */
    int       doc_last_lf;   /* DOCUMENT: the stream's last byte was a line feed (or it is empty) */
    int       is_last;       /* last block of its input */
    int       last_partial;  /* the stream faulted: an unterminated final line is partial */
    eng_framing framing;     /* how records are cut (the input's, from input_head) */
    char     *doc;           /* ENG_FRAME_DOCUMENT: the whole document (owned, as_malloc'd), or NULL */
    size_t    doc_len;       /* its length */
    int       doc_too_long;  /* the document exceeded --max-document: one rejected record */
    as_arena  arena;         /* block-lifetime temporaries (sink results may point here) */

    /* filled by the worker */
    uint64_t  lines, blank, headers, records, accepted;
    uint64_t  rejected_by[AS_ERR__COUNT];
    eng_reject samples[ENG_REJECT_SAMPLES]; /* block-relative lines */
    unsigned  n_samples;
    void     *result;        /* the sink's block result */
    eng_block *next;         /* pool free list / pending-merge list */
};

/* A helper thread that hashes a compressed input's chunks while the reader
 * decompresses them (eng_read.c): SHA-256 is sequential, but it need not be
 * on the thread that inflates. One chunk in flight; the reader waits for it
 * before reading the next chunk into the same buffer. */
typedef struct eng_hasher {
    pthread_t       thread;
    pthread_mutex_t mu;
    pthread_cond_t  cv;
    as_sha256      *sha;     /* the reader's context; touched only by the hasher while busy */
    const void     *p;       /* the chunk in flight */
    size_t          n;
    int             busy;    /* a chunk is being hashed */
    int             quit;
    int             failed;  /* as_sha256_update failed */
} eng_hasher;

/* One input's streaming reader (eng_read.c). */
typedef struct eng_reader {
    int         fd;           /* -1 when closed */
    int         is_stdin;
    eng_comp    comp;
    eng_codec  *codec;        /* NULL for plain */
    uint8_t    *inbuf;        /* compressed read buffer (ENG_READ_CHUNK), owned */
    eng_inbuf   in;           /* the unread part of inbuf */
    uint64_t    in_base;      /* compressed offset of inbuf[0] */
    int         src_eof;      /* the file has no more bytes */
    int         dead;         /* a fault stopped decoding; the rest is hashed only */
    int         ended;        /* no more decompressed bytes */
    as_sha256   sha;
    int         sha_ok;
    eng_hasher *hasher;       /* compressed inputs of more than one chunk: hashing off-thread */
    uint64_t    stored;       /* bytes read */
    uint64_t    produced;     /* decompressed bytes handed out */
    uint8_t     sniff[8];     /* the first bytes, for magic detection */
    size_t      n_sniff;
    eng_stat   *st;           /* the input's stat (fault, comp, ...) */
    const char *name;         /* display name for error locations */
    _Atomic uint64_t *progress; /* job-wide stored-bytes counter */
    const _Atomic int *cancel;  /* job cancel flag */
} eng_reader;

/* Opens the input and sniffs its compression; on failure st->fault is set,
 * st->opened is 0, and the reader produces no bytes. Returns AS_OK or
 * AS_ERR_NOMEM (the only job-fatal error). */
as_code eng_reader_open(eng_reader *r, const eng_input *in, eng_gz_impl gz, eng_stat *st,
                        _Atomic uint64_t *progress, const _Atomic int *cancel);
/* Appends up to room decompressed bytes at dst; returns how many. 0 means the
 * stream has ended (cleanly or by a fault recorded in st). */
size_t eng_reader_fill(eng_reader *r, char *dst, size_t room);
/* Finishes hashing, checks that the file did not change, fills the byte
 * counters and sha256 of st, closes. */
void eng_reader_close(eng_reader *r);

#endif
