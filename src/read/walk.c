/* walk.c - the paths a user gave -> the files to read.
 *
 * Folders are walked depth first in byte order of the names, one folder
 * listing at a time (memory grows with the depth and width of the tree,
 * not with the number of files).  Names starting with '.' are skipped.
 * A file listed and gone before it is reached is an error of that file.
 * Symbolic links met inside folders are skipped unless follow_symlinks is
 * set; then each folder is entered at most once (by device and inode), so
 * a link loop cannot make the walk endless.  Paths given by name are always
 * followed.  Inside folders only regular files are read: a FIFO there could
 * block the reader for ever. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "read/read_int.h"

int nd__walk_init(nd__walk *w, const char *const *paths, size_t n, int follow_symlinks)
{
    memset(w, 0, sizeof *w);
    w->follow = follow_symlinks;
    w->roots = nd_calloc(n ? n : 1, sizeof *w->roots);
    if (!w->roots) return ND_ENOMEM;
    w->n_roots = n;
    for (size_t i = 0; i < n; i++) {
        const char *p = paths[i] ? paths[i] : "";
        w->roots[i] = nd_strndup(p, strlen(p));
        if (!w->roots[i]) return ND_ENOMEM;
    }
    return 0;
}

static void frame_free(nd__walk_frame *f)
{
    for (size_t i = 0; i < f->n; i++) nd_free(f->names[i]);
    nd_free(f->names);
    nd_free(f->dir);
}

void nd__walk_free(nd__walk *w)
{
    if (!w) return;
    for (size_t i = 0; i < w->n_roots; i++) nd_free(w->roots ? w->roots[i] : NULL);
    nd_free(w->roots);
    for (size_t i = 0; i < w->n_frames; i++) frame_free(&w->frames[i]);
    nd_free(w->frames);
    nd_free(w->seen);
    nd_buf_free(&w->path);
    memset(w, 0, sizeof *w);
}

/* ---- folders seen (open addressing on device and inode) ---------------- */

static size_t dir_hash(dev_t dev, ino_t ino, size_t cap)
{
    uint64_t h = (uint64_t) ino * 0x9E3779B97F4A7C15ull ^ (uint64_t) dev * 0xC2B2AE3D27D4EB4Full;
    return (size_t) (h ^ (h >> 29)) & (cap - 1);
}

/* 1 when the folder was seen before, 0 when added now, ND_ENOMEM. */
static int seen_add(nd__walk *w, dev_t dev, ino_t ino)
{
    if ((w->n_seen + 1) * 2 > w->cap_seen) {
        size_t nc = w->cap_seen ? w->cap_seen * 2 : 64;
        struct nd__dirid *t = nd_malloc(nc * sizeof *t);
        if (!t) return ND_ENOMEM;
        for (size_t i = 0; i < nc; i++) t[i].ino = 0, t[i].dev = 0;
        for (size_t i = 0; i < w->cap_seen; i++) {
            struct nd__dirid e = w->seen[i];
            if (!e.ino && !e.dev) continue;
            size_t k = dir_hash(e.dev, e.ino, nc);
            while (t[k].ino || t[k].dev) k = (k + 1) & (nc - 1);
            t[k] = e;
        }
        nd_free(w->seen);
        w->seen = t;
        w->cap_seen = nc;
    }
    size_t k = dir_hash(dev, ino, w->cap_seen);
    while (w->seen[k].ino || w->seen[k].dev) {
        if (w->seen[k].ino == ino && w->seen[k].dev == dev) return 1;
        k = (k + 1) & (w->cap_seen - 1);
    }
    w->seen[k].dev = dev;
    w->seen[k].ino = ino;
    w->n_seen++;
    return 0;
}

/* ---- listing ------------------------------------------------------------- */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static int push_dir(nd__walk *w, const char *dir, nd_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return nd_error_set(err, ND_EIO, (size_t) -1, "%s: cannot open folder: %s", dir,
                            nd_path_strerror(dir, errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue; /* ".", ".." and hidden entries */
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 32;
            char **p = nd_realloc(names, nc * sizeof *p);
            if (!p) {
                rc = ND_ENOMEM;
                break;
            }
            names = p;
            cap = nc;
        }
        names[n] = nd_strndup(e->d_name, strlen(e->d_name));
        if (!names[n]) {
            rc = ND_ENOMEM;
            break;
        }
        n++;
        errno = 0;
    }
    if (!rc && errno) rc = ND_EIO;
    int saved = errno;
    closedir(d);
    if (!rc && w->n_frames == w->cap_frames) {
        size_t nc = w->cap_frames ? w->cap_frames * 2 : 8;
        nd__walk_frame *p = nd_realloc(w->frames, nc * sizeof *p);
        if (!p)
            rc = ND_ENOMEM;
        else
            w->frames = p, w->cap_frames = nc;
    }
    char *dcopy = rc ? NULL : nd_strndup(dir, strlen(dir));
    if (!rc && !dcopy) rc = ND_ENOMEM;
    if (rc) {
        for (size_t i = 0; i < n; i++) nd_free(names[i]);
        nd_free(names);
        if (rc == ND_ENOMEM) return nd_error_set(err, rc, (size_t) -1, "%s: out of memory", dir);
        return nd_error_set(err, rc, (size_t) -1, "%s: cannot read folder: %s", dir,
                            strerror(saved));
    }
    if (n > 1) qsort(names, n, sizeof *names, cmp_names);
    nd__walk_frame *f = &w->frames[w->n_frames++];
    f->dir = dcopy;
    f->names = names;
    f->n = n;
    f->i = 0;
    return 0;
}

int nd__walk_next(nd__walk *w, const char **path, struct stat *st, int *walked, nd_error *err)
{
    for (;;) {
        if (w->n_frames > 0) {
            nd__walk_frame *f = &w->frames[w->n_frames - 1];
            if (f->i == f->n) {
                frame_free(f);
                w->n_frames--;
                continue;
            }
            const char *name = f->names[f->i++];
            nd_buf_clear(&w->path);
            nd_buf_puts(&w->path, f->dir);
            if (w->path.len && w->path.ptr[w->path.len - 1] != '/') nd_buf_putc(&w->path, '/');
            nd_buf_puts(&w->path, name);
            if (nd_buf_failed(&w->path))
                return nd_error_set(err, ND_ENOMEM, (size_t) -1, "%s: out of memory", f->dir);
            const char *p = w->path.ptr;
            /* Gone since the listing: deleted during the run, an error
             * of that file (not a silent skip). */
            if (lstat(p, st) != 0)
                return nd_error_set(err, ND_EIO, (size_t) -1, "%s: %s (deleted during the run?)", p,
                                    nd_path_strerror(p, errno));
            if (S_ISLNK(st->st_mode)) {
                if (!w->follow || stat(p, st) != 0) { /* not followed, or dangling */
                    w->links_skipped++;
                    continue;
                }
            }
            if (S_ISDIR(st->st_mode)) {
                int seen = seen_add(w, st->st_dev, st->st_ino);
                if (seen < 0) return nd_error_set(err, seen, (size_t) -1, "%s: out of memory", p);
                if (seen) continue;
                int rc = push_dir(w, p, err);
                if (rc) return rc;
                continue;
            }
            if (!S_ISREG(st->st_mode)) continue;
            *path = p;
            *walked = 1;
            return 1;
        }
        if (w->root_i == w->n_roots) return 0;
        const char *root = w->roots[w->root_i++];
        *walked = 0;
        if (strcmp(root, "-") == 0) {
            memset(st, 0, sizeof *st);
            *path = root;
            return 1;
        }
        if (stat(root, st) != 0)
            return nd_error_set(err, ND_EIO, (size_t) -1, "%s: %s", root,
                                nd_path_strerror(root, errno));
        if (S_ISDIR(st->st_mode)) {
            int seen = seen_add(w, st->st_dev, st->st_ino);
            if (seen < 0) return nd_error_set(err, seen, (size_t) -1, "%s: out of memory", root);
            if (seen) continue; /* the same folder given twice */
            int rc = push_dir(w, root, err);
            if (rc) return rc;
            continue;
        }
        if (S_ISREG(st->st_mode) || S_ISFIFO(st->st_mode) || S_ISCHR(st->st_mode)) {
            *path = root;
            return 1;
        }
        return nd_error_set(err, ND_EFORMAT, (size_t) -1, "%s: not a file or folder", root);
    }
}

/* ---- names not worth reading inside folders ---------------------------- */

int nd__walk_skip_name(const char *name)
{
    static const char *const skip[] = {
        /* page assets */
        "css", "js", "mjs", "map", "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "bmp",
        "tif", "tiff", "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4", "m4a", "webm", "ogg",
        "ogv", "wav", "avi", "mov", "flv", "swf", "pdf", "zip", "7z", "rar", "tar", "bz2", "xz",
        "zst", "exe", "dll", "so", "o", "a", "class", "jar", "wasm", "doc", "docx", "xls", "xlsx",
        "ppt", "pptx", "odt",
        /* crawl indexes and databases (a WARC's .cdx, the store itself) */
        "cdx", "cdxj", "idx", "db", "db-wal", "db-shm", "sqlite", "sqlite3", "wal", "shm",
        /* one JSON document is metadata, not a page (JSON lines are .jsonl) */
        "json"};
    /* A folder's own documentation is not a crawled page. */
    static const char *const docs[] = {"README",    "LICENSE", "LICENCE", "COPYING",
                                       "CHANGELOG", "NOTICE",  "AUTHORS"};
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++)
        if (strncmp(name, docs[i], strlen(docs[i])) == 0 &&
            (name[strlen(docs[i])] == 0 || name[strlen(docs[i])] == '.'))
            return 1;
    size_t n = strlen(name);
    if (n > 3 && strcmp(name + n - 3, ".gz") == 0) n -= 3;
    const char *dot = NULL;
    for (size_t i = n; i > 0; i--)
        if (name[i - 1] == '.') {
            dot = name + i;
            break;
        }
    if (!dot) return 0;
    size_t el = (size_t) (name + n - dot);
    for (size_t i = 0; i < sizeof skip / sizeof *skip; i++) {
        size_t k = strlen(skip[i]);
        if (k != el) continue;
        size_t j = 0;
        while (j < k && (dot[j] | 0x20) == skip[i][j]) j++;
        if (j == k) return 1;
    }
    return 0;
}
