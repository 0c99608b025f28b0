/* labels.c - names of the UD part-of-speech tags and dependency relations. */
#include "newsdesk/parse.h"

#include <string.h>

static const char *const upos_names[] = {
#define ND__UPOSNAME(e, s) s,
    ND_UPOS_MAP(ND__UPOSNAME)
#undef ND__UPOSNAME
};

static const char *const deprel_names[] = {
#define ND__DEPNAME(e, s) s,
    ND_DEPREL_MAP(ND__DEPNAME)
#undef ND__DEPNAME
};

const char *nd_upos_name(int upos)
{
    return upos > 0 && upos < ND_UPOS_COUNT ? upos_names[upos] : "_";
}

const char *nd_deprel_name(int deprel)
{
    return deprel > 0 && deprel < ND_DEP_COUNT ? deprel_names[deprel] : "_";
}

static int find(const char *const *names, int count, const char *s, size_t n)
{
    for (int i = 1; i < count; i++)
        if (strlen(names[i]) == n && !memcmp(names[i], s, n)) return i;
    return 0;
}

int nd_upos_from_name(const char *s, size_t n)
{
    return s ? find(upos_names, ND_UPOS_COUNT, s, n) : 0;
}

int nd_deprel_from_name(const char *s, size_t n)
{
    if (!s) return 0;
    int d = find(deprel_names, ND_DEP_COUNT, s, n);
    if (d) return d;
    const char *colon = memchr(s, ':', n);
    return colon ? find(deprel_names, ND_DEP_COUNT, s, (size_t) (colon - s)) : 0;
}

int nd_deprel_base(int deprel)
{
    if (deprel <= 0 || deprel >= ND_DEP_COUNT) return 0;
    const char *s = deprel_names[deprel];
    const char *colon = strchr(s, ':');
    return colon ? find(deprel_names, ND_DEP_COUNT, s, (size_t) (colon - s)) : deprel;
}
