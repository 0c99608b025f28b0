#!/usr/bin/env bash
# test_seeds.sh CLI SHARED TESTS - the seed pages of ../shared/seeds read as a
# careful reader does (issue 2's acceptance); skipped when ../shared is absent.
cli=$1 shared=$2 tests=$3
if [ ! -d "$shared/seeds" ]; then
    echo "test_seeds: $shared/seeds not found: skipped"
    exit 77
fi
exec python3 "$tests/../tools/eval_seeds.py" "$cli" "$shared"
