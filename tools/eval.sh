#!/usr/bin/env bash
# eval.sh CLI SHARED - quality tables for every area newsdesk measures, on
# the public evaluation data in SHARED/bench (never copied into the repo).
# Exits non-zero when an enforced figure falls below the floor its issue
# set; areas whose floors are not yet enforced are printed for information.
# Skips, with a message, when SHARED is absent.
set -uo pipefail
cli=${1:-build/newsdesk}
shared=${2:-../shared}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$(dirname "$cli")" && pwd)
if [ ! -d "$shared/bench" ]; then
    echo "eval: $shared/bench not found: skipping (the evaluation data lives in ../shared)"
    exit 0
fi
# Floors enforced so far (one word per area, added when its issue lands).
ENFORCED=${ND_EVAL_ENFORCED:-"seeds extract extract_multi extract_meta cluster cluster_store cluster_slices analyze seeds_analysis model_rebuild keywords"}
status=0
run() { # run AREA COMMAND...
    local area=$1
    shift
    echo
    "$@"
    local rc=$?
    if [ $rc -eq 77 ]; then rc=0; fi
    # 3: the enforced floors hold, a target not yet reached is only printed
    if [ $rc -eq 3 ]; then
        echo "eval: $area: enforced floors met; a target not yet reached (printed above)"
        rc=0
    fi
    if [ $rc -ne 0 ]; then
        if [[ " $ENFORCED " == *" $area "* ]]; then
            echo "eval: $area: BELOW FLOOR"
            status=1
        else
            echo "eval: $area: below its target (not yet enforced)"
        fi
    fi
}
run seeds python3 "$here/eval_seeds.py" "$cli" "$shared"
run extract python3 "$here/eval_extract.py" "$cli" "$shared" --floor-html 0.96 --floor-text 0.89
run extract_multi python3 "$here/eval_extract_multi.py" "$cli" "$shared" --part text \
    --floor-html 0.93 --floor-type 0.85
# issue 10: author F1 enforced at its target; date accuracy enforced at the
# figure reached (0.949 -> floor 0.94), its target 0.95 printed until reached
# (--misses lists every miss with its cause)
run extract_meta python3 "$here/eval_extract_multi.py" "$cli" "$shared" --part meta \
    --floor-author 0.85 --floor-date 0.94 --target-date 0.95
[ -x "$here/eval_cluster.sh" ] && [ -x "$build/bench/bench_cluster" ] &&
    run cluster bash "$here/eval_cluster.sh" "$build" "$shared"
[ -f "$here/eval_cluster_store.sh" ] && run cluster_store bash "$here/eval_cluster_store.sh" "$build" "$shared" whole
# ECB+ in 10-topic slices on fresh stores (issue 10): mean >= 94, worst >= 90.
[ -f "$here/eval_cluster_store.sh" ] && run cluster_slices bash "$here/eval_cluster_store.sh" "$build" "$shared" slices
[ -f "$here/eval_analyze.py" ] && run analyze python3 "$here/eval_analyze.py" "$build" "$shared"
# issue 9: quotations and events of the seed pages against the team's reading
# (tests/data/seeds_analysis.json; floors enforced: quotations P 0.90, R 0.85,
# events P 0.80); -v lists every wrong and missed item
[ -f "$here/eval_seeds_analysis.py" ] && run seeds_analysis python3 "$here/eval_seeds_analysis.py" "$cli" "$shared" --enforce
# issue 13: the keywords of a first bulk run (the word-rarity prior) against
# those of the same store once it counts its documents: first 10 >= 0.82
[ -f "$here/eval_keywords.py" ] && run keywords python3 "$here/eval_keywords.py" "$build" "$shared"
# issue 9: `make model` is deterministic and its defaults rebuild the
# shipped parser model byte for byte
[ -f "$here/check_model_rebuild.sh" ] && run model_rebuild bash "$here/check_model_rebuild.sh" "$build" "$shared"
# issue 9: enforced (added to ENFORCED) once EWT test reaches its UAS and LAS floors
[ -f "$here/eval_parse.sh" ] && run parse bash "$here/eval_parse.sh" "$build" "$shared"
echo
[ $status -eq 0 ] && echo "eval: all enforced floors met" || echo "eval: FAILED"
exit $status
