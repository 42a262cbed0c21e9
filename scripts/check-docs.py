#!/usr/bin/env python3
"""Checks that README.md and docs/*.md name only what exists, so the pages cannot drift from
the code.

    python3 scripts/check-docs.py        # (also `make docs-check`, and part of `make fmt-check`)

It fails (exit 1), printing each problem as `file:line: message`, when
  1. a repository path in backticks, in a code block or in a markdown link does not exist
     (a glob must match a file; `{a,b}` names both; paths under the build's own output folders,
     such as `target/` and `data/`, are not checked: a fresh clone has none);
  2. a `make X` names a target the Makefile does not define;
  3. a `scripts/…` command names a script that does not exist, or a `cargo xtask`, `server`,
     `scripts/drill.py` or `scripts/cluster.sh` command names a subcommand (or a flag) the code
     does not handle;
  4. a link to another page (`x.md`, `x.md#anchor`, `#anchor`) points to a missing file or
     heading (GitHub's anchors);
  5. a `PORTAL_…` variable in backticks is found nowhere in the code, scripts or deployment;
  6. a Rust path such as `components::dialog::Dialog` names a module or item that is not there;
  7. docs/developing.md does not state `make test`'s measured time in minutes, or any page
     states more than the target of 15 minutes.
Standard library only."""
import glob
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEST_MINUTES_TARGET = 15
# Where `PORTAL_…` variables must be read or set for a page to name them.
VARIABLE_SOURCES = ["app", "server", "scripts", "xtask", "deploy", "Makefile", ".ci"]
SOURCE_SUFFIXES = (".rs", ".py", ".sh", ".lua", ".ts", ".mjs", ".js", ".cfg", ".service",
                   ".example", ".toml", ".http")

problems = []
counts = {"paths": 0, "items": 0, "targets": 0, "commands": 0, "links": 0, "variables": 0}


def problem(doc, line, message):
    problems.append(f"{doc}:{line}: {message}")


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def pages():
    found = ["README.md"] + sorted(
        os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "docs", "*.md")))
    return [p for p in found if os.path.exists(os.path.join(ROOT, p))]


# ---------------------------------------------------------------- what the repository holds

TOP = sorted(e for e in os.listdir(ROOT) if e != ".git" and not e.startswith(".git")
             and (not e.startswith(".") or os.path.isdir(os.path.join(ROOT, e))))
TOP_FILES = {e for e in TOP if os.path.isfile(os.path.join(ROOT, e))}


def ignored_roots():
    """Top-level folders the build makes (in .gitignore as `/name` or `name/`): a path under
    them exists only after a build or a run, so it is not checked."""
    roots = set()
    try:
        for line in read(".gitignore").splitlines():
            line = line.strip()
            m = re.fullmatch(r"/?([A-Za-z0-9_.-]+)/?", line)
            if m and (line.startswith("/") or line.endswith("/")):
                roots.add(m.group(1))
    except FileNotFoundError:
        pass
    return roots


GENERATED = ignored_roots()


def make_targets():
    targets = set()
    for line in read("Makefile").splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", line)
        if m and m.group(1) != ".PHONY":
            targets.add(m.group(1))
    phony = re.search(r"^\.PHONY:((?:.*\\\n)*.*)$", read("Makefile"), re.M)
    if phony:
        targets.update(phony.group(1).replace("\\\n", " ").split())
    return targets


TARGETS = make_targets()


def source_text(paths):
    chunks = []
    for path in paths:
        full = os.path.join(ROOT, path)
        if os.path.isfile(full):
            chunks.append(read(path))
            continue
        for dirpath, dirnames, files in os.walk(full):
            dirnames[:] = [d for d in dirnames if d not in ("node_modules", "target", "__pycache__")]
            for f in files:
                if f.endswith(SOURCE_SUFFIXES) or "." not in f:
                    try:
                        with open(os.path.join(dirpath, f), encoding="utf-8") as h:
                            chunks.append(h.read())
                    except (UnicodeDecodeError, OSError):
                        pass
    return "\n".join(chunks)


VARIABLE_TEXT = source_text(VARIABLE_SOURCES)

# Subcommands and the file whose string literals must name them.
SUBCOMMANDS = {
    "cargo xtask": "xtask/src/main.rs",
    "server": "server/src/cli/**/*.rs",
    "scripts/drill.py": "scripts/drill.py",
    "scripts/cluster.sh": "scripts/cluster.sh",
}


def handles(source, word):
    """Whether `source` handles `word` as a subcommand or flag: its string literal (Rust,
    Python) or a case label (shell)."""
    text = "\n".join(read(os.path.relpath(p, ROOT))
                     for p in sorted(glob.glob(os.path.join(ROOT, source), recursive=True)))
    w = re.escape(word)
    return re.search(rf"[\"']{w}[\"']|^\s*{w}(\|[^)]*)?\)|\|{w}\)", text, re.M) is not None


# ---------------------------------------------------------------- reading the pages


def anchor(heading):
    """GitHub's anchor for a heading: the rendered text, lowercase, punctuation removed
    (letters, marks, digits, `_`, `-` and spaces kept: CJK too), spaces to `-`."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links: their text
    text = text.replace("`", "").replace("**", "").replace("__", "")
    text = text.strip().lower()
    kept = []
    for c in text:
        cat = unicodedata.category(c)
        if c in " -" or cat[0] in "LMN" or cat == "Pc":
            kept.append(c)
    return "".join(kept).replace(" ", "-")


def anchors_of(path):
    seen, result = {}, set()
    in_code = False
    for line in read(path).splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        m = None if in_code else re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            a = anchor(m.group(1))
            n = seen.get(a, 0)
            seen[a] = n + 1
            result.add(a if n == 0 else f"{a}-{n}")
    return result


def spans(path):
    """(line number, text, kind) for every inline code span ('code': found in its paragraph,
    so that a span wrapped over two lines is one), every fenced code block line ('block') and
    every markdown link target ('link')."""
    paragraph, in_code = [], False

    def flush():
        if not paragraph:
            return
        first = paragraph[0][0]
        text = "\n".join(l for _, l in paragraph)

        def line_at(offset, within=text):
            return first + within.count("\n", 0, offset)

        for m in re.finditer(r"(`+)([^`][\s\S]*?)\1", text):
            yield line_at(m.start()), " ".join(m.group(2).split()), "code"
        outside = re.sub(r"(`+)([^`][\s\S]*?)\1", lambda m: "\n" * m.group(0).count("\n"), text)
        for m in re.finditer(r"\]\(([^)\s]+)\)", outside):
            yield line_at(m.start(), outside), m.group(1), "link"
        paragraph.clear()

    for number, line in enumerate(read(path).splitlines(), 1):
        if line.startswith("```"):
            yield from flush()
            in_code = not in_code
            continue
        if in_code:
            yield number, line, "block"
        elif line.strip():
            paragraph.append((number, line))
        else:
            yield from flush()
    yield from flush()


def expand_braces(token):
    m = re.search(r"\{([^{}]*,[^{}]*)\}", token)
    if not m:
        return [token]
    out = []
    for alt in m.group(1).split(","):
        out.extend(expand_braces(token[:m.start()] + alt + token[m.end():]))
    return out


def looks_like_path(token):
    if not token or " " in token or "://" in token or "<" in token or ">" in token:
        return False
    if token in TOP_FILES:
        return True
    first = token.split("/", 1)[0]
    return "/" in token and first in TOP


def check_path(doc, line, token):
    """A repository path, relative to the root."""
    token = token.rstrip(".,;:")
    token = re.sub(r"(\.\.\.|…)", "*", token)
    for path in expand_braces(token):
        rel = path.rstrip("/")
        if rel.split(os.sep, 1)[0] in GENERATED:
            continue
        counts["paths"] += 1
        full = os.path.join(ROOT, rel)
        if "*" in rel or "?" in rel:
            matches = glob.glob(full) + glob.glob(full + "*")
            if not matches:
                problem(doc, line, f"no file matches `{path}`")
        elif not os.path.exists(full):
            problem(doc, line, f"`{path}` does not exist")
        elif path.endswith("/") and not os.path.isdir(full):
            problem(doc, line, f"`{path}` is not a folder")


def words(text):
    """The path-like words of a code block line or a command."""
    for w in re.split(r"[\s()\[\]'\"=]+", text):
        w = w.strip("`,;:")
        if looks_like_path(w):
            yield w


def check_commands(doc, line, text):
    """`make X`, `scripts/…`, and the subcommands (and flags) of `cargo xtask`, the `server`
    binary, `scripts/drill.py` and `scripts/cluster.sh` named in a code span or block line."""
    for m in re.finditer(r"(?<![\w/-])make\s+([a-z][a-z0-9_-]*)(?![\w=])", text):
        counts["targets"] += 1
        if m.group(1) not in TARGETS:
            problem(doc, line, f"`make {m.group(1)}`: the Makefile has no target `{m.group(1)}`")
    for command, source in SUBCOMMANDS.items():
        if command == "server":
            # The binary as a command: the whole span or line starts with it, or names it as
            # target/<profile>/server.
            pattern = r"(?:^|(?<![\w/-])target/[a-z]+/)server((?:\s+[a-z][\w-]*)+)"
        else:
            pattern = r"(?<![\w/])" + re.escape(command) + r"((?:\s+[a-z][\w-]*)+)"
        for m in re.finditer(pattern, text):
            subs = m.group(1).split()
            # `server registry generate`, `server demo load-accounts`: the second word too.
            for sub in subs[: 2 if command == "server" and subs[0] in ("registry", "demo", "documents") else 1]:
                counts["commands"] += 1
                if not handles(source, sub):
                    problem(doc, line, f"`{command} {sub}`: {source} does not handle `{sub}`")
            rest = text[m.end():].split("&&")[0].split("#")[0]
            for flag in re.findall(r"(?<!\S)(--[a-z][a-z-]*)", rest):
                if command == "cargo xtask" and flag != "--no-build":
                    continue  # Playwright's own arguments pass through
                counts["commands"] += 1
                if not handles(source, flag):
                    problem(doc, line, f"`{command} … {flag}`: {source} does not know `{flag}`")
    for m in re.finditer(r"(?<![\w/.-])(scripts/[\w./-]+)", text):
        script = m.group(1).rstrip(".,;:")
        counts["commands"] += 1
        if not os.path.exists(os.path.join(ROOT, script.rstrip("/"))):
            problem(doc, line, f"`{script}` does not exist")


RUST_ROOTS = {"app": "app/src", "server": "server/src", "xtask": "xtask/src", "frontend": "frontend/src"}
ITEM = r"(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:fn|struct|enum|trait|const|static|type|mod|macro_rules!)\s+{}\b"


def check_rust_item(doc, line, token):
    """A Rust path such as `api::caller::serve` or `components::dialog::Dialog`: each module a
    file (or an inline `mod`) of app/, server/, xtask/ or frontend/, and the last name an item
    defined in the module reached (or a variant or method: a name in it)."""
    parts = token.split("::")
    if parts[0] in RUST_ROOTS and len(parts) > 1:
        roots, parts = [RUST_ROOTS[parts[0]]], parts[1:]
    elif parts[0] == "crate":
        return
    else:
        roots = [r for r in ("app/src", "server/src")
                 if os.path.exists(os.path.join(ROOT, r, parts[0] + ".rs"))
                 or os.path.isdir(os.path.join(ROOT, r, parts[0]))]
        if not roots:
            return  # not a module of the portal (a crate's path, `leptos::…`)
    counts["items"] += 1
    for root in roots:
        folder, file = os.path.join(ROOT, root), None
        ok = True
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            as_file = os.path.join(folder, part + ".rs")
            as_dir = os.path.join(folder, part, "mod.rs")
            if not last and (os.path.exists(as_file) or os.path.exists(as_dir)):
                file = as_file if os.path.exists(as_file) else as_dir
                folder = os.path.join(folder, part)
                continue
            text = open(file, encoding="utf-8").read() if file else ""
            if file and re.search(ITEM.format(re.escape(part)), text):
                continue  # an item, or an inline module the next part is inside
            if last and file and i > 0 and parts[i - 1][:1].isupper() and re.search(
                    rf"\b{re.escape(part)}\b", text):
                continue  # a variant, field or method of the type before
            ok = False
            break
        if ok:
            return
    problem(doc, line, f"`{token}`: no such item in {' or '.join(roots)}")


def check_link(doc, line, target):
    if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("//"):
        return  # a URL (http:, https:, mailto:)
    if target.startswith("/"):
        return  # an address of the portal itself
    counts["links"] += 1
    path, _, fragment = target.partition("#")
    base = os.path.dirname(doc)
    linked = os.path.normpath(os.path.join(base, path)) if path else doc
    if path:
        if not os.path.exists(os.path.join(ROOT, linked)):
            problem(doc, line, f"link to `{target}`: `{linked}` does not exist")
            return
    if fragment and linked.endswith(".md"):
        if fragment not in anchors_of(linked):
            problem(doc, line, f"link to `{target}`: `{linked}` has no heading with anchor `#{fragment}`")


def check_variables(doc, line, text):
    for name in re.findall(r"\bPORTAL_[A-Z0-9_]*(?:[A-Z0-9]|_\*)", text):
        counts["variables"] += 1
        if name.endswith("*"):
            found = re.search(re.escape(name[:-1]) + r"[A-Z0-9_]+", VARIABLE_TEXT)
        else:
            found = re.search(re.escape(name) + r"(?![A-Z0-9_])", VARIABLE_TEXT)
        if not found:
            problem(doc, line, f"`{name}` is read nowhere in {', '.join(VARIABLE_SOURCES)}")


# ---------------------------------------------------------------- make test's figure

MINUTES = re.compile(r"`?make test`?(?:[^.]|\.(?=\d))*?(?<![\d.])(\d+(?:\.\d+)?)"
                     r"(?:\s*[–-]\s*(\d+(?:\.\d+)?))?\s+minutes")


def sentences(doc):
    """(first line, sentence) for the prose of a page: paragraphs joined, split at a full
    stop followed by a space."""
    paragraph, start, in_code = [], 0, False
    for number, line in enumerate(read(doc).splitlines() + [""], 1):
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        if line.strip() and not line.startswith("#"):
            if not paragraph:
                start = number
            paragraph.append(line.strip())
            continue
        if paragraph:
            text = " ".join(paragraph)
            for s in re.split(r"(?<=[.!?。])\s+", text):
                yield start, s
            paragraph = []


def check_test_minutes(docs):
    stated = False
    for doc in docs:
        for line, sentence in sentences(doc):
            m = MINUTES.search(sentence)
            if not m:
                continue
            figure = max(float(m.group(1)), float(m.group(2) or 0))
            if doc == "docs/developing.md":
                stated = True
            if figure > TEST_MINUTES_TARGET:
                problem(doc, line, f"`make test` stated to take {figure:g} minutes: over the "
                        f"target of {TEST_MINUTES_TARGET}")
    if "docs/developing.md" in docs and not stated:
        problem("docs/developing.md", 1, "no sentence states `make test`'s measured time in "
                "minutes (`make test` … N minutes)")


# ---------------------------------------------------------------- the run


def main():
    docs = pages()
    for doc in docs:
        for line, text, kind in spans(doc):
            if kind == "link":
                check_link(doc, line, text)
                continue
            if kind == "code" and re.fullmatch(r"[a-z_][a-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)+", text):
                check_rust_item(doc, line, text)
            elif kind == "code" and looks_like_path(text):
                check_path(doc, line, text)
            elif kind == "block" or " " in text:
                for w in words(text):
                    if not w.startswith("scripts/"):
                        check_path(doc, line, w)
            check_commands(doc, line, text)
            check_variables(doc, line, text)
    check_test_minutes(docs)
    seen = set()
    for p in sorted(problems, key=lambda p: (p.split(":")[0], int(p.split(":")[1]))):
        if p not in seen:
            seen.add(p)
            print(p)
    if problems:
        print(f"check-docs: {len(seen)} problem(s) in {len(docs)} pages", file=sys.stderr)
        return 1
    print(f"check-docs: {len(docs)} pages: {counts['paths']} paths, {counts['items']} Rust items, "
          f"{counts['targets']} make "
          f"targets, {counts['commands']} commands, {counts['links']} links, "
          f"{counts['variables']} variables checked; make test's figure within "
          f"{TEST_MINUTES_TARGET} minutes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
