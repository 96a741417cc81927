//! The one error type of the crate. JavaScript sees it as one of five `Error` subclasses with a
//! stable `code` (converted in exactly one place, the package's binding); Rust callers match on
//! [`Error::kind`] and [`Error::code`].
//!
//! Messages name the option, field or rule that failed, never a value: no token or secret ever
//! reaches an error message. Two texts from outside are passed on, as their readers expect: a
//! tenant's `error_description`, and the runtime's reason for a failed request (its first line,
//! shortened).

#[allow(unused_imports)]
use crate::prelude::*;
use alloc::borrow::Cow;

/// Which family an error belongs to: the JavaScript class it becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `CustomTokenExchangeError`: bad exchange input, or the exchange itself failed (BEHAVIOUR.md §2).
    CustomTokenExchange,
    /// `ConfigurationError`: bad client options, or a tenant misconfiguration (BEHAVIOUR.md §1, §2.2).
    Configuration,
    /// `IdTokenError`: the ID token failed verification during a login (BEHAVIOUR.md §3).
    IdToken,
    /// `AccessTokenError`: no usable access token in the session (BEHAVIOUR.md §4).
    AccessToken,
    /// `StoreError`: the injected state store failed (BEHAVIOUR.md §5).
    Store,
    /// `VerifyAccessTokenError`: an API's access token or its request was refused (BEHAVIOUR.md §13).
    /// Its code is RFC 6750's; it carries the status and `WWW-Authenticate` challenge to answer.
    VerifyAccessToken,
}

impl ErrorKind {
    /// The JavaScript class name.
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorKind::CustomTokenExchange => "CustomTokenExchangeError",
            ErrorKind::Configuration => "ConfigurationError",
            ErrorKind::IdToken => "IdTokenError",
            ErrorKind::AccessToken => "AccessTokenError",
            ErrorKind::Store => "StoreError",
            ErrorKind::VerifyAccessToken => "VerifyAccessTokenError",
        }
    }
}

/// Stable error codes (the `code` property in JavaScript).
pub mod code {
    // CustomTokenExchangeError (BEHAVIOUR.md §2.1, §2.4); server codes such as `invalid_grant` pass through.
    /// The options are not an object; `subjectToken` or `actorToken` is not a string, blank, too long
    /// or has a `Bearer` prefix; or `subjectTokenType` is not a string or blank (BEHAVIOUR.md §2.1 rules 1
    /// to 5, §8.9, §9.3). Carried by `CustomTokenExchangeError`.
    pub const INVALID_TOKEN_FORMAT: &str = "invalid_token_format";
    /// `actorToken` given without a non-blank `actorTokenType` (BEHAVIOUR.md §2.1 rule 6).
    /// Carried by `CustomTokenExchangeError`.
    pub const MISSING_ACTOR_TOKEN_TYPE: &str = "missing_actor_token_type";
    /// `actorTokenType` given without `actorToken` (BEHAVIOUR.md §2.1 rule 7), or a session transfer with
    /// neither an actor token nor a session ID token to act for (BEHAVIOUR.md §8.3). Carried by
    /// `CustomTokenExchangeError`.
    pub const MISSING_ACTOR_TOKEN: &str = "missing_actor_token";
    /// The exchange failed: a network error or timeout, a failed OIDC discovery, or a status other
    /// than 200 without a JSON `error` (BEHAVIOUR.md §2.2, §2.4). Carried by `CustomTokenExchangeError`.
    pub const TOKEN_EXCHANGE_FAILED: &str = "token_exchange_failed";
    /// A 200 from the token endpoint that is not a JSON object, is larger than 1 MiB, or lacks a
    /// non-empty `access_token` or a well-formed `expires_in` (BEHAVIOUR.md §2.4). Carried by
    /// `CustomTokenExchangeError`.
    pub const INVALID_RESPONSE: &str = "invalid_response";
    /// An optional exchange option or `authorizationParams` value of the wrong type, blank where it
    /// must not be, or too long (BEHAVIOUR.md §2.1 rule 8, §8.2, §8.3, §9.3): a `CustomTokenExchangeError`;
    /// also a `ConfigurationError` for a bad argument of `buildSessionTransferRedirect` (BEHAVIOUR.md §8.3).
    pub const INVALID_PARAMETER: &str = "invalid_parameter";
    // ConfigurationError (BEHAVIOUR.md §1)
    /// `domain` missing or not a tenant's host name or https URL (http only for loopback hosts), or a
    /// `domain` function that did not answer one (BEHAVIOUR.md §1, §8.4). Carried by `ConfigurationError`.
    pub const INVALID_DOMAIN: &str = "invalid_domain";
    /// A `domain` function without `allowedDomains` (BEHAVIOUR.md §10.1), at construction. Carried by
    /// `ConfigurationError`.
    pub const MISSING_ALLOWED_DOMAINS: &str = "missing_allowed_domains";
    /// A `domain` function answered a domain that is not in `allowedDomains` (BEHAVIOUR.md §10.1), before
    /// any request. Carried by `ConfigurationError`.
    pub const DOMAIN_NOT_ALLOWED: &str = "domain_not_allowed";
    /// `clientId` missing, not a string, or blank (BEHAVIOUR.md §1). Carried by `ConfigurationError`.
    pub const MISSING_CLIENT_ID: &str = "missing_client_id";
    /// Neither `clientSecret` nor `clientAssertionSigningKey` given, or not the one `clientAuthMethod`
    /// needs (BEHAVIOUR.md §1). Carried by `ConfigurationError`.
    pub const MISSING_CLIENT_CREDENTIALS: &str = "missing_client_credentials";
    /// `secret` missing, or a secret shorter than 32 characters (BEHAVIOUR.md §1). Carried by
    /// `ConfigurationError`.
    pub const INVALID_SECRET: &str = "invalid_secret";
    /// Any other option of the wrong type or form: a client option (BEHAVIOUR.md §1), a store's options, or
    /// the logout options. Carried by `ConfigurationError`.
    pub const INVALID_OPTION: &str = "invalid_option";
    /// A tenant misconfiguration found at run time: a discovered `issuer` other than the domain, no
    /// usable `token_endpoint` (BEHAVIOUR.md §2.2), or a `clientAssertionSigningKey` WebCrypto cannot sign
    /// with. Carried by `ConfigurationError`.
    pub const CONFIGURATION_ERROR: &str = "configuration_error";
    /// A session method called on a client built without `stateStore` (BEHAVIOUR.md §9.1). Carried by
    /// `ConfigurationError`.
    pub const MISSING_STATE_STORE: &str = "missing_state_store";
    /// The state store refused the store options (its `checkOptions` threw): e.g. a `CookieStore`
    /// given no `{ request, response }`. Found before any request. Carried by `ConfigurationError`.
    pub const INVALID_STORE_OPTIONS: &str = "invalid_store_options";
    /// `getDPoPHeaders`, or `fetchWithAuth` with a DPoP-bound token, on a client built without
    /// `dpopKeyPair` (BEHAVIOUR.md §12.6). Carried by `ConfigurationError`.
    pub const MISSING_DPOP_KEY_PAIR: &str = "missing_dpop_key_pair";
    // IdTokenError (BEHAVIOUR.md §3)
    /// The ID token's signature does not verify with the JWKS key (BEHAVIOUR.md §3.2). Carried by
    /// `IdTokenError`.
    pub const INVALID_SIGNATURE: &str = "invalid_signature";
    /// The ID token's `iss` is not the discovered issuer (BEHAVIOUR.md §2.5, §3.2). Carried by `IdTokenError`.
    pub const INVALID_ISSUER: &str = "invalid_issuer";
    /// The ID token's `aud` does not contain the client id, or its `azp` names another client
    /// (BEHAVIOUR.md §2.5, §3.2). Carried by `IdTokenError`.
    pub const INVALID_AUDIENCE: &str = "invalid_audience";
    /// The ID token's `exp` has passed, leeway included (BEHAVIOUR.md §2.5, §3.2). Carried by `IdTokenError`.
    pub const TOKEN_EXPIRED: &str = "token_expired";
    /// A malformed ID token, an `alg` not allowed, a missing or non-numeric `exp` or `iat`, an `iat` or
    /// `nbf` in the future, or several audiences without `azp` (BEHAVIOUR.md §3.2, §9.5). Carried by
    /// `IdTokenError`.
    pub const INVALID_TOKEN: &str = "invalid_token";
    /// No key of the tenant's JWKS fits the ID token's `kid` and `alg` (BEHAVIOUR.md §3.2). Carried by
    /// `IdTokenError`.
    pub const JWKS_KEY_NOT_FOUND: &str = "jwks_key_not_found";
    /// The JWKS could not be fetched or read, discovery names no `jwks_uri`, or a recent fetch failed
    /// (BEHAVIOUR.md §3.2, §9.6). Carried by `IdTokenError`.
    pub const JWKS_FETCH_ERROR: &str = "jwks_fetch_error";
    // AccessTokenError (BEHAVIOUR.md §4)
    /// `getAccessToken` found no session (BEHAVIOUR.md §4). Carried by `AccessTokenError`.
    pub const MISSING_SESSION: &str = "missing_session";
    /// No usable access token in the session and no refresh token to get one (BEHAVIOUR.md §4). Carried by
    /// `AccessTokenError`.
    pub const MISSING_REFRESH_TOKEN: &str = "missing_refresh_token";
    /// The refresh failed: its discovery, the refresh-token grant, or the verification of the ID token
    /// it returned; that failure is the cause (BEHAVIOUR.md §4, §9.5). Carried by `AccessTokenError`.
    pub const REFRESH_TOKEN_ERROR: &str = "refresh_token_error";
    /// `fetchWithAuth` could not call the API: the request could not be built or sent, timed out,
    /// or its `fetch` answered something other than a `Response`; the runtime's error is the cause
    /// (BEHAVIOUR.md §12.6). An answer of the API, whatever its status, is no error. Carried by
    /// `AccessTokenError`.
    pub const API_REQUEST_FAILED: &str = "api_request_failed";
    // StoreError (BEHAVIOUR.md §5)
    /// The state store failed; what it threw is the cause (BEHAVIOUR.md §3.6, §5). Carried by `StoreError`.
    pub const STORE_ERROR: &str = "store_error";
    /// A session too large for the store: `CookieStore` writes at most 4 cookies of 3072
    /// characters (BEHAVIOUR.md §10.7); nothing was written. Carried by `StoreError`.
    pub const SESSION_TOO_LARGE: &str = "session_too_large";
    // VerifyAccessTokenError (BEHAVIOUR.md §13): RFC 6750 §3.1's codes, `invalid_token` above included.
    /// A request without a usable access token, or a malformed one (RFC 6750 §3.1): status 400, or
    /// 401 with a bare challenge when the request carries no credentials at all (§13.4). Carried by
    /// `VerifyAccessTokenError`.
    pub const INVALID_REQUEST: &str = "invalid_request";
    /// The token is valid but lacks a required scope (RFC 6750 §3.1): status 403. Carried by
    /// `VerifyAccessTokenError`.
    pub const INSUFFICIENT_SCOPE: &str = "insufficient_scope";
    /// The tenant's discovery or JWKS could not be read, so nothing could be verified (not the
    /// caller's fault): status 503, the failure as the cause. Carried by `VerifyAccessTokenError`.
    pub const TEMPORARILY_UNAVAILABLE: &str = "temporarily_unavailable";
    /// A DPoP-bound token's proof is missing or does not hold (RFC 9449 §7.1): its key is not the
    /// token's, or its `htm`, `htu`, `iat`, `ath` or signature is wrong, or its `jti` was seen
    /// (BEHAVIOUR.md §13.3): status 401, a `DPoP` challenge. Carried by `VerifyAccessTokenError`.
    pub const INVALID_DPOP_PROOF: &str = "invalid_dpop_proof";
}

/// What caused an error, when something did.
#[derive(Clone)]
#[non_exhaustive]
pub enum Cause {
    /// A JavaScript value: what the host threw or rejected with (a network `TypeError`, a store's
    /// error), or the JSON error body the authorization server sent, as the host parsed it.
    Js(wasm_bindgen::JsValue),
    /// Another error of this crate (e.g. the discovery failure behind an exchange failure).
    Error(Box<Error>),
}

/// An error of this crate: its [`ErrorKind`], a stable code, a message that names what failed, and
/// where known the HTTP status and the [`Cause`].
#[derive(Clone)]
pub struct Error {
    kind: ErrorKind,
    code: Cow<'static, str>,
    message: Cow<'static, str>,
    status: Option<u16>,
    cause: Option<Cause>,
    challenge: Option<String>,
}

impl Error {
    /// An error of `kind` with one of the [`code`](mod@code) constants.
    #[inline(never)]
    pub fn new(kind: ErrorKind, code: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Error {
            kind,
            code: Cow::Borrowed(code),
            message: message.into(),
            status: None,
            cause: None,
            challenge: None,
        }
    }

    /// An error whose code came from the server (e.g. `invalid_grant`).
    pub fn with_code(kind: ErrorKind, code: String, message: impl Into<Cow<'static, str>>) -> Self {
        Error {
            kind,
            code: Cow::Owned(code),
            message: message.into(),
            status: None,
            cause: None,
            challenge: None,
        }
    }

    /// A `CustomTokenExchangeError` ([`ErrorKind::CustomTokenExchange`]).
    #[inline(never)]
    pub fn exchange(code: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::CustomTokenExchange, code, message)
    }

    /// A `ConfigurationError` ([`ErrorKind::Configuration`]).
    #[inline(never)]
    pub fn config(code: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::Configuration, code, message)
    }

    /// An `IdTokenError` ([`ErrorKind::IdToken`]).
    #[inline(never)]
    pub fn id_token(code: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::IdToken, code, message)
    }

    /// Sets the HTTP status of the response behind the error (`status` in JavaScript).
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets the `WWW-Authenticate` challenge an API answers the error with (RFC 6750 §3, RFC 9449 §7.1).
    pub fn challenge(mut self, challenge: String) -> Self {
        self.challenge = Some(challenge);
        self
    }

    /// The `WWW-Authenticate` value to answer a `VerifyAccessTokenError` with.
    pub fn www_authenticate(&self) -> Option<&str> {
        self.challenge.as_deref()
    }

    /// Sets what caused the error (`cause` in JavaScript).
    pub fn cause(mut self, cause: Cause) -> Self {
        self.cause = Some(cause);
        self
    }

    /// Which family the error belongs to: the JavaScript class it becomes.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable code: one of the [`code`](mod@code) constants, or the server's `error` passed
    /// through.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The message: it names the option, field or rule that failed, options spelled as a Rust
    /// caller writes them (`"subject_token"`).
    pub fn message(&self) -> Cow<'_, str> {
        rust_spelling(&self.message)
    }

    /// The message as JavaScript callers read it, options spelled as they write them
    /// (`"subjectToken"`).
    pub fn js_message(&self) -> &str {
        &self.message
    }

    /// The HTTP status of the response behind the error, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        self.status
    }

    /// What caused the error, when something did.
    pub fn source_cause(&self) -> Option<&Cause> {
        self.cause.as_ref()
    }

    /// The status an HTTP endpoint answers this error with, separating the caller's mistakes
    /// from outages: 400 for exchange input refused before sending (and a session transfer's bad
    /// redirect target), the tenant's own 4xx, 502 when the tenant was unreachable or answered
    /// garbage, 401 for an ID token that failed or no usable access token, 503 when the store
    /// failed, an API's refusal as BEHAVIOUR.md §13.5 sets it (400, 401, 403, 503), 500 for the deployment's or the code's mistakes (every other configuration error).
    pub fn response_status(&self) -> u16 {
        match self.kind {
            ErrorKind::CustomTokenExchange => match self.status {
                Some(s @ 400..=499) => s,
                _ if matches!(&*self.code, code::TOKEN_EXCHANGE_FAILED | code::INVALID_RESPONSE) => 502,
                _ => 400,
            },
            ErrorKind::IdToken | ErrorKind::AccessToken => 401,
            ErrorKind::Store => 503,
            ErrorKind::VerifyAccessToken => self.status.unwrap_or(401),
            ErrorKind::Configuration if self.code == code::INVALID_PARAMETER => 400,
            ErrorKind::Configuration => 500,
        }
    }
}

impl core::fmt::Debug for Error {
    // The cause may be a server body or a JS object; Debug shows only what is known to be safe.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct(self.kind.class_name())
            .field("code", &self.code)
            .field("message", &self.message())
            .field("status", &self.status)
            .field("has_cause", &self.cause.is_some())
            .finish()
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

/// The options whose JavaScript and Rust names differ, quoted as messages quote them.
const SPELLINGS: [(&str, &str); 20] = [
    ("\"subjectToken\"", "\"subject_token\""),
    ("\"subjectTokenType\"", "\"subject_token_type\""),
    ("\"actorToken\"", "\"actor_token\""),
    ("\"actorTokenType\"", "\"actor_token_type\""),
    ("\"requestedTokenType\"", "\"requested_token_type\""),
    ("\"authorizationParams\"", "\"authorization_params\""),
    ("\"allowedDomains\"", "\"allowed_domains\""),
    ("\"allowedRedirectOrigins\"", "\"allowed_redirect_origins\""),
    ("\"clientId\"", "\"client_id\""),
    ("\"clientSecret\"", "\"client_secret\""),
    ("\"clientAuthMethod\"", "\"client_auth_method\""),
    ("\"clientAssertionSigningKey\"", "\"client_assertion_signing_key\""),
    ("\"clientAssertionSigningAlg\"", "\"client_assertion_signing_alg\""),
    ("\"stateIdentifier\"", "\"state_identifier\""),
    ("\"sessionDuration\"", "\"session_duration\""),
    ("\"timeoutMs\"", "\"timeout_ms\""),
    ("\"stateStore\"", "\"state_store\""),
    ("\"targetLoginUrl\"", "\"target_login_url\""),
    ("\"returnTo\"", "\"return_to\""),
    ("\"domain\" function", "\"domain_resolver\""),
];

/// `message` with each option named as Rust spells it.
fn rust_spelling(message: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(message);
    for (js, rust) in SPELLINGS {
        if out.contains(js) {
            out = Cow::Owned(out.replace(js, rust));
        }
    }
    out
}

impl core::error::Error for Error {}

/// A string that must never be printed: a token, a client secret, a session secret.
/// `Debug` prints `[redacted]`; the value is reached only through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value that must never be printed.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for where it is sent or used; never for a message or a log.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_owned())
    }
}

/// Appends the decimal form of `n` (no `format!` machinery in the wasm for this).
pub(crate) fn push_u64(out: &mut String, n: u64) {
    // The largest power of ten not above n (1 for 0), then one digit per power, downwards.
    let mut p: u64 = 1;
    while p <= n / 10 {
        p *= 10;
    }
    loop {
        // checked_div: p is never 0, and no panic path for the compiler to keep.
        out.push(char::from(b'0' + (n.checked_div(p).unwrap_or(0) % 10) as u8));
        if p == 1 {
            break;
        }
        p /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug() {
        let s = Secret::new("super-secret-value");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some([redacted])");
        assert_eq!(s.expose(), "super-secret-value");
    }

    #[test]
    fn debug_of_error_omits_the_cause() {
        let e = Error::exchange(code::TOKEN_EXCHANGE_FAILED, "Token exchange failed: HTTP 500")
            .status(500)
            .cause(Cause::Error(Box::new(Error::exchange(code::INVALID_RESPONSE, "access_token=abc"))));
        let d = format!("{e:?}");
        assert!(d.contains("CustomTokenExchangeError") && d.contains("500"));
        assert!(!d.contains("abc"));
    }

    #[test]
    fn response_statuses_separate_mistakes_from_outages() {
        let cases = [
            (Error::exchange(code::INVALID_TOKEN_FORMAT, ""), 400),
            (Error::with_code(ErrorKind::CustomTokenExchange, "invalid_grant".into(), "").status(403), 403),
            (Error::exchange(code::TOKEN_EXCHANGE_FAILED, "").status(503), 502),
            (Error::exchange(code::TOKEN_EXCHANGE_FAILED, ""), 502),
            (Error::exchange(code::INVALID_RESPONSE, "").status(200), 502),
            (Error::id_token(code::INVALID_SIGNATURE, ""), 401),
            (Error::new(ErrorKind::AccessToken, code::MISSING_SESSION, ""), 401),
            (Error::new(ErrorKind::Store, code::STORE_ERROR, ""), 503),
            (Error::config(code::INVALID_STORE_OPTIONS, ""), 500),
            (Error::config(code::DOMAIN_NOT_ALLOWED, ""), 500),
            (Error::config(code::INVALID_PARAMETER, ""), 400),
        ];
        for (e, status) in cases {
            assert_eq!(e.response_status(), status, "{}", e.code());
        }
    }

    #[test]
    fn rust_callers_read_options_as_they_spell_them() {
        let e = Error::exchange(
            code::INVALID_TOKEN_FORMAT,
            "\"subjectToken\" and \"subjectTokenType\" are required and must be strings",
        );
        assert_eq!(
            e.message(),
            "\"subject_token\" and \"subject_token_type\" are required and must be strings"
        );
        assert_eq!(e.to_string(), e.message());
        assert_eq!(
            e.js_message(),
            "\"subjectToken\" and \"subjectTokenType\" are required and must be strings"
        );
        let e =
            Error::config(code::INVALID_DOMAIN, "the \"domain\" function did not answer a tenant's domain");
        assert_eq!(e.message(), "the \"domain_resolver\" did not answer a tenant's domain");
        // Unquoted words and other quoted text are left alone.
        let e = Error::exchange(
            code::INVALID_TOKEN_FORMAT,
            "\"subjectToken\" must not carry a \"Bearer\" prefix",
        );
        assert_eq!(e.message(), "\"subject_token\" must not carry a \"Bearer\" prefix");
    }

    #[test]
    fn push_u64_writes_decimal() {
        let mut cases = vec![0u64, 7, 5000, u64::MAX, u64::MAX - 1];
        for k in 1..20 {
            let p = 10u64.pow(k);
            cases.extend([p - 1, p, p + 1]);
        }
        for n in cases {
            let mut s = String::new();
            push_u64(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
