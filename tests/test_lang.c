/* test_lang.c - language identification and stop words. */
#include "newsdesk/newsdesk.h"
#include "tap.h"

#include <pthread.h>

/* One short news-like sentence per language, written for this test. */
static const struct {
    const char *lang;
    const char *text;
} samples[] = {
    {"en", "The president said on Tuesday that the government would not change its policy, "
           "and officials in the capital were cautious about what might happen next."},
    {"de", "Der Präsident sagte am Dienstag, dass die Regierung ihre Politik nicht ändern "
           "werde, und die Beamten in der Hauptstadt waren vorsichtig."},
    {"fr", "Le président a déclaré mardi que le gouvernement ne changerait pas sa politique, "
           "et les responsables de la capitale restaient prudents sur ce qui pourrait se "
           "passer."},
    {"es", "El presidente dijo el martes que el gobierno no cambiaría su política, y los "
           "funcionarios de la capital se mostraron cautelosos sobre lo que podría pasar."},
    {"it", "Il presidente ha detto martedì che il governo non cambierà la sua politica, e i "
           "funzionari della capitale sono rimasti cauti su quello che potrebbe succedere."},
    {"pt", "O presidente disse na terça-feira que o governo não vai mudar a sua política, e os "
           "funcionários da capital estão cautelosos sobre o que pode acontecer."},
    {"nl", "De president zei dinsdag dat de regering haar beleid niet zal veranderen, en de "
           "ambtenaren in de hoofdstad waren voorzichtig over wat er nu gaat gebeuren."},
    {"sv", "Presidenten sade på tisdagen att regeringen inte kommer att ändra sin politik, och "
           "tjänstemännen i huvudstaden var försiktiga med vad som kan hända."},
    {"da", "Præsidenten sagde tirsdag, at regeringen ikke vil ændre sin politik, og "
           "embedsmændene i hovedstaden var forsigtige med hvad der nu kan ske."},
    {"no", "Presidenten sa tirsdag at regjeringen ikke vil endre sin politikk, og "
           "tjenestemennene i hovedstaden var forsiktige med hva som kan skje nå."},
    {"fi", "Presidentti sanoi tiistaina, että hallitus ei muuta politiikkaansa, ja "
           "pääkaupungin virkamiehet olivat varovaisia sen suhteen, mitä voi tapahtua."},
    {"pl", "Prezydent powiedział we wtorek, że rząd nie zmieni swojej polityki, a urzędnicy w "
           "stolicy byli ostrożni co do tego, co może się wydarzyć."},
    {"cs", "Prezident v úterý řekl, že vláda nezmění svou politiku, a úředníci v hlavním městě "
           "byli opatrní v tom, co se může stát."},
    {"ro", "Președintele a declarat marți că guvernul nu își va schimba politica, iar oficialii "
           "din capitală au fost prudenți cu privire la ce se poate întâmpla."},
    {"hu", "Az elnök kedden azt mondta, hogy a kormány nem változtat a politikáján, és a "
           "fővárosi tisztviselők óvatosak voltak abban, hogy mi történhet."},
    {"tr", "Cumhurbaşkanı salı günü hükümetin politikasını değiştirmeyeceğini söyledi ve "
           "başkentteki yetkililer bundan sonra ne olacağı konusunda çok temkinli."},
    {"id", "Presiden mengatakan pada hari Selasa bahwa pemerintah tidak akan mengubah "
           "kebijakannya, dan para pejabat di ibu kota masih berhati-hati tentang apa yang "
           "bisa terjadi."},
    {"ru", "Президент заявил во вторник, что правительство не будет менять свою политику, и "
           "чиновники в столице осторожны в том, что может произойти."},
    {"uk", "Президент заявив у вівторок, що уряд не змінюватиме свою політику, і чиновники в "
           "столиці обережні щодо того, що може статися."},
    {"zh", "国家主席周二表示，政府不会改变其政策，首都的官员对接下来可能发生的事情持谨慎态度。"},
    {"ja", "大統領は火曜日、政府は政策を変更しないと述べ、首都の当局者は今後の展開に慎重な姿勢を示"
           "した。"},
    {"ko", "대통령은 화요일 정부가 정책을 바꾸지 않을 것이라고 말했으며 수도의 관리들은 앞으로의 "
           "상황에 신중한 입장을 보였다."},
    {"ar", "قال الرئيس يوم الثلاثاء إن الحكومة لن تغير سياستها، وكان المسؤولون في العاصمة حذرين "
           "بشأن ما قد يحدث بعد ذلك."},
    /* not clang-formatted: version 14 splits this string again on each run */
    // clang-format off
    {"fa", "رئیس جمهور روز سه‌شنبه گفت که دولت سیاست خود را تغییر نمی‌دهد و مقامات در "
           "پایتخت "
           "درباره آنچه ممکن است رخ دهد محتاط هستند."},
    // clang-format on
    {"ur", "صدر نے منگل کو کہا کہ حکومت اپنی پالیسی تبدیل نہیں کرے گی اور دارالحکومت کے حکام "
           "محتاط ہیں۔"},
    {"he", "הנשיא אמר ביום שלישי כי הממשלה לא תשנה את מדיניותה, והפקידים בבירה נזהרים לגבי מה "
           "שעלול לקרות."},
    {"el", "Ο πρόεδρος δήλωσε την Τρίτη ότι η κυβέρνηση δεν θα αλλάξει την πολιτική της."},
    {"th", "ประธานาธิบดีกล่าวเมื่อวันอังคารว่ารัฐบาลจะไม่เปลี่ยนนโยบาย"},
    {"hi", "राष्ट्रपति ने मंगलवार को कहा कि सरकार अपनी नीति नहीं बदलेगी।"},
};

/* A second sentence for each language, about taxes: close pairs (da/no/sv,
 * es/pt, cs/pl, ru/uk) must still come apart. */
static const struct {
    const char *lang;
    const char *text;
} samples2[] = {
    {"en", "The government has decided to raise taxes, but the opposition believes that it is "
           "not the right path for the country."},
    {"de", "Die Regierung hat beschlossen, die Steuern zu erhöhen, aber die Opposition hält das "
           "nicht für den richtigen Weg für das Land."},
    {"fr", "Le gouvernement a décidé d'augmenter les impôts, mais l'opposition estime que ce "
           "n'est pas la bonne voie pour le pays."},
    {"es", "El Gobierno ha decidido subir los impuestos, pero la oposición cree que no es el "
           "camino correcto para el país."},
    {"it", "Il governo ha deciso di aumentare le tasse, ma l'opposizione ritiene che non sia la "
           "strada giusta per il paese."},
    {"pt", "O Governo decidiu aumentar os impostos, mas a oposição acredita que não é o caminho "
           "certo para o país."},
    {"nl", "De regering heeft besloten de belastingen te verhogen, maar de oppositie vindt dat "
           "dit niet de juiste weg is voor het land."},
    {"sv", "Regeringen har beslutat att höja skatten, men oppositionen anser inte att det är "
           "rätt väg för landet."},
    {"da", "Regeringen har besluttet at hæve skatten efter valget, men oppositionen mener ikke, "
           "at det er den rigtige vej for landet."},
    {"no", "Regjeringen har besluttet å øke skatten, men opposisjonen mener ikke at det er den "
           "riktige veien for landet."},
    {"fi", "Hallitus päätti nostaa veroja, mutta oppositio ei pidä sitä oikeana tienä maalle, "
           "koska se on kallis."},
    {"pl", "Rząd zdecydował się podnieść podatki, ale opozycja uważa, że to nie jest właściwa "
           "droga dla kraju."},
    {"cs", "Vláda se rozhodla zvýšit daně, ale opozice si myslí, že to není správná cesta pro "
           "zemi."},
    {"ro", "Guvernul a decis să mărească taxele, dar opoziția consideră că nu este calea "
           "potrivită pentru țară."},
    {"hu", "A kormány úgy döntött, hogy emeli az adókat, de az ellenzék szerint ez nem a helyes "
           "út az ország számára."},
    {"tr", "Hükümet vergileri artırmaya karar verdi, ancak muhalefet bunun ülke için doğru yol "
           "olmadığını düşünüyor."},
    {"id", "Pemerintah telah memutuskan untuk menaikkan pajak, tetapi pihak oposisi menilai itu "
           "bukan jalan yang tepat bagi negara."},
    {"ru", "Правительство решило повысить налоги, но оппозиция считает, что это не правильный "
           "путь для страны."},
    {"uk", "Уряд вирішив підвищити податки, але опозиція вважає, що це не правильний шлях для "
           "країни."},
};

static void test_detect_samples(void)
{
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        const char *got = nd_lang_detect(samples[i].text, strlen(samples[i].text));
        CHECK_STR(got, samples[i].lang);
    }
    for (size_t i = 0; i < sizeof samples2 / sizeof *samples2; i++) {
        const char *got = nd_lang_detect(samples2[i].text, strlen(samples2[i].text));
        CHECK_STR(got, samples2[i].lang);
    }
}

/* Titles and other short texts with a couple of function words. */
static void test_detect_short(void)
{
    static const struct {
        const char *lang, *text;
    } cases[] = {
        {"en", "Xi tells Putin that China and Russia are friends of steel"},
        {"de", "Xi sagt Putin, dass China und Russland Freunde sind"},
        {"fr", "Xi dit à Poutine que la Chine et la Russie sont des amis"},
        {"es", "Xi dice a Putin que China y Rusia son amigos, según el Kremlin"},
        {"ru", "Си сказал Путину, что Китай и Россия были и будут друзьями"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        CHECK_STR(nd_lang_detect(cases[i].text, strlen(cases[i].text)), cases[i].lang);
}

static void test_detect_unclear(void)
{
    static const char *const unclear[] = {
        "",
        "ok",
        "Hello",
        "the the",
        "12345 678 910",
        "Xi Jinping Vladimir Putin Moscow Beijing",
        "!!! ??? ... ---",
        "http://example.com/a/b/c?d=e",
        "日本",
    };
    for (size_t i = 0; i < sizeof unclear / sizeof *unclear; i++) {
        const char *got = nd_lang_detect(unclear[i], strlen(unclear[i]));
        CHECK(got == NULL);
        if (got) fprintf(stderr, "  \"%s\" -> %s\n", unclear[i], got);
    }
    CHECK(nd_lang_detect(NULL, 0) == NULL);
    /* Invalid UTF-8 and NUL bytes are harmless. */
    const char bad[] = "\xff\xfe\x80\x00\xc3 the and of \xe2\x82";
    (void) nd_lang_detect(bad, sizeof bad - 1);
}

/* Only the first 20 KB count; a long text is not read to the end. */
static void test_detect_long(void)
{
    nd_buf b = ND_BUF_INIT;
    while (b.len < 30000) nd_buf_puts(&b, samples[0].text), nd_buf_putc(&b, ' ');
    while (b.len < 200000) nd_buf_puts(&b, samples[1].text), nd_buf_putc(&b, ' ');
    CHECK_STR(nd_lang_detect(b.ptr, b.len), "en");
    nd_buf_free(&b);

    /* English with a few Chinese names stays English; Chinese with Latin
     * brand names stays Chinese; kana makes Japanese. */
    const char *mixed = "The president of 华为 said on Tuesday that the company would not "
                        "change its plans for the new phone, and that it was still selling well.";
    CHECK_STR(nd_lang_detect(mixed, strlen(mixed)), "en");
    const char *zh = "华为公司周二发布了新款 Mate 手机，并表示 Android 系统的更新将在下个月推出。";
    CHECK_STR(nd_lang_detect(zh, strlen(zh)), "zh");
}

static void test_stopwords(void)
{
    CHECK(nd_stopword("en", "the", 3));
    CHECK(nd_stopword(NULL, "the", 3));
    CHECK(nd_stopword("en", "because", 7));
    CHECK(!nd_stopword("en", "government", 10));
    CHECK(!nd_stopword("en", "The", 3)); /* the caller lowercases */
    CHECK(!nd_stopword("en", "", 0));
    CHECK(nd_stopword("en", "the cat", 3)); /* (ptr, len), no terminator needed */
    CHECK(!nd_stopword("en", "der", 3));
    CHECK(nd_stopword("de", "der", 3));
    CHECK(nd_stopword("de", "über", strlen("über")));
    CHECK(nd_stopword("de", "für", strlen("für")));
    CHECK(!nd_stopword("de", "regierung", 9));
    CHECK(nd_stopword("fr", "où", strlen("où")));
    CHECK(nd_stopword("fr", "très", strlen("très")));
    CHECK(nd_stopword("es", "también", strlen("también")));
    CHECK(nd_stopword("it", "perché", strlen("perché")));
    CHECK(nd_stopword("pt", "não", strlen("não")));
    CHECK(nd_stopword("pt-BR", "você", strlen("você")));
    CHECK(nd_stopword("nl", "zijn", 4));
    CHECK(nd_stopword("sv", "och", 3));
    CHECK(nd_stopword("da", "også", strlen("også")));
    CHECK(nd_stopword("no", "ikke", 4));
    CHECK(nd_stopword("nb", "ikke", 4));
    CHECK(nd_stopword("fi", "että", strlen("että")));
    CHECK(nd_stopword("pl", "się", strlen("się")));
    CHECK(nd_stopword("cs", "že", strlen("že")));
    CHECK(nd_stopword("ro", "și", strlen("și")));
    CHECK(nd_stopword("ro", "şi", strlen("şi"))); /* the older cedilla spelling */
    CHECK(nd_stopword("hu", "és", strlen("és")));
    CHECK(nd_stopword("tr", "için", strlen("için")));
    CHECK(nd_stopword("id", "yang", 4));
    CHECK(nd_stopword("ru", "что", strlen("что")));
    CHECK(nd_stopword("uk", "що", strlen("що")));
    CHECK(!nd_stopword("uk", "что", strlen("что")));
    CHECK(!nd_stopword("zh", "的", strlen("的")));
    CHECK(!nd_stopword("xx", "the", 3));
    CHECK(!nd_stopword("english", "the", 3));
    CHECK(!nd_stopword("", "the", 3));
    /* A word longer than any stop word. */
    char longw[200];
    memset(longw, 'a', sizeof longw);
    CHECK(!nd_stopword("en", longw, sizeof longw));
}

/* Every language with a list finds the words of its own list. */
static void test_stopword_lists_nonempty(void)
{
    static const char *const langs[] = {"en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "no",
                                        "fi", "pl", "cs", "ro", "hu", "tr", "id", "ru", "uk"};
    for (size_t i = 0; i < sizeof langs / sizeof *langs; i++) {
        const char *t = NULL;
        for (size_t k = 0; k < sizeof samples / sizeof *samples; k++)
            if (strcmp(samples[k].lang, langs[i]) == 0) t = samples[k].text;
        CHECK(t != NULL);
        if (!t) continue;
        /* At least three stop words in its sample sentence. */
        int hits = 0;
        const char *p = t;
        while (*p) {
            while (*p == ' ' || *p == ',' || *p == '.') p++;
            const char *e = p;
            while (*e && *e != ' ' && *e != ',' && *e != '.') e++;
            if (e > p && nd_stopword(langs[i], p, (size_t) (e - p))) hits++;
            p = e;
        }
        CHECK(hits >= 3);
        if (hits < 3) fprintf(stderr, "  %s: %d stop words in its sample\n", langs[i], hits);
    }
}

static void *worker(void *arg)
{
    int *fails = arg;
    for (int i = 0; i < 300; i++) {
        size_t k = (size_t) i % (sizeof samples / sizeof *samples);
        const char *got = nd_lang_detect(samples[k].text, strlen(samples[k].text));
        if (!got || strcmp(got, samples[k].lang) != 0) (*fails)++;
        if (!nd_stopword("en", "which", 5)) (*fails)++;
    }
    return NULL;
}

/* Run first, so that the table is built while threads race for it. */
static void test_threads(void)
{
    pthread_t th[4];
    int fails[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, worker, &fails[i]);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    CHECK_INT(fails[0] + fails[1] + fails[2] + fails[3], 0);
}

int main(void)
{
    RUN(test_threads);
    RUN(test_detect_samples);
    RUN(test_detect_short);
    RUN(test_detect_unclear);
    RUN(test_detect_long);
    RUN(test_stopwords);
    RUN(test_stopword_lists_nonempty);
    return tap_done();
}
