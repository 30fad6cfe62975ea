/*
 * schema.h - the kbdata schema as tables: objects, their fields, types,
 * ranges and documentation; the trigger events. The loader validates with
 * these tables and `kbwizard schema` prints kbdata/SCHEMA.md from them, so
 * the document and the checks cannot drift apart.
 */
#ifndef KB_SCHEMA_H
#define KB_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    FT_STRING, FT_TEXT, FT_ID, FT_BOOL, FT_INT, FT_ENUM, FT_STRINGS, FT_LIST,
    FT_GROUP, FT_COND, FT_ACTIONS, FT_PAIRS
} field_type;

typedef struct field_def {
    const char *name;
    field_type type;
    bool required;
    int lo, hi;                /* length, count or value range */
    const char *extra;         /* child object (LIST, GROUP) or enum values */
    const char *doc;
} field_def;

typedef struct object_def {
    const char *name;
    const field_def *fields;
    const char *doc;
} object_def;

const object_def *schema_object(const char *name);
const field_def *schema_field(const object_def *o, const char *name);
const char *schema_type_name(field_type t);

typedef struct event_def {
    const char *name, *arg, *ctx, *doc;
} event_def;

extern const event_def schema_events[];
const event_def *schema_event(const char *name);

/* Writes the whole schema document (Markdown) through put. */
typedef void (*schema_put)(void *ctx, const char *text);
void schema_markdown(schema_put put, void *ctx);

#endif
