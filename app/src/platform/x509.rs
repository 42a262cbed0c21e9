//! X.509 for the verifiable credentials: the `x5c` chain that HAIP 1.0 puts in the header of
//! an SD-JWT VC, of its status list token and of a verifier's signed request (RFC 7515
//! §4.1.6: the signer's certificate first, each next one certifying the one before, the trust
//! anchor left out), and the check a verifier makes of such a chain against its anchors
//! (RFC 5280 §6, for the profile used here: ECDSA P-256 with SHA-256 throughout, CA
//! certificates marked by `basicConstraints`, validity at the time of the check).
//!
//! The certificates are RustCrypto's `x509-cert` structures signed with `p256`: the
//! encodings are theirs. In development and staging the portal is its own CA (a key kept in
//! the database, a certificate made from it with fixed dates, so every process makes the same
//! bytes); in production the operator's chain comes from a file.

use crate::platform::error::Message;
use der::asn1::{Any, BitString, ObjectIdentifier, PrintableStringRef, SetOfVec, UtcTime};
use der::{Decode, Encode};
use p256::ecdsa::signature::{Signer as _, Verifier as _};
use p256::ecdsa::{DerSignature, Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use std::time::Duration;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::certificate::{Certificate, TbsCertificate, Version};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::{Time, Validity};

use der::oid::AssociatedOid as _;

const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const P256_CURVE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const COUNTRY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.6");
const ORGANIZATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
/// 2024-01-01 and 2049-12-31 (UTC): the development certificates' validity, fixed so that
/// the same keys always give the same certificates.
const VALID_FROM: u64 = 1_704_067_200;
const VALID_TO: u64 = 2_524_607_999;
/// The longest chain a verifier follows.
const MAX_CHAIN: usize = 5;
/// The organisation in the development certificates' names.
const DEV_ORGANIZATION: &str = "住房和城乡建设部政务服务门户(开发环境)";

fn invalid(e: der::Error) -> String {
    format!("证书编码无效:{e}")
}

/// `C=CN, O=<organisation>, CN=<common>`: the names of the portal's certificates (these, and
/// the seal's SM2 certificate in the documents crate).
pub fn distinguished_name(organisation: &str, common: &str) -> Result<Name, String> {
    let rdn = |oid: ObjectIdentifier, value: Any| {
        SetOfVec::try_from(vec![AttributeTypeAndValue { oid, value }])
            .map(RelativeDistinguishedName)
            .map_err(invalid)
    };
    let country = Any::encode_from(&PrintableStringRef::new("CN").map_err(invalid)?);
    Ok(RdnSequence(vec![
        rdn(COUNTRY, country.map_err(invalid)?)?,
        rdn(
            ORGANIZATION,
            Any::encode_from(&organisation.to_string()).map_err(invalid)?,
        )?,
        rdn(
            COMMON_NAME,
            Any::encode_from(&common.to_string()).map_err(invalid)?,
        )?,
    ]))
}

fn ecdsa_with_sha256() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: ECDSA_WITH_SHA256,
        parameters: None,
    }
}

fn extension(value: &impl Encode, oid: ObjectIdentifier) -> Result<Extension, String> {
    Ok(Extension {
        extn_id: oid,
        critical: true,
        extn_value: der::asn1::OctetString::new(value.to_der().map_err(invalid)?)
            .map_err(invalid)?,
    })
}

/// A certificate (DER) for `subject_key` named `subject`, signed by `issuer_key` under the
/// name `issuer`: a CA certificate (`keyCertSign`) when `ca`, else a signing one
/// (`digitalSignature`). Deterministic: RFC 6979 signatures over fixed dates.
pub fn certificate(
    subject: &str,
    subject_key: &VerifyingKey,
    issuer: &str,
    issuer_key: &SigningKey,
    ca: bool,
) -> Result<Vec<u8>, String> {
    let public = subject_key.to_encoded_point(false);
    let mut serial: [u8; 8] = Sha256::digest(public.as_bytes())[..8]
        .try_into()
        .map_err(|_| "证书序列号无效".to_string())?;
    serial[0] = (serial[0] & 0x7f) | 0x01;
    let utc = |unix| {
        UtcTime::from_unix_duration(Duration::from_secs(unix))
            .map(Time::UtcTime)
            .map_err(invalid)
    };
    let usage = if ca {
        KeyUsages::KeyCertSign | KeyUsages::CRLSign
    } else {
        KeyUsages::DigitalSignature.into()
    };
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&serial).map_err(invalid)?,
        signature: ecdsa_with_sha256(),
        issuer: distinguished_name(DEV_ORGANIZATION, issuer)?,
        validity: Validity {
            not_before: utc(VALID_FROM)?,
            not_after: utc(VALID_TO)?,
        },
        subject: distinguished_name(DEV_ORGANIZATION, subject)?,
        subject_public_key_info: SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: EC_PUBLIC_KEY,
                parameters: Some(Any::encode_from(&P256_CURVE).map_err(invalid)?),
            },
            subject_public_key: BitString::from_bytes(public.as_bytes()).map_err(invalid)?,
        },
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(vec![
            extension(
                &BasicConstraints {
                    ca,
                    path_len_constraint: ca.then_some(0),
                },
                BasicConstraints::OID,
            )?,
            extension(&KeyUsage(usage), KeyUsage::OID)?,
        ]),
    };
    let signature: DerSignature = issuer_key.sign(&tbs.to_der().map_err(invalid)?);
    Certificate {
        tbs_certificate: tbs,
        signature_algorithm: ecdsa_with_sha256(),
        signature: BitString::from_bytes(signature.as_bytes()).map_err(invalid)?,
    }
    .to_der()
    .map_err(invalid)
}

/// The development CA's certificate (self-signed) for its key.
pub fn development_anchor(ca: &SigningKey) -> Result<Vec<u8>, String> {
    let common = "电子证照可验证凭证 开发根证书";
    certificate(common, ca.verifying_key(), common, ca, true)
}

/// A development signing certificate for `key`, issued by the development CA `ca`.
pub fn development_leaf(
    common: &str,
    key: &VerifyingKey,
    ca: &SigningKey,
) -> Result<Vec<u8>, String> {
    certificate(common, key, "电子证照可验证凭证 开发根证书", ca, false)
}

/// The certificates of a PEM file (`-----BEGIN CERTIFICATE-----` blocks), in order, as DER.
pub fn pem_chain(text: &str) -> Result<Vec<Vec<u8>>, String> {
    let certs = Certificate::load_pem_chain(text.as_bytes())
        .map_err(|_| "证书文件应为 PEM 格式的证书链".to_string())?;
    certs.iter().map(|c| c.to_der().map_err(invalid)).collect()
}

/// One certificate as PEM.
pub fn pem(der: &[u8]) -> String {
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// Whether two certificates certify the same P-256 key.
pub fn same_key(a: &[u8], b: &[u8]) -> bool {
    match (
        parse(a).and_then(|a| public_key(&a)),
        parse(b).and_then(|b| public_key(&b)),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// `x509_hash` (OID4VP 1.0 §5.9.3): base64url of the SHA-256 of the certificate's DER.
pub fn hash(der: &[u8]) -> String {
    crate::platform::sd_jwt::b64(&Sha256::digest(der))
}

fn parse(der: &[u8]) -> Result<Certificate, Message> {
    Certificate::from_der(der).map_err(|_| {
        Message::new(
            "证书无法解析",
            "A certificate in the chain (x5c) could not be read",
        )
    })
}

/// The P-256 key a certificate certifies.
fn public_key(cert: &Certificate) -> Result<VerifyingKey, Message> {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
    if spki.algorithm.oid != EC_PUBLIC_KEY || curve != Some(P256_CURVE) {
        return Err(Message::new(
            "证书的公钥不是 P-256 密钥",
            "A certificate's key in the chain (x5c) is not a P-256 key",
        ));
    }
    VerifyingKey::from_sec1_bytes(spki.subject_public_key.raw_bytes()).map_err(|_| {
        Message::new(
            "证书的公钥无效",
            "A certificate's key in the chain (x5c) is not valid",
        )
    })
}

/// Whether `issuer`'s key signed `cert` (ECDSA with SHA-256 only).
fn signed_by(cert: &Certificate, issuer: &VerifyingKey) -> bool {
    if cert.signature_algorithm.oid != ECDSA_WITH_SHA256
        || cert.tbs_certificate.signature.oid != ECDSA_WITH_SHA256
    {
        return false;
    }
    let Ok(tbs) = cert.tbs_certificate.to_der() else {
        return false;
    };
    let Ok(signature) = Signature::from_der(cert.signature.raw_bytes()) else {
        return false;
    };
    issuer.verify(&tbs, &signature).is_ok()
}

fn valid_at(cert: &Certificate, now: i64) -> bool {
    let validity = &cert.tbs_certificate.validity;
    let now = Duration::from_secs(now.max(0) as u64);
    validity.not_before.to_unix_duration() <= now && now <= validity.not_after.to_unix_duration()
}

/// Whether a certificate may certify others with `below` CA certificates under it before
/// the signing certificate: `basicConstraints` with `cA`, a `pathLenConstraint` (if any) of at
/// least `below`, and `keyCertSign` in its key usage (if it has one). RFC 5280 §6.1.4.
fn may_certify(cert: &Certificate, below: usize) -> bool {
    let path_ok = match cert.tbs_certificate.get::<BasicConstraints>() {
        Ok(Some((
            _,
            BasicConstraints {
                ca: true,
                path_len_constraint,
            },
        ))) => path_len_constraint.is_none_or(|n| below <= usize::from(n)),
        _ => false,
    };
    let usage_ok = match cert.tbs_certificate.get::<KeyUsage>() {
        Ok(Some((_, usage))) => usage.0.contains(KeyUsages::KeyCertSign),
        Ok(None) => true,
        Err(_) => false,
    };
    path_ok && usage_ok
}

fn may_sign(cert: &Certificate) -> bool {
    match cert.tbs_certificate.get::<KeyUsage>() {
        Ok(Some((_, usage))) => usage.0.contains(KeyUsages::DigitalSignature),
        Ok(None) => true,
        Err(_) => false,
    }
}

/// Checks `chain` (DER, the signer's certificate first, as in `x5c`) against the trusted
/// `anchors` at `now`, and gives the signer's key. Every certificate must be valid at `now`
/// and signed (ECDSA P-256, SHA-256) by the next one, each certificate above the first must be
/// a CA, and the last must be signed by an anchor with its name as issuer (or be an anchor
/// itself). The first must be allowed to sign.
pub fn verify_chain(
    chain: &[Vec<u8>],
    anchors: &[Vec<u8>],
    now: i64,
) -> Result<VerifyingKey, Message> {
    if chain.is_empty() {
        return Err(Message::new(
            "缺少 x5c 证书链",
            "The signature has no certificate chain (x5c)",
        ));
    }
    if chain.len() > MAX_CHAIN {
        return Err(Message::new(
            "x5c 证书链过长",
            "The certificate chain (x5c) is too long",
        ));
    }
    let certs = chain
        .iter()
        .map(|der| parse(der))
        .collect::<Result<Vec<_>, _>>()?;
    for (i, cert) in certs.iter().enumerate() {
        if !valid_at(cert, now) {
            return Err(Message::new(
                "x5c 中的证书不在有效期内",
                "A certificate in the chain (x5c) has expired or is not yet valid",
            ));
        }
        if i > 0 && !may_certify(cert, i - 1) {
            return Err(Message::new(
                "x5c 中签发证书的不是可签发证书的 CA 证书,或超出其路径长度限制",
                "A certificate in the chain (x5c) was issued by one that may not issue certificates, or the chain is longer than allowed",
            ));
        }
        if let Some(next) = certs.get(i + 1)
            && (cert.tbs_certificate.issuer != next.tbs_certificate.subject
                || !signed_by(cert, &public_key(next)?))
        {
            return Err(Message::new(
                "x5c 证书链的签名不连贯",
                "The certificates in the chain (x5c) do not sign each other",
            ));
        }
    }
    let signer = &certs[0];
    if !may_sign(signer) {
        return Err(Message::new(
            "x5c 的签名证书不允许数字签名",
            "The signing certificate in the chain (x5c) may not be used for signatures",
        ));
    }
    let last = &certs[certs.len() - 1];
    let last_der = &chain[chain.len() - 1];
    let anchored = anchors.iter().any(|anchor| {
        if anchor == last_der {
            return true;
        }
        let Ok(anchor) = parse(anchor) else {
            return false;
        };
        anchor.tbs_certificate.subject == last.tbs_certificate.issuer
            && valid_at(&anchor, now)
            && may_certify(&anchor, chain.len() - 1)
            && public_key(&anchor).is_ok_and(|key| signed_by(last, &key))
    });
    if !anchored {
        return Err(Message::new(
            "x5c 证书链不通向受信任的根证书",
            "The certificate chain (x5c) does not lead to a trusted root certificate",
        ));
    }
    public_key(signer)
}

/// An operator's chain file checked for a signing key: the signer's certificate first, any
/// intermediates, and the trust anchor (self-signed) last. Gives the chain without the anchor
/// (what `x5c` carries) and the anchor.
pub fn configured_chain(
    certs: Vec<Vec<u8>>,
    key: &VerifyingKey,
    now: i64,
) -> Result<(Vec<Vec<u8>>, Vec<u8>), String> {
    let Some((anchor, chain)) = certs.split_last() else {
        return Err("证书文件中没有证书".into());
    };
    if chain.is_empty() {
        return Err("证书文件应含签名证书和根证书(根证书在最后)".into());
    }
    let root = parse(anchor).map_err(|m| m.zh)?;
    if root.tbs_certificate.issuer != root.tbs_certificate.subject
        || !signed_by(&root, &public_key(&root).map_err(|m| m.zh)?)
    {
        return Err("证书文件的最后一张应为自签名的根证书".into());
    }
    let signer = verify_chain(chain, std::slice::from_ref(anchor), now).map_err(|m| m.zh)?;
    if &signer != key {
        return Err("签名证书的公钥与签名私钥不匹配".into());
    }
    Ok((chain.to_vec(), anchor.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: &str) -> SigningKey {
        SigningKey::from_slice(&crate::platform::ids::unhex(&byte.repeat(32)).unwrap()).unwrap()
    }

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_development_chain_verifies_against_its_anchor_only() {
        let (ca, signer) = (key("a1"), key("b2"));
        let anchor = development_anchor(&ca).unwrap();
        let leaf = development_leaf("签名", signer.verifying_key(), &ca).unwrap();
        // The same keys give the same bytes (every process makes the same certificates).
        assert_eq!(anchor, development_anchor(&ca).unwrap());
        let got = verify_chain(
            std::slice::from_ref(&leaf),
            std::slice::from_ref(&anchor),
            NOW,
        );
        assert_eq!(got.unwrap(), *signer.verifying_key());

        let other = development_anchor(&key("c3")).unwrap();
        let refused = verify_chain(std::slice::from_ref(&leaf), &[other], NOW);
        assert!(refused.unwrap_err().zh.contains("受信任"));
        // Outside the validity, or with no chain at all.
        let anchors = std::slice::from_ref(&anchor);
        assert!(verify_chain(std::slice::from_ref(&leaf), anchors, 2_600_000_000).is_err());
        assert!(verify_chain(&[], anchors, NOW).is_err());
        // A leaf cannot certify another leaf.
        let grandchild =
            certificate("x", key("d4").verifying_key(), "签名", &signer, false).unwrap();
        assert!(verify_chain(&[grandchild, leaf.clone()], anchors, NOW).is_err());
        // The development CA allows no intermediate (pathLenConstraint 0): a CA it certified
        // cannot certify a leaf in turn.
        let sub_ca = certificate(
            "下级",
            key("e5").verifying_key(),
            "电子证照可验证凭证 开发根证书",
            &ca,
            true,
        )
        .unwrap();
        let below = certificate("x", key("f6").verifying_key(), "下级", &key("e5"), false).unwrap();
        let too_long = verify_chain(&[below, sub_ca], anchors, NOW);
        assert!(
            too_long.unwrap_err().zh.contains("受信任"),
            "the anchor's path length"
        );

        // A signature that does not hold.
        let mut tampered = leaf.clone();
        let n = tampered.len();
        tampered[n - 3] ^= 1;
        assert!(verify_chain(&[tampered], &[anchor], NOW).is_err());
    }

    #[test]
    fn an_operators_file_is_checked_whole_and_against_the_key() {
        let (ca, signer) = (key("a1"), key("b2"));
        let anchor = development_anchor(&ca).unwrap();
        let leaf = development_leaf("签名", signer.verifying_key(), &ca).unwrap();
        let text = format!("{}{}", pem(&leaf), pem(&anchor));
        let certs = pem_chain(&text).unwrap();
        let (chain, got_anchor) =
            configured_chain(certs.clone(), signer.verifying_key(), NOW).unwrap();
        assert_eq!((chain, got_anchor), (vec![leaf.clone()], anchor.clone()));
        let wrong = configured_chain(certs, key("c3").verifying_key(), NOW);
        assert!(wrong.unwrap_err().contains("不匹配"));
        let no_root = configured_chain(vec![leaf.clone()], signer.verifying_key(), NOW);
        assert!(no_root.is_err());
        let root_first = configured_chain(vec![anchor, leaf], signer.verifying_key(), NOW);
        assert!(root_first.is_err());
        assert!(pem_chain("not a certificate").is_err());
    }
}
