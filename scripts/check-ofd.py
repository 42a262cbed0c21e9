#!/usr/bin/env python3
"""Reads an OFD copy of a certificate with tools that share no code with the portal: PyPI's
ofdkit (GB/T 33190 reader) for the pages and their text, and PyPI's gmssl (SM2/SM3) for the
seal signature — SM3 of every referenced file, the GB/T 38540 SES_Signature's signature over
its TBS_Sign with the signer certificate's key, its data hash against Signature.xml, and the
seal (SESeal) with its maker's key, whose picture must open as an OFD too.
Prints the number of pages, then the text. Exits non-zero on any failure.

    target/doc-tools/bin/python scripts/check-ofd.py copy.ofd
"""
import base64, re, sys, tempfile, zipfile

import ofdkit
from gmssl import sm2, sm3, func


def tlv(data, at=0):
    tag, first = data[at], data[at + 1]
    if first < 0x80:
        length, head = first, 2
    else:
        n = first & 0x7F
        length, head = int.from_bytes(data[at + 2:at + 2 + n], "big"), 2 + n
    start = at + head
    return tag, data[start:start + length], data[at:start + length], start + length


def children(content):
    out, at = [], 0
    while at < len(content):
        tag, body, whole, at = tlv(content, at)
        out.append((tag, body, whole))
    return out


def sm3_of(data):
    return bytes.fromhex(sm3.sm3_hash(func.bytes_to_list(data)))


def verify(public, der_signature, data):
    # gmssl takes the public key as hex x‖y and, with asn1=True, a DER (r, s) signature.
    key = sm2.CryptSM2(private_key=None, public_key=public.hex()[2:], asn1=True)
    return key.verify_with_sm3(der_signature.hex(), data)


def cert_public_key(cert):
    _, body, _, _ = tlv(cert)
    tbs = children(children(body)[0][1])
    spki = children(tbs[6][1])
    return spki[1][1][1:]  # BIT STRING: skip the unused-bits byte


def main(path):
    package = zipfile.ZipFile(path)
    signature_xml = package.read("Doc_0/Signs/Sign_0/Signature.xml")
    refs = re.findall(rb'FileRef="/([^"]+)"><ofd:CheckValue>([^<]+)<', signature_xml)
    assert len(refs) >= 5, refs
    for name, value in refs:
        assert base64.b64decode(value) == sm3_of(package.read(name.decode())), name
    signed = package.read("Doc_0/Signs/Sign_0/SignedValue.dat")
    _, body, _, _ = tlv(signed)
    tbs, cert, _oid, signature = children(body)[:4]
    public = cert_public_key(cert[1])
    assert verify(public, signature[1][1:], tbs[2]), "SES_Signature does not verify"
    tbs_parts = children(tbs[1])
    assert tbs_parts[0][1] == b"\x04", "version 4"
    assert tbs_parts[3][1][1:] == sm3_of(signature_xml), "data hash is not Signature.xml's SM3"
    seal_parts = children(tbs_parts[1][1])
    maker = cert_public_key(seal_parts[1][1])
    assert verify(maker, seal_parts[3][1][1:], seal_parts[0][2]), "SESeal does not verify"
    # The seal's picture is itself an OFD of the seal.
    picture = children(children(seal_parts[0][1])[3][1])
    assert picture[0][1] == b"ofd", picture[0][1]
    with tempfile.NamedTemporaryFile(suffix=".ofd") as f:
        f.write(picture[1][1])
        f.flush()
        seal = ofdkit.open(f.name)
        assert len(seal.pages) == 1 and "电" in seal.text(), seal.text()
    doc = ofdkit.open(path)
    print(len(doc.pages))
    print(doc.text())


if __name__ == "__main__":
    main(sys.argv[1])
