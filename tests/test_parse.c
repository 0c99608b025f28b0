/* test_parse.c - UD words, the tagger and parser, the model file checks and
 * the CoNLL-U reader. */
#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "newsdesk/newsdesk.h"
#include "parse/parse_int.h"
#include "tap.h"

#define MODEL_FILE ND_TEST_DATA "/../../data/parse/en_ewt.ndpm"

static size_t words(const char *s, nd_word *w, size_t max)
{
    return nd_parse_words(s, 0, strlen(s), w, max, NULL);
}

/* The words of s joined by '|'. */
static const char *joined(const char *s)
{
    static char out[1024];
    nd_word w[128];
    size_t n = words(s, w, 128), o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i) out[o++] = '|';
        memcpy(out + o, s + w[i].start, w[i].end - w[i].start);
        o += w[i].end - w[i].start;
    }
    out[o] = 0;
    return out;
}

static void test_labels(void)
{
    CHECK_STR(nd_upos_name(ND_UPOS_PROPN), "PROPN");
    CHECK_STR(nd_upos_name(999), "_");
    CHECK_INT(nd_upos_from_name("VERB", 4), ND_UPOS_VERB);
    CHECK_INT(nd_upos_from_name("VERBS", 5), ND_UPOS_NONE);
    CHECK_STR(nd_deprel_name(ND_DEP_NSUBJ_PASS), "nsubj:pass");
    CHECK_INT(nd_deprel_from_name("acl:relcl", 9), ND_DEP_ACL_RELCL);
    CHECK_INT(nd_deprel_from_name("obl:about", 9), ND_DEP_OBL);
    CHECK_INT(nd_deprel_from_name("bogus", 5), ND_DEP_NONE);
    CHECK_INT(nd_deprel_base(ND_DEP_AUX_PASS), ND_DEP_AUX);
    CHECK_INT(nd_deprel_base(ND_DEP_OBJ), ND_DEP_OBJ);
    for (int d = 1; d < ND_DEP_COUNT; d++) {
        const char *n = nd_deprel_name(d);
        CHECK_INT(nd_deprel_from_name(n, strlen(n)), d);
    }
}

static void test_words(void)
{
    CHECK_STR(joined("Mr. Smith didn't say the U.S. demanded Ukraine's land."),
              "Mr.|Smith|did|n't|say|the|U.S.|demanded|Ukraine|'s|land|.");
    CHECK_STR(joined("I'm sure they're here, we'll see; you've said he'd go."),
              "I|'m|sure|they|'re|here|,|we|'ll|see|;|you|'ve|said|he|'d|go|.");
    CHECK_STR(joined("It’s Russia’s call: we cannot wait, gonna win."),
              "It|’s|Russia|’s|call|:|we|can|not|wait|,|gon|na|win|.");
    CHECK_STR(joined("a well-known non-profit co-operation, e-mail 713-853-3989"),
              "a|well|-|known|non-profit|co-operation|,|e-mail|713-853-3989");
    CHECK_STR(joined("up 3.5% to $27,000 (est.)"), "up|3.5|%|to|$|27,000|(|est.|)");
    CHECK_STR(joined("See http://example.com/a?b=1. Or mail jo.doe@example.org!"),
              "See|http://example.com/a?b=1|.|Or|mail|jo.doe@example.org|!");
    CHECK_STR(joined("DON'T dont"), "DO|N'T|do|nt");
    /* offsets, flags, limits */
    nd_word w[8];
    const char *s = "He didn't.";
    size_t stop = 0, n = nd_parse_words(s, 0, strlen(s), w, 8, &stop);
    CHECK_INT(n, 4);
    CHECK_INT(stop, strlen(s));
    CHECK_INT(w[1].start, 3);
    CHECK_INT(w[1].end, 6);
    CHECK(w[1].flags & ND_WORDF_NOSPACE);
    CHECK(w[1].flags & ND_WORDF_SPLIT);
    CHECK(!(w[0].flags & ND_WORDF_NOSPACE));
    n = nd_parse_words(s, 0, strlen(s), w, 2, &stop);
    CHECK_INT(n, 1); /* "did" + "n't" do not fit after "He" */
    CHECK_INT(stop, 3);
    n = nd_parse_words(s, 3, strlen(s), w, 8, &stop); /* a piece of the text */
    CHECK_INT(n, 3);
    CHECK_INT(w[0].start, 3);
    CHECK_INT(nd_parse_words(s, 5, 5, w, 8, NULL), 0);
    CHECK_INT(nd_parse_words("   ", 0, 3, w, 8, NULL), 0);
}

static void test_sentences(void)
{
    const char *t = "Mr. Xi met Mr. Putin. They talked.\n\nA new paragraph";
    nd_span *sp = NULL;
    size_t n = 0;
    CHECK_INT(nd_parse_sentences(t, strlen(t), &sp, &n, NULL), 0);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_INT(sp[0].start, 0);
        CHECK_INT(sp[0].end, 21);
        CHECK_INT(sp[2].start, 36);
    }
    nd_free(sp);
    CHECK_INT(nd_parse_sentences("", 0, &sp, &n, NULL), 0);
    CHECK_INT(n, 0);
}

/* Parse one sentence of text with the default model. */
static size_t parse(const char *s, nd_word *w, size_t max, nd_parse_work *wk)
{
    const nd_parser *p = nd_parser_default(NULL);
    size_t n = words(s, w, max);
    CHECK_INT(nd_parse_sentence(p, s, strlen(s), w, n, wk), 0);
    return n;
}

static int is_tree(const nd_word *w, size_t n)
{
    size_t roots = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i].head < 0) {
            roots++;
            continue;
        }
        if (w[i].head >= (int32_t) n || w[i].head == (int32_t) i) return 0;
        /* no cycle: the path to the root is at most n long */
        int32_t h = (int32_t) i;
        size_t steps = 0;
        while (h >= 0 && steps <= n) h = w[h].head, steps++;
        if (steps > n) return 0;
    }
    return roots == 1;
}

static void test_trees(void)
{
    nd_error err = {0};
    const nd_parser *p = nd_parser_default(&err);
    CHECK(p != NULL);
    if (!p) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    CHECK(p == nd_parser_default(NULL));
    nd_parse_work *wk = nd_parse_work_new();
    nd_word w[64];
    /* They were killed by soldiers . */
    size_t n = parse("They were killed by soldiers.", w, 64, wk);
    CHECK_INT(n, 6);
    CHECK(is_tree(w, n));
    CHECK_INT(w[2].head, -1);
    CHECK_INT(w[2].deprel, ND_DEP_ROOT);
    CHECK_INT(w[2].upos, ND_UPOS_VERB);
    CHECK_STR(w[2].lemma, "kill");
    CHECK_INT(w[0].head, 2);
    CHECK_INT(w[0].deprel, ND_DEP_NSUBJ_PASS);
    CHECK_INT(w[1].head, 2);
    CHECK_INT(w[1].deprel, ND_DEP_AUX_PASS);
    CHECK_STR(w[1].lemma, "be");
    CHECK_INT(w[3].head, 4);
    CHECK_INT(w[3].deprel, ND_DEP_CASE);
    CHECK_INT(w[4].head, 2);
    CHECK_INT(nd_deprel_base(w[4].deprel), ND_DEP_OBL);
    CHECK_INT(w[5].deprel, ND_DEP_PUNCT);
    /* She gave him a book . */
    n = parse("She gave him a book.", w, 64, wk);
    CHECK(is_tree(w, n));
    CHECK_INT(w[1].head, -1);
    CHECK_STR(w[1].lemma, "give");
    CHECK_INT(w[0].deprel, ND_DEP_NSUBJ);
    CHECK_INT(w[2].head, 1);
    CHECK_INT(w[2].deprel, ND_DEP_IOBJ);
    CHECK_INT(w[4].head, 1);
    CHECK_INT(w[4].deprel, ND_DEP_OBJ);
    CHECK_INT(w[3].head, 4);
    CHECK_INT(w[3].deprel, ND_DEP_DET);
    /* Putin will not attend the summit in Alaska . */
    n = parse("Putin will not attend the summit in Alaska.", w, 64, wk);
    CHECK(is_tree(w, n));
    CHECK_INT(w[3].head, -1);
    CHECK_INT(w[0].head, 3);
    CHECK_INT(w[0].deprel, ND_DEP_NSUBJ);
    CHECK_INT(w[0].upos, ND_UPOS_PROPN);
    CHECK_INT(w[1].deprel, ND_DEP_AUX);
    CHECK_INT(w[2].head, 3);
    CHECK_INT(w[5].deprel, ND_DEP_OBJ);
    CHECK_INT(w[7].head, 3);
    /* the verb lemmas the analysis needs */
    n = parse("The minister demanded, said and tried.", w, 64, wk);
    CHECK_STR(w[2].lemma, "demand");
    CHECK_STR(w[4].lemma, "say");
    CHECK_STR(w[6].lemma, "try");
    /* empty and bad arguments */
    CHECK_INT(nd_parse_sentence(p, "", 0, w, 0, wk), 0);
    w[0].start = 0, w[0].end = 10;
    CHECK_INT(nd_parse_sentence(p, "short", 5, w, 1, wk), ND_EINVAL);
    CHECK_INT(nd_parse_sentence(NULL, "short", 5, w, 1, wk), ND_EINVAL);
    nd_parse_work_free(wk);
    nd_parse_work_free(NULL);
}

/* n_words words without a stop ("the cat saw a dog , the ..."), malloc'd;
 * its length in *len. */
static char *long_text(size_t n_words, size_t *len)
{
    static const char *const pat[] = {"the ", "cat ", "saw ", "a ", "dog ", ", "};
    char *s = malloc(n_words * 8);
    *len = 0;
    for (size_t i = 0; s && i < n_words; i++) {
        size_t k = strlen(pat[i % 6]);
        memcpy(s + *len, pat[i % 6], k);
        *len += k;
    }
    return s;
}

static void test_long_sentence(void)
{
    /* 3,000 words without a stop: parsed in pieces, still one tree. */
    size_t n_words = 3000, len = 0;
    char *s = long_text(n_words, &len);
    nd_word *w = malloc(n_words * 2 * sizeof *w);
    size_t n = nd_parse_words(s, 0, len, w, n_words * 2, NULL);
    CHECK_INT(n, n_words);
    nd_parse_work *wk = nd_parse_work_new();
    CHECK_INT(nd_parse_sentence(nd_parser_default(NULL), s, len, w, n, wk), 0);
    CHECK(is_tree(w, n));
    CHECK(w[0].flags & ND_WORDF_CUT);
    CHECK(w[n - 1].lemma != NULL);
    nd_parse_work_free(wk);
    free(w);
    free(s);
}

static unsigned char *read_model(size_t *len)
{
    FILE *f = fopen(MODEL_FILE, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = NULL;
    if (n > 0 && !posix_memalign((void **) &p, 64, (size_t) n)) {
        if (fread(p, 1, (size_t) n, f) != (size_t) n) {
            free(p);
            p = NULL;
        }
    }
    fclose(f);
    *len = (size_t) n;
    return p;
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (unsigned char) (v >> (8 * i));
}

static int load_fails(const unsigned char *p, size_t n, const char *want)
{
    nd_error err = {0};
    nd_parser *m = nd_parser_load_mem(p, n, &err);
    nd_parser_free(m);
    if (m) return 0;
    if (want && !strstr(err.msg, want)) {
        fprintf(stderr, "  error was: %s (wanted '%s')\n", err.msg, want);
        return 0;
    }
    return err.code == ND_EFORMAT || err.code == ND_EINVAL;
}

/* Points the first used slot of the tagger's table of model p outside the
 * table (its offset all ones).  Returns 0 when the table has no used slot. */
static int point_outside(unsigned char *p)
{
    const unsigned char *e = p + ND__PM_HEADER + 24 * (ND__SEC_TAGGER - 1);
    uint64_t off = 0;
    for (int i = 7; i >= 0; i--) off = off << 8 | e[8 + i];
    unsigned char *tab = p + off;
    uint32_t slots = (uint32_t) tab[4] | (uint32_t) tab[5] << 8 | (uint32_t) tab[6] << 16 |
                     (uint32_t) tab[7] << 24;
    for (uint32_t i = 0; i < slots; i++) {
        unsigned char *sl = tab + 16 + 8 * (size_t) i;
        if (sl[0] | sl[1] | sl[2] | sl[3]) {
            sl[4] = sl[5] = sl[6] = sl[7] = 0xFF;
            return 1;
        }
    }
    return 0;
}
static void test_model_file(void)
{
    size_t n = 0;
    unsigned char *good = read_model(&n);
    CHECK(good != NULL);
    if (!good) return;
    unsigned char *p = NULL;
    CHECK(!posix_memalign((void **) &p, 64, n));
    nd_error err = {0};
    /* the file itself loads, from memory and from disk */
    nd_parser *m = nd_parser_load_mem(good, n, &err);
    CHECK(m != NULL);
    nd_parser_free(m);
    m = nd_parser_load(MODEL_FILE, &err);
    CHECK(m != NULL);
    if (m) {
        nd_parse_work *wk = nd_parse_work_new();
        nd_word w[16];
        const char *s = "It works.";
        size_t k = words(s, w, 16);
        CHECK_INT(nd_parse_sentence(m, s, strlen(s), w, k, wk), 0);
        CHECK(is_tree(w, k));
        nd_parse_work_free(wk);
    }
    nd_parser_free(m);
    /* truncated */
    memcpy(p, good, n);
    CHECK(load_fails(p, n - 1, "truncated"));
    CHECK(load_fails(p, n / 2, "truncated"));
    CHECK(load_fails(p, 10, NULL));
    CHECK(load_fails(p, 0, NULL));
    /* bad magic, other version */
    p[0] = 'X';
    CHECK(load_fails(p, n, "magic"));
    memcpy(p, good, n);
    p[8] = 2;
    CHECK(load_fails(p, n, "version 2"));
    /* one byte changed: the checksum */
    memcpy(p, good, n);
    p[n / 2] ^= 0x40;
    CHECK(load_fails(p, n, "checksum"));
    /* a table that points outside itself, with a checksum that matches */
    memcpy(p, good, n);
    CHECK(point_outside(p));
    put64(p + 24, nd__pm_checksum(p + 32, n - 32));
    CHECK(load_fails(p, n, "outside"));
    /* files */
    m = nd_parser_load("/nonexistent/model.ndpm", &err);
    CHECK(m == NULL);
    CHECK_INT(err.code, ND_EIO);
    char path[] = "/tmp/nd_test_model_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        CHECK(write(fd, good, n / 3) == (ssize_t) (n / 3));
        close(fd);
        m = nd_parser_load(path, &err);
        CHECK(m == NULL);
        CHECK_INT(err.code, ND_EFORMAT);
        CHECK(strstr(err.msg, path) != NULL);
        unlink(path);
    }
    free(p);
    free(good);
}

/* A copy of the model (64-byte aligned, caller frees) whose META line
 * "passes\t1" is replaced by the eight bytes of line, checksum fixed. */
static unsigned char *model_with_line(const unsigned char *good, size_t n, const char *line)
{
    unsigned char *p = NULL;
    if (posix_memalign((void **) &p, 64, n)) return NULL;
    memcpy(p, good, n);
    unsigned char *at = memmem(p, n, "\npasses\t1\n", 10);
    if (!at || strlen(line) != 8) {
        free(p);
        return NULL;
    }
    memcpy(at + 1, line, 8);
    put64(p + 24, nd__pm_checksum(p + 32, n - 32));
    return p;
}

/* Sentences of several shapes (passive, reported speech, a relative
 * clause, no capitals, a question) that parses are compared on. */
static const char *const five_sents[] = {
    "They were killed by soldiers.",
    "Putin will not attend the summit in Alaska, the Kremlin said on Tuesday.",
    ("The company, which was founded in 1998, said that it would cut 200 jobs "
     "and close two plants in Ohio and Texas by the end of next year."),
    "i dont think so lol", "Who did she say he met, and why?"};

/* Parse s with model m; the heads and relations as a string. */
static const char *parsed(const nd_parser *m, const char *s, nd_parse_work *wk, int *tree)
{
    static char out[4096];
    nd_word w[256];
    size_t k = words(s, w, 256), o = 0;
    *tree = 0;
    if (nd_parse_sentence(m, s, strlen(s), w, k, wk)) return "";
    *tree = is_tree(w, k);
    for (size_t i = 0; i < k && o + 32 < sizeof out; i++)
        o += (size_t) snprintf(out + o, sizeof out - o, "%d:%s ", (int) w[i].head,
                               nd_deprel_name(w[i].deprel));
    return out;
}

/* META "beam K": read with bounds; a beam of 1 parses as the greedy
 * parser, a wider beam gives trees, long sentences included. */
static void test_beam(void)
{
    size_t n = 0;
    unsigned char *good = read_model(&n);
    CHECK(good != NULL);
    if (!good) return;
    static const char *const bad[] = {"beam\t000", "beam\t065", "beam\t0x8", "beam\t-01",
                                      "beam\t999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        unsigned char *p = model_with_line(good, n, bad[i]);
        CHECK(p != NULL);
        if (p) CHECK(load_fails(p, n, "beam width"));
        free(p);
    }
    unsigned char *p1 = model_with_line(good, n, "beam\t001");
    unsigned char *p8 = model_with_line(good, n, "beam\t008");
    unsigned char *p64 = model_with_line(good, n, "beam\t064");
    nd_error err = {0};
    nd_parser *greedy = nd_parser_load_mem(good, n, &err);
    nd_parser *b1 = p1 ? nd_parser_load_mem(p1, n, &err) : NULL;
    nd_parser *b8 = p8 ? nd_parser_load_mem(p8, n, &err) : NULL;
    CHECK(greedy && b1 && b8);
    if (greedy && b1 && b8) {
        CHECK_INT(greedy->beam, 0);
        CHECK_INT(b1->beam, 1);
        CHECK_INT(b8->beam, 8);
        nd_parser *b64 = p64 ? nd_parser_load_mem(p64, n, &err) : NULL;
        CHECK(b64 && b64->beam == ND__MAX_BEAM);
        nd_parser_free(b64);
        nd_parse_work *wk = nd_parse_work_new();
        int tree = 0;
        for (size_t i = 0; i < sizeof five_sents / sizeof *five_sents; i++) {
            char g[4096];
            snprintf(g, sizeof g, "%s", parsed(greedy, five_sents[i], wk, &tree));
            CHECK(tree);
            CHECK_STR(parsed(b1, five_sents[i], wk, &tree), g);
            CHECK(tree);
            parsed(b8, five_sents[i], wk, &tree);
            CHECK(tree);
        }
        /* 3,000 words: pieces of 256 with a beam of 8 */
        size_t n_words = 3000, len = 0;
        char *s = long_text(n_words, &len);
        nd_word *w = malloc(n_words * 2 * sizeof *w);
        size_t k = nd_parse_words(s, 0, len, w, n_words * 2, NULL);
        CHECK_INT(nd_parse_sentence(b8, s, len, w, k, wk), 0);
        CHECK(is_tree(w, k));
        free(w);
        free(s);
        nd_parse_work_free(wk);
    }
    nd_parser_free(greedy);
    nd_parser_free(b1);
    nd_parser_free(b8);
    free(p1);
    free(p8);
    free(p64);
    free(good);
}

static int conllu_count(const char *data, int *errors, size_t *first_err_line)
{
    nd_conllu_reader *r = nd_conllu_reader_new(data, strlen(data));
    const nd_conllu_sent *s;
    nd_error err = {0};
    int rc, n = 0;
    *errors = 0;
    *first_err_line = 0;
    while ((rc = nd_conllu_next(r, &s, &err)) != 0) {
        if (rc < 0) {
            if (!*errors) *first_err_line = err.pos;
            (*errors)++;
            continue;
        }
        n++;
    }
    nd_conllu_reader_free(r);
    return n;
}

/* The model compiled into the library (src/parse/model_blob.c). */
extern const unsigned char nd__parse_model_blob[];
extern const size_t nd__parse_model_blob_len;

/* The weight table of section id in the model at p: where its pairs
 * start and end. */
static void wtab_pairs(unsigned char *p, int id, unsigned char **start, unsigned char **end)
{
    const unsigned char *e = p + ND__PM_HEADER + 24 * (size_t) (id - 1);
    uint64_t off = 0, len = 0;
    for (int i = 7; i >= 0; i--) off = off << 8 | e[8 + i], len = len << 8 | e[16 + i];
    unsigned char *tab = p + off;
    uint32_t slots = (uint32_t) tab[4] | (uint32_t) tab[5] << 8 | (uint32_t) tab[6] << 16 |
                     (uint32_t) tab[7] << 24;
    *start = tab + 16 + 8 * (size_t) slots;
    *end = tab + len;
}

/* Whether nd__parser_check_embedded() passes the model at p (page-aligned)
 * with the pages of the tagger's and the labeler's pairs unreadable: run
 * in a child, which a read of them kills. */
static int embedded_check_skips_pairs(unsigned char *p, size_t n)
{
    pid_t pid = fork();
    if (pid < 0) return 0;
    if (!pid) {
        static const int ids[2] = {ND__SEC_TAGGER, ND__SEC_LABELER};
        for (int k = 0; k < 2; k++) {
            unsigned char *a, *b;
            wtab_pairs(p, ids[k], &a, &b);
            uintptr_t lo = ((uintptr_t) a + 4095) & ~(uintptr_t) 4095,
                      hi = (uintptr_t) b & ~(uintptr_t) 4095;
            if (hi <= lo || mprotect((void *) lo, hi - lo, PROT_NONE)) _exit(2);
        }
        nd_parser pm;
        nd_error err = {0};
        memset(&pm, 0, sizeof pm);
        pm.base = p, pm.size = n;
        _exit(nd__parser_check_embedded(&pm, &err) == 0 && pm.tagger.n_pairs > 0 ? 0 : 1);
    }
    int st = 0;
    if (waitpid(pid, &st, 0) != pid) return 0;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* A process checks what points the compiled-in model's tables into it (the
 * header, sections, sizes, a free slot a table), not its checksum nor the
 * weight tables' slots and pairs: the build ran the full check over the
 * very bytes compiled in (tools/check_model.c links model_blob.c's object,
 * checks it as a file is checked and stops the build if it fails), and so
 * does this test.  Those bytes are part of the executable, read-only: what
 * passed the build's check is what every process reads, so checking them
 * again in every process guarded nothing the build had not. */
static void test_model_embedded(void)
{
    size_t n = nd__parse_model_blob_len;
    CHECK(n > ND__PM_HEADER);
    if (n <= ND__PM_HEADER) return;
    /* the full check, checksum included, as for a file */
    nd_error err = {0};
    nd_parser *m = nd_parser_load_mem(nd__parse_model_blob, n, &err);
    CHECK(m != NULL);
    nd_parser_free(m);
    uint64_t sum = 0;
    for (int i = 7; i >= 0; i--) sum = sum << 8 | nd__parse_model_blob[24 + i];
    CHECK(nd__pm_checksum(nd__parse_model_blob + 32, n - 32) == sum);
    CHECK(nd_parser_default(&err) != NULL);

    unsigned char *p = NULL;
    CHECK(!posix_memalign((void **) &p, 64, n));
    if (!p) return;
    nd_parser pm;
    /* a checksum that does not match: a file is refused, the compiled-in
     * check does not read the checksum */
    memcpy(p, nd__parse_model_blob, n);
    p[24] ^= 1;
    CHECK(load_fails(p, n, "checksum"));
    memset(&pm, 0, sizeof pm);
    pm.base = p, pm.size = n;
    CHECK_INT(nd__parser_check_embedded(&pm, &err), 0);
    CHECK(pm.tagger.n_slots > 0 && pm.n_tags > 1);
    /* but what points its tables into the blob it does check: sizes,
     * magic, version */
    memcpy(p, nd__parse_model_blob, n);
    memset(&pm, 0, sizeof pm);
    pm.base = p, pm.size = n - 64;
    CHECK_INT(nd__parser_check_embedded(&pm, &err), ND_EFORMAT);
    CHECK(strstr(err.msg, "truncated") != NULL);
    p[0] = 'X';
    pm.size = n;
    CHECK_INT(nd__parser_check_embedded(&pm, &err), ND_EFORMAT);
    CHECK(strstr(err.msg, "magic") != NULL);
    memcpy(p, nd__parse_model_blob, n);
    p[8] = 2;
    CHECK_INT(nd__parser_check_embedded(&pm, &err), ND_EFORMAT);
    /* a table that points outside itself, its checksum made to match: the
     * build's check (the full one, over the bytes compiled in) refuses it */
    memcpy(p, nd__parse_model_blob, n);
    CHECK(point_outside(p));
    put64(p + 24, nd__pm_checksum(p + 32, n - 32));
    CHECK(load_fails(p, n, "outside"));
    free(p);
    /* and a process's check reads none of the weight tables' pairs (16.4 M
     * instructions when it walked every slot) */
    size_t np = (n + 4095) & ~(size_t) 4095;
    unsigned char *q = NULL;
    CHECK(!posix_memalign((void **) &q, 4096, np));
    if (!q) return;
    memcpy(q, nd__parse_model_blob, n);
    CHECK(embedded_check_skips_pairs(q, n));
    free(q);
}

/* A table needs one free slot (it ends every probe), wherever it is: the
 * parser's table with only its last slot free loads, with none it is
 * refused.  (The check stops at the first free slot.) */
static void test_model_free_slot(void)
{
    size_t n = nd__parse_model_blob_len;
    if (n <= ND__PM_HEADER) return;
    unsigned char *p = NULL;
    CHECK(!posix_memalign((void **) &p, 64, n));
    if (!p) return;
    memcpy(p, nd__parse_model_blob, n);
    const unsigned char *e = p + ND__PM_HEADER + 24 * (ND__SEC_PARSER - 1);
    CHECK(e[0] == ND__SEC_PARSER);
    uint64_t off = 0;
    for (int i = 7; i >= 0; i--) off = off << 8 | e[8 + i];
    unsigned char *tab = p + off;
    uint32_t slots = (uint32_t) tab[0] | (uint32_t) tab[1] << 8 | (uint32_t) tab[2] << 16 |
                     (uint32_t) tab[3] << 24,
             freed = 0;
    for (uint32_t i = 0; i + 1 < slots; i++) {
        unsigned char *sl = tab + 8 + 8 * (size_t) i;
        if (!(sl[0] | sl[1])) sl[0] = 1, freed++;
    }
    CHECK(freed > 0);
    nd_parser pm;
    nd_error err = {0};
    unsigned char *last = tab + 8 + 8 * (size_t) (slots - 1);
    if (last[0] | last[1]) {
        last[0] = last[1] = 0; /* (a slot that was used: the lookups are not run) */
    }
    memset(&pm, 0, sizeof pm);
    pm.base = p, pm.size = n;
    CHECK_INT(nd__parser_check_embedded(&pm, &err), 0);
    last[0] = 1;
    memset(&pm, 0, sizeof pm);
    pm.base = p, pm.size = n;
    CHECK_INT(nd__parser_check_embedded(&pm, &err), ND_EFORMAT);
    CHECK(strstr(err.msg, "parser: table has no free slot") != NULL);
    free(p);
}

static void test_conllu(void)
{
    const char *good = "# newdoc id = email-1\n# sent_id = a\n# text = I don't.\n"
                       "1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n"
                       "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n"
                       "2\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n"
                       "3\tn't\tnot\tPART\tRB\t_\t2\tadvmod\t_\tSpaceAfter=No\n"
                       "3.1\tx\tx\tX\tX\t_\t_\t_\t2:dep\t_\n"
                       "4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n";
    nd_conllu_reader *r = nd_conllu_reader_new(good, strlen(good));
    const nd_conllu_sent *s;
    nd_error err = {0};
    CHECK_INT(nd_conllu_next(r, &s, &err), 1);
    CHECK_INT(s->n_words, 4);
    CHECK_STR(s->sent_id, "a");
    CHECK_STR(s->text, "I don't.");
    CHECK_STR(s->newdoc_id, "email-1");
    CHECK_INT(s->lines[4].kind, ND_CONLLU_RANGE);
    CHECK_INT(s->lines[6].kind, ND_CONLLU_WORD);
    CHECK_INT(s->lines[6].space_after, 0);
    CHECK_INT(s->lines[6].deprel, ND_DEP_ADVMOD);
    CHECK_INT(s->lines[5].head, -1);
    CHECK_INT(s->lines[3].head, 2);
    CHECK_INT(s->lines[7].kind, ND_CONLLU_EMPTY);
    CHECK_INT(nd_conllu_next(r, &s, &err), 0);
    nd_conllu_reader_free(r);

    /* Malformed sentences are errors naming their line; the others are read. */
    static const char *const bad[] = {
        "1\tI\tI\tPRON\tPRP\t_\t0\troot\t_\n",                               /* 9 columns */
        "1\tI\tI\tPRON\tPRP\t_\t0\troot\t_\t_\textra\n",                     /* 11 columns */
        "x\tI\tI\tPRON\tPRP\t_\t0\troot\t_\t_\n",                            /* bad ID */
        "2\tI\tI\tPRON\tPRP\t_\t0\troot\t_\t_\n",                            /* starts at 2 */
        "1\tI\tI\tPRON\tPRP\t_\tzero\troot\t_\t_\n",                         /* bad HEAD */
        "1\tI\tI\tPRON\tPRP\t_\t5\troot\t_\t_\n",                            /* HEAD past the end */
        "1-3\tI\t_\t_\t_\t_\t_\t_\t_\t_\n1\tI\tI\tX\t_\t_\t0\troot\t_\t_\n", /* range past */
        "# only a comment\n",                                                /* no words */
        "1\tI\t\tPRON\tPRP\t_\t0\troot\t_\t_\n",                             /* empty column */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char buf[512];
        snprintf(buf, sizeof buf,
                 "1\tA\ta\tX\t_\t_\t0\troot\t_\t_\n\n%s\n1\tB\tb\tX\t_\t_\t0\troot\t_\t_\n",
                 bad[i]);
        int errors;
        size_t line;
        int n = conllu_count(buf, &errors, &line);
        if (n != 2 || errors != 1 || line != 3) fprintf(stderr, "  bad input %zu\n", i);
        CHECK_INT(n, 2);
        CHECK_INT(errors, 1);
        CHECK_INT(line, 3);
    }
    /* a NUL byte, and no data at all */
    char nul[] = "1\tA\ta\tX\t_\t_\t0\troot\t_\t_\n";
    nul[3] = 0;
    r = nd_conllu_reader_new(nul, sizeof nul - 1);
    CHECK(nd_conllu_next(r, &s, &err) < 0);
    nd_conllu_reader_free(r);
    r = nd_conllu_reader_new(NULL, 0);
    CHECK_INT(nd_conllu_next(r, &s, &err), 0);
    nd_conllu_reader_free(r);
}

/* The labeller sees the words of the dependent's outermost children: the
 * case marker of "in Alaska" is what tells obl from nmod.  Two sentences
 * that differ only in that marker give different label features for the
 * arc of "Alaska", and the same ones when the marker is the same word. */
static void label_keys(const char *marker, uint64_t *keys, size_t *nk)
{
    /* met(0) in(1) Alaska(2), root at 3: in <- Alaska, Alaska -> met */
    const char *form[3] = {"met", marker, "Alaska"};
    nd__watom w[3];
    char low[64];
    for (int i = 0; i < 3; i++) nd__word_atoms(form[i], strlen(form[i]), &w[i], low, sizeof low);
    uint8_t tags[3] = {1, 2, 3};
    char mem[1024];
    nd__pstate s;
    CHECK(nd__pstate_bytes(3) <= sizeof mem);
    nd__pstate_init(&s, 3, mem);
    nd__pstate_apply(&s, ND__T_SHIFT, 0);                     /* met */
    nd__pstate_apply(&s, ND__T_SHIFT, 0);                     /* in */
    nd__pstate_apply(&s, ND__T_LEFT, 1);                      /* in <- Alaska */
    nd__pstate_apply(&s, ND__T_SHIFT, 0);                     /* Alaska */
    *nk = nd__label_features(&s, ND__T_RIGHT, w, tags, keys); /* met -> Alaska */
}

static void test_label_features(void)
{
    uint64_t a[ND__MAX_FEATS], b[ND__MAX_FEATS], c[ND__MAX_FEATS];
    size_t na, nb, nc;
    label_keys("in", a, &na);
    label_keys("of", b, &nb);
    label_keys("in", c, &nc);
    CHECK_INT((long) na, (long) nb);
    CHECK_INT((long) na, (long) nc);
    int differ = 0;
    for (size_t i = 0; i < na; i++) differ += a[i] != b[i];
    CHECK(differ >= 2);
    CHECK(memcmp(a, c, na * sizeof a[0]) == 0);
}

/* The tagger's features at nd__tag_prev_pos depend on the two previous
 * tags alone, the labeller's at nd__label_pair_pos on the direction and
 * the two tags alone: the parser keeps their sums per tag pair. */
static void test_tag_only_features(void)
{
    static const char *const form[2][4] = {{"The", "old", "man", "left"},
                                           {"A", "3D-printed", "Ship", "sank"}};
    nd__watom w[2][4];
    char low[ND__LOWER_CAP];
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < 4; i++)
            nd__word_atoms(form[s][i], strlen(form[s][i]), &w[s][i], low, sizeof low);
    uint8_t tags[2][4] = {{5, 0, 7, 15}, {5, 0, 7, 15}};
    uint64_t a[ND__MAX_FEATS], b[ND__MAX_FEATS];
    for (size_t i = 0; i < 4; i++) {
        size_t na = nd__tag_features(w[0], 4, i, tags[0], NULL, a);
        size_t nb = nd__tag_features(w[1], 4, i, tags[1], NULL, b);
        CHECK_INT((long) na, (long) nb);
        int same = 0, differ = 0;
        for (size_t k = 0; k < na; k++) {
            int fixed = 0;
            for (size_t j = 0; j < ND__TAG_PREV_FEATS; j++) fixed |= k == nd__tag_prev_pos[j];
            if (fixed)
                same += a[k] == b[k];
            else
                differ += a[k] != b[k];
        }
        CHECK_INT(same, ND__TAG_PREV_FEATS);
        CHECK(differ >= 10);
        if (i >= 2) { /* another tag two words back changes those of p2 */
            tags[1][i - 2] = 6;
            nd__tag_features(w[1], 4, i, tags[1], NULL, b);
            CHECK(a[nd__tag_prev_pos[2]] != b[nd__tag_prev_pos[2]]); /* p2 */
            CHECK(a[nd__tag_prev_pos[3]] != b[nd__tag_prev_pos[3]]); /* p1, p2 */
            tags[1][i - 2] = tags[0][i - 2];
        }
    }
    /* the arc old <- man (LEFT) in both sentences */
    char mem[2][1024];
    nd__pstate st[2];
    for (int s = 0; s < 2; s++) {
        nd__pstate_init(&st[s], 4, mem[s]);
        nd__pstate_apply(&st[s], ND__T_SHIFT, 0);
        nd__pstate_apply(&st[s], ND__T_SHIFT, 0);
    }
    size_t na = nd__label_features(&st[0], ND__T_LEFT, w[0], tags[0], a);
    size_t nb = nd__label_features(&st[1], ND__T_LEFT, w[1], tags[1], b);
    CHECK_INT((long) na, (long) nb);
    /* "old" has no children: the leaf's positions too */
    for (size_t j = 0; j < ND__LABEL_LEAF_FEATS; j++)
        CHECK(a[nd__label_pair_pos[j]] == b[nd__label_pair_pos[j]]);
    CHECK(a[1] != b[1] && a[3] != b[3]); /* Dw, Hw */
    /* the same arc when "old" has a child ("The" <- "old"): the first
     * four positions stay, the leaf's change */
    nd__pstate_init(&st[1], 4, mem[1]);
    nd__pstate_apply(&st[1], ND__T_SHIFT, 0);
    nd__pstate_apply(&st[1], ND__T_LEFT, 3);
    nd__pstate_apply(&st[1], ND__T_SHIFT, 0);
    nd__label_features(&st[1], ND__T_LEFT, w[0], tags[0], b);
    for (size_t j = 0; j < ND__LABEL_PAIR_FEATS; j++)
        CHECK(a[nd__label_pair_pos[j]] == b[nd__label_pair_pos[j]]);
    int changed = 0;
    for (size_t j = ND__LABEL_PAIR_FEATS; j < ND__LABEL_LEAF_FEATS; j++)
        changed += a[nd__label_pair_pos[j]] != b[nd__label_pair_pos[j]];
    CHECK_INT(changed, 3); /* templates 11, 13, 17 (left child); not 12, 14, 18 (right) */
}

/* The parser's kept sums change no parse: the same sentences, a long text
 * in pieces included, with a work that keeps none. */
static void test_sums_same_parses(void)
{
    nd_error err = {0};
    const nd_parser *p = nd_parser_default(&err);
    CHECK(p != NULL);
    if (!p) return;
    nd_parse_work *with = nd_parse_work_new(), *without = nd_parse_work_new();
    nd__parse_work_no_sums(without);
    int tree = 0;
    for (size_t i = 0; i < sizeof five_sents / sizeof *five_sents; i++) {
        char want[4096];
        snprintf(want, sizeof want, "%s", parsed(p, five_sents[i], without, &tree));
        CHECK_STR(parsed(p, five_sents[i], with, &tree), want);
    }
    size_t n_words = 3000, len = 0;
    char *s = long_text(n_words, &len);
    nd_word *a = malloc(n_words * 2 * sizeof *a), *b = malloc(n_words * 2 * sizeof *b);
    size_t k = nd_parse_words(s, 0, len, a, n_words * 2, NULL);
    memcpy(b, a, k * sizeof *a);
    CHECK_INT(nd_parse_sentence(p, s, len, a, k, with), 0);
    CHECK_INT(nd_parse_sentence(p, s, len, b, k, without), 0);
    int same = 1;
    for (size_t i = 0; i < k; i++)
        same &= a[i].head == b[i].head && a[i].deprel == b[i].deprel && a[i].upos == b[i].upos &&
                !strcmp(a[i].lemma, b[i].lemma);
    CHECK(same);
    free(a);
    free(b);
    free(s);
    nd_parse_work_free(with);
    nd_parse_work_free(without);
}

/* A sentence of the small grammar below, chosen by the generator at *r:
 * subjects, verbs, objects, prepositional phrases, clauses, lists,
 * numbers, quotations and questions, so that the parser meets many
 * configurations of tags, labels, distances and children. */
static uint64_t gen_next(uint64_t *r)
{
    *r = *r * 6364136223846793005ULL + 1442695040888963407ULL;
    return *r >> 33;
}

#define PICK(r, a) ((a)[gen_next(r) % (sizeof(a) / sizeof *(a))])

static void gen_np(uint64_t *r, char *s, size_t cap)
{
    static const char *const det[] = {"the", "a", "this", "their", "every", "no", "two", "some"};
    static const char *const adj[] = {"old",     "new",   "angry",  "local",   "first",
                                      "foreign", "small", "senior", "fragile", "elected"};
    static const char *const noun[] = {"minister", "company", "river",        "report",  "soldiers",
                                       "village",  "court",   "vote",         "farmers", "pipeline",
                                       "budget",   "talks",   "storm",        "bank",    "teacher",
                                       "summit",   "border",  "ruling",       "market",  "protest",
                                       "police",   "decade",  "border guards"};
    static const char *const name[] = {"Maria Lopez", "the Kremlin", "Acme Corp.", "Ohio",
                                       "the U.N.",    "Mr. Tanaka",  "NATO",       "Berlin"};
    size_t o = strlen(s);
    unsigned k = (unsigned) (gen_next(r) % 10);
    if (k < 2) {
        snprintf(s + o, cap - o, "%s ", PICK(r, name));
        return;
    }
    if (k == 2) {
        snprintf(s + o, cap - o, "%u %s ", (unsigned) (gen_next(r) % 900) + 2, PICK(r, noun));
        return;
    }
    if (k == 3) {
        snprintf(s + o, cap - o, "%s %s and %s %s ", PICK(r, det), PICK(r, noun), PICK(r, adj),
                 PICK(r, noun));
        return;
    }
    snprintf(s + o, cap - o, "%s %s%s%s ", PICK(r, det), k > 6 ? PICK(r, adj) : "",
             k > 6 ? " " : "", PICK(r, noun));
}

static void gen_clause(uint64_t *r, char *s, size_t cap, int depth)
{
    static const char *const verb[] = {"said",   "rejected",  "will visit",     "has closed",
                                       "blamed", "was told",  "could not find", "approved",
                                       "warned", "is buying", "denied",         "met"};
    static const char *const prep[] = {"in",      "on",  "after", "with",
                                       "against", "for", "near",  "during"};
    static const char *const adv[] = {"quickly", "again",     "on Tuesday",
                                      "late",    "yesterday", "still"};
    gen_np(r, s, cap);
    size_t o = strlen(s);
    unsigned k = (unsigned) (gen_next(r) % 12);
    if (k == 0 && depth < 2) {
        snprintf(s + o, cap - o, "that ");
        gen_clause(r, s, cap, depth + 1);
        o = strlen(s);
    } else if (k == 1 && depth < 2) {
        snprintf(s + o, cap - o, ", who %s %s , ", PICK(r, verb), PICK(r, adv));
        o = strlen(s);
    }
    snprintf(s + o, cap - o, "%s ", PICK(r, verb));
    k = (unsigned) (gen_next(r) % 8);
    if (k < 6) gen_np(r, s, cap);
    o = strlen(s);
    if (k == 6 && depth < 2) {
        snprintf(s + o, cap - o, "that ");
        gen_clause(r, s, cap, depth + 1);
        o = strlen(s);
    }
    for (unsigned i = (unsigned) (gen_next(r) % 3); i > 0; i--) {
        snprintf(s + o, cap - o, "%s ", PICK(r, prep));
        gen_np(r, s, cap);
        o = strlen(s);
    }
    if (gen_next(r) % 3 == 0) snprintf(s + o, cap - o, "%s ", PICK(r, adv));
}

static size_t gen_sentence(uint64_t *r, char *s, size_t cap)
{
    s[0] = 0;
    unsigned k = (unsigned) (gen_next(r) % 8);
    if (k == 0) snprintf(s, cap, "\" ");
    if (k == 1) snprintf(s, cap, "Why did ");
    gen_clause(r, s, cap, 0);
    size_t o = strlen(s);
    if (gen_next(r) % 4 == 0) {
        snprintf(s + o, cap - o, gen_next(r) % 2 ? ", but " : "; ");
        gen_clause(r, s, cap, 1);
        o = strlen(s);
    }
    snprintf(s + o, cap - o, "%s", k == 0 ? ", \" she said ." : k == 1 ? "?" : ".");
    return strlen(s);
}

/* Every word of s parsed by m with works a and b alike: head, relation,
 * UPOS and lemma.  Returns the word count (0 when they differ). */
static size_t same_parse(const nd_parser *m, const char *s, nd_parse_work *a, nd_parse_work *b)
{
    nd_word wa[256], wb[256];
    size_t n = words(s, wa, 256);
    memcpy(wb, wa, n * sizeof *wa);
    if (nd_parse_sentence(m, s, strlen(s), wa, n, a)) return 0;
    char lemmas[256][64];
    for (size_t i = 0; i < n; i++) snprintf(lemmas[i], sizeof lemmas[i], "%s", wa[i].lemma);
    if (nd_parse_sentence(m, s, strlen(s), wb, n, b)) return 0;
    for (size_t i = 0; i < n; i++)
        if (wa[i].head != wb[i].head || wa[i].deprel != wb[i].deprel || wa[i].upos != wb[i].upos ||
            strcmp(lemmas[i], wb[i].lemma))
            return 0;
    return n;
}

/* The parser's features that read a word (nd__parse_word_features) and
 * those of its groups, made from the groups' keys alone
 * (nd__parse_group_features), are those of nd__parse_features: the same
 * multiset of keys, in states of random transitions over random tags,
 * labels and words (empty stack, the root in the buffer, children on
 * both sides, long distances, many children). */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return x < y ? -1 : x > y;
}

static void test_parse_groups(void)
{
    static const char *const form[] = {"the", "Minister", "said", ",",   "3.5",  "co-op",
                                       "of",  "Ohio",     "'s",   "run", "BANK", "?"};
    nd__watom w[48];
    char low[ND__LOWER_CAP];
    uint8_t tags[48];
    uint64_t r = 42;
    int states = 0, same = 0, groups_seen[ND__PG_N] = {0};
    for (int round = 0; round < 300; round++) {
        int n = 1 + (int) (gen_next(&r) % 40);
        for (int i = 0; i < n; i++) {
            const char *f = PICK(&r, form);
            nd__word_atoms(f, strlen(f), &w[i], low, sizeof low);
            tags[i] = (uint8_t) (gen_next(&r) % 17);
        }
        _Alignas(8) unsigned char mem[4096];
        nd__pstate st;
        nd__pstate_init(&st, n, mem);
        while (!nd__pstate_done(&st)) {
            uint64_t a[ND__MAX_FEATS], b[2 * ND__MAX_FEATS];
            nd__pgkey g[ND__PG_N];
            size_t na = nd__parse_features(&st, w, tags, a);
            size_t nb = nd__parse_word_features(&st, w, tags, b, g);
            for (int k = 0; k < ND__PG_N; k++) {
                size_t m = nd__parse_group_features(k, g[k], b + nb);
                groups_seen[k] += m > 0;
                nb += m;
            }
            qsort(a, na, sizeof *a, cmp_u64);
            qsort(b, nb, sizeof *b, cmp_u64);
            states++;
            same += na == nb && !memcmp(a, b, na * sizeof *a);
            int t = nd__pstate_forced(&st);
            while (t < 0) {
                int c = (int) (gen_next(&r) % 3);
                if (nd__pstate_valid(&st, c)) t = c;
            }
            nd__pstate_apply(&st, t, (int) (gen_next(&r) % 51));
        }
    }
    CHECK(states > 5000);
    CHECK_INT(same, states);
    for (int k = 0; k < ND__PG_N; k++) CHECK(groups_seen[k] == states);
}

/* The sums the parser keeps (its groups of features that read no word, the
 * tagger's and labeller's) change no word: generated sentences of some
 * 20,000 words, one after another with the same work (and one in eight
 * with a beam of 4, with another), against a work that keeps none. */
static void test_memo_same_parses(void)
{
    size_t n = 0;
    unsigned char *good = read_model(&n);
    CHECK(good != NULL);
    if (!good) return;
    unsigned char *p4 = model_with_line(good, n, "beam\t004");
    nd_error err = {0};
    nd_parser *greedy = nd_parser_load_mem(good, n, &err);
    nd_parser *beam = p4 ? nd_parser_load_mem(p4, n, &err) : NULL;
    CHECK(greedy && beam);
    if (greedy && beam) {
        nd_parse_work *with = nd_parse_work_new(), *with_beam = nd_parse_work_new();
        nd_parse_work *without = nd_parse_work_new();
        nd__parse_work_no_sums(without);
        uint64_t r = 7;
        size_t total = 0, beam_words = 0, differ = 0;
        char s[2048];
        for (int i = 0; total < 20000; i++) {
            gen_sentence(&r, s, sizeof s);
            size_t k = same_parse(greedy, s, with, without);
            differ += !k;
            total += k ? k : 1;
            if (i % 8 == 0) {
                k = same_parse(beam, s, with_beam, without);
                differ += !k;
                beam_words += k;
            }
        }
        CHECK_INT((long) differ, 0);
        CHECK(beam_words > 2000);
        nd_parse_work_free(with);
        nd_parse_work_free(with_beam);
        nd_parse_work_free(without);
    }
    nd_parser_free(greedy);
    nd_parser_free(beam);
    free(p4);
    free(good);
}

/* Negate every weight of a wtab (in memory the test owns). */
static void negate_wtab(const nd__wtab *t)
{
    uint32_t *pairs = (uint32_t *) t->pairs;
    for (uint32_t i = 0; i < t->n_slots; i++) {
        if (!t->slots[2 * i]) continue;
        uint32_t *q = pairs + t->slots[2 * i + 1];
        for (uint32_t k = 1; k <= q[0]; k++) {
            int32_t wt = (int32_t) q[k] >> 16;
            wt = wt == -32768 ? 32767 : -wt;
            q[k] = (uint32_t) (uint16_t) wt << 16 | (q[k] & 0xFFFF);
        }
    }
}

/* A work keeps sums of weights for the model it parsed with last: one
 * work used with two models in turn parses as a new work with each. */
static void test_work_two_models(void)
{
    size_t n = 0;
    unsigned char *good = read_model(&n), *other = NULL;
    CHECK(good != NULL);
    if (!good || posix_memalign((void **) &other, 64, n)) {
        free(good);
        return;
    }
    memcpy(other, good, n);
    nd_error err = {0};
    nd_parser *a = nd_parser_load_mem(good, n, &err);
    nd_parser *b = nd_parser_load_mem(other, n, &err);
    CHECK(a && b);
    if (a && b) {
        CHECK(a->serial && b->serial && a->serial != b->serial);
        negate_wtab(&b->tagger);
        negate_wtab(&b->labeler);
        static const char *const sents[] = {
            "They were killed by soldiers.",
            "Putin will not attend the summit in Alaska, the Kremlin said on Tuesday.",
            "The company said that it would cut 200 jobs and close two plants in Ohio.",
            "Who did she say he met, and why?"};
        nd_parse_work *shared = nd_parse_work_new();
        int tree = 0, differ = 0;
        for (int round = 0; round < 2; round++) {
            for (size_t i = 0; i < sizeof sents / sizeof *sents; i++) {
                const nd_parser *m = (i + (size_t) round) % 2 ? b : a;
                nd_parse_work *fresh = nd_parse_work_new();
                char want[4096];
                snprintf(want, sizeof want, "%s", parsed(m, sents[i], fresh, &tree));
                nd_parse_work_free(fresh);
                CHECK_STR(parsed(m, sents[i], shared, &tree), want);
                differ += strcmp(want, parsed(m == a ? b : a, sents[i], shared, &tree)) != 0;
                CHECK_STR(parsed(m, sents[i], shared, &tree), want);
            }
        }
        CHECK(differ > 0); /* the two models do parse differently */
        nd_parse_work_free(shared);
    }
    nd_parser_free(a);
    nd_parser_free(b);
    free(good);
    free(other);
}

/* A caller without a work parses with its thread's (nd__parse_work_thread):
 * the same one each time in a thread, another in another thread, freed
 * when that thread ends (LeakSanitizer in make asan says otherwise). */
static void *other_thread_work(void *arg)
{
    nd_parse_work **got = arg;
    got[0] = nd__parse_work_thread();
    got[1] = nd__parse_work_thread();
    return NULL;
}

static void test_thread_work(void)
{
    nd_parse_work *w = nd__parse_work_thread();
    CHECK(w != NULL);
    CHECK(nd__parse_work_thread() == w);
    nd_parse_work *got[2] = {NULL, NULL};
    pthread_t t;
    CHECK(pthread_create(&t, NULL, other_thread_work, got) == 0);
    pthread_join(t, NULL);
    CHECK(got[0] != NULL && got[0] == got[1]);
    CHECK(got[0] != w);
    /* it parses as a fresh work does, sentence after sentence */
    nd_error err = {0};
    const nd_parser *p = nd_parser_default(&err);
    CHECK(p != NULL);
    if (!p) return;
    static const char *const sents[] = {
        "They were killed by soldiers.",
        "Putin will not attend the summit in Alaska, the Kremlin said on Tuesday.",
        "The company said that it would cut 200 jobs and close two plants in Ohio."};
    int tree = 0;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < sizeof sents / sizeof *sents; i++) {
            nd_parse_work *fresh = nd_parse_work_new();
            char want[4096];
            snprintf(want, sizeof want, "%s", parsed(p, sents[i], fresh, &tree));
            nd_parse_work_free(fresh);
            CHECK_STR(parsed(p, sents[i], w, &tree), want);
        }
    }
}

int main(void)
{
    RUN(test_labels);
    RUN(test_words);
    RUN(test_sentences);
    RUN(test_trees);
    RUN(test_long_sentence);
    RUN(test_model_file);
    RUN(test_model_embedded);
    RUN(test_model_free_slot);
    RUN(test_beam);
    RUN(test_conllu);
    RUN(test_label_features);
    RUN(test_tag_only_features);
    RUN(test_work_two_models);
    RUN(test_sums_same_parses);
    RUN(test_parse_groups);
    RUN(test_memo_same_parses);
    RUN(test_thread_work);
    return tap_done();
}
