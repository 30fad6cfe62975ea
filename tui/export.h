/*
 * export.h - the sign-off export of a session record: a model built from
 * the records alone (no kbdata needed), rendered by one writer per format
 * (export_md.c, export_html.c, export_json.c, export_csv.c), written
 * atomically. Every string in the model has been through text_sanitize;
 * each writer escapes it again for its format.
 */
#ifndef KB_EXPORT_H
#define KB_EXPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "record.h"

#define EXPORT_FORMAT_ID "kbwizard-export/1"

/*
 * The model of a record (the JSON export without its records when
 * with_records is false). Fields: format, session, article {id, title,
 * kbdata_sha256}, program {name, version}, host, mode, method {id, title},
 * seed, roles [{role, title, node}], operator, signoff and countersign
 * ({name, utc, record} or null), started, ended, result, steps [{n, id,
 * title, status, reason, attested, utc}], attestations, notes, lab_actions,
 * faults, journal {records, resumed, recovered [...]}, head {count, hash,
 * line}, records [...].
 */
json_t *export_model(const rec_log *log, const char *session_id, bool with_records);

/* The JSON export's exact bytes (malloc'd): verify-signoff compares them. */
char *export_json_text(const json_t *model);

/* Where a record came from (export_load). */
typedef struct export_source {
    bool is_export;             /* a JSON export, not a journal */
    bool rest_ok;               /* export: its bytes are exactly those its records make */
    long diff_line;             /* export: the first line that differs (when !rest_ok) */
    char session[256];
} export_source;

/*
 * Reads a journal or a JSON export: log gets the valid prefix of its
 * records (and says what follows); for an export whose records are intact,
 * src->rest_ok says whether the rest of the file is what they make.
 * 0, or -1 with err when the file cannot be read or is neither.
 */
int export_load(const char *path, rec_log *log, export_source *src, char *err, size_t errsz);

typedef struct export_format {
    const char *name;
    int (*write)(FILE *f, const json_t *model);   /* 0, or -1 on a write error */
} export_format;

extern const export_format export_md, export_html, export_json, export_csv;
const export_format *export_find(const char *name);

/*
 * Writes the export to path: a temporary file in the same directory,
 * fsync, then link (refusing an existing file) or, with force, rename;
 * then fsync of the directory. 0, or -1 with the reason in err.
 */
int export_write_file(const export_format *fmt, const json_t *model, const char *path,
                      bool force, char *err, size_t errsz);

/* The tables of an export, in order, for the writers that draw tables. */
typedef struct export_section {
    const char *key, *title;
    int n;
    const char *keys[6], *labels[6];
} export_section;
extern const export_section export_sections[];
extern const int export_nsections;

/* The header fields of an export, in order, each through pair. */
typedef void (*export_pair_fn)(FILE *f, const char *label, const char *value);
void export_header(FILE *f, const json_t *m, export_pair_fn pair);

/* One cell: a string field, or an integer field as text, into buf. */
const char *export_cell(const json_t *item, const char *key, char *buf, size_t bufsz);

/* Helpers for the writers: a string field ("" when absent or null). */
const char *export_str(const json_t *o, const char *key);
/* The one-line chain head: "Chain head: N:HASH". */
void export_head_line(const json_t *model, char *out, size_t outsz);

#endif
