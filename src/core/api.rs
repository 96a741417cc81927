//! The API side (BEHAVIOUR.md §13): what an access token presented to an API must satisfy beyond
//! its signature (which the host checks), and the status and `WWW-Authenticate` challenge an API
//! answers a refusal with (RFC 6750 §3).

use super::jwt::{check_issuer, check_times, Audience, TokenKind};
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

/// The refusal as an API answers it (BEHAVIOUR.md §13.5): its status (400 `invalid_request`, 401
/// `invalid_token`, 403 `insufficient_scope`, 503 `temporarily_unavailable`) and, but for an
/// outage, a `Bearer` challenge naming the code and the failed check (RFC 6750 §3), and for
/// `insufficient_scope` the scopes needed. An error that already has its challenge, or of another
/// kind (the API's own `ConfigurationError`), is left alone.
pub fn answer(e: Error, scopes: &[String]) -> Error {
    if e.kind() != ErrorKind::VerifyAccessToken || e.www_authenticate().is_some() {
        return e;
    }
    let status = match e.code() {
        code::INVALID_REQUEST => 400,
        code::INSUFFICIENT_SCOPE => 403,
        code::TEMPORARILY_UNAVAILABLE => return e.status(503),
        _ => 401,
    };
    let mut challenge = String::from("Bearer error=\"");
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
    e.status(status).challenge(challenge)
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
            .map_err(|e| answer(e, &scopes))
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
        let e = answer(TokenKind::AccessToken.error(code::INVALID_TOKEN, "'s \"aud\" is wrong"), &[]);
        assert_eq!(e.response_status(), 401);
        assert_eq!(
            e.www_authenticate(),
            Some("Bearer error=\"invalid_token\", error_description=\"the access token's 'aud' is wrong\"")
        );
        let e = answer(refused(code::INSUFFICIENT_SCOPE, "x").status(403), &["a".into(), "b".into()]);
        assert_eq!(
            e.www_authenticate(),
            Some("Bearer error=\"insufficient_scope\", error_description=\"x\", scope=\"a b\"")
        );
        let e = answer(no_credentials(), &[]);
        assert_eq!((e.response_status(), e.www_authenticate()), (401, Some("Bearer")));
        let e = answer(malformed("m"), &[]);
        assert_eq!((e.code(), e.response_status()), ("invalid_request", 400));
        let e = answer(refused(code::TEMPORARILY_UNAVAILABLE, "down"), &[]);
        assert_eq!((e.response_status(), e.www_authenticate()), (503, None));
    }
}
