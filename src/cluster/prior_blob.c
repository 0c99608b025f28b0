/* prior_blob.c - the word-rarity prior's map as the build made it
 * (tools/gen_prior_map.c from data/wordfreq/prior.bin: the format is
 * nd__prior_map_view()'s in cluster_int.h), compiled into the library with
 * the assembler's .incbin, so that no process stems the 50,000 words of
 * the table to build it (prior.c).  CMake passes ND_PRIOR_MAP_FILE; this
 * file is not part of the objects the generator itself links. */
#include <stddef.h>

#include "base/blob.h"

#ifdef ND_PRIOR_MAP_FILE
ND__INCBIN(nd__prior_map_blob, ND_PRIOR_MAP_FILE);
#else
_Alignas(64) const unsigned char nd__prior_map_blob[64] = {0};
const size_t nd__prior_map_blob_len = 0;
#endif
