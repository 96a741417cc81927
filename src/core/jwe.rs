//! The framing of sealed sessions (BEHAVIOUR.md §3.5): JWE compact serialization (RFC 7516) with
//! `alg: dir` and `enc: A256CBC-HS512` (RFC 7518 §5.2), byte-compatible with auth0-server-python's
//! `encryption.encrypt`. The cryptographic primitives (HKDF, AES-CBC, HMAC-SHA-512) run in the
//! host's WebCrypto; this module builds and checks everything around them.

use super::encoding::{base64url, base64url_decode, split_byte};
use super::response::Member;
#[allow(unused_imports)]
use crate::prelude::*;

/// The protected header we write.
pub const PROTECTED_HEADER: &str = r#"{"alg":"dir","enc":"A256CBC-HS512"}"#;
/// HKDF `info`, as auth0-server-python uses it.
pub const HKDF_INFO: &[u8] = b"Auth0 Generated Encryption";
/// HKDF output length: 32 bytes of MAC key, then 32 bytes of AES key (RFC 7518 §5.2.2.1).
pub const KEY_LEN: usize = 64;
/// Length of the AES-CBC initialization vector, in bytes: one AES block.
pub const IV_LEN: usize = 16;
/// Length of the authentication tag, in bytes: half the HMAC-SHA-512 output (RFC 7518 §5.2.5).
pub const TAG_LEN: usize = 32;
/// Largest sealed value we try to open (a store returning a huge value is "no session").
pub const MAX_SEALED_LEN: usize = 1 << 20;

/// `(MAC_KEY, ENC_KEY)` of a 64-byte A256CBC-HS512 key.
pub fn split_key(key: &[u8]) -> (&[u8], &[u8]) {
    key.split_at(KEY_LEN / 2)
}

/// The HMAC input: `AAD || IV || ciphertext || AL`, AL the AAD's length in bits as a 64-bit
/// big-endian integer (RFC 7518 §5.2.2.1).
pub fn mac_input(aad: &[u8], iv: &[u8], ciphertext: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(aad.len() + iv.len() + ciphertext.len() + 8);
    m.extend_from_slice(aad);
    m.extend_from_slice(iv);
    m.extend_from_slice(ciphertext);
    m.extend_from_slice(&((aad.len() as u64) * 8).to_be_bytes());
    m
}

/// The authentication tag: the first half of the HMAC-SHA-512 output.
pub fn tag_of(hmac_sha512: &[u8]) -> &[u8] {
    &hmac_sha512[..TAG_LEN.min(hmac_sha512.len())]
}

/// Compares tags in time independent of where they differ.
pub fn tags_equal(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = 0u8;
    for (i, x) in a.iter().enumerate() {
        diff |= x ^ b.get(i).copied().unwrap_or(0);
    }
    diff == 0
}

/// The base64url protected header, which is also the AAD.
pub fn protected_b64() -> String {
    base64url(PROTECTED_HEADER.as_bytes())
}

/// Assembles the compact form: `header..iv.ciphertext.tag` (the encrypted key is empty for `dir`).
pub fn compact(protected_b64: &str, iv: &[u8], ciphertext: &[u8], tag: &[u8]) -> String {
    let mut out =
        String::with_capacity(protected_b64.len() + (iv.len() + ciphertext.len() + tag.len()) * 4 / 3 + 8);
    out.push_str(protected_b64);
    out.push_str("..");
    out.push_str(&base64url(iv));
    out.push('.');
    out.push_str(&base64url(ciphertext));
    out.push('.');
    out.push_str(&base64url(tag));
    out
}

/// A compact JWE that has the right shape to be one of ours. Nothing is trusted before the tag
/// checks out.
#[derive(Debug, Clone, PartialEq)]
pub struct Sealed {
    /// The protected header as sent: the AAD.
    pub aad: String,
    /// The initialization vector, decoded: [`IV_LEN`] bytes.
    pub iv: Vec<u8>,
    /// The AES-256-CBC ciphertext, decoded: whole blocks, not yet authenticated.
    pub ciphertext: Vec<u8>,
    /// The authentication tag, decoded: [`TAG_LEN`] bytes, compared with the HMAC before decrypting.
    pub tag: Vec<u8>,
}

/// The JWE protected header members the core checks (RFC 7516 §4.1).
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct JweHeader {
    /// `alg`: must be `dir` (the derived key is the content key).
    pub alg: Member,
    /// `enc`: must be `A256CBC-HS512`.
    pub enc: Member,
    /// `zip`: must be absent (no compression).
    pub zip: Member,
    /// `crit`: must be absent (no extension is understood).
    pub crit: Member,
}

/// Parses a compact JWE with `alg: dir`, `enc: A256CBC-HS512`, no `zip` and no `crit`, an empty
/// encrypted key, a 16-byte IV, a non-empty ciphertext of whole AES blocks and a 32-byte tag; the
/// header's JSON text is read by `parse_header` (the host's `JSON.parse` in wasm). Anything else:
/// `None` (it is "no session", never an error).
pub fn parse_compact(s: &str, parse_header: &dyn Fn(&[u8]) -> Option<JweHeader>) -> Option<Sealed> {
    if s.len() > MAX_SEALED_LEN {
        return None;
    }
    let mut parts = split_byte(s, b'.');
    let (h, k, iv, ct, tag) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !k.is_empty() {
        return None;
    }
    let header = parse_header(&base64url_decode(h)?)?;
    if header.alg.as_str() != Some("dir")
        || header.enc.as_str() != Some("A256CBC-HS512")
        || header.zip != Member::Absent
        || header.crit != Member::Absent
    {
        return None;
    }
    let iv = base64url_decode(iv).filter(|v| v.len() == IV_LEN)?;
    let ciphertext = base64url_decode(ct).filter(|c| !c.is_empty() && c.len() % 16 == 0)?;
    let tag = base64url_decode(tag).filter(|t| t.len() == TAG_LEN)?;
    Some(Sealed { aad: h.to_owned(), iv, ciphertext, tag })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod reference {
    //! A native implementation of seal/open over RustCrypto, composed from the functions above
    //! exactly as the host composes them over WebCrypto. It checks the framing against RFC 7518's
    //! vector and lets the tamper tests run natively.
    use super::*;
    pub(crate) use crate::core::host_object as parse_header;
    use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
    use hmac::{Hmac, Mac};

    pub fn hkdf(secret: &str, salt: &str) -> [u8; KEY_LEN] {
        let mut okm = [0u8; KEY_LEN];
        hkdf::Hkdf::<sha2::Sha256>::new(Some(salt.as_bytes()), secret.as_bytes())
            .expand(HKDF_INFO, &mut okm)
            .unwrap();
        okm
    }

    pub fn hmac512(key: &[u8], data: &[u8]) -> Vec<u8> {
        let mut m = Hmac::<sha2::Sha512>::new_from_slice(key).unwrap();
        m.update(data);
        m.finalize().into_bytes().to_vec()
    }

    pub fn encrypt(key: &[u8], iv: &[u8], aad: &[u8], plaintext: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let (mac_key, enc_key) = split_key(key);
        let ct = cbc::Encryptor::<aes::Aes256>::new_from_slices(enc_key, iv)
            .unwrap()
            .encrypt_padded_vec_mut::<Pkcs7>(plaintext);
        let tag = tag_of(&hmac512(mac_key, &mac_input(aad, iv, &ct))).to_vec();
        (ct, tag)
    }

    pub fn seal(key: &[u8], iv: &[u8], plaintext: &[u8]) -> String {
        let aad = protected_b64();
        let (ct, tag) = encrypt(key, iv, aad.as_bytes(), plaintext);
        compact(&aad, iv, &ct, &tag)
    }

    pub fn open(key: &[u8], s: &str) -> Option<Vec<u8>> {
        let sealed = parse_compact(s, &parse_header)?;
        let (mac_key, enc_key) = split_key(key);
        let expected = hmac512(mac_key, &mac_input(sealed.aad.as_bytes(), &sealed.iv, &sealed.ciphertext));
        if !tags_equal(tag_of(&expected), &sealed.tag) {
            return None;
        }
        cbc::Decryptor::<aes::Aes256>::new_from_slices(enc_key, &sealed.iv)
            .ok()?
            .decrypt_padded_vec_mut::<Pkcs7>(&sealed.ciphertext)
            .ok()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::reference::*;
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// RFC 7518 Appendix B.3: AES_256_CBC_HMAC_SHA_512.
    #[test]
    fn rfc7518_b3_known_answer() {
        let k: Vec<u8> = (0u8..64).collect();
        let p = b"A cipher system must not be required to be secret, and it must be able to fall into the hands of the enemy without inconvenience";
        let iv = hex("1a f3 8c 2d c2 b9 6f fd d8 66 94 09 23 41 bc 04");
        let a = b"The second principle of Auguste Kerckhoffs";
        let (e, t) = encrypt(&k, &iv, a, p);
        assert_eq!(&mac_input(a, &iv, &e)[a.len() + 16 + e.len()..], &hex("00 00 00 00 00 00 01 50"));
        assert_eq!(
            e,
            hex("4a ff aa ad b7 8c 31 c5 da 4b 1b 59 0d 10 ff bd 3d d8 d5 d3 02 42 35 26 91 2d a0 37 ec bc c7 bd
                 82 2c 30 1d d6 7c 37 3b cc b5 84 ad 3e 92 79 c2 e6 d1 2a 13 74 b7 7f 07 75 53 df 82 94 10 44 6b
                 36 eb d9 70 66 29 6a e6 42 7e a7 5c 2e 08 46 a1 1a 09 cc f5 37 0d c8 0b fe cb ad 28 c7 3f 09 b3
                 a3 b7 5e 66 2a 25 94 41 0a e4 96 b2 e2 e6 60 9e 31 e6 e0 2c c8 37 f0 53 d2 1f 37 ff 4f 51 95 0b
                 be 26 38 d0 9d d7 a4 93 09 30 80 6d 07 03 b1 f6")
        );
        assert_eq!(t, hex("4d d3 b4 c0 88 a7 f4 5c 21 68 39 64 5b 20 12 bf 2e 62 69 a8 c5 6a 81 6d bc 1b 26 77 61 95 5b c5"));
    }

    fn sealed_session() -> (Vec<u8>, String, Vec<u8>) {
        let key = hkdf("a-session-secret-of-at-least-32-characters", "_a0_session").to_vec();
        let plaintext = br#"{"user":{"sub":"auth0|alice"},"token_sets":[]}"#.to_vec();
        let s = seal(&key, &[7u8; 16], &plaintext);
        (key, s, plaintext)
    }

    #[test]
    fn round_trip_and_shape() {
        let (key, s, plaintext) = sealed_session();
        assert_eq!(open(&key, &s).unwrap(), plaintext);
        assert!(s.starts_with("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0.."));
        assert_eq!(s.split('.').count(), 5);
    }

    #[test]
    fn every_flipped_byte_is_no_session() {
        let (key, s, _) = sealed_session();
        let bytes = s.as_bytes();
        for i in 0..bytes.len() {
            for flip in [1u8, 0x20, 0x80] {
                let mut b = bytes.to_vec();
                b[i] ^= flip;
                if let Ok(t) = String::from_utf8(b) {
                    if t != s {
                        assert_eq!(open(&key, &t), None, "byte {i} ^ {flip:#x}");
                    }
                }
            }
        }
    }

    #[test]
    fn truncated_extended_and_foreign_are_no_session() {
        let (key, s, _) = sealed_session();
        for n in 0..s.len() {
            assert_eq!(open(&key, &s[..n]), None, "truncated to {n}");
        }
        assert_eq!(open(&key, &(s.clone() + "A")), None);
        assert_eq!(open(&key, &(s.clone() + ".x")), None);
        // Other secret, other identifier (salt).
        assert_eq!(open(&hkdf("another-secret-of-at-least-32-characters", "_a0_session"), &s), None);
        assert_eq!(open(&hkdf("a-session-secret-of-at-least-32-characters", "other"), &s), None);
        // Other algorithms in the header are refused before any crypto.
        for header in [
            r#"{"alg":"dir","enc":"A128CBC-HS256"}"#,
            r#"{"alg":"A256KW","enc":"A256CBC-HS512"}"#,
            r#"{"alg":"dir","enc":"A256CBC-HS512","zip":"DEF"}"#,
        ] {
            let mut parts: Vec<String> = s.split('.').map(str::to_owned).collect();
            parts[0] = base64url(header.as_bytes());
            assert_eq!(parse_compact(&parts.join("."), &parse_header), None, "{header}");
        }
        for junk in ["", "....", "a.b.c.d.e", "not a jwe", "eyJ9..AAAA.AAAA.AAAA"] {
            assert_eq!(open(&key, junk), None, "{junk:?}");
        }
    }

    #[test]
    fn tag_comparison() {
        assert!(tags_equal(b"abc", b"abc"));
        assert!(!tags_equal(b"abc", b"abd"));
        assert!(!tags_equal(b"abc", b"ab"));
    }
}
