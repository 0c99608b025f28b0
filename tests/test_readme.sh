#!/usr/bin/env bash
# test_readme.sh CLI SHARED TESTS - every ```console block of README.md,
# run and compared with what it shows (tests/readme.py says how).
set -u
cli=$1 tests=$3
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
exec python3 "$tests/readme.py" "$cli" "$tests/../README.md"
