/*
 * export_html.c - the HTML export: one self-contained page that prints
 * cleanly (print CSS, rows never split across pages), no scripts, and a
 * Content-Security-Policy that allows nothing but its own inline style,
 * named by its SHA-256. Untrusted text is sanitized in the model; here
 * & < > " ' become entities.
 */
#include "config.h"

#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <string.h>

#include "export.h"

static const char css[] =
    "body{font:11pt/1.35 sans-serif;margin:2em;color:#000;background:#fff}"
    "h1{font-size:16pt}h2{font-size:13pt;margin:1.2em 0 .3em}"
    "table{border-collapse:collapse;width:100%;margin:.3em 0}"
    "th,td{border:1px solid #888;padding:2px 6px;text-align:left;vertical-align:top}"
    "th{background:#eee}.skipped,.overridden,.not-applicable{background:#e0f4f7}"
    ".deferred{background:#fff3cd}.head{font:10pt monospace;border:2px solid #000;"
    "padding:4px;word-break:break-all}"
    "@media print{body{margin:0}tr,.head{page-break-inside:avoid}h2{page-break-after:avoid}}"
    "@page{margin:15mm}";

static void esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* 'sha256-BASE64' of the style sheet, for the Content-Security-Policy. */
static void css_hash(char *out, size_t outsz)
{
    struct sha256_ctx c;
    uint8_t d[SHA256_DIGEST_SIZE];
    char b64[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE) + 1];
    sha256_init(&c);
    sha256_update(&c, sizeof css - 1, (const uint8_t *)css);
    sha256_digest(&c, sizeof d, d);
    base64_encode_raw(b64, sizeof d, d);
    b64[sizeof b64 - 1] = '\0';
    snprintf(out, outsz, "sha256-%s", b64);
}

/* A CSS class for a known status word (anything else gets none). */
static const char *status_class(const char *status)
{
    static const char *const known[][2] = {
        {"done", "done"}, {"skipped", "skipped"}, {"overridden", "overridden"},
        {"not applicable", "not-applicable"}, {"deferred", "deferred"}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(status, known[i][0]) == 0)
            return known[i][1];
    return "other";
}

static void cell(FILE *f, const char *tag, const char *text)
{
    fprintf(f, "<%s>", tag);
    esc(f, *text ? text : "-");
    fprintf(f, "</%s>", tag);
}

static void pair(FILE *f, const char *label, const char *value)
{
    fputs("<tr>", f);
    cell(f, "th", label);
    cell(f, "td", value);
    fputs("</tr>\n", f);
}

static void header(FILE *f, const json_t *m)
{
    const json_t *a = json_object_get(m, "article");
    fputs("<h1>Session record: KB ", f);
    esc(f, export_str(a, "id"));
    fputs("</h1>\n<table>\n", f);
    export_header(f, m, pair);
    fputs("</table>\n", f);
}

static void section(FILE *f, const json_t *m, const export_section *sec)
{
    const json_t *list = json_object_get(m, sec->key);
    fputs("<h2>", f);
    esc(f, sec->title);
    fputs("</h2>\n", f);
    if (json_array_size(list) == 0) {
        fputs("<p>None.</p>\n", f);
        return;
    }
    fputs("<table>\n<tr>", f);
    for (int k = 0; k < sec->n; k++)
        cell(f, "th", sec->labels[k]);
    fputs("</tr>\n", f);
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *o = json_array_get(list, i);
        char num[24];
        fprintf(f, "<tr class=\"%s\">", status_class(export_str(o, "status")));
        for (int k = 0; k < sec->n; k++)
            cell(f, "td", export_cell(o, sec->keys[k], num, sizeof num));
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

static int write_html(FILE *f, const json_t *m)
{
    char hash[80], head[200];
    css_hash(hash, sizeof hash);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", f);
    fprintf(f, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src '%s'; base-uri 'none'; form-action 'none'\">\n", hash);
    fputs("<title>Session record: KB ", f);
    esc(f, export_str(json_object_get(m, "article"), "id"));
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
    header(f, m);
    for (int i = 0; i < export_nsections; i++)
        section(f, m, &export_sections[i]);
    export_head_line(m, head, sizeof head);
    fputs("<h2>Record</h2>\n<p class=\"head\">", f);
    esc(f, head);
    fputs("</p>\n</body>\n</html>\n", f);
    return ferror(f) ? -1 : 0;
}

const export_format export_html = {.name = "html", .write = write_html};
