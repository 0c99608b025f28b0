/* error.c - the error table and nd_error helpers. */
#include "newsdesk/base.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

const char *nd_strerror(int code)
{
    switch (code) {
    case ND_OK: return "success";
#define ND__ERRSTR(name, msg)                                                                      \
    case ND_E##name: return msg;
        ND_ERRNO_MAP(ND__ERRSTR)
#undef ND__ERRSTR
    default: return "unknown error";
    }
}

const char *nd_errname(int code)
{
    switch (code) {
    case ND_OK: return "ND_OK";
#define ND__ERRNAME(name, msg)                                                                     \
    case ND_E##name: return "ND_E" #name;
        ND_ERRNO_MAP(ND__ERRNAME)
#undef ND__ERRNAME
    default: return "ND_EUNKNOWN";
    }
}

int nd_error_set(nd_error *err, int code, size_t pos, const char *fmt, ...)
{
    if (err) {
        err->code = code;
        err->pos = pos;
        if (fmt) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err->msg, sizeof err->msg, fmt, ap);
            va_end(ap);
        } else {
            snprintf(err->msg, sizeof err->msg, "%s", nd_strerror(code));
        }
        /* Messages are one line: fold any newline a caller passed in. */
        for (char *p = err->msg; *p; p++)
            if (*p == '\n' || *p == '\r') *p = ' ';
    }
    return code;
}

const char *nd_path_strerror(const char *path, int errnum)
{
    switch (errnum) {
    case ENOENT:
        /* Someone gave a page's address: say what newsdesk reads. */
        if (path && (strstr(path, "://") || !strncmp(path, "www.", 4)))
            return "no such file: newsdesk reads files, folders, WARC and JSON lines and does"
                   " not fetch pages (save the page, then give its file)";
        return "no such file";
    case ENOTDIR: return "no such file (a part of the path is not a folder)";
    case EACCES:
    case EPERM: return "permission denied";
    case EISDIR: return "is a folder";
    case ELOOP: return "too many levels of symbolic links";
    case ENAMETOOLONG: return "name too long";
    case EMFILE:
    case ENFILE: return "too many open files";
    default: return strerror(errnum);
    }
}
