/* classify_html.c - PLACEHOLDER */
#include "extract/extract_int.h"

int nd__classify_html(nd_extract_ctx *x)
{
    for (size_t i = 0; i < x->pg->n_blocks; i++) x->pg->blocks[i].label = ND_LBL_BODY;
    return 0;
}
