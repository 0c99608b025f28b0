/* text.c - PLACEHOLDER text front */
#include <string.h>

#include "extract/page.h"

int nd__text_to_page(const char *text, size_t len, nd_page *pg)
{
    size_t i = 0;
    uint32_t line = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t) (nl - text) : len;
        line++;
        nd_slice s = nd_slice_trim((nd_slice){text + i, e - i});
        if (s.len) {
            uint32_t off = (uint32_t) pg->text.len;
            nd_buf_append(&pg->text, s.ptr, s.len);
            nd_buf_putc(&pg->text, 0);
            nd_block *b = nd__page_add_block(pg, 0, off, (uint32_t) s.len);
            if (b) b->line = line;
        }
        i = e + 1;
    }
    return pg->text.failed ? ND_ENOMEM : 0;
}
