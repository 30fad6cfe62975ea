/*
 * record.h - the record of a session: canonical JSON records linked in a
 * SHA-256 hash chain (DESIGN.md section 6, RELIABILITY.md "The journal" and
 * "Tamper evidence"). Pure: no file I/O, no clock; the caller (tui/journal.c)
 * owns files, time and durability.
 *
 * A record is one line: the canonical JSON (sorted keys, compact) of
 *   {"body":{...},"hash":H,"mono":M,"prev":P,"seq":N,"utc":"YYYY-MM-DDTHH:MM:SSZ"}
 * and a newline. H is the SHA-256 (64 lowercase hex digits) of the canonical
 * JSON of the same object without "hash"; P is the previous record's H (64
 * zeros for the first). N counts from 1. The body's "type" says what it is:
 *
 *   start        article, title, kbdata_sha256, version, host, mode, method,
 *                method_title, seed, steps [[id,title]...], roles
 *                [[role,title,node]...]
 *   event        event, arg, step (id or null), result, changes
 *                [[step,status]...], mistakes [text...], next (the current
 *                step after it, null when finished), goal_met; a method event also
 *                carries method_title, steps and roles of the new method
 *   signoff      name          countersign   name
 *   resume       host          recovered     torn_bytes, torn_sha256
 *   close        finished, goal_met
 *
 * The parser is strict: the line must be exactly the canonical dump of what
 * it parses to, the field set of every type is exact, hex is lowercase.
 */
#ifndef KB_RECORD_H
#define KB_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "session.h"

#define REC_HEX 65              /* 64 hex digits and the NUL */
#define REC_UTC 21              /* YYYY-MM-DDTHH:MM:SSZ and the NUL */
#define REC_LINE_MAX (1 << 20)  /* a longer line is not a record */

typedef enum {
    REC_START, REC_EVENT, REC_SIGNOFF, REC_COUNTERSIGN, REC_RESUME, REC_RECOVERED,
    REC_CLOSE, REC_NTYPES
} rec_type;

const char *rec_type_name(rec_type t);

/* The head of a chain: how many records, and the last one's hash. */
typedef struct rec_head {
    long long count;
    char hash[REC_HEX];         /* 64 zeros when count is 0 */
} rec_head;

void record_head_init(rec_head *h);
/* "N:HASH", the line an operator pastes into a change ticket. */
void record_head_text(const rec_head *h, char *out, size_t outsz);
/* Parses "N:HASH" strictly (decimal N, 64 lowercase hex digits). */
bool record_head_parse(const char *text, rec_head *h);

/* ---- bodies (canonical JSON text, malloc'd) -------------------------- */

/* The start of a session that has no events yet; sha256 is kb->sha256. */
char *record_body_start(const session *s, const char *host, const char *version);
/* The session's last event; before is s->status as it was before it. */
char *record_body_event(const session *s, const unsigned char *before);
/* REC_SIGNOFF or REC_COUNTERSIGN by name. */
char *record_body_sign(rec_type t, const char *name);
char *record_body_resume(const char *host);
char *record_body_recovered(long long torn_bytes, const char *torn_sha256);
char *record_body_close(const session *s);

/*
 * Frames a body after head h at the given time: returns the record line
 * with its newline (malloc'd, NULL if the body is not canonical JSON of a
 * known type) and sets *next to the head that includes it. h is unchanged,
 * so a caller whose write fails keeps the old head.
 */
char *record_frame(const rec_head *h, const char *utc, long long mono, const char *body,
                   rec_head *next);

/* ---- parsing ---------------------------------------------------------- */

typedef struct rec {
    long long seq, mono;
    char utc[REC_UTC];
    char prev[REC_HEX], hash[REC_HEX];
    rec_type type;
    void *body;                 /* the parsed body; read it with record_str etc. */
    void *whole;                /* the whole parsed record (for exports) */
} rec;

/*
 * Parses one record (len bytes, without the newline) and checks it on its
 * own: strict canonical form, field set, and its hash. Returns 0, or -1
 * with the reason in why.
 */
int record_parse(const char *line, size_t len, rec *r, char *why, size_t whysz);
void record_free(rec *r);

/* Body fields: a string (NULL when absent or null), an integer, a boolean. */
const char *record_str(const rec *r, const char *key);
long long record_int(const rec *r, const char *key);
bool record_bool(const rec *r, const char *key);
/* Arrays of rows ([[a,b]...]) or of strings: rows, and one cell (col 0 for strings). */
int record_rows(const rec *r, const char *key);
const char *record_cell(const rec *r, const char *key, int row, int col);
/* The canonical line of a parsed record (malloc'd, with newline). */
char *record_line(const rec *r);

/* ---- a sequence of records -------------------------------------------- */

typedef enum {
    RV_INTACT,                  /* every line is a record and the chain holds */
    RV_TORN,                    /* a valid prefix, then bytes holding no valid record */
    RV_CORRUPT                  /* a bad record followed by a valid one: tampering or corruption */
} rv_state;

const char *rv_state_name(rv_state s);

typedef struct rec_log {
    long n;                     /* records in the valid prefix */
    rec *v;
    rv_state state;
    size_t good_bytes;          /* bytes of the valid prefix */
    long bad;                   /* 1-based index of the first bad record, 0 if none */
    long next_valid;            /* RV_CORRUPT: index of the first valid record after it */
    char why[200];              /* what is wrong with record `bad` */
    rec_head head;              /* of the valid prefix */
} rec_log;

/*
 * Reads the records of buf (a journal, or export records one per line):
 * keeps the longest valid prefix in log and classifies what follows.
 * Returns 0 when intact, 1 otherwise. A record needs its newline; a last
 * line without one is torn.
 */
int record_load(const char *buf, size_t len, rec_log *log);
void record_log_free(rec_log *log);

/* ---- replay -------------------------------------------------------------- */

/*
 * Rebuilds a session from the records: checks that kb is the article and
 * the exact kbdata of the start record, creates the session, and applies
 * every event again, checking each result and status change against the
 * record. *last_step is the step index of the last event record (-1 when
 * none). Returns NULL with the reason in why.
 */
session *record_session(const rec_log *log, const kb_article *kb, int *last_step, char *why,
                        size_t whysz);

/* The article id of a log's start record (NULL when there is none). */
const char *record_article(const rec_log *log);

/* Lowercase hex of 32 bytes into out[REC_HEX]; the SHA-256 of data as such hex. */
void record_hex(const unsigned char *bytes, char *out);
void record_sha256(const char *data, size_t len, char *out);

#endif
