#!/usr/bin/env bash
# eval_cluster.sh - story clustering quality on ../shared/bench/cluster.
#
#   tools/eval_cluster.sh BUILD_DIR SHARED_DIR [bench_cluster options...]
#
# For ecbplus_dev.jsonl and gvc_dev.jsonl: cluster in file order and in 5
# shuffled orders (fixed seeds) with BUILD_DIR/bench_cluster (which reads
# only id, title, text and published), score each with the bench's score.py
# and print pairwise and BCubed P/R/F1: file order, mean and worst of the
# shuffles.  Exits 1 when a figure is below its floor:
#   ECB+ BCubed F1 >= 93 (file order) and >= 90 (mean of shuffles),
#   GVC  BCubed F1 >= 96 (file order).
# Exits 77 (skipped) with a message when the bench data is absent.
set -uo pipefail

build=${1:?usage: eval_cluster.sh BUILD_DIR SHARED_DIR}
shared=${2:?usage: eval_cluster.sh BUILD_DIR SHARED_DIR}
shift 2
bench="$shared/bench/cluster"
prog="$build/bench/bench_cluster"
[ -x "$prog" ] || prog="$build/bench_cluster"
if [ ! -f "$bench/score.py" ] || [ ! -f "$bench/ecbplus_dev.jsonl" ]; then
    echo "eval_cluster: skipped: $bench (score.py, ecbplus_dev.jsonl) not found" >&2
    exit 77
fi
if [ ! -x "$prog" ]; then
    echo "eval_cluster: $prog not built (cmake --build $build)" >&2
    exit 2
fi
command -v python3 >/dev/null || { echo "eval_cluster: skipped: python3 not found" >&2; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seeds="1 2 3 4 5"
status=0

# score GOLD PRED -> "pP pR pF bP bR bF" (percent)
score() {
    python3 "$bench/score.py" "$1" "$2" --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
st, b = s["standard"], s["bcubed"]
print(" ".join("%.2f" % (100 * x) for x in (st["p"], st["r"], st["f1"], b["p"], b["r"], b["f1"])))'
}

printf '%-8s %-14s %7s %7s %7s   %7s %7s %7s  %8s\n' corpus order pairP pairR pairF1 b3P b3R b3F1 docs/s
for name in ecbplus_dev gvc_dev; do
    gold="$bench/$name.jsonl"
    [ -f "$gold" ] || { echo "eval_cluster: $gold missing, skipped" >&2; continue; }
    : >"$tmp/$name.shuf"
    for run in file $seeds; do
        pred="$tmp/$name.$run.jsonl"
        if [ "$run" = file ]; then opt=(); else opt=(--shuffle "$run"); fi
        if ! "$prog" "${opt[@]}" "$@" "$gold" "$pred" 2>"$tmp/log"; then
            cat "$tmp/log" >&2
            echo "eval_cluster: bench_cluster failed on $name" >&2
            exit 1
        fi
        rate=$(sed -n 's/.* \([0-9]*\) docs\/s.*/\1/p' "$tmp/log" | tail -1)
        figs=$(score "$gold" "$pred") || { echo "eval_cluster: score.py failed" >&2; exit 1; }
        if [ "$run" = file ]; then
            echo "$figs" >"$tmp/$name.file"
            # shellcheck disable=SC2086
            printf '%-8s %-14s %7s %7s %7s   %7s %7s %7s  %8s\n' "${name%_dev}" "file" $figs "$rate"
        else
            echo "$figs" >>"$tmp/$name.shuf"
        fi
    done
    read -r mean worst <<<"$(python3 -c '
import sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
mean = [sum(c) / len(c) for c in zip(*rows)]
worst = min(rows, key=lambda r: r[5])
print(",".join("%.2f" % x for x in mean), ",".join("%.2f" % x for x in worst))' "$tmp/$name.shuf")"
    # shellcheck disable=SC2046
    printf '%-8s %-14s %7s %7s %7s   %7s %7s %7s\n' "${name%_dev}" "shuffled mean" $(tr , ' ' <<<"$mean")
    # shellcheck disable=SC2046
    printf '%-8s %-14s %7s %7s %7s   %7s %7s %7s\n' "${name%_dev}" "shuffled worst" $(tr , ' ' <<<"$worst")

    # informational: the same stream without the final nd_cluster_flush()
    # (what the stories look like between two ingest batches)
    : >"$tmp/$name.nf"
    for run in file $seeds; do
        if [ "$run" = file ]; then opt=(); else opt=(--shuffle "$run"); fi
        "$prog" --no-flush "${opt[@]}" "$@" "$gold" "$tmp/nf.jsonl" 2>/dev/null &&
            score "$gold" "$tmp/nf.jsonl" >>"$tmp/$name.nf"
    done
    python3 -c '
import sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
if len(rows) > 1:
    sh = rows[1:]
    mean = [sum(c) / len(c) for c in zip(*sh)]
    worst = min(sh, key=lambda r: r[5])
    for label, r in (("file", rows[0]), ("shuffled mean", mean), ("shuffled worst", worst)):
        print("%-8s %-14s %7.2f %7.2f %7.2f   %7.2f %7.2f %7.2f  (no flush)" % ((sys.argv[2], label) + tuple(r)))' "$tmp/$name.nf" "${name%_dev}"

    file_b3=$(awk '{print $6}' "$tmp/$name.file")
    mean_b3=$(cut -d, -f6 <<<"$mean")
    check() { # label value floor
        if awk -v v="$2" -v f="$3" 'BEGIN { exit !(v < f) }'; then
            echo "eval_cluster: FAIL $1 = $2 < $3" >&2
            status=1
        fi
    }
    case $name in
    ecbplus_dev)
        check "ECB+ BCubed F1 (file order)" "$file_b3" 93
        check "ECB+ BCubed F1 (mean of shuffles)" "$mean_b3" 90
        ;;
    gvc_dev)
        check "GVC BCubed F1 (file order)" "$file_b3" 96
        ;;
    esac
done
[ $status = 0 ] && echo "eval_cluster: all floors met (ECB+ B3 F1 >= 93 file / >= 90 shuffled mean, GVC B3 F1 >= 96)"
exit $status
