//! Options in (BEHAVIOUR.md §11): each option is an own property of the caller's object, read once, typed,
//! and measured before it is copied into wasm memory, straight into the Rust API's structs. What
//! a struct cannot hold (a wrong type, a read that threw, a string too long to copy) is noted in
//! [`Faults`], for the core to refuse in rule order. No caller value reaches serde-wasm-bindgen
//! or is formatted.

use crate::core::options::{
    ApiClientOptions, ClientAuthMethod, ClientOptions, CustomTokenExchangeOptions, DpopKeyPair, Fault,
    Faults, OnBehalfOfOptions, ParamValue, SessionTransferOptions, SigningAlg, SigningKey,
    VerifyAccessTokenOptions, VerifyRequestOptions, MAX_LISTED_CLAIMS, MAX_OPTION_BYTES, MAX_PARAMS_BYTES,
    MAX_PARAM_VALUES, MAX_TOKEN_BYTES,
};
use crate::core::state::LogoutOptions;
use crate::error::{code, Error, Secret};
use crate::host::sys::object_entries;
use crate::host::value::{self, is_nullish, is_plain_object, js_len, own, Bad};
use crate::session::GetAccessTokenOptions;
use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

/// Most session secrets one client takes (the first seals, all open).
const MAX_SECRETS: usize = 16;
/// Most entries of `allowedDomains` or `allowedRedirectOrigins`.
const MAX_LISTED: usize = 100;
/// Largest whole number a double holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// One options object being read, and what was found wrong in it.
struct Reader<'a> {
    o: &'a JsValue,
    faults: Faults,
}

impl<'a> Reader<'a> {
    fn new(o: &'a JsValue) -> Self {
        Reader { o, faults: Faults::NONE }
    }

    fn note(&mut self, key: &'static str, bad: Bad) {
        self.faults.note(key, if bad == Bad::TooLong { Fault::TooLong } else { Fault::WrongType });
    }

    /// The own property `key`, or `None` with its fault noted.
    fn raw(&mut self, key: &'static str) -> Option<JsValue> {
        let v = value::own_key(self.o, key).map_err(|b| self.note(key, b)).ok()?;
        Some(v.unwrap_or(JsValue::UNDEFINED))
    }

    /// `key` read by `f`: `None` when absent, or with its fault noted.
    fn read<T>(
        &mut self,
        key: &'static str,
        f: impl FnOnce(&JsValue) -> Result<Option<T>, Bad>,
    ) -> Option<T> {
        // Absent: no read (every reader takes `undefined` as absent).
        match value::own_key(self.o, key).and_then(|v| v.map_or(Ok(None), |v| f(&v))) {
            Ok(v) => v,
            Err(b) => {
                self.note(key, b);
                None
            }
        }
    }

    fn string(&mut self, key: &'static str, limit: usize) -> Option<String> {
        self.read(key, |v| value::string(v, limit))
    }

    /// A required string: absent is a wrong type too.
    fn required(&mut self, key: &'static str, limit: usize) -> String {
        let s = self.string(key, limit);
        if s.is_none() && !self.faults.has(key) {
            self.note(key, Bad::WrongType);
        }
        s.unwrap_or_default()
    }

    /// A whole number from 0 to `max`.
    fn whole(&mut self, key: &'static str, max: f64) -> Option<f64> {
        self.read(key, |v| match v.as_f64() {
            Some(n) if n >= 0.0 && n <= max && n == n.trunc() => Ok(Some(n)),
            None if is_nullish(v) => Ok(None),
            _ => Err(Bad::WrongType),
        })
    }

    fn bool(&mut self, key: &'static str) -> Option<bool> {
        self.read(key, |v| match v.as_bool() {
            Some(b) => Ok(Some(b)),
            None if is_nullish(v) => Ok(None),
            None => Err(Bad::WrongType),
        })
    }

    /// A non-empty list of at most `max` strings of at most 8 KiB each; empty when absent.
    fn strings(&mut self, key: &'static str, max: usize) -> Vec<String> {
        self.read(key, |v| string_list(v, max)).unwrap_or_default()
    }

    /// `secret`: one string or an array of strings.
    fn secrets(&mut self) -> Vec<Secret> {
        let secrets = self.read("secret", |v| match value::string(v, MAX_OPTION_BYTES) {
            Ok(Some(s)) => Ok(Some(vec![s])),
            Err(Bad::TooLong) => Err(Bad::TooLong),
            _ => string_list(v, MAX_SECRETS),
        });
        secrets.unwrap_or_default().into_iter().map(Secret::new).collect()
    }

    /// A string naming one of a closed set: anything else is a wrong type.
    fn named<T>(&mut self, key: &'static str, parse: fn(&str) -> Option<T>) -> Option<T> {
        self.read(key, |v| match value::string(v, MAX_OPTION_BYTES)? {
            Some(s) => parse(&s).map(Some).ok_or(Bad::WrongType),
            None => Ok(None),
        })
    }

    /// A host object checked by `ok`: `None` when absent, a wrong type when `ok` refuses it.
    fn object<T>(&mut self, key: &'static str, ok: impl FnOnce(JsValue) -> Option<T>) -> Option<T> {
        self.read(key, |v| match v {
            v if is_nullish(v) => Ok(None),
            v => ok(v.clone()).map(Some).ok_or(Bad::WrongType),
        })
    }

    /// `authorizationParams` (BEHAVIOUR.md §2.3): an object's own entries in order, `null` values left
    /// out; its bytes counted (BEHAVIOUR.md §9.3) before anything is copied.
    fn params(&mut self) -> Vec<(String, ParamValue)> {
        let key = "authorizationParams";
        let Some(p) = self.raw(key) else { return Vec::new() };
        if is_nullish(&p) {
            return Vec::new();
        }
        let entries = match is_plain_object(&p).then(|| object_entries(&p).ok()).flatten() {
            Some(entries) => entries,
            None => {
                self.note(key, Bad::WrongType);
                return Vec::new();
            }
        };
        let mut total = 0usize;
        let mut params = Vec::new();
        let mut value_fault = None;
        for e in entries.iter() {
            let e: Array = e.unchecked_into();
            let (name, value) = (e.get(0), e.get(1));
            total += js_len(&name).unwrap_or(0);
            let value = param(&value, &mut total);
            if total > MAX_PARAMS_BYTES {
                self.note(key, Bad::TooLong);
                return Vec::new();
            }
            match value {
                Ok(Some(v)) => params.push((name.as_string().unwrap_or_default(), v)),
                Ok(None) => {}
                // A value too long is named first (sizes come first), else the first fault.
                Err(f) if value_fault.is_none() || f == Fault::ValueTooLong => value_fault = Some(f),
                Err(_) => {}
            }
        }
        if let Some(f) = value_fault {
            self.faults.note(key, f);
        }
        params
    }
}

/// `v` as a non-empty list of at most `max` strings of at most 8 KiB each (`None` when nullish).
fn string_list(v: &JsValue, max: usize) -> Result<Option<Vec<String>>, Bad> {
    if is_nullish(v) {
        return Ok(None);
    }
    let items = value::list(v, max)?.filter(|items| !items.is_empty()).ok_or(Bad::WrongType)?;
    items
        .iter()
        .map(|item| value::string(item, MAX_OPTION_BYTES)?.ok_or(Bad::WrongType))
        .collect::<Result<_, _>>()
        .map(Some)
}

/// The client options (BEHAVIOUR.md §1).
pub fn client_options(options: &JsValue) -> (ClientOptions, Faults) {
    if !is_plain_object(options) {
        return (ClientOptions::default(), Faults::not_object());
    }
    let mut r = Reader::new(options);
    // `domain`: a string, or a function of the store options (BEHAVIOUR.md §8.4).
    let domain = r.raw("domain");
    let domain_resolver = domain.as_ref().and_then(|d| d.dyn_ref::<Function>().cloned());
    let domain = match (&domain_resolver, domain) {
        (None, Some(d)) => match value::string(&d, MAX_OPTION_BYTES) {
            Ok(d) => d.unwrap_or_default(),
            Err(b) => {
                r.note("domain", b);
                String::new()
            }
        },
        _ => String::new(),
    };
    let o = ClientOptions {
        domain,
        domain_resolver,
        allowed_domains: r.strings("allowedDomains", MAX_LISTED),
        allowed_redirect_origins: r.strings("allowedRedirectOrigins", MAX_LISTED),
        client_id: r.string("clientId", MAX_OPTION_BYTES).unwrap_or_default(),
        client_secret: r.string("clientSecret", MAX_OPTION_BYTES).map(Secret::new),
        client_auth_method: r.named("clientAuthMethod", ClientAuthMethod::parse),
        client_assertion_signing_key: r.object("clientAssertionSigningKey", signing_key),
        client_assertion_signing_alg: r.named("clientAssertionSigningAlg", SigningAlg::parse),
        secret: r.secrets(),
        state_identifier: r.string("stateIdentifier", MAX_OPTION_BYTES),
        session_duration: r.whole("sessionDuration", MAX_SAFE_INTEGER).map(|n| n as u64),
        timeout_ms: r.whole("timeoutMs", f64::from(u32::MAX)).map(|n| n as u32),
        telemetry: r.bool("telemetry"),
        fetch: r.object("fetch", |f| f.dyn_into::<Function>().ok()),
        state_store: r.object("stateStore", |s| {
            let methods = ["get", "set", "delete"];
            (is_plain_object(&s)
                && methods.iter().all(|m| value::get(&s, m).is_some_and(|f| f.is_function())))
            .then_some(s)
        }),
        dpop_key_pair: r.object("dpopKeyPair", |p| {
            let key = |name: &str| value::own(&p, name).ok()?.dyn_into::<web_sys::CryptoKey>().ok();
            Some(DpopKeyPair { private_key: key("privateKey")?, public_key: key("publicKey")? })
        }),
        refresh_coordinator_fallback: r.bool("refreshCoordinatorFallback"),
        refresh_coordinator: r.object("refreshCoordinator", |c| {
            (is_plain_object(&c) && value::get(&c, "run").is_some_and(|f| f.is_function())).then_some(c)
        }),
    };
    (o, r.faults)
}

/// An `authorizationParams` value (BEHAVIOUR.md §2.3): numbers and booleans as JavaScript writes them,
/// arrays of strings as lists, `null` as nothing; `total` counts its bytes, measured before any
/// copy.
fn param(v: &JsValue, total: &mut usize) -> Result<Option<ParamValue>, Fault> {
    if is_nullish(v) {
        return Ok(None);
    }
    if let Some(n) = js_len(v) {
        *total += n;
        return value::string(v, MAX_OPTION_BYTES)
            .ok()
            .flatten()
            .map(|s| Some(ParamValue::Str(s)))
            .ok_or(Fault::ValueTooLong);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Some(ParamValue::Str(if b { "true" } else { "false" }.to_owned())));
    }
    if let Some(n) = v.as_f64() {
        // `String(n)`, as the host writes numbers.
        return js_sys::Number::from(n)
            .to_string_with_radix(10)
            .ok()
            .and_then(|s| s.as_string())
            .map(|s| Some(ParamValue::Str(s)))
            .ok_or(Fault::ValueInvalid);
    }
    let items = match value::list(v, MAX_PARAM_VALUES) {
        Ok(Some(items)) => items,
        Ok(None) | Err(Bad::WrongType) => return Err(Fault::ValueInvalid),
        Err(Bad::TooLong) => return Err(Fault::TooManyValues),
    };
    // Measured first, copied only when every item is a string within its limit.
    let mut long = false;
    for item in &items {
        let n = js_len(item).ok_or(Fault::ValueInvalid)?;
        *total += n;
        long |= n > MAX_OPTION_BYTES;
    }
    if long {
        return Err(Fault::ValueTooLong);
    }
    Ok(Some(ParamValue::List(items.iter().filter_map(JsValue::as_string).collect())))
}

/// `customTokenExchange` options (also those of the login).
pub fn exchange_options(options: &JsValue) -> (CustomTokenExchangeOptions, Faults) {
    if !is_plain_object(options) {
        return (CustomTokenExchangeOptions::default(), Faults::not_object());
    }
    let mut r = Reader::new(options);
    let o = CustomTokenExchangeOptions {
        subject_token: Secret::new(r.required("subjectToken", MAX_TOKEN_BYTES)),
        subject_token_type: r.required("subjectTokenType", MAX_OPTION_BYTES),
        audience: r.string("audience", MAX_OPTION_BYTES),
        scope: r.string("scope", MAX_OPTION_BYTES),
        actor_token: r.string("actorToken", MAX_TOKEN_BYTES).map(Secret::new),
        actor_token_type: r.string("actorTokenType", MAX_OPTION_BYTES),
        organization: r.string("organization", MAX_OPTION_BYTES),
        requested_token_type: r.string("requestedTokenType", MAX_OPTION_BYTES),
        authorization_params: r.params(),
    };
    (o, r.faults)
}

/// `requestSessionTransferToken` options.
pub fn session_transfer_options(options: &JsValue) -> (SessionTransferOptions, Faults) {
    if !is_plain_object(options) {
        return (SessionTransferOptions::default(), Faults::not_object());
    }
    let mut r = Reader::new(options);
    let o = SessionTransferOptions {
        subject_token: Secret::new(r.required("subjectToken", MAX_TOKEN_BYTES)),
        subject_token_type: r.required("subjectTokenType", MAX_OPTION_BYTES),
        scope: r.string("scope", MAX_OPTION_BYTES),
        actor_token: r.string("actorToken", MAX_TOKEN_BYTES).map(Secret::new),
        actor_token_type: r.string("actorTokenType", MAX_OPTION_BYTES),
        organization: r.string("organization", MAX_OPTION_BYTES),
    };
    (o, r.faults)
}

/// An optional options object of a method: nullish, or a plain object.
fn options_object<'a>(v: &'a JsValue, message: &'static str) -> Result<Option<&'a JsValue>, Error> {
    if is_nullish(v) {
        Ok(None)
    } else if is_plain_object(v) {
        Ok(Some(v))
    } else {
        Err(Error::config(code::INVALID_OPTION, message))
    }
}

/// `o[key]` as an optional string of at most 8 KiB, else `invalid_option` with `message`.
fn optional_string(o: Option<&JsValue>, key: &str, message: &'static str) -> Result<Option<String>, Error> {
    let Some(o) = o else { return Ok(None) };
    own(o, key)
        .and_then(|v| value::string(&v, MAX_OPTION_BYTES))
        .map_err(|_| Error::config(code::INVALID_OPTION, message))
}

/// `getAccessToken` options.
pub fn get_access_token_options(v: &JsValue) -> Result<GetAccessTokenOptions, Error> {
    let o = options_object(v, "getAccessToken options must be an object")?;
    let message = "getAccessToken options \"audience\" and \"scope\" must be strings of at most 8 KiB";
    Ok(GetAccessTokenOptions {
        audience: optional_string(o, "audience", message)?,
        scope: optional_string(o, "scope", message)?,
    })
}

/// `getDPoPHeaders` options: `{ url, method, accessToken }`, each a string (the token at most
/// 64 KiB, the others 8 KiB); `method` defaults to `GET`.
pub fn dpop_headers_options(v: &JsValue) -> Result<(String, String, Secret), Error> {
    let message = "getDPoPHeaders needs { url, method?, accessToken }: strings, the token at most 64 KiB";
    let o = options_object(v, message)?.ok_or_else(|| Error::config(code::INVALID_OPTION, message))?;
    let url = optional_string(Some(o), "url", message)?.filter(|u| !u.is_empty());
    let method = optional_string(Some(o), "method", message)?.filter(|m| !m.is_empty());
    let token = own(o, "accessToken")
        .and_then(|t| value::string(&t, MAX_TOKEN_BYTES))
        .map_err(|_| Error::config(code::INVALID_OPTION, message))?
        .filter(|t| !t.is_empty());
    match (url, token) {
        (Some(url), Some(token)) => Ok((url, method.unwrap_or_else(|| "GET".into()), Secret::new(token))),
        _ => Err(Error::config(code::INVALID_OPTION, message)),
    }
}

/// `fetchWithAuth`'s request: a new `Request` of the caller's (a `Request`, or a URL string), so
/// that what is read later is the runtime's own object.
pub fn api_request(input: &JsValue) -> Result<web_sys::Request, Error> {
    let bad = || Error::config(code::INVALID_OPTION, "fetchWithAuth needs a Request or a URL string");
    if let Some(r) = input.dyn_ref::<web_sys::Request>() {
        return web_sys::Request::new_with_request(r).map_err(|_| bad());
    }
    let url = value::string(input, MAX_OPTION_BYTES).ok().flatten().ok_or_else(bad)?;
    web_sys::Request::new_with_str(&url).map_err(|_| bad())
}

/// `logout` options.
pub fn logout_options(v: &JsValue) -> Result<LogoutOptions, Error> {
    let o = options_object(v, "logout options must be an object")?;
    let return_to =
        optional_string(o, "returnTo", "logout option \"returnTo\" must be a string of at most 8 KiB")?;
    let mut r = o.map(Reader::new);
    let federated = r.as_mut().and_then(|r| r.bool("federated"));
    if r.is_some_and(|r| !r.faults.is_empty()) {
        return Err(Error::config(code::INVALID_OPTION, "logout option \"federated\" must be a boolean"));
    }
    Ok(LogoutOptions {
        return_to: return_to.filter(|s| !s.is_empty()),
        federated: federated.unwrap_or(false),
    })
}

/// `buildSessionTransferRedirect`'s arguments: the URL, the token of the result, the organization.
pub fn redirect_arguments(
    target_login_url: &JsValue,
    result: &JsValue,
    options: &JsValue,
) -> Result<(String, String, Option<String>), Error> {
    let bad = |message: &'static str| Error::config(code::INVALID_PARAMETER, message);
    let url = value::string(target_login_url, MAX_OPTION_BYTES).ok().flatten().ok_or_else(|| {
        bad("\"targetLoginUrl\" must be an absolute https: URL (http: only for loopback hosts) of at most 8 KiB")
    })?;
    let token = is_plain_object(result)
        .then(|| own(result, "sessionTransferToken").ok())
        .flatten()
        .and_then(|t| value::string(&t, MAX_TOKEN_BYTES).ok().flatten())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| bad("\"result\" must be what requestSessionTransferToken answered"))?;
    let organization = match options_object(options, "") {
        Ok(o) => optional_string(o, "organization", ""),
        Err(e) => Err(e),
    }
    .map_err(|_| {
        bad("buildSessionTransferRedirect option \"organization\" must be a string of at most 8 KiB")
    })?;
    Ok((url, token, organization))
}

/// `clientAssertionSigningKey`: a PKCS#8 PEM, or a private CryptoKey (WebCrypto checks its usages
/// when it signs).
fn signing_key(k: JsValue) -> Option<SigningKey> {
    match value::string(&k, MAX_OPTION_BYTES) {
        Ok(Some(pem)) => Some(SigningKey::Pem(Secret::new(pem))),
        _ if is_plain_object(&k) && value::get(&k, "type").is_some_and(|t| t == "private") => {
            Some(SigningKey::CryptoKey(k))
        }
        _ => None,
    }
}

/// `getTokenOnBehalfOf` options: `{ audience, scope? }`.
pub fn on_behalf_of_options(options: &JsValue) -> Result<OnBehalfOfOptions, Error> {
    let bad = || {
        Error::exchange(
            code::INVALID_PARAMETER,
            "getTokenOnBehalfOf options must be { audience, scope? }: strings of at most 8 KiB",
        )
    };
    if !is_plain_object(options) {
        return Err(bad());
    }
    let mut r = Reader::new(options);
    let o = OnBehalfOfOptions {
        audience: r.string("audience", MAX_OPTION_BYTES).unwrap_or_default(),
        scope: r.string("scope", MAX_OPTION_BYTES),
    };
    if r.faults.is_empty() {
        Ok(o)
    } else {
        Err(bad())
    }
}

/// `ApiClient` options (BEHAVIOUR.md §13.1).
pub fn api_client_options(options: &JsValue) -> (ApiClientOptions, Faults) {
    if !is_plain_object(options) {
        return (ApiClientOptions::default(), Faults::not_object());
    }
    let mut r = Reader::new(options);
    let o = ApiClientOptions {
        domain: r.string("domain", MAX_OPTION_BYTES).unwrap_or_default(),
        allowed_domains: r.strings("allowedDomains", MAX_LISTED),
        audience: r.string("audience", MAX_OPTION_BYTES).unwrap_or_default(),
        fetch: r.object("fetch", |f| f.dyn_into::<Function>().ok()),
        timeout_ms: r.whole("timeoutMs", f64::from(u32::MAX)).map(|n| n as u32),
        leeway: r.whole("leeway", f64::from(u32::MAX)).map(|n| n as u32),
        client_id: r.string("clientId", MAX_OPTION_BYTES),
        client_secret: r.string("clientSecret", MAX_OPTION_BYTES).map(Secret::new),
        client_assertion_signing_key: r.object("clientAssertionSigningKey", signing_key),
        dpop_replay_cache: r.object("dpopReplayCache", |c| {
            (is_plain_object(&c) && value::get(&c, "firstUse").is_some_and(|f| f.is_function())).then_some(c)
        }),
    };
    (o, r.faults)
}

/// `verifyAccessToken` options (BEHAVIOUR.md §13.2).
pub fn verify_options(options: &JsValue) -> (VerifyAccessTokenOptions, Faults) {
    if !is_plain_object(options) {
        return (VerifyAccessTokenOptions::default(), Faults::not_object());
    }
    let mut r = Reader::new(options);
    let o = VerifyAccessTokenOptions {
        access_token: Secret::new(r.string("accessToken", MAX_TOKEN_BYTES).unwrap_or_default()),
        required_claims: r.strings("requiredClaims", MAX_LISTED_CLAIMS),
        scopes: r.strings("scopes", MAX_LISTED_CLAIMS),
        scheme: r.string("scheme", MAX_OPTION_BYTES),
        dpop_proof: r.string("dpopProof", MAX_OPTION_BYTES),
        http_method: r.string("httpMethod", MAX_OPTION_BYTES),
        http_url: r.string("httpUrl", MAX_TOKEN_BYTES),
    };
    (o, r.faults)
}

/// `verifyRequest` options (BEHAVIOUR.md §13.4): nullish, or `{ requiredClaims?, scopes? }`.
pub fn verify_request_options(options: &JsValue) -> Result<VerifyRequestOptions, Error> {
    let Some(o) = options_object(options, "verifyRequest options must be an object")? else {
        return Ok(VerifyRequestOptions::default());
    };
    let mut r = Reader::new(o);
    let o = VerifyRequestOptions {
        required_claims: r.strings("requiredClaims", MAX_LISTED_CLAIMS),
        scopes: r.strings("scopes", MAX_LISTED_CLAIMS),
    };
    if r.faults.is_empty() {
        return Ok(o);
    }
    Err(Error::config(
        code::INVALID_OPTION,
        "\"requiredClaims\" and \"scopes\" must be arrays of at most 100 names",
    ))
}

/// `{ [key]: value }`: an argument passed alone, read by the options reader that knows its rules.
pub fn object_of(key: &str, value: &JsValue) -> JsValue {
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &JsValue::from_str(key), value);
    o.into()
}
