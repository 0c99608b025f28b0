/* test_token.c - the tokenizer. */
#include "newsdesk/newsdesk.h"
#include "tap.h"

static int toks(const char *s, nd_token *t, size_t max)
{
    size_t used;
    return (int) nd_tokenize(s, strlen(s), t, max, &used);
}

static int tok_is(const char *s, const nd_token *t, const char *want)
{
    return t->len == strlen(want) && memcmp(s + t->off, want, t->len) == 0;
}

static void test_words(void)
{
    const char *s = "Mr. Xi told Russia's Vladimir Putin the U.S. co-operation was 'decisively' "
                    "27,000 3.5% strong.";
    nd_token t[64];
    int n = toks(s, t, 64);
    CHECK(tok_is(s, &t[0], "Mr."));
    CHECK(t[0].flags & ND_TOKF_ABBREV);
    CHECK(tok_is(s, &t[1], "Xi"));
    CHECK(t[1].flags & ND_TOKF_CAP);
    CHECK(tok_is(s, &t[3], "Russia's"));
    CHECK(t[3].flags & ND_TOKF_POSS);
    CHECK(tok_is(s, &t[7], "U.S."));
    CHECK(tok_is(s, &t[8], "co-operation"));
    CHECK(t[8].flags & ND_TOKF_HYPHEN);
    CHECK(tok_is(s, &t[10], "'"));
    CHECK(t[10].flags & ND_TOKF_OPENQ);
    CHECK(tok_is(s, &t[11], "decisively"));
    CHECK(t[12].flags & ND_TOKF_CLOSEQ);
    CHECK(tok_is(s, &t[13], "27,000"));
    CHECK_INT(t[13].type, ND_TOK_NUM);
    CHECK(tok_is(s, &t[14], "3.5%"));
    CHECK(tok_is(s, &t[n - 1], "."));
    CHECK(t[n - 1].flags & ND_TOKF_SENT_END);
    char low[64];
    nd_token_lower(s, &t[3], 1, low, sizeof low);
    CHECK_STR(low, "russia");
}

static void test_unicode(void)
{
    const char *s = "“Friends of steel,” said Xi — Zelenskiy’s «ceasefire» ...";
    nd_token t[32];
    int n = toks(s, t, 32);
    CHECK(t[0].flags & ND_TOKF_OPENQ);
    CHECK(tok_is(s, &t[1], "Friends"));
    CHECK(tok_is(s, &t[5], "”"));
    CHECK(t[5].flags & ND_TOKF_CLOSEQ);
    CHECK(tok_is(s, &t[9], "Zelenskiy’s"));
    CHECK(t[9].flags & ND_TOKF_POSS);
    CHECK(t[10].flags & ND_TOKF_OPENQ);
    CHECK(tok_is(s, &t[n - 1], "..."));
    CHECK(!(t[n - 1].flags & ND_TOKF_SENT_END));
    char low[64];
    nd_token_lower(s, &t[9], 1, low, sizeof low);
    CHECK_STR(low, "zelenskiy");
}

static void test_edge(void)
{
    nd_token t[8];
    size_t used;
    CHECK_INT(nd_tokenize("", 0, t, 8, &used), 0);
    CHECK_INT(nd_tokenize("   \n\t", 5, t, 8, &used), 0);
    /* Invalid UTF-8 still advances. */
    CHECK(nd_tokenize("\xFF\xFE abc", 6, t, 8, &used) >= 2);
    CHECK_INT(used, 6);
    /* max respected, consumed tells where to resume. */
    const char *s = "a b c d e f";
    CHECK_INT(nd_tokenize(s, strlen(s), t, 3, &used), 3);
    CHECK_INT(used, 5);
    CHECK(nd_is_abbrev("Gen", 3));
    CHECK(!nd_is_abbrev("Xi", 2));
}

int main(void)
{
    RUN(test_words);
    RUN(test_unicode);
    RUN(test_edge);
    return tap_done();
}
