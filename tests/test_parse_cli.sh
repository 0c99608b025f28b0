#!/usr/bin/env bash
# test_parse_cli.sh - `newsdesk parse`: text and CoNLL-U input, CoNLL-U and
# JSON output, the text rebuilt from SpaceAfter, one-line errors that do
# not stop a batch.  Fixtures: tests/data/parse.
#   bash test_parse_cli.sh CLI SHARED_DIR TESTS_DIR
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
D=$3/data/parse
command -v python3 >/dev/null || { echo "skip: python3 is missing"; exit 77; }
T=$(mktemp -d /tmp/nd_parse_cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; fail=1; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
py() { local code=$1; shift; python3 -c "import json, sys
$code" "$@"; }

# text -> CoNLL-U
"$CLI" parse "$D/text.txt" >"$T/t.conllu" 2>"$T/t.err"
check "text: exit 0, nothing on stderr" '[ $? = 0 ] && [ ! -s "$T/t.err" ]'
check "text: 3 sentences with sent_id and text, 10 columns, one root each" 'py "
sents = open(sys.argv[1]).read().strip().split(chr(10) * 2)
assert sents[0].startswith(\"# newdoc id = \"), sents[0][:40]
assert len(sents) == 3, len(sents)
for s in sents:
    lines = s.split(chr(10))
    assert any(l.startswith(\"# sent_id = \") for l in lines)
    assert any(l.startswith(\"# text = \") for l in lines)
    rows = [l.split(chr(9)) for l in lines if not l.startswith(\"#\")]
    assert all(len(r) == 10 for r in rows)
    assert [r[0] for r in rows] == [str(i + 1) for i in range(len(rows))]
    assert sum(r[6] == \"0\" for r in rows) == 1
    assert all(0 <= int(r[6]) <= len(rows) for r in rows)
" "$T/t.conllu"'
check "text: words rebuild each sentence's text (SpaceAfter=No)" 'py "
for s in open(sys.argv[1]).read().strip().split(chr(10) * 2):
    lines = s.split(chr(10))
    text = [l[9:] for l in lines if l.startswith(\"# text = \")][0]
    rows = [l.split(chr(9)) for l in lines if not l.startswith(\"#\")]
    out = \"\".join(r[1] + (\"\" if \"SpaceAfter=No\" in r[9] else \" \") for r in rows).strip()
    assert out == text, (out, text)
" "$T/t.conllu"'
check "text: did n't split, lemma of said" 'grep -q "	did	do	AUX" "$T/t.conllu" && grep -q "	n'"'"'t	not	PART" "$T/t.conllu" && grep -q "	said	say	VERB" "$T/t.conllu"'

# stdin and JSON
printf "They were killed by soldiers.\n" | "$CLI" parse --format json - >"$T/j.jsonl"
check "json: one object a sentence with offsets" 'py "
objs = [json.loads(l) for l in open(sys.argv[1])]
assert len(objs) == 1
w = objs[0][\"words\"]
assert [x[\"form\"] for x in w] == [\"They\", \"were\", \"killed\", \"by\", \"soldiers\", \".\"]
assert w[2][\"head\"] == 0 and w[2][\"deprel\"] == \"root\" and w[2][\"lemma\"] == \"kill\"
assert w[0][\"deprel\"] == \"nsubj:pass\" and w[0][\"head\"] == 3
assert (w[4][\"start\"], w[4][\"end\"]) == (20, 28)
" "$T/j.jsonl"'

# CoNLL-U in: sentences, words and other columns kept
"$CLI" parse --input conllu "$D/sample.conllu" >"$T/c.conllu"
check "conllu: exit 0" '[ $? = 0 ]'
check "conllu: same lines, comments, FORM, XPOS, FEATS and MISC kept" 'py "
a = [l.rstrip(chr(10)) for l in open(sys.argv[1])]
b = [l.rstrip(chr(10)) for l in open(sys.argv[2])]
assert len(a) == len(b), (len(a), len(b))
for x, y in zip(a, b):
    if x.startswith(\"#\") or not x:
        assert x == y, (x, y)
        continue
    x, y = x.split(chr(9)), y.split(chr(9))
    for c in (0, 1, 4, 5, 8, 9):
        assert x[c] == y[c], (c, x, y)
    assert y[3] in (\"NOUN\", \"VERB\", \"ADV\", \"PUNCT\", \"AUX\", \"PART\")
" "$D/sample.conllu" "$T/c.conllu"'

# errors: one line naming the input, the batch goes on
"$CLI" parse --input conllu "$D/malformed.conllu" /nonexistent.conllu "$D/sample.conllu" >"$T/e.out" 2>"$T/e.err"
rc=$?
check "errors: exit 1" '[ $rc = 1 ]'
check "errors: the malformed sentence named by file and line" 'grep -q "^newsdesk: .*malformed.conllu: line 5: fewer than 10 columns$" "$T/e.err"'
check "errors: the missing file named" 'grep -q "^newsdesk: /nonexistent.conllu: no such file$" "$T/e.err"'
check "errors: two lines on stderr" '[ $(wc -l <"$T/e.err") = 2 ]'
check "errors: the good sentences are still parsed" '[ $(grep -c "^# sent_id" "$T/e.out") = 4 ]'
"$CLI" parse --format xml "$D/text.txt" >/dev/null 2>"$T/u.err"
check "usage: unknown format exits 2" '[ $? = 2 ] && grep -q "unknown format" "$T/u.err"'
"$CLI" parse --help | grep -q "usage: newsdesk parse"
check "--help" '[ $? = 0 ]'
NEWSDESK_DATA_DIR=/nonexistent "$CLI" parse "$D/text.txt" >/dev/null 2>"$T/m.err"
check "a missing model is one line and exit 2" '[ $? = 2 ] && [ $(wc -l <"$T/m.err") = 1 ]'

[ $fail = 0 ] && echo "all passed" || echo "FAILED"
exit $fail
