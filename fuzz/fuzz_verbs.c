/*
 * fuzz_verbs.c - the verb lexicon's readers (src/analyze/verbs.c) on
 * arbitrary bytes: newsdesk's compact "# cameo-verbs" format (an error, not
 * a crash, for bad lines) and PETRARCH verb dictionaries (unusable lines
 * skipped); then every loaded pattern is walked and the dictionary freed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static nd_analyze_dict *empty_dict(void)
{
    nd_analyze_dict *d = nd_calloc(1, sizeof *d);
    if (d) d->arena = nd_arena_new(1 << 12);
    if (d && !d->arena) {
        nd_free(d);
        d = NULL;
    }
    return d;
}

static void walk(const nd_analyze_dict *d)
{
    for (size_t b = 0; b < d->n_vblocks; b++)
        for (uint32_t r = d->vblocks[b].first; r != ND__NONE; r = d->vrules[r].next) {
            const nd__vrule *ru = &d->vrules[r];
            if (ru->pel + (size_t) ru->n_pre + ru->n_post > d->n_pels) abort();
            for (uint32_t i = 0; i < (uint32_t) ru->n_pre + ru->n_post; i++) {
                const nd__pel *e = &d->pels[ru->pel + i];
                if (e->kind == ND__PE_SET && e->set >= d->n_vsets) abort();
                if ((e->kind == ND__PE_WORD || e->kind == ND__PE_PP) && !e->word) abort();
            }
        }
    for (size_t v = 0; v < d->n_verbs; v++)
        if (d->verbs[v].block >= d->n_vblocks) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nd_analyze_dict *d = empty_dict();
    if (!d) return 0;
    size_t skipped = 0;
    nd__vlex_load_petrarch(d, (const char *) data, size, &skipped);
    walk(d);
    nd_analyze_dict_free(d);

    /* the same bytes as the body of a compact file */
    char *buf = malloc(size + 16);
    if (!buf) return 0;
    memcpy(buf, "# cameo-verbs\n", 14);
    memcpy(buf + 14, data, size);
    d = empty_dict();
    if (d) {
        nd_error err = {0};
        nd__dict_load_text(d, "fuzz.txt", buf, size + 14, &err);
        walk(d);
        nd_analyze_dict_free(d);
    }
    free(buf);
    return 0;
}
