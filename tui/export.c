/*
 * export.c - the export model, built by folding the records of a session
 * (start, events with their status changes, sign-offs, resumes,
 * recoveries), the table of formats, and the atomic file writer; see
 * export.h.
 */
#include "config.h"

#include "export.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "journal.h"
#include "text.h"

/* Untrusted text as a JSON string, escaped by the one sanitizer first. */
static json_t *jclean(const char *s)
{
    if (!s)
        return json_null();
    size_t n = strlen(s) * 8 + 1;
    char *buf = xmalloc(n);
    text_sanitize(s, buf, n, false);
    json_t *j = json_string(buf);
    free(buf);
    return j ? j : json_string("?");
}

typedef struct build {
    json_t *m, *steps, *roles, *attest, *notes, *acts, *faults, *recovered;
    int resumed;
    const char *next;
    bool any_event, goal_met;
} build;

/* Where a record happened: its number, time and (when given) step. */
static json_t *at(const rec *r, const char *step)
{
    json_t *o = json_pack("{s:I, s:s}", "record", (json_int_t)r->seq, "utc", r->utc);
    json_object_set_new(o, "step", jclean(step));
    return o;
}

static json_t *steps_of(const rec *r)
{
    json_t *a = json_array();
    for (int i = 0; i < record_rows(r, "steps"); i++) {
        json_t *s = json_pack("{s:i, s:o, s:o, s:s, s:n, s:n, s:n}", "n", i + 1, "id",
                              jclean(record_cell(r, "steps", i, 0)), "title",
                              jclean(record_cell(r, "steps", i, 1)), "status", "pending",
                              "reason", "attested", "utc");
        json_array_append_new(a, s);
    }
    return a;
}

static json_t *roles_of(const rec *r)
{
    json_t *a = json_array();
    for (int i = 0; i < record_rows(r, "roles"); i++)
        json_array_append_new(a, json_pack("{s:o, s:o, s:o}", "role",
                                           jclean(record_cell(r, "roles", i, 0)), "title",
                                           jclean(record_cell(r, "roles", i, 1)), "node",
                                           jclean(record_cell(r, "roles", i, 2))));
    return a;
}

static json_t *find_by(json_t *a, const char *key, const char *value)
{
    json_t *clean = jclean(value);
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *o = json_array_get(a, i);
        if (json_equal(json_object_get(o, key), clean)) {
            json_decref(clean);
            return o;
        }
    }
    json_decref(clean);
    return NULL;
}

static void on_start(build *b, const rec *r)
{
    json_object_set_new(b->m, "article", json_pack("{s:o, s:o, s:s}", "id",
                        jclean(record_str(r, "article")), "title", jclean(record_str(r, "title")),
                        "kbdata_sha256", record_str(r, "kbdata_sha256")));
    json_object_set_new(b->m, "program", json_pack("{s:s, s:o}", "name", "kbwizard", "version",
                                                   jclean(record_str(r, "version"))));
    json_object_set_new(b->m, "host", jclean(record_str(r, "host")));
    json_object_set_new(b->m, "mode", jclean(record_str(r, "mode")));
    json_object_set_new(b->m, "method", json_pack("{s:o, s:o}", "id",
                        jclean(record_str(r, "method")), "title",
                        jclean(record_str(r, "method_title"))));
    json_object_set_new(b->m, "seed", json_integer(record_int(r, "seed")));
    json_object_set_new(b->m, "started", json_string(r->utc));
    json_decref(b->steps);
    b->steps = steps_of(r);
    b->roles = roles_of(r);
}

/* A step's status changed: keep the reason of a skip or an override. */
static void on_change(build *b, const rec *r, const char *id, const char *status)
{
    json_t *row = find_by(b->steps, "id", id);
    if (!row)
        return;
    bool reasoned = strcmp(status, "skipped") == 0 || strcmp(status, "overridden") == 0;
    json_object_set_new(row, "status", json_string(status));
    json_object_set_new(row, "reason", reasoned ? jclean(record_str(r, "arg")) : json_null());
    json_object_set_new(row, "utc", strcmp(status, "pending") ? json_string(r->utc) : json_null());
}

static void on_bind(build *b, const char *arg)
{
    char role[64] = "", node[KB_NAME_MAX] = "";
    if (sscanf(arg, "%63s %63s", role, node) != 2)
        return;
    json_t *row = find_by(b->roles, "role", role);
    if (row)
        json_object_set_new(row, "node", jclean(node));
}

static void on_method(build *b, const rec *r)
{
    json_object_set_new(b->m, "method", json_pack("{s:o, s:o}", "id", jclean(record_str(r, "arg")),
                                                  "title", jclean(record_str(r, "method_title"))));
    json_decref(b->steps);
    json_decref(b->roles);
    json_decref(b->steps);
    b->steps = steps_of(r);
    b->roles = roles_of(r);
}

static void add_item(json_t *list, const rec *r, const char *key, const char *text,
                     bool with_result)
{
    json_t *o = at(r, record_str(r, "step"));
    json_object_set_new(o, key, jclean(text));
    if (with_result)
        json_object_set_new(o, "result", jclean(record_str(r, "result")));
    json_array_append_new(list, o);
}

static void on_event(build *b, const rec *r)
{
    const char *ev = record_str(r, "event"), *arg = record_str(r, "arg");
    bool ok = strcmp(record_str(r, "result"), "ok") == 0;
    for (int i = 0; i < record_rows(r, "changes"); i++)
        on_change(b, r, record_cell(r, "changes", i, 0), record_cell(r, "changes", i, 1));
    for (int i = 0; i < record_rows(r, "mistakes"); i++)
        add_item(b->faults, r, "text", record_cell(r, "mistakes", i, 0), false);
    if (strcmp(ev, "attest") == 0) {
        add_item(b->attest, r, "typed", arg, true);
        json_t *row = ok ? find_by(b->steps, "id", record_str(r, "step")) : NULL;
        if (row)
            json_object_set_new(row, "attested", jclean(arg));
    } else if (strcmp(ev, "note") == 0) {
        add_item(b->notes, r, "text", arg, false);
    } else if (strcmp(ev, "act") == 0) {
        add_item(b->acts, r, "action", arg, true);
    } else if (ok && strcmp(ev, "operator") == 0) {
        json_object_set_new(b->m, "operator", jclean(arg));
    } else if (ok && strcmp(ev, "bind") == 0) {
        on_bind(b, arg);
    } else if (ok && strcmp(ev, "method") == 0) {
        on_method(b, r);
    }
    b->any_event = true;
    b->next = record_str(r, "next");
    b->goal_met = record_bool(r, "goal_met");
}

static void on_record(build *b, const rec *r)
{
    switch (r->type) {
    case REC_START: on_start(b, r); break;
    case REC_EVENT: on_event(b, r); break;
    case REC_SIGNOFF:
    case REC_COUNTERSIGN: {
        json_t *o = json_pack("{s:o, s:s, s:I}", "name", jclean(record_str(r, "name")), "utc",
                              r->utc, "record", (json_int_t)r->seq);
        json_object_set_new(b->m, rec_type_name(r->type), o);
        break;
    }
    case REC_RESUME: b->resumed++; break;
    case REC_RECOVERED:
        json_array_append_new(b->recovered, json_pack("{s:I, s:s, s:I}", "record",
                              (json_int_t)r->seq, "utc", r->utc, "torn_bytes",
                              (json_int_t)record_int(r, "torn_bytes")));
        break;
    default: break;
    }
}

/* Export words for the engine's statuses. */
static void finish_steps(json_t *steps)
{
    static const char *const map[][2] = {{"pending", "deferred"}, {"n/a", "not applicable"}};
    for (size_t i = 0; i < json_array_size(steps); i++) {
        json_t *row = json_array_get(steps, i);
        for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
            if (strcmp(export_str(row, "status"), map[k][0]) == 0)
                json_object_set_new(row, "status", json_string(map[k][1]));
    }
}

static void head(json_t *m, const rec_log *log)
{
    char line[100];
    record_head_text(&log->head, line, sizeof line);
    json_object_set_new(m, "head", json_pack("{s:I, s:s, s:s}", "count",
                        (json_int_t)log->head.count, "hash", log->head.hash, "line", line));
}

static json_t *records_of(const rec_log *log)
{
    json_t *a = json_array();
    for (long i = 0; i < log->n; i++)
        json_array_append(a, (json_t *)log->v[i].whole);
    return a;
}

json_t *export_model(const rec_log *log, const char *session_id, bool with_records)
{
    build b = {json_object(), json_array(), json_array(), json_array(), json_array(),
               json_array(), json_array(), json_array(), 0, NULL, false, false};
    json_object_set_new(b.m, "format", json_string(EXPORT_FORMAT_ID));
    json_object_set_new(b.m, "session", jclean(session_id));
    json_object_set_new(b.m, "operator", json_null());
    json_object_set_new(b.m, "signoff", json_null());
    json_object_set_new(b.m, "countersign", json_null());
    for (long i = 0; i < log->n; i++)
        on_record(&b, &log->v[i]);
    finish_steps(b.steps);
    bool finished = b.any_event && !b.next;
    json_object_set_new(b.m, "ended", json_string(log->n ? log->v[log->n - 1].utc : ""));
    json_object_set_new(b.m, "result", json_string(!finished ? "not finished" : b.goal_met
                                                   ? "goal reached" : "goal NOT reached"));
    json_object_set_new(b.m, "steps", b.steps);
    json_object_set_new(b.m, "roles", b.roles);
    json_object_set_new(b.m, "attestations", b.attest);
    json_object_set_new(b.m, "notes", b.notes);
    json_object_set_new(b.m, "lab_actions", b.acts);
    json_object_set_new(b.m, "faults", b.faults);
    json_object_set_new(b.m, "journal", json_pack("{s:I, s:i, s:o}", "records",
                        (json_int_t)log->n, "resumed", b.resumed, "recovered", b.recovered));
    head(b.m, log);
    if (with_records)
        json_object_set_new(b.m, "records", records_of(log));
    return b.m;
}

char *export_json_text(const json_t *model)
{
    /* jansson leaves DEL raw even with JSON_ENSURE_ASCII: escape it too. */
    char *s = json_dumps(model, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += *p == 0x7F ? 6 : 1;
    char *out = xmalloc(n + 2), *o = out;
    for (const char *p = s; *p; p++) {
        if (*p == 0x7F) {
            memcpy(o, "\\u007F", 6);
            o += 6;
        } else {
            *o++ = *p;
        }
    }
    memcpy(o, "\n", 2);
    free(s);
    return out;
}

const char *export_str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

void export_head_line(const json_t *model, char *out, size_t outsz)
{
    snprintf(out, outsz, "Chain head: %s", export_str(json_object_get(model, "head"), "line"));
}

const export_section export_sections[] = {
    {"roles", "Role bindings", 3, {"role", "title", "node"}, {"Role", "Title", "Node"}},
    {"steps", "Steps", 6, {"n", "title", "status", "reason", "attested", "utc"},
     {"#", "Step", "Status", "Reason", "Attested", "Time (UTC)"}},
    {"attestations", "Gate attestations", 5, {"record", "utc", "step", "typed", "result"},
     {"Record", "Time (UTC)", "Step", "Typed", "Result"}},
    {"notes", "Notes", 4, {"record", "utc", "step", "text"},
     {"Record", "Time (UTC)", "Step", "Note"}},
    {"lab_actions", "Lab actions", 5, {"record", "utc", "step", "action", "result"},
     {"Record", "Time (UTC)", "Step", "Action", "Result"}},
    {"faults", "Faults and mistakes", 4, {"record", "utc", "step", "text"},
     {"Record", "Time (UTC)", "Step", "What happened"}},
};
const int export_nsections = (int)(sizeof export_sections / sizeof export_sections[0]);

const char *export_cell(const json_t *item, const char *key, char *buf, size_t bufsz)
{
    const json_t *v = json_object_get(item, key);
    if (!json_is_integer(v))
        return export_str(item, key);
    snprintf(buf, bufsz, "%lld", (long long)json_integer_value(v));
    return buf;
}

/* ---- reading a journal or an export ------------------------------------------------ */

/* The records of an export, one canonical line each, as a journal would hold them. */
static char *records_text(const json_t *records, size_t *len)
{
    size_t n = 0;
    char *buf = xmalloc(1);
    for (size_t i = 0; i < json_array_size(records); i++) {
        char *line = json_dumps(json_array_get(records, i), JSON_SORT_KEYS | JSON_COMPACT |
                                JSON_ENCODE_ANY);
        size_t k = line ? strlen(line) : 0;
        buf = xrealloc(buf, n + k + 2);
        memcpy(buf + n, line ? line : "", k);
        buf[n + k] = '\n';
        n += k + 1;
        free(line);
    }
    *len = n;
    return buf;
}

static long first_diff_line(const char *a, const char *b)
{
    long line = 1;
    for (; *a && *a == *b; a++, b++)
        line += *a == '\n';
    return line;
}

static void load_export(json_t *doc, const char *bytes, rec_log *log, export_source *src)
{
    size_t len;
    char *text = records_text(json_object_get(doc, "records"), &len);
    record_load(text, len, log);
    free(text);
    src->is_export = true;
    snprintf(src->session, sizeof src->session, "%s", export_str(doc, "session"));
    if (log->state != RV_INTACT)
        return;
    json_t *m = export_model(log, src->session, true);
    char *again = export_json_text(m);
    json_decref(m);
    src->rest_ok = strcmp(again, bytes) == 0;
    src->diff_line = src->rest_ok ? 0 : first_diff_line(again, bytes);
    free(again);
}

int export_load(const char *path, rec_log *log, export_source *src, char *err, size_t errsz)
{
    *src = (export_source){0};
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (64L << 20)) {
        snprintf(err, errsz, "cannot read %s: %s", path, fd < 0 ? strerror(errno)
                 : "not a regular file of at most 64 MiB");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    char *buf = xmalloc((size_t)st.st_size + 1);
    ssize_t n = read(fd, buf, (size_t)st.st_size);
    close(fd);
    if (n != st.st_size) {
        free(buf);
        return snprintf(err, errsz, "cannot read %s", path), -1;
    }
    buf[n] = '\0';
    json_t *doc = json_loadb(buf, (size_t)n, JSON_REJECT_DUPLICATES, NULL);
    if (doc && strcmp(export_str(doc, "format"), EXPORT_FORMAT_ID) == 0 && strlen(buf) == (size_t)n)
        load_export(doc, buf, log, src);
    else
        record_load(buf, (size_t)n, log);
    journal_id_of(path, src->session, sizeof src->session);
    if (src->is_export)
        snprintf(src->session, sizeof src->session, "%s", export_str(doc, "session"));
    json_decref(doc);
    free(buf);
    return 0;
}

/* ---- formats and files ------------------------------------------------------------- */

static const export_format *const formats[] = {&export_md, &export_html, &export_json,
                                               &export_csv};

const export_format *export_find(const char *name)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(formats[i]->name, name) == 0)
            return formats[i];
    return NULL;
}


/* Writes the export into a new temporary file next to path; 0 or -1. */
static int write_temp(const export_format *fmt, const json_t *model, const char *path,
                      char *tmp, size_t tmpsz)
{
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    snprintf(tmp, tmpsz, "%.*s.%s.XXXXXX", dirlen, path, slash ? slash + 1 : path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return -1;
    }
    int rc = fmt->write(f, model);
    if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)
        rc = -1;
    int e = errno;
    if (fclose(f) != 0)
        rc = -1;
    errno = rc ? (e ? e : EIO) : 0;
    return rc;
}

int export_write_file(const export_format *fmt, const json_t *model, const char *path,
                      bool force, char *err, size_t errsz)
{
    char tmp[PATH_MAX + 32];
    if (write_temp(fmt, model, path, tmp, sizeof tmp) != 0) {
        snprintf(err, errsz, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    int rc = force ? rename(tmp, path) : link(tmp, path);
    int e = errno;
    if (!force || rc != 0)
        unlink(tmp);
    if (rc != 0 && e == EEXIST)
        return snprintf(err, errsz, "%s exists (use --force to replace it)", path), -1;
    if (rc != 0)
        return snprintf(err, errsz, "cannot write %s: %s", path, strerror(e)), -1;
    if (sync_dir_of(path) != 0)
        return snprintf(err, errsz, "cannot sync the directory of %s: %s", path,
                        strerror(errno)), -1;
    return 0;
}

/* A signer as one line of text ("not yet" when absent). */
static void signer_text(const json_t *s, char *out, size_t outsz)
{
    if (!json_is_object(s)) {
        snprintf(out, outsz, "not yet");
        return;
    }
    snprintf(out, outsz, "%s, %s (record %lld)", export_str(s, "name"), export_str(s, "utc"),
             (long long)json_integer_value(json_object_get(s, "record")));
}

void export_header(FILE *f, const json_t *m, export_pair_fn pair)
{
    const json_t *a = json_object_get(m, "article");
    char prog[200], signoff[400], counter[400];
    snprintf(prog, sizeof prog, "kbwizard %s", export_str(json_object_get(m, "program"), "version"));
    signer_text(json_object_get(m, "signoff"), signoff, sizeof signoff);
    signer_text(json_object_get(m, "countersign"), counter, sizeof counter);
    const char *const rows[][2] = {
        {"Article", export_str(a, "title")},
        {"kbdata SHA-256", export_str(a, "kbdata_sha256")},
        {"Session", export_str(m, "session")},
        {"Program", prog},
        {"Host", export_str(m, "host")},
        {"Mode", export_str(m, "mode")},
        {"Method", export_str(json_object_get(m, "method"), "title")},
        {"Operator", export_str(m, "operator")},
        {"Signed off", signoff},
        {"Countersigned", counter},
        {"Started", export_str(m, "started")},
        {"Ended", export_str(m, "ended")},
        {"Result", export_str(m, "result")},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        pair(f, rows[i][0], rows[i][1]);
}
