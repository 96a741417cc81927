//! Building HTTP requests as plain values (BEHAVIOUR.md §2.3). The host layer sends them.

use super::encoding::{base64, base64url, form_body, form_urlencode};
use super::options::{ExchangeInput, SigningAlg};
use crate::error::Secret;
#[allow(unused_imports)]
use crate::prelude::*;
use serde::Serialize;

/// The `grant_type` of a token exchange (RFC 8693 §2.1).
pub const TOKEN_EXCHANGE_GRANT: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
/// The `client_assertion_type` of a `private_key_jwt` assertion (RFC 7523 §2.2).
pub const JWT_BEARER_ASSERTION: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A request ready to send: always `POST`, form-encoded, `Accept: application/json`.
/// The body and the `Authorization` header carry credentials and tokens: `Debug` shows neither.
#[derive(Clone, PartialEq)]
pub struct TokenRequest {
    /// The token endpoint.
    pub url: String,
    /// Extra headers besides `Content-Type` and `Accept` (`Authorization`, `Auth0-Client`).
    pub headers: Vec<(&'static str, String)>,
    /// The form-urlencoded body.
    pub body: String,
}

impl core::fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| *k).collect();
        f.debug_struct("TokenRequest")
            .field("url", &self.url)
            .field("headers", &names)
            .field("body", &"[redacted]")
            .finish()
    }
}

/// How the client proves itself at the token endpoint. `Debug` names the method only.
pub enum ClientAuth<'a> {
    /// `client_secret_basic`: the secret goes in an `Authorization: Basic` header.
    Basic(&'a Secret),
    /// `client_secret_post`: the secret goes in the body, as `client_secret`.
    Post(&'a Secret),
    /// A signed `private_key_jwt` assertion.
    Assertion(&'a str),
}

/// Credentials never print.
impl core::fmt::Debug for ClientAuth<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            ClientAuth::Basic(_) => "ClientAuth::Basic([redacted])",
            ClientAuth::Post(_) => "ClientAuth::Post([redacted])",
            ClientAuth::Assertion(_) => "ClientAuth::Assertion([redacted])",
        })
    }
}

/// The form of a token exchange for `input`, in BEHAVIOUR.md §2.3's order; [`token_request`] adds the
/// client authentication.
pub fn exchange_form(client_id: &str, input: &ExchangeInput) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = vec![
        ("grant_type".into(), TOKEN_EXCHANGE_GRANT.into()),
        ("client_id".into(), client_id.into()),
        ("subject_token".into(), input.subject_token.expose().into()),
        ("subject_token_type".into(), input.subject_token_type.clone()),
    ];
    // Plain pushes, not `extend` over mapped iterators (whose machinery is more wasm).
    for (name, values) in [("audience", &input.audience), ("scope", &input.scope)] {
        for v in values {
            form.push((name.into(), v.clone()));
        }
    }
    if let Some((token, ty)) = &input.actor {
        form.push(("actor_token".into(), token.expose().into()));
        form.push(("actor_token_type".into(), ty.clone()));
    }
    for v in &input.organization {
        form.push(("organization".into(), v.clone()));
    }
    if let Some(t) = &input.requested_token_type {
        form.push(("requested_token_type".into(), t.clone()));
    }
    for pair in &input.extras {
        form.push(pair.clone());
    }
    form
}

/// The form of a `refresh_token` grant (BEHAVIOUR.md §4).
pub fn refresh_form(client_id: &str, refresh_token: &Secret) -> Vec<(String, String)> {
    vec![
        ("grant_type".into(), "refresh_token".into()),
        ("client_id".into(), client_id.into()),
        ("refresh_token".into(), refresh_token.expose().into()),
    ]
}

/// Adds client authentication and headers to `form` and encodes it.
pub fn token_request(
    url: &str,
    client_id: &str,
    auth: ClientAuth<'_>,
    mut form: Vec<(String, String)>,
    telemetry: Option<&str>,
) -> TokenRequest {
    let mut headers = Vec::new();
    match auth {
        ClientAuth::Basic(secret) => {
            // RFC 6749 §2.3.1: each part form-urlencoded, then joined and base64-encoded.
            let mut creds = form_urlencode(client_id);
            creds.push(':');
            creds.push_str(&form_urlencode(secret.expose()));
            headers.push(("Authorization", "Basic ".to_owned() + &base64(creds.as_bytes())));
        }
        ClientAuth::Post(secret) => form.push(("client_secret".into(), secret.expose().into())),
        ClientAuth::Assertion(jwt) => {
            form.push(("client_assertion_type".into(), JWT_BEARER_ASSERTION.into()));
            form.push(("client_assertion".into(), jwt.into()));
        }
    }
    if let Some(t) = telemetry {
        headers.push(("Auth0-Client", t.to_owned()));
    }
    TokenRequest { url: url.to_owned(), headers, body: form_body(&form) }
}

/// The `Auth0-Client` header's JSON: `{"name":"auth0-edge","version":...,"env":{...}}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Telemetry<'a> {
    /// Always `auth0-edge`.
    pub name: &'a str,
    /// This crate's version.
    pub version: &'a str,
    /// Where the client runs.
    pub env: TelemetryEnv<'a>,
}

/// The `env` member of the [`Telemetry`] JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TelemetryEnv<'a> {
    /// A short name of the JavaScript runtime (`workerd`, `deno`, `node`, `browser`, `unknown`).
    pub runtime: &'a str,
}

/// The telemetry of this crate's version running in `runtime`.
pub fn telemetry(runtime: &str) -> Telemetry<'_> {
    Telemetry { name: "auth0-edge", version: env!("CARGO_PKG_VERSION"), env: TelemetryEnv { runtime } }
}

/// The `Auth0-Client` header value: base64url (no padding) of the [`Telemetry`] JSON text.
pub fn telemetry_header(json: &str) -> String {
    base64url(json.as_bytes())
}

/// The JOSE header of a `private_key_jwt` client assertion (RFC 7523).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssertionHeader {
    /// The JOSE name of the signing algorithm.
    pub alg: &'static str,
    /// Always `JWT`.
    pub typ: &'static str,
}

/// The claims of a `private_key_jwt` client assertion (RFC 7523 §3): iss = sub = the client id,
/// aud = the issuer, valid for 60 s from `now` (seconds), a random `jti`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssertionClaims<'a> {
    /// The client id.
    pub iss: &'a str,
    /// The client id.
    pub sub: &'a str,
    /// The tenant's issuer.
    pub aud: &'a str,
    /// Issued at: `now`, in seconds since the epoch.
    pub iat: u64,
    /// Not before: `now`.
    pub nbf: u64,
    /// Expiry, in seconds since the epoch.
    pub exp: u64,
    /// A random id, unique to this assertion.
    pub jti: &'a str,
}

/// The header and claims of a `private_key_jwt` assertion (BEHAVIOUR.md §2.3), signed with `alg`, for
/// `audience` (the issuer), issued at `now` (seconds), with the random id `jti`.
pub fn client_assertion<'a>(
    alg: SigningAlg,
    client_id: &'a str,
    audience: &'a str,
    now: u64,
    jti: &'a str,
) -> (AssertionHeader, AssertionClaims<'a>) {
    (
        AssertionHeader { alg: alg.name(), typ: "JWT" },
        AssertionClaims {
            iss: client_id,
            sub: client_id,
            aud: audience,
            iat: now,
            nbf: now,
            exp: now + 60,
            jti,
        },
    )
}

/// `base64url(header).base64url(payload)`: a JWS signing input from the two JSON texts.
pub fn signing_input(header_json: &str, payload_json: &str) -> String {
    let mut out = base64url(header_json.as_bytes());
    out.push('.');
    out.push_str(&base64url(payload_json.as_bytes()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encoding::base64url_decode;
    use serde_json::{json, Value};

    fn parse_bytes(b: &[u8]) -> Result<Value, serde_json::Error> {
        serde_json::from_slice(b)
    }
    use crate::core::options::{validate_exchange_options, CustomTokenExchangeOptions, Faults, ParamValue};

    fn input() -> ExchangeInput {
        let options = CustomTokenExchangeOptions {
            subject_token: " tok+en/=x ".into(),
            subject_token_type: "urn:acme:legacy-token".into(),
            audience: Some("https://api.example.com".into()),
            scope: Some("openid profile".into()),
            actor_token: Some("act".into()),
            actor_token_type: Some("urn:ietf:params:oauth:token-type:access_token".into()),
            organization: Some("org_1".into()),
            authorization_params: vec![
                ("custom_field".into(), ParamValue::Str("v".into())),
                ("client_id".into(), ParamValue::Str("evil".into())),
            ],
            ..Default::default()
        };
        validate_exchange_options(&options, &Faults::NONE).unwrap()
    }

    #[test]
    fn form_is_in_spec_order_and_tokens_are_untouched() {
        let form = exchange_form("my client", &input());
        let keys: Vec<&str> = form.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "grant_type",
                "client_id",
                "subject_token",
                "subject_token_type",
                "audience",
                "scope",
                "actor_token",
                "actor_token_type",
                "organization",
                "custom_field"
            ]
        );
        let req = token_request(
            "https://t/oauth/token",
            "my client",
            ClientAuth::Post(&"s3cr3t".into()),
            form,
            None,
        );
        assert_eq!(
            req.body,
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&client_id=my+client\
             &subject_token=+tok%2Ben%2F%3Dx+&subject_token_type=urn%3Aacme%3Alegacy-token\
             &audience=https%3A%2F%2Fapi.example.com&scope=openid+profile&actor_token=act\
             &actor_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token\
             &organization=org_1&custom_field=v&client_secret=s3cr3t"
        );
        assert!(req.headers.is_empty());
    }

    #[test]
    fn basic_auth_form_urlencodes_credentials_first() {
        let secret = Secret::new("a+b/c:d %");
        let req = token_request("u", "id:1", ClientAuth::Basic(&secret), vec![], None);
        // base64("id%3A1:a%2Bb%2Fc%3Ad+%25")
        assert_eq!(
            req.headers,
            vec![("Authorization", "Basic aWQlM0ExOmElMkJiJTJGYyUzQWQrJTI1".to_string())]
        );
        assert!(!req.body.contains("client_secret"));
    }

    #[test]
    fn assertion_params_and_claims() {
        let (header, claims) = client_assertion(SigningAlg::PS256, "cid", "http://127.0.0.1:1/", 1000, "j1");
        let input =
            signing_input(&serde_json::to_string(&header).unwrap(), &serde_json::to_string(&claims).unwrap());
        let (h, p) = input.split_once('.').unwrap();
        assert_eq!(parse_bytes(&base64url_decode(h).unwrap()).unwrap(), json!({"alg":"PS256","typ":"JWT"}));
        assert_eq!(
            parse_bytes(&base64url_decode(p).unwrap()).unwrap(),
            json!({"iss":"cid","sub":"cid","aud":"http://127.0.0.1:1/","iat":1000,"nbf":1000,"exp":1060,"jti":"j1"})
        );
        let req = token_request("u", "cid", ClientAuth::Assertion("h.p.s"), vec![], None);
        assert_eq!(
            req.body,
            "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=h.p.s"
        );
    }

    #[test]
    fn telemetry_is_base64url_json() {
        let t = telemetry_header(&serde_json::to_string(&telemetry("workerd")).unwrap());
        assert!(!t.contains('=') && !t.contains('+') && !t.contains('/'));
        let v = parse_bytes(&base64url_decode(&t).unwrap()).unwrap();
        assert_eq!(
            v,
            json!({"name":"auth0-edge","version":env!("CARGO_PKG_VERSION"),"env":{"runtime":"workerd"}})
        );
        let req = token_request("u", "c", ClientAuth::Post(&"s".into()), vec![], Some(&t));
        assert_eq!(req.headers, vec![("Auth0-Client", t.clone())]);
    }

    #[test]
    fn debug_never_shows_credentials_or_tokens() {
        let secret = Secret::new("CLIENT-SECRET-1");
        let form = exchange_form("cid", &input());
        let req =
            token_request("https://t/oauth/token", "cid", ClientAuth::Basic(&secret), form.clone(), None);
        let post = token_request("https://t/oauth/token", "cid", ClientAuth::Post(&secret), form, None);
        let basic_header = req.headers[0].1.clone();
        for d in [
            format!("{req:?}"),
            format!("{post:?}"),
            format!("{:?}", ClientAuth::Assertion("ASSERTION-JWT")),
            format!("{:?}", ClientAuth::Basic(&secret)),
            format!("{:?}", input()),
        ] {
            for leak in
                ["CLIENT-SECRET-1", basic_header.as_str(), "ASSERTION-JWT", "tok+en", "tok%2Ben", "act="]
            {
                assert!(!d.contains(leak), "{d} contains {leak}");
            }
        }
        assert!(format!("{req:?}").contains("Authorization"));
    }

    #[test]
    fn refresh_form_shape() {
        let f = refresh_form("c", &Secret::new("rt"));
        assert_eq!(form_body(&f), "grant_type=refresh_token&client_id=c&refresh_token=rt");
    }
}
