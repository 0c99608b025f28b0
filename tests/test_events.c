/* test_events.c - the event coder: the verb lexicon (verbs.c) and its
 * loaders, and the rules of events.c on sentences written for these tests. */
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze_int.h"
#include "newsdesk/analyze.h"
#include "tap.h"

/* An empty dictionary (no default files). */
static nd_analyze_dict *empty_dict(void)
{
    nd_analyze_dict *d = calloc(1, sizeof *d);
    if (d) d->arena = nd_arena_new(1 << 12);
    return d;
}

/* The verb with lemma (and first rest word, or NULL) among those keyed by w. */
static const nd__verb *verb_of(const nd_analyze_dict *d, const char *w, const char *lemma,
                               const char *rest)
{
    for (uint32_t k = nd__vlex_find(d, 0, w, strlen(w)); k != ND__NONE; k = d->vkeys[k].next) {
        const nd__verb *v = &d->verbs[d->vkeys[k].verb];
        if (strcmp(v->lemma, lemma)) continue;
        if (rest ? (v->n_rest && !strcmp(v->rest[0], rest)) : !v->n_rest) return v;
    }
    return NULL;
}

/* The rule of block b written on line (of its file). */
static const nd__vrule *rule_at(const nd_analyze_dict *d, uint32_t b, uint32_t line)
{
    for (uint32_t r = d->vblocks[b].first; r != ND__NONE; r = d->vrules[r].next)
        if (d->vrules[r].line == line) return &d->vrules[r];
    return NULL;
}

/* The elements of a rule as text: "PP(with) + ) PP(for) &gadget )". */
static const char *rule_text(const nd_analyze_dict *d, const nd__vrule *r)
{
    static char buf[256];
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; r && i < r->n_pre + r->n_post && o + 40 < sizeof buf; i++) {
        const nd__pel *e = &d->pels[r->pel + (uint32_t) i];
        if (i == r->n_pre) o += (size_t) snprintf(buf + o, sizeof buf - o, "* ");
        switch (e->kind) {
        case ND__PE_WORD: o += (size_t) snprintf(buf + o, sizeof buf - o, "%s ", e->word); break;
        case ND__PE_SET:
            o += (size_t) snprintf(buf + o, sizeof buf - o, "%s ", d->vsets[e->set].name);
            break;
        case ND__PE_TARGET: o += (size_t) snprintf(buf + o, sizeof buf - o, "+ "); break;
        case ND__PE_SOURCE: o += (size_t) snprintf(buf + o, sizeof buf - o, "$ "); break;
        case ND__PE_ANY: o += (size_t) snprintf(buf + o, sizeof buf - o, "^ "); break;
        case ND__PE_PAIR: o += (size_t) snprintf(buf + o, sizeof buf - o, "%% "); break;
        case ND__PE_NP: o += (size_t) snprintf(buf + o, sizeof buf - o, "{ "); break;
        case ND__PE_NP_END: o += (size_t) snprintf(buf + o, sizeof buf - o, "} "); break;
        case ND__PE_PP: o += (size_t) snprintf(buf + o, sizeof buf - o, "(%s ", e->word); break;
        case ND__PE_PP_END: o += (size_t) snprintf(buf + o, sizeof buf - o, ") "); break;
        }
    }
    if (r && r->n_post == 0) o += (size_t) snprintf(buf + o, sizeof buf - o, "* ");
    while (o && buf[o - 1] == ' ') buf[--o] = 0;
    return buf;
}

static int set_has(const nd_analyze_dict *d, const char *set, const char *const *w, size_t n)
{
    uint32_t s = nd__map_get(&d->vset_names, set, strlen(set));
    return s == ND__NONE ? -1 : nd__vset_match(d, s, w, n);
}

/* What both loaders must give for tests/data/verbs/fixture.*: the
 * PETRARCH file read directly and its conversion by the generator. */
static void check_fixture(const nd_analyze_dict *d, int compact)
{
    /* synsets: plurals, phrases, no plural after '_' */
    const char *w1[] = {"widgets"}, *w2[] = {"flux", "capacitor", "now"}, *w3[] = {"kroner"},
               *w4[] = {"kroners"}, *w5[] = {"glums"}, *w6[] = {"flux"};
    CHECK_INT(set_has(d, "&gadget", w1, 1), 1);
    CHECK_INT(set_has(d, "&gadget", w2, 3), 2);
    CHECK_INT(set_has(d, "&gadget", w3, 1), 1);
    CHECK_INT(set_has(d, "&gadget", w4, 1), 0);
    CHECK_INT(set_has(d, "&mood_", w5, 1), 0); /* the set name ends in '_' */
    CHECK_INT(set_has(d, "&gadget", w6, 1), 0);
    /* verbs: irregular forms, regular forms, multi-word verbs, codes */
    const nd__verb *v = verb_of(d, "swapped", "swap", NULL);
    CHECK(v != NULL);
    if (v) {
        CHECK_STR(v->code, "061");
        CHECK_STR(d->vblocks[v->block].name, "barter");
    }
    v = verb_of(d, "bartering", "barter", NULL);
    CHECK(v != NULL);
    v = verb_of(d, "traded", "trade", "in");
    CHECK(v != NULL);
    if (v) CHECK_STR(v->code, "0611");
    v = verb_of(d, "mope", "mope", NULL);
    CHECK(v != NULL);
    if (v) CHECK(v->flags & ND__VR_NULL);
    if (!verb_of(d, "swap", "swap", NULL)) return;
    uint32_t b = verb_of(d, "swap", "swap", NULL)->block;
    /* patterns (the line numbers are the compact file's or the PETRARCH file's) */
    uint32_t l_set = compact ? 10 : 20, l_np = compact ? 11 : 21, l_pp = compact ? 12 : 22,
             l_pre = compact ? 13 : 23, l_us = compact ? 14 : 24, l_pas = compact ? 15 : 25;
    const nd__vrule *r = rule_at(d, b, l_set);
    CHECK_STR(rule_text(d, r), "* &gadget");
    if (r) CHECK_STR(r->code, "062");
    r = rule_at(d, b, l_np);
    CHECK_STR(rule_text(d, r), "* { shiny &gadget }");
    r = rule_at(d, b, l_pp);
    CHECK_STR(rule_text(d, r), "* (with + ) (for &gadget )");
    if (r) CHECK_INT(r->spec, 3);
    r = rule_at(d, b, l_pre);
    CHECK_STR(rule_text(d, r), "&mood_ trader *");
    if (r) {
        CHECK_STR(r->code, "065");
        CHECK_STR(r->pcode, "065");
        CHECK_INT(r->n_pre, 2);
    }
    r = rule_at(d, b, l_us);
    CHECK_STR(rule_text(d, r), "* { debt relief }");
    r = rule_at(d, b, l_pas);
    CHECK_STR(rule_text(d, r), "* (from $ ) receipt");
    if (r) {
        CHECK_STR(r->code, "");
        CHECK_STR(r->pcode, "067");
    }
    v = verb_of(d, "sulk", "sulk", NULL);
    if (v) {
        r = rule_at(d, v->block, compact ? 19 : 30);
        CHECK_STR(rule_text(d, r), "* (about ^ )");
        if (r) CHECK(r->flags & ND__VR_NULL);
    }
}

static void test_lexicon_loaders(void)
{
    size_t len;
    char *text = tap_slurp(ND_TEST_DATA "/verbs/fixture.petrarch.txt", &len);
    CHECK(text != NULL);
    nd_analyze_dict *d = empty_dict();
    size_t skipped = 0;
    if (text && d) {
        CHECK_INT(nd__vlex_load_petrarch(d, text, len, &skipped), 0);
        CHECK_INT((int) skipped, 0);
        check_fixture(d, 0);
    }
    free(text);
    nd_analyze_dict_free(d);

    d = empty_dict();
    nd_error err = {0};
    if (d) {
        CHECK_INT(nd_analyze_dict_add_file(d, ND_TEST_DATA "/verbs/fixture.expected.txt", &err), 0);
        check_fixture(d, 1);
    }
    nd_analyze_dict_free(d);

    /* the PETRARCH reader skips what PETRARCH cannot use, and goes on */
    text = tap_slurp(ND_TEST_DATA "/verbs/bad.petrarch.txt", &len);
    d = empty_dict();
    if (text && d) {
        skipped = 0;
        CHECK_INT(nd__vlex_load_petrarch(d, text, len, &skipped), 0);
        CHECK_INT((int) skipped, 4);
        CHECK(verb_of(d, "tinkered", "tinker", NULL) != NULL);
    }
    free(text);
    nd_analyze_dict_free(d);
}

/* Bad lines of the compact format: an error naming the file and line. */
static void test_lexicon_errors(void)
{
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"# cameo-verbs\n= a\nv go 040\np * (to + 042\n", "x.txt:4: unclosed phrase"},
        {"# cameo-verbs\n= a\nv go 040\np * &nope 042\n", "x.txt:4: undefined synset"},
        {"# cameo-verbs\n= a\nv go 040\np * town 04x\n", "x.txt:4: bad code"},
        {"# cameo-verbs\n= a\nv go 040\np town 042\n", "x.txt:4: a pattern needs one '*'"},
        {"# cameo-verbs\nv go 040\n", "x.txt:2: verb or pattern before any '= block'"},
        {"# cameo-verbs\n= a\nv go\n", "x.txt:3: expected 'v VERB CODE"},
        {"# cameo-verbs\n= a\nv g!o 040\n", "x.txt:3: bad verb"},
        {"# cameo-verbs\n&a x|&b\n", "x.txt:2: undefined synset in an entry"},
        {"# cameo-verbs\nq what\n", "x.txt:2: expected '&', '=', 'v' or 'p'"},
        {"# cameo-verbs\n= a\nv go 040\np * {} 042\n", "x.txt:4: empty '{}'"},
        {"# cameo-verbs\n= a\nv go 040\np * (to (in x)) 042\n", "x.txt:4: a phrase inside"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        nd_analyze_dict *d = empty_dict();
        nd_error err = {0};
        if (!d) continue;
        int rc = nd__dict_load_text(d, "x.txt", bad[i].text, strlen(bad[i].text), &err);
        CHECK(rc < 0);
        if (!strstr(err.msg, bad[i].want))
            fprintf(stderr, "  case %zu: got \"%s\", want \"%s\"\n", i, err.msg, bad[i].want);
        CHECK(strstr(err.msg, bad[i].want) != NULL);
        nd_analyze_dict_free(d);
    }
}

/* The shipped lexicon: the PETRARCH2 dictionary is the default. */
static void test_lexicon_default(void)
{
    nd_error err = {0};
    const nd_analyze_dict *d = nd_analyze_dict_default(&err);
    CHECK(d != NULL);
    if (!d) return;
    CHECK(d->n_verbs > 1500);
    CHECK(d->n_vrules > 4000);
    CHECK(d->n_vsets >= 40);
    CHECK(verb_of(d, "demanded", "demand", NULL) != NULL);
    const char *w[] = {"missiles"};
    CHECK_INT(set_has(d, "&weapon", w, 1), 1);
}

/* ---- the rules of events.c -------------------------------------------------- */

static nd_analysis *run(const char *text)
{
    nd_analyze_opts o;
    nd_analyze_opts_init(&o);
    o.date = "2024-03-05";
    nd_analysis *a = NULL;
    nd_error err = {0};
    if (nd_analyze(text, strlen(text), &o, &a, &err)) fprintf(stderr, "nd_analyze: %s\n", err.msg);
    return a;
}

/* The event from src to tgt (code prefixes) with a code starting with code. */
static const nd_event *ev(const nd_analysis *a, const char *src, const char *tgt, const char *code)
{
    for (size_t i = 0; a && i < a->n_events; i++) {
        const nd_event *e = &a->events[i];
        if (!strncmp(e->source_code, src, strlen(src)) &&
            !strncmp(e->target_code, tgt, strlen(tgt)) &&
            (!code || !strncmp(e->code, code, strlen(code))))
            return e;
    }
    return NULL;
}

/* Each case: a sentence written for this test, the events it must give
 * (source, target, code prefix) and one it must not. */
typedef struct ecase {
    const char *rule, *text;
    const char *want[4][3];
    const char *never[3];
} ecase;

static const ecase cases[] = {
    {"the one met is the target, the place it was met in is where",
     "The Spanish prime minister met the Moroccan king in Paris on Tuesday.",
     {{"ESP", "MAR", "04"}},
     {"ESP", "FRA", NULL}},
    {"passive: the by-phrase acts on the subject",
     "Ethiopian troops were attacked by Eritrean soldiers.",
     {{"ERI", "ETH", "19"}},
     {"ETH", "ERI", NULL}},
    {"coordinated subjects each act",
     "Brazil, Argentina and Chile condemned Venezuela on Monday.",
     {{"BRA", "VEN", "111"}, {"ARG", "VEN", "111"}, {"CHL", "VEN", "111"}},
     {NULL}},
    {"coordinated objects are each acted on",
     "Japan criticized China and North Korea.",
     {{"JPN", "CHN", "111"}, {"JPN", "PRK", "111"}},
     {NULL}},
    {"negation: no condemnation",
     "Germany has not condemned Iran.",
     {{NULL}},
     {"DEU", "IRN", NULL}},
    {"negation: refusing to meet is a rejection",
     "Italy refused to meet Libya's envoy.",
     {{"ITA", "LBY", "125"}},
     {"ITA", "LBY", "04"}},
    {"negation: not signing is rejecting the agreement",
     "Norway did not sign the agreement with Sweden.",
     {{"NOR", "SWE", "12"}},
     {"NOR", "SWE", "057"}},
    {"negation: avoiding what would be imposed",
     "Spain avoided sanctions being imposed on Spanish banks by the United States.",
     {{NULL}},
     {"USA", "ESP", NULL}},
    {"negation: managing to avoid what would be imposed",
     "Spain managed to avoid sanctions being imposed on Spanish banks by the United States.",
     {{NULL}},
     {"USA", "ESP", NULL}},
    {"modality: could is not an event",
     "Egypt could attack Sudan.",
     {{NULL}},
     {"EGY", "SDN", NULL}},
    {"modality: a condition is not an event",
     "If Chile attacks Peru, the region will suffer.",
     {{NULL}},
     {"CHL", "PER", NULL}},
    {"modality: a question is not an event",
     "Did Poland attack Belarus?",
     {{NULL}},
     {"POL", "BLR", NULL}},
    {"intent: agreeing to lift sanctions (03x)",
     "Germany agreed to lift sanctions on Belarus.",
     {{"DEU", "BLR", "035"}},
     {"DEU", "BLR", "08"}},
    {"threat: threatening to attack (138)",
     "India threatened to attack Pakistan.",
     {{"IND", "PAK", "138"}},
     {"IND", "PAK", "19"}},
    {"reported speech: coded with the clause's own actors",
     "Canada said Mexico had expelled three Cuban diplomats.",
     {{"MEX", "CUB", "174"}},
     {"CAN", "MEX", NULL}},
    {"appeal: urging someone to act (02x)",
     "Vietnam urged China to withdraw its ships.",
     {{"VNM", "CHN", "025"}},
     {"CHN", "VNM", NULL}},
    {"relative clause: the antecedent acts",
     "Egypt, which hosted Sudan's president on Monday, praised Ethiopia.",
     {{"EGY", "SDN", "043"}, {"EGY", "ETH", "051"}},
     {NULL}},
    {"gerund: the one thanked did it",
     "Putin thanked Xi for visiting Moscow.",
     {{"RUS", "CHN", "051"}, {"CHN", "RUS", "042"}},
     {"RUS", "RUS", NULL}},
    {"nominal event: a visit",
     "The Austrian chancellor's visit to Hungary ended on Friday.",
     {{"AUT", "HUN", "042"}},
     {NULL}},
    {"nominal event: talks between two",
     "Talks between Ethiopia and Eritrea resumed on Monday.",
     {{"ETH", "ERI", "04"}, {"ERI", "ETH", "04"}},
     {NULL}},
    {"phrasal verb: calling off talks",
     "Sudan called off talks with Chad.",
     {{"SDN", "TCD", "16"}},
     {"SDN", "TCD", "04"}},
    {"multi-word pattern: setting fire to",
     "Pakistani protesters set fire to the Danish embassy.",
     {{"PAK", "DNK", "18"}},
     {NULL}},
    {"pattern with a prepositional phrase",
     "Russia moved troops into Ukraine.",
     {{"RUS", "UKR", "192"}},
     {NULL}},
    {"pattern with a prepositional phrase on the object",
     "Turkey rushed tanks to the Syrian border.",
     {{"TUR", "SYR", "154"}},
     {NULL}},
    {"pattern with a prepositional phrase and a noun phrase",
     "Ghana asked Nigeria for humanitarian aid.",
     {{"GHA", "NGA", "0233"}},
     {NULL}},
    {"pattern with a noun phrase",
     "Qatar sent humanitarian aid to Yemen.",
     {{"QAT", "YEM", "073"}},
     {NULL}},
    {"pattern with a synset (weapons)",
     "Ukraine requested missiles from Germany.",
     {{"UKR", "DEU", "0232"}},
     {NULL}},
    {"passive: a pattern's target lies in the subject",
     "Evidence against Iran was presented by Israel.",
     {{"ISR", "IRN", "1124"}},
     {NULL}},
    {"coordinated modifiers: one group each",
     "Russian and Chinese diplomats criticized Japan.",
     {{"RUS", "JPN", "111"}, {"CHN", "JPN", "111"}},
     {NULL}},
    {"coordinated countries of one name: each a party",
     "Lawmakers in Kenya and Uganda condemned Sudan.",
     {{"KEN", "SDN", "111"}, {"UGA", "SDN", "111"}},
     {NULL}},
    {"one's own thing names the other party",
     "Brazil and Chile welcomed their resumption of ties with Cuba.",
     {{"BRA", "CUB", "05"}, {"CHL", "CUB", "05"}},
     {"BRA", "CHL", NULL}},
    {"'their' with no event noun is not reciprocal",
     "Peru and Chile warned their citizens about Bolivia.",
     {{NULL}},
     {"PER", "CHL", NULL}},
    {"people with no actor hurt or killed: the people of the place",
     "Three villagers were killed in Turkish shelling in northern Iraq.",
     {{"TUR", "IRQ", "19"}},
     {NULL}},
    {"a name the tagger took for a verb is the subject",
     "Pyongyang on Tuesday accused Washington of provocations.",
     {{"PRK", "USA", "112"}},
     {NULL}},
    {"a verb joined to its neighbour's object shares that verb's subject",
     "The Egyptian government condemned an attack by Libyan militias on Tuesday and promised aid "
     "to the "
     "affected Sudanese villages.",
     {{"EGY", "LBY", "11"}, {"EGY", "SDN", "033"}},
     {NULL}},
    {"reported speech: 'it' made the object of a verb of saying",
     "Norway indicated it criticized Russia.",
     {{"NOR", "RUS", "111"}},
     {NULL}},
    {"wanting another to attack is 021",
     "Iran wants Syria to attack Israel.",
     {{"IRN", "SYR", "021"}},
     {"SYR", "ISR", NULL}},
    {"demanding that someone act is a demand (10x), not 101",
     "Russia demanded that Ukraine cede territory.",
     {{"RUS", "UKR", "10"}},
     {"RUS", "UKR", "101"}},
    {"demanding a withdrawal is its demand (105x)",
     "The Kremlin demanded that Kyiv withdraw its troops.",
     {{"RUS", "UKR", "105"}},
     {"UKR", "RUS", NULL}},
    {"reported speech: 'would' is an intention (03x)",
     "Japan said it would lift sanctions on Iran.",
     {{"JPN", "IRN", "035"}},
     {"JPN", "IRN", "08"}},
    {"coordinated subjects and objects: one event each",
     "Brazil, Argentina and Chile condemned Venezuela and Cuba.",
     {{"BRA", "VEN", "111"}, {"ARG", "CUB", "111"}, {"CHL", "VEN", "111"}, {"CHL", "CUB", "111"}},
     {"BRA", "ARG", NULL}},
    {"a participle after its noun is no verb of its own: the verb after it is",
     "A document published in Beijing accused Japan of provocation.",
     {{"CHN", "JPN", "112"}},
     {NULL}},
    {"a reduced relative: its noun, and the place it came from, ask",
     "A letter sent from Tehran last week urged Iraq to release the prisoners.",
     {{"IRN", "IRQ", "02"}},
     {NULL}},
    {"claiming responsibility: for what was done to whom",
     "The PKK claimed responsibility on Tuesday for attacks on Turkish troops.",
     {{"TUR", "TUR", "015"}},
     {NULL}},
    {"denying responsibility: for what was done where",
     "Hamas denied responsibility on Monday for the bombing of a bus in Egypt.",
     {{"PSE", "EGY", "016"}},
     {NULL}},
    {"a thing said does not travel",
     "A letter from the Iranian president came to Baghdad on Monday.",
     {{NULL}},
     {"IRN", "IRQ", "042"}},
    {"a thing said speaks for whoever issued it",
     "A statement by the Chinese foreign ministry condemned Japan.",
     {{"CHN", "JPN", "111"}},
     {NULL}},
    {"passive: a pattern's words for who acts are in the by-phrase",
     "The Israeli embassy was demolished by Turkish protestors.",
     {{"TUR", "ISR", "145"}},
     {"TUR", "ISR", "1712"}},
    {"a pattern naming who acts over one as specific naming what is acted on",
     "Serbian protestors demolished Albanian homes.",
     {{"SRB", "ALB", "145"}},
     {"SRB", "ALB", "1712"}},
};

static void test_event_rules(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const ecase *k = &cases[i];
        nd_analysis *a = run(k->text);
        CHECK(a != NULL);
        int ok = 1;
        for (int j = 0; j < 4 && k->want[j][0]; j++)
            if (!ev(a, k->want[j][0], k->want[j][1], k->want[j][2])) ok = 0;
        if (k->never[0] && ev(a, k->never[0], k->never[1], k->never[2])) ok = 0;
        if (!ok) {
            fprintf(stderr, "  %s: \"%s\" gave:", k->rule, k->text);
            for (size_t e = 0; a && e < a->n_events; e++)
                fprintf(stderr, " %s->%s %s", a->events[e].source_code, a->events[e].target_code,
                        a->events[e].code);
            fprintf(stderr, "\n");
        }
        CHECK(ok);
        nd_analysis_free(a);
    }
}

/* Every event keeps the verb and the sentence it was read from, and its
 * negation. */
static void test_event_spans(void)
{
    const char *t = "Norway did not sign the agreement with Sweden.";
    nd_analysis *a = run(t);
    const nd_event *e = a ? ev(a, "NOR", "SWE", "12") : NULL;
    CHECK(e != NULL);
    if (e) {
        CHECK(e->negated);
        CHECK(e->verb.end - e->verb.start == 4 && !strncmp(t + e->verb.start, "sign", 4));
        CHECK(e->sentence.start == 0 && e->sentence.end == strlen(t));
    }
    nd_analysis_free(a);
}

int main(void)
{
    RUN(test_lexicon_loaders);
    RUN(test_lexicon_errors);
    RUN(test_lexicon_default);
    RUN(test_event_rules);
    RUN(test_event_spans);
    return tap_done();
}
