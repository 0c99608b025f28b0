#!/usr/bin/env python3
"""readme.py CLI README [--samples DIR] - every ```console block of the
README is a test (in the manner of cram and cmark's spec tests).

A block is a transcript: a line "$ COMMAND" is typed into bash, the lines
after it (up to the next "$ " line or the end of the block) are what the
command prints, standard output and standard error together, as on a
terminal.  A command that ends in a backslash goes on on the next line.

All blocks of one README run in order in one fresh temporary folder (so
the store the first `ingest` fills is the one the later blocks query),
each block in one bash process (so `echo $?` sees the command before it),
with a fixed environment: `newsdesk` is the CLI under test, samples/ is a
copy of the repository's samples/, tests/ the repository's (a link, for
the fixtures a README shows), no NEWSDESK_DB (the store is
./newsdesk.db), HOME is the folder, TZ=UTC, LC_ALL=C.UTF-8, TERM=dumb,
no standard input unless the command pipes one.

Comparison rules (documented in README.md too):
  * trailing white space of each line and trailing blank lines are ignored;
  * times and rates are masked on both sides: a number followed by " s",
    " ms", " pages/s", " MB/s" or " documents/s" becomes "N" ("6 pages in
    0.04 s (162 pages/s, 0.2 MB/s)" reads "6 pages in N s (N pages/s,
    N MB/s)");
  * the size of the database file in `stats` is masked on both sides: the
    writer commits every 200 documents or 2 s, so the number of
    transactions (and of full-text index segments) depends on the
    machine's load, and with it the file's size;
  * "..." in an expected line matches any text within that line, and a
    line that is only "..." (indentation allowed) matches any number of
    lines, none included.

Prints "ok"/"not ok" per command with its README line, and a diff for each
command whose output differs; exits 1 when any did.
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

MARK = "\x1e"
MASK = re.compile(r"\d+(?:[.,]\d+)*(?= (?:s|ms|pages/s|MB/s|documents/s)\b)")
DBSIZE = re.compile(r"^(\s*database file\s+)\d+(?:[.,]\d+)*(?= (?:B|bytes|kB|MB|GB|TB)\b)")


def blocks(path):
    """[(line_no, [(cmd_line_no, command, [expected lines])])]"""
    out, cur, cmd = [], None, None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if cur is None:
            if line.strip() == "```console":
                cur = (i + 1, [])
        elif line.strip() == "```":
            out.append(cur)
            cur = None
        elif line.startswith("$ "):
            text, start = line[2:], i + 1
            while text.endswith("\\") and i + 1 < len(lines):
                i += 1
                text = text + "\n" + lines[i]
            cmd = (start, text, [])
            cur[1].append(cmd)
        elif cur[1]:
            cur[1][-1][2].append(line)
        i += 1
    return out


def norm(lines):
    lines = [DBSIZE.sub(r"\1N", MASK.sub("N", l.rstrip())) for l in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def matches(want, got):
    """want (patterns) against got, line by line, with "..." lines."""
    memo = {}

    def m(i, k):
        if (i, k) in memo:
            return memo[i, k]
        if i == len(want):
            r = k == len(got)
        elif want[i].strip() == "...":
            r = any(m(i + 1, kk) for kk in range(k, len(got) + 1))
        elif k < len(got) and line_ok(want[i], got[k]):
            r = m(i + 1, k + 1)
        else:
            r = False
        memo[i, k] = r
        return r

    return m(0, 0)


def line_ok(pat, line):
    if "..." not in pat:
        return pat == line
    rx = ".*".join(re.escape(p) for p in pat.split("..."))
    return re.fullmatch(rx, line) is not None


def shown(want, got):
    """got, with the lines a "..." pattern matches written as the pattern,
    so that the diff shows only real differences."""
    g = list(got)
    sm = difflib.SequenceMatcher(None, want, got, autojunk=False)
    for op, i1, i2, k1, k2 in sm.get_opcodes():
        if op != "replace":
            continue
        i = i1
        for k in range(k1, k2):
            if i < i2 and want[i].strip() == "...":
                # "..." lines swallow got lines up to one that the next pattern matches
                if i + 1 < i2 and line_ok(want[i + 1], got[k]):
                    i += 1
                else:
                    g[k] = want[i]
                    continue
            if i < i2 and line_ok(want[i], got[k]):
                g[k] = want[i]
            i += 1
    # collapse what a "..." line stood for into one line
    out = []
    for k, line in enumerate(g):
        if line.strip() == "..." and out and out[-1] == line:
            continue
        out.append(line)
    return out


def run_block(cli, tmp, cmds):
    script = ["exec 2>&1 </dev/null", "__nd_status() { return $1; }", "__nd_st=0"]
    for n, (_, text, _) in enumerate(cmds):
        script.append("__nd_st=$?; printf '%s%d\\n'; __nd_status $__nd_st" % (MARK, n))
        script.append(text)
    env = {
        "PATH": os.path.join(tmp, ".bin") + ":/usr/local/bin:/usr/bin:/bin",
        "HOME": tmp,
        "TZ": "UTC",
        "LC_ALL": "C.UTF-8",
        "TERM": "dumb",
    }
    p = subprocess.run(["bash", "-c", "\n".join(script)], cwd=tmp, env=env,
                       stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=600)
    outs = [[] for _ in cmds]
    cur = None
    for line in p.stdout.decode("utf-8", "replace").split("\n"):
        if line.startswith(MARK):
            cur = int(line[1:])
            continue
        if cur is not None:
            outs[cur].append(line)
    return outs


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    cli, readme = os.path.abspath(args[0]), args[1]
    samples = os.path.join(os.path.dirname(os.path.abspath(readme)), "samples")
    if "--samples" in args:
        samples = args[args.index("--samples") + 1]
    tmp = tempfile.mkdtemp(prefix="nd-readme.")
    failed = total = 0
    try:
        os.mkdir(os.path.join(tmp, ".bin"))
        os.symlink(cli, os.path.join(tmp, ".bin", "newsdesk"))
        shutil.copytree(samples, os.path.join(tmp, "samples"))
        tests = os.path.join(os.path.dirname(os.path.abspath(readme)), "tests")
        if os.path.isdir(tests):  # fixtures the README shows (tests/spec/...), read only
            os.symlink(tests, os.path.join(tmp, "tests"))
        for start, cmds in blocks(readme):
            outs = run_block(cli, tmp, cmds)
            for (line_no, text, want), got in zip(cmds, outs):
                total += 1
                w, g = norm(want), norm(got)
                shown_cmd = text.split("\n")[0] + (" ..." if "\n" in text else "")
                where = "%s:%d: $ %s" % (os.path.basename(readme), line_no, shown_cmd)
                if matches(w, g):
                    print("ok     " + where)
                    continue
                failed += 1
                print("not ok " + where)
                for d in difflib.unified_diff(w, shown(w, g), "README (expected)", "output",
                                              lineterm="", n=2):
                    print("    " + d)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("# %d commands from the console blocks of %s, %d failed" % (total, os.path.basename(readme), failed))
    if total == 0:
        print("not ok - no console block found")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
