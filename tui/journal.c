/*
 * journal.c - the session journal on disk; see journal.h for the contract.
 * Durability order: one write() of a whole record, fdatasync(), and only
 * then success. A failed write or sync breaks the journal for good: after a
 * failed fsync the kernel may have dropped the dirty pages and cleared the
 * error, so a retry could report success for data that is gone.
 */
#include "config.h"

#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "text.h"

#define JOURNAL_MAX_BYTES (64L << 20)

struct journal {
    int fd;
    bool broken;
    rec_head head;
    off_t size;                 /* bytes of valid records on disk */
    long syncs;                 /* record syncs so far (for the test seam) */
    rec_log log;                /* as read at open */
    char path[PATH_MAX];
    char signer[KB_NAME_MAX];
};

/* ---- paths ---------------------------------------------------------------- */

static int mkdir_p(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(path, 0700);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return -1;
    }
    return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

int journal_dir(char *out, size_t outsz, bool create, char *err, size_t errsz)
{
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(out, outsz, "%s/kbwizard/sessions", xdg);
    else if (home && *home)
        snprintf(out, outsz, "%s/.local/state/kbwizard/sessions", home);
    else
        return snprintf(err, errsz, "neither XDG_STATE_HOME nor HOME is set"), -1;
    if (create && mkdir_p(out) != 0)
        return snprintf(err, errsz, "cannot create %s: %s", out, strerror(errno)), -1;
    return 0;
}

void journal_resolve(const char *id_or_path, char *out, size_t outsz)
{
    char dir[PATH_MAX], err[8];
    if (strchr(id_or_path, '/') || access(id_or_path, F_OK) == 0 ||
        journal_dir(dir, sizeof dir, false, err, sizeof err) != 0)
        snprintf(out, outsz, "%s", id_or_path);
    else
        snprintf(out, outsz, "%s/%s.journal", dir, id_or_path);
}

void journal_id_of(const char *path, char *out, size_t outsz)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 8 && strcmp(base + n - 8, ".journal") == 0)
        n -= 8;
    snprintf(out, outsz, "%.*s", (int)n, base);
}

int sync_dir_of(const char *path)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    else
        strcpy(dir, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* ---- clock and host (with the test seams) -------------------------------------- */

static void stamp(long long seq, char *utc, size_t utcsz, long long *mono)
{
    const char *fixed = getenv("KBWIZARD_TEST_CLOCK");
    struct timespec ts;
    time_t t;
    if (fixed && *fixed) {
        t = (time_t)(strtoll(fixed, NULL, 10) + seq - 1);
        *mono = (seq - 1) * 1000000;
    } else {
        clock_gettime(CLOCK_MONOTONIC, &ts);
        *mono = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
        t = time(NULL);
    }
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(utc, utcsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void host_name(char *out, size_t outsz)
{
    const char *fixed = getenv("KBWIZARD_TEST_HOST");
    if (fixed && *fixed)
        snprintf(out, outsz, "%s", fixed);
    else if (gethostname(out, outsz) != 0)
        snprintf(out, outsz, "unknown");
    out[outsz - 1] = '\0';
}

static int data_sync(journal *j)
{
    const char *fail = getenv("KBWIZARD_TEST_FAIL_SYNC");
    if (fail && ++j->syncs == strtol(fail, NULL, 10)) {
        errno = EIO;
        return -1;
    }
    return fdatasync(j->fd);
}

/* ---- the lock ---------------------------------------------------------------------- */

static void lock_path(const char *path, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s.lock", path);
}

/* Writes who holds the lock next to the journal (advisory text only). */
static void lock_info(const journal *j, const char *operator_name)
{
    char lp[PATH_MAX + 8], host[256], text[600];
    lock_path(j->path, lp, sizeof lp);
    host_name(host, sizeof host);
    int n = snprintf(text, sizeof text, "pid %ld on %s, operator %s\n", (long)getpid(), host,
                     operator_name && *operator_name ? operator_name : "(not yet named)");
    int fd = open(lp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        if (write(fd, text, (size_t)n) != n) {
            /* advisory only: a reader then says "another process" */
        }
        close(fd);
    }
}

bool journal_locked_by(const char *path, char *who, size_t whosz)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return false;
    bool held = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    close(fd);
    if (!held)
        return false;
    char lp[PATH_MAX + 8], buf[600] = "";
    lock_path(path, lp, sizeof lp);
    fd = open(lp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    buf[n > 0 ? n : 0] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    text_sanitize(buf[0] ? buf : "another process", who, whosz, false);
    return true;
}

static journal *lock_new(int fd, const char *path, char *err, size_t errsz)
{
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char who[400];
        if (!journal_locked_by(path, who, sizeof who))
            snprintf(who, sizeof who, "another process");
        snprintf(err, errsz, "%s is open in another wizard (%s)", path, who);
        close(fd);
        return NULL;
    }
    journal *j = xcalloc(1, sizeof *j);
    j->fd = fd;
    snprintf(j->path, sizeof j->path, "%s", path);
    record_head_init(&j->head);
    lock_info(j, NULL);
    return j;
}

/* ---- appending -------------------------------------------------------------------- */

static int broken(journal *j, char *msg, size_t msgsz, const char *what, int e)
{
    j->broken = true;
    snprintf(msg, msgsz, "step NOT recorded: %s %s: %s; the journal is closed, nothing "
             "after this was recorded", what, j->path, strerror(e));
    return -1;
}

/* Appends one record (body text, freed here): write, sync, then success. */
static int append(journal *j, char *body, char *msg, size_t msgsz)
{
    char utc[REC_UTC];
    long long mono;
    rec_head next;
    if (j->broken) {
        free(body);
        snprintf(msg, msgsz, "step NOT recorded: the journal %s failed earlier", j->path);
        return -1;
    }
    stamp(j->head.count + 1, utc, sizeof utc, &mono);
    char *line = body ? record_frame(&j->head, utc, mono, body, &next) : NULL;
    free(body);
    if (!line)
        return broken(j, msg, msgsz, "cannot build the record for", EINVAL);
    size_t n = strlen(line);
    ssize_t w = write(j->fd, line, n);
    int e = errno;
    free(line);
    if (w != (ssize_t)n) {
        /* Best effort: cut a partial record; recovery sets aside what remains. */
        if (w > 0 && ftruncate(j->fd, j->size) != 0)
            e = errno;
        return broken(j, msg, msgsz, "cannot write to", w < 0 ? e : ENOSPC);
    }
    if (data_sync(j) != 0)
        return broken(j, msg, msgsz, "cannot sync", errno);
    j->head = next;
    j->size += (off_t)n;
    return 0;
}

static void sanitize_arg(const char *arg, char *out, size_t outsz)
{
    text_sanitize(arg ? arg : "", out, outsz, false);
}

int journal_apply(journal *j, session *s, ev_kind k, const char *arg, sess_result *res,
                  char *msg, size_t msgsz)
{
    char clean[4096];
    unsigned char before[KB_MAX_STEPS];
    sanitize_arg(arg, clean, sizeof clean);
    memcpy(before, s->status, sizeof before);
    if (j->broken) {
        *res = SR_ERROR;
        return append(j, NULL, msg, msgsz);
    }
    *res = session_apply(s, k, clean, msg, msgsz);
    char note[1024];
    if (append(j, record_body_event(s, before), note, sizeof note) != 0) {
        snprintf(msg, msgsz, "%s", note);
        return -1;
    }
    if (k == EV_OPERATOR && *res == SR_OK)
        lock_info(j, s->operator_name);
    return 0;
}

int journal_sign(journal *j, rec_type t, const char *name, char *msg, size_t msgsz)
{
    char clean[KB_NAME_MAX];
    sanitize_arg(name, clean, sizeof clean);
    if (!clean[0])
        return snprintf(msg, msgsz, "a sign-off needs a name"), -1;
    if (t == REC_COUNTERSIGN && !j->signer[0])
        return snprintf(msg, msgsz, "countersign: nobody has signed off yet"), -1;
    if (t == REC_COUNTERSIGN && strcasecmp(clean, j->signer) == 0)
        return snprintf(msg, msgsz, "countersign: the second person must not be the one who "
                        "signed off (%s)", j->signer), -1;
    if (append(j, record_body_sign(t, clean), msg, msgsz) != 0)
        return -1;
    if (t == REC_SIGNOFF)
        snprintf(j->signer, sizeof j->signer, "%s", clean);
    return 0;
}

/* ---- creating ------------------------------------------------------------------------ */

static int new_session_path(const session *s, char *out, size_t outsz, char *err, size_t errsz)
{
    char dir[PATH_MAX - 128], utc[REC_UTC];
    long long mono;
    unsigned char rnd[3] = {0};
    if (journal_dir(dir, sizeof dir, true, err, errsz) != 0)
        return -1;
    stamp(1, utc, sizeof utc, &mono);
    if (getrandom(rnd, sizeof rnd, 0) < 0)
        rnd[0] = (unsigned char)getpid();
    snprintf(out, outsz, "%s/%.4s%.2s%.2s-%.2s%.2s%.2s-%s-%02x%02x%02x.journal", dir, utc,
             utc + 5, utc + 8, utc + 11, utc + 14, utc + 17, s->kb->id, rnd[0], rnd[1], rnd[2]);
    return 0;
}

journal *journal_create(const char *path, const session *s, char *err, size_t errsz)
{
    char gen[PATH_MAX], host[256], msg[600];
    if (s->nevents > 0)
        return snprintf(err, errsz, "journal_create: the session already has events"), NULL;
    if (!path && new_session_path(s, gen, sizeof gen, err, errsz) != 0)
        return NULL;
    path = path ? path : gen;
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return snprintf(err, errsz, "cannot create %s: %s", path, strerror(errno)), NULL;
    journal *j = lock_new(fd, path, err, errsz);
    if (!j)
        return NULL;
    host_name(host, sizeof host);
    if (sync_dir_of(path) != 0 ||
        append(j, record_body_start(s, host, PACKAGE_VERSION), msg, sizeof msg) != 0) {
        snprintf(err, errsz, "%s", j->broken ? msg : "cannot sync the sessions directory");
        journal_free(j);
        return NULL;
    }
    return j;
}

/* ---- opening and recovery ----------------------------------------------------------- */

static char *read_all(int fd, size_t *len, char *err, size_t errsz)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > JOURNAL_MAX_BYTES)
        return snprintf(err, errsz, "not a regular file of at most 64 MiB"), NULL;
    char *buf = xmalloc((size_t)st.st_size + 1);
    size_t got = 0;
    for (ssize_t n; got < (size_t)st.st_size; got += (size_t)n) {
        n = pread(fd, buf + got, (size_t)st.st_size - got, (off_t)got);
        if (n <= 0) {
            free(buf);
            return snprintf(err, errsz, "cannot read: %s", n < 0 ? strerror(errno) : "short"),
                   NULL;
        }
    }
    *len = got;
    return buf;
}

int journal_read(const char *path, rec_log *log, char *err, size_t errsz)
{
    size_t len;
    char why[200];
    *log = (rec_log){0};
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return snprintf(err, errsz, "cannot open %s: %s", path, strerror(errno)), -1;
    char *buf = read_all(fd, &len, why, sizeof why);
    close(fd);
    if (!buf)
        return snprintf(err, errsz, "%s: %s", path, why), -1;
    record_load(buf, len, log);
    free(buf);
    return 0;
}

/* Copies the torn bytes to a new PATH.torn[.N] file, synced. */
static int set_aside(journal *j, const char *bytes, size_t n, journal_info *info)
{
    int fd = -1;
    for (int i = 0; fd < 0 && i < 100; i++) {
        if (i == 0)
            snprintf(info->torn_path, sizeof info->torn_path, "%s.torn", j->path);
        else
            snprintf(info->torn_path, sizeof info->torn_path, "%s.torn.%d", j->path, i);
        fd = open(info->torn_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0 && errno != EEXIST)
            return -1;
    }
    bool ok = fd >= 0 && write(fd, bytes, n) == (ssize_t)n && fsync(fd) == 0;
    if (fd >= 0)
        close(fd);
    return ok && sync_dir_of(info->torn_path) == 0 ? 0 : -1;
}

static int recover(journal *j, const char *buf, size_t len, journal_info *info, char *err,
                   size_t errsz)
{
    char sha[REC_HEX], msg[600];
    const rec_log *log = &j->log;
    size_t n = len - log->good_bytes;
    info->torn_bytes = (long long)n;
    if (set_aside(j, buf + log->good_bytes, n, info) != 0)
        return snprintf(err, errsz, "cannot set the torn tail of %s aside: %s", j->path,
                        strerror(errno)), -1;
    if (ftruncate(j->fd, (off_t)log->good_bytes) != 0 || fdatasync(j->fd) != 0)
        return snprintf(err, errsz, "cannot cut the torn tail of %s: %s", j->path,
                        strerror(errno)), -1;
    if (log->n == 0)
        return snprintf(err, errsz, "%s holds no complete record (its %zu bytes were set aside "
                        "in %s)", j->path, n, info->torn_path), -1;
    /* The hash of the torn bytes ties the record to the file set aside. */
    record_sha256(buf + log->good_bytes, n, sha);
    if (append(j, record_body_recovered((long long)n, sha), msg, sizeof msg) != 0)
        return snprintf(err, errsz, "%s", msg), -1;
    return 0;
}

static void describe(const rec_log *log, const char *path, char *out, size_t outsz)
{
    if (log->state == RV_CORRUPT)
        snprintf(out, outsz, "%s: record %ld does not match (%s), yet valid records follow "
                 "(record %ld): the journal was corrupted or tampered with; it is left as it is",
                 path, log->bad, log->why, log->next_valid);
    else
        snprintf(out, outsz, "%s: record %ld is %s", path, log->bad, log->why);
}

journal *journal_open(const char *path, journal_info *info, char *err, size_t errsz)
{
    size_t len;
    *info = (journal_info){0};
    int fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return snprintf(err, errsz, "cannot open %s: %s", path, strerror(errno)), NULL;
    journal *j = lock_new(fd, path, err, errsz);
    if (!j)
        return NULL;
    char *buf = read_all(fd, &len, err, errsz);
    int rc = buf ? 0 : -1;
    if (buf) {
        record_load(buf, len, &j->log);
        info->state = j->log.state;
        info->bad = j->log.bad;
        info->records = j->log.n;
        describe(&j->log, path, info->why, sizeof info->why);
        j->head = j->log.head;
        j->size = (off_t)j->log.good_bytes;
    }
    if (buf && j->log.state == RV_CORRUPT) {
        snprintf(err, errsz, "%s", info->why);
        rc = -1;
    } else if (buf && j->log.state == RV_TORN) {
        rc = recover(j, buf, len, info, err, errsz);
    } else if (buf && j->log.n == 0) {
        snprintf(err, errsz, "%s is empty", path);
        rc = -1;
    }
    free(buf);
    if (rc != 0) {
        journal_free(j);
        return NULL;
    }
    for (long i = 0; i < j->log.n; i++)
        if (j->log.v[i].type == REC_SIGNOFF)
            snprintf(j->signer, sizeof j->signer, "%s", record_str(&j->log.v[i], "name"));
    return j;
}

const rec_log *journal_log(const journal *j)
{
    return &j->log;
}

session *journal_resume(journal *j, const kb_article *kb, int *last_step, char *err,
                        size_t errsz)
{
    char host[256], msg[600];
    session *s = record_session(&j->log, kb, last_step, err, errsz);
    if (!s)
        return NULL;
    host_name(host, sizeof host);
    if (append(j, record_body_resume(host), msg, sizeof msg) != 0) {
        snprintf(err, errsz, "%s", msg);
        session_free(s);
        return NULL;
    }
    lock_info(j, s->operator_name);
    return s;
}

int journal_close(journal *j, const session *s)
{
    char msg[600];
    int rc = 0;
    if (!j)
        return 0;
    if (s && !j->broken)
        rc = append(j, record_body_close(s), msg, sizeof msg);
    journal_free(j);
    return rc;
}

void journal_free(journal *j)
{
    char lp[PATH_MAX + 8];
    if (!j)
        return;
    lock_path(j->path, lp, sizeof lp);
    unlink(lp);
    close(j->fd);               /* releases the lock */
    record_log_free(&j->log);
    free(j);
}

bool journal_broken(const journal *j)
{
    return j->broken;
}

const char *journal_path(const journal *j)
{
    return j->path;
}

rec_head journal_head(const journal *j)
{
    return j->head;
}
