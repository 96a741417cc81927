//! Client options (BEHAVIOUR.md §1): the auth method, the signing algorithm, and the rules of the
//! `ServerClient` constructor, in order.

use super::{char_count, is_blank, parse_domain, DomainUrl, Faults};
use crate::core::encoding::pem_pkcs8_der;
use crate::error::{code, Error, Secret};
#[allow(unused_imports)]
use crate::prelude::*;
use js_sys::Function;
use wasm_bindgen::JsValue;

/// How the client authenticates at the token endpoint (BEHAVIOUR.md §1 `clientAuthMethod`, §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientAuthMethod {
    /// `client_secret_basic`: the id and secret in an HTTP Basic `Authorization` header
    /// (RFC 6749 §2.3.1).
    ClientSecretBasic,
    /// `client_secret_post`: `client_secret` in the form body.
    ClientSecretPost,
    /// `private_key_jwt`: a JWT signed with `clientAssertionSigningKey` (RFC 7523).
    PrivateKeyJwt,
}

impl ClientAuthMethod {
    /// Reads an OAuth name (`client_secret_basic`, ...); `None` for any other string.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "client_secret_basic" => Some(ClientAuthMethod::ClientSecretBasic),
            "client_secret_post" => Some(ClientAuthMethod::ClientSecretPost),
            "private_key_jwt" => Some(ClientAuthMethod::PrivateKeyJwt),
            _ => None,
        }
    }

    /// The OAuth name, as `clientAuthMethod` takes it.
    pub fn name(self) -> &'static str {
        match self {
            ClientAuthMethod::ClientSecretBasic => "client_secret_basic",
            ClientAuthMethod::ClientSecretPost => "client_secret_post",
            ClientAuthMethod::PrivateKeyJwt => "private_key_jwt",
        }
    }
}

/// A JWS algorithm: how client assertions are signed, and which ID token signatures are accepted
/// (BEHAVIOUR.md §1, §2.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigningAlg {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// ECDSA on P-256 with SHA-256.
    ES256,
}

impl SigningAlg {
    /// Reads a JOSE `alg` name, case-sensitively; `None` for any other string.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "RS256" => Some(SigningAlg::RS256),
            "PS256" => Some(SigningAlg::PS256),
            "ES256" => Some(SigningAlg::ES256),
            _ => None,
        }
    }

    /// The JOSE `alg` name.
    pub fn name(self) -> &'static str {
        match self {
            SigningAlg::RS256 => "RS256",
            SigningAlg::PS256 => "PS256",
            SigningAlg::ES256 => "ES256",
        }
    }
}

/// How the client signs `private_key_jwt` assertions.
#[derive(Clone)]
pub enum SigningKey {
    /// A PKCS#8 PEM private key (imported once, non-extractable).
    Pem(Secret),
    /// A WebCrypto `CryptoKey` with the `sign` usage.
    CryptoKey(JsValue),
}

impl core::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SigningKey([redacted])")
    }
}

/// Options of [`ServerClient::new`](crate::ServerClient::new) (BEHAVIOUR.md §1). `Default` leaves
/// everything unset.
#[derive(Clone, Debug, Default)]
pub struct ClientOptions {
    /// `tenant.eu.auth0.com` or `https://tenant.eu.auth0.com` (`http://` only for loopback).
    pub domain: String,
    /// Instead of `domain`: a JavaScript function of the store options answering the domain (or
    /// a Promise of it), called once per operation that needs the tenant (BEHAVIOUR.md §8.4: several
    /// custom domains of one tenant, one client). Needs `allowed_domains`.
    pub domain_resolver: Option<Function>,
    /// With `domain_resolver`, required: the tenant domains it may answer (each as `domain` is
    /// written; compared without case, trailing slash or default port). An answer outside the
    /// list is a `Configuration` error `domain_not_allowed` before any request, so a resolver fed
    /// a request's `Host` cannot send the client secret to a host the attacker chose (BEHAVIOUR.md §10.1).
    pub allowed_domains: Vec<String>,
    /// Where [`ServerClient::build_session_transfer_redirect`](crate::ServerClient::build_session_transfer_redirect)
    /// may send the browser: origins (`https://web.example.com`). Empty: any https origin (http
    /// only for loopback hosts).
    pub allowed_redirect_origins: Vec<String>,
    /// The application's client id.
    pub client_id: String,
    /// The client secret, for `client_secret_basic` or `client_secret_post`.
    pub client_secret: Option<Secret>,
    /// Default: basic with a secret, else `private_key_jwt` with a signing key.
    pub client_auth_method: Option<ClientAuthMethod>,
    /// For `private_key_jwt`: a PKCS#8 PEM or a WebCrypto `CryptoKey` that may sign.
    pub client_assertion_signing_key: Option<SigningKey>,
    /// Default RS256.
    pub client_assertion_signing_alg: Option<SigningAlg>,
    /// Session secrets: the first seals, each opens. At least 32 characters each.
    pub secret: Vec<Secret>,
    /// The session's name in the store and the sealing key's salt. Default `_a0_session`.
    pub state_identifier: Option<String>,
    /// Absolute session lifetime in seconds. Default 259200 (3 days).
    pub session_duration: Option<u64>,
    /// Per HTTP request (body included) and per store call, in ms. Default 5000.
    pub timeout_ms: Option<u32>,
    /// Send the `Auth0-Client` header. Default true.
    pub telemetry: Option<bool>,
    /// A `fetch` to use instead of `globalThis.fetch`.
    pub fetch: Option<Function>,
    /// A JavaScript object with `get`, `set` and `delete` (BEHAVIOUR.md §5), e.g. from
    /// [`crate::stores`]. Required by the session methods (without one they fail with
    /// `missing_state_store`); `custom_token_exchange` needs none.
    pub state_store: Option<JsValue>,
    /// Makes a refresh idempotent per refresh token across isolates and locations: a JavaScript
    /// object with `run(key, refresh)`, e.g. the package's `DurableObjectRefreshCoordinator`.
    /// Default: within this isolate only (concurrent calls share one refresh).
    pub refresh_coordinator: Option<JsValue>,
    /// When the coordinator fails before a refresh begins (unreachable, erroring): `true`
    /// refreshes within this isolate instead of failing with `refresh_token_error`, choosing
    /// availability over the cross-isolate guarantee (two isolates may then present one refresh
    /// token, and rotation revokes the grant). Default false.
    pub refresh_coordinator_fallback: Option<bool>,
    /// A DPoP key pair (RFC 9449): every token call (exchange, login, session transfer, refresh)
    /// then carries a proof signed with it and gets DPoP-bound tokens; a `Bearer` answer is
    /// `invalid_response` (BEHAVIOUR.md §12).
    pub dpop_key_pair: Option<DpopKeyPair>,
}

/// A DPoP key pair: WebCrypto keys of ECDSA P-256 (ES256) or RSA (RS256, PS256), the private one
/// with usage `sign` (it may be non-extractable), the public one as WebCrypto generates it
/// (always exportable). With JavaScript, `await crypto.subtle.generateKey({ name: "ECDSA",
/// namedCurve: "P-256" }, false, ["sign", "verify"])`; with Rust, [`crate::dpop::generate_key_pair`].
#[derive(Clone, Debug)]
pub struct DpopKeyPair {
    /// Signs the proofs.
    pub private_key: web_sys::CryptoKey,
    /// Goes in each proof's header; its JWK thumbprint is the tokens' `cnf.jkt`.
    pub public_key: web_sys::CryptoKey,
}

/// The default `stateIdentifier` (BEHAVIOUR.md §1).
pub const DEFAULT_STATE_IDENTIFIER: &str = "_a0_session";
/// The default `sessionDuration`, in seconds (BEHAVIOUR.md §1).
pub const DEFAULT_SESSION_DURATION: u64 = 259_200;
/// The default `timeoutMs`, per HTTP request (BEHAVIOUR.md §1).
pub const DEFAULT_TIMEOUT_MS: u32 = 5_000;
/// Fewest characters (Unicode scalar values) a session secret may have (BEHAVIOUR.md §1).
pub const MIN_SECRET_CHARS: usize = 32;

/// Validated client configuration.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// The tenant, or `None` when it is resolved per operation from the store options.
    pub domain: Option<DomainUrl>,
    /// The domains a resolved one must be (BEHAVIOUR.md §10.1); empty for a static `domain`.
    pub allowed_domains: Vec<DomainUrl>,
    /// The origins a session-transfer redirect may go to (BEHAVIOUR.md §10.3); empty: any https origin.
    pub allowed_redirect_origins: Vec<DomainUrl>,
    /// The client id, not blank.
    pub client_id: String,
    /// The client secret, or `None` when none (or an empty one) was given.
    pub client_secret: Option<Secret>,
    /// How the client authenticates; the credential it needs was given.
    pub auth_method: ClientAuthMethod,
    /// The algorithm of `private_key_jwt` assertions.
    pub signing_alg: SigningAlg,
    /// The first seals, each opens.
    pub secrets: Vec<Secret>,
    /// The session's key in the store, and the salt of its encryption key (BEHAVIOUR.md §3.5).
    pub state_identifier: String,
    /// The absolute session lifetime, in seconds.
    pub session_duration: u64,
    /// The deadline of each HTTP request, in milliseconds.
    pub timeout_ms: u32,
    /// Whether requests carry the `Auth0-Client` header (BEHAVIOUR.md §2.3).
    pub telemetry: bool,
}

pub(crate) fn invalid_option(message: &'static str) -> Error {
    Error::config(code::INVALID_OPTION, message)
}

/// An optional positive whole number no larger than `max`, `default` when not given.
pub(crate) fn positive_int<T: Copy + Into<f64>>(
    faults: &Faults,
    key: &str,
    v: Option<T>,
    max: f64,
    default: T,
    message: &'static str,
) -> Result<T, Error> {
    match v {
        _ if faults.has(key) => Err(invalid_option(message)),
        None => Ok(default),
        Some(n) if n.into() >= 1.0 && n.into() <= max => Ok(n),
        Some(_) => Err(invalid_option(message)),
    }
}

/// BEHAVIOUR.md §1, checked in this order: the options object, `domain`, `clientId`, `secret`, the
/// optional options' types, then the client credentials. `faults` are what a JavaScript
/// reader found (none for a Rust caller), each refused where its option's rule stands.
pub fn validate_client_options(o: &ClientOptions, faults: &Faults) -> Result<ClientConfig, Error> {
    validate_client(o, faults, true)
}

/// [`validate_client_options`], the session secret required only `with_sessions` (an
/// `ApiClient`'s token exchanges open no session).
pub(crate) fn validate_client(
    o: &ClientOptions,
    faults: &Faults,
    with_sessions: bool,
) -> Result<ClientConfig, Error> {
    if !faults.is_object() {
        return Err(invalid_option("ServerClient options must be an object"));
    }
    let resolver = o.domain_resolver.is_some();
    let domain = match () {
        _ if resolver => None,
        _ if faults.has("domain") || o.domain.is_empty() => {
            return Err(Error::config(
                code::INVALID_DOMAIN,
                "\"domain\" is required: a string, or a function of the store options returning one",
            ))
        }
        _ => Some(parse_domain(&o.domain)?),
    };
    // BEHAVIOUR.md §10.1: a resolver answers only domains of this list; an empty list is no list.
    let listed = |key: &'static str, list: &[String]| -> Result<Option<Vec<DomainUrl>>, ()> {
        if faults.has(key) {
            return Err(());
        }
        if list.is_empty() {
            return Ok(None);
        }
        list.iter().map(|d| parse_domain(d)).collect::<Result<Vec<_>, _>>().map(Some).map_err(|_| ())
    };
    let allowed_domains = match listed("allowedDomains", &o.allowed_domains) {
        Ok(None) if resolver => {
            return Err(Error::config(
                code::MISSING_ALLOWED_DOMAINS,
                "a \"domain\" function needs \"allowedDomains\": the tenant domains it may answer",
            ))
        }
        Ok(list) => list.unwrap_or_default(),
        Err(()) => {
            return Err(Error::config(
                code::INVALID_DOMAIN,
                "\"allowedDomains\" must be a non-empty array of tenant domains, each as \"domain\" is",
            ))
        }
    };
    // BEHAVIOUR.md §10.3: origins as `domain` is written (`https://app.example.com`, or a host name).
    let allowed_redirect_origins = listed("allowedRedirectOrigins", &o.allowed_redirect_origins)
        .map_err(|_| invalid_option("\"allowedRedirectOrigins\" must be a non-empty array of https origins"))?
        .unwrap_or_default();
    if faults.has("clientId") || is_blank(&o.client_id) {
        return Err(Error::config(
            code::MISSING_CLIENT_ID,
            "\"clientId\" is required and must be a non-blank string",
        ));
    }
    if with_sessions && faults.has("secret")
        || with_sessions && o.secret.is_empty()
        || o.secret.iter().any(|s| char_count(s.expose()) < MIN_SECRET_CHARS)
    {
        return Err(Error::config(
            code::INVALID_SECRET,
            "\"secret\" is required: at least one secret, each of at least 32 characters",
        ));
    }
    let state_identifier = match &o.state_identifier {
        _ if faults.has("stateIdentifier") => None,
        None => Some(DEFAULT_STATE_IDENTIFIER),
        Some(s) if !is_blank(s) && s.len() <= 256 => Some(s.as_str()),
        Some(_) => None,
    }
    .ok_or_else(|| invalid_option("\"stateIdentifier\" must be a non-blank string of at most 256 bytes"))?;
    let message = "\"sessionDuration\" must be a positive whole number of seconds";
    let duration = o.session_duration.map(|n| n as f64);
    let session_duration =
        positive_int(faults, "sessionDuration", duration, 1e10, DEFAULT_SESSION_DURATION as f64, message)?;
    let message = "\"timeoutMs\" must be a positive whole number of milliseconds";
    let timeout_ms =
        positive_int(faults, "timeoutMs", o.timeout_ms, 2_147_483_647.0, DEFAULT_TIMEOUT_MS, message)?;
    if faults.has("telemetry") {
        return Err(invalid_option("\"telemetry\" must be a boolean"));
    }
    if faults.has("fetch") {
        return Err(invalid_option("\"fetch\" must be a function"));
    }
    if faults.has("stateStore") {
        return Err(invalid_option("\"stateStore\" must be an object with get, set and delete methods"));
    }
    if faults.has("refreshCoordinatorFallback") {
        return Err(invalid_option("\"refreshCoordinatorFallback\" must be a boolean"));
    }
    if faults.has("dpopKeyPair") {
        return Err(invalid_option(
            "\"dpopKeyPair\" must be a CryptoKeyPair: ECDSA P-256 (ES256) or RSA (RS256, PS256) keys, the private key with usage \"sign\"",
        ));
    }
    if faults.has("refreshCoordinator") {
        return Err(invalid_option(
            "\"refreshCoordinator\" must be an object with a run(key, refresh) method",
        ));
    }
    if faults.has("clientAssertionSigningAlg") {
        return Err(invalid_option("\"clientAssertionSigningAlg\" must be RS256, PS256 or ES256"));
    }
    if faults.has("clientAssertionSigningKey") {
        return Err(invalid_option(
            "\"clientAssertionSigningKey\" must be a CryptoKey or a PKCS#8 PEM string",
        ));
    }
    if faults.has("clientSecret") {
        return Err(invalid_option("\"clientSecret\" must be a string"));
    }
    let client_secret = o.client_secret.clone().filter(|s| !s.expose().is_empty());
    let has_key = o.client_assertion_signing_key.is_some();
    if faults.has("clientAuthMethod") {
        return Err(invalid_option(
            "\"clientAuthMethod\" must be client_secret_basic, client_secret_post or private_key_jwt",
        ));
    }
    let auth_method = match o.client_auth_method {
        Some(m) => m,
        None if client_secret.is_some() => ClientAuthMethod::ClientSecretBasic,
        None if has_key => ClientAuthMethod::PrivateKeyJwt,
        None => {
            return Err(Error::config(
                code::MISSING_CLIENT_CREDENTIALS,
                "a \"clientSecret\" or a \"clientAssertionSigningKey\" is required",
            ))
        }
    };
    match auth_method {
        ClientAuthMethod::PrivateKeyJwt if !has_key => {
            return Err(Error::config(
                code::MISSING_CLIENT_CREDENTIALS,
                "\"clientAuthMethod\" private_key_jwt needs \"clientAssertionSigningKey\"",
            ))
        }
        ClientAuthMethod::ClientSecretBasic | ClientAuthMethod::ClientSecretPost
            if client_secret.is_none() =>
        {
            return Err(Error::config(
                code::MISSING_CLIENT_CREDENTIALS,
                "\"clientAuthMethod\" client_secret_basic and client_secret_post need \"clientSecret\"",
            ))
        }
        _ => {}
    }
    if let Some(SigningKey::Pem(pem)) = &o.client_assertion_signing_key {
        if pem_pkcs8_der(pem.expose()).is_none() {
            return Err(invalid_option(
                "\"clientAssertionSigningKey\" must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----) or a CryptoKey",
            ));
        }
    }
    Ok(ClientConfig {
        domain,
        allowed_domains,
        allowed_redirect_origins,
        client_id: o.client_id.clone(),
        client_secret,
        auth_method,
        signing_alg: o.client_assertion_signing_alg.unwrap_or(SigningAlg::RS256),
        secrets: o.secret.clone(),
        state_identifier: state_identifier.to_owned(),
        session_duration: session_duration as u64,
        timeout_ms,
        telemetry: o.telemetry.unwrap_or(true),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::client;
    use super::super::Fault;
    use super::*;

    #[test]
    fn domains() {
        let ok = [
            ("tenant.eu.auth0.com", "https://tenant.eu.auth0.com", "tenant.eu.auth0.com"),
            ("https://Tenant.auth0.com/", "https://tenant.auth0.com", "tenant.auth0.com"),
            ("HTTPS://t.auth0.com:8443", "https://t.auth0.com:8443", "t.auth0.com:8443"),
            ("http://127.0.0.1:3000/", "http://127.0.0.1:3000", "127.0.0.1:3000"),
            ("http://localhost:1", "http://localhost:1", "localhost:1"),
            ("Http://LocalHost:3000/", "http://localhost:3000", "localhost:3000"),
            ("HTTP://[::1]", "http://[::1]", "[::1]"),
            ("https://[2001:DB8::1]:443", "https://[2001:db8::1]:443", "[2001:db8::1]:443"),
            ("http://[::1]:8080", "http://[::1]:8080", "[::1]:8080"),
            ("http://127.255.0.9", "http://127.255.0.9", "127.255.0.9"),
        ];
        for (input, url, host) in ok {
            let d = parse_domain(input).unwrap();
            assert_eq!((d.url.as_str(), d.host.as_str()), (url, host), "{input}");
        }
        let bad = [
            "",
            "/",
            "https://",
            "http://tenant.auth0.com",
            "http://128.0.0.1",
            "http://127.0.0.256",
            "http://127.0.1",
            "http://127.0.0.1.2",
            "http://127.0.0.0001",
            "ftp://x.com",
            "https://x.com/path",
            "https://user@x.com",
            "x.com?q",
            "x.com#f",
            "x .com",
            "https://x.com:0",
            "https://x.com:65536",
            "https://x.com:",
            "-x.com",
            "x..com",
            "http://localhost.evil.com",
            "https://[zz]",
            "x.com//",
        ];
        for input in bad {
            assert_eq!(parse_domain(input).unwrap_err().code(), "invalid_domain", "{input:?}");
        }
    }

    #[test]
    fn client_options() {
        let c = validate_client_options(&client("t.auth0.com"), &Faults::NONE).unwrap();
        assert_eq!(c.auth_method, ClientAuthMethod::ClientSecretBasic);
        assert_eq!(c.state_identifier, "_a0_session");
        assert_eq!(c.session_duration, 259_200);
        assert_eq!(c.timeout_ms, 5_000);
        assert!(c.telemetry);

        let wrong = |key: &'static str| {
            Box::new(move |_: &mut ClientOptions, f: &mut Faults| f.note(key, Fault::WrongType))
        };
        type Case = (Box<dyn Fn(&mut ClientOptions, &mut Faults)>, &'static str);
        let cases: Vec<Case> = vec![
            (Box::new(|_, f| *f = Faults::not_object()), "invalid_option"),
            (Box::new(|r, _| r.domain = String::new()), "invalid_domain"),
            (wrong("domain"), "invalid_domain"),
            (Box::new(|r, _| r.client_id = " ".into()), "missing_client_id"),
            (wrong("clientId"), "missing_client_id"),
            (Box::new(|r, _| r.secret = vec![]), "invalid_secret"),
            (Box::new(|r, _| r.secret = vec![Secret::new("x".repeat(31))]), "invalid_secret"),
            (wrong("secret"), "invalid_secret"),
            (
                Box::new(|r, _| r.secret = vec![Secret::new("x".repeat(32)), Secret::new("short")]),
                "invalid_secret",
            ),
            (Box::new(|r, _| r.client_secret = None), "missing_client_credentials"),
            (Box::new(|r, _| r.client_secret = Some("".into())), "missing_client_credentials"),
            (wrong("clientSecret"), "invalid_option"),
            (wrong("clientAuthMethod"), "invalid_option"),
            (
                Box::new(|r, _| r.client_auth_method = Some(ClientAuthMethod::PrivateKeyJwt)),
                "missing_client_credentials",
            ),
            (Box::new(|r, _| r.timeout_ms = Some(0)), "invalid_option"),
            (Box::new(|r, _| r.timeout_ms = Some(1 << 31)), "invalid_option"),
            (wrong("timeoutMs"), "invalid_option"),
            (wrong("sessionDuration"), "invalid_option"),
            (Box::new(|r, _| r.session_duration = Some(10_000_000_001)), "invalid_option"),
            (Box::new(|r, _| r.state_identifier = Some("".into())), "invalid_option"),
            (wrong("telemetry"), "invalid_option"),
            (wrong("fetch"), "invalid_option"),
            (wrong("stateStore"), "invalid_option"),
            (wrong("clientAssertionSigningAlg"), "invalid_option"),
            (wrong("allowedRedirectOrigins"), "invalid_option"),
            (Box::new(|r, _| r.allowed_redirect_origins = vec!["ftp://x".into()]), "invalid_option"),
        ];
        for (i, (mutate, expected)) in cases.iter().enumerate() {
            let (mut r, mut f) = (client("t.auth0.com"), Faults::NONE);
            mutate(&mut r, &mut f);
            let err = validate_client_options(&r, &f).unwrap_err();
            assert_eq!(err.code(), *expected, "case {i}");
            assert_eq!(err.kind(), crate::error::ErrorKind::Configuration);
            // Every fault fails some rule, with the same error: what the binding relies on.
            let rejected = f.reject(|f| validate_client_options(&r, f)).map_err(|e| e.code().to_owned());
            assert_eq!(rejected, if f.is_empty() { Ok(()) } else { Err((*expected).to_owned()) }, "case {i}");
        }
        // 32 characters, not bytes: 32 multi-byte characters pass.
        let mut r = client("t.auth0.com");
        r.secret = vec![Secret::new("é".repeat(32))];
        assert!(validate_client_options(&r, &Faults::NONE).is_ok());
        // private_key_jwt is inferred from a key without a secret.
        let mut r = client("t.auth0.com");
        r.client_secret = None;
        r.client_assertion_signing_key = Some(SigningKey::CryptoKey(JsValue::UNDEFINED));
        let c = validate_client_options(&r, &Faults::NONE).unwrap();
        assert_eq!(c.auth_method, ClientAuthMethod::PrivateKeyJwt);
        // A PEM that is not PKCS#8 is refused when the client is built.
        r.client_assertion_signing_key =
            Some(SigningKey::Pem(Secret::new("-----BEGIN RSA PRIVATE KEY-----")));
        assert_eq!(validate_client_options(&r, &Faults::NONE).unwrap_err().code(), "invalid_option");
    }

    #[test]
    fn a_resolver_needs_allowed_domains_each_a_domain() {
        use wasm_bindgen::JsCast;
        let mut r = client("t.auth0.com");
        r.domain = String::new();
        r.domain_resolver = Some(JsValue::UNDEFINED.unchecked_into());
        let code =
            |r: &ClientOptions, f: &Faults| validate_client_options(r, f).unwrap_err().code().to_owned();
        assert_eq!(code(&r, &Faults::NONE), "missing_allowed_domains");
        for bad in [vec!["http://evil.example".to_owned()], vec!["a.example".into(), "x/y".into()]] {
            r.allowed_domains = bad;
            assert_eq!(code(&r, &Faults::NONE), "invalid_domain");
        }
        // What JavaScript passes as `[]`, or not as an array, is a fault.
        let mut f = Faults::NONE;
        f.note("allowedDomains", Fault::WrongType);
        assert_eq!(code(&r, &f), "invalid_domain");
        r.allowed_domains = vec!["Login.Example.com".into(), "https://t.auth0.com:443/".into()];
        let c = validate_client_options(&r, &Faults::NONE).unwrap();
        let listed = |d: &str| c.allowed_domains.iter().any(|a| a.same_tenant(&parse_domain(d).unwrap()));
        for ok in
            ["login.example.com", "https://LOGIN.example.com/", "t.auth0.com", "https://t.auth0.com:443"]
        {
            assert!(listed(ok), "{ok}");
        }
        for no in
            ["evil.example", "login.example.com:8443", "t.auth0.com.evil.example", "http://127.0.0.1:443"]
        {
            assert!(!listed(no), "{no}");
        }
        // A static domain needs no list.
        let c = validate_client_options(&client("t.auth0.com"), &Faults::NONE).unwrap();
        assert!(c.allowed_domains.is_empty());
    }
}
