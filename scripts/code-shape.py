#!/usr/bin/env python3
"""How the code is shaped, measured: functions longer than 80 lines, copies of the
server-function preamble, process-wide globals, and the folders each feature's files span.

    scripts/code-shape.py            # the summary
    scripts/code-shape.py --long     # and each long function, longest first

It reads Rust source only (comments and strings are stripped before braces are matched)."""
import os, re, sys

ROOTS = ["app/src", "server/src", "frontend/src"]
LIMIT = 80
# Each feature: the domain word a reader searches for, and the files that are its code (by
# their paths, old names included so that an older tree can be measured too).
FEATURES = {
    "registry": r"registry|search|routes/(registry/)?registration\.rs|domain/query",
    "accounts": r"account|auth\.rs|session|/sms|counters|login|register|forgot_password|settings\.rs"
    r"|security\.rs|user_center|enterprise|passwords|identity|form_fields|kind_tabs|password_input",
    "face_check": r"face|mobile|camera",
    "certificates": r"certificat|verify|documents|annotation|signing_key",
}
# The layers every feature has (DESIGN.md): pages, server functions, types and SQL.
LAYERS = ["app/src/routes", "app/src/api", "app/src/models"]


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
    """Per feature: the folders its files are in, and the layers where a file or folder has
    the feature's own name (found in one step by a reader who knows the word)."""
    spans = {}
    for name, pattern in FEATURES.items():
        files = [os.path.relpath(p) for p in sources() if re.search(pattern, os.path.relpath(p))]
        folders = sorted({os.path.dirname(f) for f in files})
        named = [
            layer
            for layer in LAYERS
            if any(f.startswith(f"{layer}/{name}/") or f == f"{layer}/{name}.rs" for f in files)
        ]
        spans[name] = (folders, named)
    return spans


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
    for name, (folders, named) in feature_folders().items():
        print(
            f"{name}: {len(folders)} folders; named `{name}` in {len(named)} of {len(LAYERS)} layers"
            f" ({' '.join(l.removeprefix('app/src/') for l in named) or '-'})"
        )
        if "--long" in sys.argv:
            print(f"    {' '.join(folders)}")
