#!/usr/bin/env python3
"""Checks the simulator's signature verification with the providers' official Python SDKs:
Tencent Cloud's (tencentcloud-sdk-python, TC3-HMAC-SHA256) and Alibaba Cloud's
(alibabacloud-dysmsapi20170525 on alibabacloud-tea-openapi, ACS3-HMAC-SHA256). Requests signed
with the right key are accepted; with a wrong key, refused as the providers refuse them
(AuthFailure.SignatureFailure; SignatureDoesNotMatch). Prints one JSON line per call; exits
non-zero when any answer is not as expected.

Also FaceId DetectAuth (Tencent's SDK) and 支付宝 实人认证 initialize (Alipay's official
alipay-sdk-python, which also verifies the simulator's RSA2 answer signatures with the "Alipay"
public key: a wrong answer signature would raise there). A request signed with another
application key is refused isv.invalid-signature.

  python3 scripts/provider-sim/check_with_sdk.py PORT SECRET_ID SECRET_KEY \
      [ALIYUN_KEY ALIYUN_SECRET [ALIPAY_APP_ID APP_PRIVATE_KEY_FILE ALIPAY_PUBLIC_KEY_FILE]]
"""

import json
import sys

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.faceid.v20180301 import faceid_client, models as faceid_models
from tencentcloud.sms.v20210111 import sms_client, models as sms_models


def profile(port):
    http = HttpProfile()
    http.endpoint = "127.0.0.1:%d" % port
    http.scheme = "http"
    p = ClientProfile()
    p.httpProfile = http
    p.signMethod = "TC3-HMAC-SHA256"
    return p


def identity(port, secret_id, secret_key):
    client = faceid_client.FaceidClient(credential.Credential(secret_id, secret_key), "", profile(port))
    req = faceid_models.IdCardVerificationRequest()
    req.from_json_string(json.dumps({"IdCard": "110108200001010015", "Name": "赵新民"}))
    return json.loads(client.IdCardVerification(req).to_json_string())


def sms(port, secret_id, secret_key):
    client = sms_client.SmsClient(credential.Credential(secret_id, secret_key), "ap-guangzhou", profile(port))
    req = sms_models.SendSmsRequest()
    req.from_json_string(json.dumps({
        "PhoneNumberSet": ["+8613800000000"], "SmsSdkAppId": "1400000000",
        "SignName": "住建部政务服务", "TemplateId": "100001", "TemplateParamSet": ["123456", "5"]}))
    return json.loads(client.SendSms(req).to_json_string())


def detect_auth(port, secret_id, secret_key):
    client = faceid_client.FaceidClient(credential.Credential(secret_id, secret_key), "", profile(port))
    req = faceid_models.DetectAuthRequest()
    req.from_json_string(json.dumps({"RuleId": "1", "IdCard": "110108200001010015", "Name": "赵新民",
                                     "RedirectUrl": "http://127.0.0.1:3000/m/face-return?ticket=t",
                                     "Extra": "t"}))
    return json.loads(client.DetectAuth(req).to_json_string())


def alipay_initialize(port, app_id, private_key, alipay_public_key):
    from alipay.aop.api.AlipayClientConfig import AlipayClientConfig
    from alipay.aop.api.DefaultAlipayClient import DefaultAlipayClient
    from alipay.aop.api.request.AlipayUserCertifyOpenInitializeRequest import AlipayUserCertifyOpenInitializeRequest
    import alipay.aop.api.util.WebUtils as web
    import http.client
    from urllib.parse import urlparse

    def connection(url, query_string, timeout):
        # The SDK always connects to port 80 or 443 (and fails on an address with a port);
        # the simulator listens elsewhere. Everything else is the SDK's own.
        u = urlparse(url)
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
        return "%s://%s:%d%s?%s" % (u.scheme, u.hostname, u.port, u.path, query_string), c

    web.get_http_connection = connection
    config = AlipayClientConfig()
    config.server_url = "http://127.0.0.1:%d/gateway.do" % port
    config.app_id = app_id
    config.app_private_key = private_key
    config.alipay_public_key = alipay_public_key
    request = AlipayUserCertifyOpenInitializeRequest()
    request.biz_content = {
        "outer_order_no": "ZJZW0001", "biz_code": "FACE",
        "identity_param": {"identity_type": "CERT_INFO", "cert_type": "IDENTITY_CARD",
                           "cert_name": "赵新民", "cert_no": "110108200001010015"},
        "merchant_config": {"return_url": "http://127.0.0.1:3000/m/face-return?ticket=t"}}
    return json.loads(DefaultAlipayClient(config).execute(request))


def check_alipay(port, app_id, private_key_file, alipay_public_key_file):
    read = lambda path: open(path, encoding="utf-8").read().strip()
    private_key, alipay_public_key = read(private_key_file), read(alipay_public_key_file)
    answer = alipay_initialize(port, app_id, private_key, alipay_public_key)
    print(json.dumps({"call": "alipay initialize", "key": "right", "answer": answer}, ensure_ascii=False))
    ok = answer.get("code") == "10000" and bool(answer.get("certify_id"))
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()).decode()
    other = "".join(line for line in other.splitlines() if not line.startswith("-----"))
    wrong = alipay_initialize(port, app_id, other, alipay_public_key)
    print(json.dumps({"call": "alipay initialize", "key": "wrong", "answer": wrong}, ensure_ascii=False))
    return ok and wrong.get("sub_code") == "isv.invalid-signature"


def aliyun_sms(port, access_key, secret):
    from alibabacloud_dysmsapi20170525.client import Client
    from alibabacloud_dysmsapi20170525 import models as dysms_models
    from alibabacloud_tea_openapi import models as open_api_models
    config = open_api_models.Config(access_key_id=access_key, access_key_secret=secret,
                                    endpoint="127.0.0.1:%d" % port, protocol="http")
    request = dysms_models.SendSmsRequest(phone_numbers="13800000000", sign_name="住建部政务服务",
                                          template_code="SMS_100001",
                                          template_param='{"code":"123456","minutes":"5"}')
    return Client(config).send_sms(request).body.to_map()


def check_aliyun(port, access_key, secret):
    answer = aliyun_sms(port, access_key, secret)
    print(json.dumps({"call": "aliyun SendSms", "key": "right", "answer": answer}, ensure_ascii=False))
    ok = answer.get("Code") == "OK"
    try:
        aliyun_sms(port, access_key, secret + "x")
        print(json.dumps({"call": "aliyun SendSms", "key": "wrong", "answer": "accepted"}))
        return False
    except Exception as e:  # the SDK raises TeaException with the provider's code
        code = getattr(e, "code", str(e))
        print(json.dumps({"call": "aliyun SendSms", "key": "wrong", "code": code}))
        return ok and code == "SignatureDoesNotMatch"


def main():
    port, secret_id, secret_key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    ok = True
    if len(sys.argv) > 5:
        ok &= check_aliyun(port, sys.argv[4], sys.argv[5])
    if len(sys.argv) > 8:
        ok &= check_alipay(port, sys.argv[6], sys.argv[7], sys.argv[8])
    for name, call in [("IdCardVerification", identity), ("SendSms", sms), ("DetectAuth", detect_auth)]:
        answer = call(port, secret_id, secret_key)
        print(json.dumps({"call": name, "key": "right", "answer": answer}, ensure_ascii=False))
        ok &= "RequestId" in answer
        try:
            call(port, secret_id, secret_key + "x")
            print(json.dumps({"call": name, "key": "wrong", "answer": "accepted"}))
            ok = False
        except TencentCloudSDKException as e:
            print(json.dumps({"call": name, "key": "wrong", "code": e.get_code()}))
            ok &= e.get_code() == "AuthFailure.SignatureFailure"
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
