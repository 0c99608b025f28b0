/* analyze.c - the analysis driver: stages, results, JSON. */
#include "analyze/analyze_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk/extract.h"

const char *nd_actor_kind_name(int kind)
{
    switch (kind) {
    case ND_ACTOR_PERSON: return "person";
    case ND_ACTOR_COUNTRY: return "country";
    case ND_ACTOR_ORG: return "org";
    case ND_ACTOR_GROUP: return "group";
    case ND_ACTOR_REGION: return "region";
    case ND_ACTOR_AGENT: return "agent";
    case ND_ACTOR_PLACE: return "place";
    case ND_ACTOR_OTHER: return "other";
    default: return "unknown";
    }
}

const char *nd_quote_type_name(int type)
{
    switch (type) {
    case ND_QUOTE_DIRECT: return "direct";
    case ND_QUOTE_PARTIAL: return "partial";
    case ND_QUOTE_INDIRECT: return "indirect";
    default: return "unknown";
    }
}

void nd_analyze_opts_init(nd_analyze_opts *o)
{
    memset(o, 0, sizeof *o);
}

void nd_analysis_free(nd_analysis *a)
{
    if (!a) return;
    nd_arena_free(a->arena);
}

/* Cut an over-long text at a paragraph or sentence break before max. */
static size_t cut_at(const char *t, size_t len, size_t max)
{
    if (len <= max) return len;
    for (size_t i = max; i > max / 2; i--)
        if (t[i - 1] == '\n' && i >= 2 && t[i - 2] == '\n') return i;
    for (size_t i = max; i > max / 2; i--)
        if (t[i - 1] == ' ' && i >= 2 && t[i - 2] == '.') return i;
    /* never cut inside a UTF-8 sequence */
    size_t i = max;
    while (i > 0 && ((unsigned char) t[i] & 0xC0) == 0x80) i--;
    return i;
}

/* Keep the sentences that fit in ND_ANALYZE_MAX_TOKENS (at least one). */
static void cut_sentences(nd__doc *d, nd_analysis *a)
{
    if (d->n_toks <= ND_ANALYZE_MAX_TOKENS) return;
    size_t s = 1;
    while (s < d->n_sents && d->sent_t1[s] <= ND_ANALYZE_MAX_TOKENS) s++;
    d->n_sents = s;
    d->n_toks = d->sent_t1[s - 1];
    d->len = d->sents[s - 1].end;
    a->text_len = d->len;
    a->truncated = 1;
}

static char *span_dup(nd_arena *ar, const char *text, nd_span s)
{
    return nd_arena_strndup(ar, text + s.start, s.end - s.start);
}

/* Quoted text without the outer marks, fragments joined. */
static const char *quote_text(nd__doc *d, const nd__wquote *q)
{
    nd_buf b = ND_BUF_INIT;
    for (int i = 0; i < q->n_content; i++) {
        uint32_t s = q->c_start[i], e = q->c_end[i];
        if (q->type != ND_QUOTE_INDIRECT) {
            /* strip one mark at each end (and the space inside) */
            size_t k = s;
            while (k < e) {
                nd_token tk;
                size_t got = nd_tokenize(d->text + k, e - k, &tk, 1, NULL);
                if (!got || !(tk.flags & ND_TOKF_QUOTE) || tk.off != 0) break;
                k += tk.len;
                if (d->text[s] == '\'' && k < e && d->text[k] == '\'') k++; /* '' */
                break;
            }
            s = (uint32_t) k;
            /* a trailing mark */
            const unsigned char *p = (const unsigned char *) d->text;
            if (e >= s + 2 && p[e - 1] == '\'' && p[e - 2] == '\'')
                e -= 2;
            else if (e > s && (p[e - 1] == '"' || p[e - 1] == '\''))
                e--;
            else if (e >= s + 3 && p[e - 3] == 0xE2 && p[e - 2] == 0x80 &&
                     (p[e - 1] == 0x9D || p[e - 1] == 0x99 || p[e - 1] == 0x9C || p[e - 1] == 0x98))
                e -= 3;
            else if (e >= s + 2 && p[e - 2] == 0xC2 && (p[e - 1] == 0xBB || p[e - 1] == 0xAB))
                e -= 2;
        }
        nd_slice sl = nd_slice_trim((nd_slice){d->text + s, e - s});
        if (i) nd_buf_puts(&b, q->type == ND_QUOTE_PARTIAL ? " ... " : " ");
        nd_buf_append(&b, sl.ptr, sl.len);
    }
    if (nd_buf_failed(&b)) {
        nd_buf_free(&b);
        return NULL;
    }
    const char *r = nd_arena_strndup(d->ar, b.ptr ? b.ptr : "", b.len);
    nd_buf_free(&b);
    return r;
}

static int cmp_u32pair(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : (x[1] < y[1] ? -1 : x[1] > y[1]);
}

/* How specific a CAMEO code is: longer codes, then codes that are not
 * their level's "not specified below" (a last digit 0). */
static int code_rank(const char *c)
{
    size_t n = strlen(c);
    return (int) n * 2 + (n && c[n - 1] != '0');
}

/* Two reports of one action: same coded dyad, same CAMEO root, and a day
 * that agrees (a day the text does not name is the article's, and agrees
 * with any day the text names). */
static int same_action(const nd__doc *d, const nd__wevent *x, int32_t xday, const nd__wevent *y)
{
    if (strcmp(x->src_code, y->src_code) || strcmp(x->tgt_code, y->tgt_code)) return 0;
    if (x->code[0] != y->code[0] || x->code[1] != y->code[1]) return 0;
    return xday == y->day || xday == d->day || y->day == d->day;
}

/* The working events become the document's events: the mentions of one
 * action are one event (in the order of its first mention), coded with
 * the most specific code among them and dated by the day the text names. */
static int merge_events(nd__doc *d, nd_analysis *a, const int32_t *remap)
{
    nd_arena *ar = d->ar;
    size_t nw = d->n_events;
    a->events = nd_arena_calloc(ar, nw ? nw : 1, sizeof *a->events);
    int32_t *of = nd_arena_alloc(ar, (nw ? nw : 1) * sizeof *of);        /* event of each mention */
    uint32_t *first = nd_arena_alloc(ar, (nw ? nw : 1) * sizeof *first); /* its first mention */
    int32_t *day = nd_arena_alloc(ar, (nw ? nw : 1) * sizeof *day);
    if (!a->events || !of || !first || !day) return ND_ENOMEM;
    size_t ne = 0;
    for (size_t i = 0; i < nw; i++) {
        const nd__wevent *w = &d->events[i];
        size_t k = 0;
        while (k < ne && !same_action(d, &d->events[first[k]], day[k], w)) k++;
        of[i] = (int32_t) k;
        if (k == ne) {
            first[ne] = (uint32_t) i;
            day[ne] = w->day;
            a->events[ne++].n_mentions = 1;
            continue;
        }
        /* the same verb of the same sentence found twice (two paths to
         * one dyad) is one mention */
        size_t j = 0;
        while (j < i &&
               !(of[j] == (int32_t) k && d->events[j].sent == w->sent &&
                 d->events[j].verb.start == w->verb.start && d->events[j].verb.end == w->verb.end))
            j++;
        if (j < i)
            of[i] = -1;
        else
            a->events[k].n_mentions++;
        if (day[k] == d->day) day[k] = w->day;
        nd__wevent *f = &d->events[first[k]];
        if (code_rank(w->code) > code_rank(f->code)) {
            /* the more specific code names the event (the first mention's
             * sentence stays its evidence) */
            memcpy(f->code, w->code, sizeof f->code);
            f->negated = w->negated;
        }
    }
    for (size_t k = 0; k < ne; k++) {
        nd_event *o = &a->events[k];
        o->mentions = nd_arena_alloc(ar, o->n_mentions * sizeof *o->mentions);
        if (!o->mentions) return ND_ENOMEM;
        o->n_mentions = 0;
    }
    for (size_t i = 0; i < nw; i++) {
        const nd__wevent *w = &d->events[i];
        if (of[i] < 0) continue;
        nd_event *o = &a->events[of[i]];
        nd_event_mention *m = &o->mentions[o->n_mentions++];
        m->sentence = d->sents[w->sent];
        m->verb = w->verb;
        m->sentence_index = w->sent;
    }
    for (size_t k = 0; k < ne; k++) {
        const nd__wevent *w = &d->events[first[k]];
        nd_event *o = &a->events[k];
        const char *name = NULL;
        double g = 0;
        int quad = 0;
        if (nd_cameo_lookup(d->dict, w->code, &name, &g, &quad)) {
            /* a code the table does not know: its quad from the root */
            int root = atoi((char[3]){w->code[0], w->code[1], 0});
            quad = root <= 5 ? 1 : root <= 9 ? 2 : root <= 14 ? 3 : 4;
        }
        o->source_code = nd_arena_strndup(ar, w->src_code, strlen(w->src_code));
        o->target_code = nd_arena_strndup(ar, w->tgt_code, strlen(w->tgt_code));
        o->source = remap[w->src];
        o->target = remap[w->tgt];
        snprintf(o->code, sizeof o->code, "%s", w->code);
        o->code_name = name;
        o->goldstein = g;
        o->quad = quad;
        o->sentence = o->mentions[0].sentence;
        o->verb = o->mentions[0].verb;
        o->sentence_index = o->mentions[0].sentence_index;
        o->negated = w->negated;
        if (day[k] != ND__DAY_MIN) {
            int y, mo, dd;
            nd__civil_from_days(day[k], &y, &mo, &dd);
            o->date = nd_arena_printf(ar, "%04d-%02d-%02d", y, mo, dd);
        }
    }
    a->n_events = ne;
    return 0;
}

/* The public records of working quotations src[0..nq) in text order:
 * *out (in the arena), *n_out. */
static int out_quotes(nd__doc *d, nd_analysis *a, const int32_t *remap, nd__wquote *src, size_t nq,
                      nd_quote **out, size_t *n_out)
{
    nd_arena *ar = d->ar;
    nd_quote *res = nd_arena_calloc(ar, nq ? nq : 1, sizeof *res);
    uint32_t *qo = nd_arena_alloc(ar, (nq + 1) * 2 * sizeof *qo);
    if (!res || !qo) return ND_ENOMEM;
    for (size_t i = 0; i < nq; i++) qo[i * 2] = src[i].c_start[0], qo[i * 2 + 1] = (uint32_t) i;
    qsort(qo, nq, 2 * sizeof *qo, cmp_u32pair);
    size_t nqo = 0;
    for (size_t j = 0; j < nq; j++) {
        nd__wquote *q = &src[qo[j * 2 + 1]];
        if (!q->n_content) continue;
        nd_quote *o = &res[nqo++];
        o->type = q->type;
        o->scare = q->scare;
        o->text = quote_text(d, q);
        o->content = nd_arena_alloc(ar, (size_t) q->n_content * sizeof *o->content);
        if (!o->text || !o->content) return ND_ENOMEM;
        for (int c = 0; c < q->n_content; c++)
            o->content[c].start = q->c_start[c], o->content[c].end = q->c_end[c];
        o->n_content = (size_t) q->n_content;
        o->clause = q->clause;
        o->source = q->source;
        o->cue = q->cue;
        o->cue_lemma = q->cue_lemma;
        o->speaker = q->speaker >= 0 ? remap[q->speaker] : -1;
        o->speaker_name = o->speaker >= 0 ? a->actors[o->speaker].name : q->speaker_text;
        /* a group of people keeps the words that name it ("senior officials") */
        if (o->speaker >= 0 && a->actors[o->speaker].kind == ND_ACTOR_AGENT && q->speaker_text)
            o->speaker_name = q->speaker_text;
        o->sentence = q->sent;
    }
    *out = res, *n_out = nqo;
    return 0;
}

/* Move the working results into the public structures. */
static int finish(nd__doc *d, nd_analysis *a)
{
    nd_arena *ar = d->ar;
    /* actors that matter: with a name of two words, in the dictionaries,
     * with a code, or speaking/acting */
    size_t na = d->n_acts;
    int32_t *remap = nd_arena_alloc(ar, (na + 1) * sizeof *remap);
    uint8_t *keep = nd_arena_calloc(ar, na + 1, 1);
    if (!remap || !keep) return ND_ENOMEM;
    for (size_t i = 0; i < d->n_quotes; i++)
        if (d->quotes[i].speaker >= 0) keep[d->quotes[i].speaker] = 1;
    for (size_t i = 0; i < d->n_events; i++) keep[d->events[i].src] = keep[d->events[i].tgt] = 1;
    for (size_t i = 0; i < na; i++) {
        nd__dact *x = &d->acts[i];
        if (x->n_mentions == 0 && !keep[i]) continue;
        if (x->in_dict || x->code[0] || strchr(x->name, ' ') || x->role) keep[i] = 1;
    }
    size_t k = 0;
    for (size_t i = 0; i < na; i++) remap[i] = keep[i] ? (int32_t) k++ : -1;
    a->actors = nd_arena_calloc(ar, k ? k : 1, sizeof *a->actors);
    if (!a->actors) return ND_ENOMEM;
    a->n_actors = k;
    for (size_t i = 0; i < na; i++) {
        if (remap[i] < 0) continue;
        nd__dact *x = &d->acts[i];
        nd_actor *o = &a->actors[remap[i]];
        o->name = x->name;
        o->code = nd_arena_strndup(ar, x->code, strlen(x->code));
        o->country = x->country[0] ? nd_arena_strndup(ar, x->country, strlen(x->country)) : NULL;
        o->role = x->role;
        o->kind = x->kind;
        o->in_dict = x->in_dict;
        o->gender = x->gender;
    }
    /* mentions with an actor, in text order */
    size_t nm = 0;
    for (size_t i = 0; i < d->n_ments; i++)
        if (d->ments[i].actor >= 0 && remap[d->ments[i].actor] >= 0) nm++;
    a->mentions = nd_arena_calloc(ar, nm ? nm : 1, sizeof *a->mentions);
    uint32_t *ord = nd_arena_alloc(ar, (nm + 1) * 2 * sizeof *ord);
    if (!a->mentions || !ord) return ND_ENOMEM;
    nm = 0;
    for (size_t i = 0; i < d->n_ments; i++) {
        nd__ment *m = &d->ments[i];
        if (m->actor < 0 || remap[m->actor] < 0) continue;
        ord[nm * 2] = m->start, ord[nm * 2 + 1] = (uint32_t) i;
        nm++;
    }
    qsort(ord, nm, 2 * sizeof *ord, cmp_u32pair);
    for (size_t j = 0; j < nm; j++) {
        nd__ment *m = &d->ments[ord[j * 2 + 1]];
        nd_mention *o = &a->mentions[j];
        o->span.start = m->start, o->span.end = m->end;
        o->actor = remap[m->actor];
        o->sentence = m->sent;
        o->how = m->how;
        nd_actor *ac = &a->actors[o->actor];
        if (ac->n_mentions++ == 0) ac->first_mention = (uint32_t) j;
    }
    a->n_mentions = nm;
    /* quotations and stances in text order */
    if (out_quotes(d, a, remap, d->quotes, d->n_quotes, &a->quotes, &a->n_quotes) ||
        out_quotes(d, a, remap, d->stances, d->n_stances, &a->stances, &a->n_stances))
        return ND_ENOMEM;
    if (merge_events(d, a, remap)) return ND_ENOMEM;
    a->sentences = nd_arena_alloc(ar, (d->n_sents ? d->n_sents : 1) * sizeof *a->sentences);
    if (!a->sentences) return ND_ENOMEM;
    if (d->n_sents) memcpy(a->sentences, d->sents, d->n_sents * sizeof *a->sentences);
    a->n_sentences = d->n_sents;
    (void) span_dup;
    return 0;
}

static int analyze(const char *text, size_t len, const nd_analyze_opts *opts, const char *given,
                   size_t given_len, nd_analysis **out, nd_error *err)
{
    nd_analyze_opts def;
    if (!opts) {
        nd_analyze_opts_init(&def);
        opts = &def;
    }
    if (!out) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no output");
    *out = NULL;
    if (!text && len) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no text");
    const nd_analyze_dict *dict = opts->dict;
    if (!dict) dict = nd_analyze_dict_default(err);
    if (!dict) return err ? err->code : ND_ENOMEM;
    nd_arena *ar = nd_arena_new(len * 2 + 4096 < (1u << 20) ? len * 2 + 4096 : (1u << 20));
    if (!ar) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    nd_analysis *a = nd_arena_calloc(ar, 1, sizeof *a);
    if (!a) {
        nd_arena_free(ar);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    a->arena = ar;
    size_t n = text ? cut_at(text, len, ND_ANALYZE_MAX_BYTES) : 0;
    a->truncated = n < len;
    a->text_len = n;
    nd__doc d;
    memset(&d, 0, sizeof d);
    d.dict = dict;
    d.ar = ar;
    d.text = text ? text : "";
    d.len = n;
    d.day = ND__DAY_MIN;
    d.given = given, d.given_len = given_len;
    if (opts->date) {
        int32_t day;
        if (!nd__parse_day(opts->date, strlen(opts->date), &day)) {
            d.day = day;
        } else {
            int64_t ts;
            int has_time;
            if (!nd_time_parse(opts->date, strlen(opts->date), &ts, &has_time))
                d.day = (int32_t) (ts / 86400 - (ts < 0 && ts % 86400 ? 1 : 0));
        }
        if (d.day != ND__DAY_MIN) {
            int y, m, dd;
            nd__civil_from_days(d.day, &y, &m, &dd);
            a->date = nd_arena_printf(ar, "%04d-%02d-%02d", y, m, dd);
        }
    }
    int rc = nd__tokenize_doc(&d);
    if (!rc) {
        nd__split_sentences(&d);
        cut_sentences(&d, a);
        d.sent_speaker = nd_arena_alloc(ar, (d.n_sents + 1) * sizeof *d.sent_speaker);
        if (!d.sent_speaker) d.failed = 1;
        for (size_t s = 0; !d.failed && s <= d.n_sents; s++) d.sent_speaker[s] = -1;
    }
    if (!rc && !d.failed) {
        nd_error perr = {0};
        const nd_parser *parser = nd_parser_default(&perr);
        if (!parser) {
            nd_arena_free(ar);
            return nd_error_set(err, perr.code ? perr.code : ND_EFORMAT, (size_t) -1,
                                "parser model: %s", perr.msg);
        }
        rc = nd__parse_doc(&d, parser, opts->parse_work);
        if (rc == ND_EINVAL) {
            nd_arena_free(ar);
            return nd_error_set(err, rc, (size_t) -1, "given trees do not match the sentences");
        }
    }
    if (!rc && !d.failed) nd__find_quote_marks(&d);
    if (!rc && !d.failed) nd__find_mentions(&d);
    if (!rc && !d.failed) nd__coref_descriptions(&d);
    /* quotations also serve pronouns and events: found unless neither is wanted */
    if (!rc && !d.failed && !(opts->no_quotes && opts->no_events)) nd__find_quotes(&d);
    /* he/she everywhere else */
    if (!rc && !d.failed) nd__coref_pronouns(&d);
    if (!rc && !d.failed && !opts->no_events) nd__find_events(&d);
    if (!rc && d.failed) rc = ND_ENOMEM;
    if (opts->no_quotes) d.n_quotes = d.n_stances = 0;
    if (!rc) rc = finish(&d, a);
    if (rc) {
        nd_arena_free(ar);
        return nd_error_set(err, rc, (size_t) -1, "%s", nd_strerror(rc));
    }
    *out = a;
    return 0;
}

int nd_analyze(const char *text, size_t len, const nd_analyze_opts *opts, nd_analysis **out,
               nd_error *err)
{
    return analyze(text, len, opts, NULL, 0, out, err);
}

int nd__analyze_given(const char *text, size_t len, const nd_analyze_opts *opts, const char *conllu,
                      size_t clen, nd_analysis **out, nd_error *err)
{
    if (!conllu) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no trees");
    return analyze(text, len, opts, conllu, clen, out, err);
}

/* ---- JSON ------------------------------------------------------------------ */

static void span_json(nd_json *j, nd_span s)
{
    if (s.end <= s.start && s.start == 0) {
        nd_json_null(j);
        return;
    }
    nd_json_arr_begin_flat(j);
    nd_json_int(j, s.start);
    nd_json_int(j, s.end);
    nd_json_arr_end(j);
}

/* A JSON array of quotations qs[0..n). */
static void quotes_json(nd_json *j, const nd_analysis *a, const nd_quote *qs, size_t n)
{
    nd_json_arr_begin(j);
    for (size_t i = 0; i < n; i++) {
        const nd_quote *q = &qs[i];
        nd_json_obj_begin(j);
        nd_json_key(j, "text");
        nd_json_str(j, q->text);
        nd_json_key(j, "type");
        nd_json_str(j, nd_quote_type_name(q->type));
        nd_json_key(j, "speaker");
        nd_json_str(j, q->speaker_name);
        if (q->speaker >= 0) {
            nd_json_key(j, "speaker_code");
            nd_json_str(j, a->actors[q->speaker].code);
        }
        nd_json_key(j, "scare");
        nd_json_bool(j, q->scare);
        nd_json_key(j, "content");
        nd_json_arr_begin(j);
        for (size_t c = 0; c < q->n_content; c++) span_json(j, q->content[c]);
        nd_json_arr_end(j);
        if (q->clause.end) {
            nd_json_key(j, "clause");
            span_json(j, q->clause);
        }
        nd_json_key(j, "source");
        span_json(j, q->source);
        nd_json_key(j, "cue");
        span_json(j, q->cue);
        nd_json_key(j, "cue_lemma");
        nd_json_str(j, q->cue_lemma);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
}

void nd_analysis_to_json(const nd_analysis *a, nd_json *j)
{
    if (a && a->truncated) {
        /* the limits that bound a page's cost (analyze.h) */
        char msg[160];
        snprintf(msg, sizeof msg,
                 "analysis stopped after %zu bytes (at most %zu MiB and %d words are analysed)",
                 a->text_len, ND_ANALYZE_MAX_BYTES >> 20, ND_ANALYZE_MAX_TOKENS);
        nd_json_key(j, "analysis_warnings");
        nd_json_arr_begin(j);
        nd_json_str(j, msg);
        nd_json_arr_end(j);
    }
    /* The mentions of each actor, in text order: a counting sort, so that
     * a page with many actors and mentions is not quadratic (without
     * memory, a scan from each actor's first mention). */
    size_t *first = NULL, *order = NULL;
    if (a && a->n_actors && a->n_mentions) {
        first = nd_calloc(a->n_actors + 1, sizeof *first);
        order = nd_malloc(a->n_mentions * sizeof *order);
    }
    if (first && order) {
        for (size_t m = 0; m < a->n_mentions; m++)
            if (a->mentions[m].actor >= 0 && (size_t) a->mentions[m].actor < a->n_actors)
                first[a->mentions[m].actor + 1]++;
        for (size_t i = 0; i < a->n_actors; i++) first[i + 1] += first[i];
        size_t *fill = nd_malloc(a->n_actors * sizeof *fill);
        if (fill) {
            memcpy(fill, first, a->n_actors * sizeof *fill);
            for (size_t m = 0; m < a->n_mentions; m++)
                if (a->mentions[m].actor >= 0 && (size_t) a->mentions[m].actor < a->n_actors)
                    order[fill[a->mentions[m].actor]++] = m;
            nd_free(fill);
        } else {
            nd_free(first), nd_free(order);
            first = order = NULL;
        }
    }
    nd_json_key(j, "actors");
    nd_json_arr_begin(j);
    for (size_t i = 0; a && i < a->n_actors; i++) {
        const nd_actor *x = &a->actors[i];
        nd_json_obj_begin(j);
        nd_json_key(j, "name");
        nd_json_str(j, x->name);
        nd_json_key(j, "code");
        nd_json_str(j, x->code);
        nd_json_key(j, "kind");
        nd_json_str(j, nd_actor_kind_name(x->kind));
        nd_json_key(j, "country");
        nd_json_str(j, x->country);
        nd_json_key(j, "role");
        nd_json_str(j, x->role);
        nd_json_key(j, "mentions");
        nd_json_arr_begin(j);
        if (first) {
            for (size_t k = first[i]; k < first[i + 1]; k++)
                span_json(j, a->mentions[order[k]].span);
        } else {
            for (size_t m = x->first_mention; m < a->n_mentions; m++)
                if (a->mentions[m].actor == (int32_t) i) span_json(j, a->mentions[m].span);
        }
        nd_json_arr_end(j);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
    nd_json_key(j, "quotes");
    quotes_json(j, a, a ? a->quotes : NULL, a ? a->n_quotes : 0);
    nd_json_key(j, "events");
    nd_json_arr_begin(j);
    for (size_t i = 0; a && i < a->n_events; i++) {
        const nd_event *e = &a->events[i];
        nd_json_obj_begin(j);
        nd_json_key(j, "source");
        nd_json_str(j, e->source_code);
        nd_json_key(j, "target");
        nd_json_str(j, e->target_code);
        nd_json_key(j, "source_name");
        nd_json_str(j, e->source >= 0 ? a->actors[e->source].name : NULL);
        nd_json_key(j, "target_name");
        nd_json_str(j, e->target >= 0 ? a->actors[e->target].name : NULL);
        nd_json_key(j, "code");
        nd_json_str(j, e->code);
        nd_json_key(j, "name");
        nd_json_str(j, e->code_name);
        nd_json_key(j, "goldstein");
        nd_json_double(j, e->goldstein, 1);
        nd_json_key(j, "quad");
        nd_json_int(j, e->quad);
        nd_json_key(j, "negated");
        nd_json_bool(j, e->negated);
        nd_json_key(j, "date");
        nd_json_str(j, e->date);
        nd_json_key(j, "sentence");
        span_json(j, e->sentence);
        nd_json_key(j, "verb");
        span_json(j, e->verb);
        nd_json_key(j, "mentions");
        nd_json_arr_begin(j);
        /* an event built without mentions (n_mentions 0) has one: its own */
        for (size_t m = 0; m < (e->n_mentions ? e->n_mentions : 1); m++) {
            nd_json_obj_begin(j);
            nd_json_key(j, "sentence");
            span_json(j, e->n_mentions ? e->mentions[m].sentence : e->sentence);
            nd_json_key(j, "verb");
            span_json(j, e->n_mentions ? e->mentions[m].verb : e->verb);
            nd_json_obj_end(j);
        }
        nd_json_arr_end(j);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
    nd_free(first);
    nd_free(order);
}

void nd_analysis_stances_json(const nd_analysis *a, nd_json *j)
{
    nd_json_key(j, "stances");
    quotes_json(j, a, a ? a->stances : NULL, a ? a->n_stances : 0);
}
