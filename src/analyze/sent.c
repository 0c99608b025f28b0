/* sent.c - tokens and sentences for the analysis.
 *
 * Tokens come from the project tokenizer (nd_tokenize), which already keeps
 * "U.S.", "Mr." and initials whole.  Sentences end at . ! ? followed by a
 * capitalised word, a digit or an opening quotation mark (closing marks
 * and brackets after the stop stay with the sentence), after an
 * abbreviation when a sentence-starting word follows ("in the U.S. The"),
 * and always at a blank line (paragraph).  A lowercase word after the stop
 * continues the sentence ("'Why?' he asked"). */
#include "analyze/analyze_int.h"

#include <string.h>

static int is_title_abbrev(const char *w, size_t n)
{
    static const char *const t[] = {
        "Mr.",   "Mrs.",    "Ms.",  "Dr.",   "Gen.",  "Sen.",    "Rep.", "Gov.",  "Lt.",   "Col.",
        "St.",   "Prof.",   "Rev.", "Sgt.",  "Capt.", "Maj.",    "Adm.", "Brig.", "Cpl.",  "Pvt.",
        "Supt.", "Messrs.", "No.",  "Sens.", "Reps.", "Ft.",     "Mt.",  "Hon.",  "Cmdr.", "Fr.",
        "Jan.",  "Feb.",    "Mar.", "Apr.",  "Jun.",  "Jul.",    "Aug.", "Sep.",  "Sept.", "Oct.",
        "Nov.",  "Dec.",    "vs.",  "e.g.",  "i.e.",  "approx.", "cf.",  "est."};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (strlen(t[i]) == n && !memcmp(t[i], w, n)) return 1;
    return 0;
}

/* Words that start sentences (after an abbreviation such as "U.S."). */
static int is_starter(const char *lower)
{
    static const char *const s[] = {
        "the",     "a",         "an",        "he",       "she",       "it",    "they",      "we",
        "i",       "but",       "and",       "in",       "on",        "at",    "this",      "that",
        "these",   "those",     "his",       "her",      "their",     "its",   "our",       "there",
        "when",    "while",     "after",     "before",   "as",        "if",    "mr",        "mrs",
        "ms",      "meanwhile", "however",   "still",    "yet",       "so",    "for",       "some",
        "many",    "most",      "officials", "last",     "according", "both",  "what",      "why",
        "how",     "who",       "since",     "although", "with",      "by",    "one",       "two",
        "earlier", "later",     "also",      "then",     "now",       "today", "yesterday", NULL};
    for (size_t i = 0; s[i]; i++)
        if (!strcmp(s[i], lower)) return 1;
    return 0;
}

static int first_upper(const char *text, const nd__tok *t)
{
    unsigned char c = (unsigned char) text[t->off];
    if (c >= 'A' && c <= 'Z') return 1;
    if (c >= '0' && c <= '9') return 1;
    return (t->flags & ND_TOKF_CAP) != 0;
}

static int first_lower(const char *text, const nd__tok *t)
{
    unsigned char c = (unsigned char) text[t->off];
    return t->type == ND_TOK_WORD && !(t->flags & ND_TOKF_CAP) && !(c >= '0' && c <= '9');
}

/* A verb of saying within the next few words ("Trump said", "said the
 * senator", "Mr. Smith told reporters"), before any punctuation. */
static int said_soon(const nd__doc *d, size_t j)
{
    for (size_t k = j; k < d->n_toks && k < j + 6; k++) {
        const nd__tok *t = &d->toks[k];
        if (t->type == ND_TOK_PUNCT) return 0;
        if (t->type != ND_TOK_WORD || !t->lower_len) continue;
        static const char *const strict[] = {
            "say",     "tell",     "add",    "ask",    "write",   "reply",    "respond", "tweet",
            "explain", "continue", "note",   "insist", "argue",   "conclude", "declare", "quip",
            "joke",    "shout",    "answer", "warn",   "exclaim", NULL};
        uint32_t c = nd__map_get(&d->dict->cue_map, t->lower, t->lower_len);
        if (c == ND__NONE) continue;
        const char *lemma = d->dict->cues[c].lemma;
        int ok = 0;
        for (size_t q = 0; strict[q]; q++) ok |= !strcmp(lemma, strict[q]);
        if (ok && (strcmp(t->lower, lemma) || !strcmp(t->lower, "say")))
            return k == j || !(t->flags & ND_TOKF_CAP);
    }
    return 0;
}

/* Are raw tokens r and r + 1 two straight single quotation marks with
 * nothing between them? */
static int two_singles(const nd__doc *d, const nd_token *raw, size_t n, size_t r)
{
    return r + 1 < n && raw[r].len == 1 && raw[r + 1].len == 1 && d->text[raw[r].off] == '\'' &&
           d->text[raw[r + 1].off] == '\'' && raw[r + 1].off == raw[r].off + 1 &&
           (raw[r].flags & ND_TOKF_QUOTE) && (raw[r + 1].flags & ND_TOKF_QUOTE);
}

int nd__tokenize_doc(nd__doc *d)
{
    size_t cap = d->len / 4 + 64, n = 0, pos = 0;
    nd_token *raw = nd_malloc(cap * sizeof *raw);
    if (!raw) return ND_ENOMEM;
    while (pos < d->len) {
        if (n == cap) {
            size_t nc = cap * 2;
            nd_token *q = nd_realloc(raw, nc * sizeof *q);
            if (!q) {
                nd_free(raw);
                return ND_ENOMEM;
            }
            raw = q, cap = nc;
        }
        size_t consumed = 0;
        size_t got = nd_tokenize(d->text + pos, d->len - pos, raw + n, cap - n, &consumed);
        for (size_t i = n; i < n + got; i++) raw[i].off += (uint32_t) pos;
        n += got;
        if (consumed == 0) break;
        pos += consumed;
    }
    d->toks = nd_arena_calloc(d->ar, n ? n : 1, sizeof *d->toks);
    if (!d->toks) {
        nd_free(raw);
        return ND_ENOMEM;
    }
    uint32_t para = 0;
    size_t prev_end = 0, nt = 0;
    for (size_t r = 0; r < n; r++) {
        nd__tok *t = &d->toks[nt++];
        t->off = raw[r].off, t->len = raw[r].len, t->type = raw[r].type, t->flags = raw[r].flags;
        if (two_singles(d, raw, n, r)) {
            /* ''...'': two straight single marks are one double mark (the
             * newswire convention), opening after a space or bracket when
             * a word follows */
            size_t e = raw[r].off + 2;
            char b = raw[r].off ? d->text[raw[r].off - 1] : ' ';
            int before = b == ' ' || b == '\n' || b == '\t' || b == '(' || b == '[' || b == '-';
            int after = e < d->len && d->text[e] != ' ' && d->text[e] != '\n' && d->text[e] != '\t';
            t->len = 2;
            t->flags =
                (uint16_t) (ND_TOKF_QUOTE | (before && after ? ND_TOKF_OPENQ : ND_TOKF_CLOSEQ));
            r++;
        }
        t->mention = -1;
        /* A blank line between tokens starts a paragraph. */
        int nl = 0;
        for (size_t k = prev_end; k < t->off; k++) {
            if (d->text[k] == '\n') nl++;
        }
        if (nl >= 2 && r) para++;
        if (nl == 1 && r) t->line_before = 1;
        t->para = para;
        prev_end = t->off + t->len;
        if (t->type == ND_TOK_WORD || t->type == ND_TOK_NUM) {
            char buf[ND__MAX_WORD * 2];
            nd_token tk = {t->off, t->len, t->type, t->flags};
            size_t l = nd_token_lower(d->text, &tk, 1, buf, sizeof buf);
            if (l >= ND__MAX_WORD) l = 0;
            char *s = nd_arena_strndup(d->ar, buf, l);
            if (!s) {
                nd_free(raw);
                return ND_ENOMEM;
            }
            t->lower = s;
            t->lower_len = (uint16_t) l;
        } else {
            char *s = nd_arena_strndup(d->ar, d->text + t->off, t->len < 8 ? t->len : 8);
            if (!s) {
                nd_free(raw);
                return ND_ENOMEM;
            }
            t->lower = s;
            t->lower_len = (uint16_t) strlen(s);
        }
    }
    nd_free(raw);
    d->n_toks = nt;
    return 0;
}

/* Is a straight or curly quotation mark / bracket that closes. */
static int is_closer(const nd__doc *d, const nd__tok *t)
{
    if (t->type != ND_TOK_PUNCT) return 0;
    if (t->flags & ND_TOKF_CLOSEQ) return 1;
    char c = d->text[t->off];
    return c == ')' || c == ']';
}

void nd__split_sentences(nd__doc *d)
{
    size_t n = d->n_toks;
    uint32_t *t0 = nd_arena_alloc(d->ar, (n + 1) * sizeof *t0);
    uint32_t *t1 = nd_arena_alloc(d->ar, (n + 1) * sizeof *t1);
    nd_span *sp = nd_arena_alloc(d->ar, (n + 1) * sizeof *sp);
    if (!t0 || !t1 || !sp) {
        d->failed = 1;
        return;
    }
    size_t ns = 0, start = 0;
    const char *txt = d->text;
    for (size_t i = 0; i < n; i++) {
        nd__tok *t = &d->toks[i];
        size_t end = 0; /* sentence ends after token end-1 when set */
        if (i + 1 < n && d->toks[i + 1].para != t->para) {
            end = i + 1;
        } else if (t->type == ND_TOK_PUNCT && (t->flags & ND_TOKF_SENT_END)) {
            size_t j = i + 1;
            while (j < n && is_closer(d, &d->toks[j]) && d->toks[j].para == t->para) j++;
            if (j >= n) {
                end = n;
            } else {
                nd__tok *nx = &d->toks[j];
                int opener = nx->type == ND_TOK_PUNCT &&
                             ((nx->flags & ND_TOKF_OPENQ) || txt[nx->off] == '(');
                int quoted = j > i + 1; /* a closing mark followed the stop */
                if (nx->para != t->para || first_upper(txt, nx) || opener) end = j;
                /* '"... now!" Trump said.': the attribution stays with the quotation */
                if (end && quoted && nx->para == t->para && !opener && d->text[t->off] != '.' &&
                    said_soon(d, j))
                    end = 0;
                /* "he said.The" (no space) still ends when a capital follows. */
            }
        } else if (t->type == ND_TOK_WORD && (t->flags & ND_TOKF_ABBREV) && i + 1 < n) {
            nd__tok *nx = &d->toks[i + 1];
            if (!is_title_abbrev(txt + t->off, t->len) && nx->type == ND_TOK_WORD &&
                (nx->flags & ND_TOKF_CAP) && is_starter(nx->lower)) {
                /* an initial ("George W. Bush") never ends a sentence */
                int letters = 0;
                for (uint32_t k = 0; k < t->len; k++) {
                    char c = txt[t->off + k];
                    letters += (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
                }
                if (letters > 1) end = i + 1;
            }
        } else if (i + 1 < n && d->toks[i + 1].line_before) {
            /* A single line break: a headline or list line ends unless the
             * line stops mid-phrase (a lowercase word or a comma). */
            nd__tok *nx = &d->toks[i + 1];
            int prev_cont = first_lower(txt, t) || (t->type == ND_TOK_PUNCT && txt[t->off] == ',');
            int opener = nx->type == ND_TOK_PUNCT && (nx->flags & ND_TOKF_OPENQ);
            if (!prev_cont && (first_upper(txt, nx) || opener)) end = i + 1;
        }
        /* Bound the work per sentence. */
        if (!end && i + 1 - start >= 400) end = i + 1;
        if (end) {
            t0[ns] = (uint32_t) start, t1[ns] = (uint32_t) end;
            ns++;
            start = end;
            i = end - 1;
        }
    }
    if (start < n) {
        t0[ns] = (uint32_t) start, t1[ns] = (uint32_t) n;
        ns++;
    }
    for (size_t s = 0; s < ns; s++) {
        sp[s].start = d->toks[t0[s]].off;
        nd__tok *last = &d->toks[t1[s] - 1];
        sp[s].end = last->off + last->len;
        for (uint32_t k = t0[s]; k < t1[s]; k++) d->toks[k].sent = (uint32_t) s;
    }
    d->sents = sp, d->sent_t0 = t0, d->sent_t1 = t1, d->n_sents = ns;
}
