# serve_lib.sh - what test_serve.sh and test_serve_load.sh share, sourced
# (not a test: tests/CMakeLists.txt leaves *_lib.sh out):
#   . "$(dirname "$0")/serve_lib.sh" PREFIX
# makes the folder T (/tmp/PREFIX.XXXXXX; kept when KEEP is set), removed
# at exit with the server started here; fail=0, n=0 and
# `check NAME COMMAND` (a TAP line; fail=1 when COMMAND fails);
# `serve_start DB THREADS TENTHS [NAME]` starts `$CLI serve` on DB with
# THREADS workers, its output in $T/NAME.out and $T/NAME.err (NAME:
# serve), and sets PID and URL (empty when no address was printed within
# TENTHS tenths of a second).
T=$(mktemp -d "/tmp/$1.XXXXXX")
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
fail=0
n=0
check() { # check NAME COMMAND...
    n=$((n + 1))
    if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fail=1; fi
}
serve_start() { # serve_start DB THREADS TENTHS [NAME]
    local name=${4:-serve}
    "$CLI" serve --db "$1" --listen 127.0.0.1:0 --threads "$2" >"$T/$name.out" 2>"$T/$name.err" &
    PID=$!
    for _ in $(seq "$3"); do grep -q '^newsdesk serve: http' "$T/$name.out" 2>/dev/null && break; sleep 0.1; done
    URL=$(sed -n 's/^newsdesk serve: //p' "$T/$name.out")
}
