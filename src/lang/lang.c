/* lang.c - language identification and stop words.
 *
 * Stop words: for each language written with words in a Latin or Cyrillic
 * script, the most frequent function words, listed below (written for this
 * project).  All lists go into one open-addressing hash table, built once
 * with pthread_once, whose entries carry a bit mask of the languages a
 * word belongs to.  So nd_stopword() is one hash and usually one probe,
 * and detection scores every language with a single lookup per word.
 *
 * Detection: the script decides for Chinese, Japanese, Korean, Arabic,
 * Persian, Urdu, Hebrew, Greek, Thai, the Indic scripts and a few more.
 * For Latin and Cyrillic text, stop-word hits over the first 20 KB are
 * counted per language (each hit counts 1, plus 1/k when the word is shared
 * by k languages, so distinctive words weigh more) and only a clear winner
 * is an answer.
 */
#include "newsdesk/lang.h"

#include <pthread.h>
#include <string.h>
#include <utf8proc.h>

/* ---- the stop-word lists ------------------------------------------------- */

/* The languages with lists; the index is the bit in a word's mask. */
/* clang-format off */
enum {
    L_EN, L_DE, L_FR, L_ES, L_IT, L_PT, L_NL, L_SV, L_DA, L_NO, L_FI, L_PL, L_CS, L_RO,
    L_HU, L_TR, L_ID, L_RU, L_UK, L_COUNT
};
/* clang-format on */

/* clang-format off */
static const struct {
    const char *code;
    const char *words; /* lowercase UTF-8, separated by single spaces */
} lists[L_COUNT] = {
    [L_EN] = {"en",
     "a about above after again against all almost along also although always am among an "
     "and another any anyone anything are around as at away be because been before being "
     "below between both but by can cannot could did do does doing done down during each "
     "either else enough even ever every few for from further get got had has have having he "
     "her here hers herself him himself his how however i if in into is it its itself just "
     "least less like many may me might more most much must my myself neither never no nor "
     "not now of off often on once one only onto or other others our ours ourselves out over "
     "own per perhaps quite rather s same shall she should since so some such t than that "
     "the their theirs them themselves then there therefore these they this those though "
     "through thus to too toward towards under unless until up upon us very via was we well "
     "were what whatever when where whether which while who whom whose why will with within "
     "without would yet you your yours yourself yourselves"},
    [L_DE] = {"de",
     "ab aber alle allem allen aller alles als also am an ander andere anderen anderer "
     "anderes auch auf aus bei beide beiden beim bereits bin bis bisher bist da dabei dadurch "
     "daher damit danach dann darauf darin darum das dass dazu dem den denen denn dennoch der "
     "deren des deshalb dessen die dies diese diesem diesen dieser dieses doch dort du durch "
     "eben ein eine einem einen einer eines einige einigen einmal er es etwa etwas euch euer "
     "eure für ganz gar gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm "
     "ihn ihnen ihr ihre ihrem ihren ihrer ihres im immer in ins ist ja je jede jedem jeden "
     "jeder jedes jedoch jetzt kann kaum kein keine keinem keinen keiner können könnte man "
     "manche mehr mein meine meist mich mir mit muss musste müssen nach nachdem neben nicht "
     "nichts noch nun nur ob oder ohne schon sehr sei sein seine seinem seinen seiner seit "
     "selbst sich sie sind so sogar solche soll sollen sollte sondern sowie über um und uns "
     "unser unsere unter viel viele vom von vor während war waren warum was weil weiter "
     "welche welchem welchen welcher wenn wer werde werden wie wieder will wir wird wo wurde "
     "wurden würde zu zum zur zwar zwischen"},
    [L_FR] = {"fr",
     "à afin ai ainsi alors après as au aucun aucune auprès auquel aussi autant autre autres "
     "aux avaient avais avait avant avec avez avoir avons ayant c ça car ce ceci cela celle "
     "celles celui cependant certains ces cet cette ceux chacun chaque chez comme comment "
     "contre d dans de depuis des déjà donc dont du elle elles en encore entre es est et été "
     "étaient était être eu eux fait faire fois font fut il ils j jamais je jusqu jusque l "
     "la là laquelle le lequel les lesquels leur leurs lors lorsque lui m ma mais me même "
     "mes moi moins mon n ne ni nos notre nous on ont ou où par parce parmi pas pendant peu "
     "peut peuvent plus plusieurs pour pourquoi pourrait qu quand que quel quelle quelles "
     "quelque quelques quels qui quoi s sa sans se selon sera serait ses seulement si soit "
     "son sont sous souvent sur ta tandis te tel telle tels tes toi ton toujours tous tout "
     "toute toutes très tu un une vers voici voilà vos votre vous y"},
    [L_ES] = {"es",
     "a al algo alguna algunas alguno algunos ante antes aquel aquella aquellos aquí así aun "
     "aunque bajo bien cada casi como con contra cual cuales cuando cuya cuyo de del desde "
     "donde dos durante e el él ella ellas ello ellos en entre era eran eres es esa esas ese "
     "eso esos esta está estaba estaban estado estamos están estar estas este esto estos "
     "estoy fue fueron fuera ha había habían haber hace hacer han hasta hay he la las le les "
     "lo los más me mi mientras mis mismo mucho muchos muy nada ni no nos nosotros nuestra "
     "nuestro o otra otras otro otros para pero poco por porque pues puede pueden que qué "
     "quien quienes se sea según ser si sí sido siempre sin sino sobre solo son su sus tal "
     "también tan tanto te tenemos tener tiene tienen todas todo todos tras tu tú un una "
     "unas uno unos usted ustedes y ya yo"},
    [L_IT] = {"it",
     "a abbiamo agli ai al alla alle allo anche ancora avere aveva avevano c che chi ci come "
     "con contro così cosa cui da dagli dai dal dall dalla dalle dallo degli dei del dell "
     "della delle dello dentro di dopo dove e è ecco ed egli era erano essa essere esso fa "
     "fare fatto fino fra già gli ha hanno ho i il in io l la le lei li lo loro lui ma mai me "
     "meno mentre mi mio molto negli nei nel nell nella nelle nello no noi non nostra nostro "
     "o ogni oltre ora per perché però più poi prima proprio qual quale quali quando quanto "
     "quella quelle quelli quello questa queste questi questo qui se sei senza si sia siamo "
     "sono sopra sotto sta stata stati stato stesso su sua sue sui sul sull sulla sulle suo "
     "suoi tra tu tutta tutte tutti tutto un una uno vi voi"},
    [L_PT] = {"pt",
     "a à ainda ao aos apenas após aquela aquele aquilo as às até com como contra da das de "
     "dela dele deles depois desde do dos durante e é ela elas ele eles em entre era eram "
     "essa essas esse esses esta está estão estava este estes eu foi foram há isso isto já "
     "lhe lhes mais mas me mesmo meu minha muito muitos na nas nem no nos nós não num numa o "
     "onde os ou para pela pelas pelo pelos pode por porque pouco qual quando que quem se "
     "seja sem ser seu seus sido sob sobre sua suas são também tão te tem têm ter todas todo "
     "todos tu um uma umas uns vai você vocês"},
    [L_NL] = {"nl",
     "aan al alle alleen alles als altijd ander andere ben bij daar daarom dan dat de der "
     "deze die dit doch doen door dus een eens en er ge geen geweest haar had heb hebben "
     "heeft hem het hier hij hoe hun iemand iets ik in is ja je jij kan kon kunnen maar me "
     "meer men met mij mijn moet na naar nee niet niets nog nu of om omdat onder ons ook op "
     "over reeds sinds te tegen toch toen tot u uit uw van veel voor waar want waren was wat "
     "we wel werd wie wij wil worden wordt zal ze zelf zich zij zijn zo zoals zonder zou"},
    [L_SV] = {"sv",
     "alla allt att av blev bli blir de dem den denna deras dess det detta dig din dina ditt "
     "du där då efter ej eller en er era ett från för ha hade han hans har hela henne hennes "
     "hon honom hur här i icke ingen inom inte jag ju kan kunde man med mellan men mig min "
     "mina mitt mot mycket ni nu när någon något några och också om oss på samma sedan sig "
     "sin sina sitt själv skulle som så sådan till under upp ut utan vad var vara varför "
     "varit varje vars vem vi vid vilka vilken vilket vår våra vårt än är åt även över"},
    [L_DA] = {"da",
     "af alle andet andre at begge blev blive bliver da de dem den denne der deres det dette "
     "dig din dine disse dit efter eller en end er et for fordi fra fik før ham han hans har "
     "havde have hende hendes her hos hun hvad hvem hver hvilke hvis hvor hvorfor i ikke ind "
     "jeg jer jo kan kunne man mange med meget men mig min mine mit mod ned noget nogen "
     "nogle nu når og også om op os over på selv sig sin sine sit skal skulle som så sådan "
     "thi til ud under var vi vil ville vor vores være været"},
    [L_NO] = {"no",
     "alle andre at av bare begge ble bli blir blitt da de deg dei dem den denne der dere "
     "deres det dette din disse ditt du eller en enn er et etter for fordi fra før ham han "
     "hans har hadde hele hennes henne her hos hun hva hvem hver hvilke hvis hvor hvorfor i "
     "ikke inn jeg kan kunne man mange med meg men mellom mer min mine mitt mot mye ned noe "
     "noen nå når og også om opp oss over på samme seg selv sin sine sitt skal skulle som så "
     "til ut uten var vi vil ville vår være vært å"},
    [L_FI] = {"fi",
     "ei eivät eli emme en ennen et ette ettei että he heidän heidät heille heillä heitä "
     "hyvin hän häneen hänelle hänellä hänen hänet ilman itse ja jo joka jolla jolle jonka "
     "jopa jos jota joten jotka jotta juuri jälkeen kaikki kaksi kanssa koko koska kuin "
     "kuinka kuitenkin kuka kun kuten lisäksi me meidän meille mikä minua minun minut minä "
     "missä miten mitä mitään mukaan mutta muut myös ne niiden niin niitä noin nyt näin nämä "
     "ole olemme olen olet olette oli olisi olivat olla ollut oma on ovat paitsi se sekä sen "
     "siellä siihen siis siitä siksi silloin sillä sinua sinun sinä sitten sitä tai te tuo "
     "tähän tämä tämän tätä täällä vaan vai vaikka vain vielä voi voivat yhä yli"},
    [L_PL] = {"pl",
     "a aby albo ale bardzo bez bo bowiem by być był była było były będzie ci co czy czyli "
     "dla dlatego do gdy gdyż gdzie go i ich im ja jak jako jeden jednak jego jej jest "
     "jestem jeszcze jeśli jeżeli już ją kiedy kto która które którego której który których "
     "lub ma mają mi między mnie mogą może można mu my na nad nam nas nawet nic nich nie "
     "niej nim nimi niż o obok od około on ona one oni ono oraz pan pani po pod ponieważ "
     "potem przecież przed przez przy raz sam sama się sobie swoje swój są ta tak także tam "
     "te tego tej ten teraz też to tu ty tylko tym u w we według wiele więc wszyscy "
     "wszystkich wszystko wy z za zawsze ze został została zostały że żeby"},
    [L_CS] = {"cs",
     "a aby ale ani asi až bez bude budou by byl byla byli bylo být během co do ho i jak "
     "jako je jeho jejich její jen jenom jenž jestli ještě jiné již jsem jsi jsme jsou jste "
     "já k kam kde kdo kdy když ke kterou která které který kteří mají mezi mi mu my má mít "
     "může na nad ne nebo není než nic nich nám nás něco někdo o od on ona oni ono po pod "
     "podle pokud pouze pro proto protože před přes při s se si svou své svého svůj sám ta "
     "tady tak také tam tato tedy ten tento teď to toho tohoto tom tomto toto tu ty tyto "
     "této tím těch u už v ve vy vám vás však všechno všichni z za zda zde ze či že"},
    /* Romanian with both the comma-below (ș ț) and the older cedilla (ş ţ) letters. */
    [L_RO] = {"ro",
     "a acea aceasta această aceeaşi aceeași acel acest acesta aceste acestea acestor "
     "acestui acum ai al ale alt alte altă am ar are astfel asupra au avea aveau avem aveţi "
     "aveți aş aţi aș ați ca care ce cea cei cel cele celor chiar cine cu cum când cât căci "
     "către da dacă dar de deci decât deja despre din doar după ea ei el ele era erau este "
     "eu fi fie fiind foarte fost fără iar la le lor lui lângă mai mea meu mi mie mult ne "
     "nici nimic noastră noi nostru nu o or ori pe pentru prin până s sa sale sau se sine "
     "spre sub sunt să său toate tot tău un una unde unei unor unui va vor vreo vreun îi în "
     "încă însă între îşi își şi și"},
    [L_HU] = {"hu",
     "a abban ahhoz ahogy ahol aki akik akkor akár alatt alá amely amelyek amelyet amelynek "
     "ami amikor amit amíg annak arra arról attól az azok azon azonban azt azért be benne "
     "bár csak de ebben egy egyes egyik ehhez el első elég előtt ennek erre ettől ez ezek "
     "ezt ezért fel felé hanem hiszen hogy hol igen ilyen is itt jól kell kellett ki között "
     "közül le lehet lesz lett majd meg mellett mely mert mi minden mindig minket mint "
     "mintha mit mivel miért most már más még ne neki nekik nem nincs nélkül oda olyan ott "
     "pedig sem sok szerint számára talán te teljes több ugyanis után vagy vagyis vagyok "
     "valami van vannak vele viszont volna volt voltak voltam által én és így ön össze úgy "
     "újra ő ők"},
    [L_TR] = {"tr",
     "acaba ama ancak artık aynı ayrıca az bana bazen bazı başka belki ben beni benim beri "
     "bile bir biraz birlikte birçok biz bize bizi bizim bu buna bunda bundan bunlar bunu "
     "bunun burada böyle da daha dahi de değil diye diğer dolayı en eğer gibi göre hala "
     "hangi hatta hem hep hepsi her hiç hiçbir ile ise için işte kadar karşı kendi kez ki "
     "kim mi mu mü mı nasıl ne neden nerede niye o olacak olan olarak oldu olduğu olduğunu "
     "olmak olsa ona onlar onların onu onun pek sadece sanki sen siz sonra tabii tarafından "
     "tüm var ve veya ya yani yine yok zaten çok çünkü önce öyle üzere üzerine şey şimdi şu "
     "şöyle"},
    [L_ID] = {"id",
     "ada adalah agak agar akan aku anda antara apa apabila apakah atas atau bagaimana bagi "
     "bahkan bahwa banyak baru beberapa begitu belum berada bersama bisa boleh bukan cukup "
     "dalam dan dapat dari demikian dengan di dia dulu hal hampir hanya harus hingga ia "
     "ialah ini inilah itu itulah jadi jika juga justru kalau kami kamu karena ke kemudian "
     "kenapa kepada ketika kini kita lagi lain lalu lebih maka malah mana masih melalui "
     "menjadi menurut mereka mungkin namun nanti oleh pada paling para pula pun saat saja "
     "sama sambil sangat saya sebab sebagai sebelum secara sedang sedangkan sehingga sejak "
     "sekitar selalu sementara semua seperti sering serta setelah siapa sini situ sudah "
     "supaya tadi tak tanpa tapi telah tentang terhadap tersebut terus tidak untuk walaupun "
     "yaitu yakni yang"},
    [L_RU] = {"ru",
     "а без более бы был была были было быть будет в вам вас весь во вот все всего всех вы "
     "где да даже для до его ее её ей если есть еще ещё же за здесь и из или им их к как "
     "какой когда которая которые который которых кто ли либо между мне может мы на над нам "
     "нас не него нее неё нет ни них но ну о об однако он она они оно от очень по под после "
     "при про с себе себя сейчас свои своей со так также такой там теперь то того тоже "
     "только том тот у уже хотя чем что чтобы эта эти это этого этом этот я"},
    [L_UK] = {"uk",
     "а адже але ані без би бо був буде будуть була були було бути більш в вам вас ваш весь "
     "вже вона вони воно все всього всі всіх від він де для до дуже ж же з за зараз знову зі "
     "й його коли котрий лише мають має мені ми може можна між на над нам нас не нею неї ним "
     "ними них нього ні о однак ось по поки при про проте під після саме свого свою свої "
     "своїх себе собі та так такий таких також там те теж тепер ти тих то тобто того тому "
     "тут тільки у хоча це цей цих цього цьому ці через чи чому ще що щоб я як яка який яких "
     "якого якої якщо які є і із їй їх їхні її"},
};
/* clang-format on */

/* ---- the table ------------------------------------------------------------- */

#define TABLE_BITS 13
#define TABLE_SIZE (1u << TABLE_BITS)
#define MAX_WORD   32 /* bytes; no stop word is longer */

/* A slot: the word's hash (0 = empty) and its language mask; the word
 * itself (a pointer into the lists) is only read when the hash matches. */
static struct {
    uint32_t hash;
    uint32_t mask;
} table[TABLE_SIZE];
static const char *table_word[TABLE_SIZE];
static unsigned char table_len[TABLE_SIZE];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/* A multiplicative hash over eight bytes at a time; never 0 (0 marks an
 * empty slot).  Computed at run time on both sides, so byte order does
 * not matter. */
static uint32_t word_hash(const char *w, size_t n)
{
    uint64_t h = (uint64_t) n * 0x9E3779B97F4A7C15ULL, v;
    while (n >= 8) {
        memcpy(&v, w, 8);
        h = (h ^ v) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
        w += 8;
        n -= 8;
    }
    if (n) {
        /* The last 1..7 bytes, without a variable-length memcpy call. */
        v = 0;
        switch (n) {
        case 7: v |= (uint64_t) (unsigned char) w[6] << 48; /* fall through */
        case 6: v |= (uint64_t) (unsigned char) w[5] << 40; /* fall through */
        case 5: v |= (uint64_t) (unsigned char) w[4] << 32; /* fall through */
        case 4: v |= (uint64_t) (unsigned char) w[3] << 24; /* fall through */
        case 3: v |= (uint64_t) (unsigned char) w[2] << 16; /* fall through */
        case 2: v |= (uint64_t) (unsigned char) w[1] << 8;  /* fall through */
        default: v |= (uint64_t) (unsigned char) w[0];
        }
        h = (h ^ v) * 0xC4CEB9FE1A85EC53ULL;
    }
    h ^= h >> 29;
    uint32_t r = (uint32_t) (h ^ (h >> 32));
    return r ? r : 1;
}

static void table_build(void)
{
    /* Written zero before it is probed: a probe of a page still the
     * kernel's zero page, then the write after it, is a copy-on-write fault
     * that flushes the page on every core (base/alloc.h). */
    memset(table, 0, sizeof table);
    for (int l = 0; l < L_COUNT; l++) {
        const char *p = lists[l].words;
        while (*p) {
            const char *e = strchr(p, ' ');
            size_t n = e ? (size_t) (e - p) : strlen(p);
            uint32_t h = word_hash(p, n);
            size_t i = h & (TABLE_SIZE - 1);
            for (;;) {
                if (!table[i].hash) {
                    table[i].hash = h;
                    table[i].mask = 1u << l;
                    table_word[i] = p;
                    table_len[i] = (unsigned char) n;
                    break;
                }
                if (table[i].hash == h && table_len[i] == n && memcmp(table_word[i], p, n) == 0) {
                    table[i].mask |= 1u << l;
                    break;
                }
                i = (i + 1) & (TABLE_SIZE - 1);
            }
            p += n;
            if (*p == ' ') p++;
        }
    }
}

static uint32_t lookup(const char *w, size_t n, uint32_t h)
{
    size_t i = h & (TABLE_SIZE - 1);
    while (table[i].hash) {
        if (table[i].hash == h && table_len[i] == n && memcmp(table_word[i], w, n) == 0)
            return table[i].mask;
        i = (i + 1) & (TABLE_SIZE - 1);
    }
    return 0;
}

/* The language mask of a lowercase word; 0 when it is no stop word. */
static uint32_t word_mask(const char *w, size_t n)
{
    if (n == 0 || n > MAX_WORD) return 0;
    pthread_once(&table_once, table_build);
    return lookup(w, n, word_hash(w, n));
}

/* The list index of an ISO 639-1 code ("en", "pt-BR", "nb"); -1 when the
 * language has no list. */
static int lang_index(const char *lang)
{
    if (!lang) return L_EN;
    if (!lang[0] || !lang[1] || (lang[2] && lang[2] != '-' && lang[2] != '_')) return -1;
    int a = lang[0] | 32, b = lang[1] | 32;
    switch (a << 8 | b) {
    case 'e' << 8 | 'n': return L_EN;
    case 'd' << 8 | 'e': return L_DE;
    case 'f' << 8 | 'r': return L_FR;
    case 'e' << 8 | 's': return L_ES;
    case 'i' << 8 | 't': return L_IT;
    case 'p' << 8 | 't': return L_PT;
    case 'n' << 8 | 'l': return L_NL;
    case 's' << 8 | 'v': return L_SV;
    case 'd' << 8 | 'a': return L_DA;
    case 'n' << 8 | 'o': /* Norwegian, Bokmål, Nynorsk */
    case 'n' << 8 | 'b':
    case 'n' << 8 | 'n': return L_NO;
    case 'f' << 8 | 'i': return L_FI;
    case 'p' << 8 | 'l': return L_PL;
    case 'c' << 8 | 's': return L_CS;
    case 'r' << 8 | 'o': return L_RO;
    case 'h' << 8 | 'u': return L_HU;
    case 't' << 8 | 'r': return L_TR;
    case 'i' << 8 | 'd': return L_ID;
    case 'r' << 8 | 'u': return L_RU;
    case 'u' << 8 | 'k': return L_UK;
    default: return -1;
    }
}

int nd_stopword(const char *lang, const char *word, size_t len)
{
    int l = lang_index(lang);
    if (l < 0 || !word) return 0;
    return (word_mask(word, len) >> l) & 1;
}

/* ---- detection ------------------------------------------------------------- */

#define DETECT_BYTES 20480

/* Scripts decided by their letters alone. */
/* clang-format off */
enum {
    S_LATIN, S_CYRILLIC, S_HAN, S_KANA, S_HANGUL, S_ARABIC, S_HEBREW, S_GREEK, S_THAI,
    S_DEVANAGARI, S_BENGALI, S_GURMUKHI, S_GUJARATI, S_TAMIL, S_TELUGU, S_KANNADA,
    S_MALAYALAM, S_SINHALA, S_GEORGIAN, S_ARMENIAN, S_ETHIOPIC, S_KHMER, S_LAO, S_MYANMAR,
    S_COUNT
};
/* clang-format on */

/* clang-format off */
static const struct {
    int32_t lo, hi;
    int script;
} ranges[] = {
    {0x00C0, 0x024F, S_LATIN},    {0x0370, 0x03FF, S_GREEK},     {0x0400, 0x052F, S_CYRILLIC},
    {0x0531, 0x058F, S_ARMENIAN}, {0x0590, 0x05FF, S_HEBREW},    {0x0600, 0x06FF, S_ARABIC},
    {0x0750, 0x077F, S_ARABIC},   {0x0900, 0x097F, S_DEVANAGARI}, {0x0980, 0x09FF, S_BENGALI},
    {0x0A00, 0x0A7F, S_GURMUKHI}, {0x0A80, 0x0AFF, S_GUJARATI},  {0x0B80, 0x0BFF, S_TAMIL},
    {0x0C00, 0x0C7F, S_TELUGU},   {0x0C80, 0x0CFF, S_KANNADA},   {0x0D00, 0x0D7F, S_MALAYALAM},
    {0x0D80, 0x0DFF, S_SINHALA},  {0x0E00, 0x0E7F, S_THAI},      {0x0E80, 0x0EFF, S_LAO},
    {0x1000, 0x109F, S_MYANMAR},  {0x10A0, 0x10FF, S_GEORGIAN},  {0x1100, 0x11FF, S_HANGUL},
    {0x1200, 0x139F, S_ETHIOPIC}, {0x1780, 0x17FF, S_KHMER},     {0x1E00, 0x1EFF, S_LATIN},
    {0x1F00, 0x1FFF, S_GREEK},    {0x3040, 0x30FF, S_KANA},      {0x3130, 0x318F, S_HANGUL},
    {0x31F0, 0x31FF, S_KANA},     {0x3400, 0x4DBF, S_HAN},       {0x4E00, 0x9FFF, S_HAN},
    {0xAC00, 0xD7AF, S_HANGUL},   {0xF900, 0xFAFF, S_HAN},       {0xFB1D, 0xFB4F, S_HEBREW},
    {0xFB50, 0xFDFF, S_ARABIC},   {0xFE70, 0xFEFF, S_ARABIC},    {0xFF66, 0xFF9F, S_KANA},
    {0x20000, 0x2FA1F, S_HAN}};
/* clang-format on */

/* The language a script names by itself (NULL for Latin and Cyrillic,
 * which need words, and for Han/kana/Arabic, decided apart). */
static const char *const script_lang[S_COUNT] = {
    [S_HEBREW] = "he",   [S_GREEK] = "el",    [S_THAI] = "th",      [S_DEVANAGARI] = "hi",
    [S_BENGALI] = "bn",  [S_GURMUKHI] = "pa", [S_GUJARATI] = "gu",  [S_TAMIL] = "ta",
    [S_TELUGU] = "te",   [S_KANNADA] = "kn",  [S_MALAYALAM] = "ml", [S_SINHALA] = "si",
    [S_GEORGIAN] = "ka", [S_ARMENIAN] = "hy", [S_ETHIOPIC] = "am",  [S_KHMER] = "km",
    [S_LAO] = "lo",      [S_MYANMAR] = "my",  [S_HANGUL] = "ko"};

static int script_of(int32_t cp)
{
    if (cp < 0x80) return ((cp | 32) >= 'a' && (cp | 32) <= 'z') ? S_LATIN : -1;
    if (cp < 0xC0) return -1;
    size_t lo = 0, hi = sizeof ranges / sizeof *ranges;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < ranges[mid].lo)
            hi = mid;
        else if (cp > ranges[mid].hi)
            lo = mid + 1;
        else
            return ranges[mid].script;
    }
    return -1;
}

/* Decode one code point; invalid bytes count as one unknown code point. */
static size_t next_cp(const unsigned char *p, size_t n, int32_t *cp)
{
    unsigned c = p[0];
    if (c < 0x80) return *cp = (int32_t) c, 1;
    size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (k == 1 || k > n) return *cp = 0xFFFD, 1;
    int32_t v = (int32_t) (c & (0x7F >> k));
    for (size_t i = 1; i < k; i++) {
        if ((p[i] & 0xC0) != 0x80) return *cp = 0xFFFD, 1;
        v = (v << 6) | (p[i] & 0x3F);
    }
    *cp = v;
    return k;
}

/* Letters that tell the Arabic-script languages apart. */
static int persian_letter(int32_t cp)
{
    return cp == 0x067E || cp == 0x0686 || cp == 0x0698 || cp == 0x06AF || cp == 0x06A9 ||
           cp == 0x06CC;
}

static int arabic_letter(int32_t cp)
{
    return cp == 0x0629 || cp == 0x064A || cp == 0x0643 || cp == 0x0649;
}

/* Letters only Ukrainian (і ї є ґ) or only Russian (ы э ъ ё) uses. */
static int ukrainian_letter(int32_t cp)
{
    return cp == 0x0456 || cp == 0x0457 || cp == 0x0454 || cp == 0x0491 || cp == 0x0406 ||
           cp == 0x0407 || cp == 0x0404 || cp == 0x0490;
}

static int russian_letter(int32_t cp)
{
    return cp == 0x044B || cp == 0x044D || cp == 0x044A || cp == 0x0451 || cp == 0x042B ||
           cp == 0x042D || cp == 0x0401;
}

static int urdu_letter(int32_t cp)
{
    return cp == 0x0679 || cp == 0x0688 || cp == 0x0691 || cp == 0x06BA || cp == 0x06C1 ||
           cp == 0x06D2;
}

typedef struct scan {
    size_t script[S_COUNT];
    size_t persian, arabic, urdu;
    size_t ukrainian, russian;
    size_t words; /* Latin or Cyrillic words */
    /* Per language: score (a hit gives 60, plus 60 shared among the
     * languages of the word, so distinctive words weigh more); hits and
     * distinct hits, in halves (a one-letter word is half a hit). */
    unsigned score[L_COUNT], hits2[L_COUNT], distinct2[L_COUNT];
    uint64_t seen[16]; /* hashes of the stop words met, as a 1024-bit filter */
} scan;

/* Look a finished word up and add its evidence.  One-letter words ("a",
 * "i", "d", "в") are frequent and shared, so they count for less. */
static void add_word(scan *sc, const char *w, size_t n)
{
    sc->words++;
    uint32_t h = word_hash(w, n), m = lookup(w, n, h);
    if (!m) return;
    unsigned k = 0;
    for (uint32_t b = m; b; b &= b - 1) k++;
    int one = n == 1 || (n == 2 && (unsigned char) w[0] >= 0xC0);
    int fresh = !(sc->seen[(h >> 6) & 15] >> (h & 63) & 1);
    sc->seen[(h >> 6) & 15] |= (uint64_t) 1 << (h & 63);
    for (int l = 0; l < L_COUNT; l++)
        if (m >> l & 1) {
            sc->score[l] += one ? 20 + 20 / k : 60 + 60 / k;
            sc->hits2[l] += one ? 1 : 2;
            if (fresh) sc->distinct2[l] += one ? 1 : 2;
        }
}

/* Whether the white-space-delimited chunk p[0..n) is a URL, an e-mail
 * address, a file name, an abbreviation with dots or a number: its
 * letters ("com", "e", "u", "s") are no words of the text. */
static int not_prose(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned c = p[i];
        if (c == '/' || c == '@' || c == '=' || c == '_' || c == '\\') return 1;
        if (c == '.' && i > 0 && i + 1 < n && p[i + 1] > ' ' && p[i + 1] != '"' &&
            p[i + 1] != ')' && (p[i - 1] & 0x80) == 0 && p[i - 1] != '.')
            return 1;
    }
    return 0;
}

/* Lowercase a letter of a word-based script: the common cases inline,
 * the rest by utf8proc. */
static int32_t fold(int32_t cp)
{
    if (cp < 0x80) return cp | 32;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
    if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
    if ((cp >= 0xDF && cp <= 0xFF) || (cp >= 0x430 && cp <= 0x45F)) return cp;
    return utf8proc_tolower(cp);
}

static size_t put_utf8(char *w, int32_t c)
{
    if (c < 0x80) {
        w[0] = (char) c;
        return 1;
    }
    if (c < 0x800) {
        w[0] = (char) (0xC0 | (c >> 6));
        w[1] = (char) (0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        w[0] = (char) (0xE0 | (c >> 12));
        w[1] = (char) (0x80 | ((c >> 6) & 0x3F));
        w[2] = (char) (0x80 | (c & 0x3F));
        return 3;
    }
    w[0] = (char) (0xF0 | (c >> 18));
    w[1] = (char) (0x80 | ((c >> 12) & 0x3F));
    w[2] = (char) (0x80 | ((c >> 6) & 0x3F));
    w[3] = (char) (0x80 | (c & 0x3F));
    return 4;
}

static void scan_text(scan *sc, const unsigned char *p, size_t n)
{
    char w[MAX_WORD + 8];
    size_t wl = 0, chunk_end = 0;
    int skip = 0;
    for (size_t i = 0; i < n;) {
        if (i >= chunk_end) {
            size_t e = i;
            while (e < n && p[e] > ' ') e++;
            chunk_end = e > i ? e : i + 1;
            skip = not_prose(p + i, chunk_end - i);
        }
        int32_t cp;
        int s;
        if (p[i] < 0x80) {
            cp = p[i++];
            s = ((cp | 32) >= 'a' && (cp | 32) <= 'z') ? S_LATIN : -1;
        } else {
            i += next_cp(p + i, n - i, &cp);
            s = script_of(cp);
        }
        if (s >= 0) sc->script[s]++;
        if (s == S_ARABIC) {
            sc->persian += persian_letter(cp);
            sc->arabic += arabic_letter(cp);
            sc->urdu += urdu_letter(cp);
        } else if (s == S_CYRILLIC) {
            sc->ukrainian += ukrainian_letter(cp);
            sc->russian += russian_letter(cp);
        }
        /* A letter, or a combining accent on one.  Words longer than any
         * stop word are cut (and then match nothing). */
        if (s == S_LATIN || s == S_CYRILLIC || (cp >= 0x300 && cp < 0x370)) {
            if (wl <= MAX_WORD) wl += put_utf8(w + wl, fold(cp));
            if (i < chunk_end) continue;
        }
        if (wl && wl <= MAX_WORD && !skip) add_word(sc, w, wl);
        wl = 0;
    }
    if (wl && wl <= MAX_WORD && !skip) add_word(sc, w, wl);
}

const char *nd_lang_detect(const char *text, size_t len)
{
    if (!text || !len) return NULL;
    size_t n = len;
    if (n > DETECT_BYTES) {
        n = DETECT_BYTES;
        while (n < len && (text[n] & 0xC0) == 0x80) n++; /* end on a character */
    }
    scan sc;
    memset(&sc, 0, sizeof sc);
    pthread_once(&table_once, table_build);
    scan_text(&sc, (const unsigned char *) text, n);

    /* The dominant script; a Han, kana or Hangul character is about a word,
     * so it weighs as much as several letters. */
    size_t best = 0, cjk = sc.script[S_HAN] + sc.script[S_KANA];
    int s_best = -1;
    for (int s = 0; s < S_COUNT; s++) {
        size_t v = sc.script[s] * (s == S_HAN || s == S_KANA || s == S_HANGUL ? 3 : 1);
        if (s == S_HAN) v = cjk * 3;
        if (s == S_KANA) continue;
        if (v > best) best = v, s_best = s;
    }
    if (s_best < 0 || best < 12) return NULL;
    if (s_best == S_HAN)
        return sc.script[S_KANA] * 20 >= cjk && sc.script[S_KANA] >= 2 ? "ja" : "zh";
    if (s_best == S_ARABIC) {
        if (sc.urdu * 20 > sc.script[S_ARABIC] && sc.urdu > sc.arabic) return "ur";
        return sc.persian > sc.arabic ? "fa" : "ar";
    }
    if (script_lang[s_best]) return script_lang[s_best];

    /* Latin or Cyrillic: the stop words decide, among the languages of
     * that script. */
    int lo = s_best == S_CYRILLIC ? L_RU : 0, hi = s_best == S_CYRILLIC ? L_COUNT : L_RU;
    if (s_best == S_CYRILLIC) {
        /* The letters of one alphabet only weigh a tenth of a word each. */
        sc.score[L_UK] += (unsigned) sc.ukrainian * 6;
        sc.score[L_RU] += (unsigned) sc.russian * 6;
    }
    int top = -1, second = -1;
    for (int l = lo; l < hi; l++) {
        if (top < 0 || sc.score[l] > sc.score[top])
            second = top, top = l;
        else if (second < 0 || sc.score[l] > sc.score[second])
            second = l;
    }
    if (top < 0 || sc.words < 3) return NULL;
    /* At least two different stop words, enough of the text (function
     * words are a third of running text in most of these languages, less
     * in Finnish, Hungarian and Turkish), and a clear margin over the
     * runner-up: 15 %, or at least one word of its own when the two share
     * almost everything (Danish and Norwegian). */
    if (sc.distinct2[top] < 4 || sc.hits2[top] * 6 < sc.words) return NULL;
    if (second >= 0 && sc.score[top] * 20 < sc.score[second] * 23 &&
        (sc.score[top] < sc.score[second] + 40 || sc.score[top] * 25 < sc.score[second] * 26))
        return NULL;
    return lists[top].code;
}
