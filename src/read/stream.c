/* stream.c - buffered input from a file or memory, with transparent gzip.
 *
 * The window (buf) holds decoded bytes; it grows only as far as a caller
 * asks (a record, a line) and shrinks back after a big one.  In gzip mode
 * the compressed bytes go through a fixed raw buffer; a member that is
 * whole in it (a page file, a WARC record) is inflated at once by
 * libdeflate, any other (larger, cut short, corrupt) by zlib as it streams.
 * The start of each member is remembered so that a WARC record can be
 * located by its member's offset in the compressed file, and a corrupt
 * member can be skipped by scanning for the next member header. */
#include <errno.h>
#include <libdeflate.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read/read_int.h"

#define RAW_CAP      ((size_t) 128 << 10)
#define MIN_WINDOW   ((size_t) 64 << 10)
#define SHRINK_ABOVE ((size_t) 8 << 20)
#define ZCHUNK       ((size_t) 1 << 30) /* zlib counts in uInt */
/* libdeflate's output buffer: first size, largest (a member that inflates
 * to more goes through zlib), and the size kept between members; the raw
 * buffer grows up to RAW_MAX for a member that is larger than it. */
#define RAW_MAX ((size_t) 4 << 20)
#define DZ_MIN  ((size_t) 1 << 20)
#define DZ_MAX  ((size_t) 8 << 20)
#define DZ_KEEP ((size_t) 1 << 20)

/* ---- source ------------------------------------------------------------ */

static void count_bytes(nd__stream *s)
{
    /* Bytes read again after a resync are not counted twice. */
    if (s->src_off > s->src_max) {
        if (s->bytes_read) *s->bytes_read += s->src_off - s->src_max;
        s->src_max = s->src_off;
    }
}

/* Read up to n source bytes into dst; *got = 0 at the end.  0 or ND_EIO. */
static int src_read(nd__stream *s, unsigned char *dst, size_t n, size_t *got)
{
    *got = 0;
    if (s->fd < 0) {
        size_t left = s->src_off < s->mem_len ? s->mem_len - (size_t) s->src_off : 0;
        size_t k = n < left ? n : left;
        if (k) memcpy(dst, s->mem + s->src_off, k);
        s->src_off += k;
        *got = k;
        count_bytes(s);
        return 0;
    }
    if (n > ZCHUNK) n = ZCHUNK;
    for (;;) {
        ssize_t r = read(s->fd, dst, n);
        if (r < 0) {
            if (errno == EINTR) continue;
            s->err_errno = errno;
            return ND_EIO;
        }
        s->src_off += (uint64_t) r;
        *got = (size_t) r;
        count_bytes(s);
        return 0;
    }
}

static int src_seek(nd__stream *s, uint64_t off)
{
    if (!s->seekable) return -1;
    if (s->fd >= 0 && lseek(s->fd, (off_t) off, SEEK_SET) < 0) return -1;
    s->src_off = off;
    s->src_eof = 0;
    return 0;
}

static void set_err(nd__stream *s, int code, uint64_t coff, const char *what)
{
    if (s->err) return;
    s->err = code;
    s->err_coff = coff;
    s->err_what = what;
}

/* Move what is left of the raw buffer to its start. */
static void raw_compact(nd__stream *s)
{
    if (s->raw_pos > 0) {
        size_t left = s->raw_len - s->raw_pos;
        memmove(s->raw, s->raw + s->raw_pos, left);
        s->raw_off += s->raw_pos;
        s->raw_pos = 0;
        s->raw_len = left;
    }
}

/* Fill the raw buffer after what is left in it. */
static void raw_refill(nd__stream *s)
{
    raw_compact(s);
    if (s->src_eof || s->raw_len == s->raw_cap) return;
    size_t got;
    if (src_read(s, s->raw + s->raw_len, s->raw_cap - s->raw_len, &got)) {
        set_err(s, ND_EIO, s->src_off, "read error");
        return;
    }
    if (!got) s->src_eof = 1;
    s->raw_len += got;
}

/* ---- open / close -------------------------------------------------------- */

static int open_common(nd__stream *s)
{
    s->raw = nd_malloc(RAW_CAP);
    if (!s->raw) return ND_ENOMEM;
    s->raw_cap = RAW_CAP;
    /* Two bytes tell gzip; read until there are two or the input ends. */
    while (s->raw_len < 2 && !s->src_eof && !s->err) raw_refill(s);
    if (s->err == ND_EIO) return ND_EIO;
    if (s->raw_len >= 2 && s->raw[0] == 0x1f && s->raw[1] == 0x8b) {
        if (inflateInit2(&s->z, 15 + 16) != Z_OK) return ND_ENOMEM;
        s->z_ready = 1;
        s->gz = 1;
        return 0;
    }
    /* Plain: what was read goes to the window, the raw buffer is not needed. */
    s->cap = s->raw_len > MIN_WINDOW ? s->raw_len : MIN_WINDOW;
    s->buf = nd_malloc(s->cap);
    if (!s->buf) return ND_ENOMEM;
    memcpy(s->buf, s->raw, s->raw_len);
    s->len = s->raw_len;
    nd_free(s->raw);
    s->raw = NULL;
    s->raw_len = 0;
    return 0;
}

int nd__stream_open_fd(nd__stream *s, int fd, int own_fd, uint64_t *bytes_read)
{
    memset(s, 0, sizeof *s);
    s->fd = fd;
    s->own_fd = own_fd;
    s->bytes_read = bytes_read;
    s->size = UINT64_MAX;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        s->size = (uint64_t) st.st_size;
        off_t at = lseek(fd, 0, SEEK_CUR);
        s->seekable = at == 0;
    }
    return open_common(s);
}

int nd__stream_open_mem(nd__stream *s, const void *mem, size_t len)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->mem = mem;
    s->mem_len = len;
    s->size = len;
    s->seekable = 1;
    return open_common(s);
}

void nd__stream_close(nd__stream *s)
{
    if (s->own_fd && s->fd >= 0) close(s->fd);
    if (s->z_ready) inflateEnd(&s->z);
    if (s->ld) libdeflate_free_decompressor(s->ld);
    nd_free(s->dz);
    nd_free(s->raw);
    nd_free(s->buf);
    nd_free(s->members);
    memset(s, 0, sizeof *s);
    s->fd = -1;
}

/* ---- the window ----------------------------------------------------------- */

/* Room for at least one more byte after len, keeping pos..len.  Grows
 * geometrically up to what the caller needs, so that reading a small page
 * with a large limit does not allocate the limit. */
static int make_room(nd__stream *s, size_t need)
{
    size_t avail = s->len - s->pos;
    if (s->pos > 0 && (s->cap - s->len < MIN_WINDOW / 4 || s->cap - s->pos < need)) {
        memmove(s->buf, s->buf + s->pos, avail);
        s->off += s->pos;
        s->pos = 0;
        s->len = avail;
        if (s->cap > SHRINK_ABOVE && avail < s->cap / 4 && need < s->cap / 4) {
            size_t nc = avail * 2 > need ? avail * 2 : need;
            if (nc < MIN_WINDOW) nc = MIN_WINDOW;
            unsigned char *p = nd_realloc(s->buf, nc);
            if (p) s->buf = p, s->cap = nc;
        }
    }
    if (s->len < s->cap) return 0;
    size_t nc = s->cap ? s->cap * 2 : MIN_WINDOW;
    size_t want = s->pos + need;
    if (want < s->pos) want = SIZE_MAX;
    /* Never less than a useful step: callers may ask for one byte more. */
    if (s->cap && nc > want) nc = want > s->cap + MIN_WINDOW ? want : s->cap + MIN_WINDOW;
    if (nc < MIN_WINDOW) nc = MIN_WINDOW;
    unsigned char *p = nd_realloc(s->buf, nc);
    if (!p) return ND_ENOMEM;
    s->buf = p;
    s->cap = nc;
    return 0;
}

static void plain_step(nd__stream *s)
{
    size_t got;
    if (src_read(s, s->buf + s->len, s->cap - s->len, &got)) {
        set_err(s, ND_EIO, s->src_off, "read error");
        return;
    }
    if (!got) s->eof = 1;
    s->len += got;
}

static void push_member(nd__stream *s, uint64_t uoff, uint64_t coff)
{
    if (s->m_head > 0 && s->m_head * 2 >= s->m_len) {
        memmove(s->members, s->members + s->m_head, (s->m_len - s->m_head) * sizeof *s->members);
        s->m_len -= s->m_head;
        s->m_head = 0;
    }
    if (s->m_len == s->m_cap) {
        size_t nc = s->m_cap ? s->m_cap * 2 : 16;
        struct nd__member *p = nd_realloc(s->members, nc * sizeof *p);
        if (!p) return; /* only offsets degrade: the record is located by its decoded offset */
        s->members = p;
        s->m_cap = nc;
    }
    s->members[s->m_len].uoff = uoff;
    s->members[s->m_len].coff = coff;
    s->m_len++;
}

static void prune_members(nd__stream *s, uint64_t before)
{
    /* Keep the last start at or before `before`: it may be the record's. */
    while (s->m_head + 1 < s->m_len && s->members[s->m_head + 1].uoff <= before) s->m_head++;
}

/* The libdeflate output buffer given back when it grew past DZ_KEEP (it
 * holds nothing the window still needs). */
static void dz_release(nd__stream *s)
{
    if (s->dz_cap <= DZ_KEEP) return;
    nd_free(s->dz);
    s->dz = NULL;
    s->dz_cap = 0;
}

/* Hand what libdeflate inflated to the window, as far as it has room. */
static void dz_drain(nd__stream *s)
{
    size_t k = s->dz_len - s->dz_pos, room = s->cap - s->len;
    if (k > room) k = room;
    memcpy(s->buf + s->len, s->dz + s->dz_pos, k);
    s->len += k;
    s->dz_pos += k;
    if (s->dz_pos == s->dz_len) dz_release(s);
}

/* Move what is left of the raw buffer to its start and fill the rest from
 * the source.  A read error is left for the next raw_refill to report. */
static void raw_top_up(nd__stream *s)
{
    raw_compact(s);
    size_t got;
    if (s->raw_len < s->raw_cap &&
        src_read(s, s->raw + s->raw_len, s->raw_cap - s->raw_len, &got) == 0) {
        if (!got) s->src_eof = 1;
        s->raw_len += got;
    }
}

/* At the start of a member: inflate it whole with libdeflate when it is
 * whole in the raw buffer and inflates to at most DZ_MAX bytes.  1 when
 * done (raw_pos after the member, its bytes in dz); 0 when zlib is to read
 * it (nothing consumed): too large, cut short or corrupt, where zlib gives
 * the bytes before the fault and the error as it always has.  The raw
 * buffer is topped up (and grown, for a member larger than it) only from a
 * file or memory, never from a pipe, whose read could wait for bytes the
 * member does not need. */
static int whole_member(nd__stream *s)
{
    int file = s->size != UINT64_MAX;
    if (file && !s->src_eof && s->raw_len - s->raw_pos < s->raw_cap / 2) raw_top_up(s);
    if (!s->ld && !(s->ld = libdeflate_alloc_decompressor())) return 0;
    for (;;) {
        if (!s->dz) {
            s->dz = nd_malloc(DZ_MIN);
            if (!s->dz) return 0;
            s->dz_cap = DZ_MIN;
        }
        size_t in_n = 0, out_n = 0;
        enum libdeflate_result r = libdeflate_gzip_decompress_ex(
            s->ld, s->raw + s->raw_pos, s->raw_len - s->raw_pos, s->dz, s->dz_cap, &in_n, &out_n);
        if (r == LIBDEFLATE_SUCCESS) {
            s->raw_pos += in_n;
            s->dz_pos = 0;
            s->dz_len = out_n;
            return 1;
        }
        if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
            if (s->dz_cap >= DZ_MAX) return 0;
            size_t nc = s->dz_cap * 4 < DZ_MAX ? s->dz_cap * 4 : DZ_MAX;
            unsigned char *p = nd_realloc(s->dz, nc);
            if (!p) return 0;
            s->dz = p;
            s->dz_cap = nc;
            continue;
        }
        /* The member may go on past the raw buffer: fill it, then grow it. */
        if (!file || s->src_eof) return 0;
        if (s->raw_len == s->raw_cap && s->raw_pos == 0) {
            if (s->raw_cap >= RAW_MAX) return 0;
            unsigned char *p = nd_realloc(s->raw, s->raw_cap * 4);
            if (!p) return 0;
            s->raw = p;
            s->raw_cap *= 4;
        }
        uint64_t before = s->raw_off + s->raw_len;
        raw_top_up(s);
        if (s->raw_off + s->raw_len == before && !s->src_eof) return 0; /* a read error */
    }
}

static void gz_step(nd__stream *s)
{
    if (s->dz_pos < s->dz_len) {
        dz_drain(s);
        return;
    }
    if (s->raw_pos == s->raw_len || (!s->in_member && s->raw_len - s->raw_pos < 2)) {
        raw_refill(s);
        if (s->err) return;
    }
    if (!s->in_member) {
        /* Between members: NUL padding is allowed, anything else is not gzip. */
        while (s->raw_pos < s->raw_len && s->raw[s->raw_pos] == 0) s->raw_pos++;
        if (s->raw_pos == s->raw_len) {
            if (s->src_eof) s->eof = 1;
            return;
        }
        if (s->raw_len - s->raw_pos < 2 && !s->src_eof) return; /* refill next time */
        if (s->raw_len - s->raw_pos < 2 || s->raw[s->raw_pos] != 0x1f ||
            s->raw[s->raw_pos + 1] != 0x8b) {
            set_err(s, ND_EGZIP, s->raw_off + s->raw_pos, "data after a gzip member is not gzip");
            return;
        }
        s->member_coff = s->raw_off + s->raw_pos;
        push_member(s, s->off + s->len, s->member_coff);
        if (whole_member(s)) {
            dz_drain(s);
            return;
        }
        dz_release(s); /* grown for a member that zlib reads */
        inflateReset(&s->z);
        s->in_member = 1;
    }
    size_t room = s->cap - s->len;
    if (room > ZCHUNK) room = ZCHUNK;
    s->z.next_in = s->raw + s->raw_pos;
    s->z.avail_in = (uInt) (s->raw_len - s->raw_pos);
    s->z.next_out = s->buf + s->len;
    s->z.avail_out = (uInt) room;
    int rc = inflate(&s->z, Z_NO_FLUSH);
    s->raw_pos = s->raw_len - s->z.avail_in;
    s->len += room - s->z.avail_out;
    switch (rc) {
    case Z_STREAM_END: s->in_member = 0; break;
    case Z_OK: break;
    case Z_BUF_ERROR:
        /* No progress: more input is needed.  At the end of the source the
         * member is cut short. */
        if (s->src_eof && s->raw_pos == s->raw_len)
            set_err(s, ND_ETRUNCATED, s->member_coff, "gzip data ends in the middle of a member");
        break;
    case Z_MEM_ERROR: set_err(s, ND_ENOMEM, s->member_coff, "out of memory"); break;
    default: set_err(s, ND_EGZIP, s->member_coff, s->z.msg ? s->z.msg : "corrupt data"); break;
    }
}

/* Read until need bytes are available, or (some) until any byte more
 * than `had` is; the end and an error stop it either way. */
static size_t fill(nd__stream *s, size_t need, int some)
{
    size_t had = s->len - s->pos;
    while (s->len - s->pos < need && !(some && s->len - s->pos > had) && !s->eof && !s->err) {
        if (make_room(s, need)) {
            set_err(s, ND_ENOMEM, s->member_coff, "out of memory");
            break;
        }
        if (s->gz) {
            prune_members(s, s->off + s->pos);
            gz_step(s);
        } else {
            plain_step(s);
        }
    }
    return s->len - s->pos;
}

size_t nd__stream_fill(nd__stream *s, size_t need)
{
    return fill(s, need, 0);
}

size_t nd__stream_fill_some(nd__stream *s, size_t need)
{
    return fill(s, need, 1);
}

void nd__stream_consume(nd__stream *s, size_t n)
{
    size_t avail = s->len - s->pos;
    s->pos += n < avail ? n : avail;
}

uint64_t nd__stream_skip(nd__stream *s, uint64_t n)
{
    uint64_t done = 0;
    size_t avail = s->len - s->pos;
    size_t k = n < avail ? (size_t) n : avail;
    s->pos += k;
    done += k;
    /* A plain regular file: seek over the rest, when the file has it. */
    if (done < n && !s->gz && s->fd >= 0 && s->seekable && s->size != UINT64_MAX) {
        uint64_t want = n - done;
        uint64_t left = s->size > s->src_off ? s->size - s->src_off : 0;
        uint64_t step = want < left ? want : left;
        if (step > (uint64_t) 1 << 20 && src_seek(s, s->src_off + step) == 0) {
            s->off += s->len + step;
            s->pos = s->len = 0;
            done += step;
            if (s->bytes_read) *s->bytes_read += step;
            s->src_max = s->src_off;
        }
    }
    while (done < n) {
        s->off += s->pos;
        s->pos = s->len = 0;
        uint64_t want = n - done;
        size_t ask = want < MIN_WINDOW ? (size_t) want : MIN_WINDOW;
        size_t got = nd__stream_fill(s, ask);
        if (!got) break;
        k = got < want ? got : (size_t) want;
        s->pos += k;
        done += k;
    }
    return done;
}

int nd__stream_member_at(nd__stream *s, uint64_t uoff, uint64_t *coff)
{
    if (!s->gz) return 0;
    prune_members(s, uoff);
    for (size_t i = s->m_head; i < s->m_len && s->members[i].uoff <= uoff; i++) {
        if (s->members[i].uoff == uoff) {
            /* Several empty members may start at the same place: the last. */
            while (i + 1 < s->m_len && s->members[i + 1].uoff == uoff) i++;
            *coff = s->members[i].coff;
            return 1;
        }
    }
    return 0;
}

void nd__stream_resync(nd__stream *s)
{
    int code = s->err;
    s->off += s->len;
    s->pos = s->len = 0;
    s->dz_pos = s->dz_len = 0;
    s->m_head = s->m_len = 0;
    s->err = 0;
    s->err_what = NULL;
    if (code != ND_EGZIP || !s->gz) {
        s->eof = 1;
        return;
    }
    s->in_member = 0;
    /* Scan from just after the start of the member that failed: a member
     * cut short may be followed at once by a good one. */
    uint64_t from = s->err_coff + 1;
    if (from >= s->raw_off && from <= s->raw_off + s->raw_len) {
        s->raw_pos = (size_t) (from - s->raw_off);
    } else if (src_seek(s, from) == 0) {
        s->raw_off = from;
        s->raw_pos = s->raw_len = 0;
    } /* else: not seekable and gone; scan on from where zlib stopped */
    for (;;) {
        for (size_t i = s->raw_pos; i + 3 < s->raw_len; i++) {
            /* gzip magic, method deflate, reserved flag bits clear */
            if (s->raw[i] == 0x1f && s->raw[i + 1] == 0x8b && s->raw[i + 2] == 8 &&
                (s->raw[i + 3] & 0xe0) == 0) {
                s->raw_pos = i;
                return;
            }
        }
        if (s->raw_len - s->raw_pos > 3) s->raw_pos = s->raw_len - 3;
        if (s->src_eof) {
            s->raw_pos = s->raw_len;
            s->eof = 1;
            return;
        }
        raw_refill(s);
        if (s->err) {
            s->err = 0;
            s->eof = 1;
            return;
        }
    }
}

const char *nd__stream_errstr(const nd__stream *s, char *tmp, size_t n)
{
    switch (s->err) {
    case ND_EIO: snprintf(tmp, n, "read error: %s", strerror(s->err_errno)); break;
    case ND_EGZIP:
        snprintf(tmp, n, "corrupt gzip data: %s", s->err_what ? s->err_what : "bad member");
        break;
    case ND_ETRUNCATED: snprintf(tmp, n, "truncated gzip data"); break;
    default: snprintf(tmp, n, "%s", nd_strerror(s->err)); break;
    }
    return tmp;
}
