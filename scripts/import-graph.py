#!/usr/bin/env python3
"""The app crate's import graph, measured: which top-level folders (and which files) name
which others, the circles among them, and the arrows that run back up the floors of the house
(docs/architecture.md: the shell → site, mobile → the features → ui, platform → domain),
and any feature that calls another feature's server functions.

    scripts/import-graph.py             # the folders' graph, its circles and back-up arrows
    scripts/import-graph.py --files     # and the circles between single files (modules)
    scripts/import-graph.py --check     # exit 1 if there is any circle or back-up arrow

A reference is any `crate::a::b…` path in the code (comments and strings stripped), and the
`super::…` paths resolved from the file's own module. Each file belongs to its top-level
module under app/src (`app/src/domain/phone.rs` → `domain`; `app/src/lib.rs` → the root)."""
import importlib.util
import os
import re
import sys

ROOT = "app/src"
HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("code_shape", os.path.join(HERE, "code-shape.py"))
code_shape = importlib.util.module_from_spec(spec)
spec.loader.exec_module(code_shape)
strip = code_shape.strip

# The floors, lowest first: a folder may name folders on its own floor's list only when they
# are on a lower floor (or are itself). Folders not listed are reported as unplaced.
FLOORS = [
    {"domain"},
    {"platform", "ui"},
    set(),  # the features (FEATURES)
    {"site", "mobile"},
    {"<root>"},
]
# One folder per feature: its types, server functions (`api`), SQL, rules, pages and handlers.
FEATURES = {"registry", "accounts", "face_check", "certificates", "credentials", "care", "staff", "evaluation", "privacy"}
FLOORS[2] = FEATURES


def floor_of(folder):
    for i, names in enumerate(FLOORS):
        if folder in names:
            return i
    return None


def module_path(path):
    """`app/src/a/b/c.rs` → ['a', 'b', 'c']; mod.rs and lib.rs name their folder."""
    rel = os.path.relpath(path, ROOT)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib"):
        rel = rel[:-1]
    return rel


def references(path):
    """The module paths a file names (as lists of names), `crate::` and `super::` alike."""
    code = strip(open(path, encoding="utf-8").read())
    me = module_path(path)
    found = []
    for m in re.finditer(r"\bcrate((?:::[A-Za-z_][A-Za-z0-9_]*)+)", code):
        found.append(m.group(1).strip(":").split("::"))
    for m in re.finditer(r"\b((?:super::)+)((?:[A-Za-z_][A-Za-z0-9_]*::)*[A-Za-z_][A-Za-z0-9_]*)", code):
        ups = m.group(1).count("super")
        # In a.rs or a/mod.rs, `super` is a's parent (inline test modules aside).
        base = me[: max(len(me) - ups, 0)]
        found.append(base + m.group(2).split("::"))
    # `use crate::{a, b::c}` groups.
    for m in re.finditer(r"\buse\s+crate::\{([^}]*)\}", code):
        for part in m.group(1).split(","):
            part = part.strip()
            if part:
                found.append(part.split("::"))
    return found


def files():
    for dirpath, _, names in os.walk(ROOT):
        for f in names:
            if f.endswith(".rs"):
                yield os.path.join(dirpath, f)


def known_modules():
    return {tuple(module_path(p)): p for p in files()}


def main():
    os.chdir(os.path.join(HERE, ".."))
    modules = known_modules()
    top = lambda mod: mod[0] if mod else "<root>"
    folder_edges = {}
    file_edges = {}
    # (feature, `<other feature>.api`, file): a feature calling another's server functions.
    foreign_api = set()
    for path in sorted(files()):
        me = tuple(module_path(path))
        for ref in references(path):
            if (len(ref) > 1 and ref[1] == "api" and ref[0] in FEATURES
                    and top(me) in FEATURES and top(me) != ref[0]):
                foreign_api.add((top(me), ".".join(ref[:2]), os.path.relpath(path, ROOT)))
            # The longest known module the path starts with.
            target = None
            for k in range(len(ref), 0, -1):
                if tuple(ref[:k]) in modules:
                    target = tuple(ref[:k])
                    break
            if target is None or target == me or me[: len(target)] == target:
                continue  # itself, or an ancestor's items (the module's own parent)
            a, b = top(me), top(target)
            if a != b:
                folder_edges.setdefault((a, b), set()).add(path)
            if target[: len(me)] != me:
                file_edges.setdefault(modules[me], set()).add(modules[target])
    problems = 0
    print("folder → folder (files that name it):")
    for (a, b), where in sorted(folder_edges.items()):
        print(f"  {a:13} → {b:13} {len(where)}")
    back = []
    for (a, b), where in sorted(folder_edges.items()):
        fa, fb = floor_of(a), floor_of(b)
        if fa is not None and fb is not None and fb > fa:
            back.append((a, b, sorted(where)))
    print(f"arrows running back up: {len(back)}")
    for a, b, where in back:
        print(f"  {a} → {b}: {', '.join(os.path.relpath(w, ROOT) for w in where)}")
    problems += len(back)
    circles = [tuple(sorted(c)) for c in strongly_connected({k for k in folder_edges})]
    print(f"circles between folders: {len(circles)}")
    for c in circles:
        print("  " + " ↔ ".join(c))
    problems += len(circles)
    file_circles = [c for c in strongly_connected({(a, b) for a, bs in file_edges.items() for b in bs})]
    print(f"circles between files: {len(file_circles)}")
    if "--files" in sys.argv or "--check" in sys.argv:
        for c in file_circles:
            print("  " + " ↔ ".join(sorted(os.path.relpath(p, ROOT) for p in c)))
    problems += len(file_circles)
    # No feature calls another feature's server functions (`<feature>::api`).
    print(f"features calling another feature's server functions: {len(foreign_api)}")
    for a, api, where in sorted(foreign_api):
        print(f"  {a} → {api}: {where}")
    problems += len(foreign_api)
    unplaced = sorted({x for e in folder_edges for x in e if floor_of(x) is None})
    if unplaced:
        print(f"folders on no floor: {' '.join(unplaced)}")
    if "--check" in sys.argv and problems:
        sys.exit(1)


def strongly_connected(edges):
    """Tarjan's components with more than one member."""
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
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
                out.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    main()
