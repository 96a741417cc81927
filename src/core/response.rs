//! Reading responses (BEHAVIOUR.md §2.2, §2.4): pure functions of the status, the content type and the
//! body as the host parsed it (`JSON.parse`) into the serde types below. Natively, tests read the
//! same types from JSON text with serde_json.

use super::options::{parse_domain, DomainUrl};
use crate::error::{code, push_u64, Error, ErrorKind, Secret};
#[allow(unused_imports)]
use crate::prelude::*;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// Largest body read from the authorization server (BEHAVIOUR.md §2.4).
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// What the host made of a response body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body<T> {
    /// A JSON object, read into `T`.
    Json(T),
    /// Not JSON, or JSON that is not an object (an array, a string, `null`...).
    NotJson,
    /// Over [`MAX_BODY_BYTES`], by `Content-Length` or by bytes read: not read further.
    TooLarge,
}

/// A member of a response as far as the core reads it: a string, a number, or anything else
/// (`null`, a boolean, an array, an object). Absent members are `Absent`.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Member {
    /// Not in the object.
    #[default]
    Absent,
    /// A string.
    Str(String),
    /// A number.
    Num(f64),
    /// `null`, a boolean, an array or an object: not read further.
    Other,
}

/// A JSON number as a whole number, fractions rounded toward -inf; `None` beyond ±2^53 (where
/// JSON numbers stop being exact integers) or for what is not a finite number.
pub fn floor_int(n: f64) -> Option<i64> {
    (n.is_finite() && n.abs() <= (1u64 << 53) as f64).then(|| n.floor() as i64)
}

impl Member {
    /// The string, when the member is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Member::Str(s) => Some(s),
            _ => None,
        }
    }

    fn into_string(self) -> Option<String> {
        match self {
            Member::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = Member;
            fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Member, E> {
                Ok(Member::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Member, E> {
                Ok(Member::Str(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Member, E> {
                Ok(Member::Num(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Member, E> {
                Ok(Member::Num(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Member, E> {
                Ok(Member::Num(v as f64))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_unit<E>(self) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_none<E>(self) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Member, D2::Error> {
                d.deserialize_any(Any)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Member, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Member::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Member, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Member::Other)
            }
        }
        d.deserialize_any(Any)
    }
}

/// The members of a token endpoint response the core reads (RFC 6749 §5.1, RFC 8693 §2.2.1).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct TokenBody {
    /// `access_token`: required, a non-empty string.
    pub access_token: Member,
    /// `token_type`: `Bearer` when absent.
    pub token_type: Member,
    /// `expires_in`: optional; a non-negative integer or a numeric string (BEHAVIOUR.md §2.4, §8.6).
    pub expires_in: Member,
    /// `scope`: the scopes granted.
    pub scope: Member,
    /// `id_token`, when the server issued one.
    pub id_token: Member,
    /// `refresh_token`, when the server issued one.
    pub refresh_token: Member,
    /// `issued_token_type`: the type of the token in `access_token` (RFC 8693 §2.2.1).
    pub issued_token_type: Member,
}

/// The members of an error response the core reads (RFC 6749 §5.2).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ErrorBody {
    /// `error`: the OAuth error code, which becomes the error's code.
    pub error: Member,
    /// `error_description`: becomes the error's message.
    pub error_description: Member,
}

/// The members of a discovery document the core reads (OpenID Connect Discovery §3).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct DiscoveryBody {
    /// `issuer`: must be the domain URL, up to a trailing slash.
    pub issuer: Member,
    /// `token_endpoint`: where tokens are requested.
    pub token_endpoint: Member,
    /// `jwks_uri`: where the tenant's signing keys are.
    pub jwks_uri: Member,
    /// `end_session_endpoint`: OIDC RP-Initiated Logout's endpoint.
    pub end_session_endpoint: Member,
}

/// A successful token endpoint response (BEHAVIOUR.md §2.4): the result of a token exchange. `A` is what
/// holds the `act` claim (a JavaScript object in the client).
#[derive(Clone, Debug, PartialEq)]
pub struct TokenResponse<A = ()> {
    /// The issued token (a session transfer token, in a session transfer).
    pub access_token: Secret,
    /// `token_type`, `Bearer` when the server sent none.
    pub token_type: String,
    /// RECOMMENDED, not required (RFC 8693 §2.2.1, BEHAVIOUR.md §8.6).
    pub expires_in: Option<u64>,
    /// The scopes granted, when the server said.
    pub scope: Option<String>,
    /// The ID token, when one came back (not verified here).
    pub id_token: Option<Secret>,
    /// The refresh token, when one came back.
    pub refresh_token: Option<Secret>,
    /// `issued_token_type` as the server sent it (RFC 8693 §2.2.1).
    pub issued_token_type: Option<String>,
    /// The `act` claim of the verified ID token, when an actor token was sent (BEHAVIOUR.md §2.5).
    /// Never read from the response itself: the client fills it after verification.
    pub act: Option<A>,
}

/// A URL as error messages name it: origin and path, without query or fragment (BEHAVIOUR.md §8.8).
pub fn url_for_message(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// Why a request failed, from the runtime's error: its `code` (Node: the `cause`'s, e.g.
/// `ECONNREFUSED`) or else its message (Deno and workerd say it in words); a message that says
/// none of these is given as it is (its first line, at most 120 characters). BEHAVIOUR.md §8.8.
pub fn network_reason(code: Option<&str>, message: Option<&str>) -> String {
    let code = code.unwrap_or("");
    let text = message.unwrap_or("").to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    let reason = match code {
        "ECONNREFUSED" => "connection refused",
        "ECONNRESET" | "EPIPE" | "UND_ERR_SOCKET" => "connection reset",
        "ENOTFOUND" | "EAI_AGAIN" | "EAI_NONAME" | "EAI_FAIL" => "DNS lookup failed",
        "ETIMEDOUT" | "UND_ERR_CONNECT_TIMEOUT" => "connect timed out",
        "EHOSTUNREACH" | "ENETUNREACH" => "host unreachable",
        c if c.contains("CERT") || c.contains("TLS") || c.contains("SSL") => "TLS error",
        _ if has(&["connection refused"]) => "connection refused",
        _ if has(&["certificate", "tls", "ssl"]) => "TLS error",
        _ if has(&["dns", "lookup", "name resolution", "name or service not known"]) => "DNS lookup failed",
        _ if has(&["reset", "connection lost", "broken pipe"]) => "connection reset",
        _ => "",
    };
    let mut out = String::from("network error");
    let said = message.unwrap_or("").lines().next().unwrap_or("").trim();
    if reason.is_empty() && !said.is_empty() && !said.eq_ignore_ascii_case("fetch failed") {
        out.push_str(": ");
        out.extend(said.chars().take(120));
    } else if !reason.is_empty() {
        out.push_str(": ");
        out.push_str(reason);
        if reason == "TLS error" && !code.is_empty() {
            out.push_str(" (");
            out.push_str(code);
            out.push(')');
        }
    }
    out
}

/// Is this the content type of a JSON body (`application/json` anywhere in it, any case)?
pub fn is_json_content_type(ct: Option<&str>) -> bool {
    ct.is_some_and(|ct| super::options::contains_bytes(ct.as_bytes(), b"application/json"))
}

/// `HTTP 503`: a status as messages name it.
pub fn http_status_text(status: u16) -> String {
    let mut m = String::from("HTTP ");
    push_u64(&mut m, u64::from(status));
    m
}

fn http_failed(status: u16) -> String {
    String::from("Token exchange failed: ") + &http_status_text(status)
}

fn invalid_response(message: &'static str) -> Error {
    Error::exchange(code::INVALID_RESPONSE, message)
}

/// A non-empty string member, as a secret.
fn secret(m: Member) -> Option<Secret> {
    m.into_string().filter(|s| !s.is_empty()).map(Secret::new)
}

/// A numeric string such as `"3600"`: decimal digits, a whole number within 2^53.
fn whole_number(s: &str) -> Option<i64> {
    s.parse::<u64>().ok().filter(|n| *n <= 1 << 53).map(|n| n as i64)
}

/// A failed token request (status other than 200), BEHAVIOUR.md §2.4: the error body's `error` and
/// `error_description` when it is labelled JSON and parsed; `body_is_cause` says so (the client
/// then attaches the body, as the host parsed it, as the error's cause).
pub fn token_error(status: u16, content_type: Option<&str>, body: &Body<ErrorBody>) -> (Error, bool) {
    match body {
        Body::Json(b) if is_json_content_type(content_type) => {
            let message = match b.error_description.as_str() {
                Some(d) => d.to_owned(),
                None => http_failed(status),
            };
            let err = match b.error.as_str() {
                Some(c) => Error::with_code(ErrorKind::CustomTokenExchange, c.to_owned(), message),
                None => Error::exchange(code::TOKEN_EXCHANGE_FAILED, message),
            };
            (err.status(status), true)
        }
        _ => (Error::exchange(code::TOKEN_EXCHANGE_FAILED, http_failed(status)).status(status), false),
    }
}

/// A 200 from the token endpoint, BEHAVIOUR.md §2.4's table.
pub fn token_success<A>(body: Body<TokenBody>) -> Result<TokenResponse<A>, Error> {
    let b = match body {
        Body::Json(b) => b,
        Body::NotJson => return Err(invalid_response("the token response is not a JSON object")),
        Body::TooLarge => return Err(invalid_response("the token response is larger than 1 MiB")),
    };
    let access_token = secret(b.access_token).ok_or_else(|| {
        invalid_response("the token response's \"access_token\" must be a non-empty string")
    })?;
    let expires_in = match &b.expires_in {
        Member::Absent => None,
        m => Some(
            match m {
                Member::Num(n) if n.fract() == 0.0 => floor_int(*n),
                Member::Str(s) => whole_number(s),
                _ => None,
            }
            .filter(|n| *n >= 0)
            .ok_or_else(|| {
                invalid_response("the token response's \"expires_in\" must be a non-negative integer")
            })? as u64,
        ),
    };
    Ok(TokenResponse {
        access_token,
        token_type: b.token_type.into_string().unwrap_or_else(|| "Bearer".to_owned()),
        expires_in,
        scope: b.scope.into_string(),
        id_token: secret(b.id_token),
        refresh_token: secret(b.refresh_token),
        issued_token_type: b.issued_token_type.into_string(),
        act: None,
    })
}

/// What OIDC discovery told us (BEHAVIOUR.md §2.2).
#[derive(Clone, Debug, PartialEq)]
pub struct Discovery {
    /// The discovered `issuer`, as sent: the domain URL, possibly with a trailing slash.
    pub issuer: String,
    /// The token endpoint: an https URL (http only when the domain is a loopback one).
    pub token_endpoint: String,
    /// Where the tenant's JWKS is; `None` when discovery gave no usable URL (checked as
    /// `token_endpoint`), and then no token can be verified.
    pub jwks_uri: Option<String>,
    /// OIDC RP-Initiated Logout's endpoint, when the tenant advertises one.
    pub end_session_endpoint: Option<String>,
}

/// The scheme and authority of an absolute `http(s)` URL read as `domain` is (so with its rules:
/// http only for a loopback host, no user info, nothing but a host name or address and a port);
/// `None` otherwise, and for a URL with a control character anywhere.
fn origin_of(url: &str) -> Option<DomainUrl> {
    if url.bytes().any(|b| b < b' ' || b == 0x7f) {
        return None;
    }
    let head = url.get(..8).map(str::to_ascii_lowercase).unwrap_or_default();
    let scheme_len = if head.starts_with("https://") {
        8
    } else if head.starts_with("http://") {
        7
    } else {
        return None;
    };
    // The authority ends at a path, query or fragment; a backslash stays in it, and is refused.
    let rest = url.get(scheme_len..)?;
    let end = rest.bytes().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len());
    parse_domain(url.get(..scheme_len + end)?).ok()
}

/// BEHAVIOUR.md §10.2: a discovered endpoint is an absolute https URL (http only for a loopback domain)
/// on the tenant's own origin, else the discovery is refused naming the field.
fn endpoint_at(field: &'static str, url: &str, domain_url: &str) -> Result<String, Error> {
    let tenant = parse_domain(domain_url).ok();
    if origin_of(url).zip(tenant).is_some_and(|(origin, tenant)| origin.same_tenant(&tenant)) {
        return Ok(url.to_owned());
    }
    let mut m = String::from("the discovered \"");
    m.push_str(field);
    m.push_str("\" is not an https URL on the tenant's origin");
    Err(Error::exchange(code::INVALID_RESPONSE, m))
}

/// Reads a discovery document fetched from `domain_url` (`https://host`, no trailing slash).
/// HTTP or JSON failures are `token_exchange_failed`; a foreign `issuer` or a missing
/// `token_endpoint` is a tenant misconfiguration: `configuration_error`.
pub fn parse_discovery(domain_url: &str, status: u16, body: Body<DiscoveryBody>) -> Result<Discovery, Error> {
    let failed = |why: &str| {
        let mut m = String::from("OIDC discovery failed (");
        m.push_str(domain_url);
        m.push_str("/.well-known/openid-configuration): ");
        m.push_str(why);
        Error::exchange(code::TOKEN_EXCHANGE_FAILED, m)
    };
    if status != 200 {
        return Err(failed(&http_status_text(status)).status(status));
    }
    let v = match body {
        Body::Json(v) => v,
        Body::NotJson => return Err(failed("the document is not a JSON object")),
        Body::TooLarge => return Err(failed("the document is larger than 1 MiB")),
    };
    let issuer = v.issuer.as_str().unwrap_or("");
    if issuer.strip_suffix('/').unwrap_or(issuer) != domain_url {
        // Both are public; the discovered one is cut to 200 characters.
        let mut m = String::from("the discovered \"issuer\" ");
        let shown = issuer.char_indices().nth(200).map_or(issuer, |(i, _)| &issuer[..i]);
        m.push_str(if shown.is_empty() { "(none)" } else { shown });
        m.push_str(" does not match \"domain\" ");
        m.push_str(domain_url);
        m.push_str(" (RFC 8414 §3.3)");
        return Err(Error::config(code::CONFIGURATION_ERROR, m));
    }
    let token_endpoint = v.token_endpoint.as_str().ok_or_else(|| {
        Error::config(code::CONFIGURATION_ERROR, "the discovery document has no usable \"token_endpoint\"")
    })?;
    let optional = |field, url: Option<&str>| url.map(|u| endpoint_at(field, u, domain_url)).transpose();
    Ok(Discovery {
        issuer: issuer.to_owned(),
        token_endpoint: endpoint_at("token_endpoint", token_endpoint, domain_url)?,
        jwks_uri: optional("jwks_uri", v.jwks_uri.as_str())?,
        end_session_endpoint: optional("end_session_endpoint", v.end_session_endpoint.as_str())?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: Option<&str> = Some("application/json; charset=utf-8");

    /// What the host makes of a body: JSON objects read into `T`, anything else not JSON.
    pub(crate) fn body<T: serde::de::DeserializeOwned>(text: &[u8]) -> Body<T> {
        if text.len() > MAX_BODY_BYTES {
            return Body::TooLarge;
        }
        crate::core::host_object(text).map_or(Body::NotJson, Body::Json)
    }

    fn ok(text: &str) -> Result<TokenResponse, Error> {
        token_success(body(text.as_bytes()))
    }

    fn failed(status: u16, ct: Option<&str>, text: &[u8]) -> (Error, bool) {
        token_error(status, ct, &body(text))
    }

    #[test]
    fn valid_response() {
        let r = ok(r#"{"access_token":"at","expires_in":86400,"scope":"openid","id_token":"a.b.c","refresh_token":"rt","issued_token_type":"urn:ietf:params:oauth:token-type:access_token","token_type":"Bearer","extra":{}}"#).unwrap();
        assert_eq!(r.access_token.expose(), "at");
        assert_eq!(r.expires_in, Some(86400));
        assert_eq!(r.scope.as_deref(), Some("openid"));
        assert_eq!(r.id_token.as_ref().unwrap().expose(), "a.b.c");
        assert_eq!(r.refresh_token.as_ref().unwrap().expose(), "rt");
        let r = ok(r#"{"access_token":"at","expires_in":"3600"}"#).unwrap();
        assert_eq!(
            (r.expires_in, r.token_type.as_str(), r.scope, r.id_token),
            (Some(3600), "Bearer", None, None)
        );
        // RFC 8693 §2.2.1: RECOMMENDED, not required (BEHAVIOUR.md §8.6).
        assert_eq!(ok(r#"{"access_token":"at"}"#).unwrap().expires_in, None);
        // The content type of a 200 is not checked; the body is.
        assert!(token_success::<()>(body(br#"{"access_token":"a","expires_in":0}"#)).is_ok());
    }

    #[test]
    fn network_reasons_by_code_then_by_words() {
        let r = |code: Option<&str>, message: Option<&str>| network_reason(code, message);
        assert_eq!(r(Some("ECONNREFUSED"), Some("fetch failed")), "network error: connection refused");
        assert_eq!(r(Some("ENOTFOUND"), None), "network error: DNS lookup failed");
        assert_eq!(r(Some("UND_ERR_SOCKET"), None), "network error: connection reset");
        assert_eq!(r(Some("CERT_HAS_EXPIRED"), None), "network error: TLS error (CERT_HAS_EXPIRED)");
        assert_eq!(
            r(Some("DEPTH_ZERO_SELF_SIGNED_CERT"), None),
            "network error: TLS error (DEPTH_ZERO_SELF_SIGNED_CERT)"
        );
        // Deno and workerd say it in words.
        assert_eq!(
            r(None, Some("error sending request: tcp connect error: Connection refused (os error 111)")),
            "network error: connection refused"
        );
        assert_eq!(r(None, Some("invalid peer certificate: UnknownIssuer")), "network error: TLS error");
        assert_eq!(
            r(None, Some("dns error: failed to lookup address information")),
            "network error: DNS lookup failed"
        );
        assert_eq!(r(None, Some("Network connection lost.")), "network error: connection reset");
        assert_eq!(r(None, Some("fetch failed")), "network error");
        assert_eq!(r(None, None), "network error");
        assert_eq!(r(None, Some("bad port\nmore")), "network error: bad port", "anything else, as said");
    }

    #[test]
    fn urls_in_messages_lose_query_and_fragment() {
        assert_eq!(url_for_message("https://t/oauth/token?x=secret#f"), "https://t/oauth/token");
        assert_eq!(url_for_message("https://t/a#f?x"), "https://t/a");
        assert_eq!(url_for_message("https://t/a"), "https://t/a");
    }

    #[test]
    fn invalid_200_responses() {
        for body in [
            "",
            "<html>",
            "[]",
            "null",
            "\"x\"",
            "{\"access_token\":\"at\"",
            "{}",
            r#"{"access_token":"","expires_in":1}"#,
            r#"{"access_token":5,"expires_in":1}"#,
            r#"{"expires_in":1}"#,
            r#"{"access_token":"a","expires_in":-1}"#,
            r#"{"access_token":"a","expires_in":1.5}"#,
            r#"{"access_token":"a","expires_in":"1h"}"#,
            r#"{"access_token":"a","expires_in":null}"#,
        ] {
            let e = ok(body).unwrap_err();
            assert_eq!((e.code(), e.kind()), ("invalid_response", ErrorKind::CustomTokenExchange), "{body}");
        }
        let big = vec![b' '; MAX_BODY_BYTES + 1];
        assert_eq!(token_success::<()>(body(&big)).unwrap_err().code(), "invalid_response");
        assert_eq!(token_success::<()>(Body::TooLarge).unwrap_err().code(), "invalid_response");
    }

    #[test]
    fn error_responses() {
        let (e, body_is_cause) = failed(
            400,
            Some("Application/JSON"),
            br#"{"error":"invalid_grant","error_description":"bad subject"}"#,
        );
        assert_eq!((e.code(), e.js_message(), e.http_status()), ("invalid_grant", "bad subject", Some(400)));
        assert!(body_is_cause);

        let (e, _) = failed(403, JSON, br#"{"error":7}"#);
        assert_eq!(
            (e.code(), e.js_message(), e.http_status()),
            ("token_exchange_failed", "Token exchange failed: HTTP 403", Some(403))
        );

        for (status, ct, text) in [
            (500, Some("text/html"), &b"<h1>oops</h1>"[..]),
            (502, None, b""),
            (302, Some("application/json"), b""),
            (400, Some("application/json"), b"{not json"),
            (401, Some("text/plain"), br#"{"error":"invalid_client"}"#),
        ] {
            let (e, body_is_cause) = failed(status, ct, text);
            assert_eq!((e.code(), e.http_status()), ("token_exchange_failed", Some(status)));
            assert!(!body_is_cause && e.source_cause().is_none());
        }
        let (e, _) = token_error(400, JSON, &Body::TooLarge);
        assert_eq!(e.code(), "token_exchange_failed");
    }

    #[test]
    fn discovery() {
        let doc = br#"{"issuer":"https://t.auth0.com/","token_endpoint":"https://t.auth0.com/oauth/token","jwks_uri":"https://t.auth0.com/.well-known/jwks.json"}"#;
        let d = parse_discovery("https://t.auth0.com", 200, body(doc)).unwrap();
        assert_eq!(d.token_endpoint, "https://t.auth0.com/oauth/token");
        assert_eq!(d.issuer, "https://t.auth0.com/");
        // Issuer without slash is the same issuer.
        let doc2 = br#"{"issuer":"https://t.auth0.com","token_endpoint":"https://t.auth0.com/oauth/token"}"#;
        assert_eq!(parse_discovery("https://t.auth0.com", 200, body(doc2)).unwrap().jwks_uri, None);

        let foreign =
            br#"{"issuer":"https://evil.example/","token_endpoint":"https://evil.example/oauth/token"}"#;
        let e = parse_discovery("https://t.auth0.com", 200, body(foreign)).unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::Configuration, "configuration_error"));
        let no_te = br#"{"issuer":"https://t.auth0.com/"}"#;
        assert_eq!(
            parse_discovery("https://t.auth0.com", 200, body(no_te)).unwrap_err().code(),
            "configuration_error"
        );
        // BEHAVIOUR.md §10.2: every endpoint https on the tenant's origin, else invalid_response naming it.
        let doc = |field: &str, url: &str| {
            let mut d = String::from(
                r#"{"issuer":"https://t.auth0.com/","token_endpoint":"https://t.auth0.com/oauth/token","#,
            );
            d.push_str(&serde_json::json!({ field: url }).to_string()[1..]);
            d
        };
        for field in ["token_endpoint", "jwks_uri", "end_session_endpoint"] {
            for bad in [
                "http://t.auth0.com/x",
                "https://evil.example/x",
                "https://t.auth0.com.evil.example/x",
                "https://t.auth0.com@evil.example/x",
                "https://user:pw@t.auth0.com/x",
                "https://t.auth0.com:8443/x",
                "https://t.auth0.com\\@evil.example/",
                "https://t.auth0.com%2eevil.example/",
                "https://t.auth0.com\t.evil/",
                "//t.auth0.com/x",
                "/oauth/token",
                "javascript:alert(1)",
            ] {
                let e = parse_discovery("https://t.auth0.com", 200, body(doc(field, bad).as_bytes()))
                    .unwrap_err();
                assert_eq!(
                    (e.kind(), e.code()),
                    (ErrorKind::CustomTokenExchange, "invalid_response"),
                    "{field} {bad}"
                );
                assert!(e.message().contains(field) && !e.message().contains("evil"), "{}", e.message());
            }
            for good in ["https://T.AUTH0.COM/x?y#z", "https://t.auth0.com:443/x", "https://t.auth0.com"] {
                assert!(
                    parse_discovery("https://t.auth0.com", 200, body(doc(field, good).as_bytes())).is_ok(),
                    "{good}"
                );
            }
        }
        let local = br#"{"issuer":"http://127.0.0.1:9/","token_endpoint":"http://127.0.0.1:9/oauth/token"}"#;
        assert!(parse_discovery("http://127.0.0.1:9", 200, body(local)).is_ok());

        for (status, text) in [(500, &b"{}"[..]), (200, b"<html>"), (200, b"[]")] {
            let e = parse_discovery("https://t.auth0.com", status, body(text)).unwrap_err();
            assert_eq!((e.kind(), e.code()), (ErrorKind::CustomTokenExchange, "token_exchange_failed"));
        }
    }
}
