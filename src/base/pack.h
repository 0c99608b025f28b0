/*
 * pack.h - little-endian fixed-width fields for the binary states the
 * library saves (the story engine's items, the store's story aggregates).
 * The readers return 0, or ND_EFORMAT when fewer bytes than the field's
 * remain (then *p is unchanged).
 */
#ifndef ND_BASE_PACK_H
#define ND_BASE_PACK_H

#include <stdint.h>

#include "newsdesk/base.h"

void nd__put_u32(nd_buf *b, uint32_t v);
void nd__put_u64(nd_buf *b, uint64_t v);
void nd__put_f64(nd_buf *b, double v);
int nd__get_u32(const unsigned char **p, const unsigned char *end, uint32_t *v);
int nd__get_u64(const unsigned char **p, const unsigned char *end, uint64_t *v);
int nd__get_f64(const unsigned char **p, const unsigned char *end, double *v);

#endif
