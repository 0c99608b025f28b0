/* dict_blob.c - the default analysis dictionaries in their compiled form
 * as the build made it (tools/gen_dict_blob.c loads the texts compiled
 * into the library and writes nd__dict_compile()'s form), compiled in with
 * the assembler's .incbin so that no process parses the 270 KB of text
 * (dict.c).  CMake passes ND_DICT_BLOB_FILE; this file is not part of the
 * objects the generator itself links. */
#include <stddef.h>

#include "base/blob.h"

#ifdef ND_DICT_BLOB_FILE
ND__INCBIN(nd__dict_blob, ND_DICT_BLOB_FILE);
#else
_Alignas(64) const unsigned char nd__dict_blob[64] = {0};
const size_t nd__dict_blob_len = 0;
#endif
