//! Reading responses (SPEC §2.2, §2.4): pure functions of status, content type and body bytes.

use super::json::{self, int_of_number_text, Value};
use crate::error::{code, push_u64, Cause, Error, ErrorKind, Secret};
#[allow(unused_imports)]
use crate::prelude::*;

/// Largest body read from the authorization server (SPEC §2.4).
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// What the host read of a response body.
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    Bytes(&'a [u8]),
    /// Over [`MAX_BODY_BYTES`], by `Content-Length` or by bytes read: not read further.
    TooLarge,
}

impl<'a> Body<'a> {
    fn bytes(self) -> Option<&'a [u8]> {
        match self {
            Body::Bytes(b) if b.len() <= MAX_BODY_BYTES => Some(b),
            _ => None,
        }
    }
}

/// A successful token endpoint response (SPEC §2.4): the result of a token exchange.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenResponse {
    pub access_token: Secret,
    pub token_type: String,
    pub expires_in: u64,
    pub scope: Option<String>,
    pub id_token: Option<Secret>,
    pub refresh_token: Option<Secret>,
    pub issued_token_type: Option<String>,
    /// The `act` claim of the verified ID token, when an actor token was sent (SPEC §2.5).
    /// Never read from the response itself: the client fills it after verification.
    pub act: Option<Value>,
}

fn is_json_content_type(ct: Option<&str>) -> bool {
    ct.is_some_and(|ct| super::options::contains_bytes(ct.as_bytes(), b"application/json"))
}

fn http_failed(status: u16) -> String {
    let mut m = String::from("Token exchange failed: HTTP ");
    push_u64(&mut m, u64::from(status));
    m
}

fn invalid_response(message: &'static str) -> Error {
    Error::exchange(code::INVALID_RESPONSE, message)
}

/// A non-empty string member, as a secret.
fn secret_at(v: &Value, key: &str) -> Option<Secret> {
    v.str_at(key).filter(|s| !s.is_empty()).map(Secret::new)
}

/// SPEC §2.4's table. `kind` is the error family for failures: `CustomTokenExchangeError` for an
/// exchange; the refresh path maps its own.
pub fn parse_token_response(
    status: u16,
    content_type: Option<&str>,
    body: Body<'_>,
) -> Result<TokenResponse, Error> {
    if status != 200 {
        let parsed = body
            .bytes()
            .filter(|_| is_json_content_type(content_type))
            .and_then(|b| json::parse_bytes(b).ok());
        return Err(match parsed {
            Some(v) => {
                let message = match v.str_at("error_description") {
                    Some(d) => d.to_owned(),
                    None => http_failed(status),
                };
                let err = match v.str_at("error") {
                    Some(c) => Error::with_code(ErrorKind::CustomTokenExchange, c.to_owned(), message),
                    None => Error::exchange(code::TOKEN_EXCHANGE_FAILED, message),
                };
                err.status(status).cause(Cause::Body(v))
            }
            None => Error::exchange(code::TOKEN_EXCHANGE_FAILED, http_failed(status)).status(status),
        });
    }
    let bytes = body.bytes().ok_or_else(|| invalid_response("the token response is larger than 1 MiB"))?;
    let v = json::parse_bytes(bytes).map_err(|_| invalid_response("the token response is not JSON"))?;
    if !v.is_object() {
        return Err(invalid_response("the token response is not a JSON object"));
    }
    let access_token = secret_at(&v, "access_token").ok_or_else(|| {
        invalid_response("the token response's \"access_token\" must be a non-empty string")
    })?;
    let expires_in = match v.get("expires_in") {
        Some(n @ Value::Num(_)) => n.as_int(),
        Some(Value::Str(s)) => int_of_number_text(s, false),
        _ => None,
    }
    .filter(|n| *n >= 0)
    .ok_or_else(|| invalid_response("the token response's \"expires_in\" must be a non-negative integer"))?;
    Ok(TokenResponse {
        access_token,
        token_type: v.str_at("token_type").unwrap_or("Bearer").to_owned(),
        expires_in: expires_in as u64,
        scope: v.str_at("scope").map(str::to_owned),
        id_token: secret_at(&v, "id_token"),
        refresh_token: secret_at(&v, "refresh_token"),
        issued_token_type: v.str_at("issued_token_type").map(str::to_owned),
        act: None,
    })
}

/// What OIDC discovery told us (SPEC §2.2).
#[derive(Clone, Debug, PartialEq)]
pub struct Discovery {
    pub issuer: String,
    pub token_endpoint: String,
    pub jwks_uri: Option<String>,
}

fn discovery_failed(message: &'static str) -> Error {
    Error::exchange(code::TOKEN_EXCHANGE_FAILED, message)
}

fn is_http_url(s: &str, allow_http: bool) -> bool {
    let lower = s.get(..8).map(str::to_ascii_lowercase).unwrap_or_default();
    lower.starts_with("https://") || (allow_http && lower.starts_with("http://"))
}

/// Reads a discovery document fetched from `domain_url` (`https://host`, no trailing slash).
/// HTTP or JSON failures are `token_exchange_failed`; a foreign `issuer` or a missing
/// `token_endpoint` is a tenant misconfiguration: `configuration_error`.
pub fn parse_discovery(domain_url: &str, status: u16, body: Body<'_>) -> Result<Discovery, Error> {
    if status != 200 {
        return Err(discovery_failed("OIDC discovery failed: the server did not answer 200").status(status));
    }
    let bytes = body
        .bytes()
        .ok_or_else(|| discovery_failed("OIDC discovery failed: the document is larger than 1 MiB"))?;
    let v = json::parse_bytes(bytes)
        .map_err(|_| discovery_failed("OIDC discovery failed: the document is not JSON"))?;
    if !v.is_object() {
        return Err(discovery_failed("OIDC discovery failed: the document is not a JSON object"));
    }
    let issuer = v.str_at("issuer").unwrap_or("");
    if issuer.strip_suffix('/').unwrap_or(issuer) != domain_url {
        return Err(Error::config(
            code::CONFIGURATION_ERROR,
            "the discovered \"issuer\" does not match \"domain\" (RFC 8414 §3.3)",
        ));
    }
    let allow_http = domain_url.starts_with("http://");
    let token_endpoint =
        v.str_at("token_endpoint").filter(|u| is_http_url(u, allow_http)).ok_or_else(|| {
            Error::config(
                code::CONFIGURATION_ERROR,
                "the discovery document has no usable \"token_endpoint\"",
            )
        })?;
    Ok(Discovery {
        issuer: issuer.to_owned(),
        token_endpoint: token_endpoint.to_owned(),
        jwks_uri: v.str_at("jwks_uri").filter(|u| is_http_url(u, allow_http)).map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: Option<&str> = Some("application/json; charset=utf-8");

    fn ok(body: &str) -> Result<TokenResponse, Error> {
        parse_token_response(200, JSON, Body::Bytes(body.as_bytes()))
    }

    #[test]
    fn valid_response() {
        let r = ok(r#"{"access_token":"at","expires_in":86400,"scope":"openid","id_token":"a.b.c","refresh_token":"rt","issued_token_type":"urn:ietf:params:oauth:token-type:access_token","token_type":"Bearer","extra":{}}"#).unwrap();
        assert_eq!(r.access_token.expose(), "at");
        assert_eq!(r.expires_in, 86400);
        assert_eq!(r.scope.as_deref(), Some("openid"));
        assert_eq!(r.id_token.as_ref().unwrap().expose(), "a.b.c");
        assert_eq!(r.refresh_token.as_ref().unwrap().expose(), "rt");
        let r = ok(r#"{"access_token":"at","expires_in":"3600"}"#).unwrap();
        assert_eq!((r.expires_in, r.token_type.as_str(), r.scope, r.id_token), (3600, "Bearer", None, None));
        // The content type of a 200 is not checked; the body is.
        assert!(parse_token_response(
            200,
            Some("text/plain"),
            Body::Bytes(br#"{"access_token":"a","expires_in":0}"#)
        )
        .is_ok());
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
            r#"{"access_token":"a"}"#,
            r#"{"access_token":"a","expires_in":-1}"#,
            r#"{"access_token":"a","expires_in":1.5}"#,
            r#"{"access_token":"a","expires_in":"1h"}"#,
            r#"{"access_token":"a","expires_in":null}"#,
        ] {
            let e = ok(body).unwrap_err();
            assert_eq!((e.code(), e.kind()), ("invalid_response", ErrorKind::CustomTokenExchange), "{body}");
        }
        let big = vec![b' '; MAX_BODY_BYTES + 1];
        assert_eq!(
            parse_token_response(200, JSON, Body::Bytes(&big)).unwrap_err().code(),
            "invalid_response"
        );
        assert_eq!(parse_token_response(200, JSON, Body::TooLarge).unwrap_err().code(), "invalid_response");
    }

    #[test]
    fn error_responses() {
        let e = parse_token_response(
            400,
            Some("Application/JSON"),
            Body::Bytes(br#"{"error":"invalid_grant","error_description":"bad subject"}"#),
        )
        .unwrap_err();
        assert_eq!((e.code(), e.message(), e.http_status()), ("invalid_grant", "bad subject", Some(400)));
        assert!(matches!(e.source_cause(), Some(Cause::Body(_))));

        let e = parse_token_response(403, JSON, Body::Bytes(br#"{"error":7}"#)).unwrap_err();
        assert_eq!(
            (e.code(), e.message(), e.http_status()),
            ("token_exchange_failed", "Token exchange failed: HTTP 403", Some(403))
        );

        for (status, ct, body) in [
            (500, Some("text/html"), &b"<h1>oops</h1>"[..]),
            (502, None, b""),
            (302, Some("application/json"), b""),
            (400, Some("application/json"), b"{not json"),
            (401, Some("text/plain"), br#"{"error":"invalid_client"}"#),
        ] {
            let e = parse_token_response(status, ct, Body::Bytes(body)).unwrap_err();
            assert_eq!((e.code(), e.http_status()), ("token_exchange_failed", Some(status)));
            assert!(e.source_cause().is_none());
        }
        let e = parse_token_response(400, JSON, Body::TooLarge).unwrap_err();
        assert_eq!(e.code(), "token_exchange_failed");
    }

    #[test]
    fn discovery() {
        let doc = br#"{"issuer":"https://t.auth0.com/","token_endpoint":"https://t.auth0.com/oauth/token","jwks_uri":"https://t.auth0.com/.well-known/jwks.json"}"#;
        let d = parse_discovery("https://t.auth0.com", 200, Body::Bytes(doc)).unwrap();
        assert_eq!(d.token_endpoint, "https://t.auth0.com/oauth/token");
        assert_eq!(d.issuer, "https://t.auth0.com/");
        // Issuer without slash is the same issuer.
        let doc2 = br#"{"issuer":"https://t.auth0.com","token_endpoint":"https://t.auth0.com/oauth/token"}"#;
        assert_eq!(parse_discovery("https://t.auth0.com", 200, Body::Bytes(doc2)).unwrap().jwks_uri, None);

        let foreign =
            br#"{"issuer":"https://evil.example/","token_endpoint":"https://evil.example/oauth/token"}"#;
        let e = parse_discovery("https://t.auth0.com", 200, Body::Bytes(foreign)).unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::Configuration, "configuration_error"));
        let no_te = br#"{"issuer":"https://t.auth0.com/"}"#;
        assert_eq!(
            parse_discovery("https://t.auth0.com", 200, Body::Bytes(no_te)).unwrap_err().code(),
            "configuration_error"
        );
        let http_te =
            br#"{"issuer":"https://t.auth0.com/","token_endpoint":"http://t.auth0.com/oauth/token"}"#;
        assert_eq!(
            parse_discovery("https://t.auth0.com", 200, Body::Bytes(http_te)).unwrap_err().code(),
            "configuration_error"
        );
        let local = br#"{"issuer":"http://127.0.0.1:9/","token_endpoint":"http://127.0.0.1:9/oauth/token"}"#;
        assert!(parse_discovery("http://127.0.0.1:9", 200, Body::Bytes(local)).is_ok());

        for (status, body) in [(500, &b"{}"[..]), (200, b"<html>"), (200, b"[]")] {
            let e = parse_discovery("https://t.auth0.com", status, Body::Bytes(body)).unwrap_err();
            assert_eq!((e.kind(), e.code()), (ErrorKind::CustomTokenExchange, "token_exchange_failed"));
        }
    }
}
