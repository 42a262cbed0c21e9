#!/usr/bin/env python3
"""Where the browser's code goes: the size of every function in the WASM that rustc emits for
the browser (before wasm-bindgen, wasm-split and wasm-opt, so its names are still there),
summed by the kind of function. A measurement: it prints, it asserts nothing.

    make build-release   # or: cargo leptos build --release --split
    scripts/wasm-sizes.py [target/front/wasm32-unknown-unknown/wasm-release/frontend.wasm] [--top N]

It found `hydrate_async` at 17 % of the code before the patched renderer (vendor/README.md).
"""
import re
import sys
from collections import Counter

ARGS = sys.argv[1:]
TOP = 15
if "--top" in ARGS:
    at = ARGS.index("--top")
    TOP = int(ARGS[at + 1])
    del ARGS[at:at + 2]
PATH = ARGS[0] if ARGS else "target/front/wasm32-unknown-unknown/wasm-release/frontend.wasm"
# The kinds of function summed (a substring of the mangled name).
KINDS = ["hydrate_async", "7hydrate", "rebuild", "5build", "deserialize", "serialize",
         "with_observer", "into_owned", "4drop"]


def leb(data, i):
    result = shift = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def functions(data):
    """(size, name) of every function body."""
    i, imports, sizes, names = 8, 0, [], {}
    while i < len(data):
        section = data[i]
        size, i = leb(data, i + 1)
        end = i + size
        if section == 2:  # imports: functions among them shift the indices
            count, j = leb(data, i)
            for _ in range(count):
                for _ in range(2):
                    length, j = leb(data, j)
                    j += length
                kind = data[j]
                j += 1
                if kind == 0:
                    _, j = leb(data, j)
                    imports += 1
                elif kind == 1:
                    j += 1
                    flags, j = leb(data, j)
                    _, j = leb(data, j)
                    if flags & 1:
                        _, j = leb(data, j)
                elif kind == 2:
                    flags, j = leb(data, j)
                    _, j = leb(data, j)
                    if flags & 1:
                        _, j = leb(data, j)
                elif kind == 3:
                    j += 2
        elif section == 10:  # code
            count, j = leb(data, i)
            for _ in range(count):
                length, j = leb(data, j)
                sizes.append(length)
                j += length
        elif section == 0:  # the name section
            length, j = leb(data, i)
            if data[j:j + length] == b"name":
                j += length
                while j < end:
                    sub = data[j]
                    sub_size, j = leb(data, j + 1)
                    if sub == 1:
                        count, k = leb(data, j)
                        for _ in range(count):
                            index, k = leb(data, k)
                            length, k = leb(data, k)
                            names[index] = data[k:k + length].decode("utf8", "replace")
                            k += length
                    j += sub_size
        i = end
    return [(s, names.get(n + imports, "?")) for n, s in enumerate(sizes)]


def main():
    with open(PATH, "rb") as f:
        funcs = functions(f.read())
    total = sum(s for s, _ in funcs)
    print(f"{PATH}: {len(funcs)} functions, {total:,} bytes of code")
    by_kind = Counter()
    for size, name in funcs:
        for kind in KINDS:
            if kind in name:
                by_kind[kind] += size
                break
    print("by kind (a function counted under the first kind its name holds):")
    for kind in KINDS:
        print(f"  {kind:<16} {by_kind[kind]:>10,}  {100 * by_kind[kind] / max(total, 1):5.1f} %")
    print(f"the {TOP} largest:")
    for size, name in sorted(funcs, reverse=True)[:TOP]:
        print(f"  {size:>8,}  {re.sub(r'17h[0-9a-f]{16}E$', '', name)[:110]}")


if __name__ == "__main__":
    main()
