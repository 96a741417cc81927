//! Validation of client options (SPEC §1) and of `customTokenExchange` options (SPEC §2.1), on a
//! model that can say "present but of the wrong type", so the JavaScript rules are decided here,
//! natively testable, and the wasm layer only classifies values.

use super::encoding::{all_bytes, find_byte, split_byte, split_once_byte};
use crate::error::{code, Error, Secret};
#[allow(unused_imports)]
use crate::prelude::*;

/// One option as the caller gave it.
#[derive(Clone, Debug, PartialEq)]
pub enum Input<T = String> {
    /// `undefined` or `null` (or not set in Rust).
    Absent,
    /// Present and of the expected type.
    Given(T),
    /// Present, but not of the expected type (e.g. `audience: 42`).
    WrongType,
    /// A string longer than its limit (SPEC §9.3), found before it was copied into wasm memory.
    TooLong,
}

impl<T> Input<T> {
    fn given(&self) -> Option<&T> {
        match self {
            Input::Given(v) => Some(v),
            _ => None,
        }
    }
}

impl<T> Default for Input<T> {
    fn default() -> Self {
        Input::Absent
    }
}

impl<T> From<Option<T>> for Input<T> {
    fn from(o: Option<T>) -> Self {
        o.map_or(Input::Absent, Input::Given)
    }
}

/// "Blank": empty after trimming Unicode whitespace, that is, nothing but whitespace (a char
/// walk, not `trim()`, whose searchers weigh more in wasm).
pub fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

// ---------------------------------------------------------------------------------------------
// Client options (SPEC §1)

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

/// The tenant's base URL, checked (SPEC §1 `domain`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainUrl {
    /// `https://host[:port]` (or `http://` for loopback), no trailing slash.
    pub url: String,
    /// `host[:port]`, as auth0-server-python stores it in the session's `domain`.
    pub host: String,
}

/// Is `host` (lowercase, without port) a loopback name: `localhost`, `127.0.0.0/8`, `[::1]`?
pub fn is_loopback(host: &str) -> bool {
    if host == "localhost" || host == "[::1]" {
        return true;
    }
    if !host.starts_with("127.") {
        return false;
    }
    // Four decimal parts, each 0-255.
    let mut parts = 0;
    for p in split_byte(host, b'.') {
        parts += 1;
        if p.is_empty() || p.len() > 3 || !all_bytes(p, |b| b.is_ascii_digit()) || decimal(p) > 255 {
            return false;
        }
    }
    parts == 4
}

/// Parses `domain`: `tenant.auth0.com`, `tenant.auth0.com:8443`, `https://tenant.auth0.com/`, or
/// `http://127.0.0.1:3000` (http only for loopback). No path, query, fragment or credentials.
pub fn parse_domain(domain: &str) -> Result<DomainUrl, Error> {
    let bad = || {
        Error::config(code::INVALID_DOMAIN, "\"domain\" must be a host name or an https URL of the tenant")
    };
    // Lowercased first: the scheme and host are case-insensitive, and the URL is kept lowercase.
    let lower = domain.to_ascii_lowercase();
    let (scheme, rest) = if let Some(r) = lower.strip_prefix("https://") {
        ("https", r)
    } else if let Some(r) = lower.strip_prefix("http://") {
        ("http", r)
    } else if contains_bytes(lower.as_bytes(), b"://") {
        return Err(bad());
    } else {
        ("https", lower.as_str())
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.is_empty() {
        return Err(bad());
    }
    // Host: a bracketed IPv6 literal or a DNS name / IPv4 address.
    // (Slicing only through split_at_checked/split_once_byte: no panic path.)
    let (host, port) =
        if let Some((inner, _)) = authority.strip_prefix('[').and_then(|a| split_once_byte(a, b']')) {
            let (host, port) = authority.split_at_checked(inner.len() + 2).ok_or_else(bad)?;
            if inner.is_empty() || !all_bytes(inner, |b| b.is_ascii_hexdigit() || b == b':' || b == b'.') {
                return Err(bad());
            }
            (host, port)
        } else {
            let end = find_byte(authority.as_bytes(), b':').unwrap_or(authority.len());
            let (host, port) = authority.split_at_checked(end).ok_or_else(bad)?;
            let labels_ok = split_byte(host, b'.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && all_bytes(l, |b| b.is_ascii_alphanumeric() || b == b'-')
                    && !l.starts_with('-')
                    && !l.ends_with('-')
            });
            if host.is_empty() || host.len() > 253 || !labels_ok {
                return Err(bad());
            }
            (host, port)
        };
    if !port.is_empty() {
        let digits = port.strip_prefix(':').ok_or_else(bad)?;
        if digits.is_empty() || digits.len() > 5 || !all_bytes(digits, |b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n = decimal(digits);
        if n == 0 || n > 65535 {
            return Err(bad());
        }
    }
    if scheme == "http" && !is_loopback(host) {
        return Err(Error::config(
            code::INVALID_DOMAIN,
            "\"domain\" may use http:// only for a loopback host (localhost, 127.0.0.0/8, [::1])",
        ));
    }
    let mut url = String::with_capacity(scheme.len() + 3 + authority.len());
    url.push_str(scheme);
    url.push_str("://");
    url.push_str(authority);
    Ok(DomainUrl { url, host: authority.to_owned() })
}

/// The value of a string of at most five ASCII digits (checked by the caller).
fn decimal(digits: &str) -> u32 {
    let mut n = 0;
    for b in digits.bytes() {
        n = n * 10 + u32::from(b.wrapping_sub(b'0'));
    }
    n
}

/// Whether `needle` occurs in `haystack`, ignoring ASCII case (a content type matches in any case;
/// a plain window search: much smaller in wasm than `str::contains`'s two-way searcher, and our
/// haystacks are short).
pub(crate) fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// Characters (Unicode scalar values) in `s`: bytes that do not continue a UTF-8 sequence.
fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xC0 != 0x80).count()
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

// ---------------------------------------------------------------------------------------------
// customTokenExchange options (SPEC §2.1)

/// One `authorizationParams` value.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    /// A string, or a number/boolean already turned into its JavaScript string form.
    Str(String),
    /// An array of strings: sent as repeated keys.
    List(Vec<String>),
    /// `null`/`undefined`: omitted.
    Absent,
    /// An object, a function, an array with a non-string member: `invalid_parameter`.
    Invalid,
    /// Longer than [`MAX_OPTION_BYTES`], found before it was copied into wasm memory.
    TooLong,
    /// An array of more than [`MAX_PARAM_VALUES`] values, found before it was copied.
    TooMany,
}

/// Most values one `authorizationParams` array may carry.
pub const MAX_PARAM_VALUES: usize = 20;
/// Longest `subjectToken` and `actorToken`, in UTF-8 bytes (SPEC §9.3).
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;
/// Longest other string option, and longest `authorizationParams` value, in UTF-8 bytes.
pub const MAX_OPTION_BYTES: usize = 8 * 1024;
/// Most UTF-8 bytes of `authorizationParams` altogether, keys and values.
pub const MAX_PARAMS_BYTES: usize = 64 * 1024;

/// `customTokenExchange` options as given.
#[derive(Clone, Debug)]
pub struct RawExchangeOptions {
    /// False when the options argument itself is not an object (SPEC §2.1 rule 1).
    pub is_object: bool,
    /// `subjectToken`: the token to exchange.
    pub subject_token: Input<Secret>,
    /// `subjectTokenType`: the type of `subjectToken`.
    pub subject_token_type: Input,
    /// `audience`.
    pub audience: Input,
    /// `scope`.
    pub scope: Input,
    /// `actorToken`: the token of the party acting for the subject.
    pub actor_token: Input<Secret>,
    /// `actorTokenType`: the type of `actorToken`.
    pub actor_token_type: Input,
    /// `organization`.
    pub organization: Input,
    /// `requestedTokenType` (SPEC §8.2).
    pub requested_token_type: Input,
    /// `authorizationParams`: absent, an object's own entries in order, or not an object.
    pub authorization_params: Input<Vec<(String, ParamValue)>>,
}

impl Default for RawExchangeOptions {
    fn default() -> Self {
        RawExchangeOptions {
            is_object: true,
            subject_token: Input::Absent,
            subject_token_type: Input::Absent,
            audience: Input::Absent,
            scope: Input::Absent,
            actor_token: Input::Absent,
            actor_token_type: Input::Absent,
            organization: Input::Absent,
            requested_token_type: Input::Absent,
            authorization_params: Input::Absent,
        }
    }
}

/// Validated exchange input: what goes into the form, and nothing else.
#[derive(Clone, Debug, PartialEq)]
pub struct ExchangeInput {
    /// `subject_token`, exactly as given.
    pub subject_token: Secret,
    /// `subject_token_type`.
    pub subject_token_type: String,
    /// The typed option, or else `authorizationParams.audience` (possibly repeated).
    pub audience: Vec<String>,
    /// The typed option, or else `authorizationParams.scope` (possibly repeated).
    pub scope: Vec<String>,
    /// `actor_token` and `actor_token_type`: both or neither.
    pub actor: Option<(Secret, String)>,
    /// The typed option, or else `authorizationParams.organization` (possibly repeated).
    pub organization: Vec<String>,
    /// `requested_token_type`, sent after `organization` (SPEC §8.2).
    pub requested_token_type: Option<String>,
    /// Remaining extras in order, reserved keys removed.
    pub extras: Vec<(String, String)>,
    /// The typed `audience` option (for the session's token set), if given.
    pub typed_audience: Option<String>,
    /// The typed `scope` option, if given.
    pub typed_scope: Option<String>,
}

/// Keys `authorizationParams` can never set (SPEC §2.3, §8.2).
pub const RESERVED_PARAMS: [&str; 10] = [
    "grant_type",
    "client_id",
    "client_secret",
    "client_assertion",
    "client_assertion_type",
    "subject_token",
    "subject_token_type",
    "actor_token",
    "actor_token_type",
    "requested_token_type",
];

/// Keys `authorizationParams` may set only when the typed option is absent.
const TYPED_PARAMS: [&str; 3] = ["audience", "scope", "organization"];

/// Trimmed value starts with `bearer` + whitespace, or is `bearer` alone, any case (SPEC §2.1
/// rule 4, §8.9): `bearer` after any leading whitespace, then whitespace or nothing.
fn has_bearer_prefix(token: &str) -> bool {
    let mut chars = token.chars().skip_while(|c| c.is_whitespace());
    "bearer".chars().all(|b| chars.next().is_some_and(|c| c.to_ascii_lowercase() == b))
        && chars.next().is_none_or(char::is_whitespace)
}

fn token_error(message: &'static str) -> Error {
    Error::exchange(code::INVALID_TOKEN_FORMAT, message)
}

/// An optional string option: `""` counts as absent; a wrong type is `invalid_parameter`.
fn optional(v: &Input, name: &'static str) -> Result<Option<String>, Error> {
    match v {
        Input::Absent => Ok(None),
        Input::Given(s) if s.is_empty() => Ok(None),
        Input::Given(s) => Ok(Some(s.clone())),
        Input::WrongType | Input::TooLong => Err(Error::exchange(code::INVALID_PARAMETER, name)),
    }
}

/// The token type of an ID token acting for a session transfer (RFC 8693 §3).
pub const ID_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:id_token";

/// A session transfer's exchange (SPEC §8.3): `subjectToken`, `subjectTokenType`, the actor pair,
/// `scope` and `organization` validated as §2.1 (rules 1 to 7) with a blank `organization`
/// refused. Other keys of `raw` are ignored; the audience is set once the tenant is known
/// ([`session_transfer_audience`]).
pub fn session_transfer_input(raw: &RawExchangeOptions) -> Result<ExchangeInput, Error> {
    let raw = RawExchangeOptions {
        audience: Input::Absent,
        requested_token_type: Input::Absent,
        authorization_params: Input::Absent,
        ..raw.clone()
    };
    let input = validate_exchange_options(&raw)?;
    if matches!(&raw.organization, Input::Given(o) if is_blank(o)) {
        return Err(Error::exchange(code::INVALID_PARAMETER, "\"organization\" must not be blank"));
    }
    Ok(input)
}

/// `urn:{domain_host}:session_transfer`, the audience of a session transfer (SPEC §8.3).
pub fn session_transfer_audience(domain_host: &str) -> String {
    let mut audience = String::from("urn:");
    audience.push_str(domain_host);
    audience.push_str(":session_transfer");
    audience
}

/// A login's scope always asks for `openid`, so that a session always has a user (SPEC §8.1):
/// put in front of the first value when no value has it (`"a b"` becomes `"openid a b"`, none
/// becomes `"openid"`), never twice.
pub fn with_openid(scope: &mut Vec<String>) {
    if scope.iter().any(|s| s.split_ascii_whitespace().any(|t| t == "openid")) {
        return;
    }
    match scope.first_mut() {
        Some(first) if !first.trim_ascii().is_empty() => first.insert_str(0, "openid "),
        Some(first) => *first = "openid".into(),
        None => scope.push("openid".into()),
    }
}

fn too_many() -> Error {
    Error::exchange(code::INVALID_PARAMETER, "an \"authorizationParams\" array may hold at most 20 values")
}

/// Whether a string option is over `limit` UTF-8 bytes (or was found so before being copied).
fn too_long<T>(v: &Input<T>, len: impl Fn(&T) -> usize, limit: usize) -> bool {
    match v {
        Input::TooLong => true,
        Input::Given(s) => len(s) > limit,
        _ => false,
    }
}

/// SPEC §9.3: the size limits, checked before every other rule.
fn check_sizes(raw: &RawExchangeOptions) -> Result<(), Error> {
    if too_long(&raw.subject_token, |t| t.expose().len(), MAX_TOKEN_BYTES) {
        return Err(token_error("\"subjectToken\" is longer than 64 KiB"));
    }
    if too_long(&raw.actor_token, |t| t.expose().len(), MAX_TOKEN_BYTES) {
        return Err(token_error("\"actorToken\" is longer than 64 KiB"));
    }
    let options: [(&Input, &'static str); 6] = [
        (&raw.subject_token_type, "\"subjectTokenType\" is longer than 8 KiB"),
        (&raw.audience, "\"audience\" is longer than 8 KiB"),
        (&raw.scope, "\"scope\" is longer than 8 KiB"),
        (&raw.actor_token_type, "\"actorTokenType\" is longer than 8 KiB"),
        (&raw.organization, "\"organization\" is longer than 8 KiB"),
        (&raw.requested_token_type, "\"requestedTokenType\" is longer than 8 KiB"),
    ];
    for (v, message) in options {
        if too_long(v, String::len, MAX_OPTION_BYTES) {
            return Err(Error::exchange(code::INVALID_PARAMETER, message));
        }
    }
    let all =
        || Error::exchange(code::INVALID_PARAMETER, "\"authorizationParams\" is larger than 64 KiB in all");
    let params = match &raw.authorization_params {
        Input::TooLong => return Err(all()),
        Input::Given(p) => p,
        _ => return Ok(()),
    };
    let mut total = 0usize;
    for (key, value) in params {
        let long = || {
            Error::exchange(code::INVALID_PARAMETER, "an \"authorizationParams\" value is longer than 8 KiB")
        };
        total += key.len();
        match value {
            ParamValue::TooLong => return Err(long()),
            ParamValue::Str(s) if s.len() > MAX_OPTION_BYTES => return Err(long()),
            ParamValue::Str(s) => total += s.len(),
            ParamValue::List(list) => {
                for s in list {
                    if s.len() > MAX_OPTION_BYTES {
                        return Err(long());
                    }
                    total += s.len();
                }
            }
            ParamValue::Absent | ParamValue::Invalid | ParamValue::TooMany => {}
        }
    }
    if total > MAX_PARAMS_BYTES {
        return Err(all());
    }
    Ok(())
}

/// SPEC §2.1: the rules in order, then the `authorizationParams` rules of §2.3.
pub fn validate_exchange_options(raw: &RawExchangeOptions) -> Result<ExchangeInput, Error> {
    if raw.is_object {
        check_sizes(raw)?;
    }
    // Rule 1
    let (subject_token, subject_token_type) =
        match (&raw.is_object, &raw.subject_token, &raw.subject_token_type) {
            (true, Input::Given(t), Input::Given(tt)) => (t, tt),
            _ => {
                return Err(token_error(
                    "\"subjectToken\" and \"subjectTokenType\" are required and must be strings",
                ))
            }
        };
    // Rules 2, 3, 4
    if is_blank(subject_token.expose()) {
        return Err(token_error("\"subjectToken\" must not be blank"));
    }
    if is_blank(subject_token_type) {
        return Err(token_error("\"subjectTokenType\" must not be blank"));
    }
    if has_bearer_prefix(subject_token.expose()) {
        return Err(token_error("\"subjectToken\" must not carry a \"Bearer\" prefix: pass the raw token"));
    }
    // Rule 5
    let actor_token = match &raw.actor_token {
        Input::Absent => None,
        Input::WrongType | Input::TooLong => return Err(token_error("\"actorToken\" must be a string")),
        Input::Given(t) if is_blank(t.expose()) => {
            return Err(token_error("\"actorToken\" must not be blank"))
        }
        Input::Given(t) if has_bearer_prefix(t.expose()) => {
            return Err(token_error("\"actorToken\" must not carry a \"Bearer\" prefix: pass the raw token"))
        }
        Input::Given(t) => Some(t),
    };
    let actor_type = raw.actor_token_type.given().filter(|t| !is_blank(t));
    // Rules 6, 7
    let actor = match (actor_token, actor_type) {
        (Some(_), None) => {
            return Err(Error::exchange(
                code::MISSING_ACTOR_TOKEN_TYPE,
                "\"actorTokenType\" is required when \"actorToken\" is given",
            ))
        }
        (None, Some(_)) => {
            return Err(Error::exchange(
                code::MISSING_ACTOR_TOKEN,
                "\"actorToken\" is required when \"actorTokenType\" is given",
            ))
        }
        (Some(t), Some(tt)) => Some((t.clone(), tt.clone())),
        (None, None) => None,
    };
    // Rule 8
    if raw.actor_token_type == Input::WrongType {
        return Err(Error::exchange(code::INVALID_PARAMETER, "\"actorTokenType\" must be a string"));
    }
    let audience = optional(&raw.audience, "\"audience\" must be a string")?;
    let scope = optional(&raw.scope, "\"scope\" must be a string")?;
    let organization = optional(&raw.organization, "\"organization\" must be a string")?;
    let requested_token_type = match &raw.requested_token_type {
        Input::Absent => None,
        Input::Given(t) if !is_blank(t) => Some(t.clone()),
        _ => {
            return Err(Error::exchange(
                code::INVALID_PARAMETER,
                "\"requestedTokenType\" must be a non-blank string",
            ))
        }
    };
    let params: &[(String, ParamValue)] = match &raw.authorization_params {
        Input::Absent => &[],
        Input::Given(p) => p,
        Input::WrongType | Input::TooLong => {
            return Err(Error::exchange(code::INVALID_PARAMETER, "\"authorizationParams\" must be an object"))
        }
    };
    let mut input = ExchangeInput {
        subject_token: subject_token.clone(),
        subject_token_type: subject_token_type.clone(),
        audience: audience.clone().map_or_else(Vec::new, |a| vec![a]),
        scope: scope.clone().map_or_else(Vec::new, |s| vec![s]),
        actor,
        organization: organization.map_or_else(Vec::new, |o| vec![o]),
        requested_token_type,
        extras: Vec::new(),
        typed_audience: audience,
        typed_scope: scope,
    };
    for (key, value) in params {
        let values: Vec<String> =
            match value {
                ParamValue::Absent => continue,
                ParamValue::Invalid | ParamValue::TooLong => return Err(Error::exchange(
                    code::INVALID_PARAMETER,
                    "\"authorizationParams\" values must be strings, numbers, booleans or arrays of strings",
                )),
                ParamValue::TooMany => return Err(too_many()),
                ParamValue::List(list) if list.len() > MAX_PARAM_VALUES => return Err(too_many()),
                ParamValue::List(list) => list.clone(),
                ParamValue::Str(s) => vec![s.clone()],
            };
        if RESERVED_PARAMS.contains(&key.as_str()) {
            continue;
        }
        let slot = match key.as_str() {
            "audience" => Some(&mut input.audience),
            "scope" => Some(&mut input.scope),
            "organization" => Some(&mut input.organization),
            _ => None,
        };
        match slot {
            Some(slot) if slot.is_empty() => *slot = values,
            Some(_) => {} // the typed option wins
            None => {
                for v in values {
                    input.extras.push((key.clone(), v));
                }
            }
        }
    }
    debug_assert!(TYPED_PARAMS.iter().all(|k| !input.extras.iter().any(|(e, _)| e == k)));
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(subject: &str, ty: &str) -> RawExchangeOptions {
        RawExchangeOptions {
            subject_token: Input::Given(subject.into()),
            subject_token_type: Input::Given(ty.into()),
            ..Default::default()
        }
    }

    fn code_of(r: &RawExchangeOptions) -> String {
        validate_exchange_options(r).unwrap_err().code().to_owned()
    }

    #[test]
    fn rule1_shape() {
        let mut r = raw("t", "urn:x");
        r.is_object = false;
        assert_eq!(code_of(&r), "invalid_token_format");
        let mut r = raw("t", "urn:x");
        r.subject_token = Input::WrongType;
        assert_eq!(code_of(&r), "invalid_token_format");
        let mut r = raw("t", "urn:x");
        r.subject_token_type = Input::Absent;
        assert_eq!(code_of(&r), "invalid_token_format");
    }

    #[test]
    fn rules_2_to_4_blank_and_bearer() {
        for bad in ["", "   ", "\u{3000}\t\n", "Bearer abc", "bearer\tabc", "  BEARER  abc", "bEaReR\u{a0}x"]
        {
            assert_eq!(code_of(&raw(bad, "urn:x")), "invalid_token_format", "{bad:?}");
        }
        assert_eq!(code_of(&raw("t", " \u{2003}")), "invalid_token_format");
        // Not a prefix: kept and sent as given, untrimmed.
        // SPEC §8.9: the word alone, trimmed, is a prefix without a token.
        for bad in ["Bearer", "Bearer ", " bEARER\t", "bearer\u{3000}"] {
            assert_eq!(code_of(&raw(bad, "urn:x")), "invalid_token_format", "{bad:?}");
        }
        for ok in ["bearerabc", "Bearer1", " tok ", "my Bearer x"] {
            let v = validate_exchange_options(&raw(ok, "urn:x")).unwrap();
            assert_eq!(v.subject_token.expose(), ok);
        }
    }

    #[test]
    fn session_transfer_options() {
        let mut r = raw("t", "urn:x");
        r.audience = Input::Given("https://not-this".into());
        r.authorization_params = Input::Given(vec![("audience".into(), ParamValue::Str("no".into()))]);
        let v = session_transfer_input(&r).unwrap();
        assert!(
            v.audience.is_empty() && v.extras.is_empty() && v.actor.is_none(),
            "no audience of the caller's"
        );
        assert_eq!(
            session_transfer_audience("tenant.auth0.com:8443"),
            "urn:tenant.auth0.com:8443:session_transfer"
        );
        let mut r = raw("t", "urn:x");
        r.organization = Input::Given("  ".into());
        assert_eq!(session_transfer_input(&r).unwrap_err().code(), "invalid_parameter");
        let mut r = raw("t", "urn:x");
        r.actor_token_type = Input::Given(ID_TOKEN_TYPE.into());
        assert_eq!(session_transfer_input(&r).unwrap_err().code(), "missing_actor_token");
        assert_eq!(
            session_transfer_input(&raw("Bearer x", "urn:x")).unwrap_err().code(),
            "invalid_token_format"
        );
    }

    #[test]
    fn a_login_scope_always_has_openid() {
        let with = |v: &[&str]| {
            let mut s: Vec<String> = v.iter().map(|s| s.to_string()).collect();
            with_openid(&mut s);
            s
        };
        assert_eq!(with(&[]), ["openid"]);
        assert_eq!(with(&["a b"]), ["openid a b"]);
        assert_eq!(with(&["openid"]), ["openid"]);
        assert_eq!(with(&["profile openid email"]), ["profile openid email"]);
        assert_eq!(with(&["a", "openid"]), ["a", "openid"], "a later value has it");
        assert_eq!(with(&["openidx"]), ["openid openidx"], "a token, not a prefix");
        assert_eq!(with(&[" "]), ["openid"]);
    }

    #[test]
    fn requested_token_type_is_typed_sent_after_organization_and_reserved() {
        let mut r = raw("t", "urn:x");
        r.requested_token_type = Input::Given("urn:ietf:params:oauth:token-type:jwt".into());
        r.authorization_params =
            Input::Given(vec![("requested_token_type".into(), ParamValue::Str("urn:evil".into()))]);
        let v = validate_exchange_options(&r).unwrap();
        assert_eq!(v.requested_token_type.as_deref(), Some("urn:ietf:params:oauth:token-type:jwt"));
        assert!(v.extras.is_empty(), "authorizationParams can never set it");
        for bad in [Input::Given("  ".into()), Input::Given(String::new()), Input::WrongType] {
            let mut r = raw("t", "urn:x");
            r.requested_token_type = bad;
            assert_eq!(code_of(&r), "invalid_parameter");
        }
    }

    #[test]
    fn size_limits_come_first() {
        let at = |n: usize| "a".repeat(n);
        // Tokens: 64 KiB of UTF-8 (a 3-byte character counts 3).
        assert!(validate_exchange_options(&raw(&at(MAX_TOKEN_BYTES), "urn:x")).is_ok());
        assert_eq!(code_of(&raw(&at(MAX_TOKEN_BYTES + 1), "urn:x")), "invalid_token_format");
        let wide = "\u{20ac}".repeat(MAX_TOKEN_BYTES / 3 + 1);
        assert_eq!(code_of(&raw(&wide, "urn:x")), "invalid_token_format");
        let mut r = raw("t", "urn:x");
        r.subject_token = Input::TooLong;
        assert_eq!(code_of(&r), "invalid_token_format");
        let mut r = raw("t", "urn:x");
        r.actor_token = Input::Given(Secret::new(at(MAX_TOKEN_BYTES + 1)));
        r.actor_token_type = Input::Given("urn:y".into());
        assert_eq!(code_of(&r), "invalid_token_format");
        // Other options: 8 KiB; before rule 2 (a blank subject token).
        let mut r = raw("", "urn:x");
        r.scope = Input::Given(at(MAX_OPTION_BYTES + 1));
        assert_eq!(code_of(&r), "invalid_parameter");
        let mut r = raw("t", "urn:x");
        r.audience = Input::Given(at(MAX_OPTION_BYTES));
        assert!(validate_exchange_options(&r).is_ok());
        r.organization = Input::TooLong;
        assert_eq!(code_of(&r), "invalid_parameter");
        // authorizationParams: 8 KiB a value (also in a list), 64 KiB in all.
        let params = |p: Vec<(&str, ParamValue)>| {
            let mut r = raw("t", "urn:x");
            r.authorization_params = Input::Given(p.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
            r
        };
        assert!(
            validate_exchange_options(&params(vec![("x", ParamValue::Str(at(MAX_OPTION_BYTES)))])).is_ok()
        );
        for bad in [
            params(vec![("x", ParamValue::Str(at(MAX_OPTION_BYTES + 1)))]),
            params(vec![("x", ParamValue::List(vec!["a".into(), at(MAX_OPTION_BYTES + 1)]))]),
            params(vec![("x", ParamValue::TooLong)]),
            params((0..9).map(|_| ("k", ParamValue::Str(at(MAX_OPTION_BYTES)))).collect()),
        ] {
            assert_eq!(code_of(&bad), "invalid_parameter");
        }
        let mut r = raw("t", "urn:x");
        r.authorization_params = Input::TooLong;
        assert_eq!(code_of(&r), "invalid_parameter");
    }

    #[test]
    fn rule_order_is_kept() {
        // Rule 2 before rule 8.
        let mut r = raw("", "urn:x");
        r.audience = Input::WrongType;
        assert_eq!(code_of(&r), "invalid_token_format");
        // Rule 3 before rule 4.
        assert_eq!(code_of(&raw("Bearer x", "")), "invalid_token_format");
        // Rule 5 before rule 6.
        let mut r = raw("t", "urn:x");
        r.actor_token = Input::Given("Bearer a".into());
        assert_eq!(code_of(&r), "invalid_token_format");
        // Rule 6 before rule 8.
        let mut r = raw("t", "urn:x");
        r.actor_token = Input::Given("a".into());
        r.scope = Input::WrongType;
        assert_eq!(code_of(&r), "missing_actor_token_type");
    }

    #[test]
    fn rules_5_to_7_actor() {
        let mut r = raw("t", "urn:x");
        r.actor_token = Input::Given("".into());
        r.actor_token_type = Input::Given("urn:y".into());
        assert_eq!(code_of(&r), "invalid_token_format");
        r.actor_token = Input::WrongType;
        assert_eq!(code_of(&r), "invalid_token_format");
        r.actor_token = Input::Given("a".into());
        r.actor_token_type = Input::Given("  ".into());
        assert_eq!(code_of(&r), "missing_actor_token_type");
        r.actor_token_type = Input::Absent;
        assert_eq!(code_of(&r), "missing_actor_token_type");
        let mut r = raw("t", "urn:x");
        r.actor_token_type = Input::Given("urn:y".into());
        assert_eq!(code_of(&r), "missing_actor_token");
        // A blank actor type without an actor token is simply absent.
        r.actor_token_type = Input::Given(" ".into());
        assert_eq!(validate_exchange_options(&r).unwrap().actor, None);
        // Both given.
        r.actor_token = Input::Given("a".into());
        r.actor_token_type = Input::Given("urn:y".into());
        let v = validate_exchange_options(&r).unwrap();
        assert_eq!(v.actor, Some((Secret::new("a"), "urn:y".into())));
    }

    #[test]
    fn rule8_wrong_types() {
        for field in 0..5 {
            let mut r = raw("t", "urn:x");
            match field {
                0 => r.audience = Input::WrongType,
                1 => r.scope = Input::WrongType,
                2 => r.organization = Input::WrongType,
                3 => r.authorization_params = Input::WrongType,
                _ => r.authorization_params = Input::Given(vec![("x".into(), ParamValue::Invalid)]),
            }
            assert_eq!(code_of(&r), "invalid_parameter", "field {field}");
        }
        let mut r = raw("t", "urn:x");
        r.authorization_params = Input::Given(vec![("x".into(), ParamValue::List(vec!["v".into(); 21]))]);
        assert_eq!(code_of(&r), "invalid_parameter");
        r.authorization_params = Input::Given(vec![("x".into(), ParamValue::List(vec!["v".into(); 20]))]);
        assert_eq!(validate_exchange_options(&r).unwrap().extras.len(), 20);
        // Even a reserved key with an invalid value is an error (values are checked first).
        r.authorization_params = Input::Given(vec![("grant_type".into(), ParamValue::Invalid)]);
        assert_eq!(code_of(&r), "invalid_parameter");
    }

    #[test]
    fn empty_optional_counts_as_absent() {
        let mut r = raw("t", "urn:x");
        r.audience = Input::Given("".into());
        r.authorization_params =
            Input::Given(vec![("audience".into(), ParamValue::Str("https://api".into()))]);
        let v = validate_exchange_options(&r).unwrap();
        assert_eq!(v.audience, vec!["https://api".to_string()]);
        assert_eq!(v.typed_audience, None);
    }

    #[test]
    fn authorization_params_rules() {
        let mut r = raw("t", "urn:x");
        r.scope = Input::Given("openid".into());
        r.authorization_params = Input::Given(vec![
            ("grant_type".into(), ParamValue::Str("password".into())),
            ("client_secret".into(), ParamValue::Str("x".into())),
            ("actor_token".into(), ParamValue::Str("sneaky".into())),
            ("actor_token_type".into(), ParamValue::Str("urn:y".into())),
            ("subject_token".into(), ParamValue::Str("other".into())),
            ("Grant_Type".into(), ParamValue::Str("kept".into())),
            ("scope".into(), ParamValue::Str("ignored".into())),
            ("organization".into(), ParamValue::List(vec!["org_1".into()])),
            ("resource".into(), ParamValue::List(vec!["a".into(), "b".into()])),
            ("n".into(), ParamValue::Str("42".into())),
            ("gone".into(), ParamValue::Absent),
            ("empty".into(), ParamValue::Str("".into())),
        ]);
        let v = validate_exchange_options(&r).unwrap();
        assert_eq!(v.scope, vec!["openid".to_string()]);
        assert_eq!(v.organization, vec!["org_1".to_string()]);
        assert_eq!(v.actor, None);
        assert_eq!(v.subject_token.expose(), "t");
        let extras: Vec<(&str, &str)> = v.extras.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            extras,
            vec![("Grant_Type", "kept"), ("resource", "a"), ("resource", "b"), ("n", "42"), ("empty", "")]
        );
    }

    fn client(domain: &str) -> RawClientOptions {
        RawClientOptions {
            domain: Input::Given(domain.into()),
            client_id: Input::Given("cid".into()),
            client_secret: Input::Given("shh".into()),
            secret: Input::Given(vec![Secret::new("x".repeat(32))]),
            ..Default::default()
        }
    }

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
    fn messages_never_echo_values() {
        let mut r = raw("Bearer SECRET-TOKEN-123", "urn:x");
        let e = validate_exchange_options(&r).unwrap_err();
        assert!(!e.message().contains("SECRET-TOKEN-123"));
        r.subject_token = Input::Given("ok".into());
        r.actor_token = Input::Given("Bearer ACTOR-456".into());
        assert!(!validate_exchange_options(&r).unwrap_err().message().contains("ACTOR-456"));
        let mut c = client("http://evil.example.com");
        c.client_secret = Input::Given("CLIENT-SECRET-789".into());
        let e = validate_client_options(&c).unwrap_err();
        assert!(!e.message().contains("evil") && !e.message().contains("CLIENT-SECRET-789"));
    }
}
