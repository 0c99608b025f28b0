/* model_blob.c - the shipped parser model, compiled into the library with
 * the assembler's .incbin (CMake passes ND_PARSE_MODEL_FILE when
 * data/parse/en_ewt.ndpm exists), so the library works from any
 * directory without a data file. */
#include <stddef.h>

#include "base/blob.h"

#ifdef ND_PARSE_MODEL_FILE
ND__INCBIN(nd__parse_model_blob, ND_PARSE_MODEL_FILE);
#else
_Alignas(64) const unsigned char nd__parse_model_blob[64] = {0};
const size_t nd__parse_model_blob_len = 0;
#endif
