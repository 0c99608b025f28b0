/*
 * newsdesk/decode.h - raw bytes of a page -> UTF-8 text in NFC.
 *
 * Gunzips (one or several members), recognises binary data, tells HTML from
 * plain text, finds the character encoding (byte-order mark, HTTP charset,
 * <meta charset> / http-equiv, else valid UTF-8, else detection with
 * uchardet), converts to UTF-8 with invalid bytes replaced by U+FFFD,
 * removes NUL and other C0 control bytes, and normalises to Unicode NFC.
 * Nothing here is fatal for a page that has text in it: problems become
 * flags (and warnings for the article) instead.
 */
#ifndef NEWSDESK_DECODE_H
#define NEWSDESK_DECODE_H

#include "newsdesk/base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nd_kind {
    ND_KIND_UNKNOWN = 0, /* as an option: sniff it */
    ND_KIND_HTML,
    ND_KIND_TEXT
} nd_kind;

/* Flags describing what decoding did. */
enum {
    ND_DEC_GZIP = 1u << 0,       /* input was gzip-compressed */
    ND_DEC_TRUNCATED = 1u << 1,  /* gzip stream ended early or hit the size limit */
    ND_DEC_BOM = 1u << 2,        /* a byte-order mark gave the encoding */
    ND_DEC_DETECTED = 1u << 3,   /* the encoding was guessed by detection */
    ND_DEC_REPLACED = 1u << 4,   /* invalid bytes were replaced by U+FFFD */
    ND_DEC_CONTROL = 1u << 5,    /* NUL or other control bytes were removed */
    ND_DEC_NORMALIZED = 1u << 6, /* NFC changed the text */
    ND_DEC_LIMIT = 1u << 7       /* the input was cut at max_bytes */
};

/* Default limit on a page's decoded size (64 MiB); see docs/limits. */
#define ND_DECODE_MAX_BYTES ((size_t) 64 << 20)

typedef struct nd_decode_opts {
    size_t max_bytes;         /* 0: ND_DECODE_MAX_BYTES */
    const char *charset_hint; /* e.g. from an HTTP Content-Type header; may be NULL */
    nd_kind kind;             /* ND_KIND_UNKNOWN: sniff */
} nd_decode_opts;

typedef struct nd_decoded {
    char *text; /* UTF-8, NFC, NUL-terminated; owned, free with nd_decoded_free() */
    size_t len;
    nd_kind kind;
    unsigned flags;   /* ND_DEC_* */
    char charset[40]; /* the source encoding as used, e.g. "UTF-8", "WINDOWS-1252" */
} nd_decoded;

/* Decode data (len bytes, need not be NUL-terminated).  opts may be NULL.
 * Returns 0 and fills out, or a negative code (ND_EEMPTY, ND_EBINARY,
 * ND_EGZIP, ND_ENOMEM) with err filled when not NULL.  On success the
 * caller owns out->text; free with nd_decoded_free(). */
ND_EXPORT int nd_decode(const void *data, size_t len, const nd_decode_opts *opts, nd_decoded *out,
                        nd_error *err);

/* Frees out->text; out is reset.  NULL and a reset struct are fine. */
ND_EXPORT void nd_decoded_free(nd_decoded *out);

/* Decompress a gzip stream (one or several members) into a new buffer of
 * at most max_bytes.  Returns 0 (possibly with *truncated set when the
 * stream ended early or hit the limit) or ND_EGZIP when nothing could be
 * decompressed.  Caller owns *out; free with nd_free(). */
ND_EXPORT int nd_gunzip(const void *data, size_t len, size_t max_bytes, char **out, size_t *out_len,
                        int *truncated);

/* Sniff HTML vs plain text on (decoded or raw ASCII-compatible) bytes. */
ND_EXPORT nd_kind nd_sniff_kind(const char *data, size_t len);

/* Replace invalid UTF-8 with U+FFFD, drop NUL and C0 controls other than
 * tab, newline, carriage return and form feed, and normalise to NFC.
 * Returns a new buffer (caller frees with nd_free()) or NULL on allocation
 * failure; *flags gets ND_DEC_REPLACED / ND_DEC_CONTROL / ND_DEC_NORMALIZED. */
ND_EXPORT char *nd_utf8_clean(const char *s, size_t len, size_t *out_len, unsigned *flags);

#ifdef __cplusplus
}
#endif
#endif
