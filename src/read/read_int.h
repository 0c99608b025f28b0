/*
 * read_int.h - internals of the input readers (src/read/).
 *
 *   stream.c  buffered byte input from a file descriptor or memory, with
 *             transparent gzip (one or many members) and member tracking
 *   walk.c    paths -> regular files (folders recursively, sorted)
 *   sniff.c   format sniffing (nd_sniff_format)
 *   http.c    HTTP response head, chunked transfer coding, content coding
 *   warc.c    WARC records -> documents
 *   jsonl.c   JSON lines -> documents
 *   read.c    nd_reader: inputs one after another, page files
 */
#ifndef ND_READ_INT_H
#define ND_READ_INT_H

#include <stdint.h>
#include <sys/stat.h>
#include <zlib.h>

#include "newsdesk/read.h"

/* ---- stream ------------------------------------------------------------ */

/* A window over the (decompressed) bytes of one input.  Data between pos
 * and len is available; nd__stream_fill() reads more, which may move the
 * window, so pointers into it are borrowed until the next fill.  Errors
 * are sticky but lazy: bytes decoded before a gzip error stay readable and
 * the error shows only when a caller asks for more than is there. */
typedef struct nd__stream {
    int fd;                   /* -1: memory source */
    int own_fd;               /* close fd at the end */
    const unsigned char *mem; /* memory source (borrowed) */
    size_t mem_len;
    int seekable;         /* the source can be repositioned */
    uint64_t size;        /* size of a regular file or memory, else UINT64_MAX */
    uint64_t src_off;     /* source offset of the next byte to read */
    uint64_t src_max;     /* furthest source offset read (for byte counts) */
    uint64_t *bytes_read; /* incremented by new source bytes (may be NULL) */
    int src_eof;

    int gz; /* gzip mode: the source starts with a gzip member */
    z_stream z;
    int z_ready;   /* inflateInit2 done */
    int in_member; /* inside a gzip member (zlib) */
    /* A member found whole in the raw buffer is inflated at once by
     * libdeflate into dz and handed to the window from there. */
    struct libdeflate_decompressor *ld;
    unsigned char *dz;
    size_t dz_pos, dz_len, dz_cap;
    uint64_t member_coff; /* source offset of the current member */
    unsigned char *raw;   /* compressed bytes read from the source */
    size_t raw_pos, raw_len, raw_cap;
    uint64_t raw_off; /* source offset of raw[0] */
    struct nd__member {
        uint64_t uoff, coff;
    } * members; /* starts of members in the window */
    size_t m_head, m_len, m_cap;

    unsigned char *buf; /* the window of decoded bytes */
    size_t pos, len, cap;
    uint64_t off; /* decoded-stream offset of buf[0] */

    int eof;              /* the end was reached cleanly */
    int err;              /* 0 or ND_EGZIP / ND_ETRUNCATED / ND_EIO / ND_ENOMEM */
    int err_errno;        /* errno of an ND_EIO */
    uint64_t err_coff;    /* source offset of the member that failed */
    const char *err_what; /* static text describing err */
} nd__stream;

/* Start reading fd (takes ownership when own_fd) or len bytes at mem
 * (borrowed; must outlive the stream).  Reads the first bytes to tell
 * gzip from plain data.  Returns 0 or ND_ENOMEM / ND_EIO (err_errno set). */
int nd__stream_open_fd(nd__stream *s, int fd, int own_fd, uint64_t *bytes_read);
int nd__stream_open_mem(nd__stream *s, const void *mem, size_t len);
void nd__stream_close(nd__stream *s);

/* Make at least need bytes available if the input has them; returns how
 * many are available (less than need at the end or after an error: check
 * s->eof / s->err). */
size_t nd__stream_fill(nd__stream *s, size_t need);
/* The same, but it returns as soon as any byte more than was available
 * has come (or need bytes are, or the end, or an error): for a reader
 * that looks for a delimiter in what it has, so that a pipe that holds a
 * whole line or record head and no more (a crawler's, between pages) does
 * not keep it waiting for bytes that are not sent yet.  Returns how many
 * are available: no more than before only at the end or after an
 * error. */
size_t nd__stream_fill_some(nd__stream *s, size_t need);
#define nd__stream_avail(s) ((s)->len - (s)->pos)
#define nd__stream_ptr(s)   ((const char *) (s)->buf + (s)->pos)
/* Offset of the next byte in the decoded stream. */
#define nd__stream_tell(s) ((s)->off + (s)->pos)
void nd__stream_consume(nd__stream *s, size_t n); /* n <= available */
/* Discard n bytes without keeping them; returns how many were discarded
 * (less than n at the end of the input or after an error). */
uint64_t nd__stream_skip(nd__stream *s, uint64_t n);
/* 1 and *coff when decoded offset uoff is the first byte of a gzip member
 * that is still in the window (or was its last start), else 0. */
int nd__stream_member_at(nd__stream *s, uint64_t uoff, uint64_t *coff);
/* After ND_EGZIP: drop the window and go on at the next gzip member after
 * the one that failed (scanning the compressed bytes).  After any other
 * error: end the stream.  Clears s->err. */
void nd__stream_resync(nd__stream *s);
/* One line describing s->err ("corrupt gzip data: invalid block type"). */
const char *nd__stream_errstr(const nd__stream *s, char *tmp, size_t n);

/* ---- walking ------------------------------------------------------------ */

typedef struct nd__walk_frame {
    char *dir;
    char **names;
    size_t n, i;
} nd__walk_frame;

typedef struct nd__walk {
    char **roots;
    size_t n_roots, root_i;
    nd__walk_frame *frames;
    size_t n_frames, cap_frames;
    struct nd__dirid {
        dev_t dev;
        ino_t ino;
    } * seen; /* hash set of folders visited */
    size_t n_seen, cap_seen;
    int follow;
    uint64_t links_skipped; /* symbolic links in folders not followed (or dangling) */
    nd_buf path;
} nd__walk;

/* Copies the paths.  Returns 0 or ND_ENOMEM. */
int nd__walk_init(nd__walk *w, const char *const *paths, size_t n, int follow_symlinks);
void nd__walk_free(nd__walk *w);
/* The next input: returns 1 with *path (borrowed; valid until the next
 * call), *st (zeroed for "-") and *walked (1 when found inside a folder),
 * 0 at the end, or a negative code with err naming the path. */
int nd__walk_next(nd__walk *w, const char **path, struct stat *st, int *walked, nd_error *err);
/* 1 when a file met inside a folder should not be read: assets and
 * indexes by extension (.css, .png, .cdx, ...).  name is the base name. */
int nd__walk_skip_name(const char *name);

/* ---- sniffing ------------------------------------------------------------ */

/* Like nd_sniff_format() on bytes that are already decompressed; also
 * tells legacy ARC (*is_arc). */
nd_format nd__sniff(const char *head, size_t len, int *is_arc);

/* ---- HTTP ---------------------------------------------------------------- */

typedef struct nd__http {
    int status;            /* 0 when absent */
    nd_slice content_type; /* the media type, lower-case not guaranteed */
    nd_slice charset;      /* charset parameter, unquoted */
    nd_slice transfer_encoding;
    nd_slice content_encoding;
    size_t head_len; /* bytes of status line + headers + blank line */
} nd__http;

/* Parse an HTTP response head at the start of p[0..n).  Returns 1 when
 * complete, 0 when the blank line ending it is not within n bytes, -1
 * when p does not start with a status line. */
int nd__http_parse(const char *p, size_t n, nd__http *h);
/* Parse a Content-Type value into media type and charset (borrowed). */
void nd__http_content_type(nd_slice v, nd_slice *type, nd_slice *charset);
/* 1 when the media type is a page (HTML or text) and *kind says which. */
int nd__http_is_page_type(nd_slice type, nd_kind *kind);
/* Undo chunked transfer coding into out (cleared first).  A body that is
 * not chunked after all, or whose chunk sizes are wrong, keeps the chunks
 * decoded so far followed by the rest as it is. */
void nd__http_dechunk(const char *p, size_t n, nd_buf *out);
/* Undo a Content-Encoding list ("gzip", "deflate", "identity", ...) on
 * p[0..n).  Returns 0 with *data and *len pointing at p or into out, or
 * ND_EFORMAT (unsupported coding, msg filled), ND_EGZIP (undecodable),
 * ND_ELIMIT (more than max bytes), ND_ENOMEM. */
int nd__http_decode(nd_slice coding, const char *p, size_t n, size_t max, nd_buf *out, nd_buf *tmp,
                    const char **data, size_t *len, char *msg, size_t msg_n);

/* ---- inputs -------------------------------------------------------------- */

typedef struct nd__input nd__input;

/* Per-format state of the current input. */
struct nd__input {
    char *path; /* owned */
    nd_format fmt;
    nd_kind page_kind; /* from the file name, for pages */
    nd__stream s;
    int done;
    size_t max;             /* largest record / line / page */
    nd_reader_stats *stats; /* borrowed from the reader */
    /* WARC */
    int resyncing;     /* after an error: quiet until a good record */
    uint64_t last_rec; /* offset of the last record read */
    int have_last;
    /* JSONL */
    uint64_t line;
    void *json; /* json_t of the current line */
    char id_tmp[32];
    int n_big; /* long strings of the line decoded into b2 */
    size_t big_off[8], big_len[8];
    int dup_key;       /* the line repeats a key (jansson keeps the last) */
    char dup_near[64]; /* jansson's "near" text: the key */
    char warn[320];    /* nd_doc.warning of the current line */
    nd_buf strs;       /* the line's short strings without their NUL bytes */
    /* scratch, reused */
    nd_buf url, charset, b1, b2;
};

/* Next document of a WARC / JSONL input: 1, 0 at its end, or negative
 * with err filled.  On return of 1, doc is filled (borrowed until the next
 * call).  stats->skipped / records are updated here, docs and errors by
 * the caller. */
int nd__warc_next(nd__input *in, nd_doc *doc, nd_error *err);
int nd__jsonl_next(nd__input *in, nd_doc *doc, nd_error *err);
void nd__jsonl_free(nd__input *in);

#endif
