/* error.c - the error table and nd_error helpers. */
#include "newsdesk/base.h"

#include <stdio.h>

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
