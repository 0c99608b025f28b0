#!/usr/bin/env bash
# eval_parse.sh - the tagger and parser (`newsdesk parse`) on UD English EWT
# (SHARED/data/ud-english-ewt), scored with the CoNLL 2018 measures by
# tools/eval_parse.py (UPOS, UAS, LAS on universal relations; words aligned
# by characters).
#
#   tools/eval_parse.sh BUILD_DIR SHARED_DIR
#
# For test and dev:
#   gold tokens: `newsdesk parse --input conllu` on the gold words;
#   raw text:    each document's text rebuilt from its "# text" lines (a
#                blank line between paragraphs) and parsed from scratch with
#                the project's sentence splitter and tokenizer.
# Each table has the whole set and its five genres (the "# newdoc id"
# prefixes) with their mean and worst.  Exits 1 when EWT test on gold
# tokens is below the floors of issue 9: UPOS >= 94.5, UAS >= 86, LAS >= 83.
# Exits 77 (skipped) when the treebank is absent.
set -uo pipefail
build=${1:?usage: eval_parse.sh BUILD_DIR SHARED_DIR}
shared=${2:?usage: eval_parse.sh BUILD_DIR SHARED_DIR}
here=$(cd "$(dirname "$0")" && pwd)
cli="$build/newsdesk"
ewt="$shared/data/ud-english-ewt"
if [ ! -f "$ewt/test.conllu.xz" ] || [ ! -f "$ewt/dev.conllu.xz" ]; then
    echo "eval_parse: skipped: $ewt not found" >&2
    exit 77
fi
command -v python3 >/dev/null || { echo "eval_parse: skipped: python3 not found" >&2; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
FLOOR_UPOS=94.5 FLOOR_UAS=86 FLOOR_LAS=83

# The model the CLI uses: the one in NEWSDESK_DATA_DIR, else the compiled-in
# data/parse/en_ewt.ndpm.  Its META "data" line says what it was trained on
# (tools/make_model.sh); when that includes dev, the dev rows are figures
# on training data, not held-out ones, and are labelled so.
model="${NEWSDESK_DATA_DIR:-}/parse/en_ewt.ndpm"
[ -n "${NEWSDESK_DATA_DIR:-}" ] && [ -f "$model" ] || model="$here/../data/parse/en_ewt.ndpm"
dev_note=""
if python3 - "$model" <<'EOF'
import sys
b = open(sys.argv[1], 'rb').read(1 << 16)
i = b.find(b'\ndata\t')
sys.exit(0 if i >= 0 and b'dev' in b[i + 6:b.find(b'\n', i + 6)] else 1)
EOF
then
    dev_note=" [dev is in this model's training data: not held out]"
fi

for set in test dev; do
    xz -dc "$ewt/$set.conllu.xz" >"$tmp/$set.conllu"
    # gold tokens
    start=$(date +%s.%N)
    if ! "$cli" parse --input conllu "$tmp/$set.conllu" >"$tmp/$set.gold-tok.conllu"; then
        echo "eval_parse: newsdesk parse failed on $set" >&2
        status=1
        continue
    fi
    end=$(date +%s.%N)
    # raw text: one file per document
    mkdir -p "$tmp/$set.docs"
    python3 - "$tmp/$set.conllu" "$tmp/$set.docs" <<'EOF'
import sys
gold, out = sys.argv[1], sys.argv[2]
docs, cur, par = [], None, []
for line in open(gold, encoding='utf-8'):
    line = line.rstrip('\n')
    if line.startswith('# newdoc'):
        cur = []
        docs.append(cur)
    elif line.startswith('# newpar') and cur is not None:
        cur.append(None)
    elif line.startswith('# text = ') and cur is not None:
        cur.append(line[9:])
for i, d in enumerate(docs):
    text, sep = '', ''
    for s in d:
        if s is None:
            sep = '\n\n' if text else ''
            continue
        text += sep + s
        sep = ' '
    with open('%s/%04d.txt' % (out, i), 'w', encoding='utf-8') as f:
        f.write(text + '\n')
EOF
    "$cli" parse "$tmp/$set.docs"/*.txt >"$tmp/$set.raw.conllu" || status=1
    for mode in gold-tok raw; do
        python3 "$here/eval_parse.py" "$tmp/$set.conllu" "$tmp/$set.$mode.conllu" --slices --json \
            >"$tmp/$set.$mode.json" || status=1
    done
    note=""
    [ "$set" = dev ] && note=$dev_note
    python3 - "$set" "$tmp/$set.gold-tok.json" "$tmp/$set.raw.json" "$start" "$end" "$note" <<'EOF'
import json, sys
name, gold, raw = sys.argv[1], sys.argv[2], sys.argv[3]
name += sys.argv[6]
secs = float(sys.argv[5]) - float(sys.argv[4])
print('== EWT %s: gold tokens (newsdesk parse --input conllu, %.1f s wall with start-up)' % (name, secs))
for mode, path in (('gold tokens', gold), ('raw text', raw)):
    r = json.load(open(path))
    if mode == 'raw text':
        print('== EWT %s: from raw text (sentences and words by newsdesk; CoNLL 2018 F1)' % name)
    cols = ['Tokens', 'Sentences', 'Words', 'UPOS', 'UAS', 'LAS'] if mode == 'raw text' else ['UPOS', 'UAS', 'LAS']
    print('%-12s %7s ' % ('slice', 'words') + ' '.join('%9s' % c for c in cols))
    slices = [k for k in r if k != 'all']
    for k in ['all'] + slices:
        print('%-12s %7d ' % (k, r[k]['gold_words']) + ' '.join('%9.2f' % r[k][c] for c in cols))
    for label, f in (('mean', lambda c: sum(r[k][c] for k in slices) / len(slices)),
                     ('worst', lambda c: min(r[k][c] for k in slices))):
        print('%-12s %7s ' % (label + ' (5)', '') + ' '.join('%9.2f' % f(c) for c in cols))
EOF
    echo
done

# The floors, on test with gold tokens.
python3 - "$tmp/test.gold-tok.json" "$FLOOR_UPOS" "$FLOOR_UAS" "$FLOOR_LAS" <<'EOF' || status=1
import json, sys
r = json.load(open(sys.argv[1]))['all']
floors = {'UPOS': float(sys.argv[2]), 'UAS': float(sys.argv[3]), 'LAS': float(sys.argv[4])}
bad = [m for m in floors if r[m] < floors[m]]
print('EWT test, gold tokens: ' + ', '.join('%s %.2f (floor %g)' % (m, r[m], floors[m]) for m in floors))
if bad:
    print('eval_parse: below the floor: ' + ', '.join(bad))
    sys.exit(1)
EOF
exit $status
