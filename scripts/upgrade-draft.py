#!/usr/bin/env python3
"""Drafts an upgrade script: the statements of the new install script that
the old one does not hold verbatim, in the new script's order, with CREATE
FUNCTION turned into CREATE OR REPLACE FUNCTION for functions the old
script had. Changed tables, types and dropped objects still need a hand:
the draft lists them at its end as comments. tests/upgrade/check.sh proves
the result equals a fresh install.

  scripts/upgrade-draft.py OLD.sql NEW.sql > draft.sql
"""
import re
import sys


def statements(text):
    """Splits SQL into statements, minding quotes, dollar quotes, comments
    and BEGIN ATOMIC bodies; comments between statements are dropped."""
    out, cur, i, n = [], [], 0, len(text)
    atomic = 0
    while i < n:
        c = text[i]
        if text.startswith("--", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            if cur and "".join(cur).strip():
                cur.append(text[i:j])
            i = j
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i) + 2
            i = j
            continue
        if c == "'":
            j = i + 1
            while j < n:
                if text[j] == "'" and text.startswith("''", j):
                    j += 2
                    continue
                if text[j] == "'":
                    break
                j += 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        m = re.match(r"\$[A-Za-z_]*\$", text[i:])
        if m:
            tag = m.group(0)
            j = text.find(tag, i + len(tag)) + len(tag)
            cur.append(text[i:j])
            i = j
            continue
        if re.match(r"BEGIN ATOMIC\b", text[i:], re.I):
            atomic += 1
        if atomic and re.match(r"\nEND;", text[i:]):
            atomic -= 1
            cur.append("\nEND;")
            i += 5
            out.append("".join(cur).strip())
            cur = []
            continue
        if c == ";" and not atomic:
            cur.append(";")
            s = "".join(cur).strip()
            if s != ";":
                out.append(s)
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    return [s for s in out if s]


def key(stmt):
    m = re.match(r"CREATE\s+(?:OR REPLACE\s+)?FUNCTION\s+([^\s(]+)\s*\(([^)]*)\)", stmt, re.I)
    if m:
        return ("function", m.group(1).replace('"', "").split(".")[-1], m.group(2))
    m = re.match(r"CREATE\s+(TABLE|TYPE|VIEW|INDEX|TRIGGER)\s+(\S+)", stmt, re.I)
    if m:
        return (m.group(1).lower(), m.group(2), "")
    return None


def main(old_path, new_path):
    old = statements(open(old_path).read())
    new = statements(open(new_path).read())
    old_set = set(old)
    old_keys = {}
    for s in old:
        k = key(s)
        if k:
            old_keys[k[:2]] = s
    review = []
    for s in new:
        if s in old_set:
            continue
        k = key(s)
        if k and k[0] == "function" and k[:2] in old_keys:
            s = re.sub(r"^CREATE\s+FUNCTION", "CREATE OR REPLACE FUNCTION", s, flags=re.I)
        elif k and k[0] == "view" and k[:2] in old_keys:
            # same columns (or new ones at the end): replaced in place
            s = re.sub(r"^CREATE\s+VIEW", "CREATE OR REPLACE VIEW", s, flags=re.I)
        elif k and k[0] not in ("function", "view") and k[:2] in old_keys:
            review.append(f"-- CHANGED {k[0]} {k[1]}: write the ALTER by hand")
            continue
        print(s + "\n")
    new_keys = {key(s)[:2] for s in new if key(s)}
    for k in old_keys:
        if k not in new_keys:
            review.append(f"-- GONE {k[0]} {k[1]}: drop it by hand")
    new_tables = [key(s)[1] for s in new if key(s) and key(s)[0] == "table" and key(s)[:2] not in old_keys]
    for t in new_tables:
        review.append(f"-- NEW table {t}: register it (and its identity sequence) with pg_extension_config_dump")
    print("\n".join(review))


if __name__ == "__main__":
    main(*sys.argv[1:3])
