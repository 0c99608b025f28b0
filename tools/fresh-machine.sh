#!/usr/bin/env bash
# fresh-machine.sh - the README's set-up promise, tested.  Builds a minimal
# Debian (debootstrap --variant=minbase, plus git, empty package lists as in
# a container image), clones this repository into it at the current commit,
# and runs the README's set-up commands there, each one verbatim as a new
# user would type it (as root, in the clone, no standard input).  Prints
# PASS/FAIL and the time of each command; exit status 0 when all passed.
#
#   tools/fresh-machine.sh [--user] [--keep-lists] [--keep]
#     --user        run the commands as an ordinary user with sudo (sudo is
#                   installed and the user created first)
#     --keep-lists  keep the package lists debootstrap leaves
#     --keep        keep the machine's root afterwards (for debugging)
#
# The commands are read from README.md: the first ```sh block after the line
# "<!-- fresh-machine: set-up commands -->"; each line is one command.
# Must run as root (debootstrap, chroot, mounts).  Environment:
#   ND_FRESH_CACHE   cache folder (default /var/cache/newsdesk-fresh): the
#                    debootstrap tarball (made once), the downloaded .debs
#                    (shared between runs, so only downloads are saved:
#                    every package is still installed), the logs of the
#                    last run (last/)
#   ND_FRESH_MIRROR  Debian mirror (default: the machine's own apt sources)
#   ND_FRESH_SUITE   Debian suite (default bookworm)
#
# Clean-up whatever happens: everything runs in a private mount and PID
# namespace (unshare) that dies with this script, even on SIGKILL
# (setpriv --pdeathsig), so no mount is ever visible outside it and no
# process outlives it; the root folder is removed on exit, or on the next
# run after a SIGKILL.  Uncommitted changes are not part of the test.
set -euo pipefail

suite=${ND_FRESH_SUITE:-bookworm}
cache=${ND_FRESH_CACHE:-/var/cache/newsdesk-fresh}
top=$(cd "$(dirname "$0")/.." && pwd)
self="$top/tools/fresh-machine.sh"

# ---- the inner part: in the namespaces, PID 1 ------------------------------
if [ "${1:-}" = --inner ]; then
    work=$2 mirror=$3 commit=$4 as_user=$5 keep_lists=$6
    root=$work/root
    logs=$cache/last
    tarball=$cache/debootstrap-$suite-minbase-git.tgz
    now() { date +%s.%N; }
    secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }
    say() { echo "fresh-machine: $*"; }
    mount --make-rprivate /
    start=$(now)

    if [ ! -s "$tarball" ]; then
        say "making the debootstrap tarball (once): $tarball"
        debootstrap --variant=minbase --include=git --make-tarball="$tarball.part" \
            "$suite" "$work/tarball" "$mirror" >"$logs/debootstrap-tarball.log" 2>&1 ||
            { tail -20 "$logs/debootstrap-tarball.log"; say "FAIL debootstrap --make-tarball"; exit 1; }
        mv "$tarball.part" "$tarball"
        rm -rf "$work/tarball"
    fi
    t0=$(now)
    if ! debootstrap --variant=minbase --include=git --unpack-tarball="$tarball" \
        "$suite" "$root" "$mirror" >"$logs/debootstrap.log" 2>&1; then
        tail -20 "$logs/debootstrap.log"
        say "FAIL debootstrap (see $logs/debootstrap.log)"
        exit 1
    fi
    # debootstrap leaves the .debs of the tarball and its package lists; a
    # fresh machine (a container image) has neither.
    rm -f "$root"/var/cache/apt/archives/*.deb
    [ "$keep_lists" = 1 ] || find "$root/var/lib/apt/lists" -maxdepth 1 -type f -delete
    cp /etc/resolv.conf /etc/hosts "$root/etc/"
    mkdir -p "$cache/debs"
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mount --rbind /dev "$root/dev"
    mount --bind "$cache/debs" "$root/var/cache/apt/archives"
    home=/root
    if [ "$as_user" = 1 ]; then
        home=/home/newuser
        chroot "$root" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sudo &&
            useradd -m -s /bin/bash newuser && echo "newuser ALL=(ALL) NOPASSWD: ALL" >/etc/sudoers.d/newuser &&
            find /var/lib/apt/lists -maxdepth 1 -type f -delete' </dev/null >"$logs/user.log" 2>&1 ||
            { tail -20 "$logs/user.log"; say "FAIL creating a user with sudo"; exit 1; }
    fi
    git clone -q --no-local "$top" "$root$home/newsdesk"
    git -C "$root$home/newsdesk" checkout -q --detach "$commit"
    [ "$as_user" = 1 ] && chroot "$root" chown -R newuser: "$home/newsdesk"
    say "minbase root ready in $(secs "$t0" "$(now)") s (commit ${commit:0:12}, mirror $mirror)"

    fail=0 i=0
    while IFS= read -r cmd; do
        i=$((i + 1))
        t0=$(now)
        env=(/usr/bin/env -i "HOME=$home" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb)
        if [ "$as_user" = 1 ]; then
            run=(chroot --userspec=newuser:newuser "$root" "${env[@]}" USER=newuser LOGNAME=newuser)
        else
            run=(chroot "$root" "${env[@]}" USER=root LOGNAME=root)
        fi
        set +e
        "${run[@]}" /bin/bash -c "cd ~/newsdesk && $cmd" </dev/null >"$logs/command-$i.log" 2>&1
        st=$?
        set -e
        t=$(secs "$t0" "$(now)")
        shown=$(printf '%s' "${cmd%%#*}" | sed 's/[[:space:]]*$//')
        # empty package lists are looked for before apt-get install runs
        # (issue 12): apt's "Unable to locate package" is a failure too
        if [ $st = 0 ] && grep -q '^E: Unable to locate package' "$logs/command-$i.log"; then
            grep '^E: ' "$logs/command-$i.log" | head -3 | sed 's/^/    /'
            say "apt-get printed 'E: Unable to locate package' lines"
            st=1
        fi
        if [ $st = 0 ]; then
            say "PASS  $shown  ($t s)"
        else
            tail -30 "$logs/command-$i.log" | sed 's/^/    /'
            say "FAIL  $shown  (exit status $st after $t s; log: $logs/command-$i.log)"
            fail=1
            break
        fi
    done <"$work/commands"
    say "$([ $fail = 0 ] && echo passed || echo FAILED) in $(secs "$start" "$(now)") s"
    exit $fail
fi

# ---- the outer part ----------------------------------------------------------
as_user=0 keep_lists=0 keep=0
for a in "$@"; do
    case "$a" in
    --user) as_user=1 ;;
    --keep-lists) keep_lists=1 ;;
    --keep) keep=1 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
    esac
done
die() { echo "fresh-machine: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, mounts)"
for c in debootstrap unshare setpriv chroot git; do
    command -v "$c" >/dev/null || die "$c not found (tools/deps.sh --test installs debootstrap)"
done

# The commands, from the README itself.
commands=$(awk '/^<!-- fresh-machine: set-up commands -->$/ { m = 1; next }
                m == 1 && /^```sh$/ { m = 2; next }
                m == 2 && /^```$/ { exit }
                m == 2 && NF { print }' "$top/README.md")
[ -n "$commands" ] || die "README.md: no \`\`\`sh block after <!-- fresh-machine: set-up commands -->"

# The mirror: the machine's own Debian source for the suite (one-line or
# deb822 form), else deb.debian.org.
mirror=${ND_FRESH_MIRROR:-}
if [ -z "$mirror" ]; then
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        awk -v s="$suite" '$1 == "deb" { u = ""; for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { u = $i; break }
                                        if (u != "" && $(i + 1) == s) { print u; exit } }') || true
fi
if [ -z "$mirror" ]; then
    mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
        awk -v s="$suite" 'BEGIN { RS = ""; FS = "\n" }
             { u = ""; ok = 0
               for (i = 1; i <= NF; i++) {
                 if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); u = a[2] }
                 if ($i ~ /^Suites:/) { n = split($i, a, /[ \t]+/); for (k = 2; k <= n; k++) if (a[k] == s) ok = 1 }
               }
               if (ok && u != "") { print u; exit } }') || true
fi
mirror=${mirror:-http://deb.debian.org/debian}

commit=$(git -C "$top" rev-parse HEAD)
if [ -n "$(git -C "$top" status --porcelain --untracked-files=no)" ]; then
    echo "fresh-machine: note: uncommitted changes are not tested (commit ${commit:0:12} is)" >&2
fi

mkdir -p "$cache/last"
rm -f "$cache"/last/*.log
# Roots left by a run that was killed (SIGKILL leaves no chance to clean):
# their namespace died with them, so they hold no mounts.
for d in "$cache"/run.*; do
    [ -d "$d" ] || continue
    pid=$(cat "$d/pid" 2>/dev/null || echo 0)
    if [ "$pid" = 0 ] || ! kill -0 "$pid" 2>/dev/null; then rm -rf --one-file-system "$d"; fi
done
work=$(mktemp -d "$cache/run.XXXXXX")
echo $$ >"$work/pid"
printf '%s\n' "$commands" >"$work/commands"

inner=
cleanup() {
    local st=$?
    trap - EXIT INT TERM HUP
    if [ -n "$inner" ] && kill -0 "$inner" 2>/dev/null; then
        kill -KILL "$inner" 2>/dev/null || true # the namespaces die with it
        wait "$inner" 2>/dev/null || true
        echo "fresh-machine: interrupted; cleaned up" >&2
    fi
    # the promise: no mount of the run is left behind, whatever happened
    if grep -qF " $work/" /proc/self/mountinfo; then
        echo "fresh-machine: FAIL: mounts left under $work:" >&2
        grep -F " $work/" /proc/self/mountinfo | awk '{print "    " $5}' >&2
        st=1
    elif [ "$keep" = 1 ]; then
        echo "fresh-machine: root kept in $work/root" >&2
    else
        rm -rf --one-file-system "$work"
    fi
    exit "$st"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

echo "fresh-machine: debootstrap --variant=minbase $suite + git; the README's set-up commands:"
printf '%s\n' "$commands" | sed 's/^/    /'
setpriv --pdeathsig KILL unshare --mount --propagation private --pid --fork --kill-child \
    bash "$self" --inner "$work" "$mirror" "$commit" "$as_user" "$keep_lists" &
inner=$!
st=0
wait "$inner" || st=$?
inner=
exit $st
