/* test_quotes.c - quotations and coreference (newsdesk/analyze.h): one
 * test per rule, on texts written for these tests. */
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze_int.h"
#include "newsdesk/analyze.h"
#include "tap.h"

static nd_analysis *run(const char *text)
{
    nd_analyze_opts o;
    nd_analyze_opts_init(&o);
    o.date = "2025-05-08";
    nd_analysis *a = NULL;
    nd_error err = {0};
    int rc = nd_analyze(text, strlen(text), &o, &a, &err);
    if (rc) fprintf(stderr, "nd_analyze: %s\n", err.msg);
    return a;
}

/* text analysed with the trees given in words: "FORM/UPOS/HEAD/DEPREL"
 * separated by spaces (HEAD 1-based, 0 for the root), sentences separated
 * by " | "; the trees a parser model makes, checked whatever model ships
 * (nd__analyze_given). */
static nd_analysis *run_tree(const char *text, const char *words)
{
    static char conllu[8192];
    size_t n = 0;
    int id = 1;
    const char *p = words;
    while (*p) {
        while (*p == ' ') p++;
        if (*p == '|') {
            n += (size_t) snprintf(conllu + n, sizeof conllu - n, "\n");
            if (n + 2 >= sizeof conllu) return NULL;
            id = 1, p++;
            continue;
        }
        if (!*p) break;
        const char *e = strchr(p, ' ');
        if (!e) e = p + strlen(p);
        char w[128], form[64], upos[16], rel[32];
        int head = -1;
        snprintf(w, sizeof w, "%.*s", (int) (e - p), p);
        for (char *c = w; *c; c++)
            if (*c == '/') *c = ' ';
        if (sscanf(w, "%63s %15s %d %31s", form, upos, &head, rel) != 4) {
            fprintf(stderr, "run_tree: bad word %s\n", w);
            return NULL;
        }
        n += (size_t) snprintf(conllu + n, sizeof conllu - n, "%d\t%s\t_\t%s\t_\t_\t%d\t%s\t_\t_\n",
                               id++, form, upos, head, rel);
        if (n + 2 >= sizeof conllu) return NULL; /* room for the last line break */
        p = e;
    }
    n += (size_t) snprintf(conllu + n, sizeof conllu - n, "\n");
    nd_analyze_opts o;
    nd_analyze_opts_init(&o);
    o.date = "2025-05-08";
    nd_analysis *a = NULL;
    nd_error err = {0};
    if (nd__analyze_given(text, strlen(text), &o, conllu, n, &a, &err))
        fprintf(stderr, "nd__analyze_given: %s\n", err.msg);
    return a;
}

/* The attributed (not scare) quotation whose text contains needle. */
static const nd_quote *quote_with(const nd_analysis *a, const char *needle)
{
    for (size_t i = 0; a && i < a->n_quotes; i++)
        if (a->quotes[i].text && strstr(a->quotes[i].text, needle)) return &a->quotes[i];
    return NULL;
}

/* The text of span s (one of four static buffers). */
static const char *span(const char *text, nd_span s)
{
    static char buf[4][512];
    static int k;
    char *b = buf[k++ & 3];
    size_t n = s.end > s.start ? s.end - s.start : 0;
    if (n > 511) n = 511;
    memcpy(b, text + s.start, n);
    b[n] = 0;
    return b;
}

/* How many quotations have a text containing needle. */
static int quotes_with(const nd_analysis *a, const char *needle)
{
    int n = 0;
    for (size_t i = 0; a && i < a->n_quotes; i++)
        n += a->quotes[i].text && strstr(a->quotes[i].text, needle) != NULL;
    return n;
}

static const nd_actor *actor_named(const nd_analysis *a, const char *name)
{
    for (size_t i = 0; a && i < a->n_actors; i++)
        if (!strcmp(a->actors[i].name, name)) return &a->actors[i];
    return NULL;
}

static const char *speaker(const nd_quote *q)
{
    return q && q->speaker_name ? q->speaker_name : "(none)";
}

/* ---- quotation marks ----------------------------------------------------- */

/* The quotation holding needle is there and want says it ("(none)": no
 * speaker). */
static void check_speaker(const nd_analysis *a, const char *needle, const char *want)
{
    const nd_quote *q = quote_with(a, needle);
    CHECK(q != NULL);
    if (q) CHECK_STR(speaker(q), want);
}

/* ''...'': two straight single marks stand for one double mark. */
static void test_two_single_marks(void)
{
    const char *t = "Mary Okafor runs the depot.\n\n''We will open on time,'' Ms. Okafor said. "
                    "''The trucks are ready.''";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "open on time");
    CHECK(q != NULL);
    if (q) {
        CHECK_STR(speaker(q), "Mary Okafor");
        CHECK_STR(q->text, "We will open on time, The trucks are ready.");
        CHECK_INT(q->type, ND_QUOTE_DIRECT);
    }
    nd_analysis_free(a);
}

/* ---- coreference ----------------------------------------------------------- */

/* "the ministry", "the newspaper", "the company": the one actor of that
 * sector named just before; two candidates leave it unresolved. */
static void test_definite_descriptions(void)
{
    const char *t =
        "Russia's foreign ministry issued a statement on Tuesday. The ministry said the "
        "talks had failed.\n\nThe Lakeside Tribune first reported the story. The "
        "newspaper said the mayor had resigned.\n\nOn Monday, Halden Terminals Ltd reported a "
        "loss. The company said it would cut 200 jobs.\n\nBrava Motors and Kessel "
        "Foods Inc. agreed to merge. The company said the deal would close in June.";
    nd_analysis *a = run(t);
    CHECK_STR(speaker(quote_with(a, "talks had failed")), "Russia government");
    CHECK_STR(speaker(quote_with(a, "mayor had resigned")), "Lakeside Tribune");
    CHECK_STR(speaker(quote_with(a, "cut 200 jobs")), "Halden Terminals Ltd");
    const nd_quote *q = quote_with(a, "close in June");
    CHECK(q && (!q->speaker_name || (strcmp(q->speaker_name, "Brava Motors") &&
                                     strcmp(q->speaker_name, "Kessel Foods Inc."))));
    nd_analysis_free(a);
}

/* ---- one attribution, one quotation --------------------------------------- */

/* '"A," X said, "B."': one quotation in two parts. */
static void test_split_quotation(void)
{
    const char *t = "\"The river is rising,\" Ines Duarte said on Tuesday, \"and the bridge will "
                    "close tonight.\"";
    nd_analysis *a = run(t);
    CHECK_INT(a ? a->n_quotes : 0, 1);
    const nd_quote *q = quote_with(a, "river is rising");
    CHECK(q != NULL);
    if (q) {
        CHECK_INT(q->type, ND_QUOTE_DIRECT);
        CHECK_INT(q->n_content, 2);
        CHECK_STR(speaker(q), "Ines Duarte");
        CHECK(strstr(q->text, "bridge will close") != NULL);
    }
    nd_analysis_free(a);
}

/* A paraphrase with quoted fragments is one partial quotation: the
 * fragments are its parts, the reported clause its clause. */
static void test_mixed_quotation(void)
{
    const char *t = "Ines Duarte said the council would \"rebuild every house\" and \"restore the "
                    "old market\" before winter.";
    nd_analysis *a = run(t);
    CHECK_INT(a ? a->n_quotes : 0, 1);
    const nd_quote *q = quote_with(a, "rebuild every house");
    CHECK(q != NULL);
    if (q) {
        CHECK_INT(q->type, ND_QUOTE_PARTIAL);
        CHECK_INT(q->n_content, 2);
        CHECK_STR(speaker(q), "Ines Duarte");
        CHECK(strstr(span(t, q->clause), "the council would") != NULL);
    }
    nd_analysis_free(a);
}

/* "The plan, he said, will fail": the clause around a parenthetical
 * attribution, in two parts. */
static void test_parenthetical(void)
{
    const char *t = "The new bridge, the minister said on Tuesday, will open in May.";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "The new bridge");
    CHECK(q != NULL);
    if (q) {
        CHECK_INT(q->type, ND_QUOTE_INDIRECT);
        CHECK_INT(q->n_content, 2);
        CHECK_STR(span(t, q->source), "the minister");
        CHECK(strstr(q->text, "will open in May") != NULL);
    }
    nd_analysis_free(a);
}

/* "according to X": X speaks the rest of the sentence; a report inside it
 * ("officials said") is part of it, not a quotation of its own. */
static void test_according_to(void)
{
    const char *t = "The bridge will stay closed until May, according to the regional transport "
                    "office.\n\nTwo engineers said the repairs would take a year, according to a "
                    "union spokesman.";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "stay closed until May");
    CHECK(q != NULL);
    if (q) {
        CHECK_STR(q->cue_lemma, "according to");
        CHECK_STR(span(t, q->source), "the regional transport office");
        CHECK(strstr(q->text, "according") == NULL);
    }
    CHECK_INT(quotes_with(a, "repairs would take a year"), 1);
    q = quote_with(a, "repairs would take a year");
    if (q) CHECK_STR(span(t, q->source), "a union spokesman");
    nd_analysis_free(a);
}

/* A passive cue speaks through its agent ("it was announced by X"). */
static void test_passive_agent(void)
{
    const char *t = "The ferry service would resume on Monday, it was announced by the port "
                    "authority.";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "ferry service would resume");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "the port authority");
    nd_analysis_free(a);
}

/* ---- who speaks ------------------------------------------------------------ */

/* Where something was said (a platform, a statement, an interview) and to
 * whom (a broadcaster) is never the speaker, and a platform is no person. */
static void test_platform_not_speaker(void)
{
    const char *t = "Governor Paul Okoro wrote on Truth Social that the strike would end on "
                    "Friday.\n\nOkoro told CNN that the workers had won.\n\nOkoro said in an "
                    "interview with Radio Lagos that the port would reopen.";
    nd_analysis *a = run(t);
    CHECK_STR(speaker(quote_with(a, "strike would end")), "Paul Okoro");
    CHECK_STR(speaker(quote_with(a, "workers had won")), "Paul Okoro");
    CHECK_STR(speaker(quote_with(a, "port would reopen")), "Paul Okoro");
    const nd_actor *p = actor_named(a, "Truth Social");
    CHECK(!p || p->kind != ND_ACTOR_PERSON);
    nd_analysis_free(a);
}

/* A name inside the quotation is never its speaker, even when the
 * previous quotation was that person's. */
static void test_speaker_not_in_quote(void)
{
    const char *t = "Maria Santos said in a statement that the dock workers were tired.\n\n"
                    "Governor Paul Okoro, in an interview with a local radio station, blamed the "
                    "company.\n\n\"Now it is really up to Maria Santos to get it done,\" he said.";
    nd_analysis *a = run(t);
    CHECK_STR(speaker(quote_with(a, "up to Maria Santos")), "Paul Okoro");
    nd_analysis_free(a);
}

/* The source is the subject noun phrase with its modifiers, without the
 * participle or relative clause on it. */
static void test_speaker_phrase(void)
{
    const char *t = "Two senior officials briefed on the call said the talks would resume.";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "talks would resume");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "Two senior officials");
    nd_analysis_free(a);
}

/* A noun of saying reports its that-clause, said by its owner or by the
 * subject of the verb that has it for object. */
static void test_report_nouns(void)
{
    const char *t = "Governor Paul Okoro's claim that the port was safe angered the union.\n\n"
                    "The harbour ministers endorsed a statement that the workers had won.";
    nd_analysis *a = run(t);
    CHECK_STR(speaker(quote_with(a, "port was safe")), "Paul Okoro");
    const nd_quote *q = quote_with(a, "workers had won");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "The harbour ministers");
    nd_analysis_free(a);
}

/* ---- not quotations --------------------------------------------------------- */

/* Quoted words nobody is said to say are scare quotes. */
static void test_scare_quote(void)
{
    const char *t = "The so-called \"peace dividend\" never reached the port towns.";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "peace dividend");
    CHECK(q != NULL);
    if (q) {
        CHECK(q->scare);
        CHECK(q->speaker < 0);
    }
    nd_analysis_free(a);
}

/* A cue reports a clause or a quotation: a noun phrase ("announced a
 * truce"), "accused X of ..." and a relative clause whose gap lies in the
 * reported clause ("the ceasefire the union had said it wanted") are no
 * quotations. */
static void test_fragments_rejected(void)
{
    const char *t = "Governor Paul Okoro announced a three-day truce in the port, beginning on "
                    "Thursday. He accused the company of stoking the dispute. Okoro dropped the "
                    "ceasefire the union had said it wanted before the talks.";
    nd_analysis *a = run(t);
    CHECK_INT(a ? (long long) a->n_quotes : -1, 0);
    for (size_t i = 0; a && i < a->n_quotes; i++) fprintf(stderr, "  got: %s\n", a->quotes[i].text);
    nd_analysis_free(a);
}

/* The stance whose text contains needle. */
static const nd_quote *stance_with(const nd_analysis *a, const char *needle)
{
    for (size_t i = 0; a && i < a->n_stances; i++)
        if (a->stances[i].text && strstr(a->stances[i].text, needle)) return &a->stances[i];
    return NULL;
}

/* Acts and stances reported by their object or infinitive ("vowed to X",
 * "criticized X", "accused X of Y", "called for X", an act verb such as
 * "endorsed") are attributions of their own, apart from the quotations. */
static void test_stances(void)
{
    const char *t = "Governor Paul Okoro vowed to reopen the port by June. The dockers' union "
                    "criticized the decision. Okoro accused the company of stoking the dispute. "
                    "Mayor Ana Reyes called for a ban on night shifts. Reyes endorsed Okoro on "
                    "Friday.";
    nd_analysis *a = run(t);
    CHECK_INT(a ? (long long) a->n_quotes : -1, 0);
    const nd_quote *q = stance_with(a, "to reopen the port");
    CHECK(q != NULL);
    if (q) {
        CHECK_STR(speaker(q), "Paul Okoro");
        CHECK_STR(q->cue_lemma, "vow");
        CHECK_INT(q->type, ND_QUOTE_INDIRECT);
    }
    q = stance_with(a, "the decision");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "The dockers' union");
    q = stance_with(a, "the company of stoking");
    CHECK(q != NULL);
    if (q) CHECK_STR(speaker(q), "Paul Okoro");
    q = stance_with(a, "a ban on night shifts");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->content[0]), "a ban on night shifts");
    q = stance_with(a, "Okoro");
    CHECK(q != NULL);
    if (q) CHECK_STR(q->cue_lemma, "endorse");
    nd_analysis_free(a);
}

/* A stance in words of the speaker's own is a quotation; "called X" that
 * names or phones X is no stance. */
static void test_stance_in_quotes(void)
{
    const char *t = "Governor Paul Okoro thanked the dockers for coming to the port to mark ten "
                    "years since the 'historic' strike. The dockers' unions welcomed the deal "
                    "but threatened to call new strikes 'as long as the wages stay frozen'. "
                    "Okoro called the mayor on Monday.";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "historic");
    CHECK(q != NULL);
    if (q) {
        CHECK_STR(speaker(q), "Paul Okoro");
        CHECK_INT(q->type, ND_QUOTE_PARTIAL);
    }
    q = quote_with(a, "wages stay frozen");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "The dockers' unions");
    CHECK(stance_with(a, "historic") == NULL);
    CHECK(stance_with(a, "the mayor") == NULL);
    nd_analysis_free(a);
}

/* A headline's "Name: claim" is the name's claim. */
static void test_headline_colon(void)
{
    const char *t = "Governor Paul Okoro: The port strike will end within a week.\n\n"
                    "The dockers met on Monday.";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "strike will end");
    CHECK(q != NULL);
    if (q) {
        CHECK_STR(speaker(q), "Paul Okoro");
        CHECK_STR(span(t, q->cue), ":");
    }
    nd_analysis_free(a);
}

/* ---- coreference ------------------------------------------------------------ */

/* "he" in the next sentence is the subject before it. */
static void test_pronoun_speaker(void)
{
    const char *t = "Governor Paul Okoro met the strikers on Monday. He said the dispute would "
                    "end soon.";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "dispute would end");
    CHECK_STR(speaker(q), "Paul Okoro");
    if (q) CHECK_STR(span(t, q->source), "He");
    nd_analysis_free(a);
}

/* A chain of "he" keeps its actor over a name in a subordinate clause. */
static void test_pronoun_chain(void)
{
    const char *t = "The summit was a win for Governor Paul Okoro. Not only has he avoided new "
                    "taxes, as Mayor Ines Duarte had threatened, it now appears that he has "
                    "convinced the council that the port must stay open.";
    nd_analysis *a = run(t);
    CHECK_STR(speaker(quote_with(a, "port must stay open")), "Paul Okoro");
    nd_analysis_free(a);
}

/* "Mr Xi", "the Chinese leader": the person already named. */
static void test_name_and_office(void)
{
    const char *t = "Chinese President Xi Jinping arrived in Moscow on Monday. Mr Xi said trade "
                    "would grow. The Chinese leader added that both sides wanted peace.";
    nd_analysis *a = run(t);
    CHECK_STR(speaker(quote_with(a, "trade would grow")), "Xi Jinping");
    CHECK_STR(speaker(quote_with(a, "both sides wanted peace")), "Xi Jinping");
    nd_analysis_free(a);
}

/* "it" of an organisation, "they" of two people. */
static void test_it_and_they(void)
{
    const char *t = "The Brava Dock Company closed two terminals on Monday. It said the port would "
                    "reopen in June.\n\nXi Jinping met Vladimir Putin in Moscow. They said the two "
                    "countries would deepen ties.";
    nd_analysis *a = run(t);
    const nd_quote *q0 = quote_with(a, "reopen in June");
    CHECK(q0 && q0->speaker >= 0 && strstr(speaker(q0), "Brava Dock"));
    const nd_quote *q = quote_with(a, "deepen ties");
    CHECK(q != NULL);
    if (q) CHECK_STR(speaker(q), "Xi Jinping"); /* the first speaks for both */
    nd_analysis_free(a);
}

/* A quotation standing on its own line, signed by a dash and a person's
 * name closing the line (pull quotes, reader comments, embedded posts), is
 * that person's; each signature closes its own quotation, and a dash that
 * leads on into a phrase is no signature. */
static void test_dash_signature(void)
{
    const char *t = "Readers wrote to us about the budget.\n\n"
                    "\xE2\x80\x9CThe new tax will hurt every family on our street. We cannot "
                    "afford it.\xE2\x80\x9D \xE2\x80\x95 Maria Lopez\n"
                    "\xE2\x80\x9CI have waited three years for the bridge to be "
                    "repaired.\xE2\x80\x9D\xE2\x80\x95 Tom Becker, Riverside\n\n"
                    "\"We will rebuild the harbour and hire more teachers.\"\n\n- Janet Moore.\n\n"
                    "\"Nobody on the council has read the plan.\" - Tom Becker's neighbours "
                    "repeat it at every meeting.";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "new tax");
    CHECK(q != NULL);
    if (q) {
        CHECK_STR(speaker(q), "Maria Lopez");
        CHECK_INT((long long) q->n_content, 1);
    }
    check_speaker(a, "bridge", "Tom Becker");
    check_speaker(a, "harbour", "Janet Moore");
    check_speaker(a, "read the plan", "(none)");
    nd_analysis_free(a);
}

/* A quotation naming what a verb's object is, after "as", is the words
 * of the verb's subject whatever the verb ("pounding X as a "..."",
 * "admires X as a "...""); not when the subject is a thing, nor a title
 * after "as", nor "as" with no object before it. */
static void test_as_quoted(void)
{
    const char *t = "Senator Paul Grant has been steadily pounding the mayor as a "
                    "\xE2\x80\x9Creckless gambler\xE2\x80\x9D since May. Governor Ann Wells "
                    "openly admires the judge as a \xE2\x80\x9Cstrong leader,\xE2\x80\x9D "
                    "comparing her to her father. The new rules cast the harbour as a "
                    "\xE2\x80\x9C"
                    "free port\xE2\x80\x9D for ten years. The band released the "
                    "album as \xE2\x80\x9CNight Songs\xE2\x80\x9D in March. Grant served as "
                    "\xE2\x80\x9C"
                    "chief whip\xE2\x80\x9D for a decade.";
    nd_analysis *a = run(t);
    check_speaker(a, "reckless gambler", "Paul Grant");
    check_speaker(a, "strong leader", "Ann Wells");
    const char *none[] = {"free port", "Night Songs", "chief whip"};
    for (int i = 0; i < 3; i++) {
        const nd_quote *q = quote_with(a, none[i]);
        if (q) CHECK_STR(speaker(q), "(none)");
    }
    nd_analysis_free(a);
}

/* A right double mark that opens a line, glued to its first word, opens
 * the quotation (a left mark typed wrong). */
static void test_right_mark_opening(void)
{
    const char *t = "Readers wrote in.\n\n"
                    "\xE2\x80\x9DThe new tax will hurt every family on our street. We cannot "
                    "afford it.\xE2\x80\x9D \xE2\x80\x95 Maria Lopez\n";
    nd_analysis *a = run(t);
    check_speaker(a, "new tax", "Maria Lopez");
    nd_analysis_free(a);
}

/* A time never speaks, whatever role the parser gave it ("..., Wells,
 * D-Ore., said Tuesday" with "Tuesday" as the subject). */
static void test_time_not_speaker(void)
{
    const char *t = "\xE2\x80\x9COur plan is that the bill will be vetoed,\xE2\x80\x9D Senate "
                    "Minority Leader Ann Wells, D-Ore., said Tuesday. The new levy was approved "
                    "last week.";
    nd_analysis *a = run(t);
    for (size_t i = 0; a && i < a->n_quotes; i++) {
        const char *sp = speaker(&a->quotes[i]);
        CHECK(!strstr(sp, "Tuesday"));
    }
    nd_analysis_free(a);
}

/* A speaker before the cue keeps it across an aside of party and state
 * ("Doe (D-Wis.) said", "Roe, R-Ky., said Friday"), and a time after the
 * cue ("said Friday") is when, not who, even with a capital. */
static void test_speaker_before_aside(void)
{
    const char *t = "\xE2\x80\x9CWe will win this fight for the farmers,\xE2\x80\x9D Rep. Jane "
                    "Doe (D-Wis.) said Friday. \xE2\x80\x9CThe levy is a mistake,\xE2\x80\x9D "
                    "Senate leader John Roe, R-Ky., said. The vote was held in the evening.";
    nd_analysis *a = run(t);
    check_speaker(a, "win this fight", "Jane Doe");
    check_speaker(a, "levy is a mistake", "John Roe");
    nd_analysis_free(a);
}

/* "..., as well, saying": a phrase with no noun set off by commas is no
 * apposition, and a participle's subject is the main clause's. */
static void test_participle_not_aside(void)
{
    const char *t = "Governor Tom Poe (D), the mayor's rival, called Friday for releasing the "
                    "files, as well, saying that openness \xE2\x80\x9C"
                    "builds trust.\xE2\x80\x9D";
    nd_analysis *a = run(t);
    check_speaker(a, "builds trust", "Tom Poe");
    nd_analysis_free(a);
}

/* What one issues speaks for one: the subject of "released a note that
 * says", "published a report saying" is the speaker. */
static void test_issuer_speaks(void)
{
    const char *t = "The mayor is well. She released a letter from her doctor on Monday that "
                    "says she is in \xE2\x80\x9C"
                    "excellent health\xE2\x80\x9D for her age. The water board published a "
                    "report saying that the old dam was \xE2\x80\x9C"
                    "close to collapse.\xE2\x80\x9D";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "excellent health");
    CHECK(q != NULL);
    if (q) CHECK(strstr(speaker(q), "mayor") != NULL);
    q = quote_with(a, "close to collapse");
    CHECK(q != NULL);
    if (q) CHECK(strstr(speaker(q), "board") != NULL);
    nd_analysis_free(a);
}

/* "says raising the dam will protect ...": a gerund that opens the
 * reported clause is its subject, whatever the parse hung where. */
static void test_gerund_subject(void)
{
    nd_analysis *a =
        run("The water board says raising the dam will protect the valley from floods.");
    const nd_quote *q = quote_with(a, "raising the dam will protect");
    CHECK(q != NULL);
    if (q) CHECK(strstr(speaker(q), "water board") != NULL);
    nd_analysis_free(a);
    a = run("Mr. Lund said closing the bridge could cost the town dozens of jobs.");
    q = quote_with(a, "closing the bridge could cost");
    CHECK(q != NULL);
    if (q) CHECK(strstr(speaker(q), "Lund") != NULL);
    nd_analysis_free(a);
}

/* "The Vatican says X has ...": a "relative clause" on the sentence's
 * first noun with no predicate of its own is the main clause. */
static void test_relative_main_clause(void)
{
    nd_analysis *a =
        run("The Vatican says Cardinal Rossi has no plans to meet with Vermont Gov. Ann Pike.");
    const nd_quote *q = quote_with(a, "no plans to meet");
    CHECK(q != NULL);
    if (q) CHECK(strstr(speaker(q), "Vatican") != NULL);
    nd_analysis_free(a);
}

/* A cue the tree gives no subject speaks for the noun phrase that opens
 * its clause ("Six in 10 ... voters say", "Aides to the mayor say", a
 * name the tagger took for an auxiliary); a phrase that holds a name is
 * not that name. */
static void test_opening_subject(void)
{
    nd_analysis *a = run("Six in 10 Republican registered voters say they think the mayor could "
                         "win a second term.");
    check_speaker(a, "could win a second term", "Six in 10 Republican registered voters");
    nd_analysis_free(a);
    a = run("Aides to the mayor say she is shifting her focus to housing.");
    check_speaker(a, "shifting her focus", "Aides to the mayor");
    nd_analysis_free(a);
    a = run("Boreing said the members will still meet.");
    check_speaker(a, "members will still meet", "Boreing");
    nd_analysis_free(a);
}

/* "says Lee's plan of action for all is the best way", "said the
 * majority of drivers passing by were polite": a verb of saying takes no
 * object with a predicate of its own after it; the two are what it
 * reports. */
static void test_object_predicate(void)
{
    nd_analysis *a = run("Okafor says Lee\xE2\x80\x99s plan of action for all is the best way the "
                         "city might grow.");
    const nd_quote *q = quote_with(a, "is the best way");
    CHECK(q != NULL);
    if (q) {
        CHECK(strstr(q->text, "plan of action") != NULL);
        CHECK(strstr(speaker(q), "Okafor") != NULL);
    }
    nd_analysis_free(a);
    a = run(
        "Tom Baird runs the depot. He said the majority of drivers passing by were very polite.");
    check_speaker(a, "drivers passing by were very polite", "Tom Baird");
    nd_analysis_free(a);
    /* the cue hung from the predicate, the infinitive the object's */
    a = run("Ana Ruiz runs the library. In June she said her plan to close the library was a "
            "mistake.");
    q = quote_with(a, "was a mistake");
    CHECK(q != NULL);
    if (q) {
        CHECK(strstr(q->text, "her plan to close") != NULL);
        CHECK_STR(speaker(q), "Ana Ruiz");
    }
    nd_analysis_free(a);
}

/* The same sentences with the trees of a parser that reads them as UD
 * does, but for the reported clause's subject, made the cue's object: a
 * content clause with a finite copula or auxiliary and no subject of its
 * own takes the cue's object before it for subject. */
static void test_object_subject_given_tree(void)
{
    const char *t = "Okafor says Lee\xE2\x80\x99s plan of action for all is the best way the city "
                    "might grow.";
    nd_analysis *a =
        run_tree(t, "Okafor/ADJ/2/nsubj says/VERB/0/root Lee/PROPN/5/nmod:poss "
                    "\xE2\x80\x99s/PART/3/case plan/NOUN/2/obj of/ADP/7/case action/NOUN/5/nmod "
                    "for/ADP/9/case all/DET/13/obl is/AUX/13/cop the/DET/13/det best/ADJ/13/amod "
                    "way/NOUN/2/ccomp the/DET/15/det city/NOUN/17/nsubj might/AUX/17/aux "
                    "grow/VERB/13/acl:relcl ./PUNCT/2/punct");
    CHECK(a != NULL);
    const nd_quote *q = quote_with(a, "is the best way");
    CHECK(q != NULL);
    if (q) {
        CHECK_STR(q->text,
                  "Lee\xE2\x80\x99s plan of action for all is the best way the city might grow");
        CHECK(strstr(speaker(q), "Okafor") != NULL);
    }
    nd_analysis_free(a);
    t = "Ana Ruiz runs the library. In June she said her plan to close the library was a mistake.";
    a = run_tree(t, "Ana/PROPN/3/nsubj Ruiz/PROPN/1/flat runs/VERB/0/root the/DET/5/det "
                    "library/NOUN/3/obj ./PUNCT/3/punct | In/ADP/2/case June/PROPN/4/obl "
                    "she/PRON/4/nsubj said/VERB/0/root her/PRON/6/nmod:poss plan/NOUN/4/obj "
                    "to/PART/8/mark close/VERB/4/xcomp the/DET/10/det library/NOUN/8/obj "
                    "was/AUX/13/cop a/DET/13/det mistake/NOUN/4/ccomp ./PUNCT/13/punct");
    q = quote_with(a, "was a mistake");
    CHECK(q != NULL);
    if (q) {
        CHECK_STR(q->text, "her plan to close the library was a mistake");
        CHECK_STR(speaker(q), "Ana Ruiz");
    }
    nd_analysis_free(a);
    /* an object with a clause that has its own subject stays the object */
    t = "She told the board the plan was a mistake.";
    a = run_tree(t, "She/PRON/2/nsubj told/VERB/0/root the/DET/4/det board/NOUN/2/obj "
                    "the/DET/6/det plan/NOUN/9/nsubj was/AUX/9/cop a/DET/9/det "
                    "mistake/NOUN/2/ccomp ./PUNCT/2/punct");
    q = quote_with(a, "was a mistake");
    CHECK(q != NULL);
    if (q) CHECK_STR(q->text, "the plan was a mistake");
    nd_analysis_free(a);
    /* a given tree that is not the text's is an error */
    CHECK(run_tree("She left.", "She/PRON/0/root") == NULL);
}

/* "X say A; 26 percent say B": a report with a subject of its own after a
 * semicolon (or "and") is its own. */
static void test_second_report_own_subject(void)
{
    nd_analysis *a = run("Most riders say the trains are late; 30 percent of drivers say the roads "
                         "are worse.");
    check_speaker(a, "roads are worse", "30 percent of drivers");
    const nd_quote *q = quote_with(a, "trains are late");
    CHECK(q != NULL);
    if (q) CHECK(strstr(q->text, "roads") == NULL);
    nd_analysis_free(a);
}

/* "see X as Y" is a judgement, reported by its object and what it is
 * seen as; "saw that ..." reports its clause; "see if", "saw him" are
 * none. */
static void test_see_as(void)
{
    const char *t = "Farmers see the new dam as a threat to their land. Mayor Ana Reyes saw that "
                    "the vote could be close. We will see if the plan works. I saw him at the "
                    "store.";
    nd_analysis *a = run(t);
    const nd_quote *q = stance_with(a, "as a threat");
    CHECK(q != NULL);
    if (q) {
        CHECK_STR(span(t, q->content[0]), "the new dam as a threat to their land");
        CHECK_STR(speaker(q), "Farmers");
    }
    check_speaker(a, "the vote could be close", "Ana Reyes");
    CHECK(quote_with(a, "the plan works") == NULL && stance_with(a, "the plan works") == NULL);
    CHECK(stance_with(a, "him") == NULL);
    nd_analysis_free(a);
}

/* '"...," said former Gov. Jim Dale': the noun phrase after an inverted
 * cue is the speaker, whatever the parse made of its first word. */
static void test_inverted_speaker_phrase(void)
{
    const char *t = "\xE2\x80\x9CThe race is close,\xE2\x80\x9D said former Ohio Gov. Jim Dale. "
                    "\xE2\x80\x9CI disagree,\xE2\x80\x9D said retired Army Gen. Mick Roe.";
    nd_analysis *a = run(t);
    check_speaker(a, "race is close", "Jim Dale");
    const nd_quote *q = quote_with(a, "I disagree");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "retired Army Gen. Mick Roe");
    nd_analysis_free(a);
}

/* "The union leadership fears that ...": an inflected cue form the tagger
 * took for a noun, between a noun and "that", is the verb. */
static void test_cue_noun_before_that(void)
{
    nd_analysis *a = run("The union leadership fears that the new shift rules could spark a "
                         "strike. The city council hopes that the bridge will open in May.");
    const nd_quote *q = quote_with(a, "could spark a strike");
    CHECK(q != NULL);
    if (q) CHECK(strstr(speaker(q), "leadership") != NULL);
    q = quote_with(a, "bridge will open");
    CHECK(q != NULL);
    if (q) CHECK(strstr(speaker(q), "council") != NULL);
    nd_analysis_free(a);
}

/* "X, who said ...": the source phrase runs from the noun phrase the
 * relative pronoun stands for to the pronoun; the speaker's name is the
 * noun phrase. */
static void test_relative_source_span(void)
{
    const char *t = "The plan was opposed by some local farmers who have suggested that the "
                    "budget is too small.";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "budget is too small");
    CHECK(q != NULL);
    if (q) {
        CHECK_STR(span(t, q->source), "some local farmers who");
        CHECK_STR(speaker(q), "some local farmers");
    }
    nd_analysis_free(a);
}

/* "Transportation Secretary Ann Cole says ...": a capitalised title
 * before a name, which the parse may make a subject with the name for
 * apposition, is one speaker, not a relative clause on a noun. */
static void test_title_apposition(void)
{
    nd_analysis *a = run("Transportation Secretary Ann Cole says thieves are targeting rail yards "
                         "in three states.");
    const nd_quote *q = quote_with(a, "thieves are targeting");
    CHECK(q != NULL);
    if (q) CHECK(strstr(speaker(q), "Ann Cole") != NULL);
    nd_analysis_free(a);
}

/* "X said A, adding that B": a participle after the comma with no
 * subject of its own is a second report by the same speaker. */
static void test_participle_second_report(void)
{
    nd_analysis *a =
        run("Mayor Ann Roe said the budget was too small, adding that the council would meet "
            "again.");
    const nd_quote *q = quote_with(a, "budget was too small");
    CHECK(q != NULL);
    if (q) {
        CHECK(strstr(q->text, "council") == NULL);
        CHECK_STR(speaker(q), "Ann Roe");
    }
    check_speaker(a, "council would meet again", "Ann Roe");
    nd_analysis_free(a);
}

/* "A poll released Sunday found that ...": the parse takes the
 * participle of a reduced relative for the main verb; its subject with
 * the participle's phrase is the source. */
static void test_reduced_relative_source(void)
{
    const char *t = "Exit polls taken in three states found that most voters backed a ban.";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "most voters backed a ban");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "Exit polls taken in three states");
    nd_analysis_free(a);
}

/* "say Jo Roe, the clerk who ..., held ...": a noun phrase and a finite
 * verb after a verb of saying are the clause it reports, whatever the
 * parse made of them; "said goodbye ... and left" reports nothing. */
static void test_subject_then_verb(void)
{
    nd_analysis *a =
        run("Officials say Jo Roe, the clerk who ran the office for a decade, held two "
            "bank accounts. Mr. Lund said goodbye to the crowd and left the stage.");
    check_speaker(a, "held two bank accounts", "Officials");
    CHECK(quote_with(a, "left the stage") == NULL);
    nd_analysis_free(a);
}

/* "..., experts say.": a subject and its cue after a comma at the end of
 * the sentence stand aside, whatever relative clause the parse made. */
static void test_trailing_relative_aside(void)
{
    nd_analysis *a = run("The rising cost of bread is partly because of a decrease in wheat "
                         "harvests, experts say.");
    check_speaker(a, "decrease in wheat harvests", "experts");
    nd_analysis_free(a);
}

/* A transcript's speaker labels ("ROE: ...", "Matthews: ...") and a
 * headline's source are capitalised words before a colon that opens the
 * line; an editor's label ("Update: ...") is none. */
static void test_speaker_label(void)
{
    const char *t = "Partial transcript as follows:\n\nHOST: Governor, what did you make of "
                    "the debate?\n\nROE: Well, look, the mayor thinks this is a game.\n\n"
                    "Matthews: Well, speculation is bad.\n\nUpdate: The council will meet "
                    "on Monday.";
    nd_analysis *a = run(t);
    check_speaker(a, "thinks this is a game", "ROE");
    check_speaker(a, "speculation is bad", "Matthews");
    CHECK(quote_with(a, "council will meet") == NULL);
    nd_analysis_free(a);
}

/* "He said, however, that he hopes '...'": a clause with its "that" is
 * reported, never an aside reporting the sentence around it. */
static void test_that_clause_not_aside(void)
{
    const char *t = "The clerk left in May. He said, however, that he hopes \xE2\x80\x9C"
                    "somebody else takes up the fight\xE2\x80\x9D against the plan.";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "somebody else takes up");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "He");
    nd_analysis_free(a);
}

/* "But, Dale added, he did not back it 'willy-nilly'": a stance in the
 * clause an aside reports is part of that report, and does not cut it. */
static void test_aside_holds_stance(void)
{
    const char *t = "But, Dale added, he did not support closing schools "
                    "\xE2\x80\x9Cwilly-nilly.\xE2\x80\x9D";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "willy-nilly");
    CHECK(q != NULL);
    if (q) {
        CHECK_STR(span(t, q->source), "Dale");
        CHECK_STR(q->cue_lemma ? q->cue_lemma : "(none)", "add");
    }
    nd_analysis_free(a);
}

/* "Nearly half said ...", "A third said ...": a share of people that
 * opens the clause is the source, whatever the tagger made of it. */
static void test_share_source(void)
{
    const char *t = "Nearly half said they prefer an outsider. A third said they had not decided.";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "prefer an outsider");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "Nearly half");
    q = quote_with(a, "had not decided");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "A third");
    nd_analysis_free(a);
}

/* '"...," said one former executive who asked ...', '..., said another
 * leading lawyer, ...': the phrase after an inverted cue, to a relative
 * pronoun, with its participles as modifiers, is the speaker. */
static void test_inverted_phrase_source(void)
{
    const char *t = "\"The court will wait a year,\" said another leading appeals lawyer, Jo "
                    "Pincus of the firm Roe Brown. \"She was not one for long meetings,\" said "
                    "one former executive who requested anonymity.";
    nd_analysis *a = run(t);
    check_speaker(a, "wait a year", "another leading appeals lawyer");
    check_speaker(a, "long meetings", "one former executive");
    nd_analysis_free(a);
}

/* The same with the tree of a parser that makes the phrase after the cue
 * its subject (as UD does) and the name its apposition: the speaker's
 * phrase ends at the apposition's comma (a list of names is no
 * apposition). */
static void test_inverted_apposition_given_tree(void)
{
    const char *t = "\"The court will wait a year,\" said another leading appeals lawyer, Jo "
                    "Pincus of the firm Roe Brown.";
    nd_analysis *a = run_tree(
        t, "\"/PUNCT/5/punct The/DET/3/det court/NOUN/5/nsubj will/AUX/5/aux wait/VERB/10/ccomp "
           "a/DET/7/det year/NOUN/5/obl:unmarked ,/PUNCT/5/punct \"/PUNCT/5/punct said/VERB/0/root "
           "another/DET/14/det leading/VERB/14/amod appeals/NOUN/14/compound "
           "lawyer/NOUN/10/nsubj ,/PUNCT/16/punct Jo/PROPN/14/appos Pincus/PROPN/16/flat "
           "of/ADP/20/case the/DET/20/det firm/NOUN/17/nmod Roe/PROPN/22/compound "
           "Brown/PROPN/16/flat ./PUNCT/10/punct");
    CHECK(a != NULL);
    check_speaker(a, "wait a year", "another leading appeals lawyer");
    const nd_quote *q = quote_with(a, "wait a year");
    if (q) CHECK_STR(span(t, q->source), "another leading appeals lawyer");
    nd_analysis_free(a);
    t = "\"It was a long fight,\" said Ann Lee, Tom Hart and Raj Patel.";
    a = run_tree(t, "\"/PUNCT/5/punct It/PRON/5/nsubj was/AUX/5/cop a/DET/5/det "
                    "long/ADJ/5/amod fight/NOUN/10/ccomp ,/PUNCT/5/punct \"/PUNCT/5/punct "
                    "said/VERB/0/root Ann/PROPN/11/compound Lee/PROPN/10/nsubj ,/PUNCT/13/punct "
                    "Tom/PROPN/11/conj Hart/PROPN/13/flat and/CCONJ/16/cc Raj/PROPN/11/conj "
                    "Patel/PROPN/16/flat ./PUNCT/10/punct");
    q = quote_with(a, "long fight");
    CHECK(q != NULL);
    if (q) CHECK(!strncmp(span(t, q->source), "Ann Lee", 7));
    nd_analysis_free(a);
}

/* "said in a statement that A ...": the that-clause on the thing said is
 * the content even when the parse hangs a later phrase on the cue as its
 * ccomp (a description after the quoted words: "ready to ..."). */
static void test_statement_clause_first_given_tree(void)
{
    const char *t = "Ana Ruiz said in a statement that the union backed a plan that would let "
                    "ports 'share the cost of the repairs, ready to start in spring'.";
    nd_analysis *a =
        run_tree(t, "Ana/PROPN/2/compound Ruiz/PROPN/3/nsubj said/VERB/0/root in/ADP/6/case "
                    "a/DET/6/det statement/NOUN/3/obl that/SCONJ/10/mark the/DET/9/det "
                    "union/NOUN/10/nsubj backed/VERB/6/acl a/DET/12/det plan/NOUN/10/obj "
                    "that/PRON/15/nsubj would/AUX/15/aux let/VERB/12/acl:relcl ports/NOUN/15/obj "
                    "'/PUNCT/16/punct share/VERB/15/xcomp the/DET/20/det cost/NOUN/18/obj "
                    "of/ADP/23/case the/DET/23/det repairs/NOUN/20/nmod ,/PUNCT/25/punct "
                    "ready/ADJ/3/ccomp to/PART/27/mark start/VERB/25/xcomp in/ADP/29/case "
                    "spring/NOUN/27/obl '/PUNCT/25/punct ./PUNCT/3/punct");
    CHECK(a != NULL);
    const nd_quote *q = quote_with(a, "share the cost");
    CHECK(q != NULL);
    if (q) {
        CHECK_STR(speaker(q), "Ana Ruiz");
        CHECK_INT(q->type, ND_QUOTE_PARTIAL);
        CHECK(strstr(span(t, q->clause), "the union backed a plan") != NULL);
    }
    nd_analysis_free(a);
}

/* Not reports: a clause of consequence ("opposed the budget, so the
 * council voted again") hung on the verb as a parataxis, and an
 * imperative opening the sentence ("READ MORE", page furniture glued to
 * it), on the trees parser models make of them. */
static void test_not_reports_given_tree(void)
{
    const char *t = "The mayor opposed the budget, so the council voted again.";
    nd_analysis *a = run_tree(t, "The/DET/2/det mayor/NOUN/3/nsubj opposed/VERB/0/root "
                                 "the/DET/5/det budget/NOUN/3/obj ,/PUNCT/10/punct "
                                 "so/ADV/10/advmod the/DET/9/det council/NOUN/10/nsubj "
                                 "voted/VERB/3/parataxis again/ADV/10/advmod ./PUNCT/3/punct");
    CHECK(a != NULL);
    CHECK_INT(quotes_with(a, "council voted"), 0);
    for (size_t i = 0; a && i < a->n_stances; i++)
        CHECK(strstr(a->stances[i].text, "council voted") == NULL);
    nd_analysis_free(a);
    /* after a verb that is not one of saying, with no comma too */
    t = "The union opposed the new rules in March so the likely outcome is that the board will "
        "drop them.";
    a = run_tree(t, "The/DET/2/det union/NOUN/3/nsubj opposed/VERB/0/root the/DET/6/det "
                    "new/ADJ/6/amod rules/NOUN/3/obj in/ADP/8/case March/PROPN/3/obl "
                    "so/ADV/18/advmod the/DET/12/det likely/ADJ/12/amod "
                    "outcome/NOUN/18/nsubj:outer is/AUX/18/cop that/SCONJ/18/mark the/DET/16/det "
                    "board/NOUN/18/nsubj will/AUX/18/aux drop/VERB/3/parataxis them/PRON/18/obj "
                    "./PUNCT/3/punct");
    CHECK_INT(quotes_with(a, "likely outcome"), 0);
    nd_analysis_free(a);
    /* a verb of saying reports a clause it runs into with no comma */
    t = "The union said the rules were unfair and so the board would drop them.";
    a = run(t);
    check_speaker(a, "rules were unfair", "The union");
    nd_analysis_free(a);
    t = "READ MORE: Council says the flood barrier will be built";
    a = run_tree(t, "READ/VERB/0/root MORE/ADJ/1/obj :/PUNCT/5/punct Council/PROPN/5/nsubj "
                    "says/VERB/1/parataxis the/DET/8/det flood/NOUN/8/compound "
                    "barrier/NOUN/5/obj will/AUX/11/aux be/AUX/11/aux:pass built/VERB/1/conj");
    CHECK_INT(quotes_with(a, "Council says"), 0);
    check_speaker(a, "flood barrier will be built", "Council");
    nd_analysis_free(a);
    t = "The council approved the flood barrier on Wednesday. READ MORE The mayor said the "
        "barrier would protect homes.";
    a = run_tree(t, "The/DET/2/det council/NOUN/3/nsubj approved/VERB/0/root the/DET/6/det "
                    "flood/NOUN/6/compound barrier/NOUN/3/obj on/ADP/8/case "
                    "Wednesday/PROPN/3/obl ./PUNCT/3/punct | READ/VERB/5/ccomp MORE/ADJ/1/obj "
                    "The/DET/4/det mayor/NOUN/5/nsubj said/VERB/0/root the/DET/7/det "
                    "barrier/NOUN/9/nsubj would/AUX/9/aux protect/VERB/5/ccomp homes/NOUN/9/obj "
                    "./PUNCT/5/punct");
    CHECK_INT(quotes_with(a, "MORE"), 0);
    const nd_quote *q = quote_with(a, "would protect homes");
    CHECK(q != NULL);
    if (q) CHECK_STR(q->text, "the barrier would protect homes");
    nd_analysis_free(a);
}

/* "according to exit polls", "According to court records, ...": the
 * source is the noun phrase right after "to", read off the words (a noun
 * the tagger took for a verb before another noun is part of it), not a
 * subject the parse hung "according" on; it stops before a pronoun that
 * opens a relative clause ("the memo he released"). */
static void test_according_to_phrase(void)
{
    const char *t = "Farmers made up 30 percent of the voters in 2020, according to exit polls. "
                    "According to court records, the mayor owned half of the company. The plan "
                    "would cost $2 billion, according to the memo he released.";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "30 percent of the voters");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "exit polls");
    q = quote_with(a, "owned half of the company");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "court records");
    q = quote_with(a, "would cost $2 billion");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "the memo");
    nd_analysis_free(a);
}

/* "X has said A - and thinks B": after a dash, as after a comma, a second
 * report that shares the subject is its own. */
static void test_dash_second_report(void)
{
    nd_analysis *a = run("Dale has said he does not plan to stage a mock debate - and thinks that "
                         "maybe his daughter will play the mayor.");
    const nd_quote *q = quote_with(a, "mock debate");
    CHECK(q != NULL);
    if (q) CHECK(strstr(q->text, "daughter") == NULL);
    check_speaker(a, "his daughter will play", "Dale");
    nd_analysis_free(a);
}

/* "Republican front-runner Jim Dale says ...": a hyphen inside a word
 * is no punctuation that would make the name a relative clause's
 * subject; "The plan, Mr. Roe argued, is ...": a subject and its cue
 * between commas stand aside, whatever relative clause the parse made. */
static void test_hyphen_and_comma_aside(void)
{
    nd_analysis *a = run("Republican front-runner Jim Dale says China is using trade rules to take "
                         "jobs away from Ohio. The allure of simplicity itself, Mr. Furman argued, "
                         "is largely a chimera.");
    check_speaker(a, "China is using trade rules", "Jim Dale");
    check_speaker(a, "allure of simplicity", "Furman");
    nd_analysis_free(a);
}

/* "says racist things", "say the same of the governor", "claimed
 * victory": what a verb whose object is what is said names by a noun
 * phrase is reported, as a stance; not the object of a verb with another
 * sense ("admitted two members", "wrote songs"). */
static void test_say_object_stance(void)
{
    const char *t = "Dale says racist things. Only 49 percent of farmers say the same of the "
                    "governor. Ms. Roe claimed victory in a tweet. The alliance admitted two new "
                    "members. The band wrote songs about the mill.";
    nd_analysis *a = run(t);
    CHECK(stance_with(a, "victory") != NULL);
    CHECK(stance_with(a, "two new members") == NULL); /* "admit": let in */
    CHECK(stance_with(a, "songs") == NULL);           /* "write": compose */
    const nd_quote *q = stance_with(a, "racist things");
    CHECK(q != NULL);
    if (q) CHECK_STR(speaker(q), "Dale");
    q = stance_with(a, "the same of the governor");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "Only 49 percent of farmers");
    nd_analysis_free(a);
}

/* "report" names what is reported by its object, as "say" does ("reported a
 * loss"); a time after the cue is when, never what is said ("..., the
 * Gazette reported Friday" reports the clause around it). */
static void test_report_object_stance(void)
{
    const char *t = "Okafor Farms reported a loss of two million dollars. The mill will close "
                    "in June, the Harbor Gazette reported Friday.";
    nd_analysis *a = run(t);
    const nd_quote *q = stance_with(a, "a loss of two million dollars");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "Okafor Farms");
    CHECK(stance_with(a, "Friday") == NULL);
    q = quote_with(a, "The mill will close in June");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "the Harbor Gazette");
    nd_analysis_free(a);
}

/* "issued a statement Tuesday saying ...": the time between the thing said
 * and its participle is when; the statement's issuer speaks.  A participle
 * on a noun takes no object of its own: "Small Farms Matter issued a
 * statement" is the group's, whatever the parse made of "issued". */
static void test_issued_statement_saying(void)
{
    const char *t = "Mr. Dale issued a statement Tuesday saying that the Senate should wait. "
                    "Small Farms Matter issued a statement saying the new tax was unfair.";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "the Senate should wait");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "Mr. Dale");
    q = quote_with(a, "the new tax was unfair");
    CHECK(q != NULL);
    if (q) CHECK_STR(span(t, q->source), "Small Farms Matter");
    nd_analysis_free(a);
}

int main(void)
{
    RUN(test_two_single_marks);
    RUN(test_definite_descriptions);
    RUN(test_split_quotation);
    RUN(test_mixed_quotation);
    RUN(test_parenthetical);
    RUN(test_according_to);
    RUN(test_passive_agent);
    RUN(test_platform_not_speaker);
    RUN(test_speaker_not_in_quote);
    RUN(test_speaker_phrase);
    RUN(test_report_nouns);
    RUN(test_scare_quote);
    RUN(test_fragments_rejected);
    RUN(test_stances);
    RUN(test_stance_in_quotes);
    RUN(test_headline_colon);
    RUN(test_pronoun_speaker);
    RUN(test_pronoun_chain);
    RUN(test_name_and_office);
    RUN(test_it_and_they);
    RUN(test_dash_signature);
    RUN(test_as_quoted);
    RUN(test_right_mark_opening);
    RUN(test_time_not_speaker);
    RUN(test_speaker_before_aside);
    RUN(test_participle_not_aside);
    RUN(test_issuer_speaks);
    RUN(test_gerund_subject);
    RUN(test_relative_main_clause);
    RUN(test_opening_subject);
    RUN(test_object_predicate);
    RUN(test_object_subject_given_tree);
    RUN(test_see_as);
    RUN(test_inverted_speaker_phrase);
    RUN(test_cue_noun_before_that);
    RUN(test_relative_source_span);
    RUN(test_second_report_own_subject);
    RUN(test_title_apposition);
    RUN(test_participle_second_report);
    RUN(test_reduced_relative_source);
    RUN(test_subject_then_verb);
    RUN(test_trailing_relative_aside);
    RUN(test_speaker_label);
    RUN(test_that_clause_not_aside);
    RUN(test_aside_holds_stance);
    RUN(test_share_source);
    RUN(test_inverted_phrase_source);
    RUN(test_inverted_apposition_given_tree);
    RUN(test_not_reports_given_tree);
    RUN(test_statement_clause_first_given_tree);
    RUN(test_according_to_phrase);
    RUN(test_dash_second_report);
    RUN(test_hyphen_and_comma_aside);
    RUN(test_say_object_stance);
    RUN(test_report_object_stance);
    RUN(test_issued_statement_saying);
    return tap_done();
}
