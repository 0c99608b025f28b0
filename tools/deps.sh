#!/usr/bin/env bash
# deps.sh - install the Debian packages newsdesk builds and tests with.
#   tools/deps.sh          install what the build needs (apt-get; sudo when not root)
#   tools/deps.sh --test   the same plus what the tests, fuzzing and CI need
#   tools/deps.sh --check [build|test]  exit 0 when everything is present, 1 otherwise
# Works on a minimal Debian 12 (debootstrap minbase, a container image):
# package lists that are missing or do not know a package are fetched
# (apt-get update) before anything is installed.
set -euo pipefail

# Build: compiler and make (build-essential), CMake, pkg-config and the
# libraries (-dev packages).
BUILD_PKGS="build-essential cmake pkg-config libxml2-dev libsqlite3-dev zlib1g-dev libdeflate-dev
libutf8proc-dev libuchardet-dev libjansson-dev libstemmer-dev libmicrohttpd-dev"
# Tests, fuzzing and evaluation: clang (libFuzzer, sanitizers), python3 for
# the benchmark scorers, wget for real-crawler WARC fixtures, sqlite3 CLI,
# wrk for the server load test, chromium for the browser tests, debootstrap
# for tools/fresh-machine.sh (CI), clang-format for make check-format (CI).
TEST_PKGS="clang libclang-rt-14-dev clang-format python3 wget sqlite3 wrk chromium debootstrap"

have_all() {
    command -v cc >/dev/null && command -v make >/dev/null && command -v cmake >/dev/null &&
        command -v pkg-config >/dev/null || return 1
    pkg-config --exists libxml-2.0 sqlite3 zlib libdeflate libutf8proc uchardet jansson libmicrohttpd || return 1
    [ -f /usr/include/libstemmer.h ] || return 1
    if [ "${1:-}" = test ]; then
        command -v clang >/dev/null && command -v python3 >/dev/null && command -v wget >/dev/null &&
            command -v sqlite3 >/dev/null && command -v debootstrap >/dev/null &&
            command -v clang-format >/dev/null || return 1
        compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null ||
            return 1
    fi
    return 0
}

what=build
case "${1:-}" in
--check) have_all "${2:-build}" && exit 0 || exit 1 ;;
--test) what=test ;;
"") ;;
*) echo "usage: tools/deps.sh [--test | --check [build|test]]" >&2; exit 2 ;;
esac

if have_all "$what"; then exit 0; fi

pkgs="$BUILD_PKGS"
[ "$what" = test ] && pkgs="$pkgs $TEST_PKGS"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "deps.sh: missing build dependencies and not root: run tools/deps.sh as root, or install sudo" >&2
        exit 1
    fi
    SUDO="sudo"
fi
echo "deps.sh: installing Debian packages: $(echo $pkgs)" >&2
export DEBIAN_FRONTEND=noninteractive
# Package lists: none at all (a container image), or lists that do not
# know every package (stale, or another suite): fetch them first.
# shellcheck disable=SC2086
if ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null ||
    ! apt-get -s -qq install --no-install-recommends $pkgs >/dev/null 2>&1; then
    $SUDO apt-get update </dev/null
fi
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y --no-install-recommends $pkgs </dev/null; then
    # lists that named versions the mirror no longer has
    $SUDO apt-get update </dev/null
    # shellcheck disable=SC2086
    $SUDO apt-get install -y --no-install-recommends $pkgs </dev/null
fi
