#!/usr/bin/env python3
"""How the code is shaped, measured: functions longer than 80 lines, copies of the
server-function preamble, process-wide globals, files over 600 lines, the server crate's own
files, and each feature's folder (and any file elsewhere that carries its word).

    scripts/code-shape.py            # the summary
    scripts/code-shape.py --long     # and each long function, longest first

It reads Rust source only (comments and strings are stripped before braces are matched)."""
import os, re, sys

ROOTS = ["app/src", "documents/src", "server/src", "frontend/src"]
LIMIT = 80
FILE_LIMIT = 600
# The features (docs/architecture.md): each is one folder of app/src named by its word.
FEATURES = ["registry", "accounts", "face_check", "certificates", "credentials", "care"]


def sources():
    for root in ROOTS:
        for dirpath, _, files in os.walk(root):
            for f in files:
                if f.endswith(".rs"):
                    yield os.path.join(dirpath, f)


def strip(text):
    """Blanks comments, strings and chars, keeping newlines so that line numbers hold."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
            continue
        m = re.match(r'r(#*)"', text[i:]) if c == "r" and (i == 0 or not (text[i-1].isalnum() or text[i-1] == "_")) else None
        if m:
            end = '"' + m.group(1)
            j = text.find(end, i + len(m.group(0)))
            j = n if j < 0 else j + len(end)
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j
            continue
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j + 1
            continue
        if c == "'":
            m = re.match(r"'(\\.[^']*|[^'\\])'", text[i:])
            if m:
                out.append("' '")
                i += len(m.group(0))
                continue
        out.append(c)
        i += 1
    return "".join(out)


FN = re.compile(r"\bfn\s+([A-Za-z_][A-Za-z0-9_]*)")


def long_functions():
    found = []
    for path in sources():
        code = strip(open(path, encoding="utf-8").read())
        for m in FN.finditer(code):
            # The body starts at the first `{` after the signature (a `;` first: no body).
            k = m.end()
            depth_paren = 0
            while k < len(code):
                ch = code[k]
                if ch in "([":
                    depth_paren += 1
                elif ch in ")]":
                    depth_paren -= 1
                elif ch == ";" and depth_paren == 0:
                    k = -1
                    break
                elif ch == "{" and depth_paren == 0:
                    break
                k += 1
            if k < 0 or k >= len(code):
                continue
            depth, j = 0, k
            while j < len(code):
                if code[j] == "{":
                    depth += 1
                elif code[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            start = code.count("\n", 0, m.start()) + 1
            lines = code.count("\n", m.start(), j) + 1
            if lines > LIMIT:
                found.append((lines, f"{path}:{start}", m.group(1)))
    return sorted(found, reverse=True)


def preamble_copies():
    """Hand-written copies of the preamble (status mapping, state lookup), and the calls of
    the one helper that replaced them."""
    copies = re.compile(r"with_status\(async move|expect_context::<AppState>")
    helper = re.compile(r"\bserve(_signed_in)?\(\|")
    texts = [open(p, encoding="utf-8").read() for p in sources()]
    return sum(len(copies.findall(t)) for t in texts), sum(len(helper.findall(t)) for t in texts)


def process_globals():
    """Statics holding state made at run time (lazy cells, locks, semaphores); compile-time
    constants such as embedded migrations are not state. Test-only code is not counted."""
    pattern = re.compile(r"^\s*(pub(\([a-z]+\))?\s+)?static\s+[A-Z_0-9]+\s*:\s*(OnceLock|LazyLock|Mutex|RwLock|Semaphore|OnceCell|Lazy)", re.M)
    hits = []
    for p in sources():
        code = strip(open(p, encoding="utf-8").read())
        code = re.split(r"#\[cfg\(test\)\]", code)[0] if "tests.rs" not in p else ""
        for m in pattern.finditer(code):
            hits.append(p)
    return hits


def feature_folders():
    """Per feature: its folder (files and lines), and the files elsewhere that carry its word
    in their path (a reader who knows the word should need only the folder)."""
    spans = {}
    files = [os.path.relpath(p) for p in sources()]
    for name in FEATURES:
        home = f"app/src/{name}/"
        inside = [f for f in files if f.startswith(home)]
        lines = sum(len(open(f, encoding="utf-8").read().splitlines()) for f in inside)
        elsewhere = [f for f in files if name in f and not f.startswith(home)]
        spans[name] = (inside, lines, elsewhere)
    return spans


def long_files():
    found = []
    for path in sources():
        n = len(open(path, encoding="utf-8").read().splitlines())
        if n > FILE_LIMIT:
            found.append((n, path))
    return sorted(found, reverse=True)


def server_files():
    """The server crate's own files, its commands (cli/) aside."""
    return sorted(
        os.path.relpath(os.path.join(d, f))
        for d, _, fs in os.walk("server/src")
        for f in fs
        if f.endswith(".rs") and not os.path.relpath(d, "server/src").startswith("cli")
    )


if __name__ == "__main__":
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    longs = long_functions()
    print(f"functions over {LIMIT} lines: {len(longs)}")
    if "--long" in sys.argv:
        for lines, where, name in longs:
            print(f"  {lines:4}  {name}  {where}")
    copies, calls = preamble_copies()
    print(f"server-function preamble: {copies} hand-written copies, {calls} calls of serve/serve_signed_in")
    globals_ = process_globals()
    print(f"process-wide statics holding values: {len(globals_)}  {sorted(set(globals_))}")
    files = long_files()
    print(f"files over {FILE_LIMIT} lines: {len(files)}  {' '.join(p for _, p in files)}")
    own = server_files()
    print(f"server/src files besides cli/: {len(own)}  {' '.join(os.path.basename(p) for p in own)}")
    for name, (inside, lines, elsewhere) in feature_folders().items():
        print(
            f"{name}: app/src/{name}/ {len(inside)} files, {lines} lines;"
            f" its word elsewhere: {' '.join(elsewhere) or '-'}"
        )
