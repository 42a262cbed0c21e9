#!/usr/bin/env python3
"""Fault drills against the deployment scripts/cluster.sh started. Each prints its figures and
exits non-zero when its pass rule fails.

  server-kill   kill -9 one of three servers during the load: HAProxy takes it out within 3 s;
                errors only in that 10-second window, at most 1 % of its requests; journeys go
                on; every 加注 made during the drill verifies afterwards (nothing written lost)
  pg-restart    PostgreSQL stopped for 8 s during the load: /healthz says 503 within 5 s; a page
                is a Chinese 服务暂时不可用 (503, no stack trace) answered within 5 s; all servers
                serve again within 10 s of the database's return, without a restart
  pg-hang       the postmaster stopped (SIGSTOP) for 20 s: every request answers (200 or 503)
                within 5 s, the servers' memory stays flat, all serve within 10 s after SIGCONT
  face-kill     a face check whose desktop event stream is on the server that dies: the page
                falls back (as desktop.rs does) and still moves on when the phone finishes
  sqlite-disk   one server on SQLite on a small ext4 file system: it fills up, then the kernel
                turns it read-only, while the server runs: writes answer 503 in Chinese, reads
                go on, writes work again once space is freed, PRAGMA integrity_check is ok
                after (needs root: a loop device)

Options: --citizens N and --seconds S size the background load (server-kill, pg-restart,
pg-hang). Standard library only.
"""
import argparse, json, os, re, signal, socket, ssl, subprocess, sys, tempfile, time
import urllib.error, urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.environ.get("CLUSTER_DIR", os.path.join(ROOT, "target", "cluster"))
PUBLIC = "https://127.0.0.1:8443"
PORTS = {1: 3101, 2: 3102, 3: 3103}
WANG = "110105198003150039"
PASSWORD = "Demo@2026"

CTX = ssl.create_default_context(cafile=os.path.join(DIR, "tls", "cert.pem")) \
    if os.path.exists(os.path.join(DIR, "tls", "cert.pem")) else None


def say(text):
    print(text, flush=True)


def verdict(fails):
    for f in fails:
        say(f"FAIL: {f}")
    say("PASS" if not fails else "FAIL")
    sys.exit(1 if fails else 0)


def get(url, timeout=10, headers=None, data=None, method=None):
    """(status, body, seconds); status 0 when no answer came."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=CTX if url.startswith("https") else None) as r:
            return r.status, r.read().decode("utf-8", "replace"), time.monotonic() - t0
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace"), time.monotonic() - t0
    except Exception as e:  # timeout, refused
        return 0, repr(e), time.monotonic() - t0


def pid_of(n):
    with open(os.path.join(DIR, f"s{n}.pid")) as f:
        return int(f.read())


def haproxy_states():
    s = socket.socket(socket.AF_UNIX)
    s.connect(os.path.join(DIR, "haproxy.sock"))
    s.sendall(b"show stat\n")
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    states = {}
    for line in data.decode().splitlines():
        f = line.split(",")
        if len(f) > 17 and f[0] == "portal_servers" and f[1] not in ("BACKEND", "FRONTEND"):
            states[f[1]] = f[17]
    return states


def cluster(*args):
    subprocess.run([os.path.join(ROOT, "scripts", "cluster.sh"), *args], check=True)


def start_load(args, json_path):
    """The citizen mix in the background (scripts/load.sh), with its figures in json_path."""
    say(f"load: {args.citizens} citizens for {args.seconds} s")
    proc = subprocess.Popen(
        [os.path.join(ROOT, "scripts", "load.sh"), "--citizens", str(args.citizens), "--duration",
         str(args.seconds), "--think", "1.0", "--ramp", "3", "--json", json_path],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=dict(os.environ, LOAD_VERDICT="0"))
    # load.sh makes the accounts first; the citizens start when it prints its first line.
    first = proc.stdout.readline()
    say("load: " + first.strip())
    return proc, time.monotonic()


def finish_load(proc):
    out, _ = proc.communicate(timeout=600)
    say(out.rstrip())


def pg_version():
    return sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(x) for x in v.split(".")])[-1]


def postmaster_pid():
    v = pg_version()
    with open(f"/var/lib/postgresql/{v}/main/postmaster.pid") as f:
        return int(f.readline())


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def window_errors(summary, start, end):
    requests = sum(n for s, (n, _) in summary["per_second"].items() if start <= int(s) < end)
    errors = [e for e in summary["errors"] if start <= e[0] < end]
    return requests, errors


def verify_codes(codes):
    lost = []
    for code in codes:
        status, body, _ = get(f"{PUBLIC}/api/verify_copy?code={code}", headers={"Accept": "application/json"})
        if status != 200 or body.strip() in ("null", ""):
            lost.append((code, status, body[:80]))
    return lost


def server_kill(args):
    fails = []
    json_path = os.path.join(DIR, "drill-server-kill.json")
    proc, t_load = start_load(args, json_path)
    time.sleep(args.seconds * 0.4)
    victim = 2
    pid = pid_of(victim)
    t_kill = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    say(f"kill -9 server {victim} (pid {pid}) at {t_kill - t_load:.1f} s of the load")
    taken_out = None
    while time.monotonic() - t_kill < 10:
        if haproxy_states().get(f"s{victim}", "").startswith("DOWN"):
            taken_out = time.monotonic() - t_kill
            break
        time.sleep(0.05)
    say(f"HAProxy marked s{victim} DOWN after {taken_out:.2f} s" if taken_out is not None
        else f"HAProxy did not mark s{victim} down within 10 s")
    if taken_out is None or taken_out > 3:
        fails.append("the killed server was not taken out within 3 s")
    finish_load(proc)
    summary = json.load(open(json_path))
    k = t_kill - t_load
    requests, errors = window_errors(summary, int(k) - 1, int(k) + 11)
    outside = [e for e in summary["errors"] if not (int(k) - 1 <= e[0] < int(k) + 11)]
    rate = 100 * len(errors) / max(requests, 1)
    say(f"the 10-second window after the kill: {requests} requests, {len(errors)} errors ({rate:.2f} %)")
    for e in errors[:10]:
        say(f"  in window: {e}")
    if rate > 1:
        fails.append(f"{rate:.2f} % errors in the window (rule ≤ 1 %)")
    if outside:
        fails.append(f"{len(outside)} errors outside the window: {outside[:5]}")
    after = sum(n for s, (n, _) in summary["per_second"].items() if int(s) >= int(k) + 11)
    say(f"requests answered after the window: {after}; journeys completed: {summary['journeys']}")
    if after == 0:
        fails.append("nothing was served after the kill")
    lost = verify_codes(summary["codes"])
    say(f"加注 made during the drill: {len(summary['codes'])}; verified afterwards: {len(summary['codes']) - len(lost)}")
    if lost:
        fails.append(f"{len(lost)} 加注 lost: {lost[:3]}")
    cluster("start-server", str(victim))
    t = time.monotonic()
    while time.monotonic() - t < 10 and not haproxy_states().get(f"s{victim}", "").startswith("UP"):
        time.sleep(0.2)
    say(f"server {victim} restarted; HAProxy: {haproxy_states()}")
    verdict(fails)


def poll_all_health(until, want, started):
    """Seconds after `started` at which every server's /healthz gave `want`, or None."""
    while time.monotonic() < until:
        if all(get(f"http://127.0.0.1:{p}/healthz", timeout=3)[0] == want for p in PORTS.values()):
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def pg_restart(args):
    fails = []
    v = pg_version()
    json_path = os.path.join(DIR, "drill-pg-restart.json")
    proc, t_load = start_load(args, json_path)
    time.sleep(args.seconds * 0.3)
    t_stop = time.monotonic()
    subprocess.run(["pg_ctlcluster", v, "main", "stop", "-m", "fast"], check=True)
    say(f"PostgreSQL stopped at {t_stop - t_load:.1f} s of the load")
    down = poll_all_health(t_stop + 15, 503, t_stop)
    say(f"every /healthz said 503 after {down:.2f} s" if down is not None else "/healthz never said 503 on every server")
    if down is None or down > 5:
        fails.append("/healthz did not say 503 within 5 s")
    status, body, took = get(f"{PUBLIC}/search", timeout=15)
    say(f"a page during the outage: HTTP {status} in {took:.2f} s, '服务暂时不可用' {'present' if '服务暂时不可用' in body else 'missing'}")
    if status != 503 or "服务暂时不可用" not in body or took > 5:
        fails.append(f"the outage page was {status} after {took:.1f} s")
    if re.search(r"panicked|stack backtrace|sqlx|RUST_BACKTRACE", body):
        fails.append("the outage page shows internals")
    time.sleep(max(0, 8 - (time.monotonic() - t_stop)))
    t_start = time.monotonic()
    subprocess.run(["pg_ctlcluster", v, "main", "start"], check=True)
    say(f"PostgreSQL started again after {t_start - t_stop:.1f} s down")
    up = poll_all_health(t_start + 30, 200, t_start)
    say(f"every server answered 200 again {up:.2f} s after the database returned" if up is not None
        else "the servers did not recover within 30 s")
    if up is None or up > 10:
        fails.append("the servers did not recover within 10 s")
    t_lb = time.monotonic()
    status = 0
    while time.monotonic() - t_lb < 5 and status != 200:
        status, _, _ = get(f"{PUBLIC}/search")
        if status != 200:
            time.sleep(0.2)
    say(f"through HAProxy a page answered {status} {time.monotonic() - t_start:.2f} s after the database returned")
    if status != 200:
        fails.append(f"a page through HAProxy after recovery answered {status}")
    finish_load(proc)
    summary = json.load(open(json_path))
    back = t_start - t_load + (up or 0)
    late = [e for e in summary["errors"] if e[0] > back + 10]
    say(f"errors during the outage: {len(summary['errors']) - len(late)}; later than 10 s after recovery: {len(late)}")
    if late:
        fails.append(f"errors long after recovery: {late[:5]}")
    verdict(fails)


def postgres_pids():
    out = subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def pg_hang(args):
    """Two hangs of 20 s: the postmaster alone (new connections hang; open ones still work),
    then every PostgreSQL process (a frozen database host: open connections hang too)."""
    fails = []
    pids = [pid_of(n) for n in PORTS]
    before = {p: rss_mb(p) for p in pids}
    peak = dict(before)
    json_path = os.path.join(DIR, "drill-pg-hang.json")
    proc, t_load = start_load(args, json_path)
    time.sleep(8)
    for label, everything in (("the postmaster", False), ("every PostgreSQL process", True)):
        # The postmaster first (it forks no backend once stopped), then whatever runs.
        stopped = [postmaster_pid()]
        os.kill(stopped[0], signal.SIGSTOP)
        while everything and (more := [p for p in postgres_pids() if p not in stopped]):
            for p in more:
                os.kill(p, signal.SIGSTOP)
            stopped += more
        t_stop = time.monotonic()
        say(f"{label} stopped (SIGSTOP, {len(stopped)} processes) at {t_stop - t_load:.1f} s of the load")
        answers, slowest, first_503 = {}, 0.0, None
        try:
            while time.monotonic() - t_stop < 20:
                for path in ("/search", "/healthz", "/user"):
                    status, body, took = get(f"{PUBLIC}{path}", timeout=15)
                    answers[status] = answers.get(status, 0) + 1
                    slowest = max(slowest, took)
                    if status == 503 and first_503 is None:
                        first_503 = time.monotonic() - t_stop
                    if status == 503 and path != "/healthz":
                        if "服务暂时不可用" not in body:
                            fails.append(f"{label}: a 503 without the Chinese page: {body[:100]}")
                for p in pids:
                    peak[p] = max(peak[p], rss_mb(p))
                time.sleep(0.3)
        finally:
            for p in stopped:
                os.kill(p, signal.SIGCONT)
        t_cont = time.monotonic()
        say(f"  during the hang: answers {answers}, slowest {slowest:.2f} s"
            + (f", first 503 after {first_503:.2f} s" if first_503 is not None else ", no 503 (open connections kept working)"))
        if slowest > 5:
            fails.append(f"{label}: a request took {slowest:.1f} s (rule: an answer within 5 s)")
        if set(answers) - {200, 503}:
            fails.append(f"{label}: answers other than 200/503: {answers}")
        up = poll_all_health(t_cont + 30, 200, t_cont)
        say(f"  every server answered 200 {up:.2f} s after SIGCONT" if up is not None else "  no recovery within 30 s")
        if up is None or up > 10:
            fails.append(f"{label}: the servers did not recover within 10 s")
        time.sleep(5)
    finish_load(proc)
    summary = json.load(open(json_path))
    for p in pids:
        growth = peak[p] - before[p]
        say(f"server pid {p}: memory {before[p]:.0f} MB before the load, peak {peak[p]:.0f} MB during the hangs")
        if growth > 100:
            fails.append(f"server {p} grew {growth:.0f} MB during the hang")
    slow = {s: round(v["max"] / 1000, 1) for s, v in summary["steps"].items() if v["max"] > 5500}
    say(f"load: {summary['requests']} requests, {len(summary['errors'])} answered 503 or failed; "
        f"steps whose slowest answer took over 5.5 s: {slow or 'none'}")
    if slow:
        fails.append(f"requests of the load took over 5 s: {slow}")
    verdict(fails)


def http_raw(port, method, path, cookie=None, body="", tls=False, timeout=10):
    import http.client
    conn = (http.client.HTTPSConnection("127.0.0.1", port, context=CTX, timeout=timeout) if tls
            else http.client.HTTPConnection("127.0.0.1", port, timeout=timeout))
    headers = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = cookie
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read().decode("utf-8", "replace")
    set_cookie = r.getheader("set-cookie")
    conn.close()
    return r.status, (set_cookie.split(";")[0] if set_cookie else None), data


def face_kill(args):
    fails = []
    login = f"kind=person&login_id={WANG}&password=Demo%402026"
    _, desktop, _ = http_raw(8443, "POST", "/api/login", body=login, tls=True)
    _, phone, _ = http_raw(8443, "POST", "/api/login", body=login, tls=True)
    status, _, body = http_raw(8443, "POST", "/api/start_face_check", desktop, tls=True)
    ticket = json.loads(body)
    ticket_id, token = ticket["ticket_id"], ticket["scan_url"].rsplit("t=", 1)[1]
    victim = 1
    stream = socket.create_connection(("127.0.0.1", PORTS[victim]))
    stream.sendall((f"GET /api/face_events/{ticket_id} HTTP/1.1\r\nHost: x\r\nCookie: {desktop}\r\n"
                    "Accept: text/event-stream\r\n\r\n").encode())
    seen = b""
    stream.settimeout(5)
    while b'"state":"Waiting"' not in seen:
        seen += stream.recv(4096)
    say(f"desktop's event stream open on server {victim}: Waiting")
    pid = pid_of(victim)
    os.kill(pid, signal.SIGKILL)
    t_kill = time.monotonic()
    broke = None
    try:
        while True:
            chunk = stream.recv(4096)
            if not chunk:
                break
    except OSError:
        pass
    broke = time.monotonic() - t_kill
    say(f"kill -9 server {victim}: the stream ended after {broke:.2f} s; the page polls through HAProxy (every 2 s)")
    # The phone, through the load balancer, finishes its steps: a moment later, as a citizen
    # taps (a request in flight at the very instant of the kill may fail; see server-kill).
    time.sleep(1.5)
    form = f"token={token}"
    for step in ("scan_face_ticket", "allow_face_check", "begin_face_check", "finish_face_check"):
        if step == "begin_face_check":
            form = f"token={token}&id_number={WANG}"
        status, _, body = http_raw(8443, "POST", f"/api/{step}", phone, form, tls=True)
        if status != 200:
            fails.append(f"phone step {step} answered {status}: {body[:100]}")
            break
        if step == "begin_face_check":
            # The development provider hands the phone straight back to the return address.
            form = urllib.parse.urlsplit(json.loads(body)).query
    t_done = time.monotonic()
    moved = None
    while time.monotonic() - t_done < 10:
        status, _, body = http_raw(8443, "GET", f"/api/face_ticket_status?ticket_id={ticket_id}", desktop, tls=True)
        if status == 200 and '"Passed"' in body:
            moved = time.monotonic() - t_done
            break
        time.sleep(2)
    say(f"the desktop saw Passed {moved:.2f} s after the phone finished" if moved is not None
        else "the desktop never saw Passed")
    if moved is None or moved > 4:
        fails.append("the desktop did not move on within 4 s (two polls)")
    status, _, body = http_raw(8443, "GET", "/api/face_gate", desktop, tls=True)
    say(f"the desktop session is face-checked on the other servers: {body}")
    if body.strip() != "true":
        fails.append("the desktop session was not marked face-checked")
    cluster("start-server", str(victim))
    verdict(fails)


def sqlite_disk(args):
    """A small ext4 file system (a loop device) holds the database: first it fills up, then
    the kernel turns it read-only under the running server (ext4's errors=remount-ro, set off
    through /sys/fs/ext4/<dev>/trigger_fs_error, as after a disk error)."""
    fails = []
    if os.geteuid() != 0:
        say("SKIPPED: the disk drill mounts a file system and needs root")
        sys.exit(0)
    work = tempfile.mkdtemp(prefix="portal-disk-")
    image, mnt = os.path.join(work, "disk.img"), os.path.join(work, "data")
    os.mkdir(mnt)
    subprocess.run(["truncate", "-s", "64M", image], check=True)
    # No blocks reserved for root (the drill runs the server as root).
    subprocess.run(["mkfs.ext4", "-q", "-m", "0", image], check=True)
    mount = ["mount", "-o", "loop,errors=remount-ro", image, mnt]
    subprocess.run(mount, check=True)
    device = os.path.basename(subprocess.run(["findmnt", "-n", "-o", "SOURCE", mnt],
                                             capture_output=True, text=True).stdout.strip())
    port = 3199
    server = None
    try:
        env = dict(os.environ, DATABASE_URL=f"sqlite://{mnt}/portal.db?mode=rwc", PORTAL_ENV="development",
                   LEPTOS_SITE_ROOT=os.path.join(ROOT, "target", "site"), LEPTOS_SITE_ADDR=f"127.0.0.1:{port}",
                   LEPTOS_OUTPUT_NAME="portal", RUST_LOG="warn", PORTAL_LOGIN_LIMIT="0", PORTAL_SEARCH_LIMIT="0")
        log = open(os.path.join(work, "server.log"), "w")
        server = subprocess.Popen([os.path.join(ROOT, "target", "release", "server")], env=env,
                                  stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            if get(f"{base}/healthz", timeout=2)[0] == 200:
                break
            time.sleep(0.2)
        login = f"kind=person&login_id={WANG}&password=Demo%402026".encode()
        hdr = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
        search = "/api/search_registry?query[reg_no]=%E4%BA%AC1112010000001"

        def write():
            return get(f"{base}/api/login", headers=hdr, data=login, method="POST", timeout=15)

        def broken(label):
            codes, bodies, slowest = [], [], 0.0
            for _ in range(5):
                status, body, took = write()
                codes.append(status)
                bodies.append(body)
                slowest = max(slowest, took)
            read_status, _, _ = get(f"{base}{search}", headers={"Accept": "application/json"})
            say(f"{label}: logins (each writes a session) answered {codes} (slowest {slowest:.2f} s); "
                f"a search answered {read_status}; the message: {bodies[0][:60]}")
            if any(c != 503 for c in codes):
                fails.append(f"{label}: writes answered {codes}, not 503")
            if not any("服务暂时不可用" in b for b in bodies):
                fails.append(f"{label}: no Chinese message: {bodies[0][:120]}")
            if read_status != 200:
                fails.append(f"{label}: reads failed too ({read_status})")

        status, _, _ = write()
        acknowledged = int(status == 200)
        say(f"before: a login answers {status}")
        # 1. The disk fills up (another program's file takes the space). SQLite goes on writing
        # into the room its WAL file already has; logins go on until a write needs new space.
        subprocess.run(["dd", "if=/dev/zero", f"of={mnt}/filler", "bs=1M", "count=80"], capture_output=True)
        for n in range(1, 1001):
            status, _, _ = write()
            if status != 200:
                break
            acknowledged += 1
        say(f"disk full: {n - 1} more logins fitted in the space SQLite already had; then {status}")
        broken("disk full")
        os.remove(f"{mnt}/filler")
        time.sleep(0.5)
        status, _, _ = write()
        acknowledged += int(status == 200)
        say(f"space freed: a login answers {status}")
        if status != 200:
            fails.append(f"writes did not work again after space was freed ({status})")
        # 2. The kernel turns the file system read-only under the running server.
        with open(f"/sys/fs/ext4/{device}/trigger_fs_error", "w") as f:
            f.write("1")
        time.sleep(0.5)
        broken("read-only file system")
        health = get(f"{base}/healthz")[0]
        say(f"read-only file system: /healthz answers {health} (reads still work)")
        server.terminate()
        server.wait(timeout=20)
        server = None
        subprocess.run(["umount", mnt], check=True)
        fsck = subprocess.run(["e2fsck", "-fy", image], capture_output=True, text=True)
        say(f"e2fsck after the error: exit {fsck.returncode}")
        subprocess.run(mount, check=True)
        check = subprocess.run(["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
                                "print(c.execute('PRAGMA integrity_check').fetchone()[0]); "
                                "print(c.execute('SELECT COUNT(*) FROM sessions').fetchone()[0])",
                                f"{mnt}/portal.db"], capture_output=True, text=True)
        lines = check.stdout.split()
        say(f"PRAGMA integrity_check: {lines[0] if lines else check.stderr.strip()}; sessions kept "
            f"{lines[1] if len(lines) > 1 else '?'} of {acknowledged} logins answered 200")
        if not lines or lines[0] != "ok":
            fails.append("the database is damaged")
        elif len(lines) < 2 or int(lines[1]) < acknowledged:
            fails.append("logins answered 200 are missing from the database")
    finally:
        if server:
            server.kill()
            server.wait()
        subprocess.run(["umount", mnt], capture_output=True)
        subprocess.run(["rm", "-rf", work])
    verdict(fails)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("drill", choices=["server-kill", "pg-restart", "pg-hang", "face-kill", "sqlite-disk"])
    p.add_argument("--citizens", type=int, default=60)
    p.add_argument("--seconds", type=int, default=60)
    a = p.parse_args()
    {"server-kill": server_kill, "pg-restart": pg_restart, "pg-hang": pg_hang,
     "face-kill": face_kill, "sqlite-disk": sqlite_disk}[a.drill](a)
