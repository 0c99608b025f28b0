#!/usr/bin/env bash
# eval_analyze.sh - quality of `newsdesk analyze` on ../shared/bench.
#
#   tools/eval_analyze.sh BUILD_DIR SHARED_DIR [-v]
#
# Quotations: PolNeAR dev (bench/quotes/gold/polnear_dev.jsonl) scored with
# its score.py --offsets utf8, all types and --types direct,mixed.  Only
# attributed quotations are scored (scare quotes and quotations with
# neither a speaker nor a source span are not attributions).
# Events: bench/events/gold/*.jsonl scored with score.py --actor-prefix 3,
# from the sentence text only (the parses in the gold files are not used);
# validate_ud also with its own dictionaries (--dict validation_dictionaries).
# Prints tables; -v also prints the scorers' full reports.  Exits 1 when a
# figure is below its floor (issue 5):
#   PolNeAR quote+speaker F1 (lenient) >= 0.80 direct+mixed, >= 0.50 all types;
#   gsr_news full F1 >= 0.65, dyad F1 >= 0.75.
# Exits 77 (skipped) with a message when the bench data is absent.
set -uo pipefail

build=${1:?usage: eval_analyze.sh BUILD_DIR SHARED_DIR [-v]}
shared=${2:?usage: eval_analyze.sh BUILD_DIR SHARED_DIR [-v]}
verbose=${3:-}
cli="$build/newsdesk"
qb="$shared/bench/quotes"
eb="$shared/bench/events"
if [ ! -f "$qb/score.py" ] || [ ! -f "$qb/gold/polnear_dev.jsonl" ] || [ ! -f "$eb/score.py" ]; then
    echo "eval_analyze: skipped: $shared/bench/quotes or bench/events not found" >&2
    exit 77
fi
command -v python3 >/dev/null || { echo "eval_analyze: skipped: python3 not found" >&2; exit 77; }
if [ ! -x "$cli" ]; then
    echo "eval_analyze: $cli not built (cmake --build $build)" >&2
    exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# ---- quotations
start=$(date +%s.%N)
"$cli" analyze --no-events "$qb/gold/polnear_dev.jsonl" >"$tmp/pol.out" || status=1
end=$(date +%s.%N)
python3 - "$tmp/pol.out" "$tmp/pol.pred" <<'EOF'
import json, sys
with open(sys.argv[2], 'w') as out:
    for line in open(sys.argv[1], encoding='utf-8'):
        r = json.loads(line)
        qs = [q for q in r.get('quotes', []) if not q.get('scare') and (q.get('speaker') or q.get('source'))]
        out.write(json.dumps({'id': r['id'], 'quotes': qs}) + '\n')
EOF
qscore() { # GOLD PRED TYPES -> "P R F1 contentF1"
    local types=()
    [ -n "$3" ] && types=(--types "$3")
    python3 "$qb/score.py" "$1" "$2" --offsets utf8 "${types[@]}" --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
e, c = s["quote_source_lenient"], s["content_partial"]
print("%.3f %.3f %.3f %.3f %d %d" % (e["precision"], e["recall"], e["f1"], c["f1"], e["gold"], e["pred"]))'
}
printf '\nQuotations: PolNeAR dev (%s docs), quote+speaker lenient (score.py --offsets utf8)\n' \
    "$(wc -l <"$qb/gold/polnear_dev.jsonl")"
printf '%-14s %7s %7s %7s %10s %6s %6s %7s\n' types P R F1 contentF1 gold pred floor
for t in all direct,mixed; do
    arg=$t
    [ "$t" = all ] && arg=
    read -r p r f c g n <<<"$(qscore "$qb/gold/polnear_dev.jsonl" "$tmp/pol.pred" "$arg")"
    floor=0.50
    [ "$t" = direct,mixed ] && floor=0.80
    printf '%-14s %7s %7s %7s %10s %6s %6s %7s' "$t" "$p" "$r" "$f" "$c" "$g" "$n" "$floor"
    if python3 -c "import sys; sys.exit(0 if float('$f') >= $floor else 1)"; then
        echo
    else
        echo "  BELOW FLOOR"
        status=1
    fi
    if [ "$verbose" = -v ]; then
        python3 "$qb/score.py" "$qb/gold/polnear_dev.jsonl" "$tmp/pol.pred" --offsets utf8 \
            ${arg:+--types "$arg"}
    fi
done
python3 -c "print('analyze --no-events on PolNeAR dev: %.2f s' % ($end - $start))"

# ---- events
escore() { # GOLD PRED -> "fullP fullR fullF1 dyadF1 rootF1 actorF1 records"
    python3 "$eb/score.py" "$1" "$2" --actor-prefix 3 --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
print("%.3f %.3f %.3f %.3f %.3f %.3f %d" % (s["full"]["precision"], s["full"]["recall"],
      s["full"]["f1"], s["dyad"]["f1"], s["root"]["f1"], s["actor"]["f1"], s["records"]))'
}
printf '\nEvents: CAMEO coding from the sentence text (score.py --actor-prefix 3)\n'
printf '%-26s %6s %7s %7s %7s %7s %7s %7s  %s\n' set records fullP fullR fullF1 dyadF1 rootF1 actorF1 floor
for set in gsr_news validate_ud unittest_ptb; do
    gold="$eb/gold/$set.jsonl"
    [ -f "$gold" ] || continue
    for mode in default dict; do
        args=()
        label=$set
        if [ $mode = dict ]; then
            [ $set = validate_ud ] || continue
            [ -d "$eb/validation_dictionaries" ] || continue
            args=(--dict "$eb/validation_dictionaries")
            label="$set +validation dicts"
        fi
        "$cli" analyze --no-quotes "${args[@]}" "$gold" >"$tmp/$set.$mode.pred" 2>"$tmp/$set.err" || true
        read -r fp fr ff df rf af n <<<"$(escore "$gold" "$tmp/$set.$mode.pred")"
        floor=
        [ $set = gsr_news ] && floor="full>=0.65 dyad>=0.75"
        printf '%-26s %6s %7s %7s %7s %7s %7s %7s  %s' "$label" "$n" "$fp" "$fr" "$ff" "$df" "$rf" "$af" "$floor"
        if [ $set = gsr_news ] && ! python3 -c "import sys; sys.exit(0 if $ff >= 0.65 and $df >= 0.75 else 1)"; then
            echo "  BELOW FLOOR"
            status=1
        else
            echo
        fi
        [ "$verbose" = -v ] && python3 "$eb/score.py" "$gold" "$tmp/$set.$mode.pred" --actor-prefix 3
    done
done
exit $status
