/* fuzz_lang.c - libFuzzer target: language identification and the
 * stop-word lookup on arbitrary bytes (invalid UTF-8 included). */
#include "newsdesk/lang.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *lang = nd_lang_detect((const char *) data, size);
    if (lang && strlen(lang) != 2) __builtin_trap();
    static const char *const codes[] = {NULL, "en", "de", "ru", "uk", "zh", "pt-BR", "x"};
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
        (void) nd_stopword(codes[i], (const char *) data, size > 64 ? 64 : size);
    return 0;
}
