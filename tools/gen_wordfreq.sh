#!/usr/bin/env bash
# gen_wordfreq.sh BUILD_DIR [SHARED_DIR] - regenerate data/wordfreq/prior.bin,
# the story engine's word-rarity prior, from the wordfreq 3.2 lists in
# SHARED_DIR/data/wordfreq (CC BY-SA 4.0; credit: data/wordfreq/CREDITS.md).
#
# English: its 30,000 most frequent words (frequency down to about 1e-6: a
# word rarer than that is in fewer than 1 article in 2,000, which the
# engine's own counts soon tell), weighing 0.9 in the mix of languages (the
# engine reads English first: its stemmer, stop words and month names are
# English); de fr es it nl pl pt ru ar: their 3,000 most frequent words
# each (the function and everyday words of a text in that language, which
# the English stop-word list does not remove), sharing the other 0.1.
# Chinese is left out: the tokenizer reads a run of Han characters as one
# token, wordfreq's words are segmented.  BUILD_DIR/gen_wordfreq does the
# rest (tools/gen_wordfreq.c); the same lists give the same bytes.
set -euo pipefail
build=${1:?usage: gen_wordfreq.sh BUILD_DIR [SHARED_DIR]}
shared=${2:-../shared}
here=$(cd "$(dirname "$0")/.." && pwd)
src="$shared/data/wordfreq"
gen="$build/gen_wordfreq"
[ -x "$gen" ] || { echo "gen_wordfreq.sh: $gen not built (cmake --build $build --target gen_wordfreq)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args=()
for spec in en:30000:0.9 de:3000:0.0111 fr:3000:0.0111 es:3000:0.0111 it:3000:0.0111 \
    nl:3000:0.0111 pl:3000:0.0111 pt:3000:0.0111 ru:3000:0.0111 ar:3000:0.0111; do
    lang=${spec%%:*}
    xz -dc "$src/$lang.tsv.xz" >"$tmp/$lang.tsv"
    args+=("$tmp/$lang.tsv:${spec#*:}")
done
mkdir -p "$here/data/wordfreq"
"$gen" "$here/data/wordfreq/prior.bin" "${args[@]}"
