#!/usr/bin/env python3
"""record_tool.py - the test suite's independent implementation of the
record format (engine/record.h): canonical JSON as jansson writes it
(sorted keys, compact, control characters as \\u00XX upper case), the
SHA-256 chain, and the attacker's tools: rewrite a journal with a fresh
chain, plant hostile text, mutate a JSON export.

  record_tool.py rehash IN OUT          recompute every prev/hash
  record_tool.py hostile IN OUT         plant hostile text, then rehash
  record_tool.py edit-note IN OUT TEXT  change the first note's text, rehash
  record_tool.py mutate KIND IN OUT     mutate a JSON export's records
                                        (edit, delete, swap, insert, summary)
"""
import hashlib
import json
import sys

ESC = {'"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f'}


def jstr(s):
    out = []
    for ch in s:
        if ch in ESC:
            out.append(ESC[ch])
        elif ord(ch) < 0x20:
            out.append('\\u%04X' % ord(ch))
        else:
            out.append(ch)
    return '"' + ''.join(out) + '"'


def canon(v):
    if isinstance(v, dict):
        return '{' + ','.join(jstr(k) + ':' + canon(v[k]) for k in sorted(v)) + '}'
    if isinstance(v, list):
        return '[' + ','.join(canon(x) for x in v) + ']'
    if v is True:
        return 'true'
    if v is False:
        return 'false'
    if v is None:
        return 'null'
    if isinstance(v, int):
        return str(v)
    return jstr(v)


def rehash(recs):
    prev = '0' * 64
    for i, r in enumerate(recs):
        r['seq'] = i + 1
        r['prev'] = prev
        r.pop('hash', None)
        r['hash'] = hashlib.sha256(canon(r).encode('utf-8')).hexdigest()
        prev = r['hash']
    return recs


def read(path):
    return [json.loads(line) for line in open(path, encoding='utf-8')]


def write(path, recs):
    with open(path, 'w', encoding='utf-8', newline='') as f:
        for r in recs:
            f.write(canon(r) + '\n')


HOSTILE = {
    'operator': 'Ann\x1b]0;PWNED\x07 \x1b[31mRED\x1b[0m',
    'note': 'OK\rFAIL \u202eevil\u202c \x7f end',
    'skip': 'reason <script>alert(1)</script> | pipe & "quote" \'apos\' \u2066iso\u2069',
}


def hostile(recs):
    for r in recs:
        b = r['body']
        if b.get('type') == 'event' and b.get('event') in HOSTILE:
            b['arg'] = HOSTILE[b['event']]
        if b.get('type') == 'signoff':
            b['name'] = 'Mallory\x1b[2J\u200f'
    return recs


def mutate(kind, doc):
    recs = doc['records']
    if kind == 'edit':
        for r in recs:
            if r['body'].get('type') == 'event':
                r['body']['arg'] = r['body']['arg'] + 'x'
                break
    elif kind == 'delete':
        del recs[len(recs) // 2]
    elif kind == 'swap':
        m = len(recs) // 2
        recs[m], recs[m + 1] = recs[m + 1], recs[m]
    elif kind == 'insert':
        recs.insert(len(recs) // 2, dict(recs[len(recs) // 2]))
    elif kind == 'summary':
        doc['steps'][0]['status'] = 'skipped'
    return doc


def main(argv):
    cmd = argv[1]
    if cmd == 'rehash':
        write(argv[3], rehash(read(argv[2])))
    elif cmd == 'hostile':
        write(argv[3], rehash(hostile(read(argv[2]))))
    elif cmd == 'edit-note':
        recs = read(argv[2])
        for r in recs:
            if r['body'].get('event') == 'note':
                r['body']['arg'] = argv[4]
                break
        write(argv[3], rehash(recs))
    elif cmd == 'mutate':
        doc = json.load(open(argv[3], encoding='utf-8'))
        text = json.dumps(mutate(argv[2], doc), indent=1, sort_keys=True, ensure_ascii=True)
        open(argv[4], 'w').write(text + '\n')
    else:
        sys.exit('unknown command ' + cmd)


if __name__ == '__main__':
    main(sys.argv)
