/*
 * cmd_list.c - `kbwizard list [--json]` and `kbwizard schema`.
 */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "schema.h"

static json_t *article_json(const kb_article *kb)
{
    json_t *methods = json_array();
    for (int m = 0; m < kb->nmethods; m++)
        json_array_append_new(methods, json_pack("{s:s, s:s}", "id", kb->methods[m].id,
                                                 "title", kb->methods[m].title));
    return json_pack("{s:s, s:s, s:o}", "id", kb->id, "title", kb->title, "methods", methods);
}

int cmd_list(cli *c, int argc, char **argv)
{
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else
            return usage_error("list: unknown argument %s", argv[i]);
    }
    kb_library *lib = cli_library(c);
    if (!lib)
        return EXIT_USAGE;
    if (json) {
        json_t *a = json_array();
        for (int i = 0; i < lib->n; i++)
            json_array_append_new(a, article_json(lib->v[i]));
        char *s = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        puts(s);
        free(s);
        json_decref(a);
    } else {
        for (int i = 0; i < lib->n; i++) {
            out_clean(stdout, lib->v[i]->id);
            putchar('\t');
            out_clean(stdout, lib->v[i]->title);
            putchar('\n');
        }
    }
    kbfiles_library_free(lib);
    return EXIT_OKAY;
}

static void put_stdout(void *ctx, const char *text)
{
    fputs(text, stdout);
}

int cmd_schema(cli *c, int argc, char **argv)
{
    if (argc > 1)
        return usage_error("schema takes no arguments");
    schema_markdown(put_stdout, NULL);
    return EXIT_OKAY;
}
