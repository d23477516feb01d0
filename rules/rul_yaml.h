/* rul_yaml.h: rule files as a tree of YAML nodes with their positions.
 *
 * libyaml's event parser builds a small tree (scalars, sequences, mappings)
 * in one arena per file; every node keeps the 1-based line and column of its
 * first character so that schema and expression errors point at the exact
 * place in the rule file. Anchors and aliases, tags other than the core
 * ones and duplicate mapping keys are errors: rule files are evidence and
 * must read the same to a person as to the machine.
 * Thread-safety: a loaded document is read-only.
 */
#ifndef ASSAY_RUL_YAML_H
#define ASSAY_RUL_YAML_H

#include "core/as.h"

typedef enum ry_kind { RY_SCALAR = 0, RY_SEQ, RY_MAP } ry_kind;

typedef enum ry_style {
    RY_PLAIN = 0,   /* unquoted */
    RY_SINGLE,      /* 'text' */
    RY_DOUBLE,      /* "text" */
    RY_LITERAL,     /* | block */
    RY_FOLDED,      /* > block */
} ry_style;

typedef struct ry_node ry_node;
struct ry_node {
    ry_kind   kind;
    ry_style  style;     /* scalars */
    uint32_t  line, col; /* 1-based position of the node's first character */
    uint32_t  indent;    /* block scalars: column (1-based) of their content lines */
    as_slice  s;         /* scalars: the value (NUL-terminated, in the document's arena) */
    ry_node **kids;      /* sequences: items; mappings: key, value, key, value, ... */
    size_t    n;         /* sequences: items; mappings: pairs */
};

typedef struct ry_doc {
    as_arena  ar;
    ry_node **roots;     /* one per YAML document in the stream ("---") */
    size_t    n;
    const char *src;     /* the file name, borrowed */
} ry_doc;

/* Parses text (a whole file). On error returns NULL and fills err with the
 * file:line:col of the problem. */
ry_doc *ry_load(as_slice text, const char *src, as_err *err) AS_MUST_USE;
void    ry_free(ry_doc *d);

/* A mapping's value for key, or NULL. */
const ry_node *ry_get(const ry_node *map, const char *key);
/* Scalar helpers: 1 when the node is a scalar equal to s. */
int ry_is(const ry_node *n, const char *s);
/* A plain scalar that YAML 1.2 core reads as null (~, null, empty). */
int ry_is_null(const ry_node *n);
const char *ry_kind_name(ry_kind k);

#endif
