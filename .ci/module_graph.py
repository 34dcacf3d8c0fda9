#!/usr/bin/env python3
"""Fails when the top-level modules of src/ import each other in a circle, or when a layer
imports one above it (DESIGN 8.1: model <- config, net <- checks <- audit <- score <- report
<- cmd <- main).

Reads `crate::` paths (and, in lib.rs, paths starting with a module name) outside comments
and `#[cfg(test)]` modules. The crate root (lib.rs) counts as a module named `lib`.
Usage: .ci/module_graph.py [SRC_DIR] [-v]   (-v prints every edge and the files behind it)
"""
import os
import re
import sys

# Imports a layer must never make: (importer, imported).
FORBIDDEN = [
    ("model", "*"), ("catalogue", "cli"),
    ("checks", "audit"), ("checks", "score"), ("checks", "report"), ("checks", "cmd"),
    ("checks", "sandbox"), ("checks", "progress"), ("checks", "cli"),
    ("audit", "score"), ("audit", "report"), ("audit", "cmd"),
    ("score", "audit"), ("score", "checks"), ("score", "report"), ("score", "cmd"),
    ("report", "audit"), ("report", "checks"), ("report", "net"), ("report", "cmd"),
    ("config", "checks"), ("config", "net"), ("net", "checks"), ("net", "config"),
    ("sandbox", "cmd"), ("sandbox", "checks"), ("sandbox", "report"),
]


def modules(root):
    found = set()
    for n in os.listdir(root):
        if n.endswith(".rs") and n not in ("lib.rs", "main.rs"):
            found.add(n[:-3])
        elif os.path.isdir(os.path.join(root, n)):
            found.add(n)
    return found


def owner(root, path):
    first = os.path.relpath(path, root).split(os.sep)[0]
    if first in ("lib.rs", "main.rs"):
        return "lib"
    return first[:-3] if first.endswith(".rs") else first


def blank_literals(text):
    """Text with comments, string/char literals and raw strings blanked (newlines kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif re.match(r'b?r#*"', text[i:i + 12]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'b?r(#*)"', text[i:])
            end = text.find('"' + m.group(1), i + m.end())
            j = n if end < 0 else end + 1 + len(m.group(1))
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j + 1
        elif c == "'" and re.match(r"'(\\.|\\u\{[0-9a-fA-F]+\}|[^\\'])'", text[i:i + 12]):
            m = re.match(r"'(\\.|\\u\{[0-9a-fA-F]+\}|[^\\'])'", text[i:i + 12])
            out.append("' '")
            i += m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def strip(text):
    text = blank_literals(text)
    # A `#[cfg(test)] mod name { ... }` block, by brace matching.
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def split_top(group):
    depth, cur, items = 0, "", []
    for ch in group:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items.append(cur)
    names = []
    for item in items:
        m = re.match(r"\s*(\w+)", item)
        if m:
            names.append(m.group(1))
    return names


def targets(text, mods, is_root):
    out = set()
    for m in re.finditer(r"\bcrate::(\{.*?\}(?=\s*;)|\w+)", text, flags=re.S):
        g = m.group(1)
        names = split_top(g[1:-1]) if g.startswith("{") else [g]
        for n in names:
            out.add(n if n in mods else "lib")
    if is_root:
        for m in re.finditer(r"(?<![\w:])(\w+)::", text):
            if m.group(1) in mods:
                out.add(m.group(1))
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    root = args[0] if args else os.path.join(os.path.dirname(__file__), "..", "src")
    mods = modules(root)
    edges = {}
    for dp, _, files in os.walk(root):
        for f in sorted(files):
            if not f.endswith(".rs"):
                continue
            p = os.path.join(dp, f)
            o = owner(root, p)
            if f == "main.rs" and dp == root:
                continue  # the binary, a separate crate
            with open(p, encoding="utf-8") as fh:
                t = strip(fh.read())
            for tgt in targets(t, mods, o == "lib" and f == "lib.rs"):
                if tgt != o:
                    edges.setdefault(o, {}).setdefault(tgt, set()).add(os.path.relpath(p, root))
    if "-v" in sys.argv:
        for a in sorted(edges):
            print(f"{a} -> {', '.join(sorted(edges[a]))}")
    bad = False
    for a, b in FORBIDDEN:
        for tgt in sorted(edges.get(a, {})):
            if b in ("*", tgt) and not (a == "model" and tgt == "model"):
                bad = True
                print(f"layer violation: {a} imports {tgt} ({', '.join(sorted(edges[a][tgt]))})")
    # Strongly connected components (Tarjan): any with more than one module is a cycle.
    index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, {})):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    for v in sorted(set(edges) | {t for d in edges.values() for t in d}):
        if v not in index:
            visit(v)
    for comp in sccs:
        bad = True
        print("import cycle between top-level modules: " + " <-> ".join(comp))
        for a in comp:
            for b in comp:
                if b in edges.get(a, {}):
                    print(f"  {a} -> {b}: {', '.join(sorted(edges[a][b]))}")
    if bad:
        sys.exit(1)
    print(f"module graph: {len(mods) + 1} top-level modules, no import cycle, no layer violation")


if __name__ == "__main__":
    main()
