//! The API side (BEHAVIOUR.md §13): what an access token presented to an API must satisfy beyond
//! its signature (which the host checks), and the status and `WWW-Authenticate` challenge an API
//! answers a refusal with (RFC 6750 §3).

use super::jwt::{check_issuer, check_times, key_fits, seconds, Audience, Jwk, JwkEntry, Jwt, TokenKind};
use super::response::Member;
use crate::error::{code, Error, ErrorKind};
#[allow(unused_imports)]
use crate::prelude::*;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

/// A `VerifyAccessTokenError` with an RFC 6750 code.
#[inline(never)]
fn refused(code: &'static str, message: &'static str) -> Error {
    Error::new(ErrorKind::VerifyAccessToken, code, message)
}

/// A request without credentials (RFC 6750 §3.1): `invalid_request`, answered 401 with a bare
/// `Bearer` challenge, no error code in it.
pub fn no_credentials() -> Error {
    refused(code::INVALID_REQUEST, "the request carries no access token")
        .status(401)
        .challenge("Bearer".into())
}

/// A malformed request (RFC 6750 §3.1): `invalid_request`, answered 400.
pub fn malformed(message: &'static str) -> Error {
    refused(code::INVALID_REQUEST, message)
}

/// `cnf` (RFC 7800): a DPoP-bound token's carries the key's thumbprint as `jkt` (RFC 9449 §6.1).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Confirmation {
    /// No `cnf`: a Bearer token.
    #[default]
    Absent,
    /// `cnf.jkt`, a string.
    Jkt(String),
    /// Any other `cnf`: a binding this API cannot check, so the token is refused.
    Other,
}

impl<'de> Deserialize<'de> for Confirmation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Cnf;
        impl<'de> Visitor<'de> for Cnf {
            type Value = Confirmation;
            fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
                f.write_str("a confirmation")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Confirmation, A::Error> {
                let mut found = Confirmation::Other;
                while let Some(key) = map.next_key::<String>()? {
                    match (key.as_str(), map.next_value::<Member>()?) {
                        ("jkt", Member::Str(jkt)) => found = Confirmation::Jkt(jkt),
                        _ => return drain(map),
                    }
                }
                Ok(found)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Confirmation, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Confirmation::Other)
            }
            fn visit_str<E>(self, _: &str) -> Result<Confirmation, E> {
                Ok(Confirmation::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Confirmation, E> {
                Ok(Confirmation::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Confirmation, E> {
                Ok(Confirmation::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Confirmation, E> {
                Ok(Confirmation::Other)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Confirmation, E> {
                Ok(Confirmation::Other)
            }
            fn visit_unit<E>(self) -> Result<Confirmation, E> {
                Ok(Confirmation::Other)
            }
        }
        /// A member other than a string `jkt`: the rest of the map read, the binding unknown.
        fn drain<'de, A: MapAccess<'de>>(mut map: A) -> Result<Confirmation, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Confirmation::Other)
        }
        d.deserialize_any(Cnf)
    }
}

/// The access token claims the API side checks (RFC 9068 §2.2); the claims object itself stays
/// with the host and is what a verification returns.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ApiClaims {
    /// `iss`: must be the tenant's issuer.
    pub iss: Member,
    /// `aud`: must contain the API's identifier.
    pub aud: Audience,
    /// `exp`: must be in the future, with the leeway.
    pub exp: Member,
    /// `iat`: required, not in the future beyond the leeway.
    pub iat: Member,
    /// `nbf`: when present, not in the future beyond the leeway.
    pub nbf: Member,
    /// `scope`: the granted scopes, space-separated.
    pub scope: Member,
    /// `permissions`: Auth0's RBAC permissions (an array of strings), when the API enables them.
    pub permissions: Audience,
    /// `cnf`: the key the token is bound to.
    pub cnf: Confirmation,
}

/// What a token must satisfy besides its signature (BEHAVIOUR.md §13.2).
pub struct ApiChecks<'a> {
    /// The tenant's issuer (discovered).
    pub issuer: &'a str,
    /// The API's identifier.
    pub audience: &'a str,
    /// Now, in seconds.
    pub now: i64,
    /// Clock skew allowed, in seconds.
    pub leeway: i64,
    /// Claims that must be present.
    pub required_claims: &'a [String],
    /// Scopes that must be granted.
    pub scopes: &'a [String],
}

/// The header's `typ` (RFC 9068 §2.1, RFC 7515 §4.1.9): `at+jwt` (or `application/at+jwt`) or
/// `JWT`, without case; absent or anything else is `invalid_token`.
pub fn check_typ(typ: &Member) -> Result<(), Error> {
    let ok = typ.as_str().is_some_and(|t| {
        let t = t.strip_prefix("application/").or_else(|| t.strip_prefix("APPLICATION/")).unwrap_or(t);
        t.eq_ignore_ascii_case("at+jwt") || t.eq_ignore_ascii_case("jwt")
    });
    if ok {
        return Ok(());
    }
    Err(TokenKind::AccessToken.error(code::INVALID_TOKEN, "'s \"typ\" is not \"at+jwt\" or \"JWT\""))
}

/// Checks a signature-verified access token's claims, in this order: `iss`, `aud`, `exp`, `iat`,
/// `nbf`, the required claims (`has` says whether the claims object has one), then the scopes
/// (`insufficient_scope`, answered 403).
pub fn check_api_claims(
    claims: &ApiClaims,
    has: &dyn Fn(&str) -> bool,
    c: &ApiChecks<'_>,
) -> Result<(), Error> {
    let kind = TokenKind::AccessToken;
    check_issuer(&claims.iss, c.issuer, kind)?;
    let for_us = match &claims.aud {
        Audience::One(a) => a == c.audience,
        Audience::Many(list) => list.iter().any(|a| a.as_str() == Some(c.audience)),
        _ => false,
    };
    if !for_us {
        return Err(kind.error(code::INVALID_TOKEN, "'s \"aud\" does not contain this API's audience"));
    }
    check_times(&claims.exp, &claims.iat, &claims.nbf, c.now, c.leeway, kind)?;
    if !c.required_claims.iter().all(|name| has(name)) {
        return Err(kind.error(code::INVALID_TOKEN, " lacks a required claim"));
    }
    let granted = |scope: &str| {
        claims.scope.as_str().is_some_and(|s| s.split(' ').any(|g| g == scope))
            || matches!(&claims.permissions, Audience::Many(p) if p.iter().any(|g| g.as_str() == Some(scope)))
    };
    if !c.scopes.iter().all(|s| granted(s)) {
        return Err(refused(code::INSUFFICIENT_SCOPE, "the access token lacks a required scope").status(403));
    }
    Ok(())
}

/// The algorithms a DPoP proof may be signed with, as a `DPoP` challenge lists them.
pub const DPOP_ALGS: &str = "ES256 PS256 RS256";

/// The refusal as an API answers it (BEHAVIOUR.md §13.5): its status (400 `invalid_request`, 401
/// `invalid_token` and `invalid_dpop_proof`, 403 `insufficient_scope`, 503
/// `temporarily_unavailable`) and, but for an outage, a challenge naming the code and the failed
/// check (RFC 6750 §3), and for `insufficient_scope` the scopes needed. The challenge is `DPoP`
/// (with the proof algorithms, RFC 9449 §7.1) when the token came with the DPoP scheme or is
/// bound to a key, or the proof failed; `Bearer` otherwise. An error that already has its
/// challenge, or of another kind (the API's own `ConfigurationError`), is left alone.
pub fn answer(e: Error, scopes: &[String], dpop: bool) -> Error {
    if e.kind() != ErrorKind::VerifyAccessToken || e.www_authenticate().is_some() {
        return e;
    }
    let status = match e.code() {
        code::INVALID_REQUEST => 400,
        code::INSUFFICIENT_SCOPE => 403,
        code::TEMPORARILY_UNAVAILABLE => return e.status(503),
        _ => 401,
    };
    let dpop = dpop || e.code() == code::INVALID_DPOP_PROOF;
    let mut challenge = String::from(if dpop { "DPoP error=\"" } else { "Bearer error=\"" });
    challenge.push_str(e.code());
    challenge.push_str("\", error_description=\"");
    // RFC 6750 §3: no `"` or `\` in a description.
    challenge.extend(e.js_message().chars().map(|c| if c == '"' || c == '\\' { '\'' } else { c }));
    challenge.push('"');
    if e.code() == code::INSUFFICIENT_SCOPE {
        challenge.push_str(", scope=\"");
        challenge.push_str(&scopes.join(" "));
        challenge.push('"');
    }
    if dpop {
        challenge.push_str(", algs=\"");
        challenge.push_str(DPOP_ALGS);
        challenge.push('"');
    }
    e.status(status).challenge(challenge)
}

/// How a token was presented: the `Authorization` scheme (RFC 6750 §2.1, RFC 9449 §7.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// `Bearer`.
    Bearer,
    /// `DPoP`: the token is bound to a key, and a proof comes with it.
    Dpop,
}

impl Scheme {
    /// `Bearer` or `DPoP`, without case; anything else is `None`.
    pub fn parse(s: &str) -> Option<Scheme> {
        match s {
            s if s.eq_ignore_ascii_case("bearer") => Some(Scheme::Bearer),
            s if s.eq_ignore_ascii_case("dpop") => Some(Scheme::Dpop),
            _ => None,
        }
    }
}

/// A DPoP proof refused (RFC 9449 §7.1): `invalid_dpop_proof`, answered 401 with a `DPoP` challenge.
pub fn bad_proof(message: &'static str) -> Error {
    refused(code::INVALID_DPOP_PROOF, message)
}

/// A DPoP proof's header member the API reads beyond `typ` and `alg`: the public key.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ProofKey {
    /// `jwk`: the public key whose private half signed the proof.
    pub jwk: JwkEntry,
}

/// A DPoP proof's claims as read (RFC 9449 §4.2).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ProofClaimsIn {
    /// `jti`: a unique id, at most 256 characters here.
    pub jti: Member,
    /// `htm`: the request's method.
    pub htm: Member,
    /// `htu`: the request's URL without query and fragment.
    pub htu: Member,
    /// `iat`: when the proof was made.
    pub iat: Member,
    /// `ath`: base64url(SHA-256(the access token)).
    pub ath: Member,
}

/// What a proof must match (BEHAVIOUR.md §13.3).
pub struct ProofExpect<'a> {
    /// The request's method.
    pub method: &'a str,
    /// The request's URL.
    pub url: &'a str,
    /// base64url(SHA-256(the access token presented)).
    pub ath: &'a str,
    /// Now, in seconds.
    pub now: i64,
    /// How old a proof may be, in seconds.
    pub max_age: i64,
    /// How far in the future a proof's `iat` may be, in seconds.
    pub leeway: i64,
}

/// The proof's header: `typ` `dpop+jwt`, and a public `jwk` (no private member) that fits `alg`.
pub fn check_proof_key<'a>(jwt: &Jwt, key: &'a ProofKey) -> Result<&'a Jwk, Error> {
    if !jwt.typ.as_str().is_some_and(|t| t.eq_ignore_ascii_case(super::dpop::PROOF_TYP)) {
        return Err(bad_proof("the DPoP proof's \"typ\" is not \"dpop+jwt\""));
    }
    match &key.jwk.0 {
        Some(jwk) if jwk.d == Member::Absent && key_fits(jwk, jwt.alg) => Ok(jwk),
        _ => Err(bad_proof("the DPoP proof's \"jwk\" is not a public key of its \"alg\"")),
    }
}

/// The proof's claims against the request, in this order: `jti`, `htm`, `htu` (both URLs
/// normalized, RFC 9449 §4.3), `iat` (at most `max_age` old, at most `leeway` ahead), `ath`.
pub fn check_proof_claims(c: &ProofClaimsIn, e: &ProofExpect<'_>) -> Result<(), Error> {
    if !c.jti.as_str().is_some_and(|j| !j.is_empty() && j.len() <= 256) {
        return Err(bad_proof("the DPoP proof has no \"jti\" (a string of at most 256 characters)"));
    }
    if c.htm.as_str() != Some(e.method) {
        return Err(bad_proof("the DPoP proof's \"htm\" is not the request's method"));
    }
    let same_url = match (c.htu.as_str().and_then(normalize_htu), normalize_htu(e.url)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    };
    if !same_url {
        return Err(bad_proof("the DPoP proof's \"htu\" is not the request's URL"));
    }
    let iat = seconds(&c.iat).ok_or_else(|| bad_proof("the DPoP proof has no numeric \"iat\""))?;
    if iat < e.now - e.max_age || iat > e.now + e.leeway {
        return Err(bad_proof("the DPoP proof's \"iat\" is outside the accepted window"));
    }
    if c.ath.as_str() != Some(e.ath) {
        return Err(bad_proof("the DPoP proof's \"ath\" is not the hash of the access token"));
    }
    Ok(())
}

/// An `htu` or request URL compared as RFC 9449 §4.3 says (RFC 3986 §6.2.2, §6.2.3): without
/// query and fragment, scheme and host in lower case, the default port dropped, an empty path
/// as `/`. `None` for what is not an absolute http(s) URL.
pub fn normalize_htu(url: &str) -> Option<String> {
    let url = super::dpop::htu(url);
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => return None,
    };
    let (authority, path) = rest.find('/').map_or((rest, "/"), |i| (&rest[..i], &rest[i..]));
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let mut out = scheme;
    out.push_str("://");
    out.push_str(&authority.strip_suffix(default_port).unwrap_or(authority).to_ascii_lowercase());
    out.push_str(path);
    Some(out)
}

/// The proofs an API has seen (`jkt jti`), each until its window has passed: a proof is good
/// for one request (RFC 9449 §11.1). Bounded: when full, expired entries go first, then the
/// oldest.
pub struct ReplayCache {
    seen: Vec<(String, i64)>,
    max: usize,
}

impl ReplayCache {
    /// An empty cache of at most `max` proofs.
    pub const fn new(max: usize) -> Self {
        ReplayCache { seen: Vec::new(), max }
    }

    /// Whether `key` is seen for the first time (then it is kept until `until`, in seconds).
    pub fn first_use(&mut self, key: &str, now: i64, until: i64) -> bool {
        if self.seen.iter().any(|(k, t)| *t >= now && k == key) {
            return false;
        }
        if self.seen.len() >= self.max {
            self.seen.retain(|(_, t)| *t >= now);
            if self.seen.len() >= self.max {
                self.seen.remove(0);
            }
        }
        self.seen.push((key.to_owned(), until));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(json: &str) -> ApiClaims {
        serde_json::from_str(json).unwrap()
    }

    const OK: &str = r#"{"iss":"https://t/","aud":["https://api","https://t/userinfo"],"exp":2000,"iat":1000,"scope":"openid read:data","permissions":["write:data"]}"#;

    fn check(c: &ApiClaims, now: i64, required: &[&str], scopes: &[&str]) -> Result<(), (String, u16)> {
        let required: Vec<String> = required.iter().map(|s| s.to_string()).collect();
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        let checks = ApiChecks {
            issuer: "https://t/",
            audience: "https://api",
            now,
            leeway: 60,
            required_claims: &required,
            scopes: &scopes,
        };
        check_api_claims(c, &|name| name == "sub", &checks)
            .map_err(|e| answer(e, &scopes, false))
            .map_err(|e| (e.code().to_owned(), e.response_status()))
    }

    #[test]
    fn claims_are_checked_in_order() {
        let ok = claims(OK);
        assert_eq!(check(&ok, 1500, &["sub"], &["read:data", "write:data"]), Ok(()));
        let refused = |json: &str, now| check(&claims(json), now, &[], &[]).unwrap_err();
        assert_eq!(
            refused(r#"{"iss":"https://evil/","aud":"https://api","exp":2000,"iat":1000}"#, 1500).0,
            "invalid_token"
        );
        assert_eq!(
            refused(r#"{"iss":"https://t/","aud":"https://other","exp":2000,"iat":1000}"#, 1500),
            ("invalid_token".into(), 401)
        );
        assert_eq!(
            refused(r#"{"iss":"https://t/","aud":{"x":1},"exp":2000,"iat":1000}"#, 1500).0,
            "invalid_token"
        );
        assert_eq!(refused(r#"{"iss":"https://t/","exp":2000,"iat":1000}"#, 1500).0, "invalid_token");
        assert_eq!(refused(OK, 2060).0, "invalid_token", "expired: RFC 6750's code, not token_expired");
        assert_eq!(check(&ok, 2059, &[], &[]), Ok(()), "leeway");
        assert_eq!(
            refused(r#"{"iss":"https://t/","aud":"https://api","exp":2000}"#, 1500).0,
            "invalid_token"
        );
        assert_eq!(
            refused(r#"{"iss":"https://t/","aud":"https://api","exp":2000,"iat":1000,"nbf":1600}"#, 1500).0,
            "invalid_token"
        );
        assert_eq!(check(&ok, 1500, &["sub", "org_id"], &[]), Err(("invalid_token".into(), 401)));
        assert_eq!(check(&ok, 1500, &[], &["admin"]), Err(("insufficient_scope".into(), 403)));
        assert_eq!(
            check(&ok, 1500, &[], &["read"]),
            Err(("insufficient_scope".into(), 403)),
            "whole scopes only"
        );
        let perm_str = claims(
            r#"{"iss":"https://t/","aud":"https://api","exp":2000,"iat":1000,"permissions":"write:data"}"#,
        );
        assert_eq!(
            check(&perm_str, 1500, &[], &["write:data"]).unwrap_err().0,
            "insufficient_scope",
            "permissions must be an array"
        );
    }

    #[test]
    fn typ_and_cnf() {
        for ok in ["at+jwt", "application/at+jwt", "AT+JWT", "JWT", "jwt"] {
            assert!(check_typ(&Member::Str(ok.into())).is_ok(), "{ok}");
        }
        for bad in
            [Member::Absent, Member::Str("dpop+jwt".into()), Member::Str("JOSE".into()), Member::Num(1.0)]
        {
            assert_eq!(check_typ(&bad).unwrap_err().code(), "invalid_token");
        }
        let cnf = |json: &str| claims(&format!(r#"{{"cnf":{json}}}"#)).cnf;
        assert_eq!(cnf(r#"{"jkt":"abc"}"#), Confirmation::Jkt("abc".into()));
        assert_eq!(cnf(r#"{"jkt":1}"#), Confirmation::Other);
        assert_eq!(cnf(r#"{"x5t#S256":"abc"}"#), Confirmation::Other);
        assert_eq!(cnf(r#"{"jkt":"abc","x5t#S256":"d"}"#), Confirmation::Other);
        assert_eq!(cnf(r#""abc""#), Confirmation::Other);
        assert_eq!(cnf("null"), Confirmation::Other);
        assert_eq!(claims("{}").cnf, Confirmation::Absent);
    }

    #[test]
    fn answers_carry_status_and_challenge() {
        let e = answer(TokenKind::AccessToken.error(code::INVALID_TOKEN, "'s \"aud\" is wrong"), &[], false);
        assert_eq!(e.response_status(), 401);
        assert_eq!(
            e.www_authenticate(),
            Some("Bearer error=\"invalid_token\", error_description=\"the access token's 'aud' is wrong\"")
        );
        let e = answer(refused(code::INSUFFICIENT_SCOPE, "x").status(403), &["a".into(), "b".into()], false);
        assert_eq!(
            e.www_authenticate(),
            Some("Bearer error=\"insufficient_scope\", error_description=\"x\", scope=\"a b\"")
        );
        let e = answer(no_credentials(), &[], false);
        assert_eq!((e.response_status(), e.www_authenticate()), (401, Some("Bearer")));
        let e = answer(malformed("m"), &[], false);
        assert_eq!((e.code(), e.response_status()), ("invalid_request", 400));
        let e = answer(refused(code::TEMPORARILY_UNAVAILABLE, "down"), &[], false);
        assert_eq!((e.response_status(), e.www_authenticate()), (503, None));
        let e = answer(bad_proof("the DPoP proof's \"jti\" was seen"), &[], false);
        assert_eq!(
            (e.response_status(), e.www_authenticate()),
            (401, Some("DPoP error=\"invalid_dpop_proof\", error_description=\"the DPoP proof's 'jti' was seen\", algs=\"ES256 PS256 RS256\""))
        );
        let e = answer(TokenKind::AccessToken.error(code::INVALID_TOKEN, " has expired"), &[], true);
        assert!(e.www_authenticate().unwrap().starts_with("DPoP error=\"invalid_token\""));
    }

    #[test]
    fn proofs_match_the_request() {
        let expect = ProofExpect {
            method: "GET",
            url: "https://API.example.com:443/orders?page=2#top",
            ath: "h",
            now: 1000,
            max_age: 300,
            leeway: 30,
        };
        let claims = |json: &str| -> ProofClaimsIn { serde_json::from_str(json).unwrap() };
        let check =
            |json: &str| check_proof_claims(&claims(json), &expect).map_err(|e| e.js_message().to_owned());
        assert_eq!(
            check(r#"{"jti":"j","htm":"GET","htu":"https://api.example.com/orders","iat":1000,"ath":"h"}"#),
            Ok(())
        );
        assert_eq!(
            check(
                r#"{"jti":"j","htm":"GET","htu":"HTTPS://api.example.com:443/orders","iat":701,"ath":"h"}"#
            ),
            Ok(())
        );
        for (json, what) in [
            (r#"{"htm":"GET","htu":"https://api.example.com/orders","iat":1000,"ath":"h"}"#, "jti"),
            (r#"{"jti":"j","htm":"get","htu":"https://api.example.com/orders","iat":1000,"ath":"h"}"#, "htm"),
            (
                r#"{"jti":"j","htm":"GET","htu":"https://api.example.com/orders/","iat":1000,"ath":"h"}"#,
                "htu",
            ),
            (
                r#"{"jti":"j","htm":"GET","htu":"https://api.example.com:8443/orders","iat":1000,"ath":"h"}"#,
                "htu",
            ),
            (r#"{"jti":"j","htm":"GET","htu":"http://api.example.com/orders","iat":1000,"ath":"h"}"#, "htu"),
            (r#"{"jti":"j","htm":"GET","htu":"https://api.example.com/orders","iat":699,"ath":"h"}"#, "iat"),
            (r#"{"jti":"j","htm":"GET","htu":"https://api.example.com/orders","iat":1031,"ath":"h"}"#, "iat"),
            (
                r#"{"jti":"j","htm":"GET","htu":"https://api.example.com/orders","iat":"1000","ath":"h"}"#,
                "iat",
            ),
            (
                r#"{"jti":"j","htm":"GET","htu":"https://api.example.com/orders","iat":1000,"ath":"other"}"#,
                "ath",
            ),
            (r#"{"jti":"j","htm":"GET","htu":"https://api.example.com/orders","iat":1000}"#, "ath"),
        ] {
            let e = check(json).unwrap_err();
            assert!(e.contains(&format!("\"{what}\"")), "{what}: {e}");
        }
        assert_eq!(normalize_htu("https://a.example"), Some("https://a.example/".into()));
        assert_eq!(normalize_htu("http://A.example:80/x?y"), Some("http://a.example/x".into()));
        assert_eq!(normalize_htu("ftp://a.example/"), None);
        assert_eq!(normalize_htu("https://user@a.example/"), None);
    }

    #[test]
    fn a_proof_is_good_once_within_its_window() {
        let mut seen = ReplayCache::new(3);
        assert!(seen.first_use("k j1", 100, 400));
        assert!(!seen.first_use("k j1", 200, 500), "replayed");
        assert!(seen.first_use("k j2", 200, 500));
        assert!(seen.first_use("k j1", 401, 700), "its window passed");
        assert!(seen.first_use("k j3", 402, 700));
        assert!(seen.first_use("k j4", 402, 700), "full: the expired and oldest go");
        assert!(!seen.first_use("k j4", 403, 700));
        assert!(seen.seen.len() <= 3);
    }
}
