/*
 * fuzz_jsonl.c - the JSON lines reader on arbitrary bytes (a small line
 * limit, so that over-long lines are exercised too), and the same bytes
 * under a name that does not say what they are (the sniffer decides).  Every document's
 * bytes and strings are touched so that the sanitizers check their bounds.
 * Then a differential check of the long-string fast path: the bytes become
 * the body of a long "html" string, and the reader must agree with jansson
 * alone: the same string when jansson reads the line and the reader's
 * schema takes it (schema_ok), an error when either refuses it.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk/read.h"
#include "read/read_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void touch(const char *s)
{
    if (s) sink += strlen(s);
}

static void run(const char *name, const uint8_t *data, size_t size, size_t max)
{
    nd_reader_opts o = {.max_record = max};
    nd_reader *r = nd_reader_new_mem(name, data, size, &o);
    if (!r) return;
    nd_doc d;
    nd_error e;
    int rc, guard = 0;
    while ((rc = nd_reader_next(r, &d, &e)) != 0) {
        if (++guard > 1000000) abort();
        if (rc < 0) {
            touch(e.msg);
            continue;
        }
        size_t h = 0;
        for (size_t i = 0; i < d.len; i++) h += (unsigned char) d.data[i];
        sink += h;
        touch(d.source);
        touch(d.url);
        touch(d.ext_id);
        touch(d.title);
        touch(d.published);
        touch(d.warning);
        if (d.format == ND_FMT_JSONL && d.offset == 0) abort(); /* lines count from 1 */
    }
    nd_reader_free(r);
    /* the public sniffer on the same bytes */
    sink += (size_t) nd_sniff_format((const char *) data, size);
}

/* Whether the reader's schema takes object j: "html" a string, "text",
 * "url", "title" and "published" strings or null when present, "id" a
 * string, a number or null (src/read/jsonl.c rejects the line else). */
static int schema_ok(json_t *j)
{
    static const char *const str_keys[] = {"text", "url", "title", "published"};
    if (!json_is_object(j) || !json_is_string(json_object_get(j, "html"))) return 0;
    for (size_t i = 0; i < sizeof str_keys / sizeof *str_keys; i++) {
        json_t *v = json_object_get(j, str_keys[i]);
        if (v && !json_is_null(v) && !json_is_string(v)) return 0;
    }
    json_t *id = json_object_get(j, "id");
    return !id || json_is_null(id) || json_is_string(id) || json_is_number(id);
}

static void differential(const uint8_t *data, size_t size)
{
    /* {"html": "<bytes><4096 x 'a'>"} on one line (newlines would split it) */
    size_t n = 0, cap = size + 4200;
    char *line = malloc(cap);
    if (!line) return;
    memcpy(line, "{\"html\": \"", 10);
    n = 10;
    for (size_t i = 0; i < size; i++)
        if (data[i] != '\n') line[n++] = (char) data[i];
    memset(line + n, 'a', 4096);
    n += 4096;
    memcpy(line + n, "\"}", 2);
    n += 2;
    json_error_t je;
    json_t *j = json_loadb(line, n, JSON_ALLOW_NUL, &je);
    nd_reader_opts o = {.max_record = 1 << 20};
    nd_reader *r = nd_reader_new_mem("d.jsonl", line, n, &o);
    if (r) {
        nd_doc d;
        nd_error e;
        int rc = nd_reader_next(r, &d, &e);
        if (j && schema_ok(j)) {
            json_t *v = json_object_get(j, "html");
            if (rc != 1 || d.len != json_string_length(v) ||
                memcmp(d.data, json_string_value(v), d.len) != 0)
                abort(); /* the fast path decoded differently */
        } else if (j) {
            /* a line the schema refuses ("title": 2): an error */
            if (rc >= 0) abort();
        } else if (rc >= 0) {
            /* jansson rejects the line: so must the reader (or, when the
             * line is only whitespace, yield nothing) */
            if (rc == 1) abort();
        }
        nd_reader_free(r);
    }
    if (j) json_decref(j);
    free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run("fuzz.jsonl", data, size, 256);
    run("fuzz.jsonl", data, size, 1 << 20);
    /* a name that does not say: the sniffer decides (JSON lines or a page,
     * a page over the limit given cut) */
    run("fuzz", data, size, 256);
    if (size < 65536) differential(data, size);
    return 0;
}
