#!/usr/bin/env python3
"""Prepares a download benchmark against a running portal (development, demo data): signs the
demo holder in on a "desktop", passes the face check from a "phone", makes a 加注 of the
first certificate, checks that both downloads answer 200, and prints shell assignments
COOKIE=… and CERT=… for scripts/bench-documents.sh. Standard library only.
"""
import argparse, importlib.util, json, os, urllib.parse

spec = importlib.util.spec_from_file_location(
    "bench_face", os.path.join(os.path.dirname(__file__), "bench-face.py"))
face = importlib.util.module_from_spec(spec)
spec.loader.exec_module(face)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    port = p.parse_args().port
    desktop, phone = face.login(port), face.login(port)
    _, token = face.start(port, desktop)
    for step in ("scan_face_ticket", "allow_face_check"):
        status, _, text = face.request(port, "POST", f"/api/{step}", phone, f"token={token}")
        assert status == 200, (step, text)
    status, text = face.face_steps(port, phone, token)
    assert status == 200 and '"passed":true' in text, text
    status, _, text = face.request(port, "GET", "/api/my_certificates", desktop)
    assert status == 200, text
    cert = json.loads(text)[0]["id"]
    body = urllib.parse.urlencode({"certificate_id": cert, "purpose": "投标使用"})
    status, _, text = face.request(port, "POST", "/api/annotate_certificate", desktop, body)
    assert status == 200, text
    for kind in ("pdf", "ofd"):
        status, _, _ = face.request(port, "GET", f"/api/certificates/{cert}/{kind}", desktop)
        assert status == 200, kind
    print(f"COOKIE='{desktop}'")
    print(f"CERT='{cert}'")


if __name__ == "__main__":
    main()
