/* version.c */
#include "newsdesk/newsdesk.h"

const char *nd_version(void)
{
    return "0.1.0";
}
