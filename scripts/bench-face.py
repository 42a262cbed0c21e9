#!/usr/bin/env python3
"""Face-check push latency and event-stream capacity, against running portal servers.

latency: N runs of a whole check; each run times the phone's last steps (【开始人脸识别】 with
the 身份证号, begin_face_check, and the development provider's immediate return,
finish_face_check) until the desktop's event stream delivers "Passed" — the moment the desktop
page navigates. The desktop talks to --desktop-port, the phone to --phone-port
(two processes sharing PostgreSQL, or the same one).

streams: opens --streams event streams at once on one ticket and reports how many delivered
their first event; the shell wrapper reads the server's memory around it.
Standard library only.
"""
import argparse, json, socket, statistics, time, urllib.parse

ID = "110105198003150039"


def request(port, method, path, cookie=None, body=""):
    s = socket.create_connection(("127.0.0.1", port))
    headers = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Accept: application/json",
               "Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body.encode())}",
               "Connection: close"]
    if cookie:
        headers.append(f"Cookie: {cookie}")
    s.sendall(("\r\n".join(headers) + "\r\n\r\n" + body).encode())
    raw = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        raw += chunk
    s.close()
    head, _, rest = raw.decode("utf-8", "replace").partition("\r\n\r\n")
    status = int(head.split()[1])
    cookie = next((l.split(":", 1)[1].strip().split(";")[0] for l in head.split("\r\n")
                   if l.lower().startswith("set-cookie:")), None)
    return status, cookie, rest


def login(port):
    body = urllib.parse.urlencode({"kind": "person", "login_id": ID, "password": "Demo@2026"})
    status, cookie, text = request(port, "POST", "/api/login", body=body)
    assert status == 200 and cookie, (status, text)
    return cookie


def open_stream(port, cookie, ticket):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall((f"GET /api/face_events/{ticket} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n"
               "Accept: text/event-stream\r\n\r\n").encode())
    return s


def read_until(s, needle, seen=b""):
    while needle not in seen:
        chunk = s.recv(4096)
        if not chunk:
            raise RuntimeError(f"stream closed before {needle!r}")
        seen += chunk
    return seen


def start(port, cookie):
    status, _, text = request(port, "POST", "/api/start_face_check", cookie)
    assert status == 200, text
    v = json.loads(text)
    return v["ticket_id"], v["scan_url"].rsplit("t=", 1)[1]


def face_steps(port, phone, token, id_number=ID):
    """【开始人脸识别】 with the 身份证号, then the return from the provider's page (the
    development provider hands the phone straight back): the answer of the return."""
    body = urllib.parse.urlencode({"token": token, "id_number": id_number})
    status, _, text = request(port, "POST", "/api/begin_face_check", phone, body)
    if status != 200:
        return status, text
    back = urllib.parse.urlsplit(json.loads(text))
    fields = dict(urllib.parse.parse_qsl(back.query))
    return request(port, "POST", "/api/finish_face_check", phone, urllib.parse.urlencode(fields))[0::2]


def latency(args):
    desktop, phone = login(args.desktop_port), login(args.phone_port)
    times = []
    for _ in range(args.runs):
        ticket, token = start(args.desktop_port, desktop)
        s = open_stream(args.desktop_port, desktop, ticket)
        seen = read_until(s, b'"state":"Waiting"')
        for step in ("scan_face_ticket", "allow_face_check"):
            status, _, text = request(args.phone_port, "POST", f"/api/{step}", phone, f"token={token}")
            assert status == 200, (step, text)
        t0 = time.perf_counter()
        status, text = face_steps(args.phone_port, phone, token)
        read_until(s, b'"state":"Passed"', seen)
        times.append((time.perf_counter() - t0) * 1000)
        assert status == 200 and '"passed":true' in text, text
        s.close()
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    print(f"{args.label}: {len(times)} runs, tap → desktop event p50={statistics.median(times):.1f}ms "
          f"p95={p95:.1f}ms max={times[-1]:.1f}ms")


def streams(args):
    desktop = login(args.desktop_port)
    ticket, _ = start(args.desktop_port, desktop)
    opened, ok = [], 0
    t0 = time.perf_counter()
    for _ in range(args.streams):
        opened.append(open_stream(args.desktop_port, desktop, ticket))
    for s in opened:
        s.settimeout(30)
        try:
            read_until(s, b'"state":"Waiting"')
            ok += 1
        except Exception:
            pass
    print(f"streams: {ok}/{args.streams} open and answered in {time.perf_counter() - t0:.1f}s", flush=True)
    if args.hold:
        print("HOLDING", flush=True)
        input()
    for s in opened:
        s.close()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["latency", "streams"])
    p.add_argument("--desktop-port", type=int, required=True)
    p.add_argument("--phone-port", type=int)
    p.add_argument("--runs", type=int, default=50)
    p.add_argument("--streams", type=int, default=5000)
    p.add_argument("--label", default="")
    p.add_argument("--hold", action="store_true")
    a = p.parse_args()
    a.phone_port = a.phone_port or a.desktop_port
    latency(a) if a.mode == "latency" else streams(a)
