#!/usr/bin/env bash
# make_model.sh BUILD SHARED [OUT] - retrain the parser model from UD
# English EWT (SHARED/data/ud-english-ewt) with BUILD/train_parser and write
# OUT (default data/parse/en_ewt.ndpm).  Deterministic: the same data gives
# the same bytes.  Prints the trainer's dev figures and the CPU time.
set -euo pipefail
build=${1:-build}
shared=${2:-../shared}
here=$(cd "$(dirname "$0")" && pwd)
out=${3:-$here/../data/parse/en_ewt.ndpm}
ewt="$shared/data/ud-english-ewt"
if [ ! -f "$ewt/train.conllu.xz" ]; then
    echo "make_model: $ewt/train.conllu.xz not found" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xz -dc "$ewt/train.conllu.xz" >"$tmp/train.conllu"
xz -dc "$ewt/dev.conllu.xz" >"$tmp/dev.conllu"
"$build/train_parser" --train "$tmp/train.conllu" --dev "$tmp/dev.conllu" --out "$tmp/model.ndpm" \
    --quiet --coarse --tag-epochs 8 --parse-epochs 12 --folds 10 --prune-tag 0.015 --prune-parse 0.015
mkdir -p "$(dirname "$out")"
mv "$tmp/model.ndpm" "$out"
echo "make_model: wrote $out ($(stat -c %s "$out") bytes, sha256 $(sha256sum "$out" | cut -c1-16))"
