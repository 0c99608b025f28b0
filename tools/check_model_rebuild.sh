#!/usr/bin/env bash
# check_model_rebuild.sh - `make model` with its defaults (EWT train, one
# model, no optional features) must rebuild the shipped
# data/parse/en_ewt.ndpm byte for byte: a change to the features or the
# trainer that would make the shipped model unreproducible fails here.
#   tools/check_model_rebuild.sh BUILD_DIR SHARED_DIR
# Exits 77 (skipped) when the treebank or the trainer is absent.
set -uo pipefail
build=${1:?usage: check_model_rebuild.sh BUILD_DIR SHARED_DIR}
shared=${2:?usage: check_model_rebuild.sh BUILD_DIR SHARED_DIR}
here=$(cd "$(dirname "$0")" && pwd)
shipped="$here/../data/parse/en_ewt.ndpm"
if [ ! -f "$shared/data/ud-english-ewt/train.conllu.xz" ]; then
    echo "check_model_rebuild: skipped: $shared/data/ud-english-ewt not found" >&2
    exit 77
fi
[ -x "$build/train_parser" ] || { echo "check_model_rebuild: skipped: $build/train_parser not built" >&2; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "make model (defaults) against the shipped model:"
if ! PARSE_DATA=train PARSE_MIX=1 PARSE_LABEL_OUTER= "$here/make_model.sh" "$build" "$shared" "$tmp/m.ndpm" >"$tmp/log" 2>&1; then
    cat "$tmp/log"
    echo "check_model_rebuild: make_model.sh failed"
    exit 1
fi
grep -E "^dev|wrote" "$tmp/log" | sed 's/^/  /'
if cmp -s "$tmp/m.ndpm" "$shipped"; then
    echo "check_model_rebuild: the shipped model is rebuilt byte for byte"
    exit 0
fi
echo "check_model_rebuild: make model no longer rebuilds data/parse/en_ewt.ndpm (sha256 $(sha256sum "$shipped" | cut -c1-16) shipped, $(sha256sum "$tmp/m.ndpm" | cut -c1-16) rebuilt)"
exit 1
