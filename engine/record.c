/*
 * record.c - canonical records, the hash chain, strict parsing, sequences
 * with their classification (intact, torn tail, corrupt) and replay into a
 * session; see record.h.
 */
#include "config.h"

#include "record.h"

#include <jansson.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "text.h"

#define DUMP_FLAGS (JSON_SORT_KEYS | JSON_COMPACT)

static const char zero_hash[REC_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/*
 * The body schema, one row per type: "key:K" words, K one of S string,
 * H 64 lowercase hex, N string or null, I integer >= 0, B boolean, P rows of
 * 2 strings, T rows of 3 strings, L strings; a trailing ? makes it optional.
 */
static const struct {
    const char *name, *fields;
} schema[REC_NTYPES] = {
    [REC_START] = {"start", "article:S title:S kbdata_sha256:H version:S host:S mode:S "
                            "method:S method_title:S seed:I steps:P roles:T"},
    [REC_EVENT] = {"event", "event:S arg:S step:N result:S changes:P mistakes:L next:N goal_met:B "
                            "method_title:S? steps:P? roles:T?"},
    [REC_SIGNOFF] = {"signoff", "name:S"},
    [REC_COUNTERSIGN] = {"countersign", "name:S"},
    [REC_RESUME] = {"resume", "host:S"},
    [REC_RECOVERED] = {"recovered", "torn_bytes:I torn_sha256:H"},
    [REC_CLOSE] = {"close", "finished:B goal_met:B"},
};

const char *rec_type_name(rec_type t)
{
    return schema[t].name;
}

const char *rv_state_name(rv_state s)
{
    static const char *const n[] = {"intact", "torn", "corrupt"};
    return n[s];
}

void record_hex(const unsigned char *bytes, char *out)
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

void record_sha256(const char *data, size_t len, char *out)
{
    struct sha256_ctx c;
    unsigned char d[SHA256_DIGEST_SIZE];
    sha256_init(&c);
    sha256_update(&c, len, (const uint8_t *)data);
    sha256_digest(&c, sizeof d, d);
    record_hex(d, out);
}

static bool is_hex64(const char *s)
{
    if (!s || strlen(s) != 64)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

void record_head_init(rec_head *h)
{
    h->count = 0;
    memcpy(h->hash, zero_hash, REC_HEX);
}

void record_head_text(const rec_head *h, char *out, size_t outsz)
{
    snprintf(out, outsz, "%lld:%s", h->count, h->hash);
}

bool record_head_parse(const char *text, rec_head *h)
{
    const char *colon = strchr(text, ':');
    if (!colon || colon == text || colon - text > 18 || (text[0] == '0' && colon - text > 1))
        return false;
    long long n = 0;
    for (const char *p = text; p < colon; p++) {
        if (*p < '0' || *p > '9')
            return false;
        n = n * 10 + (*p - '0');
    }
    if (!is_hex64(colon + 1))
        return false;
    h->count = n;
    memcpy(h->hash, colon + 1, REC_HEX);
    return true;
}

/* ---- building bodies ------------------------------------------------------ */

/* A JSON string of untrusted text: as it is when valid UTF-8, else escaped. */
static json_t *jtext(const char *s)
{
    json_t *j = json_string(s ? s : "");
    if (j)
        return j;
    size_t n = strlen(s) * 4 + 1;
    char *clean = xmalloc(n);
    text_sanitize(s, clean, n, true);
    j = json_string(clean);
    free(clean);
    return j;
}

static json_t *row(int n, const char *a, const char *b, const char *c)
{
    json_t *r = json_array();
    const char *v[3] = {a, b, c};
    for (int i = 0; i < n; i++)
        json_array_append_new(r, jtext(v[i]));
    return r;
}

static char *dump_free(json_t *o)
{
    char *s = json_dumps(o, DUMP_FLAGS);
    json_decref(o);
    return s;
}

static json_t *body(rec_type t)
{
    return json_pack("{s:s}", "type", schema[t].name);
}

static json_t *steps_json(const kb_method *m)
{
    json_t *a = json_array();
    for (int i = 0; i < m->nsteps; i++)
        json_array_append_new(a, row(2, m->steps[i].id, m->steps[i].title, NULL));
    return a;
}

static json_t *roles_json(const session *s)
{
    json_t *a = json_array();
    for (int r = 0; r < s->kb->nroles; r++)
        if (s->w.bind[r] >= 0)
            json_array_append_new(a, row(3, s->kb->roles[r].id, s->kb->roles[r].title,
                                         s->w.nodes[s->w.bind[r]].display));
    return a;
}

char *record_body_start(const session *s, const char *host, const char *version)
{
    char sha[REC_HEX];
    record_hex(s->kb->sha256, sha);
    json_t *o = body(REC_START);
    json_object_set_new(o, "article", jtext(s->kb->id));
    json_object_set_new(o, "title", jtext(s->kb->title));
    json_object_set_new(o, "kbdata_sha256", json_string(sha));
    json_object_set_new(o, "version", jtext(version));
    json_object_set_new(o, "host", jtext(host));
    json_object_set_new(o, "mode", json_string(s->mode == MODE_LAB ? "lab" : "guided"));
    json_object_set_new(o, "method", jtext(s->m->id));
    json_object_set_new(o, "method_title", jtext(s->m->title));
    json_object_set_new(o, "seed", json_integer((json_int_t)(s->seed & INT64_MAX)));
    json_object_set_new(o, "steps", steps_json(s->m));
    json_object_set_new(o, "roles", roles_json(s));
    return dump_free(o);
}

static json_t *mistakes_json(const world *w)
{
    json_t *a = json_array();
    for (int i = 0; i < w->nlog; i++)
        if (w->log[i].kind == LOG_MISTAKE)
            json_array_append_new(a, jtext(w->log[i].text));
    return a;
}

char *record_body_event(const session *s, const unsigned char *before)
{
    const sess_event *e = &s->events[s->nevents - 1];
    json_t *o = body(REC_EVENT), *changes = json_array();
    const kb_method *m = s->m;
    json_object_set_new(o, "event", json_string(ev_name(e->kind)));
    json_object_set_new(o, "arg", jtext(e->arg));
    json_object_set_new(o, "step", e->step >= 0 && e->step < m->nsteps
                                       ? jtext(m->steps[e->step].id) : json_null());
    json_object_set_new(o, "result", json_string(sess_result_name(e->result)));
    for (int i = 0; i < m->nsteps; i++)
        if (s->status[i] != before[i])
            json_array_append_new(changes, row(2, m->steps[i].id,
                                               step_status_name((step_status)s->status[i]), NULL));
    json_object_set_new(o, "changes", changes);
    json_object_set_new(o, "mistakes", mistakes_json(&s->w));
    const kb_step *now = session_step(s);
    json_object_set_new(o, "next", now ? jtext(now->id) : json_null());
    json_object_set_new(o, "goal_met", json_boolean(s->goal_met));
    if (e->kind == EV_METHOD && e->result == SR_OK) {
        json_object_set_new(o, "method_title", jtext(m->title));
        json_object_set_new(o, "steps", steps_json(m));
        json_object_set_new(o, "roles", roles_json(s));
    }
    return dump_free(o);
}

char *record_body_sign(rec_type t, const char *name)
{
    json_t *o = body(t);
    json_object_set_new(o, "name", jtext(name));
    return dump_free(o);
}

char *record_body_resume(const char *host)
{
    json_t *o = body(REC_RESUME);
    json_object_set_new(o, "host", jtext(host));
    return dump_free(o);
}

char *record_body_recovered(long long torn_bytes, const char *torn_sha256)
{
    json_t *o = body(REC_RECOVERED);
    json_object_set_new(o, "torn_bytes", json_integer(torn_bytes));
    json_object_set_new(o, "torn_sha256", json_string(torn_sha256));
    return dump_free(o);
}

char *record_body_close(const session *s)
{
    json_t *o = body(REC_CLOSE);
    json_object_set_new(o, "finished", json_boolean(s->finished));
    json_object_set_new(o, "goal_met", json_boolean(s->goal_met));
    return dump_free(o);
}

/* ---- strict checks ----------------------------------------------------------- */

static bool cells_ok(const json_t *v, size_t width)
{
    if (!json_is_array(v))
        return false;
    for (size_t i = 0; i < json_array_size(v); i++) {
        const json_t *r = json_array_get(v, i);
        if (width == 0 && !json_is_string(r))
            return false;
        if (width > 0 && (!json_is_array(r) || json_array_size(r) != width || !cells_ok(r, 0)))
            return false;
    }
    return true;
}

static bool field_ok(const json_t *v, char kind)
{
    switch (kind) {
    case 'S': return json_is_string(v);
    case 'H': return json_is_string(v) && is_hex64(json_string_value(v));
    case 'N': return json_is_string(v) || json_is_null(v);
    case 'I': return json_is_integer(v) && json_integer_value(v) >= 0;
    case 'B': return json_is_boolean(v);
    case 'P': return cells_ok(v, 2);
    case 'T': return cells_ok(v, 3);
    case 'L': return cells_ok(v, 0);
    default: return false;
    }
}

/* Checks the body's field set against its type's row; returns the type or -1. */
static int body_check(const json_t *b, char *why, size_t whysz)
{
    const char *tn = json_string_value(json_object_get(b, "type"));
    int t = -1;
    for (int i = 0; tn && i < REC_NTYPES; i++)
        if (strcmp(schema[i].name, tn) == 0)
            t = i;
    if (t < 0)
        return snprintf(why, whysz, "unknown record type"), -1;
    size_t seen = 1;
    for (const char *p = schema[t].fields; *p;) {
        char key[40], kind = 0, opt = 0;
        int used = 0;
        if (sscanf(p, " %39[a-z0-9_]:%c%n", key, &kind, &used) != 2)
            break;
        p += used;
        opt = *p == '?' ? *p++ : 0;
        const json_t *v = json_object_get(b, key);
        if (!v && !opt)
            return snprintf(why, whysz, "%s record lacks \"%s\"", tn, key), -1;
        if (v && !field_ok(v, kind))
            return snprintf(why, whysz, "%s record: \"%s\" has the wrong form", tn, key), -1;
        seen += v != NULL;
    }
    if (seen != json_object_size(b))
        return snprintf(why, whysz, "%s record has a field it should not have", tn), -1;
    return t;
}

static bool utc_ok(const char *s)
{
    int y, mo, d, h, mi, se;
    char z[2], back[REC_UTC + 8];
    if (!s || strlen(s) != REC_UTC - 1 ||
        sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%1[Z]", &y, &mo, &d, &h, &mi, &se, z) != 7)
        return false;
    snprintf(back, sizeof back, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, se);
    return strcmp(back, s) == 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 &&
           mi < 60 && se < 61;
}

/* Checks the frame: exactly body, hash, mono, prev, seq, utc of the right forms. */
static bool frame_ok(const json_t *o, char *why, size_t whysz)
{
    static const struct { const char *key; char kind; } f[] = {
        {"hash", 'H'}, {"mono", 'I'}, {"prev", 'H'}, {"seq", 'I'}};
    if (!json_is_object(o) || json_object_size(o) != 6 ||
        !json_is_object(json_object_get(o, "body")))
        return snprintf(why, whysz, "not a record (wrong fields)"), false;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!field_ok(json_object_get(o, f[i].key), f[i].kind))
            return snprintf(why, whysz, "\"%s\" has the wrong form", f[i].key), false;
    if (!utc_ok(json_string_value(json_object_get(o, "utc"))))
        return snprintf(why, whysz, "\"utc\" has the wrong form"), false;
    return true;
}

/* The hash of a record object: over its canonical dump without "hash". */
static void object_hash(json_t *o, char *out)
{
    json_t *copy = json_copy(o);
    json_object_del(copy, "hash");
    char *s = json_dumps(copy, DUMP_FLAGS);
    record_sha256(s, strlen(s), out);
    free(s);
    json_decref(copy);
}

char *record_frame(const rec_head *h, const char *utc, long long mono, const char *body_text,
                   rec_head *next)
{
    char why[120], hash[REC_HEX];
    json_t *b = json_loads(body_text, JSON_REJECT_DUPLICATES, NULL);
    if (!b || body_check(b, why, sizeof why) < 0 || !utc_ok(utc) || mono < 0) {
        json_decref(b);
        return NULL;
    }
    json_t *o = json_pack("{s:o, s:I, s:s, s:I, s:s}", "body", b, "mono", (json_int_t)mono,
                          "prev", h->hash, "seq", (json_int_t)(h->count + 1), "utc", utc);
    object_hash(o, hash);
    json_object_set_new(o, "hash", json_string(hash));
    char *s = json_dumps(o, DUMP_FLAGS);
    json_decref(o);
    size_t n = strlen(s);
    s = xrealloc(s, n + 2);
    memcpy(s + n, "\n", 2);
    next->count = h->count + 1;
    memcpy(next->hash, hash, REC_HEX);
    return s;
}

/* ---- parsing ------------------------------------------------------------------ */

static int parse_fail(json_t *o, char *why, size_t whysz, const char *reason)
{
    if (reason)
        snprintf(why, whysz, "%s", reason);
    json_decref(o);
    return -1;
}

/* Parses a record object already loaded (taking its reference). */
static int parse_object(json_t *o, const char *line, size_t len, rec *r, char *why, size_t whysz)
{
    char hash[REC_HEX];
    if (!frame_ok(o, why, whysz))
        return parse_fail(o, why, whysz, NULL);
    json_t *b = json_object_get(o, "body");
    int t = body_check(b, why, whysz);
    if (t < 0)
        return parse_fail(o, why, whysz, NULL);
    if (line) {
        char *canon = json_dumps(o, DUMP_FLAGS);
        bool same = strlen(canon) == len && memcmp(canon, line, len) == 0;
        free(canon);
        if (!same)
            return parse_fail(o, why, whysz, "not in canonical form");
    }
    object_hash(o, hash);
    if (strcmp(hash, json_string_value(json_object_get(o, "hash"))) != 0)
        return parse_fail(o, why, whysz, "its hash does not match its contents");
    *r = (rec){0};
    r->seq = json_integer_value(json_object_get(o, "seq"));
    r->mono = json_integer_value(json_object_get(o, "mono"));
    text_copy(r->utc, sizeof r->utc, json_string_value(json_object_get(o, "utc")));
    text_copy(r->prev, sizeof r->prev, json_string_value(json_object_get(o, "prev")));
    memcpy(r->hash, hash, REC_HEX);
    r->type = (rec_type)t;
    r->body = b;
    r->whole = o;
    return 0;
}

int record_parse(const char *line, size_t len, rec *r, char *why, size_t whysz)
{
    json_error_t err;
    if (len > REC_LINE_MAX)
        return snprintf(why, whysz, "longer than a record can be"), -1;
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err);
    if (!o)
        return snprintf(why, whysz, "not valid JSON (column %d: %s)", err.column, err.text), -1;
    return parse_object(o, line, len, r, why, whysz);
}

void record_free(rec *r)
{
    if (r && r->whole)
        json_decref(r->whole);
    if (r)
        *r = (rec){0};
}

const char *record_str(const rec *r, const char *key)
{
    return json_string_value(json_object_get(r->body, key));
}

long long record_int(const rec *r, const char *key)
{
    return json_integer_value(json_object_get(r->body, key));
}

bool record_bool(const rec *r, const char *key)
{
    return json_is_true(json_object_get(r->body, key));
}

int record_rows(const rec *r, const char *key)
{
    return (int)json_array_size(json_object_get(r->body, key));
}

const char *record_cell(const rec *r, const char *key, int rowi, int col)
{
    const json_t *v = json_array_get(json_object_get(r->body, key), (size_t)rowi);
    return json_is_string(v) ? json_string_value(v) : json_string_value(json_array_get(v, (size_t)col));
}

char *record_line(const rec *r)
{
    char *s = json_dumps(r->whole, DUMP_FLAGS);
    size_t n = strlen(s);
    s = xrealloc(s, n + 2);
    memcpy(s + n, "\n", 2);
    return s;
}

/* ---- sequences ------------------------------------------------------------------ */

/* Checks that r continues the chain of log (position, link, one start). */
static bool links(const rec_log *log, const rec *r, char *why, size_t whysz)
{
    if (r->seq != log->n + 1)
        return snprintf(why, whysz, "sequence number %lld where %ld was due", r->seq,
                        log->n + 1), false;
    if (strcmp(r->prev, log->head.hash) != 0)
        return snprintf(why, whysz, "it does not link to the record before it"), false;
    if ((r->type == REC_START) != (log->n == 0))
        return snprintf(why, whysz, "%s", log->n ? "a second start record"
                                                 : "the first record is not a start"), false;
    return true;
}

static void push(rec_log *log, const rec *r)
{
    log->v = xrealloc(log->v, sizeof *log->v * (size_t)(log->n + 1));
    log->v[log->n++] = *r;
    log->head.count = r->seq;
    memcpy(log->head.hash, r->hash, REC_HEX);
}

/* After a bad record at offset off: is any later line a valid record? */
static long later_valid(const char *buf, size_t len, size_t off, long index)
{
    char why[8];
    for (size_t p = off; p < len; index++) {
        const char *nl = memchr(buf + p, '\n', len - p);
        if (!nl)
            return 0;
        rec r;
        if (record_parse(buf + p, (size_t)(nl - buf) - p, &r, why, sizeof why) == 0) {
            record_free(&r);
            return index;
        }
        p = (size_t)(nl - buf) + 1;
    }
    return 0;
}

static int classify(const char *buf, size_t len, size_t off, rec_log *log)
{
    log->bad = log->n + 1;
    const char *nl = memchr(buf + off, '\n', len - off);
    log->next_valid = nl ? later_valid(buf, len, (size_t)(nl - buf) + 1, log->bad + 1) : 0;
    log->state = log->next_valid ? RV_CORRUPT : RV_TORN;
    return 1;
}

int record_load(const char *buf, size_t len, rec_log *log)
{
    *log = (rec_log){0};
    record_head_init(&log->head);
    for (size_t p = 0; p < len;) {
        const char *nl = memchr(buf + p, '\n', len - p);
        rec r;
        if (!nl) {
            snprintf(log->why, sizeof log->why, "incomplete (no end of line)");
            return classify(buf, len, p, log);
        }
        if (record_parse(buf + p, (size_t)(nl - buf) - p, &r, log->why, sizeof log->why) != 0)
            return classify(buf, len, p, log);
        if (!links(log, &r, log->why, sizeof log->why)) {
            record_free(&r);
            return classify(buf, len, p, log);
        }
        push(log, &r);
        p = (size_t)(nl - buf) + 1;
        log->good_bytes = p;
    }
    log->state = RV_INTACT;
    return 0;
}

void record_log_free(rec_log *log)
{
    for (long i = 0; i < log->n; i++)
        record_free(&log->v[i]);
    free(log->v);
    *log = (rec_log){0};
}

/* ---- replay ------------------------------------------------------------------- */

const char *record_article(const rec_log *log)
{
    return log->n > 0 ? record_str(&log->v[0], "article") : NULL;
}

static session *start_session(const rec *st, const kb_article *kb, char *why, size_t whysz)
{
    char sha[REC_HEX];
    record_hex(kb->sha256, sha);
    if (strcmp(record_str(st, "article"), kb->id) != 0)
        return snprintf(why, whysz, "the record is of article %s, not %s",
                        record_str(st, "article"), kb->id), NULL;
    if (strcmp(record_str(st, "kbdata_sha256"), sha) != 0)
        return snprintf(why, whysz, "the procedure file of article %s changed since the session "
                        "started (kbdata SHA-256 %.12s..., now %.12s...)", kb->id,
                        record_str(st, "kbdata_sha256"), sha), NULL;
    int m = kb_find_method(kb, record_str(st, "method"));
    const char *mode = record_str(st, "mode");
    if (m < 0 || (strcmp(mode, "lab") != 0 && strcmp(mode, "guided") != 0))
        return snprintf(why, whysz, "the start record names an unknown method or mode"), NULL;
    return session_new(kb, strcmp(mode, "lab") == 0 ? MODE_LAB : MODE_GUIDED, m,
                       (uint64_t)record_int(st, "seed"));
}

/* Applies one event record and checks the outcome against it. */
static bool replay_one(session *s, const rec *r, char *why, size_t whysz)
{
    char msg[1024];
    unsigned char before[KB_MAX_STEPS];
    int k = ev_parse(record_str(r, "event"));
    if (k < 0)
        return snprintf(why, whysz, "record %lld: unknown event", r->seq), false;
    memcpy(before, s->status, sizeof before);
    session_apply(s, (ev_kind)k, record_str(r, "arg"), msg, sizeof msg);
    char *again = record_body_event(s, before);
    char *canon = json_dumps(r->body, DUMP_FLAGS);
    bool same = strcmp(again, canon) == 0;
    free(again);
    free(canon);
    if (!same)
        snprintf(why, whysz, "record %lld (%s) does not replay to what was recorded", r->seq,
                 record_str(r, "event"));
    return same;
}

session *record_session(const rec_log *log, const kb_article *kb, int *last_step, char *why,
                        size_t whysz)
{
    if (log->n == 0 || log->v[0].type != REC_START)
        return snprintf(why, whysz, "the record has no start"), NULL;
    session *s = start_session(&log->v[0], kb, why, whysz);
    *last_step = -1;
    for (long i = 1; s && i < log->n; i++) {
        if (log->v[i].type != REC_EVENT)
            continue;
        if (!replay_one(s, &log->v[i], why, whysz)) {
            session_free(s);
            return NULL;
        }
        const char *step = record_str(&log->v[i], "step");
        *last_step = step ? kb_find_step(s->m, step) : *last_step;
    }
    return s;
}
