/* prep.c - a document's features and duplicate sketch computed apart from
 * the engine (nd_cluster_prepare), on the threads that read the pages, so
 * that the engine's thread only decides (nd_cluster_add_prepared). */
#include "cluster/cluster_int.h"

#include <string.h>

struct nd_cluster_fx {
    nd__fx fx;
    uint64_t params;
};

nd_cluster_fx *nd_cluster_fx_new(const nd_cluster_params *p, nd_error *err)
{
    nd_cluster_params q;
    if (p)
        q = *p;
    else
        nd_cluster_params_default(&q);
    nd__cluster_sanitize(&q);
    nd_cluster_fx *fx = nd_calloc(1, sizeof *fx);
    if (!fx) {
        nd_error_set(err, ND_ENOMEM, (size_t) -1, "cluster: out of memory");
        return NULL;
    }
    if (nd__fx_init(&fx->fx, &q)) {
        nd_error_set(err, ND_ENOMEM, (size_t) -1,
                     "cluster: cannot create the Snowball 'english' stemmer");
        nd_free(fx);
        return NULL;
    }
    fx->params = nd__cluster_params_hash(&q);
    return fx;
}

void nd_cluster_fx_free(nd_cluster_fx *fx)
{
    if (!fx) return;
    nd__fx_free(&fx->fx);
    nd_free(fx);
}

int nd_cluster_prepare(nd_cluster_fx *fx, const nd_cluster_doc *doc, nd_cluster_prep **out)
{
    *out = NULL;
    if (!fx || !doc) return ND_EINVAL;
    nd_cluster_prep *pr = nd_calloc(1, sizeof *pr);
    if (!pr) return ND_ENOMEM;
    nd__feat *f;
    uint32_t n;
    if (nd__fx_doc(&fx->fx, doc->title, doc->title_len, doc->text, doc->text_len, doc->published,
                   &f, &n, &pr->p.sk)) {
        nd_free(pr);
        return ND_ENOMEM;
    }
    pr->p.raw = nd_malloc((size_t) (n ? n : 1) * sizeof *f);
    if (!pr->p.raw) {
        nd_free(pr);
        return ND_ENOMEM;
    }
    if (n) memcpy(pr->p.raw, f, (size_t) n * sizeof *f);
    pr->p.n_raw = n;
    pr->p.params = fx->params;
    *out = pr;
    return 0;
}

void nd_cluster_prep_free(nd_cluster_prep *p)
{
    if (!p) return;
    nd_free(p->p.raw);
    nd_free(p);
}
