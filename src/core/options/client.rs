//! Client options (SPEC §1): the auth method, the signing algorithm, and the rules of the
//! `ServerClient` constructor, in order.

use super::{char_count, is_blank, parse_domain, DomainUrl, Input};
use crate::error::{code, Error, Secret};
#[allow(unused_imports)]
use crate::prelude::*;

/// How the client authenticates at the token endpoint (SPEC §1 `clientAuthMethod`, §2.3).
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
/// (SPEC §1, §2.5).
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

/// The client options as given (SPEC §1), before validation. Host objects (`fetch`, the store,
/// a `CryptoKey`) are checked by the host layer; here only whether they were given.
#[derive(Clone, Debug)]
pub struct RawClientOptions {
    /// False when the options argument itself is not an object.
    pub is_object: bool,
    /// `domain`, when a string (ignored when `domain_resolver` is set).
    pub domain: Input,
    /// `domain` is a function of the store options, resolved per operation (SPEC §8.4).
    pub domain_resolver: bool,
    /// `allowedDomains`: the domains a resolver may answer (SPEC §10.1).
    pub allowed_domains: Input<Vec<String>>,
    /// `allowedRedirectOrigins`: where session-transfer redirects may go (SPEC §10.3).
    pub allowed_redirect_origins: Input<Vec<String>>,
    /// `clientId`.
    pub client_id: Input,
    /// `clientSecret`; an empty string counts as absent.
    pub client_secret: Input<Secret>,
    /// `clientAuthMethod`, by its OAuth name.
    pub client_auth_method: Input,
    /// Given when a `CryptoKey` or a PEM string was passed.
    pub client_assertion_signing_key: Input<()>,
    /// `clientAssertionSigningAlg`, by its JOSE name.
    pub client_assertion_signing_alg: Input,
    /// One or several session secrets.
    pub secret: Input<Vec<Secret>>,
    /// `stateIdentifier`.
    pub state_identifier: Input,
    /// `sessionDuration`, in seconds.
    pub session_duration: Input<f64>,
    /// `timeoutMs`, in milliseconds.
    pub timeout_ms: Input<f64>,
    /// `telemetry`.
    pub telemetry: Input<bool>,
    /// `fetch` and `stateStore`: given with the right shape, absent, or wrong.
    pub fetch: Input<()>,
    /// `stateStore`, as `fetch` above.
    pub state_store: Input<()>,
}

impl Default for RawClientOptions {
    fn default() -> Self {
        RawClientOptions {
            is_object: true,
            domain: Input::Absent,
            domain_resolver: false,
            allowed_domains: Input::Absent,
            allowed_redirect_origins: Input::Absent,
            client_id: Input::Absent,
            client_secret: Input::Absent,
            client_auth_method: Input::Absent,
            client_assertion_signing_key: Input::Absent,
            client_assertion_signing_alg: Input::Absent,
            secret: Input::Absent,
            state_identifier: Input::Absent,
            session_duration: Input::Absent,
            timeout_ms: Input::Absent,
            telemetry: Input::Absent,
            fetch: Input::Absent,
            state_store: Input::Absent,
        }
    }
}

/// The default `stateIdentifier` (SPEC §1).
pub const DEFAULT_STATE_IDENTIFIER: &str = "_a0_session";
/// The default `sessionDuration`, in seconds (SPEC §1).
pub const DEFAULT_SESSION_DURATION: u64 = 259_200;
/// The default `timeoutMs`, per HTTP request (SPEC §1).
pub const DEFAULT_TIMEOUT_MS: u32 = 5_000;
/// Fewest characters (Unicode scalar values) a session secret may have (SPEC §1).
pub const MIN_SECRET_CHARS: usize = 32;

/// Validated client configuration.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// The tenant, or `None` when it is resolved per operation from the store options.
    pub domain: Option<DomainUrl>,
    /// The domains a resolved one must be (SPEC §10.1); empty for a static `domain`.
    pub allowed_domains: Vec<DomainUrl>,
    /// The origins a session-transfer redirect may go to (SPEC §10.3); empty: any https origin.
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
    /// The session's key in the store, and the salt of its encryption key (SPEC §3.5).
    pub state_identifier: String,
    /// The absolute session lifetime, in seconds.
    pub session_duration: u64,
    /// The deadline of each HTTP request, in milliseconds.
    pub timeout_ms: u32,
    /// Whether requests carry the `Auth0-Client` header (SPEC §2.3).
    pub telemetry: bool,
}

fn invalid_option(message: &'static str) -> Error {
    Error::config(code::INVALID_OPTION, message)
}

/// A positive whole number no larger than `max`.
fn positive_int(v: &Input<f64>, max: f64, default: f64, message: &'static str) -> Result<f64, Error> {
    match v {
        Input::Absent => Ok(default),
        Input::Given(n) if n.is_finite() && *n >= 1.0 && *n <= max && *n == (*n as u64) as f64 => Ok(*n),
        _ => Err(invalid_option(message)),
    }
}

/// SPEC §1, checked in this order: the options object, `domain`, `clientId`, `secret`, the
/// optional options' types, then the client credentials.
pub fn validate_client_options(raw: &RawClientOptions) -> Result<ClientConfig, Error> {
    if !raw.is_object {
        return Err(invalid_option("ServerClient options must be an object"));
    }
    let domain = match &raw.domain {
        _ if raw.domain_resolver => None,
        Input::Given(d) => Some(parse_domain(d)?),
        _ => {
            return Err(Error::config(
                code::INVALID_DOMAIN,
                "\"domain\" is required: a string, or a function of the store options returning one",
            ))
        }
    };
    // SPEC §10.1: a resolver answers only domains of this list.
    let allowed_domains = match &raw.allowed_domains {
        Input::Absent if raw.domain_resolver => {
            return Err(Error::config(
                code::MISSING_ALLOWED_DOMAINS,
                "a \"domain\" function needs \"allowedDomains\": the tenant domains it may answer",
            ))
        }
        Input::Absent => Vec::new(),
        Input::Given(list) if !list.is_empty() => {
            list.iter().map(|d| parse_domain(d)).collect::<Result<Vec<_>, _>>().map_err(|_| {
                Error::config(
                    code::INVALID_DOMAIN,
                    "each of \"allowedDomains\" must be a domain as \"domain\" is",
                )
            })?
        }
        _ => {
            return Err(Error::config(
                code::INVALID_DOMAIN,
                "\"allowedDomains\" must be a non-empty array of tenant domains",
            ))
        }
    };
    // SPEC §10.3: origins as `domain` is written (`https://app.example.com`, or a host name).
    let allowed_redirect_origins = match &raw.allowed_redirect_origins {
        Input::Absent => Vec::new(),
        Input::Given(list) if !list.is_empty() => list
            .iter()
            .map(|o| parse_domain(o))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| invalid_option("each of \"allowedRedirectOrigins\" must be an https origin"))?,
        _ => {
            return Err(invalid_option(
                "\"allowedRedirectOrigins\" must be a non-empty array of https origins",
            ))
        }
    };
    let client_id = match &raw.client_id {
        Input::Given(id) if !is_blank(id) => id.clone(),
        _ => {
            return Err(Error::config(
                code::MISSING_CLIENT_ID,
                "\"clientId\" is required and must be a non-blank string",
            ))
        }
    };
    let secrets =
        match &raw.secret {
            Input::Given(list)
                if !list.is_empty() && list.iter().all(|s| char_count(s.expose()) >= MIN_SECRET_CHARS) =>
            {
                list.clone()
            }
            _ => return Err(Error::config(
                code::INVALID_SECRET,
                "\"secret\" is required: a string of at least 32 characters, or a non-empty array of them",
            )),
        };
    let state_identifier = match &raw.state_identifier {
        Input::Absent => DEFAULT_STATE_IDENTIFIER.to_owned(),
        Input::Given(s) if !is_blank(s) && s.len() <= 256 => s.clone(),
        _ => {
            return Err(invalid_option("\"stateIdentifier\" must be a non-blank string of at most 256 bytes"))
        }
    };
    let session_duration = positive_int(
        &raw.session_duration,
        1e10,
        DEFAULT_SESSION_DURATION as f64,
        "\"sessionDuration\" must be a positive whole number of seconds",
    )? as u64;
    let timeout_ms = positive_int(
        &raw.timeout_ms,
        2_147_483_647.0,
        f64::from(DEFAULT_TIMEOUT_MS),
        "\"timeoutMs\" must be a positive whole number of milliseconds",
    )? as u32;
    let telemetry = match raw.telemetry {
        Input::Absent => true,
        Input::Given(b) => b,
        Input::WrongType | Input::TooLong => return Err(invalid_option("\"telemetry\" must be a boolean")),
    };
    if raw.fetch == Input::WrongType {
        return Err(invalid_option("\"fetch\" must be a function"));
    }
    if raw.state_store == Input::WrongType {
        return Err(invalid_option("\"stateStore\" must be an object with get, set and delete methods"));
    }
    let signing_alg = match &raw.client_assertion_signing_alg {
        Input::Absent => SigningAlg::RS256,
        Input::Given(s) => SigningAlg::parse(s)
            .ok_or_else(|| invalid_option("\"clientAssertionSigningAlg\" must be RS256, PS256 or ES256"))?,
        Input::WrongType | Input::TooLong => {
            return Err(invalid_option("\"clientAssertionSigningAlg\" must be RS256, PS256 or ES256"))
        }
    };
    if raw.client_assertion_signing_key == Input::WrongType {
        return Err(invalid_option(
            "\"clientAssertionSigningKey\" must be a CryptoKey or a PKCS#8 PEM string",
        ));
    }
    let client_secret = match &raw.client_secret {
        Input::Absent => None,
        Input::Given(s) if s.expose().is_empty() => None,
        Input::Given(s) => Some(s.clone()),
        Input::WrongType | Input::TooLong => return Err(invalid_option("\"clientSecret\" must be a string")),
    };
    let has_key = raw.client_assertion_signing_key == Input::Given(());
    let auth_method = match &raw.client_auth_method {
        Input::Absent if client_secret.is_some() => ClientAuthMethod::ClientSecretBasic,
        Input::Absent if has_key => ClientAuthMethod::PrivateKeyJwt,
        Input::Absent => {
            return Err(Error::config(
                code::MISSING_CLIENT_CREDENTIALS,
                "a \"clientSecret\" or a \"clientAssertionSigningKey\" is required",
            ))
        }
        Input::Given(m) => ClientAuthMethod::parse(m).ok_or_else(|| {
            invalid_option(
                "\"clientAuthMethod\" must be client_secret_basic, client_secret_post or private_key_jwt",
            )
        })?,
        Input::WrongType | Input::TooLong => {
            return Err(invalid_option(
                "\"clientAuthMethod\" must be client_secret_basic, client_secret_post or private_key_jwt",
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
    Ok(ClientConfig {
        domain,
        allowed_domains,
        allowed_redirect_origins,
        client_id,
        client_secret,
        auth_method,
        signing_alg,
        secrets,
        state_identifier,
        session_duration,
        timeout_ms,
        telemetry,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::client;
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
        let c = validate_client_options(&client("t.auth0.com")).unwrap();
        assert_eq!(c.auth_method, ClientAuthMethod::ClientSecretBasic);
        assert_eq!(c.state_identifier, "_a0_session");
        assert_eq!(c.session_duration, 259_200);
        assert_eq!(c.timeout_ms, 5_000);
        assert!(c.telemetry);

        type Case = (Box<dyn Fn(&mut RawClientOptions)>, &'static str);
        let cases: Vec<Case> = vec![
            (Box::new(|r| r.is_object = false), "invalid_option"),
            (Box::new(|r| r.domain = Input::Absent), "invalid_domain"),
            (Box::new(|r| r.domain = Input::WrongType), "invalid_domain"),
            (Box::new(|r| r.client_id = Input::Given(" ".into())), "missing_client_id"),
            (Box::new(|r| r.client_id = Input::WrongType), "missing_client_id"),
            (Box::new(|r| r.secret = Input::Absent), "invalid_secret"),
            (Box::new(|r| r.secret = Input::Given(vec![Secret::new("x".repeat(31))])), "invalid_secret"),
            (Box::new(|r| r.secret = Input::Given(vec![])), "invalid_secret"),
            (
                Box::new(|r| {
                    r.secret = Input::Given(vec![Secret::new("x".repeat(32)), Secret::new("short")])
                }),
                "invalid_secret",
            ),
            (Box::new(|r| r.client_secret = Input::Absent), "missing_client_credentials"),
            (Box::new(|r| r.client_secret = Input::Given("".into())), "missing_client_credentials"),
            (Box::new(|r| r.client_secret = Input::WrongType), "invalid_option"),
            (Box::new(|r| r.client_auth_method = Input::Given("none".into())), "invalid_option"),
            (
                Box::new(|r| r.client_auth_method = Input::Given("private_key_jwt".into())),
                "missing_client_credentials",
            ),
            (Box::new(|r| r.timeout_ms = Input::Given(0.0)), "invalid_option"),
            (Box::new(|r| r.timeout_ms = Input::Given(1.5)), "invalid_option"),
            (Box::new(|r| r.timeout_ms = Input::Given(f64::NAN)), "invalid_option"),
            (Box::new(|r| r.session_duration = Input::WrongType), "invalid_option"),
            (Box::new(|r| r.state_identifier = Input::Given("".into())), "invalid_option"),
            (Box::new(|r| r.telemetry = Input::WrongType), "invalid_option"),
            (Box::new(|r| r.fetch = Input::WrongType), "invalid_option"),
            (Box::new(|r| r.state_store = Input::WrongType), "invalid_option"),
            (Box::new(|r| r.client_assertion_signing_alg = Input::Given("HS256".into())), "invalid_option"),
        ];
        for (i, (mutate, expected)) in cases.iter().enumerate() {
            let mut r = client("t.auth0.com");
            mutate(&mut r);
            let err = validate_client_options(&r).unwrap_err();
            assert_eq!(err.code(), *expected, "case {i}");
            assert_eq!(err.kind(), crate::error::ErrorKind::Configuration);
        }
        // 32 characters, not bytes: 32 multi-byte characters pass.
        let mut r = client("t.auth0.com");
        r.secret = Input::Given(vec![Secret::new("é".repeat(32))]);
        assert!(validate_client_options(&r).is_ok());
        // private_key_jwt is inferred from a key without a secret.
        let mut r = client("t.auth0.com");
        r.client_secret = Input::Absent;
        r.client_assertion_signing_key = Input::Given(());
        assert_eq!(validate_client_options(&r).unwrap().auth_method, ClientAuthMethod::PrivateKeyJwt);
    }

    #[test]
    fn a_resolver_needs_allowed_domains_each_a_domain() {
        let mut r = client("t.auth0.com");
        r.domain = Input::Absent;
        r.domain_resolver = true;
        let code = |r: &RawClientOptions| validate_client_options(r).unwrap_err().code().to_owned();
        assert_eq!(code(&r), "missing_allowed_domains");
        for bad in [vec![], vec!["http://evil.example".to_owned()], vec!["a.example".into(), "x/y".into()]] {
            r.allowed_domains = Input::Given(bad);
            assert_eq!(code(&r), "invalid_domain");
        }
        r.allowed_domains = Input::WrongType;
        assert_eq!(code(&r), "invalid_domain");
        r.allowed_domains = Input::Given(vec!["Login.Example.com".into(), "https://t.auth0.com:443/".into()]);
        let c = validate_client_options(&r).unwrap();
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
        assert!(validate_client_options(&client("t.auth0.com")).unwrap().allowed_domains.is_empty());
    }
}
