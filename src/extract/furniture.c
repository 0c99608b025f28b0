/* furniture.c - PLACEHOLDER */
#include "extract/extract_int.h"

struct nd_furniture {
    int unused;
};

nd_furniture *nd_furniture_new(void)
{
    return nd_calloc(1, sizeof(nd_furniture));
}

void nd_furniture_free(nd_furniture *f)
{
    nd_free(f);
}

int nd_furniture_add(nd_furniture *f, const void *data, size_t len, const nd_extract_opts *opts)
{
    (void) f, (void) data, (void) len, (void) opts;
    return 0;
}
