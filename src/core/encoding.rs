//! Byte encodings the protocol needs, through their crates: base64 (standard and URL-safe,
//! RFC 4648; RustCrypto's `base64ct`, constant-time, for what holds secrets, and the `base64`
//! crate's table-driven decoder for JOSE segments, which are public and on every verification's
//! path) and `application/x-www-form-urlencoded` (WHATWG URL standard, as
//! `URLSearchParams` writes it; the `form_urlencoded` crate of rust-url).

#[allow(unused_imports)]
use crate::prelude::*;
use base64ct::{Base64UrlUnpadded, Encoding};

// One engine, the URL-safe one JOSE needs: the standard alphabet is two symbols apart, so
// Basic credentials and PEM bodies are mapped to and from it (one codec in the .wasm, not three).

/// Standard base64 with padding (HTTP Basic credentials).
pub fn base64(input: &[u8]) -> String {
    let mut out: String = Base64UrlUnpadded::encode_string(input)
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while out.len() % 4 != 0 {
        out.push('=');
    }
    out
}

/// URL-safe base64 without padding (JOSE).
pub fn base64url(input: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(input)
}

/// Decodes unpadded URL-safe base64, as JOSE requires. `None` for any other character, padding,
/// or a length or trailing bits no encoder produces.
pub fn base64url_decode(input: &str) -> Option<Vec<u8>> {
    // Ten times base64ct's speed on a token's 1.2 KB (bench/PROFILE.md); strict as it is.
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(input).ok()
}

/// The DER bytes of a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`; ASCII whitespace around it is
/// ignored). `None` for another label or bad base64.
pub fn pem_pkcs8_der(pem: &str) -> Option<Vec<u8>> {
    let body = pem
        .trim_ascii()
        .strip_prefix("-----BEGIN PRIVATE KEY-----")?
        .strip_suffix("-----END PRIVATE KEY-----")?;
    let mut symbols = Vec::with_capacity(body.len());
    for b in body.bytes() {
        match b {
            // The standard alphabet's two symbols, as the URL-safe alphabet spells them; its
            // own two are not base64 here.
            b'+' => symbols.push(b'-'),
            b'/' => symbols.push(b'_'),
            b'-' | b'_' => return None,
            b if b.is_ascii_whitespace() => {}
            b => symbols.push(b),
        }
    }
    // Up to two `=` of padding.
    for _ in 0..2 {
        if symbols.last() == Some(&b'=') {
            symbols.pop();
        }
    }
    core::str::from_utf8(&symbols)
        .ok()
        .and_then(|s| Base64UrlUnpadded::decode_vec(s).ok())
        .filter(|der| !der.is_empty())
}

/// Where `sep` first occurs in `bytes`. A counted loop, as [`all_bytes`]: `position`/`all` with a
/// closure instantiate a try_fold for each use.
pub(crate) fn find_byte(bytes: &[u8], sep: u8) -> Option<usize> {
    let mut i = 0;
    while *bytes.get(i)? != sep {
        i += 1;
    }
    Some(i)
}

/// Whether every byte of `s` is `ok` (one function for all the byte classes checked).
pub(crate) fn all_bytes(s: &str, ok: fn(u8) -> bool) -> bool {
    for b in s.bytes() {
        if !ok(b) {
            return false;
        }
    }
    true
}

/// `s` split at the first ASCII byte `sep`, as `s.split_once(sep as char)` gives it, by a byte
/// scan: std's generic char searcher is far larger in wasm, and the strings split here (JWS and
/// JWE segments, host names) are short.
pub fn split_once_byte(s: &str, sep: u8) -> Option<(&str, &str)> {
    debug_assert!(sep.is_ascii());
    let i = find_byte(s.as_bytes(), sep)?;
    // An ASCII byte is a char boundary: `get` cannot fail here.
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// The pieces of `s` between occurrences of the ASCII byte `sep`, as `s.split(sep as char)` gives
/// them (see [`split_once_byte`]).
pub fn split_byte(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    core::iter::from_fn(move || {
        let r = rest?;
        Some(match split_once_byte(r, sep) {
            Some((piece, next)) => {
                rest = Some(next);
                piece
            }
            None => {
                rest = None;
                r
            }
        })
    })
}

/// Appends `s` form-urlencoded (the WHATWG `application/x-www-form-urlencoded` byte serializer).
pub fn form_urlencode_into(s: &str, out: &mut String) {
    out.extend(form_urlencoded::byte_serialize(s.as_bytes()));
}

/// `s` form-urlencoded, as a new string (see [`form_urlencode_into`]).
pub fn form_urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Serializes ordered pairs as a form body (`a=1&b=2`).
pub fn form_body(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_scans_match_std() {
        for s in ["", "a", ":", "ab:cd:", "é:x", "no-sep"] {
            assert_eq!(find_byte(s.as_bytes(), b':'), s.bytes().position(|b| b == b':'), "{s}");
            assert_eq!(
                all_bytes(s, |b| b.is_ascii_alphabetic()),
                s.bytes().all(|b| b.is_ascii_alphabetic()),
                "{s}"
            );
        }
    }

    #[test]
    fn split_byte_splits_as_str_split() {
        for s in ["", ".", "a", "a.b", ".a.", "a..b", "é.ü.", "héllo.wörld.x", "...", "a.b.c.d.e"] {
            let ours: Vec<&str> = split_byte(s, b'.').collect();
            let std: Vec<&str> = s.split('.').collect();
            assert_eq!(ours, std, "{s:?}");
            assert_eq!(split_once_byte(s, b'.'), s.split_once('.'), "{s:?}");
        }
    }

    #[test]
    fn base64_vectors_rfc4648() {
        let v = [
            ("", "", ""),
            ("f", "Zg==", "Zg"),
            ("fo", "Zm8=", "Zm8"),
            ("foo", "Zm9v", "Zm9v"),
            ("foob", "Zm9vYg==", "Zm9vYg"),
            ("fooba", "Zm9vYmE=", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy", "Zm9vYmFy"),
        ];
        for (raw, std, url) in v {
            assert_eq!(base64(raw.as_bytes()), std);
            assert_eq!(base64url(raw.as_bytes()), url);
            assert_eq!(base64url_decode(url).unwrap(), raw.as_bytes());
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn base64url_rejects_non_canonical() {
        for bad in ["Zg==", "Z", "Zh", "a+b", "a/b=", "Zm9vYmF="] {
            assert_eq!(base64url_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn base64url_round_trips_all_lengths() {
        let data: Vec<u8> = (0..=255u8).collect();
        for n in 0..data.len() {
            assert_eq!(base64url_decode(&base64url(&data[..n])).unwrap(), &data[..n]);
        }
    }

    #[test]
    fn decoding_accepts_exactly_the_alphabet() {
        const URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        const STD: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for c in 0..=255u8 {
            let quad = [b'A', c, b'A', b'A'];
            let text = String::from_utf8_lossy(&quad);
            assert_eq!(base64url_decode(&text).is_some(), URL.contains(&c), "url {c}");
            let pem = format!("-----BEGIN PRIVATE KEY-----{text}-----END PRIVATE KEY-----");
            let std_ok = STD.contains(&c) || c.is_ascii_whitespace();
            assert_eq!(pem_pkcs8_der(&pem).is_some(), std_ok, "std {c}");
        }
        assert_eq!(base64url_decode("-_-_").unwrap(), [0xfb, 0xff, 0xbf]);
    }

    #[test]
    fn pem_decoding() {
        let pem = "-----BEGIN PRIVATE KEY-----\nZm9v\nYmFy\r\nYQ==\n-----END PRIVATE KEY-----\n";
        assert_eq!(pem_pkcs8_der(pem).unwrap(), b"foobara");
        assert_eq!(
            pem_pkcs8_der("-----BEGIN RSA PRIVATE KEY-----\nZm9v\n-----END RSA PRIVATE KEY-----"),
            None
        );
        assert_eq!(pem_pkcs8_der("-----BEGIN PRIVATE KEY-----\nZm9v!\n-----END PRIVATE KEY-----"), None);
        assert_eq!(pem_pkcs8_der("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----"), None);
        assert_eq!(pem_pkcs8_der("Zm9v"), None);
        // One or two `=` of padding, not three; whitespace anywhere in the body.
        let one = "-----BEGIN PRIVATE KEY-----\nZm9v YmE=\n-----END PRIVATE KEY-----";
        assert_eq!(pem_pkcs8_der(one).unwrap(), b"fooba");
        assert_eq!(pem_pkcs8_der("-----BEGIN PRIVATE KEY-----\nYQ===\n-----END PRIVATE KEY-----"), None);
        assert_eq!(pem_pkcs8_der("-----BEGIN PRIVATE KEY-----\nY=Q=\n-----END PRIVATE KEY-----"), None);
        // ASCII whitespace around the armour is ignored; a PEM is ASCII, so other space is not.
        let spaced = " \t\r\n-----BEGIN PRIVATE KEY-----\nYQ==\n-----END PRIVATE KEY-----\n\n ";
        assert_eq!(pem_pkcs8_der(spaced).unwrap(), b"a");
        let nbsp = "\u{a0}-----BEGIN PRIVATE KEY-----\nYQ==\n-----END PRIVATE KEY-----";
        assert_eq!(pem_pkcs8_der(nbsp), None);
    }

    #[test]
    fn form_encoding_matches_urlsearchparams() {
        // Expected strings produced by `new URLSearchParams({k: v}).toString()` in Node 20.
        assert_eq!(form_urlencode("a b+c/d:e%f~g*h-i.j_k"), "a+b%2Bc%2Fd%3Ae%25f%7Eg*h-i.j_k");
        assert_eq!(form_urlencode("é€😀"), "%C3%A9%E2%82%AC%F0%9F%98%80");
        assert_eq!(form_urlencode("a=b&c"), "a%3Db%26c");
        let pairs = vec![("x y".to_string(), "1&2".to_string()), ("z".into(), "".into())];
        assert_eq!(form_body(&pairs), "x+y=1%262&z=");
    }
}
