//! The issuer's electronic seal and seal signatures (GB/T 38540-2020, version 4), with SM2
//! and SM3:
//!
//! - the issuer's certificate: the operator's CA-issued one (`PORTAL_ISSUER_CERT_FILE`), or
//!   X.509 v3 with the SM2 public key, signed by the same key (the development issuer is its
//!   own authority);
//! - `SESeal`: the seal's header (`ES`, 4), id, properties (单位印章, its name, the
//!   certificate, dates), its picture — an OFD of the seal as the certificate draws it — and
//!   the maker's signature of all that;
//! - `SES_Signature`: `TBS_Sign` (4, the seal, the time, the SM3 of the signed file, the
//!   file's path), the signer's certificate, SM2-with-SM3, and the signature.
//!
//! [`check`] reads a `SES_Signature` back and verifies its signatures. The structures are
//! RustCrypto's `der` (derived) and `x509-cert`: the encodings are theirs, not ours.

use super::layout::{ISSUER, SEAL_NAME};
use super::sign::{self, IssuerKey};
use der::asn1::{
    Any, BitString, GeneralizedTime, Ia5String, ObjectIdentifier, OctetString, UtcTime,
};
use der::{Decode, Encode, Sequence};
use std::time::Duration;
use x509_cert::certificate::{Certificate, TbsCertificate, Version};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::{Time, Validity};

const SM2_WITH_SM3: ObjectIdentifier = ObjectIdentifier::new_unwrap(sign::SM2_SIGN_OID);
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SM2_CURVE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.301");
/// 2024-01-01 00:00:00 UTC and 2049-12-31 23:59:59 UTC: the development certificate's and
/// seal's validity (fixed, so the same key always gives the same certificate).
const VALID_FROM: u64 = 1_704_067_200;
const VALID_TO: u64 = 2_524_607_999;

/// `SES_Header` (GB/T 38540 §7.1).
#[derive(Sequence)]
struct SesHeader {
    id: Ia5String,
    version: u32,
    vid: Ia5String,
}

/// `SES_ESPropertyInfo`: a 单位印章 (type 1) holding the certificates themselves
/// (`certListType` 1).
#[derive(Sequence)]
struct SesPropertyInfo {
    kind: u32,
    name: String,
    cert_list_type: u32,
    cert_list: Vec<OctetString>,
    create_date: GeneralizedTime,
    valid_start: GeneralizedTime,
    valid_end: GeneralizedTime,
}

/// `SES_ESPictrueInfo` (sic, as the standard spells it): the seal's picture as an OFD.
#[derive(Sequence)]
struct SesPictureInfo {
    kind: Ia5String,
    data: OctetString,
    width: u64,
    height: u64,
}

/// `SES_SealInfo`: what the seal maker signs.
#[derive(Sequence)]
struct SesSealInfo {
    header: SesHeader,
    es_id: Ia5String,
    property: SesPropertyInfo,
    picture: SesPictureInfo,
}

/// `SESeal`: the electronic seal.
#[derive(Sequence)]
struct SeSeal {
    esl_info: SesSealInfo,
    cert: OctetString,
    signature_alg: ObjectIdentifier,
    signed_value: BitString,
}

/// `TBS_Sign`: what the signer signs.
#[derive(Sequence)]
struct TbsSign {
    version: u32,
    eseal: SeSeal,
    time_info: GeneralizedTime,
    data_hash: BitString,
    property_info: Ia5String,
}

/// `SES_Signature`: the seal signature of a file.
#[derive(Sequence)]
struct SesSignature {
    to_sign: TbsSign,
    cert: OctetString,
    signature_alg: ObjectIdentifier,
    signature: BitString,
}

fn invalid(e: der::Error) -> String {
    format!("DER 编码无效:{e}")
}

fn generalized(unix: u64) -> Result<GeneralizedTime, String> {
    GeneralizedTime::from_unix_duration(Duration::from_secs(unix)).map_err(invalid)
}

fn ia5(s: &str) -> Result<Ia5String, String> {
    Ia5String::new(s).map_err(invalid)
}

fn name() -> Result<Name, String> {
    app::platform::x509::distinguished_name(ISSUER, "住建政务服务门户 电子证照签发")
}

fn sm2_with_sm3() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: SM2_WITH_SM3,
        parameters: None,
    }
}

/// The issuer's certificate for `key` (DER): X.509 v3 with the SM2 public key, signed by the
/// same key.
pub fn certificate(key: &IssuerKey) -> Result<Vec<u8>, String> {
    let public = key.public_bytes();
    let utc = |unix| {
        UtcTime::from_unix_duration(Duration::from_secs(unix))
            .map(Time::UtcTime)
            .map_err(invalid)
    };
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&sign::sm3(&public)[..8]).map_err(invalid)?,
        signature: sm2_with_sm3(),
        issuer: name()?,
        validity: Validity {
            not_before: utc(VALID_FROM)?,
            not_after: utc(VALID_TO)?,
        },
        subject: name()?,
        subject_public_key_info: SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: EC_PUBLIC_KEY,
                parameters: Some(Any::encode_from(&SM2_CURVE).map_err(invalid)?),
            },
            subject_public_key: BitString::from_bytes(&public).map_err(invalid)?,
        },
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: None,
    };
    let signature = key.sign(&tbs.to_der().map_err(invalid)?)?;
    Certificate {
        tbs_certificate: tbs,
        signature_algorithm: sm2_with_sm3(),
        signature: BitString::from_bytes(&signature).map_err(invalid)?,
    }
    .to_der()
    .map_err(invalid)
}

/// The electronic seal (`SESeal`, DER) with `picture` (an OFD of `width` × `height` mm).
pub fn seal(
    key: &IssuerKey,
    cert: &[u8],
    picture: &[u8],
    width: u64,
    height: u64,
) -> Result<Vec<u8>, String> {
    let octets = |b: &[u8]| OctetString::new(b).map_err(invalid);
    let id = app::platform::ids::hex(&sign::sm3(cert)[..8]).to_uppercase();
    let esl_info = SesSealInfo {
        header: SesHeader {
            id: ia5("ES")?,
            version: 4,
            vid: ia5("ZJZWFW")?,
        },
        es_id: ia5(&format!("MOHURD-{id}"))?,
        property: SesPropertyInfo {
            kind: 1,
            name: SEAL_NAME.into(),
            cert_list_type: 1,
            cert_list: vec![octets(cert)?],
            create_date: generalized(VALID_FROM)?,
            valid_start: generalized(VALID_FROM)?,
            valid_end: generalized(VALID_TO)?,
        },
        picture: SesPictureInfo {
            kind: ia5("ofd")?,
            data: octets(picture)?,
            width,
            height,
        },
    };
    let signature = key.sign(&esl_info.to_der().map_err(invalid)?)?;
    SeSeal {
        esl_info,
        cert: octets(cert)?,
        signature_alg: SM2_WITH_SM3,
        signed_value: BitString::from_bytes(&signature).map_err(invalid)?,
    }
    .to_der()
    .map_err(invalid)
}

/// The seal signature (`SES_Signature`, DER) of a file whose SM3 is `data_hash`.
pub fn signature(
    key: &IssuerKey,
    cert: &[u8],
    seal: &[u8],
    time: i64,
    data_hash: &[u8],
    property: &str,
) -> Result<Vec<u8>, String> {
    let to_sign = TbsSign {
        version: 4,
        eseal: SeSeal::from_der(seal).map_err(invalid)?,
        time_info: generalized(u64::try_from(time).map_err(|_| "签章时间无效")?)?,
        data_hash: BitString::from_bytes(data_hash).map_err(invalid)?,
        property_info: ia5(property)?,
    };
    let signed = key.sign(&to_sign.to_der().map_err(invalid)?)?;
    SesSignature {
        to_sign,
        cert: OctetString::new(cert).map_err(invalid)?,
        signature_alg: SM2_WITH_SM3,
        signature: BitString::from_bytes(&signed).map_err(invalid)?,
    }
    .to_der()
    .map_err(invalid)
}

/// What a verified seal signature says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The signer's certificate is self-signed by its key (the development issuer).
    pub self_signed: bool,
    /// The signed file's SM3.
    pub data_hash: Vec<u8>,
    /// The signed file's path.
    pub property: String,
    /// The signer's public key (SEC1, hex).
    pub signer: String,
    pub seal_name: String,
    /// The seal's picture (an OFD package).
    pub picture: Vec<u8>,
}

/// The SM2 public key (hex) of an X.509 certificate, and whether the certificate is
/// self-signed by that key (the development issuer's is; a CA-issued one is checked against
/// its CA by whoever relies on it).
pub fn certificate_key(cert: &[u8]) -> Result<(String, bool), String> {
    let cert = Certificate::from_der(cert).map_err(|_| "证书无效".to_string())?;
    let tbs = &cert.tbs_certificate;
    let public =
        app::platform::ids::hex(tbs.subject_public_key_info.subject_public_key.raw_bytes());
    let self_signed = tbs.issuer == tbs.subject
        && sign::verify(
            &public,
            &tbs.to_der().map_err(invalid)?,
            cert.signature.raw_bytes(),
        );
    Ok((public, self_signed))
}

/// A certificate file's DER: as is, or from PEM (`-----BEGIN CERTIFICATE-----`).
pub fn certificate_from_file(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use base64::Engine as _;
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(bytes.to_vec());
    };
    if !text.contains("-----BEGIN CERTIFICATE-----") {
        return Ok(bytes.to_vec());
    }
    let body: String = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE-----"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END CERTIFICATE-----"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .map_err(|_| "证书 PEM 内容无效".to_string())
}

/// Reads a `SES_Signature` and verifies the signer's and the seal maker's signatures with
/// their certificates' keys.
pub fn check(signed_value: &[u8]) -> Result<Checked, String> {
    let value =
        SesSignature::from_der(signed_value).map_err(|e| format!("签名值不符合 GB/T 38540:{e}"))?;
    let (signer, self_signed) = certificate_key(value.cert.as_bytes())?;
    let to_sign = value.to_sign.to_der().map_err(invalid)?;
    if !sign::verify(&signer, &to_sign, value.signature.raw_bytes()) {
        return Err("电子签章签名验证失败".into());
    }
    if value.to_sign.version != 4 {
        return Err("电子签章版本不是 4".into());
    }
    let seal = &value.to_sign.eseal;
    let (maker, _) = certificate_key(seal.cert.as_bytes())?;
    let info = seal.esl_info.to_der().map_err(invalid)?;
    if !sign::verify(&maker, &info, seal.signed_value.raw_bytes()) {
        return Err("电子印章签名验证失败".into());
    }
    Ok(Checked {
        self_signed,
        data_hash: value.to_sign.data_hash.raw_bytes().to_vec(),
        property: value.to_sign.property_info.to_string(),
        signer,
        seal_name: seal.esl_info.property.name.clone(),
        picture: seal.esl_info.picture.data.as_bytes().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificates_read_back_from_der_and_pem() {
        use base64::Engine as _;
        let (key, _) = IssuerKey::generate();
        let cert = certificate(&key).unwrap();
        assert_eq!(certificate_key(&cert).unwrap(), (key.public_hex(), true));
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            base64::engine::general_purpose::STANDARD.encode(&cert)
        );
        assert_eq!(certificate_from_file(pem.as_bytes()).unwrap(), cert);
        assert_eq!(certificate_from_file(&cert).unwrap(), cert);
        assert!(certificate_from_file(b"-----BEGIN CERTIFICATE-----\n!!\n").is_err());
        assert!(certificate_key(b"not a certificate").is_err());
    }

    #[test]
    fn a_seal_signature_verifies_and_tampering_is_caught() {
        let (key, _) = IssuerKey::generate();
        let cert = certificate(&key).unwrap();
        assert_eq!(cert, certificate(&key).unwrap(), "deterministic");
        let seal = seal(&key, &cert, b"PK-picture", 42, 42).unwrap();
        let hash = sign::sm3(b"Signature.xml");
        let value = signature(&key, &cert, &seal, 1_796_000_000, &hash, "/Doc_0/x.xml").unwrap();
        let checked = check(&value).unwrap();
        assert_eq!(checked.data_hash, hash);
        assert_eq!(checked.signer, key.public_hex());
        assert!(checked.self_signed);
        assert_eq!(checked.seal_name, SEAL_NAME);
        assert_eq!(checked.property, "/Doc_0/x.xml");
        assert_eq!(checked.picture, b"PK-picture");
        // Flip one byte inside the signed hash: the signature no longer verifies.
        let at = value.windows(hash.len()).position(|w| w == hash).unwrap();
        let mut bad = value.clone();
        bad[at] ^= 1;
        assert!(check(&bad).is_err());
        // Another key's certificate does not verify this signer's signature.
        let (other, _) = IssuerKey::generate();
        let forged = signature(&other, &cert, &seal, 1_796_000_000, &hash, "/Doc_0/x.xml").unwrap();
        assert!(check(&forged).is_err());
    }
}
