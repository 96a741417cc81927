//! DPoP (RFC 9449): the parts of a proof (its header and claims, `htu`), the key's JWK
//! thumbprint input (RFC 7638), a nonce challenge recognised, and the token type a DPoP call must
//! get back (BEHAVIOUR.md §12).

use super::jwt::PublicJwk;
use super::options::SigningAlg;
use crate::error::{code, Error};
#[allow(unused_imports)]
use crate::prelude::*;
use serde::Serialize;

/// A proof's `typ` (RFC 9449 §4.2).
pub const PROOF_TYP: &str = "dpop+jwt";
/// The error an authorization server or an API answers when a proof must carry its nonce.
pub const USE_DPOP_NONCE: &str = "use_dpop_nonce";

/// A proof's JOSE header: `typ`, `alg` and the public key.
#[derive(Serialize)]
pub struct ProofHeader<'a> {
    /// Always [`PROOF_TYP`].
    pub typ: &'static str,
    /// The signing algorithm's JOSE name.
    pub alg: &'static str,
    /// The public key whose private half signs the proof.
    pub jwk: &'a PublicJwk,
}

/// A proof's claims (RFC 9449 §4.2).
#[derive(Serialize)]
pub struct ProofClaims<'a> {
    /// A fresh random id: a proof is never reused.
    pub jti: &'a str,
    /// The request's method.
    pub htm: &'a str,
    /// The request's URL without query and fragment ([`htu`]).
    pub htu: &'a str,
    /// Seconds since the epoch.
    pub iat: u64,
    /// The server's latest `DPoP-Nonce`, when it gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<&'a str>,
    /// base64url(SHA-256(access token)), when the proof goes with an access token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ath: Option<&'a str>,
}

impl<'a> ProofHeader<'a> {
    /// The header of a proof signed with `alg` by the private half of `jwk`.
    pub fn new(alg: SigningAlg, jwk: &'a PublicJwk) -> Self {
        ProofHeader { typ: PROOF_TYP, alg: alg.name(), jwk }
    }
}

/// The `htu` of `url`: the URL without its query and fragment (RFC 9449 §4.2).
pub fn htu(url: &str) -> &str {
    // The same cut as URLs in error messages.
    super::response::url_for_message(url)
}

/// The origin of an absolute URL (`scheme://authority`), the key nonces are kept under; the
/// whole string when it has no `://`.
pub fn origin(url: &str) -> &str {
    let Some(start) = url.find("://").map(|i| i + 3) else { return url };
    let end = url[start..].find(['/', '?', '#']).map_or(url.len(), |i| start + i);
    &url[..end]
}

/// The algorithm of a DPoP key from its exported public JWK: ES256 for an EC P-256 key, the
/// JWK's own `alg` for an RSA key (WebCrypto writes `RS256` or `PS256`); `None` for any other.
pub fn key_alg(jwk: &PublicJwk, rsa_alg: Option<&str>) -> Option<SigningAlg> {
    match (jwk.kty.as_str(), jwk.crv.as_deref()) {
        ("EC", Some("P-256")) if jwk.x.is_some() && jwk.y.is_some() => Some(SigningAlg::ES256),
        ("RSA", _) if jwk.n.is_some() && jwk.e.is_some() => match rsa_alg {
            Some("RS256") => Some(SigningAlg::RS256),
            Some("PS256") => Some(SigningAlg::PS256),
            _ => None,
        },
        _ => None,
    }
}

/// The JSON whose SHA-256 is the key's JWK thumbprint (RFC 7638 §3): the required members in
/// lexicographic order, no whitespace. `None` for a key without them, or with a member that is
/// not base64url (which a WebCrypto export never writes).
pub fn thumbprint_input(jwk: &PublicJwk) -> Option<String> {
    fn b64(v: &Option<String>) -> Option<&str> {
        v.as_deref().filter(|s| {
            !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
    }
    let members: Vec<(&str, &str)> = match jwk.kty.as_str() {
        "EC" => {
            let crv =
                jwk.crv.as_deref().filter(|c| c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))?;
            vec![("crv", crv), ("kty", "EC"), ("x", b64(&jwk.x)?), ("y", b64(&jwk.y)?)]
        }
        "RSA" => vec![("e", b64(&jwk.e)?), ("kty", "RSA"), ("n", b64(&jwk.n)?)],
        _ => return None,
    };
    let mut json = String::from("{");
    for (i, (k, v)) in members.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push('"');
        json.push_str(k);
        json.push_str("\":\"");
        json.push_str(v);
        json.push('"');
    }
    json.push('}');
    Some(json)
}

/// Whether a token endpoint's error answer asks for a proof with its nonce: `400` (or `401`)
/// with `error` `use_dpop_nonce` (RFC 9449 §8), and a `DPoP-Nonce` header to use.
pub fn is_nonce_challenge(status: u16, error: Option<&str>, nonce: Option<&str>) -> bool {
    matches!(status, 400 | 401) && error == Some(USE_DPOP_NONCE) && nonce.is_some_and(|n| !n.is_empty())
}

/// Whether an API's `WWW-Authenticate` answer asks for a proof with its nonce: the `DPoP` scheme
/// with `error="use_dpop_nonce"` (RFC 9449 §9).
pub fn is_api_nonce_challenge(www_authenticate: &str) -> bool {
    let lower = www_authenticate.to_ascii_lowercase();
    lower.trim_start().starts_with("dpop")
        && (lower.contains("error=\"use_dpop_nonce\"") || lower.contains("error=use_dpop_nonce"))
}

/// A nonce as a server sent it, if it is one (RFC 9449 §8.1: `1*NQCHAR`, here at most 512).
pub fn valid_nonce(nonce: &str) -> bool {
    !nonce.is_empty()
        && nonce.len() <= 512
        && nonce.bytes().all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
}

/// With a DPoP key the token must be `DPoP`-bound: a `Bearer` answer would be usable by anyone
/// who sees it, so it is `invalid_response` (no silent downgrade). `N_A` (RFC 8693 §2.2.1: not an
/// access token, such as a session transfer token) has nothing to bind and passes. Without a key,
/// any token type is reported as it came.
pub fn check_token_type(with_key: bool, token_type: &str) -> Result<(), Error> {
    let bound_or_not_access =
        token_type.eq_ignore_ascii_case("DPoP") || token_type.eq_ignore_ascii_case("N_A");
    if with_key && !bound_or_not_access {
        let mut m = String::from("a DPoP proof was sent but the token endpoint answered token_type \"");
        m.push_str(&token_type.chars().take(32).collect::<String>());
        m.push_str("\", not \"DPoP\": the token is not bound to the key");
        return Err(Error::exchange(code::INVALID_RESPONSE, m));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ec() -> PublicJwk {
        // The P-256 key of RFC 7515 appendix A.3.
        PublicJwk {
            kty: "EC".into(),
            crv: Some("P-256".into()),
            x: Some("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU".into()),
            y: Some("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0".into()),
            n: None,
            e: None,
        }
    }

    fn rsa(n: &str) -> PublicJwk {
        PublicJwk {
            kty: "RSA".into(),
            n: Some(n.into()),
            e: Some("AQAB".into()),
            crv: None,
            x: None,
            y: None,
        }
    }

    #[test]
    fn htu_drops_query_and_fragment() {
        assert_eq!(htu("https://t.example/oauth/token?x=1#f"), "https://t.example/oauth/token");
        assert_eq!(htu("https://t.example/a#f?x"), "https://t.example/a");
        assert_eq!(htu("https://t.example/a"), "https://t.example/a");
    }

    #[test]
    fn origin_of_urls() {
        assert_eq!(origin("https://t.example:8443/oauth/token?x"), "https://t.example:8443");
        assert_eq!(origin("http://127.0.0.1:3000"), "http://127.0.0.1:3000");
        assert_eq!(origin("https://t.example?x"), "https://t.example");
        assert_eq!(origin("nonsense"), "nonsense");
    }

    #[test]
    fn thumbprint_inputs() {
        assert_eq!(
            thumbprint_input(&ec()).unwrap(),
            r#"{"crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#
        );
        assert_eq!(thumbprint_input(&rsa("0vx7")).unwrap(), r#"{"e":"AQAB","kty":"RSA","n":"0vx7"}"#);
        // A member that would need escaping, or is missing, is no thumbprint.
        assert_eq!(thumbprint_input(&PublicJwk { x: Some("a\"b".into()), ..ec() }), None);
        assert_eq!(thumbprint_input(&PublicJwk { y: None, ..ec() }), None);
        assert_eq!(thumbprint_input(&PublicJwk { kty: "OKP".into(), ..ec() }), None);
    }

    #[test]
    fn key_algs() {
        assert_eq!(key_alg(&ec(), None), Some(SigningAlg::ES256));
        assert_eq!(key_alg(&PublicJwk { crv: Some("P-384".into()), ..ec() }, None), None);
        let rsa = rsa("n");
        assert_eq!(key_alg(&rsa, Some("RS256")), Some(SigningAlg::RS256));
        assert_eq!(key_alg(&rsa, Some("RS512")), None);
    }

    #[test]
    fn proof_claims_serialise_in_order_without_absent_members() {
        let jwk = ec();
        let h = ProofHeader::new(SigningAlg::ES256, &jwk);
        let url = "https://t.example/oauth/token?a";
        let c = ProofClaims { jti: "j1", htm: "POST", htu: htu(url), iat: 7, nonce: None, ath: None };
        assert_eq!(
            serde_json::to_string(&h).unwrap()[..34].to_owned(),
            r#"{"typ":"dpop+jwt","alg":"ES256","j"#
        );
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"jti":"j1","htm":"POST","htu":"https://t.example/oauth/token","iat":7}"#
        );
        let c = ProofClaims {
            jti: "j2",
            htm: "GET",
            htu: "https://api.example/x",
            iat: 7,
            nonce: Some("n1"),
            ath: Some("h"),
        };
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"jti":"j2","htm":"GET","htu":"https://api.example/x","iat":7,"nonce":"n1","ath":"h"}"#
        );
    }

    #[test]
    fn nonce_challenges() {
        assert!(is_nonce_challenge(400, Some("use_dpop_nonce"), Some("abc")));
        assert!(is_nonce_challenge(401, Some("use_dpop_nonce"), Some("abc")));
        assert!(!is_nonce_challenge(400, Some("use_dpop_nonce"), None));
        assert!(!is_nonce_challenge(400, Some("invalid_grant"), Some("abc")));
        assert!(!is_nonce_challenge(500, Some("use_dpop_nonce"), Some("abc")));
        assert!(is_api_nonce_challenge(r#"DPoP error="use_dpop_nonce", error_description="x""#));
        assert!(is_api_nonce_challenge(r#"dpop algs="ES256", error="use_dpop_nonce""#));
        assert!(!is_api_nonce_challenge(r#"Bearer error="use_dpop_nonce""#));
        assert!(!is_api_nonce_challenge(r#"DPoP error="invalid_token""#));
        assert!(valid_nonce("eyJ7S_zG.eyJH0-Z.HX4w-7v"));
        assert!(!valid_nonce("with space") && !valid_nonce("quote\"") && !valid_nonce(""));
    }

    #[test]
    fn no_silent_downgrade() {
        assert!(check_token_type(true, "DPoP").is_ok());
        assert!(check_token_type(true, "dpop").is_ok());
        assert!(check_token_type(true, "N_A").is_ok(), "a session transfer token is no access token");
        let e = check_token_type(true, "Bearer").unwrap_err();
        assert_eq!(e.code(), "invalid_response");
        assert!(e.message().contains("\"Bearer\""));
        assert!(check_token_type(false, "DPoP").is_ok());
        assert!(check_token_type(false, "Bearer").is_ok());
    }
}
