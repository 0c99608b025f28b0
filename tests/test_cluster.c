/* test_cluster.c - duplicates, near-duplicates and story clustering.
 *
 * The articles below are fixtures written for this test (invented places
 * and people): two look-alike earthquakes, each told by three outlets over
 * two days, a wire story and its republished copy, and background news on
 * other subjects so that the statistics mean something. */
#include "newsdesk/newsdesk.h"
#include "newsdesk/cluster.h"
#include "base/blob.h"
#include "cluster/cluster_int.h"
#include "tap.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

typedef struct fx {
    const char *date; /* YYYY-MM-DD or NULL */
    const char *title;
    const char *text;
    char group; /* 'A', 'B': the two earthquakes; 'W': the wire story; '-': others */
} fx;

static const fx docs[] = {
    {"2021-03-03", "Strong earthquake kills dozens in western Veskland",
     "A magnitude 6.4 earthquake struck the mountain town of Taloria in western Veskland early "
     "on Wednesday, killing at least 41 people and injuring more than 200, officials said.\n"
     "The quake hit at 4:12 a.m. local time, when most residents were asleep, and brought down "
     "dozens of stone houses in the old quarter of Taloria. Rescue teams from the regional "
     "capital Brennick worked through the morning to pull survivors from the rubble.\n"
     "Governor Aldo Menzer said the death toll was likely to rise. The Veskland Seismic "
     "Institute said the epicentre was 12 kilometres north of Taloria at a depth of 10 "
     "kilometres.",
     'A'},
    {"2021-03-03", "Voters in Kestrel Province elect a new assembly",
     "Voters in Kestrel Province chose a new regional assembly on Sunday after a campaign "
     "dominated by housing costs and the future of the coal mines. The Green Valley Party won "
     "22 of the 60 seats, according to the electoral commission, and its leader Mara Oswin "
     "said she would seek a coalition with the farmers' party. Turnout was 58 per cent.",
     '-'},
    {"2021-03-03", "Taloria earthquake: death toll rises to 41",
     "The number of people killed by Wednesday's earthquake in Taloria has risen to 41, "
     "Governor Aldo Menzer told reporters in Brennick.\n"
     "The 6.4-magnitude tremor destroyed much of the town's old quarter and left about 3,000 "
     "people homeless in western Veskland. Soldiers and volunteers searched collapsed "
     "buildings with sniffer dogs, and field hospitals were set up on the football ground.\n"
     "The Veskland Seismic Institute recorded more than 30 aftershocks during the day.",
     'A'},
    {"2021-03-03", "Shares slide as the Kestrel central bank raises rates",
     "Shares on the Kestrel stock exchange fell by 2.3 per cent on Wednesday after the central "
     "bank raised its main interest rate to 4.5 per cent, the third increase this year. Bank "
     "governor Piet Lanholm said inflation remained too high. Shares in builders and retailers "
     "led the fall, while the currency rose against the euro.",
     '-'},
    {"2021-03-04", "Taloria mourns as aftershocks rattle western Veskland",
     "A day after the magnitude 6.4 earthquake that killed 41 people in Taloria, aftershocks "
     "continued to shake the mountain region of western Veskland on Thursday.\n"
     "Governor Aldo Menzer declared three days of mourning and promised to rebuild the old "
     "quarter. Families who lost their homes spent the night in tents set up by the Red Cross "
     "near the Brennick road.\n"
     "Engineers from the Seismic Institute began inspecting schools and the hospital in "
     "Taloria.",
     'A'},
    {"2021-03-05", "Riverton United win the cup final",
     "Riverton United won the national cup on Saturday, beating Harbour Athletic 2-1 in front "
     "of 40,000 fans at the Crown Stadium. Striker Tomas Elber scored twice in the second half "
     "before Harbour pulled one back in stoppage time. It is the club's first trophy since "
     "1998, and coach Lena Brandt dedicated it to the supporters.",
     '-'},
    {"2021-03-06", "Orbitas unveils a folding phone",
     "The technology company Orbitas showed its first folding phone at a launch event on "
     "Monday. The device opens into a small tablet, has three cameras and will cost 1,299 "
     "dollars when it goes on sale in May, chief executive Ravi Sandhu said. Analysts said "
     "the price would limit sales to enthusiasts.",
     '-'},
    {"2023-10-17", "Earthquake hits the Ardenian port city of Marisco",
     "A magnitude 5.9 earthquake shook the port city of Marisco in southern Ardenia on "
     "Tuesday evening, killing 12 people and damaging the harbour, the national emergency "
     "agency said.\n"
     "The tremor struck at 7:45 p.m. and was felt as far away as the capital, Solvenna. Mayor "
     "Ines Caravel said several apartment blocks near the fish market had partly collapsed.\n"
     "Ardenia's Geophysical Office put the epicentre 20 kilometres offshore at a depth of 35 "
     "kilometres.",
     'B'},
    {"2023-10-17", "Marisco quake leaves 12 dead, port closed",
     "Twelve people died when a 5.9-magnitude earthquake struck Marisco on Tuesday, Ardenian "
     "officials said, and the city's port was closed while engineers checked the quays.\n"
     "Mayor Ines Caravel asked residents to stay away from damaged buildings near the fish "
     "market. Ferries to the islands were cancelled and trains to Solvenna were delayed. The "
     "Geophysical Office warned of aftershocks over the coming days.",
     'B'},
    {"2023-10-17", "Rail strike halts trains across the north",
     "A 24-hour strike by train drivers stopped almost all rail services in the north of "
     "Ardenia on Tuesday. The drivers' union wants a 9 per cent pay rise and says staff "
     "shortages have made rosters unsafe. The transport minister, Olaf Renner, called the "
     "strike irresponsible and said talks would resume next week.",
     '-'},
    {"2023-10-18", "Aftershocks unsettle Marisco a day after deadly earthquake",
     "Residents of Marisco in southern Ardenia spent Wednesday clearing rubble after the "
     "magnitude 5.9 earthquake that killed 12 people on Tuesday.\n"
     "Mayor Ines Caravel said the harbour would reopen on Friday. The Geophysical Office "
     "recorded 18 aftershocks, the strongest of magnitude 4.1. Volunteers from Solvenna "
     "brought blankets and water to families sleeping in the sports hall.",
     'B'},
    {"2023-10-18", "Telescope spots a distant comet",
     "Astronomers using the Halden Observatory telescope have found a comet far beyond the "
     "orbit of Neptune, the observatory said on Wednesday. The comet, named Halden 7, is about "
     "50 kilometres wide and will come closest to the Sun in 2031. Its discovery was confirmed "
     "by two other observatories.",
     '-'},
    {"2023-10-19", "Film festival opens with a drama about fishermen",
     "The Solvenna film festival opened on Thursday with The Long Tide, a drama about three "
     "generations of fishermen directed by Anouk Pell. The festival shows 120 films over ten "
     "days, and its jury is led by the actor Bruno Vance. Tickets for the opening night sold "
     "out within an hour.",
     '-'},
    {"2023-10-20", "Kestrel central bank holds rates, warns on prices",
     "The Kestrel central bank kept its main interest rate unchanged at 4.5 per cent on "
     "Friday, but governor Piet Lanholm warned that a weak currency could push prices higher "
     "over the winter. Economists had expected the pause. The bank will publish new forecasts "
     "in December, together with its report on the housing market and household debt, which "
     "has grown for six years in a row.",
     '-'},
};
#define N_DOCS (sizeof docs / sizeof *docs)

/* A wire story of some length, and its republished copy with another
 * outlet's furniture and light edits. */
static const char *wire =
    "The government of Kestrel Province will spend 800 million on new flood defences along the "
    "River Arle over the next five years, the environment minister, Hanna Veld, announced on "
    "Monday. The plan includes raising the embankments at Dunmore and Castleford, building two "
    "storage basins upstream of the city of Arlebridge and restoring wetlands on farmland that "
    "flooded three times since 2015. Veld said the works would protect about 40,000 homes and "
    "that farmers would be paid for land given over to the river. Opposition parties said the "
    "money came too late for the towns that flooded last winter, when water stood a metre deep "
    "in the centre of Castleford for four days. The first contracts will be signed in the "
    "spring, and the ministry expects the basins to be finished in 2027. Engineers will also "
    "install sensors along the river so that warnings can be sent to residents by text message "
    "up to twelve hours before a flood.";

static const char *wire_copy =
    "HOME | NEWS | REGIONS\n"
    "By Agency Staff - Updated 10:32 GMT\n"
    "The government of Kestrel Province will spend 800 million on new flood defences along the "
    "River Arle over the next five years, environment minister Hanna Veld announced on Monday. "
    "The plan includes raising the embankments at Dunmore and Castleford, building two storage "
    "basins upstream of the city of Arlebridge and restoring wetlands on farmland that flooded "
    "three times since 2015. Veld said the works would protect about 40,000 homes and that "
    "farmers would be paid for land given over to the river. Opposition parties said the money "
    "came too late for the towns that flooded last winter, when water stood a metre deep in the "
    "centre of Castleford for four days. The first contracts will be signed in the spring, and "
    "the ministry expects the basins to be finished in 2027. Engineers will also install "
    "sensors along the river so that warnings can be sent to residents by text message up to "
    "twelve hours before a flood.\n"
    "Share this article\n"
    "Read more: Regional news";

static int64_t day(const char *s)
{
    if (!s) return ND_TIME_NONE;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (sscanf(s, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) return ND_TIME_NONE;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = 12;
    return (int64_t) timegm(&tm);
}

static nd_cluster_doc cdoc(int64_t id, const fx *f)
{
    nd_cluster_doc d = {id, f->title, strlen(f->title), f->text, strlen(f->text), day(f->date)};
    return d;
}

/* Apply an engine's answer to a story table indexed by document id. */
static void apply(int64_t *story, size_t n, const nd_cluster_result *r)
{
    for (size_t k = 0; k < r->n_changes; k++) {
        const nd_cluster_change *ch = &r->changes[k];
        if (ch->kind == ND_CLUSTER_MOVE && ch->doc >= 1 && (size_t) ch->doc <= n)
            story[ch->doc] = ch->to;
        else if (ch->kind == ND_CLUSTER_MERGE)
            for (size_t i = 1; i <= n; i++)
                if (story[i] == ch->from) story[i] = ch->to;
    }
}

/* Cluster the fixtures in the given order; story[id] for id 1..N_DOCS. */
static void run_order(const nd_cluster_params *p, const size_t *order, int64_t *story)
{
    nd_error err;
    nd_cluster *c = nd_cluster_new(p, &err);
    CHECK(c != NULL);
    if (!c) return;
    for (size_t k = 0; k < N_DOCS; k++) {
        size_t i = order[k];
        nd_cluster_doc d = cdoc((int64_t) i + 1, &docs[i]);
        nd_cluster_result r;
        CHECK_INT(nd_cluster_add(c, &d, &r), 0);
        story[i + 1] = r.story;
        apply(story, N_DOCS, &r);
    }
    nd_cluster_result r;
    CHECK_INT(nd_cluster_flush(c, &r), 0);
    apply(story, N_DOCS, &r);
    nd_cluster_free(c);
}

/* Same partition (story ids may differ). */
static int same_partition(const int64_t *a, const int64_t *b, size_t n)
{
    for (size_t i = 1; i <= n; i++)
        for (size_t j = i + 1; j <= n; j++)
            if ((a[i] == a[j]) != (b[i] == b[j])) return 0;
    return 1;
}

static void check_events(const int64_t *story)
{
    int64_t a = 0, b = 0;
    for (size_t i = 0; i < N_DOCS; i++) {
        int64_t s = story[i + 1];
        CHECK(s > 0);
        if (docs[i].group == 'A') {
            if (!a) a = s;
            CHECK_INT(s, a); /* same event, three outlets, two days: one story */
        } else if (docs[i].group == 'B') {
            if (!b) b = s;
            CHECK_INT(s, b);
        }
    }
    CHECK(a != b); /* two look-alike earthquakes: two stories */
    for (size_t i = 0; i < N_DOCS; i++)
        if (docs[i].group == '-') {
            CHECK(story[i + 1] != a);
            CHECK(story[i + 1] != b);
        }
}

static void test_events(void)
{
    size_t order[N_DOCS];
    int64_t story[N_DOCS + 1];
    for (size_t i = 0; i < N_DOCS; i++) order[i] = i;
    run_order(NULL, order, story);
    check_events(story);
}

static void test_order_robust(void)
{
    size_t order[N_DOCS];
    int64_t base[N_DOCS + 1], story[N_DOCS + 1];
    for (size_t i = 0; i < N_DOCS; i++) order[i] = i;
    run_order(NULL, order, base);
    /* reversed, and a few fixed shuffles */
    for (size_t i = 0; i < N_DOCS; i++) order[i] = N_DOCS - 1 - i;
    run_order(NULL, order, story);
    CHECK(same_partition(base, story, N_DOCS));
    check_events(story);
    uint64_t seed = 12345;
    for (int round = 0; round < 5; round++) {
        for (size_t i = 0; i < N_DOCS; i++) order[i] = i;
        for (size_t i = N_DOCS; i > 1; i--) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            size_t j = (size_t) (seed >> 33) % i, t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        run_order(NULL, order, story);
        CHECK(same_partition(base, story, N_DOCS));
    }
}

static void test_recluster_deterministic(void)
{
    size_t order[N_DOCS];
    int64_t a[N_DOCS + 1], b[N_DOCS + 1];
    for (size_t i = 0; i < N_DOCS; i++) order[i] = i;
    run_order(NULL, order, a);
    run_order(NULL, order, b);
    for (size_t i = 1; i <= N_DOCS; i++) CHECK_INT(a[i], b[i]); /* same ids too */
}

static void test_exact_dup(void)
{
    nd_cluster *c = nd_cluster_new(NULL, NULL);
    CHECK(c != NULL);
    nd_cluster_result r;
    nd_cluster_doc d = cdoc(1, &docs[0]);
    CHECK_INT(nd_cluster_add(c, &d, &r), 0);
    int64_t s = r.story;
    CHECK(r.new_story);
    CHECK_INT(r.dup, ND_DUP_NONE);
    d = cdoc(2, &docs[0]);
    d.title = "Another outlet's headline";
    d.title_len = strlen(d.title);
    CHECK_INT(nd_cluster_add(c, &d, &r), 0);
    CHECK_INT(r.dup, ND_DUP_EXACT);
    CHECK_INT(r.dup_of, 1);
    CHECK_INT(r.story, s);
    /* the same id again while it is recent: refused */
    d = cdoc(2, &docs[1]);
    CHECK_INT(nd_cluster_add(c, &d, &r), ND_EINVAL);
    nd_cluster_stats st;
    nd_cluster_get_stats(c, &st);
    CHECK_INT(st.dups_exact, 1);
    CHECK_INT(st.docs, 2);
    nd_cluster_free(c);
}

/* A text whose headline line an extractor took out reads as the same text
 * with it: the second article of a story joins it with the same
 * similarity either way, and no other way (a different headline). */
static double join_similarity(const char *first_text)
{
    nd_cluster *c = nd_cluster_new(NULL, NULL);
    CHECK(c != NULL);
    nd_cluster_result r;
    nd_cluster_doc d = cdoc(1, &docs[0]);
    d.text = first_text;
    d.text_len = strlen(first_text);
    CHECK_INT(nd_cluster_add(c, &d, &r), 0);
    d = cdoc(2, &docs[2]);
    CHECK_INT(nd_cluster_add(c, &d, &r), 0);
    double sim = r.new_story ? 0.0 : r.similarity;
    nd_cluster_free(c);
    return sim;
}

static void test_title_line(void)
{
    char with[2048];
    snprintf(with, sizeof with, "%s\n\n%s", docs[0].title, docs[0].text);
    double a = join_similarity(with), b = join_similarity(docs[0].text);
    CHECK(a > 0.0);
    CHECK(fabs(a - b) < 1e-9);
    /* the body starting with other words is not taken for the headline */
    char other[2048];
    snprintf(other, sizeof other, "Officials said on Wednesday.\n\n%s", docs[0].text);
    CHECK(fabs(join_similarity(other) - b) > 1e-6);
}

static void test_near_dup(void)
{
    nd_dup_sketch a, b, x;
    nd_dup_sketch_text(NULL, 0, wire, strlen(wire), &a);
    nd_dup_sketch_text(NULL, 0, wire_copy, strlen(wire_copy), &b);
    nd_dup_sketch_text(NULL, 0, docs[0].text, strlen(docs[0].text), &x);
    CHECK(a.n_shingles > 100);
    CHECK(a.content_hash != b.content_hash);
    double j = nd_dup_jaccard(&a, &b);
    CHECK(j >= 0.8);
    CHECK(j < 1.0);
    CHECK(nd_dup_jaccard(&a, &a) == 1.0);
    CHECK(nd_dup_jaccard(&a, &x) < 0.1);
    nd_dup_sketch sh;
    const char *note = "The library opens at nine on Saturdays from next week.";
    nd_dup_sketch_text("Library hours", 13, note, strlen(note), &sh);
    CHECK(sh.n_shingles == 0); /* too short for a near-duplicate sketch */
    CHECK(sh.n_words == 10);

    /* the standalone index */
    nd_dup_index *ix = nd_dup_index_new(1000);
    CHECK(ix != NULL);
    int64_t id = 0;
    double jj = 0;
    CHECK_INT(nd_dup_index_find(ix, &b, 0.8, &id, &jj), ND_DUP_NONE);
    CHECK_INT(nd_dup_index_add(ix, 7, &a), 0);
    CHECK_INT(nd_dup_index_add(ix, 8, &x), 0);
    CHECK_INT(nd_dup_index_find(ix, &b, 0.8, &id, &jj), ND_DUP_NEAR);
    CHECK_INT(id, 7);
    CHECK_INT(nd_dup_index_find(ix, &a, 0.8, &id, &jj), ND_DUP_EXACT);
    CHECK_INT(id, 7);
    CHECK_INT(nd_dup_index_find(ix, &x, 0.8, &id, &jj), ND_DUP_EXACT);
    CHECK_INT(id, 8);
    nd_dup_index_free(ix);

    /* through the engine: dup_of and the original's story */
    nd_cluster *c = nd_cluster_new(NULL, NULL);
    nd_cluster_result r;
    nd_cluster_doc d1 = {10,           "Kestrel to spend 800 million on flood defences",
                         46,           wire,
                         strlen(wire), day("2022-02-07")};
    nd_cluster_doc d2 = {
        11, "Flood plan for the River Arle", 29, wire_copy, strlen(wire_copy), day("2022-02-08")};
    CHECK_INT(nd_cluster_add(c, &d1, &r), 0);
    int64_t s = r.story;
    CHECK_INT(nd_cluster_add(c, &d2, &r), 0);
    CHECK_INT(r.dup, ND_DUP_NEAR);
    CHECK_INT(r.dup_of, 10);
    CHECK_INT(r.story, s);
    CHECK(r.similarity >= 0.8);
    nd_cluster_free(c);
}

static void test_dormancy(void)
{
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    p.window_seconds = 7 * 86400;
    p.revive = 0; /* dormant stories are never revived */
    nd_cluster *c = nd_cluster_new(&p, NULL);
    CHECK(c != NULL);
    nd_cluster_result r;
    int64_t story[128] = {0};
    for (size_t i = 0; i < N_DOCS; i++) {
        if (docs[i].group != 'A' && docs[i].group != '-') continue;
        nd_cluster_doc d = cdoc((int64_t) i + 1, &docs[i]);
        CHECK_INT(nd_cluster_add(c, &d, &r), 0);
        story[i + 1] = r.story;
        apply(story, 127, &r);
    }
    /* seven weeks later, the same town: dormant story, a new one */
    fx later = {"2021-04-21", "Taloria begins rebuilding its old quarter",
                "Seven weeks after the magnitude 6.4 earthquake that killed 41 people, "
                "builders began work on Wednesday to rebuild the old quarter of Taloria in "
                "western Veskland. Governor Aldo Menzer laid the first stone of a new school "
                "and said 300 homes would be finished by the winter. The Veskland Seismic "
                "Institute has helped to draw up stricter building rules for the region.",
                'A'};
    nd_cluster_doc d = cdoc(100, &later);
    CHECK_INT(nd_cluster_add(c, &d, &r), 0);
    story[100] = r.story;
    apply(story, 127, &r);
    CHECK_INT(nd_cluster_flush(c, &r), 0);
    apply(story, 127, &r);
    CHECK(story[100] != story[1]);
    CHECK_INT(story[3], story[1]);
    nd_cluster_free(c);

    /* the same follow-up within the window joins the story */
    p.window_seconds = 90 * 86400;
    c = nd_cluster_new(&p, NULL);
    memset(story, 0, sizeof story);
    for (size_t i = 0; i < N_DOCS; i++) {
        if (docs[i].group != 'A' && docs[i].group != '-') continue;
        nd_cluster_doc e = cdoc((int64_t) i + 1, &docs[i]);
        CHECK_INT(nd_cluster_add(c, &e, &r), 0);
        story[i + 1] = r.story;
        apply(story, 127, &r);
    }
    CHECK_INT(nd_cluster_add(c, &d, &r), 0);
    story[100] = r.story;
    apply(story, 127, &r);
    CHECK_INT(nd_cluster_flush(c, &r), 0);
    apply(story, 127, &r);
    CHECK_INT(story[100], story[1]);
    nd_cluster_free(c);
}

/* Stories leave memory: with a small window, many unrelated documents
 * keep the number of active stories bounded. */
static void test_bounded(void)
{
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    p.window_docs = 200;
    p.recent = 64;
    p.sweep_every = 16;
    nd_cluster *c = nd_cluster_new(&p, NULL);
    CHECK(c != NULL);
    char text[600], title[80];
    nd_cluster_stats st;
    size_t peak = 0;
    for (int i = 1; i <= 3000; i++) {
        /* every document its own subject: made-up words from its number */
        int n = 0;
        for (int w = 0; w < 40; w++) {
            unsigned v = (unsigned) (i * 7919 + w * 104729);
            n += snprintf(text + n, sizeof text - (size_t) n, "%c%c%c%c%c ", 'a' + v % 23,
                          'a' + v / 23 % 19, 'a' + v / 437 % 17, 'a' + i % 26, 'a' + w % 26);
        }
        snprintf(title, sizeof title, "Item %d", i);
        nd_cluster_doc d = {i, title, strlen(title), text, (size_t) n, ND_TIME_NONE};
        nd_cluster_result r;
        CHECK_INT(nd_cluster_add(c, &d, &r), 0);
        nd_cluster_get_stats(c, &st);
        if (st.stories_active > peak) peak = st.stories_active;
    }
    CHECK(peak < 1000);
    CHECK(st.recent == 64);
    nd_cluster_free(c);
}

static void test_state_roundtrip(void)
{
    /* half the documents, save, load; then both engines get the rest */
    nd_cluster *a = nd_cluster_new(NULL, NULL);
    nd_cluster_result ra, rb;
    size_t half = N_DOCS / 2;
    for (size_t i = 0; i < half; i++) {
        nd_cluster_doc d = cdoc((int64_t) i + 1, &docs[i]);
        CHECK_INT(nd_cluster_add(a, &d, &ra), 0);
    }
    nd_buf blob = ND_BUF_INIT;
    CHECK_INT(nd_cluster_export(a, &blob), 0);
    CHECK(blob.len > 100);
    nd_error err;
    nd_cluster *b = nd_cluster_import(blob.ptr, blob.len, &err);
    CHECK(b != NULL);
    if (!b) {
        nd_buf_free(&blob);
        nd_cluster_free(a);
        return;
    }
    /* the same state serialises to the same bytes */
    nd_buf blob2 = ND_BUF_INIT;
    CHECK_INT(nd_cluster_export(b, &blob2), 0);
    CHECK(blob2.len == blob.len && memcmp(blob.ptr, blob2.ptr, blob.len) == 0);
    for (size_t i = half; i < N_DOCS; i++) {
        nd_cluster_doc d = cdoc((int64_t) i + 1, &docs[i]);
        CHECK_INT(nd_cluster_add(a, &d, &ra), 0);
        CHECK_INT(nd_cluster_add(b, &d, &rb), 0);
        CHECK_INT(ra.story, rb.story);
        CHECK_INT(ra.n_changes, rb.n_changes);
    }
    CHECK_INT(nd_cluster_flush(a, &ra), 0);
    CHECK_INT(nd_cluster_flush(b, &rb), 0);
    CHECK_INT(ra.n_changes, rb.n_changes);
    for (size_t k = 0; k < ra.n_changes && k < rb.n_changes; k++) {
        CHECK_INT(ra.changes[k].doc, rb.changes[k].doc);
        CHECK_INT(ra.changes[k].to, rb.changes[k].to);
    }
    /* corrupt and truncated states are refused, never crash */
    for (size_t cut = 0; cut < blob.len; cut += blob.len / 97 + 1) {
        nd_cluster *x = nd_cluster_import(blob.ptr, cut, &err);
        CHECK(x == NULL);
        nd_cluster_free(x);
    }
    for (size_t at = 12; at < blob.len; at += blob.len / 53 + 1) {
        char save = blob.ptr[at];
        blob.ptr[at] = (char) (save ^ 0x5A);
        nd_cluster *x = nd_cluster_import(blob.ptr, blob.len, &err);
        nd_cluster_free(x); /* may or may not load; must not crash */
        blob.ptr[at] = save;
    }
    CHECK(nd_cluster_import("garbage", 7, &err) == NULL);
    CHECK_INT(err.code, ND_EFORMAT);
    nd_buf_free(&blob);
    nd_buf_free(&blob2);
    nd_cluster_free(a);
    nd_cluster_free(b);
}

/* Regression (fuzz_cluster): a state whose story centroids had grown in
 * another order than an import rebuilds them exported to other bytes, and
 * the imported engine summed its centroids in another order.  Tables are
 * now saved with their layout. */
static void test_state_layout(void)
{
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    p.recent = 16;
    p.sweep_every = 3;
    p.window_docs = 64;
    p.df_bits = 12;
    p.window_seconds = 86400;
    p.keep_seconds = 3 * 86400;
    nd_cluster *a = nd_cluster_new(&p, NULL);
    static const char *texts[] = {
        ("The same text twice, long enough to be a sketch of something that repeats itself in a "
         "wire copy of the news of the day and more words to pass fifty shingles of four words "
         "each in this line of text here and there again and again until it is long."),
        "Tnough to be a sketch of something that repeats itself in a wi]re copy",
        (" of the news of the day and more words to pass fifty shingles of four words each in "
         "thin until it is long."),
    };
    nd_cluster_result r, rb;
    int64_t id = 1;
    for (int i = 0; i < 43; i++) {
        const char *t = i == 0 ? texts[0] : i == 1 ? texts[1] : i == 42 ? texts[2] : "";
        nd_cluster_doc d = {
            id++,          i == 0 ? "A" : i == 1 ? "B" : "",
            i < 2 ? 1 : 0, t,
            strlen(t),     i < 2 ? 1600000000 + 65 * 40000 + i * 40000 : ND_TIME_NONE};
        CHECK_INT(nd_cluster_add(a, &d, &r), 0);
    }
    nd_buf x = ND_BUF_INIT, y = ND_BUF_INIT, z = ND_BUF_INIT;
    CHECK_INT(nd_cluster_export(a, &x), 0);
    nd_cluster *b = nd_cluster_import(x.ptr, x.len, NULL);
    CHECK(b != NULL);
    if (!b) goto out;
    CHECK_INT(nd_cluster_export(b, &y), 0);
    CHECK(x.len == y.len && memcmp(x.ptr, y.ptr, x.len) == 0);
    /* both go on alike, to the byte */
    for (size_t i = 0; i < N_DOCS; i++) {
        nd_cluster_doc d = cdoc(id++, &docs[i]);
        CHECK_INT(nd_cluster_add(a, &d, &r), 0);
        CHECK_INT(nd_cluster_add(b, &d, &rb), 0);
        CHECK_INT(r.story, rb.story);
    }
    nd_buf_free(&x);
    nd_buf_free(&y);
    CHECK_INT(nd_cluster_export(a, &x), 0);
    CHECK_INT(nd_cluster_export(b, &z), 0);
    CHECK(x.len == z.len && memcmp(x.ptr, z.ptr, x.len) == 0);
    nd_cluster_free(b);
out:
    nd_buf_free(&x);
    nd_buf_free(&y);
    nd_buf_free(&z);
    nd_cluster_free(a);
}

/* ---- the state in pieces ---- */

typedef struct item {
    uint32_t kind;
    uint64_t key;
    char *data;
    size_t len;
} item;

typedef struct items {
    item *v;
    size_t n, cap;
    size_t at; /* the reader's position */
    size_t puts, dels, lazy_skipped, fetched;
    size_t streamed_kind[32], fetched_kind[32]; /* (kinds below 32) */
    size_t put_kind[32], put_bytes_kind[32];
} items;

static int item_cmp(const void *x, const void *y)
{
    const item *a = x, *b = y;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    return a->key < b->key ? -1 : a->key > b->key;
}

static item *item_find(items *s, uint32_t kind, uint64_t key)
{
    item k = {kind, key, NULL, 0};
    return s->n ? bsearch(&k, s->v, s->n, sizeof k, item_cmp) : NULL;
}

static int it_put(void *ctx, uint32_t kind, uint64_t key, const void *data, size_t len)
{
    items *s = ctx;
    item *f = item_find(s, kind, key);
    char *copy = malloc(len ? len : 1);
    if (len) memcpy(copy, data, len);
    s->puts++;
    if (kind < 32) s->put_kind[kind]++, s->put_bytes_kind[kind] += len;
    if (f) {
        free(f->data);
        f->data = copy;
        f->len = len;
        return 0;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = (item){kind, key, copy, len};
    qsort(s->v, s->n, sizeof *s->v, item_cmp);
    return 0;
}

static int it_del(void *ctx, uint32_t kind, uint64_t key)
{
    items *s = ctx;
    item *f = item_find(s, kind, key);
    s->dels++;
    if (!f) return 0;
    free(f->data);
    size_t i = (size_t) (f - s->v);
    memmove(s->v + i, s->v + i + 1, (s->n - i - 1) * sizeof *s->v);
    s->n--;
    return 0;
}

static int it_next(void *ctx, uint32_t *kind, uint64_t *key, const void **data, size_t *len)
{
    items *s = ctx;
    if (s->at >= s->n) return 0;
    item *f = &s->v[s->at++];
    *kind = f->kind;
    *key = f->key;
    *data = f->data;
    *len = f->len;
    return 1;
}

static void items_free(items *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->v[i].data);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static nd_cluster *items_load(items *s)
{
    s->at = 0;
    return nd_cluster_load(it_next, NULL, s, NULL);
}

/* The items the engine always needs at once, the others on demand. */
static int it_next_eager(void *ctx, uint32_t *kind, uint64_t *key, const void **data, size_t *len)
{
    items *s = ctx;
    int rc;
    while ((rc = it_next(ctx, kind, key, data, len)) == 1 && *kind >= ND_CLUSTER_LAZY_KIND)
        s->lazy_skipped++;
    if (rc == 1 && *kind < 32) s->streamed_kind[*kind]++;
    return rc;
}

static int it_fetch(void *ctx, uint32_t kind, uint64_t key, const void **data, size_t *len)
{
    items *s = ctx;
    item *f = item_find(s, kind, key);
    if (!f) return 0;
    *data = f->data;
    *len = f->len;
    s->fetched++;
    if (kind < 32) s->fetched_kind[kind]++;
    return 1;
}

static nd_cluster *items_load_lazy(items *s)
{
    s->at = 0;
    return nd_cluster_load(it_next_eager, it_fetch, s, NULL);
}

static int same_state(nd_cluster *a, nd_cluster *b)
{
    nd_buf x = ND_BUF_INIT, y = ND_BUF_INIT;
    int same = nd_cluster_export(a, &x) == 0 && nd_cluster_export(b, &y) == 0 && x.len == y.len &&
               memcmp(x.ptr, y.ptr, x.len) == 0;
    nd_buf_free(&x);
    nd_buf_free(&y);
    return same;
}

/* A stream of made-up news: documents of 60 topics, some copied. */
static nd_cluster_doc stream_doc(int i, char *title, size_t tcap, char *text, size_t cap)
{
    int topic = (i / 3 + i % 5) % 60, n = 0;
    if (i % 11 == 7) i -= 4; /* a copy of a document of four before */
    for (int w = 0; w < 70; w++) {
        unsigned v = (unsigned) (w % 3 ? topic * 7919 + w * 104729 : i * 31 + w);
        n += snprintf(text + n, cap - (size_t) n, "%c%c%c%c%c%s", 'a' + v % 23, 'a' + v / 23 % 19,
                      'a' + v / 437 % 17, 'a' + topic % 26, 'a' + w % 26, w % 9 == 8 ? ". " : " ");
    }
    snprintf(title, tcap, "Topic %d report", topic);
    nd_cluster_doc d = {
        0,    title,      strlen(title),
        text, (size_t) n, i % 13 == 0 ? ND_TIME_NONE : 1600000000 + (int64_t) i * 1800};
    return d;
}

/* The default parameters but for a window small enough for a test. */
static nd_cluster_params small_params(uint32_t recent, uint32_t window_docs, unsigned df_bits)
{
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    p.recent = recent;
    p.window_docs = window_docs;
    p.df_bits = df_bits;
    return p;
}

/* Documents from..to of the stream (document id, the stream's document
 * id * step) added to c: 0 or the first error. */
static int add_stream(nd_cluster *c, int from, int to, int step)
{
    char title[64], text[4096];
    for (int id = from; id <= to; id++) {
        nd_cluster_doc d = stream_doc(id * step, title, sizeof title, text, sizeof text);
        d.id = id;
        nd_cluster_result r;
        int rc = nd_cluster_add(c, &d, &r);
        if (rc) return rc;
    }
    return 0;
}

/* Document id of the stream (its document id * step) added to a and to b:
 * 1 when both took it and gave it the same story and original. */
static int add_both(nd_cluster *a, nd_cluster *b, int id, int step)
{
    char title[64], text[4096];
    nd_cluster_doc d = stream_doc(id * step, title, sizeof title, text, sizeof text);
    d.id = id;
    nd_cluster_result ra, rb;
    return nd_cluster_add(a, &d, &ra) == 0 && nd_cluster_add(b, &d, &rb) == 0 &&
           ra.story == rb.story && ra.dup_of == rb.dup_of;
}

/* Saved in pieces after every few documents, the engine loads back to the
 * same state, to the byte, and a small step writes few bytes. */
static void test_state_items(void)
{
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    p.recent = 32;
    p.sweep_every = 5;
    p.window_docs = 300;
    p.df_bits = 13;
    p.df_half_life = 150;
    p.window_seconds = 40 * 3600;
    p.keep_seconds = 80 * 3600;
    nd_cluster *a = nd_cluster_new(&p, NULL);
    nd_cluster_fx *fxr = nd_cluster_fx_new(&p, NULL);
    nd_cluster *plain = nd_cluster_new(&p, NULL); /* the same stream through nd_cluster_add */
    CHECK(a && fxr && plain);
    if (!a || !fxr || !plain) return;
    items s = {0};
    size_t full = 0, one = 0, bytes;
    char title[64], text[4096];
    int id = 1, loads = 0, same = 1, same_plain = 1;
    for (int round = 0; round < 60; round++) {
        int k = round % 7 == 3 ? 1 : 1 + round * 13 % 40;
        for (int j = 0; j < k; j++, id++) {
            nd_cluster_doc d = stream_doc(id, title, sizeof title, text, sizeof text);
            d.id = id;
            nd_cluster_prep *pr = NULL;
            nd_cluster_result r, rp;
            CHECK_INT(nd_cluster_prepare(fxr, &d, &pr), 0);
            CHECK_INT(nd_cluster_add_prepared(a, &d, pr, &r), 0);
            CHECK_INT(nd_cluster_add(plain, &d, &rp), 0);
            same_plain &= r.story == rp.story && r.dup_of == rp.dup_of;
            nd_cluster_prep_free(pr);
        }
        if (round % 10 == 9) {
            nd_cluster_result r;
            CHECK_INT(nd_cluster_flush(a, &r), 0);
            CHECK_INT(nd_cluster_flush(plain, &r), 0);
        }
        CHECK_INT(nd_cluster_save(a, round == 0, &(nd_cluster_sink){&s, it_put, it_del}, &bytes),
                  0);
        if (round == 0) full = bytes;
        if (k == 1 && round > 20 && (!one || bytes < one)) one = bytes;
        if (round % 4 == 2 || round == 59) {
            /* load, and go on with the loaded engine: all of it at once, or
             * what it needs when it needs it (most rounds) */
            nd_cluster *chk = items_load(&s);
            CHECK(chk != NULL);
            if (!chk) break;
            same &= same_state(chk, plain);
            nd_cluster_free(chk);
            nd_cluster *b = round % 8 == 2 ? items_load(&s) : items_load_lazy(&s);
            CHECK(b != NULL);
            if (!b) break;
            nd_cluster_free(a);
            a = b;
            loads++;
        }
    }
    CHECK(same);
    CHECK(same_plain);
    CHECK(same_state(a, plain));
    CHECK(loads >= 15);
    CHECK(s.lazy_skipped > 0 && s.fetched > 0 && s.fetched < s.lazy_skipped);
    /* a one-document step writes a fraction of the whole */
    size_t total = 0;
    for (size_t i = 0; i < s.n; i++) total += s.v[i].len;
    fprintf(stderr, "# items %zu, %zu bytes; first save %zu, smallest one-document save %zu\n", s.n,
            total, full, one);
    CHECK(one > 0 && one * 3 < total);
    /* damaged items are refused or load, never crash */
    for (size_t i = 0; i < s.n; i += s.n / 41 + 1) {
        item *it = &s.v[i];
        size_t len = it->len;
        it->len = len / 2;
        nd_cluster_free(items_load(&s));
        it->len = len;
        for (size_t at = 0; at < len; at += len / 7 + 1) {
            it->data[at] ^= 0x55;
            nd_cluster_free(items_load(&s));
            it->data[at] ^= 0x55;
        }
    }
    /* a missing item is noticed */
    item gone = s.v[s.n / 2];
    memmove(s.v + s.n / 2, s.v + s.n / 2 + 1, (s.n - s.n / 2 - 1) * sizeof *s.v);
    s.n--;
    nd_cluster *x = items_load(&s);
    CHECK(x == NULL);
    nd_cluster_free(x);
    free(gone.data);
    /* and a prep made with other parameters is refused */
    nd_cluster_params q = p;
    q.w_title = 3.0;
    nd_cluster_fx *fx2 = nd_cluster_fx_new(&q, NULL);
    nd_cluster_doc d = stream_doc(id, title, sizeof title, text, sizeof text);
    d.id = id;
    nd_cluster_prep *pr = NULL;
    nd_cluster_result r;
    CHECK_INT(nd_cluster_prepare(fx2, &d, &pr), 0);
    CHECK_INT(nd_cluster_add_prepared(a, &d, pr, &r), ND_EINVAL);
    nd_cluster_prep_free(pr);
    nd_cluster_fx_free(fx2);
    items_free(&s);
    nd_cluster_fx_free(fxr);
    nd_cluster_free(plain);
    nd_cluster_free(a);
}

/* A save writes the index blocks changed since the last save or load, and
 * those only: saved after every document and loaded back each time, the
 * items hold the engine, across the rotations of the indexes (every few
 * documents here) and with saves right before them. */
/* An allocator that counts the bytes live and the bytes ever allocated. */
static size_t live_bytes, total_bytes;
static void *m_malloc(size_t n, void *ctx)
{
    (void) ctx;
    size_t *h = malloc(n + 16);
    if (!h) return NULL;
    *h = n;
    live_bytes += n;
    total_bytes += n;
    return (char *) h + 16;
}
static void m_free(void *p, void *ctx)
{
    (void) ctx;
    if (!p) return;
    size_t *h = (size_t *) ((char *) p - 16);
    live_bytes -= *h;
    free(h);
}
static void *m_realloc(void *p, size_t n, void *ctx)
{
    void *q = m_malloc(n, ctx);
    if (!q || !p) return q;
    size_t old = *(size_t *) ((char *) p - 16);
    memcpy(q, p, old < n ? old : n);
    m_free(p, ctx);
    return q;
}

/* A load allocates what it keeps, and little else: the inverted indexes
 * at their saved size at once (it used to double them from 1,024 slots,
 * allocating and freeing every smaller size: 2 MB more than it kept
 * here, 7.7 M instructions of a 200,000-document store's load). */
static void test_state_load_allocs(void)
{
    nd_cluster_params p =
        small_params(1024, 2000, 13); /* an index of the recent documents of 16,384 slots */
    nd_cluster *a = nd_cluster_new(&p, NULL);
    CHECK(a != NULL);
    if (!a) return;
    CHECK_INT(add_stream(a, 1, 1000, 1), 0);
    items s = {0};
    size_t bytes;
    CHECK_INT(nd_cluster_save(a, 1, &(nd_cluster_sink){&s, it_put, it_del}, &bytes), 0);
    for (int lazy = 0; lazy < 2; lazy++) {
        nd_allocator al = {m_malloc, m_realloc, m_free, NULL};
        nd_set_allocator(&al);
        live_bytes = total_bytes = 0;
        nd_cluster *b = lazy ? items_load_lazy(&s) : items_load(&s);
        size_t after = live_bytes, total = total_bytes;
        CHECK(b != NULL);
        /* but for the small buffers of its bookkeeping */
        if (total > after + after / 64)
            fprintf(stderr, "load kept %zu bytes of %zu (lazy %d)\n", after, total, lazy);
        CHECK(total <= after + after / 64);
        CHECK(b && same_state(a, b));
        nd_cluster_free(b);
        nd_set_allocator(NULL);
    }
    items_free(&s);
    nd_cluster_free(a);
}

/* A load keeps the statistics once: what a save compares them with is
 * copied run by run as they are written (a copy of the whole table at each
 * load was 4 MB, 1,000 page faults of one page into a large store), and
 * the saves after it write what they wrote before (test_state_items). */
static void test_state_load_df_once(void)
{
    nd_cluster_params p = small_params(256, 2000, 20); /* 4 MB of counters */
    nd_cluster *a = nd_cluster_new(&p, NULL);
    CHECK(a != NULL);
    if (!a) return;
    char title[64], text[4096];
    CHECK_INT(add_stream(a, 1, 300, 1), 0);
    items s = {0};
    CHECK_INT(nd_cluster_save(a, 1, &(nd_cluster_sink){&s, it_put, it_del}, NULL), 0);
    nd_cluster_doc d = stream_doc(301, title, sizeof title, text, sizeof text);
    d.id = 301;
    nd_cluster_result r;
    CHECK_INT(nd_cluster_add(a, &d, &r), 0);
    /* (the counting allocator from here to b's free: a is libc's) */
    const size_t df_bytes = (size_t) 4 << 20;
    nd_allocator al = {m_malloc, m_realloc, m_free, NULL};
    nd_set_allocator(&al);
    live_bytes = total_bytes = 0;
    nd_cluster *fresh = nd_cluster_new(&p, NULL); /* the statistics and the scratch */
    size_t base = live_bytes;
    nd_cluster_free(fresh);
    live_bytes = total_bytes = 0;
    nd_cluster *b = items_load_lazy(&s);
    size_t after = live_bytes;
    CHECK(b != NULL);
    fprintf(stderr, "# load kept %zu bytes, a new engine %zu (statistics %zu)\n", after, base,
            df_bytes);
    CHECK(after > base && after < base + df_bytes * 3 / 4);
    /* one more document, saved: b's items load to a */
    if (b) CHECK_INT(nd_cluster_add(b, &d, &r), 0);
    if (b) CHECK_INT(nd_cluster_save(b, 0, &(nd_cluster_sink){&s, it_put, it_del}, NULL), 0);
    nd_cluster *c = items_load(&s);
    CHECK(c && same_state(c, a));
    nd_cluster_free(c);
    nd_cluster_free(b);
    nd_set_allocator(NULL);
    items_free(&s);
    nd_cluster_free(a);
}

/* The word cache starts small and grows as it misses (a one-page run
 * touched its 2.6 MB where the page's words hashed: 600 page faults). */
static void test_word_cache_grows(void)
{
    nd_cluster_params p = small_params(16, 200, 10);
    nd_cluster *a = nd_cluster_new(&p, NULL);
    CHECK(a != NULL);
    if (!a) return;
    nd_cluster_stats st0, st1;
    nd_cluster_get_stats(a, &st0);
    CHECK(st0.bytes < (size_t) 1 << 20);
    CHECK_INT(add_stream(a, 1, 400, 1), 0);
    nd_cluster_get_stats(a, &st1);
    fprintf(stderr, "# engine bytes new %zu, after 400 documents %zu\n", st0.bytes, st1.bytes);
    CHECK(st1.bytes > st0.bytes + ((size_t) 1 << 20));
    nd_cluster_free(a);
}

static size_t items_of_kind(const items *s, uint32_t kind)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) n += s->v[i].kind == kind;
    return n;
}

static uint64_t get_zz(const unsigned char **p)
{
    uint64_t u = 0;
    for (int shift = 0;; shift += 7) {
        unsigned char x = *(*p)++;
        u |= (uint64_t) (x & 0x7f) << shift;
        if (!(x & 0x80)) break;
    }
    return (u >> 1) ^ -(u & 1);
}

/* The recent documents' items as the code before ND__IT_RECENTC saved
 * them (items of version 4): the CORE item's version 4 (when it is later),
 * each ND__IT_RECENTC item (u64 seq, its head, u32 n_raw, u32 has and when
 * not 0 u32 n_vec and u64 vfp, then u8 n and n times zigzag LEB128 seq
 * back, zigzag LEB128 slot from the one seq back gives, f32 similarity) as
 * an ND__IT_RECENT item (the same, then u32 n and n times u64 seq, u32
 * slot, f32 similarity); cap: the ring's slots (params.recent). */
static void to_v4_recent(items *s, uint32_t cap)
{
    items o = {0};
    const size_t head = 8 + 4 * 8 + 8 + 4 + 4; /* seq, head, n_raw */
    for (size_t i = 0; i < s->n; i++) {
        item *it = &s->v[i];
        if (it->kind == ND__IT_CORE && (unsigned char) it->data[8] > 4) {
            char *d = malloc(it->len);
            memcpy(d, it->data, it->len);
            d[8] = 4, d[9] = d[10] = d[11] = 0; /* after the u64 magic */
            it_put(&o, it->kind, it->key, d, it->len);
            free(d);
            continue;
        }
        if (it->kind != ND__IT_RECENTC) {
            it_put(&o, it->kind, it->key, it->data, it->len);
            continue;
        }
        const unsigned char *q = (const unsigned char *) it->data, *e = q + it->len;
        uint64_t seq = nd__rd64(q);
        size_t at = head + 4 + (nd__rd32(q + head) ? 12 : 0);
        nd_buf b = ND_BUF_INIT;
        nd_buf_append(&b, it->data, at);
        q += at;
        uint32_t n = *q++;
        nd__put_u32(&b, n);
        for (uint32_t k = 0; k < n; k++) {
            uint64_t nseq = seq - get_zz(&q);
            int64_t back = (int64_t) (seq - nseq) % (int64_t) cap, slot = (int64_t) it->key - back;
            slot = (slot % cap + cap) % cap + (int64_t) get_zz(&q);
            nd__put_u64(&b, nseq);
            nd__put_u32(&b, (uint32_t) slot);
            nd_buf_append(&b, (const char *) q, 4);
            q += 4;
        }
        CHECK(q == e);
        it_put(&o, ND__IT_RECENT, it->key, b.ptr, b.len);
        nd_buf_free(&b);
    }
    items_free(s);
    *s = o;
}

/* The index blocks as the code before ND__IT_PGENC saved them (items of
 * version 3): the CORE item's version 3 (when it is later) without its
 * last field, each
 * ND__IT_PGENC item (u32 n, n times u8 slot in the block, u64 key, u8 m, m
 * pairs of u32) as an ND__IT_PGENL item (u32 n, n times u32 slot, u64 key,
 * the whole list: P pairs, the rest 0; P 8 in the story index, gi 0 and 1,
 * 16 in the document index). */
static void to_v3_blocks(items *s, uint32_t cap)
{
    to_v4_recent(s, cap); /* (and the recent documents as version 4 held them) */
    items o = {0};
    for (size_t i = 0; i < s->n; i++) {
        item *it = &s->v[i];
        if (it->kind == ND__IT_CORE && (unsigned char) it->data[8] > 3) {
            /* (without the u32 of version 4 at its end: which indexes may
             * hold blocks of the older kind) */
            char *d = malloc(it->len);
            memcpy(d, it->data, it->len);
            d[8] = 3, d[9] = d[10] = d[11] = 0; /* after the u64 magic */
            it_put(&o, it->kind, it->key, d, it->len - 4);
            free(d);
            continue;
        }
        if (it->kind != ND__IT_PGENC) {
            it_put(&o, it->kind, it->key, it->data, it->len);
            continue;
        }
        uint32_t P = (it->key >> 32) < 2 ? 8 : 16, n;
        const unsigned char *p = (const unsigned char *) it->data, *e = p + it->len;
        nd_buf b = ND_BUF_INIT;
        CHECK_INT(nd__get_u32(&p, e, &n), 0);
        nd__put_u32(&b, n);
        for (uint32_t k = 0; k < n && e - p >= 10; k++) {
            uint32_t m = p[9];
            CHECK(m <= P && (size_t) (e - p) >= 10 + (size_t) m * 8);
            nd__put_u32(&b, p[0]);
            nd_buf_append(&b, (const char *) p + 1, 8);
            nd_buf_append(&b, (const char *) p + 10, (size_t) m * 8);
            for (uint32_t q = m; q < P; q++) nd__put_u64(&b, 0);
            p += 10 + (size_t) m * 8;
        }
        CHECK(p == e);
        it_put(&o, ND__IT_PGENL, it->key, b.ptr, b.len);
        nd_buf_free(&b);
    }
    items_free(s);
    *s = o;
}

/* The index blocks as the code before ND__IT_PGENL saved them: items of
 * kind ND__IT_PGEN of 512 slots (eight of 64), each u32 n, then n times u32
 * slot in the block, u64 key, its list. */
static void to_old_blocks(items *s, uint32_t cap)
{
    to_v3_blocks(s, cap);
    items o = {0};
    for (size_t i = 0; i < s->n; i++) {
        item *it = &s->v[i];
        if (it->kind != ND__IT_PGENL) {
            it_put(&o, it->kind, it->key, it->data, it->len);
            continue;
        }
        if ((uint32_t) it->key % 8) continue;
        nd_buf b = ND_BUF_INIT;
        uint32_t n = 0;
        for (size_t j = i; j < s->n && s->v[j].kind == ND__IT_PGENL && s->v[j].key < it->key + 8;
             j++)
            n += (uint32_t) s->v[j].data[0] | (uint32_t) s->v[j].data[1] << 8;
        nd__put_u32(&b, n);
        for (size_t j = i; j < s->n && s->v[j].kind == ND__IT_PGENL && s->v[j].key < it->key + 8;
             j++) {
            const unsigned char *p = (const unsigned char *) s->v[j].data, *e = p + s->v[j].len;
            uint32_t m;
            nd__get_u32(&p, e, &m);
            size_t entry = m ? (size_t) (e - p) / m : 0;
            for (uint32_t k = 0; k < m; k++, p += entry) {
                const unsigned char *q = p;
                uint32_t at;
                nd__get_u32(&q, e, &at);
                nd__put_u32(&b, at + 64 * (uint32_t) (s->v[j].key - it->key));
                nd_buf_append(&b, (const char *) q, entry - 4);
            }
        }
        it_put(&o, ND__IT_PGEN, (it->key >> 32) << 32 | (uint32_t) it->key / 8, b.ptr, b.len);
        nd_buf_free(&b);
    }
    items_free(s);
    *s = o;
}

/* The blocks of the inverted indexes are loaded when a probe reaches them,
 * and the recent documents' vectors when one is compared or settles: a
 * load reads none, one document a few (their tables' pages untouched
 * until then: a third of the page faults of one page into a large
 * store), and the engine goes on as the one that saved them.  Items of
 * the older kind (read at once) load too, and the next save replaces
 * them. */
static void test_state_index_lazy(void)
{
    nd_cluster_params p = small_params(1024, 4000, 13);
    nd_cluster *a = nd_cluster_new(&p, NULL);
    CHECK(a != NULL);
    if (!a) return;
    char title[64], text[4096];
    CHECK_INT(add_stream(a, 1, 1000, 7), 0);
    items s = {0};
    CHECK_INT(nd_cluster_save(a, 1, &(nd_cluster_sink){&s, it_put, it_del}, NULL), 0);
    size_t blocks = items_of_kind(&s, ND__IT_PGENC);
    CHECK(blocks >= 32);
    CHECK_INT(items_of_kind(&s, ND__IT_PGEN) + items_of_kind(&s, ND__IT_PGENL), 0);
    nd_cluster *b = items_load_lazy(&s);
    CHECK(b != NULL);
    if (!b) goto out;
    CHECK_INT(s.streamed_kind[ND__IT_PGEN] + s.streamed_kind[ND__IT_PGENL] +
                  s.streamed_kind[ND__IT_PGENC],
              0);
    CHECK_INT(s.fetched_kind[ND__IT_PGENL] + s.fetched_kind[ND__IT_PGENC], 0);
    CHECK_INT(
        s.fetched_kind[ND__IT_RING] + s.fetched_kind[ND__IT_VEC] + s.fetched_kind[ND__IT_VECR], 0);
    /* one more document: the same story, a few blocks read */
    nd_cluster_doc d = stream_doc(7001, title, sizeof title, text, sizeof text);
    d.id = 1001;
    nd_cluster_result ra, rb;
    CHECK_INT(nd_cluster_add(a, &d, &ra), 0);
    CHECK_INT(nd_cluster_add(b, &d, &rb), 0);
    CHECK(ra.story == rb.story && ra.dup_of == rb.dup_of);
    size_t read = s.fetched_kind[ND__IT_PGENC],
           vecs = s.fetched_kind[ND__IT_VEC] + s.fetched_kind[ND__IT_VECR],
           recent = items_of_kind(&s, ND__IT_RECENTC);
    /* the recent documents' vectors: those compared with it (and the one
     * that settles), read again from their items (with their raw
     * features: the vectors are places in them) */
    fprintf(stderr, "# recent documents %zu, vectors read %zu, raw features %zu\n", recent, vecs,
            s.fetched_kind[ND__IT_RAW]);
    CHECK(vecs > 0 && vecs * 4 < recent);
    CHECK(s.fetched_kind[ND__IT_RAW] >= vecs && s.fetched_kind[ND__IT_RAW] * 4 < recent);
    fprintf(stderr, "# index blocks: %zu, read for one document %zu\n", blocks, read);
    CHECK(read > 0 && read * 3 < blocks);
    /* saved, loaded whole: the same engine */
    CHECK_INT(nd_cluster_save(b, 0, &(nd_cluster_sink){&s, it_put, it_del}, NULL), 0);
    nd_cluster *c = items_load(&s);
    CHECK(c && same_state(c, a));
    nd_cluster_free(c);
    /* the older kind: read at once, replaced by the next save */
    to_old_blocks(&s, p.recent);
    CHECK_INT(items_of_kind(&s, ND__IT_PGENL) + items_of_kind(&s, ND__IT_PGENC), 0);
    CHECK_INT(items_of_kind(&s, ND__IT_PGEN), blocks / 8);
    c = items_load_lazy(&s);
    CHECK(c && same_state(c, a));
    if (c) {
        CHECK_INT(nd_cluster_save(c, 0, &(nd_cluster_sink){&s, it_put, it_del}, NULL), 0);
        CHECK_INT(items_of_kind(&s, ND__IT_PGEN) + items_of_kind(&s, ND__IT_PGENL), 0);
        CHECK_INT(items_of_kind(&s, ND__IT_PGENC), blocks);
    }
    nd_cluster_free(c);
    c = items_load_lazy(&s);
    CHECK(c && same_state(c, a));
    nd_cluster_free(c);
    nd_cluster_free(b);
out:
    items_free(&s);
    nd_cluster_free(a);
}

/* The vectors as the code before ND__IT_VECR saved them (items of version
 * 2): the CORE item's version 2, each ND__IT_VECR item (u64 seq, u32 n,
 * a bit per raw feature, n f32 weights) as an ND__IT_VEC item (u64 seq, u32
 * n, n times the feature's u64 hash and f32 weight) and its document's
 * item (u64 seq, head, u32 n_raw) saying so (u32 2 where 3). */
static void to_v2_vec(items *s, uint32_t cap)
{
    to_v3_blocks(s, cap); /* (and the blocks as version 3 held them) */
    items o = {0};
    const size_t head = 8 + 4 * 8 + 8 + 4 + 4; /* seq, head, n_raw */
    for (size_t i = 0; i < s->n; i++) {
        item *it = &s->v[i];
        if (it->kind == ND__IT_CORE) {
            char *d = malloc(it->len);
            memcpy(d, it->data, it->len);
            d[8] = 2, d[9] = d[10] = d[11] = 0; /* after the u64 magic */
            it_put(&o, it->kind, it->key, d, it->len);
            free(d);
        } else if (it->kind == ND__IT_RECENT) {
            char *d = malloc(it->len);
            memcpy(d, it->data, it->len);
            CHECK(it->len > head + 4);
            if (d[head] == 3) d[head] = 2;
            it_put(&o, it->kind, it->key, d, it->len);
            free(d);
        } else if (it->kind == ND__IT_VECR) {
            item *raw = item_find(s, ND__IT_RAW, it->key);
            CHECK(raw != NULL);
            if (!raw) abort();
            const unsigned char *v = (const unsigned char *) it->data,
                                *r = (const unsigned char *) raw->data;
            uint32_t n = nd__rd32(v + 8), n_raw = nd__rd32(r + 8), k = 0;
            const unsigned char *bits = v + 12, *w = bits + (n_raw + 7) / 8;
            CHECK(it->len == 12 + (n_raw + 7) / 8 + (size_t) n * 4);
            nd_buf b = ND_BUF_INIT;
            nd_buf_append(&b, it->data, 12); /* seq, n */
            for (uint32_t j = 0; j < n_raw; j++) {
                if (!(bits[j / 8] >> (j % 8) & 1)) continue;
                nd_buf_append(&b, r + 12 + (size_t) j * 12, 8);
                nd_buf_append(&b, w + (size_t) k++ * 4, 4);
            }
            CHECK_INT(k, n);
            it_put(&o, ND__IT_VEC, it->key, b.ptr, b.len);
            nd_buf_free(&b);
        } else {
            it_put(&o, it->kind, it->key, it->data, it->len);
        }
    }
    items_free(s);
    *s = o;
}

/* The items of recent documents as the code before ND__IT_RECENT saved
 * them (items of version 1; the same bytes as that code's, checked once
 * with its build): the CORE item's version 1, and per document an item of
 * kind ND__IT_RING, u64 seq, its head (4 i64, u64, u32), u32 n_raw, u32 1 and its
 * vector (u32 n, n times u64 hash and f32 weight) or u32 0, then its
 * neighbours; no ND__IT_VEC items. */
static void to_v1_ring(items *s)
{
    items o = {0};
    for (size_t i = 0; i < s->n; i++) {
        item *it = &s->v[i];
        if (it->kind == ND__IT_VEC) continue;
        if (it->kind == ND__IT_CORE) {
            char *d = malloc(it->len);
            memcpy(d, it->data, it->len);
            d[8] = 1, d[9] = d[10] = d[11] = 0; /* after the u64 magic */
            it_put(&o, it->kind, it->key, d, it->len);
            free(d);
            continue;
        }
        if (it->kind != ND__IT_RECENT) {
            it_put(&o, it->kind, it->key, it->data, it->len);
            continue;
        }
        const size_t head = 8 + 4 * 8 + 8 + 4 + 4; /* seq, head, n_raw */
        const unsigned char *p = (const unsigned char *) it->data + head,
                            *e = (const unsigned char *) it->data + it->len;
        uint32_t has, n_vec;
        uint64_t vfp;
        CHECK_INT(nd__get_u32(&p, e, &has), 0);
        nd_buf b = ND_BUF_INIT;
        nd_buf_append(&b, it->data, head);
        if (has == 2) {
            CHECK_INT(nd__get_u32(&p, e, &n_vec) || nd__get_u64(&p, e, &vfp), 0);
            item *v = item_find(s, ND__IT_VEC, it->key);
            CHECK(v != NULL && v->len == 8 + 4 + (size_t) n_vec * 12);
            if (!v) abort();
            nd__put_u32(&b, 1);
            nd_buf_append(&b, v->data + 8, v->len - 8);
        } else {
            CHECK_INT(has, 0);
            nd__put_u32(&b, 0);
        }
        nd_buf_append(&b, (const char *) p, (size_t) (e - p));
        it_put(&o, ND__IT_RING, it->key, b.ptr, b.len);
        nd_buf_free(&b);
    }
    items_free(s);
    *s = o;
}

static size_t max_len_of_kind(const items *s, uint32_t kind)
{
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].kind == kind && s->v[i].len > m) m = s->v[i].len;
    return m;
}

/* A recent document's vector is an item of its own (ND__IT_VEC), written
 * when the vector changes, and the rest another (ND__IT_RECENT): a run changes the neighbours or
 * the story of many older recent documents, which rewrote each one's item with its vector (~3 KB in
 * a store; 1.25 MB of the 3.5 MB a 100-page run wrote into a copy of the 100,000-document store),
 * and now a few hundred bytes.  Items saved before (version 1: the vector in the document's item)
 * load, lazily or at once, to the same engine, which decides as the one that saved them, and its
 * next save writes the new items. */
static void test_state_ring_vec(void)
{
    nd_cluster_params p = small_params(256, 2000, 13);
    nd_cluster *a = nd_cluster_new(&p, NULL);
    CHECK(a != NULL);
    if (!a) return;
    CHECK_INT(add_stream(a, 1, 400, 7), 0);
    int id = 401;
    items s = {0};
    nd_cluster_sink sink = {&s, it_put, it_del};
    CHECK_INT(nd_cluster_save(a, 1, &sink, NULL), 0);
    size_t ring = items_of_kind(&s, ND__IT_RECENTC),
           vecs = items_of_kind(&s, ND__IT_VEC) + items_of_kind(&s, ND__IT_VECR);
    CHECK_INT(ring, 256);
    CHECK(vecs > ring / 2 && vecs <= ring);
    /* a document's item: its head, its neighbours, no vector */
    const size_t most = 8 + 48 + 4 + 4 + 12 + 4 + 16 * (size_t) p.neighbours;
    fprintf(stderr, "# recent documents' items at most %zu bytes (bound %zu), vectors %zu\n",
            max_len_of_kind(&s, ND__IT_RECENTC), most, max_len_of_kind(&s, ND__IT_VECR));
    CHECK(max_len_of_kind(&s, ND__IT_RECENTC) <= most);
    /* a few documents more, loaded lazily in between: the vectors written
     * are the new documents' (and those a sweep sets anew) */
    nd_cluster *b = items_load_lazy(&s);
    CHECK(b && same_state(a, b));
    if (!b) goto out;
    size_t rewritten = 0, vec_puts = 0, ring_bytes = 0;
    for (int k = 0; k < 5; k++, id++) {
        CHECK(add_both(a, b, id, 7));
        memset(s.put_kind, 0, sizeof s.put_kind);
        memset(s.put_bytes_kind, 0, sizeof s.put_bytes_kind);
        CHECK_INT(nd_cluster_save(b, 0, &sink, NULL), 0);
        rewritten += s.put_kind[ND__IT_RECENTC];
        vec_puts += s.put_kind[ND__IT_VEC] + s.put_kind[ND__IT_VECR];
        ring_bytes += s.put_bytes_kind[ND__IT_RECENTC] + s.put_bytes_kind[ND__IT_VEC] +
                      s.put_bytes_kind[ND__IT_VECR];
    }
    fprintf(stderr, "# 5 one-document saves: %zu recent documents' items, %zu vectors, %zu bytes\n",
            rewritten, vec_puts, ring_bytes);
    CHECK(rewritten > 5 && vec_puts >= 5 && vec_puts < rewritten);
    CHECK(ring_bytes < rewritten * most + vec_puts * max_len_of_kind(&s, ND__IT_VECR));
    nd_cluster *c = items_load(&s);
    CHECK(c && same_state(c, a));
    nd_cluster_free(c);
    /* items of version 1 */
    nd_cluster_free(b);
    to_v2_vec(&s, p.recent);
    to_v1_ring(&s);
    CHECK_INT(items_of_kind(&s, ND__IT_VEC) + items_of_kind(&s, ND__IT_VECR) +
                  items_of_kind(&s, ND__IT_RECENT) + items_of_kind(&s, ND__IT_RECENTC),
              0);
    CHECK_INT(items_of_kind(&s, ND__IT_RING), ring);
    c = items_load(&s);
    CHECK(c && same_state(c, a));
    nd_cluster_free(c);
    /* (the older kind under a CORE item of version 2 is refused) */
    s.v[0].data[8] = 2;
    c = items_load(&s);
    CHECK(c == NULL);
    nd_cluster_free(c);
    s.v[0].data[8] = 1;
    b = items_load_lazy(&s);
    CHECK(b && same_state(b, a));
    if (!b) goto out;
    for (int k = 0; k < 3; k++, id++) {
        CHECK(add_both(a, b, id, 7));
        /* the first save writes every document's items anew */
        memset(s.put_kind, 0, sizeof s.put_kind);
        CHECK_INT(nd_cluster_save(b, 0, &sink, NULL), 0);
        if (k == 0) CHECK_INT(s.put_kind[ND__IT_RECENTC], 256);
        CHECK_INT(items_of_kind(&s, ND__IT_RING), 0);
        CHECK_INT(items_of_kind(&s, ND__IT_RECENT), 0);
        CHECK_INT(items_of_kind(&s, ND__IT_RECENTC), 256);
        CHECK(max_len_of_kind(&s, ND__IT_RECENTC) <= most);
        CHECK_INT(items_of_kind(&s, ND__IT_VEC), 0);
        CHECK(items_of_kind(&s, ND__IT_VECR) >= vecs);
        c = items_load_lazy(&s);
        CHECK(c && same_state(c, a));
        nd_cluster_free(c);
        c = items_load(&s);
        CHECK(c && same_state(c, a));
        nd_cluster_free(c);
    }
    nd_cluster_free(b);
out:
    items_free(&s);
    nd_cluster_free(a);
}

/* A recent document's vector is saved as places in its raw features and
 * the weights (ND__IT_VECR: u64 seq, u32 n, a bit per raw feature, n f32
 * weights), about a third of the hashes and weights of ND__IT_VEC: after
 * a flush every vector of the window is written (~950 of the 6,200 pages
 * of a 100-page run into the 1,000,000-document store).  Items saved
 * before (version 2: ND__IT_VEC) load, lazily or at once, to the same
 * engine; saves then write the vectors that change in the new kind, the
 * others stay as they were until a flush sets them anew, and items of both
 * kinds load. */
static void test_state_vec_raw(void)
{
    nd_cluster_params p = small_params(256, 2000, 13);
    nd_cluster *a = nd_cluster_new(&p, NULL);
    CHECK(a != NULL);
    if (!a) return;
    CHECK_INT(add_stream(a, 1, 400, 7), 0);
    int id = 401;
    items s = {0};
    nd_cluster_sink sink = {&s, it_put, it_del};
    CHECK_INT(nd_cluster_save(a, 1, &sink, NULL), 0);
    size_t vecs = items_of_kind(&s, ND__IT_VECR), bytes = 0, whole = 0, feats = 0;
    CHECK_INT(items_of_kind(&s, ND__IT_VEC), 0);
    CHECK(vecs > 128 && vecs <= 256);
    for (size_t i = 0; i < s.n; i++) {
        const item *it = &s.v[i];
        if (it->kind != ND__IT_VECR) continue;
        const item *raw = item_find(&s, ND__IT_RAW, it->key);
        CHECK(raw != NULL && it->len >= 12);
        if (!raw || it->len < 12) continue;
        uint32_t n = nd__rd32((const unsigned char *) it->data + 8),
                 n_raw = nd__rd32((const unsigned char *) raw->data + 8);
        CHECK(n > 0 && n <= n_raw);
        CHECK(it->len == 12 + (n_raw + 7) / 8 + (size_t) n * 4);
        bytes += it->len;
        whole += 12 + (size_t) n * 12;
        feats += n;
    }
    fprintf(stderr, "# %zu vectors, %zu features: %zu bytes in places, %zu whole\n", vecs, feats,
            bytes, whole);
    CHECK(bytes * 2 < whole);
    nd_cluster *c = items_load(&s);
    CHECK(c && same_state(c, a));
    nd_cluster_free(c);
    /* (the new kind under a CORE item of version 2 is refused) */
    char version = s.v[0].data[8];
    s.v[0].data[8] = 2;
    c = items_load(&s);
    CHECK(c == NULL);
    nd_cluster_free(c);
    s.v[0].data[8] = version;
    /* the items as the code before saved them */
    to_v2_vec(&s, p.recent);
    CHECK_INT(items_of_kind(&s, ND__IT_VECR), 0);
    CHECK_INT(items_of_kind(&s, ND__IT_VEC), vecs);
    c = items_load(&s);
    CHECK(c && same_state(c, a));
    nd_cluster_free(c);
    nd_cluster *b = items_load_lazy(&s);
    CHECK(b && same_state(b, a));
    if (!b) goto out;
    /* one document at a time, saved after each (both kinds in the items),
     * then a flush (every vector set anew, in the new kind) */
    for (int k = 0; k < 12; k++, id++) {
        CHECK(add_both(a, b, id, 7));
        if (k == 11) {
            CHECK_INT(nd_cluster_flush(a, NULL), 0);
            CHECK_INT(nd_cluster_flush(b, NULL), 0);
        }
        CHECK_INT(nd_cluster_save(b, 0, &sink, NULL), 0);
        size_t old = items_of_kind(&s, ND__IT_VEC), now = items_of_kind(&s, ND__IT_VECR);
        if (k == 0) CHECK(old > 0 && now > 0); /* both kinds */
        if (k == 11) CHECK(old == 0 && now > 128);
        CHECK(old + now <= 256);
        c = items_load(&s);
        CHECK(c && same_state(c, a));
        nd_cluster_free(c);
        c = items_load_lazy(&s);
        CHECK(c && same_state(c, a));
        nd_cluster_free(c);
    }
    /* a later document decides the same on all of them */
    c = items_load_lazy(&s);
    CHECK(c != NULL);
    if (c) {
        CHECK(add_both(a, c, id, 7) && same_state(c, a));
    }
    nd_cluster_free(c);
    nd_cluster_free(b);
out:
    items_free(&s);
    nd_cluster_free(a);
}

/* Some (kind, key) is an item of kind a and of kind b. */
static int both_kinds(items *s, uint32_t a, uint32_t b)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].kind == a && item_find(s, b, s->v[i].key)) return 1;
    return 0;
}

/* The inverted indexes' blocks are saved with each list up to its last
 * entry (ND__IT_PGENC): most features are in one or two of a list's 16
 * documents or 8 stories, and the blocks of whole lists (ND__IT_PGENL,
 * ~6.6 KB) were written after every flush.  Items saved before (version 3,
 * whole lists) load, lazily or at once; the blocks a save writes are
 * written in the new kind and their older items deleted, the others read
 * from the older kind until then: saved after every few documents and
 * loaded both ways across growth and rotations, the items hold the
 * engine. */
static void test_state_index_compact(void)
{
    nd_cluster_params p = small_params(64, 700, 13);
    nd_cluster *a = nd_cluster_new(&p, NULL);
    CHECK(a != NULL);
    if (!a) return;
    items s = {0};
    nd_cluster_sink sink = {&s, it_put, it_del};
    CHECK_INT(add_stream(a, 1, 300, 3), 0);
    int id = 301;
    CHECK_INT(nd_cluster_save(a, 1, &sink, NULL), 0);
    size_t blocks = items_of_kind(&s, ND__IT_PGENC), bytes = 0, whole = 0;
    CHECK(blocks >= 16);
    CHECK_INT(items_of_kind(&s, ND__IT_PGENL), 0);
    for (size_t i = 0; i < s.n; i++) {
        if (s.v[i].kind != ND__IT_PGENC) continue;
        uint32_t n = nd__rd32((const unsigned char *) s.v[i].data);
        bytes += s.v[i].len;
        whole += 4 + (size_t) n * (12 + 8 * ((s.v[i].key >> 32) < 2 ? 8 : 16));
    }
    fprintf(stderr, "# %zu index blocks: %zu bytes, whole lists %zu\n", blocks, bytes, whole);
    CHECK(bytes * 2 < whole);
    /* the items as the code before saved them */
    to_v3_blocks(&s, p.recent);
    CHECK_INT(items_of_kind(&s, ND__IT_PGENC), 0);
    CHECK_INT(items_of_kind(&s, ND__IT_PGENL), blocks);
    nd_cluster *b = items_load(&s);
    CHECK(b && same_state(b, a));
    nd_cluster_free(b);
    b = items_load_lazy(&s);
    CHECK(b && same_state(b, a));
    if (!b) goto out;
    int same = 1, mixed = 0, loads = 0;
    for (; id <= 1600; id++) {
        same &= add_both(a, b, id, 3);
        if (id % 7) continue;
        CHECK_INT(nd_cluster_save(b, 0, &sink, NULL), 0);
        CHECK(!both_kinds(&s, ND__IT_PGENL, ND__IT_PGENC));
        mixed += items_of_kind(&s, ND__IT_PGENL) && items_of_kind(&s, ND__IT_PGENC);
        if (id % 21 == 0) {
            /* on from the items: blocks of both kinds read on demand */
            nd_cluster *c = items_load(&s);
            same &= c && same_state(c, a);
            nd_cluster_free(c);
            c = items_load_lazy(&s);
            same &= c != NULL;
            if (!c) break;
            nd_cluster_free(b);
            b = c;
            loads++;
        }
    }
    fprintf(stderr, "# %d saves with blocks of both kinds, %zu of the older left, %zu read\n",
            mixed, items_of_kind(&s, ND__IT_PGENL), s.fetched_kind[ND__IT_PGENL]);
    CHECK(same);
    CHECK(loads > 50 && mixed > 5 && s.fetched_kind[ND__IT_PGENL] > 0);
    /* the generations grew and rotated: every block written anew */
    CHECK_INT(nd_cluster_save(b, 0, &sink, NULL), 0);
    CHECK_INT(items_of_kind(&s, ND__IT_PGENL), 0);
    nd_cluster *c = items_load(&s);
    CHECK(c && same_state(c, a) && same_state(b, a));
    nd_cluster_free(c);
    nd_cluster_free(b);
out:
    items_free(&s);
    nd_cluster_free(a);
}

static size_t bytes_of_kind(const items *s, uint32_t kind)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].kind == kind) n += s->v[i].len;
    return n;
}

/* A recent document's item holds its neighbours compact (ND__IT_RECENTC:
 * the seq back and the slot from where that seq back would be, a byte or
 * two each, and the similarity), where ND__IT_RECENT took 16 bytes a
 * neighbour: the items of the window are written after every flush, and
 * most of them in every run.  Items saved before (version 4) load, lazily
 * or at once; a save writes the documents' items that change in the new
 * kind and deletes their older ones, and items of both kinds load, across
 * the ring's turns and a flush. */
static void test_state_recent_compact(void)
{
    nd_cluster_params p = small_params(256, 2000, 13);
    nd_cluster *a = nd_cluster_new(&p, NULL);
    CHECK(a != NULL);
    if (!a) return;
    CHECK_INT(add_stream(a, 1, 600, 7), 0);
    int id = 601;
    items s = {0};
    nd_cluster_sink sink = {&s, it_put, it_del};
    CHECK_INT(nd_cluster_save(a, 1, &sink, NULL), 0);
    size_t compact = bytes_of_kind(&s, ND__IT_RECENTC);
    CHECK_INT(items_of_kind(&s, ND__IT_RECENTC), 256);
    CHECK_INT(items_of_kind(&s, ND__IT_RECENT), 0);
    /* the items as the code before saved them */
    to_v4_recent(&s, p.recent);
    size_t whole = bytes_of_kind(&s, ND__IT_RECENT);
    fprintf(stderr, "# recent documents' items: %zu bytes compact, %zu before\n", compact, whole);
    CHECK_INT(items_of_kind(&s, ND__IT_RECENT), 256);
    CHECK(compact * 3 < whole * 2);
    nd_cluster *c = items_load(&s);
    CHECK(c && same_state(c, a));
    nd_cluster_free(c);
    nd_cluster *b = items_load_lazy(&s);
    CHECK(b && same_state(b, a));
    if (!b) goto out;
    int same = 1, mixed = 0;
    for (int k = 0; k < 40; k++, id++) {
        same &= add_both(a, b, id, 7);
        if (k == 39) {
            CHECK_INT(nd_cluster_flush(a, NULL), 0);
            CHECK_INT(nd_cluster_flush(b, NULL), 0);
        }
        CHECK_INT(nd_cluster_save(b, 0, &sink, NULL), 0);
        CHECK(!both_kinds(&s, ND__IT_RECENT, ND__IT_RECENTC));
        CHECK_INT(items_of_kind(&s, ND__IT_RECENT) + items_of_kind(&s, ND__IT_RECENTC), 256);
        mixed += items_of_kind(&s, ND__IT_RECENT) && items_of_kind(&s, ND__IT_RECENTC);
        if (k % 4 == 3) {
            c = items_load(&s);
            same &= c && same_state(c, a);
            nd_cluster_free(c);
            c = items_load_lazy(&s);
            same &= c && same_state(c, a);
            if (!c) break;
            nd_cluster_free(b);
            b = c;
        }
    }
    fprintf(stderr, "# %d saves with recent documents' items of both kinds\n", mixed);
    CHECK(same && mixed > 5);
    /* the flush set every document's neighbours anew */
    CHECK_INT(items_of_kind(&s, ND__IT_RECENT), 0);
    nd_cluster_free(b);
out:
    items_free(&s);
    nd_cluster_free(a);
}

/* The story index's changed slots are saved as delta items (ND__IT_PGD)
 * while those hold at most an eighth of its slots, then its changed
 * blocks again: a run changes a few hundred of the young generation's
 * slots and most of its blocks.  Saved after every few documents and
 * loaded both ways (the deltas over the blocks read later, or at once),
 * across the generations' growth and rotations, the items hold the
 * engine. */
static void test_state_index_deltas(void)
{
    nd_cluster_params p = small_params(64, 700, 13);
    nd_cluster *a = nd_cluster_new(&p, NULL);
    CHECK(a != NULL);
    if (!a) return;
    items s = {0};
    nd_cluster_sink sink = {&s, it_put, it_del};
    char title[64], text[4096];
    int same = 1, loads = 0, with_deltas = 0, compacted = 0;
    size_t delta_saves = 0, delta_bytes = 0, block_bytes = 0;
    for (int id = 1; id <= 1600; id++) {
        nd_cluster_doc d = stream_doc(id * 3, title, sizeof title, text, sizeof text);
        d.id = id;
        nd_cluster_result r;
        CHECK_INT(nd_cluster_add(a, &d, &r), 0);
        if (id % 7 && id != 1) continue;
        size_t had = items_of_kind(&s, ND__IT_PGD);
        memset(s.put_kind, 0, sizeof s.put_kind);
        memset(s.put_bytes_kind, 0, sizeof s.put_bytes_kind);
        CHECK_INT(nd_cluster_save(a, id == 1, &sink, NULL), 0);
        if (s.put_kind[ND__IT_PGD]) {
            delta_saves++;
            delta_bytes += s.put_bytes_kind[ND__IT_PGD];
            block_bytes += s.put_bytes_kind[ND__IT_PGENC];
        }
        if (had && !items_of_kind(&s, ND__IT_PGD)) compacted++;
        with_deltas += items_of_kind(&s, ND__IT_PGD) > 0;
        if (id % 21 == 0) {
            nd_cluster *b = id % 42 ? items_load_lazy(&s) : items_load(&s);
            CHECK(b != NULL);
            if (!b) break;
            nd_cluster *chk = items_load(&s);
            same &= chk && same_state(chk, a);
            nd_cluster_free(chk);
            nd_cluster_free(a);
            a = b;
            loads++;
        }
    }
    fprintf(stderr,
            "# story index deltas: %zu saves wrote them (%zu bytes, and %zu of blocks), "
            "%d compactions, %d saves left some\n",
            delta_saves, delta_bytes, block_bytes, compacted, with_deltas);
    CHECK(same);
    CHECK(loads > 50);
    CHECK(delta_saves > 20 && compacted > 3 && with_deltas > 20);
    /* delta items are the story index's only (gi 0 and 1) */
    for (size_t i = 0; i < s.n; i++)
        if (s.v[i].kind == ND__IT_PGD) CHECK((s.v[i].key >> 32) < 2);
    items_free(&s);
    nd_cluster_free(a);
}

static void test_state_items_each_step(void)
{
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    p.recent = 6;
    p.sweep_every = 4;
    p.window_docs = 20;
    p.df_bits = 12;
    p.window_seconds = 20 * 3600;
    p.keep_seconds = 40 * 3600;
    nd_cluster *a = nd_cluster_new(&p, NULL);
    CHECK(a != NULL);
    if (!a) return;
    items s = {0};
    char title[64], text[4096];
    int same = 1, steps = 0;
    for (int id = 1; id <= 90; id++) {
        nd_cluster_doc d = stream_doc(id, title, sizeof title, text, sizeof text);
        d.id = id;
        nd_cluster_result r;
        CHECK_INT(nd_cluster_add(a, &d, &r), 0);
        CHECK_INT(nd_cluster_save(a, id == 1, &(nd_cluster_sink){&s, it_put, it_del}, NULL), 0);
        nd_cluster *b = items_load(&s);
        CHECK(b != NULL);
        if (!b) break;
        same &= same_state(a, b);
        steps++;
        if (id % 3 == 0) {
            /* go on with the loaded engine: its saves write what changed since the load */
            nd_cluster_free(a);
            a = b;
        } else {
            nd_cluster_free(b);
        }
    }
    CHECK(same);
    CHECK_INT(steps, 90);
    items_free(&s);
    nd_cluster_free(a);
}

/* A duplicate index loaded from its items builds no hash tables at once:
 * its first lookups read the band keys in order (one page into a large
 * store makes one or two), and give the answers the tables give - a
 * bucket's newest 64 documents only, the first of several with one
 * content hash - in both generations; later lookups build the tables. */
static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 17;
}

/* An index of generations of 500 documents, and a sketch of 400 words
 * whose slots are drawn from seed. */
static nd_dup_index *dup_start(nd_dup_sketch *base, uint64_t *seed)
{
    nd_dup_index *x = nd_dup_index_new(1000);
    CHECK(x != NULL);
    memset(base, 0, sizeof *base);
    base->n_words = base->n_shingles = 400;
    for (int i = 0; i < ND_DUP_SLOTS; i++) base->mh[i] = (uint32_t) lcg(seed);
    return x;
}

static void test_dup_load_scans(void)
{
    uint64_t seed = 7;
    nd_dup_sketch base, sk;
    nd_dup_index *x = dup_start(&base, &seed);
    if (!x) return;
    int id = 1, copy0 = 0;
    for (int i = 0; i < 650; i++, id++) {
        sk = base;
        sk.content_hash = lcg(&seed) | 1;
        if (i >= 300 && i < 400) {
            /* 100 copies of base: band 0 as base's, every other band one
             * slot off, and 0-6 slots more */
            if (i == 300) copy0 = id;
            for (int b = 1; b < ND_DUP_BANDS; b++) sk.mh[b * ND_DUP_ROWS] ^= 1;
            for (int k = 0; k < (i - 300) % 7; k++) sk.mh[(1 + k) * ND_DUP_ROWS + 1] ^= 2;
        } else {
            for (int k = 0; k < ND_DUP_SLOTS; k++) sk.mh[k] = (uint32_t) lcg(&seed);
            if (i == 610 || i == 620) sk.content_hash = 12345; /* the same text twice */
        }
        CHECK_INT(nd__dup_index_add(x, id, &sk, id * 10, NULL), 0);
    }
    items s = {0};
    nd__sink k = {&(nd_cluster_sink){&s, it_put, it_del}, 0};
    CHECK_INT(nd__dup_index_save(x, 1, &k), 0);
    nd_dup_index *y = NULL;
    int rc = 0;
    for (size_t i = 0; i < s.n && !rc; i++) {
        const unsigned char *p = (const unsigned char *) s.v[i].data, *e = p + s.v[i].len;
        if (s.v[i].kind == ND__IT_DUPH)
            rc = nd__dup_index_load_head(&y, p, e, NULL);
        else
            rc = y ? nd__dup_index_load_item(y, s.v[i].kind, s.v[i].key, p, e) : ND_EFORMAT;
    }
    CHECK_INT(rc, 0);
    CHECK(y != NULL);
    if (y) CHECK_INT(nd__dup_index_load_end(y), 0);
    if (rc || !y) {
        nd_dup_index_free(x);
        nd_dup_index_free(y);
        items_free(&s);
        return;
    }
    size_t built = nd__dup_index_bytes(x), loaded = nd__dup_index_bytes(y);
    /* (the generations of 500 and 150 documents, room for 500 and 256:
     * exact tables of 1024 and 512 slots, and the band lists of the
     * documents there were when the tables last grew, 256 and 128, in
     * buckets of 8, 32 and 16 a band; the later ones are scanned) */
    CHECK(built - loaded == (1024 + 512 + (256 + 128 + 32 + 16) * ND_DUP_BANDS) * sizeof(uint32_t));
    /* the same answers, scanned then from the tables */
    nd_dup_sketch q[4];
    q[0] = base;
    q[0].content_hash = 99; /* near: the copies */
    memset(&q[1], 0, sizeof q[1]);
    q[1].content_hash = 12345; /* exact */
    q[2] = base;
    q[2].content_hash = 98;
    for (int i = 0; i < ND_DUP_SLOTS; i++) q[2].mh[i] = (uint32_t) lcg(&seed); /* none */
    q[3] = q[0];
    q[3].n_shingles = 0; /* no sketch: exact only */
    int same = 1;
    for (int round = 0; round < 3; round++)
        for (int j = 0; j < 4; j++) {
            int64_t ia = 0, ib = 0, ta = 0, tb = 0;
            double ja = 0, jb = 0;
            int ra = nd__dup_index_find(x, &q[j], 0.7, &ia, &ja, &ta);
            int rb = nd__dup_index_find(y, &q[j], 0.7, &ib, &jb, &tb);
            same &= ra == rb && ia == ib && ja == jb && ta == tb;
            if (round == 0 && j == 0) {
                /* the chain of band 0 holds the newest 64 copies; of the
                 * closest (no slot more), the earliest of those */
                CHECK_INT(rb, ND_DUP_NEAR);
                CHECK_INT((int) ib, copy0 + 42);
                CHECK_INT((int) tb, (copy0 + 42) * 10);
                CHECK(nd__dup_index_bytes(y) == loaded); /* still no tables */
            }
            if (round == 0 && j == 1) CHECK_INT((int) ib, 611);
        }
    CHECK(same);
    /* built by now, with the lists of all their documents (64 and 32
     * buckets a band) */
    CHECK(nd__dup_index_bytes(y) ==
          loaded + (1024 + 512 + (500 + 150 + 64 + 32) * ND_DUP_BANDS) * sizeof(uint32_t));
    /* and documents added after the load are found */
    sk = base;
    sk.content_hash = 4242;
    CHECK_INT(nd__dup_index_add(y, 9999, &sk, 0, NULL), 0);
    int64_t got = 0;
    CHECK_INT(nd__dup_index_find(y, &sk, 0.7, &got, NULL, NULL), ND_DUP_EXACT);
    CHECK_INT((int) got, 9999);
    nd_dup_index_free(x);
    nd_dup_index_free(y);
    items_free(&s);
}

/* A bucket's newest 64 documents when some were added after the band
 * lists were built (scanned at each lookup) and the others are in the
 * lists: the walk goes on in the lists with the steps the scan took. */
static void test_dup_tail_lists(void)
{
    uint64_t seed = 11;
    nd_dup_sketch base, sk;
    nd_dup_index *x = dup_start(&base, &seed);
    if (!x) return;
    /* 200 others, then 80 copies of base (band 0 as base's, every other
     * band one slot off, 0-6 slots more): the lists are built when the
     * capacity grows to 256, so copies 0-55 are in them and 56-79 not */
    for (int i = 0; i < 280; i++) {
        sk = base;
        sk.content_hash = lcg(&seed) | 1;
        if (i < 200) {
            for (int k = 0; k < ND_DUP_SLOTS; k++) sk.mh[k] = (uint32_t) lcg(&seed);
        } else {
            for (int b = 1; b < ND_DUP_BANDS; b++) sk.mh[b * ND_DUP_ROWS] ^= 1;
            for (int k = 0; k < (i - 200) % 7; k++) sk.mh[(1 + k) * ND_DUP_ROWS + 1] ^= 2;
        }
        CHECK_INT(nd__dup_index_add(x, i + 1, &sk, 0, NULL), 0);
    }
    nd_dup_sketch q = base;
    q.content_hash = 99;
    int64_t id = 0;
    CHECK_INT(nd__dup_index_find(x, &q, 0.7, &id, NULL, NULL), ND_DUP_NEAR);
    /* the newest 64 copies are 16-79 (24 scanned, 40 in the lists); of the
     * closest (no slot more: 0, 7, 14, 21 ...), the earliest of those */
    CHECK_INT((int) id, 200 + 21 + 1);
    nd_dup_index_free(x);
}

/* The export of a new engine keys a store's saved state (its parameters
 * and format): it reads none of the pages of its zero statistics, which
 * stay as calloc() left them (the 4 MB of the default table were 1,024
 * page faults at every ingest's start).  Once a document has been given,
 * the counters are exported as before. */
static void test_export_new_untouched(void)
{
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    p.df_bits = 24; /* 64 MB of counters */
    nd_cluster *c = nd_cluster_new(&p, NULL);
    CHECK(c != NULL);
    if (!c) return;
    struct rusage u0, u1;
    nd_buf b = ND_BUF_INIT;
    getrusage(RUSAGE_SELF, &u0);
    CHECK_INT(nd_cluster_export(c, &b), 0);
    getrusage(RUSAGE_SELF, &u1);
    long faults = u1.ru_minflt - u0.ru_minflt;
    CHECK(faults < 2048); /* reading the table is 16,384 */
    /* the same bytes as an engine that has counted nothing */
    size_t empty = b.len;
    nd_buf_clear(&b);
    char title[64], text[4096];
    nd_cluster_doc d = stream_doc(1, title, sizeof title, text, sizeof text);
    d.id = 1;
    nd_cluster_result r;
    CHECK_INT(nd_cluster_add(c, &d, &r), 0);
    CHECK_INT(nd_cluster_export(c, &b), 0);
    nd_cluster *back = nd_cluster_import(b.ptr, b.len, NULL);
    CHECK(back != NULL);
    if (back) CHECK(same_state(c, back));
    CHECK(b.len > empty);
    nd_cluster_free(back);
    nd_buf_free(&b);
    nd_cluster_free(c);
}

static void test_restore(void)
{
    /* a restart without the saved state: the store feeds back the recent
     * documents with the stories it recorded */
    nd_cluster *c = nd_cluster_new(NULL, NULL);
    for (size_t i = 0; i < N_DOCS; i++) {
        if (docs[i].group == 'B') continue;
        nd_cluster_doc d = cdoc((int64_t) i + 1, &docs[i]);
        int64_t story = docs[i].group == 'A' ? 500 : 600 + (int64_t) i;
        CHECK_INT(nd_cluster_restore(c, &d, story, 0), 0);
    }
    nd_cluster_reserve_ids(c, 1000);
    fx more = {"2021-03-04", "Relief convoy reaches Taloria",
               "A convoy of 40 trucks carrying tents, food and medicine reached Taloria on "
               "Thursday, a day after the magnitude 6.4 earthquake that killed 41 people in "
               "western Veskland. Governor Aldo Menzer thanked the Red Cross and the soldiers "
               "from Brennick who cleared the mountain road blocked by landslides.",
               'A'};
    nd_cluster_doc d = cdoc(200, &more);
    nd_cluster_result r;
    CHECK_INT(nd_cluster_add(c, &d, &r), 0);
    CHECK_INT(r.story, 500);
    fx other = {"2021-03-06", "Library reopens after repairs",
                "The city library of Dunmore reopened on Saturday after two years of repairs "
                "to its roof and reading rooms, with a new children's section and longer "
                "opening hours on weekends.",
                '-'};
    d = cdoc(201, &other);
    CHECK_INT(nd_cluster_add(c, &d, &r), 0);
    CHECK(r.story >= 1000); /* new ids never reuse the store's */
    CHECK_INT(nd_cluster_restore(c, &d, 0, 0), ND_EINVAL);
    nd_cluster_free(c);
}

static void test_garbage(void)
{
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    p.recent = 32;
    p.sweep_every = 4;
    nd_cluster *c = nd_cluster_new(&p, NULL);
    nd_cluster_result r;
    /* empty and missing text */
    nd_cluster_doc d = {1, NULL, 0, NULL, 0, ND_TIME_NONE};
    CHECK_INT(nd_cluster_add(c, &d, &r), 0);
    CHECK(r.story > 0);
    CHECK_INT(r.dup, ND_DUP_NONE);
    d.id = 2;
    d.text = "";
    d.title = "";
    CHECK_INT(nd_cluster_add(c, &d, &r), 0);
    CHECK_INT(r.dup, ND_DUP_NONE); /* two empty documents are not duplicates */
    /* id 0 and NULL are refused */
    d.id = 0;
    CHECK_INT(nd_cluster_add(c, &d, &r), ND_EINVAL);
    CHECK_INT(nd_cluster_add(c, NULL, &r), ND_EINVAL);
    /* binary garbage, NUL bytes, invalid UTF-8, a huge text, one endless word */
    size_t big = 5u << 20;
    char *buf = malloc(big);
    uint64_t x = 88172645463325252ULL;
    for (size_t i = 0; i < big; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf[i] = (char) x;
    }
    int64_t id = 10;
    size_t sizes[] = {1, 7, 100, 4096, 100000, big};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        nd_cluster_doc g = {id++, buf,      sizes[k] < 300 ? sizes[k] : 300,
                            buf,  sizes[k], (int64_t) x % 2000000000};
        CHECK_INT(nd_cluster_add(c, &g, &r), 0);
    }
    memset(buf, 'a', big);
    nd_cluster_doc g = {id++, "word", 4, buf, big, ND_TIME_NONE};
    CHECK_INT(nd_cluster_add(c, &g, &r), 0);
    for (size_t i = 0; i < big; i++) buf[i] = "Ab. \n\xff\xc3("[i % 8];
    g.id = id++;
    CHECK_INT(nd_cluster_add(c, &g, &r), 0);
    /* extreme times */
    nd_cluster_doc t1 = cdoc(id++, &docs[0]);
    t1.published = INT64_MAX;
    CHECK_INT(nd_cluster_add(c, &t1, &r), 0);
    nd_cluster_doc t2 = cdoc(id++, &docs[2]);
    t2.published = INT64_MIN + 1;
    CHECK_INT(nd_cluster_add(c, &t2, &r), 0);
    for (int i = 0; i < 40; i++) { /* wrap the recent window */
        nd_cluster_doc f = cdoc(id++, &docs[(size_t) i % N_DOCS]);
        f.text_len = (size_t) i * 7 % (f.text_len + 1);
        CHECK_INT(nd_cluster_add(c, &f, &r), 0);
    }
    CHECK_INT(nd_cluster_flush(c, &r), 0);
    nd_buf blob = ND_BUF_INIT;
    CHECK_INT(nd_cluster_export(c, &blob), 0);
    nd_cluster *c2 = nd_cluster_import(blob.ptr, blob.len, NULL);
    CHECK(c2 != NULL);
    nd_cluster_free(c2);
    nd_buf_free(&blob);
    free(buf);
    nd_cluster_free(c);
    nd_cluster_free(NULL);
}

/* Out of memory anywhere: an error, never a crash, and the engine goes on. */
static long fail_at = -1, n_alloc = 0;
static void *t_malloc(size_t n, void *ctx)
{
    (void) ctx;
    if (fail_at >= 0 && n_alloc++ == fail_at) return NULL;
    return malloc(n);
}
static void *t_realloc(void *p, size_t n, void *ctx)
{
    (void) ctx;
    if (fail_at >= 0 && n_alloc++ == fail_at) return NULL;
    return realloc(p, n);
}
static void t_free(void *p, void *ctx)
{
    (void) ctx;
    free(p);
}

static void test_oom(void)
{
    nd_allocator al = {t_malloc, t_realloc, t_free, NULL};
    nd_set_allocator(&al);
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    p.recent = 16;
    p.sweep_every = 3;
    p.df_bits = 12;
    for (fail_at = 0; fail_at < 3000; fail_at += 7) {
        n_alloc = 0;
        nd_cluster *c = nd_cluster_new(&p, NULL);
        if (!c) continue;
        for (size_t i = 0; i < N_DOCS; i++) {
            nd_cluster_doc d = cdoc((int64_t) i + 1, &docs[i]);
            nd_cluster_result r;
            int rc = nd_cluster_add(c, &d, &r);
            CHECK(rc == 0 || rc == ND_ENOMEM || rc == ND_EINVAL);
        }
        nd_cluster_result r;
        int rc = nd_cluster_flush(c, &r);
        CHECK(rc == 0 || rc == ND_ENOMEM);
        nd_cluster_free(c);
    }
    fail_at = -1;
    nd_set_allocator(NULL);
}

/* ---- the word-rarity prior ------------------------------------------------------ */

/* The map the build compiled in (src/cluster/prior_blob.c). */
extern const unsigned char nd__prior_map_blob[];
extern const size_t nd__prior_map_blob_len;

static const nd__blob *prior_blob(void)
{
    for (size_t i = 0; i < nd__n_data_blobs; i++)
        if (!strcmp(nd__data_blobs[i].name, "wordfreq/prior.bin")) return &nd__data_blobs[i];
    return NULL;
}

static void test_prior_table(void)
{
    const nd__blob *b = prior_blob();
    CHECK(b != NULL);
    if (!b) return;
    nd__prior p;
    nd_error err;
    CHECK_INT(nd__prior_parse(b->data, b->len, &p, &err), 0);
    CHECK(p.n > 50000); /* ids of the words, their stems, as words and titles */
    /* a common word is common, its stem too; a made-up word is not listed */
    int q_name = nd__prior_q(&p, nd__feat_hash(ND__F_ENTITY, "people", 6));
    int q_word = nd__prior_q(&p, nd__feat_hash(ND__F_WORD, "peopl", 5));
    int q_title = nd__prior_q(&p, nd__feat_hash(ND__F_TITLE, "peopl", 5));
    CHECK(q_name >= 0 && q_name < 80); /* frequency above 1e-4 */
    CHECK(q_word >= 0 && q_word <= q_name);
    CHECK_INT(q_title, q_word);
    int q_rare = nd__prior_q(&p, nd__feat_hash(ND__F_WORD, "glacier", 7));
    CHECK(q_rare > q_word);
    CHECK_INT(nd__prior_q(&p, nd__feat_hash(ND__F_WORD, "varnholm", 8)), -1);
    /* the engine reads the same table: the map the build made of it,
     * compiled in (prior_blob.c), slot for slot what parsing it builds,
     * and read where it lies, without a copy */
    const nd__prior *g = nd__prior_get();
    CHECK(g != NULL && g->n == p.n && g->cap == p.cap);
    if (g && g->cap == p.cap) {
        CHECK(!memcmp(g->keys, p.keys, (size_t) p.cap * sizeof *p.keys));
        CHECK(!memcmp(g->q, p.q, p.cap));
    }
    CHECK(g && (const unsigned char *) g->keys == nd__prior_map_blob + ND__PRIOR_MAP_HEAD);
    CHECK_INT((long long) nd__prior_map_blob_len,
              (long long) (ND__PRIOR_MAP_HEAD + (size_t) p.cap * 9));

    /* the map as bytes, and back; a map of another table or format is
     * refused (the build's map is then parsed away, never misread) */
    nd_buf mb = ND_BUF_INIT;
    nd__prior_map_write(&mb, &p, b->data, b->len);
    CHECK(!nd_buf_failed(&mb));
    unsigned char *map = NULL;
    CHECK(!posix_memalign((void **) &map, 64, mb.len));
    memcpy(map, mb.ptr, mb.len);
    nd__prior v;
    CHECK_INT(nd__prior_map_view(map, mb.len, b->data, b->len, &v, &err), 0);
    CHECK(v.cap == p.cap && v.n == p.n && (const unsigned char *) v.keys == map + 64);
    CHECK_INT(nd__prior_q(&v, nd__feat_hash(ND__F_WORD, "peopl", 5)), q_word);
    CHECK(mb.len == nd__prior_map_blob_len && !memcmp(map, nd__prior_map_blob, mb.len));
    CHECK_INT(nd__prior_map_view(map, mb.len - 1, b->data, b->len, &v, &err), ND_EFORMAT);
    CHECK_INT(nd__prior_map_view(map + 64, mb.len - 64, b->data, b->len, &v, &err), ND_EFORMAT);
    unsigned char *other = malloc(b->len);
    memcpy(other, b->data, b->len);
    other[16] ^= 1; /* the table's checksum field: another table */
    CHECK_INT(nd__prior_map_view(map, mb.len, other, b->len, &v, &err), ND_EFORMAT);
    CHECK(strstr(err.msg, "another table") != NULL);
    free(other);
    map[4] = 2; /* format version */
    CHECK_INT(nd__prior_map_view(map, mb.len, b->data, b->len, &v, &err), ND_EFORMAT);
    map[4] = 1;
    map[0] = 'X';
    CHECK_INT(nd__prior_map_view(map, mb.len, b->data, b->len, &v, &err), ND_EFORMAT);
    CHECK(v.keys == NULL);
    free(map);
    nd_buf_free(&mb);
    nd__prior_free(&p);

    /* a damaged or foreign table is refused with a reason, never read */
    unsigned char *copy = malloc(b->len);
    memcpy(copy, b->data, b->len);
    copy[b->len / 2] ^= 0x20;
    CHECK_INT(nd__prior_parse(copy, b->len, &p, &err), ND_EFORMAT);
    CHECK(strstr(err.msg, "checksum") != NULL);
    CHECK(p.keys == NULL);
    memcpy(copy, b->data, b->len);
    CHECK_INT(nd__prior_parse(copy, b->len - 1, &p, &err), ND_EFORMAT);
    copy[4] = 9; /* format version */
    CHECK_INT(nd__prior_parse(copy, b->len, &p, &err), ND_EFORMAT);
    CHECK_INT(nd__prior_parse("NDWF", 4, &p, &err), ND_EFORMAT);
    CHECK_INT(nd__prior_parse(NULL, 0, &p, &err), ND_EFORMAT);
    free(copy);
}

/* Two unrelated short articles that share only everyday words ("people",
 * "a hard year", "a lot of work") among the fixtures: a fresh engine's own
 * counts take those words for rare ones (only the two have them), the
 * prior knows they are common. */
static const fx everyday[] = {
    {"2023-10-18", "Beekeepers in Halvard count their losses",
     "Beekeepers in Halvard said this week that many people lost half of their hives over the "
     "winter. It was a hard year, and the new season will need a lot of work, they said, but "
     "most of them want to keep going.",
     '-'},
    {"2023-10-19", "Dorrin opens its first skate park",
     "The town of Dorrin opened its first skate park this week. Many people came to see it, and "
     "after a hard year the new park will need a lot of work from volunteers, the mayor said, "
     "but most of them want to keep going.",
     '-'},
};

/* Cluster the articles f[0..n) in that order with p; story[i + 1] for the
 * i-th. */
static void cluster_list(const fx *const *f, size_t n, const nd_cluster_params *p, int64_t *story)
{
    nd_cluster *c = nd_cluster_new(p, NULL);
    CHECK(c != NULL);
    if (!c) return;
    nd_cluster_result r;
    for (size_t i = 0; i < n; i++) {
        nd_cluster_doc d = cdoc((int64_t) i + 1, f[i]);
        CHECK_INT(nd_cluster_add(c, &d, &r), 0);
        story[i + 1] = r.story;
        apply(story, n, &r);
    }
    CHECK_INT(nd_cluster_flush(c, &r), 0);
    apply(story, n, &r);
    nd_cluster_free(c);
}

static void everyday_stories(double prior_docs, int64_t *x, int64_t *y)
{
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    p.prior_docs = prior_docs;
    const fx *f[N_DOCS + 2];
    int64_t story[N_DOCS + 3];
    for (size_t i = 0; i < N_DOCS + 2; i++) f[i] = i < N_DOCS ? &docs[i] : &everyday[i - N_DOCS];
    cluster_list(f, N_DOCS + 2, &p, story);
    *x = story[N_DOCS + 1];
    *y = story[N_DOCS + 2];
}

static void test_prior_common_words(void)
{
    int64_t x = 0, y = 0;
    everyday_stories(1000, &x, &y);
    CHECK(x > 0 && y > 0 && x != y);
    /* without the prior they are one story */
    everyday_stories(0, &x, &y);
    CHECK(x == y);
}

/* ---- negative evidence ---------------------------------------------------------- */

/* The attributes features.c reads in a lead (negative weights). */
static int attrs_of(const char *text, float slot, uint64_t *vals, int max)
{
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    nd__fx x;
    CHECK_INT(nd__fx_init(&x, &p), 0);
    nd__feat *f;
    uint32_t n;
    nd_dup_sketch sk;
    CHECK_INT(nd__fx_doc(&x, NULL, 0, text, strlen(text), ND_TIME_NONE, &f, &n, &sk), 0);
    int k = 0;
    for (uint32_t i = 0; i < n; i++) {
        CHECK(i == 0 || f[i - 1].h < f[i].h); /* still sorted */
        if (f[i].w == slot && k < max) vals[k++] = f[i].h;
    }
    nd__fx_free(&x);
    return k;
}

static void test_attrs(void)
{
    uint64_t v[8];
    const char *mags[] = {"A 5.4-magnitude earthquake hit the coast on Sunday.",
                          "An earthquake of magnitude 5.4 hit the coast on Sunday.",
                          "The quake had a magnitude of 5.4, the institute said.",
                          "A quake measuring 5.4 on the Richter scale hit the coast.",
                          "Officials put the magnitude-5.4 tremor offshore."};
    for (size_t i = 0; i < sizeof mags / sizeof *mags; i++) {
        CHECK_INT(attrs_of(mags[i], ND__A_MAG, v, 8), 1);
        CHECK(v[0] == ND__A_SALT_MAG + 54);
    }
    /* a decimal far from the word "magnitude" is no magnitude */
    CHECK_INT(attrs_of("Shares rose 5.4 per cent after the bank's magnitude of losses was "
                       "reported in the annual accounts of the group.",
                       ND__A_MAG, v, 8),
              0);
    /* where: the names after "in", "at", "near"; the place is the longest word */
    CHECK_INT(
        attrs_of("A fire broke out in Port Hollin on Monday, police said.", ND__A_PLACE, v, 8), 1);
    CHECK_INT(attrs_of("The fire broke out in the kitchen on Monday.", ND__A_PLACE, v, 8), 0);
    /* deaths in the lead; injuries and no death anywhere */
    CHECK_INT(attrs_of("Four people were killed when the bridge fell.", ND__A_TOLL, v, 8), 1);
    CHECK(v[0] == ND__A_SALT_TOLL + ND__TOLL_DEAD);
    CHECK_INT(attrs_of("Six people were injured when the bridge fell.", ND__A_TOLL, v, 8), 1);
    CHECK(v[0] == ND__A_SALT_TOLL + ND__TOLL_HURT);
    CHECK_INT(attrs_of("Six people were injured when the bridge fell. It was the first "
                       "accident on the bridge since it opened, and the engineers who built "
                       "it said they would check every cable and every joint before traffic "
                       "could cross it again, as the city council asked on Monday evening "
                       "after a long meeting. One of the injured later died in hospital.",
                       ND__A_TOLL, v, 8),
              0);
}

/* Two earthquakes on one island twelve days apart, each told by two
 * outlets: the same place, the same words, but a magnitude of 5.4 and six
 * injured against 6.3 and four dead. */
static const fx quakes[] = {
    {"2022-05-08", "Earthquake shakes Varnholm island",
     "A magnitude 5.4 earthquake shook the island of Varnholm on Sunday, injuring six people "
     "and cracking walls in the harbour town of Esk, the coastguard said. The tremor was felt "
     "across the strait. Officials said the injured were taken to the clinic in Esk and that "
     "ferries were running again by the afternoon.",
     'A'},
    {"2022-05-08", "Quake injures six on Varnholm",
     "Six people were injured when a 5.4-magnitude earthquake struck Varnholm island on Sunday "
     "morning, the coastguard said. Walls cracked in the harbour town of Esk and a landslide "
     "blocked the coast road for two hours. The island's clinic treated the injured, officials "
     "said, and ferries were running again by the afternoon.",
     'A'},
    {"2022-05-20", "Strong earthquake on Varnholm island",
     "A magnitude 6.3 earthquake struck the island of Varnholm on Friday, killing four people "
     "and destroying houses in the harbour town of Esk, the coastguard said. The tremor was felt "
     "across the strait. Officials said rescue teams were searching the rubble in Esk and that "
     "ferries had stopped.",
     'B'},
    {"2022-05-20", "Varnholm earthquake kills four",
     "Four people were killed when a 6.3-magnitude earthquake struck Varnholm island on Friday, "
     "the coastguard said. Houses collapsed in the harbour town of Esk and a landslide blocked "
     "the coast road. Rescue teams searched the rubble through the day, officials said, and the "
     "ferries stopped.",
     'B'},
    {"2022-05-10", "Council votes to rebuild the Ostberg library",
     "The council of Ostberg voted on Tuesday to rebuild the town library, which closed after a "
     "fire last winter. The new building will have a reading garden and a music room, and "
     "should open in two years, the mayor said.",
     '-'},
    {"2022-05-12", "Cyclists ride the Tarn valley route",
     "More than 3,000 cyclists rode the Tarn valley route on Thursday in the first race of the "
     "season. The winner, a student from Brell, finished the 140 kilometres in just under four "
     "hours, the organisers said.",
     '-'},
};
#define N_QUAKES (sizeof quakes / sizeof *quakes)

static void quake_stories(double clash, int64_t *story)
{
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    p.clash = clash;
    const fx *f[N_QUAKES];
    for (size_t i = 0; i < N_QUAKES; i++) f[i] = &quakes[i];
    cluster_list(f, N_QUAKES, &p, story);
}

static void test_clash_quakes(void)
{
    int64_t s[N_QUAKES + 1];
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    quake_stories(p.clash, s);
    CHECK(s[1] == s[2] && s[3] == s[4]); /* each quake one story */
    CHECK(s[1] != s[3]);                 /* two quakes, two stories */
    CHECK(s[5] != s[1] && s[5] != s[3] && s[6] != s[1] && s[6] != s[3]);
    /* without the negative evidence the look-alikes are one story */
    quake_stories(1.0, s);
    CHECK(s[1] == s[3]);
}

/* Reports of one event come out together: among look-alike documents a
 * document's neighbours are first the ones published within burst_seconds
 * of it.  A strike report (X), a second report of that strike the same day
 * in other words (Y), and a report of another strike at the same port
 * eleven days later that reads much like X (Z). */
static const fx strikes[] = {
    {"2022-03-02", "Dockers strike at Harlow Quay",
     "Dock workers at Harlow Quay walked out on Wednesday, halting the loading of container "
     "ships, the Transport Workers Union said. The port operator Calder Shipping said talks "
     "would continue and that ships were waiting offshore.",
     'A'},
    {"2022-03-02", "Pay strike halts Harlow Quay",
     "Dock workers at Harlow Quay struck for a 6 per cent raise on Wednesday, and container "
     "ships waited offshore. Calder Shipping offered 3 per cent, the Transport Workers Union "
     "said.",
     'A'},
    {"2022-03-13", "Dockers strike again at Harlow Quay",
     "Dock workers at Harlow Quay walked out on Sunday for the second time this month, the "
     "Transport Workers Union said, over the night shifts. The port operator Calder Shipping "
     "said talks would continue.",
     'B'},
};

static int64_t nearest_of_first(double burst, int undated)
{
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    p.burst = burst;
    nd_cluster *c = nd_cluster_new(&p, NULL);
    CHECK(c != NULL);
    if (!c) return -1;
    nd_cluster_result r;
    for (size_t i = 0; i < 3; i++) {
        fx f = strikes[i];
        if (undated) f.date = NULL;
        nd_cluster_doc d = cdoc((int64_t) i + 1, &f);
        CHECK_INT(nd_cluster_add(c, &d, &r), 0);
    }
    int64_t id = nd__cluster_nearest(c, 1);
    nd_cluster_free(c);
    return id;
}

static void test_burst(void)
{
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    CHECK(p.burst > 1);
    CHECK(p.burst_seconds >= 86400);
    /* by the cosine alone, the look-alike of eleven days later is nearest */
    CHECK_INT(nearest_of_first(1.0, 0), 3);
    /* the report of the same day comes first */
    CHECK_INT(nearest_of_first(p.burst, 0), 2);
    /* undated, the cosine decides */
    CHECK_INT(nearest_of_first(p.burst, 1), nearest_of_first(1.0, 1));
}

/* ---- the window's recomputation on threads ---------------------------------- */

/* Allocations made by threads other than the test's own: the flush's. */
static pthread_t g_main_thread;
static atomic_int g_other_allocs;

static void *count_malloc(size_t n, void *ctx)
{
    (void) ctx;
    if (!pthread_equal(pthread_self(), g_main_thread)) atomic_fetch_add(&g_other_allocs, 1);
    return malloc(n);
}

static void *count_realloc(void *p, size_t n, void *ctx)
{
    (void) ctx;
    if (!pthread_equal(pthread_self(), g_main_thread)) atomic_fetch_add(&g_other_allocs, 1);
    return realloc(p, n);
}

static void count_free(void *p, void *ctx)
{
    (void) ctx;
    free(p);
}

/* Flush c on n threads; the changes into *changes (a fingerprint of them:
 * kind, doc, from, to in order).  Returns how many allocations other
 * threads made. */
static int flush_on(nd_cluster *c, int n, uint64_t *changes)
{
    nd_cluster_result r;
    nd_cluster_set_threads(c, n);
    atomic_store(&g_other_allocs, 0);
    CHECK_INT(nd_cluster_flush(c, &r), 0);
    int other = atomic_load(&g_other_allocs);
    uint64_t h = 1469598103934665603ULL;
    for (size_t k = 0; k < r.n_changes; k++) {
        const nd_cluster_change *ch = &r.changes[k];
        int64_t v[4] = {ch->kind, ch->doc, ch->from, ch->to};
        for (int q = 0; q < 4; q++) h = (h ^ (uint64_t) v[q]) * 1099511628211ULL;
    }
    *changes = h ^ r.n_changes;
    nd_cluster_set_threads(c, 1);
    return other;
}

/* A flush on 2 or 3 threads recomputes the recent window (vectors,
 * neighbour lists) to the same bytes as on one, and moves the same
 * documents: engines fed the same stream (the fixtures' events, whose
 * attributes the similarities compare, then made-up news), flushed at
 * the same points on 1, 2 and 3 threads, export the same state after each
 * flush; and so does an engine loaded from saved items (its vectors and
 * raw features read lazily) flushed on 2 threads. */
static void test_flush_threads(void)
{
    nd_allocator al = {count_malloc, count_realloc, count_free, NULL};
    g_main_thread = pthread_self();
    nd_set_allocator(&al);
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    p.recent = 256;
    p.sweep_every = 97;
    p.window_docs = 2000;
    nd_cluster *e[3];
    for (int t = 0; t < 3; t++) e[t] = nd_cluster_new(&p, NULL);
    CHECK(e[0] && e[1] && e[2]);
    if (!e[0] || !e[1] || !e[2]) {
        nd_set_allocator(NULL);
        return;
    }
    char title[64], text[4096];
    int id = 1, flushes = 0, same = 1, same_changes = 1, others1 = 0, others2 = 0;
    items s = {0};
    for (int round = 0; round < 4; round++) {
        int k = round == 0 ? 150 : 170;
        for (int j = 0; j < k; j++, id++) {
            nd_cluster_doc d;
            if (id <= (int) N_DOCS)
                d = cdoc(id, &docs[id - 1]);
            else
                d = stream_doc(id, title, sizeof title, text, sizeof text);
            d.id = id;
            for (int t = 0; t < 3; t++) {
                nd_cluster_result r;
                CHECK_INT(nd_cluster_add(e[t], &d, &r), 0);
            }
        }
        uint64_t ch[3];
        for (int t = 0; t < 3; t++) {
            int other = flush_on(e[t], t + 1, &ch[t]);
            if (t == 0) others1 += other;
            if (t == 1) others2 += other;
        }
        flushes++;
        same &= same_state(e[0], e[1]) && same_state(e[0], e[2]);
        same_changes &= ch[0] == ch[1] && ch[0] == ch[2];
        if (round == 2) {
            /* saved, loaded lazily, flushed on 2 threads: as e[0] flushed */
            size_t bytes;
            nd_cluster_result r;
            CHECK_INT(nd_cluster_save(e[1], 1, &(nd_cluster_sink){&s, it_put, it_del}, &bytes), 0);
            nd_cluster *l = items_load_lazy(&s);
            CHECK(l != NULL);
            if (l) {
                uint64_t cl, c0;
                for (int j = 0; j < 40; j++, id++) {
                    nd_cluster_doc d = stream_doc(id, title, sizeof title, text, sizeof text);
                    d.id = id;
                    CHECK_INT(nd_cluster_add(l, &d, &r), 0);
                    for (int t = 0; t < 3; t++) CHECK_INT(nd_cluster_add(e[t], &d, &r), 0);
                }
                others2 += flush_on(l, 2, &cl);
                flush_on(e[0], 1, &c0);
                flush_on(e[1], 2, &c0);
                flush_on(e[2], 3, &c0);
                CHECK(cl == c0);
                CHECK(same_state(l, e[0]));
                nd_cluster_free(l);
            }
        }
    }
    CHECK_INT(flushes, 4);
    CHECK(same);
    CHECK(same_changes);
    CHECK_INT(others1, 0); /* one thread: none started */
    CHECK(others2 > 0);    /* two: the other computed too */
    for (int t = 0; t < 3; t++) nd_cluster_free(e[t]);
    items_free(&s);
    nd_set_allocator(NULL);
}

int main(void)
{
    RUN(test_exact_dup);
    RUN(test_near_dup);
    RUN(test_title_line);
    RUN(test_events);
    RUN(test_order_robust);
    RUN(test_recluster_deterministic);
    RUN(test_dormancy);
    RUN(test_bounded);
    RUN(test_state_roundtrip);
    RUN(test_state_layout);
    RUN(test_state_items);
    RUN(test_state_items_each_step);
    RUN(test_state_ring_vec);
    RUN(test_state_vec_raw);
    RUN(test_state_index_compact);
    RUN(test_state_recent_compact);
    RUN(test_state_index_deltas);
    RUN(test_state_load_allocs);
    RUN(test_state_index_lazy);
    RUN(test_state_load_df_once);
    RUN(test_word_cache_grows);
    RUN(test_dup_load_scans);
    RUN(test_dup_tail_lists);
    RUN(test_export_new_untouched);
    RUN(test_restore);
    RUN(test_garbage);
    RUN(test_oom);
    RUN(test_prior_table);
    RUN(test_prior_common_words);
    RUN(test_attrs);
    RUN(test_clash_quakes);
    RUN(test_burst);
    RUN(test_flush_threads);
    return tap_done();
}
