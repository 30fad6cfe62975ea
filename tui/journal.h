/*
 * journal.h - the session journal on disk (RELIABILITY.md "The journal"):
 * one file per session under $XDG_STATE_HOME/kbwizard/sessions/, one
 * record (engine/record.h) per event, appended with one write() and synced
 * with fdatasync() before the caller may show the event as done; a lock
 * while open; recovery of a torn tail; refusal of a corrupt journal.
 *
 * The interface the wizard and `run --journal` use:
 *
 *   j = journal_create(NULL, s, err, sizeof err);       a new session
 *   j = journal_open(path, &info, err, sizeof err);       an existing one
 *   s = journal_resume(j, kb, &last_step, err, ...);      rebuilt by replay
 *   journal_apply(j, s, EV_DONE, "", &res, msg, ...);     every event
 *   journal_sign(j, REC_SIGNOFF, "Ann", msg, ...);        sign-off
 *   journal_close(j, s);                                  at the end
 *
 * Test seams (always compiled in, for the test suite only):
 *   KBWIZARD_TEST_FAIL_SYNC=N  the Nth record sync of the process fails (EIO)
 *   KBWIZARD_TEST_CLOCK=EPOCH  record n is stamped EPOCH+n-1 seconds UTC and
 *                              monotonic (n-1) seconds, for golden exports
 *   KBWIZARD_TEST_HOST=NAME    the host name recorded in start/resume records
 */
#ifndef KB_JOURNAL_H
#define KB_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"
#include "session.h"

typedef struct journal journal;

/* What opening an existing journal found and did. */
typedef struct journal_info {
    rv_state state;             /* as read, before recovery */
    long records;               /* records kept */
    long bad;                   /* first bad record (torn or corrupt), 0 if none */
    long long torn_bytes;       /* bytes set aside */
    char torn_path[4096 + 32];  /* where they went */
    char why[4096 + 400];
} journal_info;

/*
 * The sessions directory: $XDG_STATE_HOME/kbwizard/sessions, or
 * ~/.local/state/kbwizard/sessions; created (mode 0700) when create.
 */
int journal_dir(char *out, size_t outsz, bool create, char *err, size_t errsz);

/*
 * SESSION|JOURNAL to a path: an existing file or anything with a '/' is a
 * path; otherwise ID names ID.journal in the sessions directory.
 */
void journal_resolve(const char *id_or_path, char *out, size_t outsz);

/* fsync of the directory holding path (after a create, rename or link). */
int sync_dir_of(const char *path);

/* The session id of a journal path: its file name without ".journal". */
void journal_id_of(const char *path, char *out, size_t outsz);

/*
 * Reads a journal without locking or changing it: log holds the valid
 * prefix and says what follows. 0, or -1 with err when it cannot be read.
 */
int journal_read(const char *path, rec_log *log, char *err, size_t errsz);

/*
 * Creates a journal (O_EXCL; the directory is synced) at path, or with
 * path NULL a new session with a generated id in the sessions directory;
 * locks it and writes the start record of s, which must have no events
 * yet. Returns NULL with the reason in err.
 */
journal *journal_create(const char *path, const session *s, char *err, size_t errsz);

/*
 * Opens an existing journal for appending: locks it (a journal open
 * elsewhere is refused, naming who holds it) and recovers it. A torn tail
 * (bytes after the last valid record, holding no valid record) is copied to
 * PATH.torn, cut off, and a "recovered" record appended; info says so. A
 * corrupt journal (a bad record followed by valid ones) is refused and left
 * untouched. Returns NULL with the reason in err.
 */
journal *journal_open(const char *path, journal_info *info, char *err, size_t errsz);

/* The records of an open journal (the valid prefix, as read at open). */
const rec_log *journal_log(const journal *j);

/*
 * Rebuilds the session by replaying the journal (kb must be the article
 * and exact kbdata of its start record) and appends a "resume" record.
 * *last_step is the step of the last recorded event (-1: none): the screen
 * may have confirmed one step less, so the wizard shows it and asks the
 * operator where they are. NULL with the reason in err.
 */
session *journal_resume(journal *j, const kb_article *kb, int *last_step, char *err,
                        size_t errsz);

/*
 * Applies one event to s and records it. The argument is made safe first
 * (control characters, invalid UTF-8 and bidi controls escaped as by
 * text_sanitize), so the record and any replay see the same text. Returns
 * 0 when the record is on disk (*res is the session's result, msg its
 * message): only then may the event be shown as done. Returns -1 when it
 * is not: the journal is broken from then on (no retry on that
 * descriptor) and msg begins "step NOT recorded".
 */
int journal_apply(journal *j, session *s, ev_kind k, const char *arg, sess_result *res,
                  char *msg, size_t msgsz);

/*
 * Records a sign-off (REC_SIGNOFF) or a countersign (REC_COUNTERSIGN; needs
 * an earlier sign-off by someone else). 0 when on disk, -1 with msg.
 */
int journal_sign(journal *j, rec_type t, const char *name, char *msg, size_t msgsz);

/*
 * Records "close" (with s's finished/goal state, when s is given and the
 * journal is not broken), unlocks and frees. Returns -1 when the close
 * record could not be written. journal_free releases without a record.
 */
int journal_close(journal *j, const session *s);
void journal_free(journal *j);

bool journal_broken(const journal *j);
const char *journal_path(const journal *j);
rec_head journal_head(const journal *j);

/*
 * Who holds the lock of a journal, as written by its holder ("pid N on HOST,
 * operator NAME"); returns false when nobody holds it.
 */
bool journal_locked_by(const char *path, char *who, size_t whosz);

#endif
