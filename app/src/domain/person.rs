//! A registered person's secrets, kept so that the database alone gives nothing away: the
//! keyed digest that lets an exact 身份证号 search match without the number being stored, and
//! the sealed birth date (beside the masked number a readable birth date would give the whole
//! number). Server-only: both take the portal's data key.

use sha2::{Digest, Sha256};

/// The lookup digest of an identity document: a 居民身份证's is of its number alone, as it
/// was before other kinds existed; the other kinds' is of the kind, country and number.
pub fn document_digest(key: &[u8], document: &super::IdDocument) -> String {
    id_digest(key, &document.digest_input())
}

/// The lookup digest of an ID number under the portal's data key: lets a full-number
/// search match without the number being stored readable.
pub fn id_digest(key: &[u8], id_number: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(key);
    hasher.update([0u8]);
    hasher.update(id_number.as_bytes());
    super::hex::hex(&hasher.finalize())
}

/// A birth date sealed with the data key (HMAC-SHA256 keystream, the person's public id as
/// nonce): beside the masked ID number a readable birth date would give the whole number,
/// so the database alone must not hold it.
pub fn seal_birth_date(key: &[u8], person_public_id: &str, iso_date: &str) -> String {
    let stream = birth_keystream(key, person_public_id);
    let sealed: Vec<u8> = iso_date
        .bytes()
        .zip(stream.iter().cycle())
        .map(|(b, k)| b ^ k)
        .collect();
    super::hex::hex(&sealed)
}

/// The birth date (`YYYY-MM-DD`) of [`seal_birth_date`], or `None` if it does not open
/// with this key.
pub fn open_birth_date(key: &[u8], person_public_id: &str, sealed: &str) -> Option<String> {
    if !sealed.len().is_multiple_of(2) || !sealed.is_ascii() {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..sealed.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&sealed[i..i + 2], 16).ok())
        .collect();
    let stream = birth_keystream(key, person_public_id);
    let plain: Vec<u8> = bytes?
        .iter()
        .zip(stream.iter().cycle())
        .map(|(b, k)| b ^ k)
        .collect();
    let text = String::from_utf8(plain).ok()?;
    crate::domain::time::parse_date(&text).map(|_| text)
}

fn birth_keystream(key: &[u8], person_public_id: &str) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(b"portal birth date\0");
    mac.update(person_public_id.as_bytes());
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"a data key of the portal";

    #[test]
    fn a_sealed_birth_date_opens_with_its_key_and_person_only() {
        let sealed = seal_birth_date(KEY, "p1", "1980-05-17");
        assert!(!sealed.contains("1980"));
        assert_eq!(
            open_birth_date(KEY, "p1", &sealed).as_deref(),
            Some("1980-05-17")
        );
        assert_eq!(open_birth_date(b"another key", "p1", &sealed), None);
        assert_eq!(open_birth_date(KEY, "p2", &sealed), None);
        assert_eq!(open_birth_date(KEY, "p1", "zz"), None);
        // Two persons born the same day do not share a sealed value.
        assert_ne!(sealed, seal_birth_date(KEY, "p2", "1980-05-17"));
    }

    #[test]
    fn the_digest_depends_on_the_key_and_the_whole_number() {
        let a = id_digest(KEY, "110105198003150039");
        assert_eq!(a.len(), 64);
        assert_eq!(a, id_digest(KEY, "110105198003150039"));
        assert_ne!(a, id_digest(b"another key", "110105198003150039"));
        assert_ne!(a, id_digest(KEY, "110105198003150047"));
    }
}
