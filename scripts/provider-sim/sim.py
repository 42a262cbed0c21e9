#!/usr/bin/env python3
"""A simulator of the outside providers' published APIs, on loopback, for tests and staging.

Tencent Cloud API 3.0 (one port serves every service; the action names it):
  - FaceId IdCardVerification (2018-03-01): Result "0" when (Name, IdCard) is a known person,
    "-1" when the number is known under another name, "-5" otherwise.
  - SMS SendSms (2021-01-11, region required): records each message; SendStatusSet per number.
  - FaceId DetectAuth (2018-03-01): RuleId, IdCard, Name, RedirectUrl, Extra → Url (this
    simulator's H5 page /h5/faceid?token=…) and BizToken; GetDetectInfoEnhanced (BizToken,
    RuleId, InfoType) → Text {ErrCode 0 / a failure code / null while unfinished, ErrMsg,
    IdCard, Name, Extra}. The H5 page has 【通过】 and 【不通过】 and sends the phone to
    RedirectUrl with &token=BizToken, as FaceId's H5 does.
  - OCR VerifyBizLicenseEnterprise4 (2018-11-19, 营业执照核验 企业四要素): CreditCode, EntName,
    LrName, IdNum → StatusCode 0, VerifyResult 1 when all four are a known enterprise's,
    OperatingStatus, and the Is…Consistent flags.
Every request's TC3-HMAC-SHA256 signature is verified as "签名方法 v3" publishes it, and refused
as Tencent Cloud refuses it: AuthFailure.SecretIdNotFound, AuthFailure.SignatureFailure,
AuthFailure.SignatureExpire (timestamp more than 5 minutes away), AuthFailure.InvalidAuthorization.

Alibaba Cloud 阿里云短信 Dysmsapi SendSms (2017-05-25), RPC style (parameters in the query string
or a form body): signature V3 ACS3-HMAC-SHA256 verified as Alibaba Cloud publishes it; refused
with HTTP 400 and Code SignatureDoesNotMatch, IncompleteSignature, InvalidAccessKeyId.NotFound,
SignatureNonceUsed (a nonce seen before) or InvalidTimeStamp.Expired (x-acs-date more than 15
minutes away); answers {"Code": "OK", "BizId", "RequestId"} or a failure Code.

Alipay open API gateway (/gateway.do, 支付宝 实人认证): alipay.user.certify.open.initialize
(outer_order_no, biz_code, identity_param, merchant_config.return_url) → certify_id;
alipay.user.certify.open.certify opened by the phone (GET, a page call) → an H5 page with
【通过】 and 【不通过】 that then sends the phone to return_url; alipay.user.certify.open.query →
passed "T"/"F". Every request's RSA2 signature (SHA256withRSA over the sorted parameters) is
verified with the application's public key (--alipay-app APPID:PUBLIC_KEY_FILE), and refused as
Alipay refuses it (error_response 40002 isv.invalid-signature); every answer is signed with the
simulator's "Alipay" private key (--alipay-key FILE) over the response object's text.

Test hooks (not part of any provider's API), plain JSON over HTTP:
  GET  /_sim/sms              the messages sent so far (newest last)
  POST /_sim/mode {"mode": m} how the next answers misbehave: "ok", "5xx", "slow" (10 s),
                              "malformed" (not JSON), "error" (an InternalError answer),
                              "per-number" (SendSms answers 200 with a failed SendStatusSet),
                              "result-4" (IdCardVerification answers Result "-4"),
                              "other-person" (GetDetectInfoEnhanced names someone else),
                              "bad-answer-sign" (Alipay answers signed with another key)
  POST /_sim/people [[name, id], ...]   the people IdCardVerification knows
  POST /_sim/enterprises [[code, name, legal name, legal id, OperatingStatus], ...]
  POST /_sim/face {"verdict": "pass"|"fail"}  finishes every open face check as if its page
                              were answered (for scripts without a browser)

  python3 scripts/provider-sim/sim.py --port 3190 --tencent-key AKIDsim:simsecret \
      --aliyun-key LTAIsim:simsecret \
      --alipay-app 2021000000000001:scripts/provider-sim/keys/app_public_key.txt \
      --alipay-key scripts/provider-sim/keys/alipay_private_key.txt
"""

import argparse
import base64
import hashlib
import html
import hmac
import json
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

SCHEME = ["http"]
STATE = {"mode": "ok", "sms": [], "people": [], "keys": {}, "aliyun_keys": {}, "nonces": set(),
         "enterprises": [], "checks": {}, "alipay_apps": {}, "alipay_key": None, "other_key": None}
LOCK = threading.Lock()

SERVICES = {
    ("IdCardVerification", "2018-03-01"): "faceid",
    ("SendSms", "2021-01-11"): "sms",
    ("DetectAuth", "2018-03-01"): "faceid",
    ("GetDetectInfoEnhanced", "2018-03-01"): "faceid",
    ("VerifyBizLicenseEnterprise4", "2018-11-19"): "ocr",
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


def detect_auth(params, port):
    missing = [k for k in ("RuleId", "IdCard", "Name", "RedirectUrl") if not params.get(k)]
    if missing:
        return tencent_error("MissingParameter", "缺少 " + ",".join(missing))
    token = str(uuid.uuid4()).upper()
    with LOCK:
        STATE["checks"][token] = {"kind": "faceid", "name": params["Name"], "id": params["IdCard"],
                                  "rule": params["RuleId"], "return": params["RedirectUrl"],
                                  "extra": params.get("Extra", ""), "verdict": None}
    return {"Response": {"Url": "%s://127.0.0.1:%d/h5/faceid?token=%s" % (SCHEME[0], port, token),
                         "BizToken": token, "RequestId": str(uuid.uuid4())}}


def get_detect_info(params):
    check = STATE["checks"].get(params.get("BizToken", ""))
    if check is None or check["kind"] != "faceid":
        return tencent_error("InvalidParameterValue.BizTokenIllegal", "BizToken 不合法")
    if params.get("RuleId") != check["rule"]:
        return tencent_error("InvalidParameterValue.RuleIdNotExist", "RuleId 与 BizToken 不符")
    verdict = check["verdict"]
    code = {None: None, "pass": 0, "fail": 1002}[verdict]
    message = {None: "未完成认证", "pass": "成功", "fail": "活体检测未通过"}[verdict]
    name, id_card = check["name"], check["id"]
    if STATE["mode"] == "other-person":
        name, id_card = "钱某某", "110101199001011237"
    text = {"ErrCode": code, "ErrMsg": message, "IdCard": id_card, "Name": name,
            "Extra": check["extra"], "LiveStatus": code, "Comparestatus": code}
    return {"Response": {"Text": text, "IdCardData": None, "BestFrame": None, "VideoData": None,
                         "RequestId": str(uuid.uuid4())}}


def verify_enterprise(params):
    missing = [k for k in ("CreditCode", "EntName", "LrName", "IdNum") if not params.get(k)]
    if missing:
        return tencent_error("MissingParameter", "缺少 " + ",".join(missing))
    found = [e for e in STATE["enterprises"] if e[0] == params["CreditCode"]]
    known = found[0] if found else None
    same = lambda i, k: bool(known) and known[i] == params[k]
    flags = {"IsCreditCodeConsistent": bool(known), "IsEntNameConsistent": same(1, "EntName"),
             "IsLrNameConsistent": same(2, "LrName"), "IsIdNumConsistent": same(3, "IdNum")}
    result = 1 if all(flags.values()) else 0
    return {"Response": dict(flags, StatusCode=0, VerifyResult=result,
                             OperatingStatus=known[4] if known else "/", OperatingPeriod="/",
                             RequestId=str(uuid.uuid4()))}


def load_key(path, private):
    """A key in PEM, or bare base64 DER as Alipay's key tool writes it."""
    from cryptography.hazmat.primitives import serialization
    with open(path, "rb") as f:
        data = f.read().strip()
    if not data.startswith(b"-----"):
        der = base64.b64decode(b"".join(data.split()))
        return (serialization.load_der_private_key(der, None) if private
                else serialization.load_der_public_key(der))
    return (serialization.load_pem_private_key(data, None) if private
            else serialization.load_pem_public_key(data))


def rsa2_sign(key, content):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    return base64.b64encode(key.sign(content.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())).decode()


def rsa2_verify(key, content, sign):
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    try:
        key.verify(base64.b64decode(sign), content.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
        return True
    except (InvalidSignature, ValueError):
        return False


def alipay_answer(method, node):
    """The signed answer: the response object's text as sent, signed RSA2."""
    name = "error_response" if node.get("code") not in ("10000", None) and node.get("sub_code", "").startswith("isv.invalid") else method.replace(".", "_") + "_response"
    text = json.dumps(node, ensure_ascii=False, separators=(",", ":"))
    key = STATE["other_key"] if STATE["mode"] == "bad-answer-sign" else STATE["alipay_key"]
    return ('{"%s":%s,"sign":"%s"}' % (name, text, rsa2_sign(key, text))).encode("utf-8")


def alipay_check(params):
    """The refusal for a request not signed by a known application, else None."""
    app = STATE["alipay_apps"].get(params.get("app_id", ""))
    if app is None:
        return {"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-app-id",
                "sub_msg": "无效的AppID参数"}
    if params.get("sign_type") != "RSA2" or params.get("charset", "").lower() != "utf-8":
        return {"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-signature-type",
                "sub_msg": "无效的签名类型"}
    content = "&".join("%s=%s" % (k, v) for k, v in sorted(params.items()) if k != "sign" and v != "")
    if not rsa2_verify(app, content, params.get("sign", "")):
        return {"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-signature",
                "sub_msg": "验签出错,建议检查签名字符串或签名私钥与应用公钥是否匹配"}
    try:
        stamp = datetime.strptime(params.get("timestamp", ""), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return {"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-timestamp",
                "sub_msg": "非法的时间戳参数"}
    # 北京时间 by the documentation; the official SDK sends the machine's local time, so only
    # a day's difference is refused.
    beijing = datetime.now(timezone.utc).replace(tzinfo=None).timestamp() + 8 * 3600
    if abs(beijing - stamp.timestamp()) > 24 * 3600:
        return {"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-timestamp",
                "sub_msg": "时间戳超出允许范围"}
    return None


def alipay_call(params, port):
    method = params.get("method", "")
    refused = alipay_check(params)
    if refused is not None:
        return method, refused
    try:
        biz = json.loads(params.get("biz_content") or "{}")
    except ValueError:
        return method, {"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-biz-content",
                        "sub_msg": "biz_content 不是 JSON"}
    if STATE["mode"] == "error":
        return method, {"code": "20000", "msg": "Service Currently Unavailable",
                        "sub_code": "isp.unknow-error", "sub_msg": "系统繁忙"}
    if method == "alipay.user.certify.open.initialize":
        ident = biz.get("identity_param") or {}
        ret = (biz.get("merchant_config") or {}).get("return_url")
        if biz.get("biz_code") != "FACE" or ident.get("identity_type") != "CERT_INFO" \
                or ident.get("cert_type") != "IDENTITY_CARD" or not ident.get("cert_name") \
                or not ident.get("cert_no") or not ret or not biz.get("outer_order_no"):
            return method, {"code": "40004", "msg": "Business Failed", "sub_code": "MISSING_PARAMETER",
                            "sub_msg": "缺少必要参数"}
        certify_id = uuid.uuid4().hex
        with LOCK:
            STATE["checks"][certify_id] = {"kind": "alipay", "name": ident["cert_name"],
                                           "id": ident["cert_no"], "return": ret,
                                           "extra": biz["outer_order_no"], "verdict": None,
                                           "app": params["app_id"]}
        return method, {"code": "10000", "msg": "Success", "certify_id": certify_id}
    if method == "alipay.user.certify.open.query":
        check = STATE["checks"].get(biz.get("certify_id", ""))
        if check is None or check["kind"] != "alipay" or check["app"] != params["app_id"]:
            return method, {"code": "40004", "msg": "Business Failed", "sub_code": "CERTIFY_ID_EXPIRED",
                            "sub_msg": "认证已过期或不存在"}
        passed = "T" if check["verdict"] == "pass" else "F"
        return method, {"code": "10000", "msg": "Success", "passed": passed,
                        "identity_info": "{}", "material_info": "{}"}
    return method, {"code": "40004", "msg": "Business Failed", "sub_code": "isv.invalid-method",
                    "sub_msg": "不存在的方法名"}


PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>%(title)s</title></head>
<body><main><h1>%(title)s</h1><p>模拟的%(who)s页面:请为 %(name)s 选择核验结果。</p>
<form method="post" action="%(action)s"><input type="hidden" name="token" value="%(token)s">
<button name="verdict" value="pass">通过</button> <button name="verdict" value="fail">不通过</button>
</form></main></body></html>"""


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

    def page(self, status, text):
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def h5(self, kind, token):
        check = STATE["checks"].get(token)
        if check is None or check["kind"] != kind:
            return self.page(404, "<!doctype html><title>认证已失效</title><h1>认证已失效</h1>")
        title, who = {"faceid": ("人脸核身", "腾讯云慧眼 H5"),
                      "alipay": ("支付宝 实人认证", "支付宝实人认证")}[kind]
        return self.page(200, PAGE % {"title": title, "who": who, "name": html.escape(check["name"]),
                                      "action": "/h5/%s/verdict" % kind, "token": html.escape(token)})

    def do_GET(self):
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        if self.path == "/_sim/sms":
            with LOCK:
                return self.answer(200, STATE["sms"])
        if self.path == "/_sim/health":
            return self.answer(200, {"ok": True})
        if url.path == "/h5/faceid":
            return self.h5("faceid", query.get("token", ""))
        if url.path == "/gateway.do" and query.get("method") == "alipay.user.certify.open.certify":
            refused = alipay_check(query)
            if refused is not None:
                return self.page(400, "<!doctype html><title>验签出错</title><h1>%s</h1>" % refused["sub_code"])
            try:
                certify_id = json.loads(query.get("biz_content", "{}")).get("certify_id", "")
            except ValueError:
                certify_id = ""
            return self.h5("alipay", certify_id)
        return self.answer(404, {"error": "not found"})

    def verdict(self, kind, body):
        form = dict(parse_qsl(body.decode("utf-8")))
        check = STATE["checks"].get(form.get("token", ""))
        if check is None or check["kind"] != kind or form.get("verdict") not in ("pass", "fail"):
            return self.page(400, "<!doctype html><title>请求无效</title><h1>请求无效</h1>")
        with LOCK:
            check["verdict"] = form["verdict"]
        back = check["return"]
        if kind == "faceid":
            back += ("&" if "?" in back else "?") + urlencode({"token": form["token"]})
        return self.redirect(back)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
        if self.path == "/_sim/mode":
            STATE["mode"] = json.loads(body)["mode"]
            return self.answer(200, {"mode": STATE["mode"]})
        if self.path == "/_sim/people":
            STATE["people"] = [list(p) for p in json.loads(body)]
            return self.answer(200, {"people": len(STATE["people"])})
        if self.path == "/_sim/enterprises":
            STATE["enterprises"] = [list(e) for e in json.loads(body)]
            return self.answer(200, {"enterprises": len(STATE["enterprises"])})
        if self.path == "/_sim/face":
            verdict = json.loads(body)["verdict"]
            with LOCK:
                for check in STATE["checks"].values():
                    if check["verdict"] is None:
                        check["verdict"] = verdict
            return self.answer(200, {"verdict": verdict})
        if self.path in ("/h5/faceid/verdict", "/h5/alipay/verdict"):
            return self.verdict(self.path.split("/")[2], body)
        mode = STATE["mode"]
        if mode == "5xx":
            return self.answer(502, None, raw=b"<html>Bad Gateway</html>")
        if mode == "slow":
            time.sleep(10)
        if mode == "malformed":
            return self.answer(200, None, raw=b"<html>not json</html>")
        if self.headers.get("x-acs-action"):
            return self.aliyun(body)
        if urlsplit(self.path).path == "/gateway.do":
            return self.alipay(body)
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
        port = self.server.server_address[1]
        answers = {
            "IdCardVerification": lambda: id_card_verification(params),
            "SendSms": lambda: send_sms(params, self.headers),
            "DetectAuth": lambda: detect_auth(params, port),
            "GetDetectInfoEnhanced": lambda: get_detect_info(params),
            "VerifyBizLicenseEnterprise4": lambda: verify_enterprise(params),
        }
        return self.answer(200, answers[action]())

    def alipay(self, body):
        params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        if body:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        if STATE["alipay_key"] is None:
            return self.answer(404, {"error": "no Alipay application configured (--alipay-app, --alipay-key)"})
        method, node = alipay_call(params, self.server.server_address[1])
        return self.answer(200, None, raw=alipay_answer(method, node))

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
    parser.add_argument("--alipay-app", action="append", default=[],
                        help="APPID:PUBLIC_KEY_FILE of an application whose RSA2 requests are accepted")
    parser.add_argument("--alipay-key", default="",
                        help="the private key file the simulator signs its Alipay answers with")
    parser.add_argument("--tls-cert", default="", help="serve HTTPS with this certificate (PEM)")
    parser.add_argument("--tls-key", default="", help="… and this key (PEM)")
    parser.add_argument("--people", default="", help="a JSON file of [name, id] pairs")
    parser.add_argument("--enterprises", default="",
                        help="a JSON file of [code, name, legal name, legal id, OperatingStatus]")
    args = parser.parse_args()
    for pair in args.alipay_app:
        app_id, path = pair.split(":", 1)
        STATE["alipay_apps"][app_id] = load_key(path, private=False)
    if args.alipay_key:
        from cryptography.hazmat.primitives.asymmetric import rsa
        STATE["alipay_key"] = load_key(args.alipay_key, private=True)
        STATE["other_key"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if args.enterprises:
        with open(args.enterprises, encoding="utf-8") as f:
            STATE["enterprises"] = [list(e) for e in json.load(f)]
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
    scheme = "http"
    if args.tls_cert:
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    SCHEME[0] = scheme
    print("provider simulator on %s://127.0.0.1:%d" % (scheme, args.port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
