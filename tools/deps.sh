#!/usr/bin/env bash
# deps.sh - install the Debian packages newsdesk builds and tests with.
#   tools/deps.sh          install what is missing (apt-get; sudo when not root)
#   tools/deps.sh --check  exit 0 when everything is present, 1 otherwise
set -euo pipefail

# Build: compiler, CMake, pkg-config and the libraries (-dev packages).
BUILD_PKGS="build-essential cmake pkg-config libxml2-dev libsqlite3-dev zlib1g-dev
libutf8proc-dev libuchardet-dev libjansson-dev libstemmer-dev libmicrohttpd-dev"
# Tests, fuzzing and evaluation: clang (libFuzzer, sanitizers), python3 for
# the benchmark scorers, wget for real-crawler WARC fixtures, sqlite3 CLI,
# wrk for the server load test, chromium for the browser tests.
TEST_PKGS="clang libclang-rt-14-dev python3 wget sqlite3 wrk chromium"

have_all() {
    command -v cc >/dev/null && command -v cmake >/dev/null && command -v pkg-config >/dev/null || return 1
    pkg-config --exists libxml-2.0 sqlite3 zlib libutf8proc uchardet jansson libmicrohttpd || return 1
    [ -f /usr/include/libstemmer.h ] || return 1
    if [ "${1:-}" = test ]; then
        command -v clang >/dev/null && command -v python3 >/dev/null && command -v wget >/dev/null || return 1
        ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 || return 1
    fi
    return 0
}

what=build
case "${1:-}" in
--check) have_all "${2:-build}" && exit 0 || exit 1 ;;
--test) what=test ;;
esac

if have_all "$what"; then exit 0; fi

pkgs="$BUILD_PKGS"
[ "$what" = test ] && pkgs="$pkgs $TEST_PKGS"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "deps.sh: installing Debian packages: $(echo $pkgs)" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y --no-install-recommends $pkgs </dev/null; then
    $SUDO apt-get update </dev/null
    # shellcheck disable=SC2086
    $SUDO apt-get install -y --no-install-recommends $pkgs </dev/null
fi
