#!/usr/bin/env python3
"""Convert a PETRARCH2 CAMEO verb dictionary into newsdesk's compact verb file.

usage: tools/gen_petrarch_verbs.py [--strict] CAMEO.2.0.txt > data/verbs/petrarch.txt

Input: the PETRARCH2 verb dictionary format (openeventdata/petrarch2,
docs/source/dictionaries.rst and PETRreader.read_verb_dictionary):

    &SYNSET            a set of words and phrases, one "+WORD" or "+TWO_WORDS" a line
    --- NAME [CODE] ---     a block of synonymous verbs; CODE is the block's code
    VERB [CODE] {FORMS}     a verb ("+ASK_FOR", "RE_+ARREST": several words, '+'
                            before the verb); FORMS its irregular forms
    - PRE * POST [CODE]     a pattern: '*' is the verb; words are phrase heads,
                            {A B} a noun phrase, (PREP ...) a prepositional
                            phrase, &SET a synset, + the target, $ the source,
                            ^ any noun phrase; CODE is ACTIVE, ACTIVE:PASSIVE or
                            :PASSIVE, '---' for no event
    ~ ...                   verb transformations (not converted: events.c codes
                            reported force, threats and attempts as rules)

Output (docs/analyze.md, "Verb files"): one line per item, lower case, no
comments, every code resolved:

    &name entry|entry|...   a synset (a trailing '_' on the name or on an entry:
                            no regular plural; "&other" an embedded synset)
    = name                  a block
    v verb code [form ...]  a verb with its code (the block's when it has none;
                            '---' none) and its listed forms (the verb word only)
    p pattern code          a pattern in PETRARCH syntax, spaces normalised

What PETRARCH2 itself would do decides the cases the format leaves open: a
later pattern with the same words replaces an earlier one; a verb already
defined keeps its first block; a pattern with an undefined synset or a code
that is not a CAMEO code is skipped.  Skipped lines are reported on stderr
as FILE:LINE: reason; with --strict any of them makes the exit status 1.
The same input gives the same bytes.
"""
import os
import re
import sys

CODE_RE = re.compile(r'^(---|[0-9]{2,4})?$')


def fail(msgs, path, lineno, what):
    msgs.append('%s:%d: %s' % (path, lineno, what))


def parse_code(text):
    """'[042:043]' -> '042:043'; None when it is not a CAMEO code."""
    if not (text.startswith('[') and text.endswith(']')):
        return None
    body = text[1:-1].strip()
    parts = body.split(':')
    if len(parts) > 2 or not body:
        return None
    for p in parts:
        if not CODE_RE.match(p):
            return None
    if len(parts) == 2 and not parts[1]:
        return None
    if parts[0] == '' and len(parts) == 1:
        return None
    return body


def strip_comment(line):
    """PETRARCH comments: '#' to the end of the line, <!-- ... --> on one line."""
    line = re.sub(r'<!--.*?-->', '', line)
    if '#' in line:
        line = line[:line.index('#')]
    return line.strip()


def tokens(body):
    """Pattern text -> tokens, with ( ) { } as tokens of their own."""
    for c in '(){}*[':
        body = body.replace(c, ' ' + c + (' ' if c != '[' else ''))
    return body.split()


def canonical(toks):
    """Tokens -> normalised pattern text: '(to {banned parties}) $'."""
    out = ''
    for t in toks:
        if out and not out.endswith('(') and not out.endswith('{') and t not in (')', '}'):
            out += ' '
        out += t
    return out


def check_pattern(toks, synsets):
    """None when the pattern is well formed, else the reason."""
    if toks.count('*') != 1:
        return "a pattern needs exactly one '*'"
    depth_p = depth_b = 0
    for t in toks:
        if t == '(':
            if depth_p or depth_b:
                return 'nested parentheses'
            depth_p += 1
        elif t == ')':
            if not depth_p or depth_b:
                return "unbalanced ')'"
            depth_p -= 1
        elif t == '{':
            if depth_b:
                return 'nested braces'
            depth_b += 1
        elif t == '}':
            if not depth_b:
                return "unbalanced '}'"
            depth_b -= 1
        elif t == '*' and (depth_p or depth_b):
            return "'*' inside a phrase"
        elif t.startswith('&') and t not in synsets:
            return 'undefined synset ' + t
    if depth_p or depth_b:
        return 'unclosed phrase'
    return None


def alternatives(toks):
    """TABARI's disjunctions, 'bombing/explosion': one pattern for each
    word (PETRARCH2 leaves them unmatched)."""
    out = [[]]
    for t in toks:
        opts = [o for o in t.split('/') if o] if '/' in t and not t.startswith('&') else [t]
        out = [o + [x] for o in out for x in opts][:64]
    return out


def verb_word(word):
    """'+asked_for' -> 'asked'; 'wire_+taps' -> 'taps'; 'sped' -> 'sped'."""
    if '+' in word:
        word = word[word.index('+') + 1:]
    return word.split('_')[0]


def convert(path, text, msgs, notes):
    synsets = {}          # name -> [entries]
    synset_order = []
    blocks = []           # [name, verbs[], patterns{body: code}, order[]]
    seen_verbs = {}       # verb phrase -> (path, line) of its first definition
    cur_set = None
    n_transforms = 0
    for lineno, raw in enumerate(text.split('\n'), 1):
        line = strip_comment(raw)
        if not line:
            continue
        if line.startswith('---'):
            cur_set = None
            # "--- NAME [CODE] ---" (also "--- NAME [CODE]--- ---")
            m = re.match(r'^---\s+([^\s\[]+)\s*(\[[^\]]*\])?[\s-]*$', line)
            if not m:
                fail(msgs, path, lineno, "expected '--- NAME [CODE] ---'")
                blocks.append([None, [], {}, [], '---'])
                continue
            code = parse_code(m.group(2)) if m.group(2) else '---'
            if code is None or ':' in (code or ''):
                # a block code is the verbs' default: a passive part makes
                # no sense there unless it is the same meaning
                if code is None:
                    fail(msgs, path, lineno, 'bad block code ' + m.group(2))
                    code = '---'
            blocks.append([m.group(1).lower(), [], {}, [], code])
            continue
        if line.startswith('~'):
            cur_set = None
            n_transforms += 1
            continue
        if line.startswith('&'):
            name = line.split()[0].lower()
            cur_set = name
            if name not in synsets:
                synsets[name] = []
                synset_order.append(name)
            continue
        if line.startswith('+') and cur_set is not None:
            entry = line[1:].strip().lower()
            if entry.startswith('&'):
                if entry not in synsets:
                    fail(msgs, path, lineno, 'undefined synset ' + entry)
                    continue
            entry = ' '.join(entry.replace('_', ' ').split()) + ('_' if entry.endswith('_') else '')
            if entry and entry not in synsets[cur_set]:
                synsets[cur_set].append(entry)
            continue
        cur_set = None
        if line.startswith('-'):
            if not blocks or blocks[-1][0] is None:
                fail(msgs, path, lineno, 'pattern outside a verb block')
                continue
            toks = tokens(line[1:].lower())
            if not toks:
                fail(msgs, path, lineno, 'empty pattern')
                continue
            code = parse_code(toks[-1].upper())
            if code is None:
                fail(msgs, path, lineno, 'bad code ' + toks[-1])
                continue
            toks = toks[:-1]
            why = check_pattern(toks, synsets)
            if why:
                fail(msgs, path, lineno, why)
                continue
            blk = blocks[-1]
            for alt in alternatives(toks):
                body = canonical(alt)
                if body not in blk[2]:
                    blk[3].append(body)
                blk[2][body] = code        # PETRARCH2: the later pattern wins
            continue
        # a verb line: VERB [CODE] {FORMS}
        if not blocks or blocks[-1][0] is None:
            fail(msgs, path, lineno, 'verb outside a verb block')
            continue
        line = line.split(';')[0]       # TABARI-style comments
        toks = tokens(line.lower())
        if not toks or toks[0] in ('{', '}', '(', ')') or toks[0].startswith('['):
            fail(msgs, path, lineno, 'expected a verb')
            continue
        word = toks[0]
        if not re.match(r"^\+?[a-z][a-z'.-]*(_\+?[a-z'.-]+)*$", word) or word.count('+') > 1:
            fail(msgs, path, lineno, 'bad verb ' + toks[0])
            continue
        if '_' in word and '+' not in word:
            word = '+' + word
        forms, code, in_forms = [], None, False
        for t in toks[1:]:
            if t == '{':
                in_forms = True
            elif t == '}':
                in_forms = False
            elif in_forms:
                f = verb_word(t.strip(','))
                if f and f not in forms:
                    forms.append(f)
            elif t.startswith('['):
                code = parse_code(t.upper())
                if code is None:
                    fail(msgs, path, lineno, 'bad code ' + t)
        blk = blocks[-1]
        if code is None:
            code = blk[4]
        if word in seen_verbs:
            first_blk, first_line = seen_verbs[word]
            if first_blk is blk:
                # the same verb twice in a block ("BRING", "BRING {...}"): one verb
                for w, c, f in blk[1]:
                    if w == word:
                        f.extend(x for x in forms if x not in f)
                continue
            notes.append('%s:%d: verb %s is already in block %s (line %d): PETRARCH keeps '
                         'the first' % (path, lineno, word, first_blk[0], first_line))
            continue
        seen_verbs[word] = (blk, lineno)
        blk[1].append((word, code, forms))
    return synsets, synset_order, blocks, n_transforms


def main():
    args = [a for a in sys.argv[1:] if a != '--strict']
    strict = '--strict' in sys.argv[1:]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    path = args[0]
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    msgs, notes = [], []
    synsets, order, blocks, n_tr = convert(path, text, msgs, notes)
    out = sys.stdout
    out.write('# cameo-verbs: converted from %s (PETRARCH2 verb dictionary format)\n'
              % os.path.basename(path))
    out.write('# by tools/gen_petrarch_verbs.py: do not edit.  Format: docs/analyze.md\n')
    out.write('# ("Verb files"); licence and credit: data/verbs/LICENSE.petrarch.\n')
    for name in order:
        if synsets[name]:
            out.write('%s %s\n' % (name, '|'.join(synsets[name])))
    n_verbs = n_pats = 0
    for name, verbs, pats, porder, _code in blocks:
        if name is None or (not verbs and not pats):
            continue
        out.write('= %s\n' % name)
        for word, code, forms in verbs:
            out.write('v %s %s%s\n' % (word, code, ''.join(' ' + f for f in forms)))
            n_verbs += 1
        for body in porder:
            out.write('p %s %s\n' % (body, pats[body]))
            n_pats += 1
    for m in msgs:
        print('gen_petrarch_verbs: skipped: ' + m, file=sys.stderr)
    for m in notes:
        print('gen_petrarch_verbs: note: ' + m, file=sys.stderr)
    print('gen_petrarch_verbs: %d synsets, %d blocks, %d verbs, %d patterns; %d lines '
          'skipped; %d verbs left in their first block; %d transformations not converted' %
          (len(order), sum(1 for b in blocks if b[0]), n_verbs, n_pats, len(msgs), len(notes),
           n_tr),
          file=sys.stderr)
    return 1 if strict and msgs else 0


if __name__ == '__main__':
    sys.exit(main())
