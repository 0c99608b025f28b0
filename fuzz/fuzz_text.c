/* fuzz_text.c - libFuzzer target: arbitrary bytes extracted as flattened
 * text. */
#include "fuzz_extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_extract(data, size, ND_KIND_TEXT);
}
