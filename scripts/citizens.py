#!/usr/bin/env python3
"""Virtual citizens through the load balancer (scripts/cluster.sh up first).

Each citizen is a desktop browser and a phone, each keeping its connection open as a browser
does, and goes round the portal's journeys with a pause between steps (--think seconds on
average) until the time is up:

  home page → 人员资格查询 by name (the results page) and by 注册编号 (exact) → login → 用户中心
  → the face check: the desktop starts it and listens to its event stream; the phone logs in
    and does the mini-program's calls (scan_face_ticket, allow_face_check, begin_face_check with
    the 身份证号, then finish_face_check at the development provider's immediate return);
    the desktop's stream says Passed → 我的证照 → 加注 → preview, PDF and OFD → the copy's
    /verify/<code> page → logout.

Reports per step: requests, errors, p50/p95/p99/max; pages and downloads overall; the server
processes' CPU and memory (from /proc, --pids). Bounded: at most --citizens (≤ 1000) for
--duration seconds (≤ 3600), loopback addresses only; everything stops by itself.
--json FILE writes the figures, every error (time, step, status) and each 加注's 核验码, for
the drills' pass rules. Standard library only.
"""
import argparse, asyncio, json, os, random, re, ssl, statistics, sys, time, urllib.parse

PASSWORD = "Demo@2026"
DOWNLOADS = {"pdf", "ofd", "preview"}
# Not a page a citizen waits on: the stream is open until the phone finishes.
NOT_TIMED = {"face_passed"}


class Failed(Exception):
    """A step that did not answer as the portal should."""

    def __init__(self, step, status, detail=""):
        super().__init__(f"{step}: {status} {detail[:200]}")
        self.step, self.status = step, status


class Conn:
    """One HTTP/1.1 keep-alive connection, as a browser keeps one to the portal."""

    def __init__(self, target):
        self.target = target
        self.reader = self.writer = None

    async def open(self):
        host, port, ctx = self.target
        self.reader, self.writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, ssl=ctx, server_hostname=host if ctx else None), 10)

    def close(self):
        if self.writer:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method, path, headers, body=b""):
        reused = self.writer is not None
        try:
            return await self._request(method, path, headers, body)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError, OSError) as e:
            self.close()
            # A kept connection the other side had closed: a browser sends again on a new one.
            if reused and isinstance(e, (asyncio.IncompleteReadError, ConnectionResetError,
                                         BrokenPipeError)) and getattr(e, "partial", b"") == b"":
                return await self._request(method, path, headers, body)
            raise

    async def _request(self, method, path, headers, body):
        if self.writer is None:
            await self.open()
        host = self.target[0]
        lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{self.target[1]}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), 30)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        got = {}
        cookies = []
        for line in header_lines:
            if ":" in line:
                k, v = line.split(":", 1)
                k = k.strip().lower()
                if k == "set-cookie":
                    cookies.append(v.strip())
                got[k] = v.strip()
        if got.get("transfer-encoding", "").lower() == "chunked":
            data = bytearray()
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                data += await self.reader.readexactly(size)
                await self.reader.readexactly(2)
            data = bytes(data)
        elif "content-length" in got:
            data = await self.reader.readexactly(int(got["content-length"]))
        else:
            data = await self.reader.read()
            self.close()
        if got.get("connection", "").lower() == "close":
            self.close()
        return status, got, cookies, data


class Browser:
    """A browser: one connection and its cookies."""

    def __init__(self, target, record):
        self.conn = Conn(target)
        self.cookies = {}
        self.record = record

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def call(self, step, method, path, form=None, expect=(200,), accept="application/json"):
        headers = {"Accept": accept, "Accept-Encoding": "identity"}
        body = b""
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.conn.target[0]}:{self.conn.target[1]}"
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        t0 = time.perf_counter()
        try:
            status, got, cookies, data = await self.conn.request(method, path, headers, body)
        except Exception as e:  # a transport failure is an error of this step
            self.record(step, (time.perf_counter() - t0) * 1000, 0)
            raise Failed(step, 0, repr(e))
        self.record(step, (time.perf_counter() - t0) * 1000, status, status in expect)
        for c in cookies:
            name, _, value = c.split(";", 1)[0].partition("=")
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        if status not in expect:
            raise Failed(step, status, data.decode("utf-8", "replace"))
        return data

    async def page(self, step, path):
        return await self.call(step, "GET", path, accept="text/html")


class EventStream:
    """The desktop page's face-check event stream; reconnects as EventSource does."""

    def __init__(self, target, cookie, ticket):
        self.target, self.cookie, self.ticket = target, cookie, ticket
        self.seen = b""
        self.reconnects = 0
        self.conn = None

    async def connect(self):
        host, port, ctx = self.target
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, ssl=ctx, server_hostname=host if ctx else None), 10)
        writer.write((f"GET /api/face_events/{self.ticket} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                      f"Cookie: {self.cookie}\r\nAccept: text/event-stream\r\n\r\n").encode())
        await writer.drain()
        self.conn = (reader, writer)

    async def until(self, needle, timeout):
        deadline = time.monotonic() + timeout
        while needle not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise asyncio.TimeoutError
            try:
                if self.conn is None:
                    await self.connect()
                chunk = await asyncio.wait_for(self.conn[0].read(4096), left)
                if not chunk:
                    raise ConnectionResetError("stream closed")
                self.seen += chunk
            except (ConnectionError, OSError, ssl.SSLError):
                # EventSource waits a moment and connects again (to whichever server).
                self.close()
                self.reconnects += 1
                await asyncio.sleep(1)

    def close(self):
        if self.conn:
            self.conn[1].close()
        self.conn = None


class Figures:
    def __init__(self, started):
        self.started = started
        self.times = {}
        # How long the failed requests took to fail (a hang shows here, not in the times).
        self.error_times = {}
        self.errors = []
        self.per_second = {}
        self.codes = []
        self.journeys = 0
        self.reconnects = 0

    def record(self, step, ms, status, ok=None):
        ok = (status != 0 and status < 500) if ok is None else ok
        second = int(time.monotonic() - self.started)
        bucket = self.per_second.setdefault(second, [0, 0])
        bucket[0] += 1
        if ok:
            if step not in NOT_TIMED:
                self.times.setdefault(step, []).append(ms)
        else:
            bucket[1] += 1
            self.errors.append((round(time.monotonic() - self.started, 2), step, status))
            self.times.setdefault(step, [])
            self.error_times.setdefault(step, []).append(ms)


def pct(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(p / 100 * len(values))) - 1))]


async def citizen(n, args, target, figures, accounts, searches, deadline):
    account = accounts[n % len(accounts)]
    rnd = random.Random(n)

    async def think():
        await asyncio.sleep(args.think * rnd.uniform(0.5, 1.5))

    await asyncio.sleep(rnd.uniform(0, args.ramp))
    while time.monotonic() < deadline:
        desktop = Browser(target, figures.record)
        phone = Browser(target, figures.record)
        try:
            await desktop.page("home", "/")
            await think()
            search = rnd.choice(searches)
            await desktop.page("search_page", search["page"])
            await desktop.call("search_exact", "GET", search["regno"])
            await think()
            login = {"kind": "person", "login_id": account, "password": PASSWORD}
            await desktop.call("login", "POST", "/api/login", login)
            await desktop.page("user_center", "/user")
            await think()
            started = json.loads(await desktop.call("face_start", "POST", "/api/start_face_check", {}))
            ticket, token = started["ticket_id"], started["scan_url"].rsplit("t=", 1)[1]
            stream = EventStream(target, desktop.cookie_header(), ticket)
            try:
                await stream.until(b'"state":"Waiting"', 15)
                await phone.call("phone_login", "POST", "/api/login", login)
                for step in ("scan_face_ticket", "allow_face_check"):
                    await phone.call(step, "POST", f"/api/{step}", {"token": token})
                    await think()
                t0 = time.perf_counter()
                handoff = await phone.call("begin_face_check", "POST", "/api/begin_face_check",
                                           {"token": token, "id_number": account})
                back = urllib.parse.urlsplit(json.loads(handoff) if handoff else "")
                await phone.call("finish_face_check", "POST", "/api/finish_face_check",
                                 dict(urllib.parse.parse_qsl(back.query)))
                try:
                    await stream.until(b'"state":"Passed"', 15)
                    figures.record("face_passed", (time.perf_counter() - t0) * 1000, 200)
                    figures.times.setdefault("face_passed_event", []).append(
                        (time.perf_counter() - t0) * 1000)
                except asyncio.TimeoutError:
                    figures.record("face_passed", 15000, 0)
                    raise Failed("face_passed", 0, "no Passed event in 15 s")
            finally:
                figures.reconnects += stream.reconnects
                stream.close()
            cards = json.loads(await desktop.call("my_certificates", "GET", "/api/my_certificates"))
            card = next((c for c in cards if "Ok" in (c.get("next_validity") or {})), None)
            if card:
                await think()
                await desktop.call("annotate", "POST", "/api/annotate_certificate",
                                   {"certificate_id": card["id"], "purpose": "投标使用"})
                svg = await desktop.call("preview", "GET", f"/api/certificates/{card['id']}/preview",
                                         accept="image/svg+xml")
                code = re.search(rb"\xe6\xa0\xb8\xe9\xaa\x8c\xe7\xa0\x81 ([0-9a-f]{32})", svg)
                for kind in ("pdf", "ofd"):
                    await desktop.call(kind, "GET", f"/api/certificates/{card['id']}/{kind}",
                                       accept="*/*")
                if code:
                    code = code.group(1).decode()
                    figures.codes.append(code)
                    await think()
                    await desktop.page("verify_page", f"/verify/{code}")
            await desktop.call("logout", "POST", "/api/logout", {})
            figures.journeys += 1
        except Failed:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            raise
        except Exception as e:  # a bug of this script, not of the portal: say it loudly
            figures.errors.append((round(time.monotonic() - figures.started, 2), "script", repr(e)))
            await asyncio.sleep(1)
        finally:
            desktop.conn.close()
            phone.conn.close()
        await think()


def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/statm") as f:
            rss = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        return int(fields[11]) + int(fields[12]), rss
    except (OSError, IndexError, ValueError):
        return None


async def sample_processes(pids, out, stop):
    hz = os.sysconf("SC_CLK_TCK")
    last = {p: cpu_ticks(p) for p in pids}
    t_last = time.monotonic()
    while not stop.is_set():
        await asyncio.sleep(1)
        now = time.monotonic()
        for p in pids:
            got = cpu_ticks(p)
            if got and last.get(p):
                cpu = (got[0] - last[p][0]) / hz / (now - t_last) * 100
                out.setdefault(p, []).append((cpu, got[1]))
            last[p] = got
        t_last = now


def report(args, figures, elapsed, samples):
    rows = []
    pages, downloads = [], []
    for step, values in sorted(figures.times.items()):
        if step == "face_passed_event":
            continue
        errors = sum(1 for e in figures.errors if e[1] == step)
        slowest = max(values + figures.error_times.get(step, []) or [0])
        rows.append((step, len(values) + errors, errors, pct(values, 50), pct(values, 95),
                     pct(values, 99), slowest))
        (downloads if step in DOWNLOADS else pages).extend(values)
    total = sum(r[1] for r in rows)
    errors = len(figures.errors)
    print(f"\n{args.citizens} citizens, {elapsed:.0f} s, {figures.journeys} whole journeys, "
          f"{total} requests ({total / max(elapsed, 1):.1f}/s), {errors} errors, "
          f"{figures.reconnects} event-stream reconnects")
    print(f"{'step':<22}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    print("(p50–p99 of the answered requests; max includes the failed ones)")
    for r in rows:
        print(f"{r[0]:<22}{r[1]:>9}{r[2]:>8}{r[3]:>9.1f}{r[4]:>9.1f}{r[5]:>9.1f}{r[6]:>9.1f}")
    passed = figures.times.get("face_passed_event", [])
    print(f"{'(phone tap → desktop)':<22}{len(passed):>9}{'':>8}{pct(passed, 50):>9.1f}"
          f"{pct(passed, 95):>9.1f}{pct(passed, 99):>9.1f}{max(passed or [0]):>9.1f}")
    print(f"pages and calls: p95 {pct(pages, 95):.1f} ms (target ≤ 200); "
          f"downloads: p95 {pct(downloads, 95):.1f} ms (target ≤ 300)")
    procs = {}
    for pid, values in samples.items():
        cpu = [v[0] for v in values]
        rss = [v[1] for v in values]
        procs[pid] = {"cpu_avg": statistics.mean(cpu), "cpu_max": max(cpu),
                      "rss_max_mb": max(rss) / 2**20, "rss_last_mb": rss[-1] / 2**20}
        print(f"server pid {pid}: CPU avg {procs[pid]['cpu_avg']:.0f}% max {procs[pid]['cpu_max']:.0f}%, "
              f"memory max {procs[pid]['rss_max_mb']:.0f} MB (last {procs[pid]['rss_last_mb']:.0f} MB)")
    for e in figures.errors[:20]:
        print(f"  error at {e[0]:.1f} s: {e[1]} {e[2]}")
    return {
        "citizens": args.citizens, "seconds": elapsed, "journeys": figures.journeys,
        "requests": total, "errors": figures.errors, "reconnects": figures.reconnects,
        "steps": {r[0]: {"requests": r[1], "errors": r[2], "p50": r[3], "p95": r[4], "p99": r[5],
                         "max": r[6]} for r in rows},
        "pages_p95": pct(pages, 95), "downloads_p95": pct(downloads, 95),
        "per_second": figures.per_second, "codes": figures.codes, "processes": procs,
    }


async def main(args):
    url = urllib.parse.urlsplit(args.url)
    if url.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("citizens.py only runs against this machine (loopback)")
    if not (1 <= args.citizens <= 1000 and 1 <= args.duration <= 3600):
        sys.exit("--citizens 1..1000, --duration 1..3600")
    ctx = None
    if url.scheme == "https":
        ctx = ssl.create_default_context(cafile=args.ca) if args.ca else ssl._create_unverified_context()
    target = (url.hostname, url.port or (443 if ctx else 80), ctx)
    with open(args.accounts) as f:
        accounts = [l.strip() for l in f if l.strip()]
    searches = []
    with open(args.searches) as f:
        pending = {}
        for line in f:
            kind, _, path = line.rstrip("\n").partition("\t")
            pending[kind] = path
            if kind == "page":
                searches.append({"regno": pending.get("regno", path), "page": path})
    started = time.monotonic()
    figures = Figures(started)
    deadline = started + args.duration
    stop = asyncio.Event()
    samples = {}
    sampler = asyncio.create_task(sample_processes(args.pids, samples, stop))
    tasks = [asyncio.create_task(citizen(n, args, target, figures, accounts, searches, deadline))
             for n in range(args.citizens)]
    print(f"{args.citizens} citizens on {args.url} for {args.duration} s "
          f"({len(accounts)} accounts, think {args.think} s)", flush=True)
    # Journeys under way at the deadline finish; none runs past 60 s more.
    done, pending_tasks = await asyncio.wait(tasks, timeout=args.duration + 60)
    for t in pending_tasks:
        t.cancel()
    stop.set()
    await sampler
    summary = report(args, figures, time.monotonic() - started, samples)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--url", default="https://127.0.0.1:8443")
    p.add_argument("--ca", help="the TLS certificate to trust (target/cluster/tls/cert.pem)")
    p.add_argument("--citizens", type=int, default=200)
    p.add_argument("--duration", type=int, default=300)
    p.add_argument("--think", type=float, default=2.0, help="mean pause between steps, seconds")
    p.add_argument("--ramp", type=float, default=10.0, help="citizens start within this many seconds")
    p.add_argument("--accounts", required=True, help="file of ID numbers (server demo load-accounts)")
    p.add_argument("--searches", required=True, help="server registry sample output")
    p.add_argument("--pids", type=lambda s: [int(x) for x in s.split(",") if x], default=[])
    p.add_argument("--json")
    asyncio.run(main(p.parse_args()))
