#!/usr/bin/env bash
# test_train_parser.sh - tools/train_parser on a tiny treebank written for
# this test (tests/data/parse/train_tiny.conllu): the same data and options
# give the same bytes, --mix N averages N models trained with different
# seeds (so it differs from one model and from another seed), --data-name
# goes into META's "data" line, --beam K trains with a beam (deterministic
# too, META's "beam" line), --label-outer adds the labeller's templates
# 26-28 (a different model), and the models load and parse through the CLI
# (NEWSDESK_DATA_DIR).
#   bash test_train_parser.sh CLI SHARED_DIR TESTS_DIR
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TRAIN=$(dirname "$CLI")/train_parser
D=$3/data/parse
[ -x "$TRAIN" ] || { echo "skip: $TRAIN not built"; exit 77; }
T=$(mktemp -d /tmp/nd_train_parser.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; fail=1; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
# The trainer frees little before it exits: no leak report under ASan.
train() {
    local out=$1
    shift
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 "$TRAIN" --train "$D/train_tiny.conllu" --out "$out" --quiet --coarse --tag-epochs 3 \
        --parse-epochs 3 --folds 2 "$@" 2>>"$T/log"
}

train "$T/one.ndpm"
check "one model: exit 0" '[ $? = 0 ]'
train "$T/mix_a.ndpm" --mix 3 --data-name "tiny train+dev"
check "mix 3: exit 0" '[ $? = 0 ]'
train "$T/mix_b.ndpm" --mix 3 --data-name "tiny train+dev"
check "mix 3 twice: the same bytes" 'cmp -s "$T/mix_a.ndpm" "$T/mix_b.ndpm"'
train "$T/mix_s.ndpm" --mix 3 --seed 7 --data-name "tiny train+dev"
check "mix 3: differs from one model and from another seed" \
    '! cmp -s "$T/one.ndpm" "$T/mix_a.ndpm" && ! cmp -s "$T/mix_a.ndpm" "$T/mix_s.ndpm"'
check "data name in META, none without --data-name" \
    'grep -aqxF "$(printf "data\ttiny train+dev")" "$T/mix_a.ndpm" && ! grep -aq "^$(printf "data\t")" "$T/one.ndpm"'
train "$T/bad.ndpm" --mix 0
check "mix 0: a usage error" '[ $? = 2 ] && [ ! -e "$T/bad.ndpm" ]'
train "$T/beam_a.ndpm" --beam 3
check "beam 3: exit 0" '[ $? = 0 ]'
train "$T/beam_b.ndpm" --beam 3
check "beam 3 twice: the same bytes, not the greedy model's" \
    'cmp -s "$T/beam_a.ndpm" "$T/beam_b.ndpm" && ! cmp -s "$T/one.ndpm" "$T/beam_a.ndpm"'
check "beam width in META, none without --beam" \
    'grep -aqxF "$(printf "beam\t3")" "$T/beam_a.ndpm" && ! grep -aq "^$(printf "beam\t")" "$T/one.ndpm"'
train "$T/bad.ndpm" --beam 65
check "beam 65: a usage error" '[ $? = 2 ] && [ ! -e "$T/bad.ndpm" ]'
train "$T/outer_a.ndpm" --label-outer
train "$T/outer_b.ndpm" --label-outer
check "label-outer: the labeller's outer-children features, deterministic, not the default model" \
    'cmp -s "$T/outer_a.ndpm" "$T/outer_b.ndpm" && ! cmp -s "$T/one.ndpm" "$T/outer_a.ndpm"'
for m in one mix_a beam_a outer_a; do
    mkdir -p "$T/$m/parse"
    cp "$T/$m.ndpm" "$T/$m/parse/en_ewt.ndpm"
    NEWSDESK_DATA_DIR="$T/$m" "$CLI" parse --input conllu "$D/train_tiny.conllu" >"$T/$m.out" 2>"$T/$m.err"
    check "$m: loads and parses, one root a sentence" \
        '[ $? = 0 ] && [ "$(awk -F"\t" "\$7 == \"0\"" "$T/$m.out" | wc -l)" = 8 ]'
done
[ $fail = 0 ] || cat "$T/log"
exit $fail
