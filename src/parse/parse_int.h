/* parse_int.h - internals of the tagger and parser (src/parse/), shared
 * with the trainer (tools/train_parser.c). */
#ifndef ND_PARSE_INT_H
#define ND_PARSE_INT_H

#include "base/mix.h"

#include "newsdesk/parse.h"

/* ---- the model file ------------------------------------------------------
 *
 * Little-endian.  A 64-byte header, a table of sections, the sections at
 * 64-byte boundaries:
 *   0  magic "NDPMODEL"        8  u32 format version    12 u32 section count
 *   16 u64 file size           24 u64 checksum of bytes [32, file size)
 *   32 u32 header size (64 + 24 * sections)  36..63 zero
 *   64 sections x {u32 id, u32 zero, u64 offset, u64 length}
 */
#define ND__PM_MAGIC   "NDPMODEL"
#define ND__PM_VERSION 1
#define ND__PM_HEADER  64

enum {
    ND__SEC_META = 1,   /* text: "key\tvalue..." lines (tags, labels, options) */
    ND__SEC_TAGGER,     /* weight table of the tagger */
    ND__SEC_PARSER,     /* transition table of the parser (SHIFT, LEFT, RIGHT) */
    ND__SEC_LABELER,    /* weight table of the arcs' labels */
    ND__SEC_TAGDICT,    /* key table: word -> its only tag */
    ND__SEC_LEMMA_EXC,  /* key table: (word, tag) -> lemma string */
    ND__SEC_LEMMA_RULE, /* key table: (suffix, tag) -> strip count << 24 | string */
    ND__SEC_STRINGS,    /* NUL-terminated strings */
    ND__SEC_MAX
};

/* The tables are open-addressed on 64-bit keys: a key's first slot is
 * its low 32 bits scaled to the slot count (nd__slot_of), then the next
 * slots in turn (wrapping); an empty slot ends the search.
 *
 * A weight table.  Section layout: u32 classes, u32 slots, u32 pairs,
 * u32 zero; then
 * slots x {u32 fingerprint (0 = empty), u32 offset into pairs}; then the
 * pairs: at an offset a count, then count x (i16 weight << 16 | class). */
typedef struct nd__wtab {
    const uint32_t *slots;
    const uint32_t *pairs;
    uint32_t n_slots, n_pairs, n_classes;
} nd__wtab;

static inline uint32_t nd__slot_of(uint64_t key, uint32_t n_slots)
{
    return (uint32_t) (((key & 0xFFFFFFFFULL) * (uint64_t) n_slots) >> 32);
}

/* A transition table: dense weights of the three transitions in the slot,
 * so that a feature costs one memory access.  Section layout: u32 slots,
 * u32 zero, then slots x {u16 fingerprint (0 = empty),
 * i16 weights[3]}.  A fingerprint is the key's top 16 bits; the slot is
 * found by its low bits, so a false match needs 16 + log2(slots) equal
 * bits. */
typedef struct nd__ttab {
    const uint16_t *slots; /* 4 per slot */
    uint32_t n_slots;
} nd__ttab;

static inline uint16_t nd__ttab_fp(uint64_t key)
{
    uint16_t fp = (uint16_t) (key >> 48);
    return fp ? fp : 1;
}

/* A key table: u32 slots, u32 zero, slots x u64 keys (0 = empty), slots
 * x u32 values. */
typedef struct nd__ktab {
    const uint64_t *keys;
    const uint32_t *vals;
    uint32_t n_slots;
} nd__ktab;

/* Largest tag and label sets. */
#define ND__MAX_TAGS   255
#define ND__MAX_LABELS 63

struct nd_parser {
    const unsigned char *base; /* the model's bytes */
    size_t size;
    void *map; /* mmap'd region to unmap, or NULL */
    size_t map_len;
    int owned; /* nd_parser_free() may free it */
    nd__wtab tagger, labeler;
    nd__ttab parser;
    nd__ktab tagdict, lemma_exc, lemma_rule;
    const char *strings;
    size_t n_strings;
    int n_tags, n_labels;
    uint8_t tag_upos[ND__MAX_TAGS + 1];       /* tag class -> nd_upos */
    uint8_t label_deprel[ND__MAX_LABELS + 1]; /* label class -> nd_deprel */
    int root_label;                           /* label class of "root" */
    uint64_t left_labels, right_labels;       /* labels seen with the dependent before / after
                                                 its head */
    int punct_tag;                            /* a tag class whose UPOS is PUNCT, or -1 */
    int tag_passes;                           /* 1 or 2 */
    int beam;        /* META "beam K": parse with a beam of K (1..ND__MAX_BEAM); 0 = greedy */
    uint64_t serial; /* unique in the process (nd__parser_serial), so that a work's sums
                        (parse.c) are never taken for another model's */
};

/* A number never returned before in this process (from 1). */
uint64_t nd__parser_serial(void);

/* The widest beam a model may ask for. */
#define ND__MAX_BEAM 64

/* ---- hashing ------------------------------------------------------------ */

/* A feature key from a template number and up to three atoms. */
static inline uint64_t nd__fk(uint64_t h, uint64_t a)
{
    h = (h ^ a) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 31);
}

/* The checksum of the model file (a word-at-a-time hash). */
uint64_t nd__pm_checksum(const unsigned char *p, size_t n);

/* Check the model at pm->base, pm->size (64-byte aligned) as the
 * compiled-in one is checked when a process first parses: the header,
 * sections, meta, strings and every table's size and free slot, not the
 * checksum nor the weight tables' slots and pairs, which the build checked
 * in the bytes compiled in (tools/check_model.c runs nd_parser_load_mem()
 * on them).  0 with pm's tables set, or ND_EFORMAT with err set. */
int nd__parser_check_embedded(nd_parser *pm, nd_error *err);

/* ---- sentences as the features see them --------------------------------- */

/* Atoms of one word: hashes of its normalised form and pieces. */
typedef struct nd__watom {
    uint64_t form; /* as written */
    uint64_t norm; /* lowercase, digits as 0 */
    uint64_t pre1, pre2, pre3;
    uint64_t suf1, suf2, suf3, suf4;
    uint64_t shape; /* Xxx, dd.d, ... */
    uint8_t cls;    /* ND__WC_* bits */
} nd__watom;

enum {
    ND__WC_CAP = 1,    /* first letter uppercase */
    ND__WC_UPPER = 2,  /* every letter uppercase */
    ND__WC_DIGIT = 4,  /* has a digit */
    ND__WC_HYPHEN = 8, /* has a hyphen */
    ND__WC_PUNCT = 16  /* no letter or digit */
};

/* Bytes of a word's normalised form that the features and lemmas see. */
#define ND__LOWER_CAP 64

/* Fill the atoms of the word (p, n).  lower gets its normalised form
 * (NUL-terminated, at most cap - 1 bytes); returns its length. */
size_t nd__word_atoms(const char *p, size_t n, nd__watom *a, char *lower, size_t cap);

/* Atoms of tags and labels (mixed so they combine well). */
static inline uint64_t nd__tag_atom(int tag)
{
    return nd__mix64(0x7a6700000000ULL + (uint64_t) (tag + 2));
}

/* The most features of one decision. */
#define ND__MAX_FEATS 160

/* Features of word i for the tagger: prev[] holds the tags given so far
 * (words before i), next[] the first pass's tags (NULL in the first
 * pass).  Writes at most ND__MAX_FEATS keys; returns the count. */
size_t nd__tag_features(const nd__watom *w, size_t n, size_t i, const uint8_t *prev,
                        const uint8_t *next, uint64_t *out);

/* Where nd__tag_features puts the features of the two previous tags alone
 * (templates 1, 12, 13 and 14: their keys are the same for every word
 * with the same two tags before it, or the sentence's start), and where
 * nd__label_features puts those of the arc's direction and the head's and
 * dependent's tags alone (templates 1, 3, 5 and 6), then, when the
 * dependent has no children, those that see only its children besides
 * (templates 11-14, 17 and 18).  The parser adds up their weights once
 * per tag pair (or tag pair, direction and whether the dependent is a
 * leaf) and keeps the sums (parse.c). */
/* The calling thread's work, made on its first call and freed when the
 * thread ends (NULL: out of memory): for a caller that brings none, such
 * as nd_analyze() without opts.parse_work.  A work made per call costs
 * its tables again each time: zeroing the parser's 3 MB memo and adding
 * up the sums anew (1 ms and more a call; a fifth of the analysis of a
 * news article, session 29). */
nd_parse_work *nd__parse_work_thread(void);

/* Let work wk score every feature from the tables, keeping no sums (for
 * tests: the parses must not change). */
void nd__parse_work_no_sums(nd_parse_work *wk);

#define ND__TAG_PREV_FEATS 4
extern const uint8_t nd__tag_prev_pos[ND__TAG_PREV_FEATS];
#define ND__LABEL_PAIR_FEATS 4
#define ND__LABEL_LEAF_FEATS 10
extern const uint8_t nd__label_pair_pos[ND__LABEL_LEAF_FEATS];

/* ---- the transition system (arc-hybrid, root at the end) -----------------
 *
 * Stack and buffer of word indexes; the buffer is b..n where n is the
 * artificial root.  SHIFT pushes the buffer's front; LEFT makes the front
 * the head of the stack's top and pops it; RIGHT makes the second of the
 * stack the head of the top and pops it.  LEFT onto the root is allowed
 * only with one word on the stack, so the tree has one root; the parse
 * ends with an empty stack and the root in front.  The label of an arc is
 * chosen when the arc is made, by a classifier of its own. */
enum { ND__T_SHIFT = 0, ND__T_LEFT = 1, ND__T_RIGHT = 2 };

typedef struct nd__pstate {
    int n;      /* words; n is the root */
    int *stack; /* [sp] */
    int sp;
    int b;         /* buffer front, n = the root */
    int16_t *head; /* per word: head or -1 (root is n) */
    uint8_t *label;
    int16_t *lc1, *lc2, *rc1, *rc2; /* leftmost, second leftmost, rightmost, second rightmost */
    uint8_t *nl, *nr;               /* number of left / right children */
    uint64_t *lset, *rset;          /* sets of the children's labels */
} nd__pstate;

/* Bytes of the arrays of a state of up to n words. */
size_t nd__pstate_bytes(int n);
/* Lay out a state for n words in mem (nd__pstate_bytes(n) bytes, aligned
 * for 8) and reset it. */
void nd__pstate_init(nd__pstate *s, int n, void *mem);
/* Make dst (laid out by nd__pstate_init for the same n) a copy of src. */
void nd__pstate_copy(nd__pstate *dst, const nd__pstate *src);
/* Apply a transition (already checked valid); label: of the new arc. */
void nd__pstate_apply(nd__pstate *s, int t, int label);
/* Is the transition allowed now? */
static inline int nd__pstate_valid(const nd__pstate *s, int t)
{
    if (t == ND__T_SHIFT) return s->b < s->n;
    if (t == ND__T_LEFT) return s->sp >= 1 && (s->b < s->n || s->sp == 1);
    return s->sp >= 2;
}
static inline int nd__pstate_done(const nd__pstate *s)
{
    return s->sp == 0 && s->b == s->n;
}
/* The only transition allowed (SHIFT with an empty stack; with only the
 * root left, LEFT onto it for the last word, else RIGHT), or -1 when there
 * is a choice.  Forced transitions are not scored. */
static inline int nd__pstate_forced(const nd__pstate *s)
{
    if (s->sp == 0) return ND__T_SHIFT;
    if (s->b == s->n) return s->sp == 1 ? ND__T_LEFT : ND__T_RIGHT;
    return -1;
}

/* Features of the state for the transition.  w: word atoms (the norm is
 * used), tags: tag classes of the words.  Returns the count (at most
 * ND__MAX_FEATS). */
size_t nd__parse_features(const nd__pstate *s, const nd__watom *w, const uint8_t *tags,
                          uint64_t *out);

/* The same features in groups.  nd__parse_word_features writes the
 * features that read a word to out (returns the count) and the key of
 * each group of the others to g; nd__parse_group_features writes the
 * features of a group from its key alone (returns the count).  Together
 * they are the features of nd__parse_features, in another order: the
 * weights of a group's features add up to the same sum for the same key
 * (parse.c keeps the sums).  The keys pack small codes of tags, labels,
 * distances and valencies, and a label set; they hold the tags of a
 * model of at most ND__PG_MAX_TAGS tags. */
enum {
    ND__PG_TAGS,  /* the tags of S0 N0 N1 N2, the distance S0-N0 */
    ND__PG_TAGS1, /* the tags of S0 N0 S1 S2, the distance S1-S0 */
    ND__PG_S0L,   /* S0 and its left children (with N0's tag) */
    ND__PG_S0R,   /* S0 and its right children (with N0's tag) */
    ND__PG_N0L,   /* N0 and its left children (with S0's tag) */
    ND__PG_S1,    /* S1 and its children (with S0's and its outer children's tags) */
    ND__PG_N
};
#define ND__PG_MAX_TAGS 254
typedef struct nd__pgkey {
    uint64_t a, b;
} nd__pgkey;
size_t nd__parse_word_features(const nd__pstate *s, const nd__watom *w, const uint8_t *tags,
                               uint64_t *out, nd__pgkey g[ND__PG_N]);
size_t nd__parse_group_features(int group, nd__pgkey key, uint64_t *out);

/* Features for the label of the arc the transition t (LEFT or RIGHT) is
 * about to make. */
size_t nd__label_features(const nd__pstate *s, int t, const nd__watom *w, const uint8_t *tags,
                          uint64_t *out);

/* ---- models ------------------------------------------------------------- */

/* Add the weights of every feature found into scores[classes]. */
void nd__wtab_score(const nd__wtab *t, const uint64_t *keys, size_t n, int32_t *scores);
/* The same for the three transitions. */
void nd__ttab_score(const nd__ttab *t, const uint64_t *keys, size_t n, int32_t scores[3]);

/* A key table lookup: the value, or UINT32_MAX. */
uint32_t nd__ktab_get(const nd__ktab *t, uint64_t key);

/* The lemma of a word: writes it to out (NUL-terminated, at most cap - 1
 * bytes) and returns its length.  form: the word as written; lower its
 * normalised form (nd__word_atoms); tag: the tag class. */
size_t nd__lemmatize(const nd_parser *p, const char *form, size_t n, int tag, char *out,
                     size_t cap);

/* Keys of the lemma tables. */
uint64_t nd__lemma_key(const char *lower, size_t n, int upos);
uint64_t nd__suffix_key(const char *lower_tail, size_t n, int upos);
/* Lowercase (ASCII and Unicode simple folding) into out; returns length. */
size_t nd__lowercase(const char *p, size_t n, char *out, size_t cap);

#endif
