/* model_blob.c - the shipped parser model, compiled into the library with
 * the assembler's .incbin (CMake passes ND_PARSE_MODEL_FILE when
 * data/parse/en_ewt.ndpm exists), so the library works from any
 * directory without a data file. */
#include <stddef.h>

#ifdef ND_PARSE_MODEL_FILE
__asm__(".section .rodata\n"
        ".balign 64\n"
        ".globl nd__parse_model_blob\n"
        ".hidden nd__parse_model_blob\n"
        "nd__parse_model_blob:\n"
        ".incbin \"" ND_PARSE_MODEL_FILE "\"\n"
        "nd__parse_model_blob_end:\n"
        ".balign 8\n"
        ".globl nd__parse_model_blob_len\n"
        ".hidden nd__parse_model_blob_len\n"
        "nd__parse_model_blob_len:\n"
        ".quad nd__parse_model_blob_end - nd__parse_model_blob\n"
        ".previous\n");
#else
_Alignas(64) const unsigned char nd__parse_model_blob[64] = {0};
const size_t nd__parse_model_blob_len = 0;
#endif
