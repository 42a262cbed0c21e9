#!/usr/bin/env python3
"""A simulator of the outside providers' published APIs, on loopback, for tests and staging.

Tencent Cloud API 3.0 (one port serves every service; the action names it):
  - FaceId IdCardVerification (2018-03-01): Result "0" when (Name, IdCard) is a known person,
    "-1" when the number is known under another name, "-5" otherwise.
  - SMS SendSms (2021-01-11, region required): records each message; SendStatusSet per number.
Every request's TC3-HMAC-SHA256 signature is verified as "签名方法 v3" publishes it, and refused
as Tencent Cloud refuses it: AuthFailure.SecretIdNotFound, AuthFailure.SignatureFailure,
AuthFailure.SignatureExpire (timestamp more than 5 minutes away), AuthFailure.InvalidAuthorization.

Alibaba Cloud 阿里云短信 Dysmsapi SendSms (2017-05-25), RPC style (parameters in the query string
or a form body): signature V3 ACS3-HMAC-SHA256 verified as Alibaba Cloud publishes it; refused
with HTTP 400 and Code SignatureDoesNotMatch, IncompleteSignature, InvalidAccessKeyId.NotFound,
SignatureNonceUsed (a nonce seen before) or InvalidTimeStamp.Expired (x-acs-date more than 15
minutes away); answers {"Code": "OK", "BizId", "RequestId"} or a failure Code.

Test hooks (not part of any provider's API), plain JSON over HTTP:
  GET  /_sim/sms              the messages sent so far (newest last)
  POST /_sim/mode {"mode": m} how the next answers misbehave: "ok", "5xx", "slow" (10 s),
                              "malformed" (not JSON), "error" (an InternalError answer),
                              "per-number" (SendSms answers 200 with a failed SendStatusSet),
                              "result-4" (IdCardVerification answers Result "-4")
  POST /_sim/people [[name, id], ...]   the people IdCardVerification knows

  python3 scripts/provider-sim/sim.py --port 3190 --tencent-key AKIDsim:simsecret \
      --aliyun-key LTAIsim:simsecret
"""

import argparse
import hashlib
import hmac
import json
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

STATE = {"mode": "ok", "sms": [], "people": [], "keys": {}, "aliyun_keys": {}, "nonces": set()}
LOCK = threading.Lock()

SERVICES = {
    ("IdCardVerification", "2018-03-01"): "faceid",
    ("SendSms", "2021-01-11"): "sms",
}


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hmac_sha256(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def tc3_signature(secret_key, timestamp, service, canonical_request):
    date = datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")
    string_to_sign = "TC3-HMAC-SHA256\n%d\n%s/%s/tc3_request\n%s" % (
        timestamp, date, service, sha256_hex(canonical_request.encode("utf-8")))
    k = hmac_sha256(("TC3" + secret_key).encode("utf-8"), date)
    k = hmac_sha256(k, service)
    k = hmac_sha256(k, "tc3_request")
    return hmac.new(k, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest(), date


def tencent_error(code, message):
    return {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": str(uuid.uuid4())}}


def check_tc3(headers, body, service):
    """None when the request is signed right, else the Tencent error answer."""
    auth = headers.get("Authorization", "")
    try:
        algorithm, rest = auth.split(" ", 1)
        parts = dict(p.strip().split("=", 1) for p in rest.split(","))
        secret_id, date, scope_service, terminator = parts["Credential"].split("/")
        signed_headers = parts["SignedHeaders"]
        signature = parts["Signature"]
        timestamp = int(headers.get("X-TC-Timestamp", ""))
    except (ValueError, KeyError):
        return tencent_error("AuthFailure.InvalidAuthorization", "Authorization 格式不正确")
    if algorithm != "TC3-HMAC-SHA256" or terminator != "tc3_request":
        return tencent_error("AuthFailure.InvalidAuthorization", "签名算法不正确")
    if abs(time.time() - timestamp) > 300:
        return tencent_error("AuthFailure.SignatureExpire", "签名过期")
    secret_key = STATE["keys"].get(secret_id)
    if secret_key is None:
        return tencent_error("AuthFailure.SecretIdNotFound", "密钥不存在")
    if scope_service != service:
        return tencent_error("AuthFailure.SignatureFailure", "凭证范围的服务名不正确")
    names = signed_headers.split(";")
    if "content-type" not in names or "host" not in names:
        return tencent_error("AuthFailure.SignatureFailure", "签名头部缺少 content-type 或 host")
    canonical_headers = "".join(
        "%s:%s\n" % (n, headers.get(n, "").strip().lower()) for n in names)
    canonical_request = "POST\n/\n\n%s\n%s\n%s" % (canonical_headers, signed_headers, sha256_hex(body))
    expected, expected_date = tc3_signature(secret_key, timestamp, service, canonical_request)
    if date != expected_date or not hmac.compare_digest(expected, signature):
        return tencent_error("AuthFailure.SignatureFailure", "签名不正确")
    return None


def id_card_verification(params):
    name, id_card = params.get("Name"), params.get("IdCard")
    if not isinstance(name, str) or not isinstance(id_card, str):
        return tencent_error("InvalidParameter", "缺少 Name 或 IdCard")
    if STATE["mode"] == "result-4":
        result, description = "-4", "证件库服务异常"
    elif [name, id_card] in STATE["people"]:
        result, description = "0", "姓名和身份证号一致"
    elif any(p[1] == id_card for p in STATE["people"]):
        result, description = "-1", "姓名和身份证号不一致"
    else:
        result, description = "-5", "证件库中无此身份证记录"
    return {"Response": {"Result": result, "Description": description, "RequestId": str(uuid.uuid4())}}


def send_sms(params, headers):
    if not headers.get("X-TC-Region"):
        return tencent_error("MissingParameter", "缺少 X-TC-Region")
    needed = ["PhoneNumberSet", "SmsSdkAppId", "SignName", "TemplateId", "TemplateParamSet"]
    missing = [k for k in needed if k not in params]
    if missing:
        return tencent_error("MissingParameter", "缺少 " + ",".join(missing))
    statuses = []
    for number in params["PhoneNumberSet"]:
        if STATE["mode"] == "per-number":
            statuses.append({"SerialNo": "", "PhoneNumber": number, "Fee": 0, "SessionContext": "",
                             "Code": "LimitExceeded.PhoneNumberDailyLimit",
                             "Message": "the number has reached the daily limit", "IsoCode": "CN"})
            continue
        with LOCK:
            STATE["sms"].append({"phone": number, "sign": params["SignName"],
                                 "template": params["TemplateId"],
                                 "params": params["TemplateParamSet"],
                                 "app": params["SmsSdkAppId"], "at": int(time.time())})
        statuses.append({"SerialNo": str(uuid.uuid4()), "PhoneNumber": number, "Fee": 1,
                         "SessionContext": "", "Code": "Ok", "Message": "send success",
                         "IsoCode": "CN"})
    return {"Response": {"SendStatusSet": statuses, "RequestId": str(uuid.uuid4())}}


def aliyun_error(code, message):
    return {"Code": code, "Message": message, "RequestId": str(uuid.uuid4())}


def check_acs3(method, path, query, headers, body):
    """None when the request is signed right, else the Alibaba Cloud error answer."""
    auth = headers.get("authorization", "")
    try:
        algorithm, rest = auth.split(" ", 1)
        parts = dict(p.strip().split("=", 1) for p in rest.split(","))
        access_key, signed_headers, signature = (
            parts["Credential"], parts["SignedHeaders"], parts["Signature"])
    except (ValueError, KeyError):
        return aliyun_error("IncompleteSignature", "The request signature does not conform to Aliyun standards.")
    if algorithm != "ACS3-HMAC-SHA256":
        return aliyun_error("IncompleteSignature", "Unsupported signature algorithm.")
    secret = STATE["aliyun_keys"].get(access_key)
    if secret is None:
        return aliyun_error("InvalidAccessKeyId.NotFound", "Specified access key is not found.")
    names = signed_headers.split(";")
    if "host" not in names:
        return aliyun_error("IncompleteSignature", "host must be signed.")
    for needed in ("x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"):
        if needed not in names:
            return aliyun_error("IncompleteSignature", needed + " must be signed.")
    if headers.get("x-acs-content-sha256", "") != sha256_hex(body):
        return aliyun_error("SignatureDoesNotMatch", "x-acs-content-sha256 is not the body's.")
    try:
        date = datetime.strptime(headers.get("x-acs-date", ""), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return aliyun_error("InvalidTimeStamp.Format", "x-acs-date is not ISO 8601 UTC.")
    if abs(time.time() - date.timestamp()) > 900:
        return aliyun_error("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
    canonical_query = "&".join(
        "%s=%s" % (quote(k, safe="~"), quote(v, safe="~")) for k, v in sorted(query))
    canonical_headers = "".join("%s:%s\n" % (n, headers.get(n, "").strip()) for n in names)
    canonical_request = "%s\n%s\n%s\n%s\n%s\n%s" % (
        method, path or "/", canonical_query, canonical_headers, signed_headers, sha256_hex(body))
    string_to_sign = "ACS3-HMAC-SHA256\n" + sha256_hex(canonical_request.encode("utf-8"))
    expected = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        return aliyun_error("SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
    nonce = headers.get("x-acs-signature-nonce", "")
    with LOCK:
        if nonce in STATE["nonces"]:
            return aliyun_error("SignatureNonceUsed", "Specified signature nonce was used already.")
        STATE["nonces"].add(nonce)
    return None


def aliyun_send_sms(params):
    missing = [k for k in ("PhoneNumbers", "SignName", "TemplateCode") if not params.get(k)]
    if missing:
        return aliyun_error("MissingParameter", "缺少 " + ",".join(missing))
    if STATE["mode"] == "per-number":
        return aliyun_error("isv.BUSINESS_LIMIT_CONTROL", "触发号码天级流控")
    try:
        template_params = json.loads(params.get("TemplateParam") or "{}")
    except ValueError:
        return aliyun_error("isv.INVALID_JSON_PARAM", "JSON参数不合法")
    for number in params["PhoneNumbers"].split(","):
        with LOCK:
            STATE["sms"].append({"phone": number, "sign": params["SignName"],
                                 "template": params["TemplateCode"], "params": template_params,
                                 "app": "aliyun", "at": int(time.time())})
    return {"Code": "OK", "Message": "OK", "BizId": uuid.uuid4().hex, "RequestId": str(uuid.uuid4())}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: tests read the answers
        pass

    def answer(self, status, payload, raw=None):
        body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")  # as Tencent Cloud answers
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/_sim/sms":
            with LOCK:
                return self.answer(200, STATE["sms"])
        if self.path == "/_sim/health":
            return self.answer(200, {"ok": True})
        return self.answer(404, {"error": "not found"})

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
        if self.path == "/_sim/mode":
            STATE["mode"] = json.loads(body)["mode"]
            return self.answer(200, {"mode": STATE["mode"]})
        if self.path == "/_sim/people":
            STATE["people"] = [list(p) for p in json.loads(body)]
            return self.answer(200, {"people": len(STATE["people"])})
        mode = STATE["mode"]
        if mode == "5xx":
            return self.answer(502, None, raw=b"<html>Bad Gateway</html>")
        if mode == "slow":
            time.sleep(10)
        if mode == "malformed":
            return self.answer(200, None, raw=b"<html>not json</html>")
        if self.headers.get("x-acs-action"):
            return self.aliyun(body)
        action, version = self.headers.get("X-TC-Action", ""), self.headers.get("X-TC-Version", "")
        service = SERVICES.get((action, version))
        if service is None:
            return self.answer(200, tencent_error("InvalidAction", "接口不存在或版本不正确"))
        content_type = self.headers.get("Content-Type", "").lower().replace(" ", "")
        if content_type not in ("application/json", "application/json;charset=utf-8"):
            return self.answer(200, tencent_error("InvalidParameter", "Content-Type 不正确"))
        refused = check_tc3(self.headers, body, service)
        if refused is not None:
            return self.answer(200, refused)
        if mode == "error":
            return self.answer(200, tencent_error("InternalError", "内部错误"))
        try:
            params = json.loads(body)
        except ValueError:
            return self.answer(200, tencent_error("InvalidParameter", "请求不是 JSON"))
        if action == "IdCardVerification":
            return self.answer(200, id_card_verification(params))
        return self.answer(200, send_sms(params, self.headers))

    def aliyun(self, body):
        url = urlsplit(self.path)
        query = parse_qsl(url.query, keep_blank_values=True)
        if (self.headers.get("x-acs-action"), self.headers.get("x-acs-version")) != ("SendSms", "2017-05-25"):
            return self.answer(404, aliyun_error("InvalidAction.NotFound", "Specified api is not found"))
        refused = check_acs3("POST", url.path, query, {k.lower(): v for k, v in self.headers.items()}, body)
        if refused is not None:
            return self.answer(400 if refused["Code"] != "InvalidAccessKeyId.NotFound" else 404, refused)
        if STATE["mode"] == "error":
            return self.answer(500, aliyun_error("InternalError", "The request processing has failed due to some unknown error."))
        params = dict(query)
        if body and "form-urlencoded" in self.headers.get("Content-Type", ""):
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        return self.answer(200, aliyun_send_sms(params))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tencent-key", action="append", default=[],
                        help="SecretId:SecretKey the simulator accepts (repeatable)")
    parser.add_argument("--aliyun-key", action="append", default=[],
                        help="AccessKeyId:AccessKeySecret the simulator accepts (repeatable)")
    parser.add_argument("--people", default="", help="a JSON file of [name, id] pairs")
    args = parser.parse_args()
    for pair in args.tencent_key:
        secret_id, secret_key = pair.split(":", 1)
        STATE["keys"][secret_id] = secret_key
    for pair in args.aliyun_key:
        access_key, secret = pair.split(":", 1)
        STATE["aliyun_keys"][access_key] = secret
    if args.people:
        with open(args.people, encoding="utf-8") as f:
            STATE["people"] = [list(p) for p in json.load(f)]
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print("provider simulator on http://127.0.0.1:%d" % args.port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
