//! Options in (SPEC §11): each option is an own property of the caller's object, read once, typed,
//! and measured before it is copied into wasm memory. A value of the wrong type, or one whose
//! read threw, is [`Input::WrongType`]; the core decides which error that is, in SPEC order.
//! No caller value reaches serde-wasm-bindgen or is formatted.

use crate::client::{HostParts, SigningKey};
use crate::core::options::{
    Input, ParamValue, RawClientOptions, RawExchangeOptions, MAX_OPTION_BYTES, MAX_PARAMS_BYTES,
    MAX_PARAM_VALUES, MAX_TOKEN_BYTES,
};
use crate::core::state::LogoutOptions;
use crate::error::{code, Error, Secret};
use crate::host::sys::object_entries;
use crate::host::value::{self, is_nullish, is_plain_object, js_len, own, Bad};
use crate::session::GetAccessTokenOptions;
use crate::store::Store;
use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

/// Most session secrets one client takes (the first seals, all open).
const MAX_SECRETS: usize = 16;
/// Most entries of `allowedDomains` or `allowedRedirectOrigins`.
const MAX_LISTED: usize = 100;

fn input<T>(r: Result<Option<T>, Bad>) -> Input<T> {
    match r {
        Ok(None) => Input::Absent,
        Ok(Some(v)) => Input::Given(v),
        Err(Bad::WrongType) => Input::WrongType,
        Err(Bad::TooLong) => Input::TooLong,
    }
}

/// `o[key]` as a string of at most `limit` bytes.
fn string_at(o: &JsValue, key: &str, limit: usize) -> Input {
    input(own(o, key).and_then(|v| value::string(&v, limit)))
}

fn secret_at(o: &JsValue, key: &str, limit: usize) -> Input<Secret> {
    string_at(o, key, limit).map(Secret::new)
}

fn number_at(o: &JsValue, key: &str) -> Input<f64> {
    input(own(o, key).and_then(|v| match v.as_f64() {
        Some(n) => Ok(Some(n)),
        None if is_nullish(&v) => Ok(None),
        None => Err(Bad::WrongType),
    }))
}

fn bool_at(o: &JsValue, key: &str) -> Input<bool> {
    input(own(o, key).and_then(|v| match v.as_bool() {
        Some(b) => Ok(Some(b)),
        None if is_nullish(&v) => Ok(None),
        None => Err(Bad::WrongType),
    }))
}

/// `fetch`, `stateStore`, `clientAssertionSigningKey`: absent, of the right shape, or wrong.
fn shape(v: &Result<JsValue, Bad>, ok: bool) -> Input<()> {
    match v {
        Ok(v) if is_nullish(v) => Input::Absent,
        Ok(_) if ok => Input::Given(()),
        _ => Input::WrongType,
    }
}

/// `secret`: one string or an array of strings.
fn secrets(v: Result<JsValue, Bad>) -> Input<Vec<Secret>> {
    match v.as_ref().map(|v| value::string(v, MAX_OPTION_BYTES)) {
        Ok(Ok(Some(s))) => Input::Given(vec![Secret::new(s)]),
        Ok(Err(Bad::TooLong)) => Input::TooLong,
        _ => strings(v, MAX_SECRETS).map(|list| list.into_iter().map(Secret::new).collect()),
    }
}

/// A list of strings of at most `max` items of at most 8 KiB each: `Input::WrongType` for
/// anything else (a lone string included).
fn strings(v: Result<JsValue, Bad>, max: usize) -> Input<Vec<String>> {
    let v = match v {
        Ok(v) if is_nullish(&v) => return Input::Absent,
        Ok(v) => v,
        Err(e) => return input(Err(e)),
    };
    let items = match value::list(&v, max) {
        Ok(Some(items)) => items,
        Ok(None) => return Input::WrongType,
        Err(e) => return input(Err(e)),
    };
    let mut out = Vec::with_capacity(items.len());
    for item in &items {
        match value::string(item, MAX_OPTION_BYTES) {
            Ok(Some(s)) => out.push(s),
            Ok(None) => return Input::WrongType,
            Err(e) => return input(Err(e)),
        }
    }
    Input::Given(out)
}

/// The client options (SPEC §1) and the host objects among them.
pub fn client_options(options: &JsValue) -> (RawClientOptions, HostParts) {
    let mut host = HostParts { fetch: None, signing_key: None, store: None, domain_resolver: None };
    if !is_plain_object(options) {
        return (RawClientOptions { is_object: false, ..Default::default() }, host);
    }
    let o = options;
    // `domain`: a string, or a function of the store options (SPEC §8.4).
    let domain = own(o, "domain");
    host.domain_resolver = domain.as_ref().ok().and_then(|d| d.dyn_ref::<Function>().cloned());
    let key = own(o, "clientAssertionSigningKey");
    let key_is_private = key.as_ref().is_ok_and(|k| {
        is_plain_object(k) && value::get(k, "type").is_some_and(|t| t == JsValue::from_str("private"))
    });
    let pem = key.as_ref().ok().and_then(|k| value::string(k, MAX_OPTION_BYTES).ok().flatten());
    let key_ok = pem.is_some() || key_is_private;
    host.signing_key = match pem {
        Some(pem) => Some(SigningKey::Pem(Secret::new(pem))),
        None if key_is_private => key.as_ref().ok().cloned().map(SigningKey::CryptoKey),
        None => None,
    };
    let fetch = own(o, "fetch");
    host.fetch = fetch.as_ref().ok().and_then(|f| f.dyn_ref::<Function>().cloned());
    let store = own(o, "stateStore");
    let store_ok = store.as_ref().is_ok_and(|s| {
        is_plain_object(s)
            && ["get", "set", "delete"].iter().all(|m| value::get(s, m).is_some_and(|f| f.is_function()))
    });
    host.store = store_ok.then(|| store.clone().ok().map(Store)).flatten();
    let raw = RawClientOptions {
        is_object: true,
        domain: if host.domain_resolver.is_some() {
            Input::Absent
        } else {
            input(domain.and_then(|d| value::string(&d, MAX_OPTION_BYTES)))
        },
        domain_resolver: host.domain_resolver.is_some(),
        allowed_domains: strings(own(o, "allowedDomains"), MAX_LISTED),
        allowed_redirect_origins: strings(own(o, "allowedRedirectOrigins"), MAX_LISTED),
        client_id: string_at(o, "clientId", MAX_OPTION_BYTES),
        client_secret: secret_at(o, "clientSecret", MAX_OPTION_BYTES),
        client_auth_method: string_at(o, "clientAuthMethod", MAX_OPTION_BYTES),
        client_assertion_signing_key: shape(&key, key_ok),
        client_assertion_signing_alg: string_at(o, "clientAssertionSigningAlg", MAX_OPTION_BYTES),
        secret: secrets(own(o, "secret")),
        state_identifier: string_at(o, "stateIdentifier", MAX_OPTION_BYTES),
        session_duration: number_at(o, "sessionDuration"),
        timeout_ms: number_at(o, "timeoutMs"),
        telemetry: bool_at(o, "telemetry"),
        fetch: shape(&fetch, host.fetch.is_some()),
        state_store: shape(&store, store_ok),
    };
    (raw, host)
}

/// An `authorizationParams` value (SPEC §2.3): numbers and booleans as JavaScript writes them,
/// arrays of strings as lists; `total` counts its bytes (SPEC §9.3), measured before any copy.
fn param(v: &JsValue, total: &mut usize) -> ParamValue {
    if is_nullish(v) {
        return ParamValue::Absent;
    }
    if let Some(n) = js_len(v) {
        *total += n;
        return match value::string(v, MAX_OPTION_BYTES) {
            Ok(Some(s)) => ParamValue::Str(s),
            _ => ParamValue::TooLong,
        };
    }
    if let Some(b) = v.as_bool() {
        return ParamValue::Str(if b { "true" } else { "false" }.to_owned());
    }
    if let Some(n) = v.as_f64() {
        // `String(n)`, as the host writes numbers.
        return js_sys::Number::from(n)
            .to_string_with_radix(10)
            .ok()
            .and_then(|s| s.as_string())
            .map_or(ParamValue::Invalid, ParamValue::Str);
    }
    let items = match value::list(v, MAX_PARAM_VALUES) {
        Ok(Some(items)) => items,
        Ok(None) | Err(Bad::WrongType) => return ParamValue::Invalid,
        Err(Bad::TooLong) => return ParamValue::TooMany,
    };
    // Measured first, copied only when every item is a string within its limit.
    let mut long = false;
    for item in &items {
        match js_len(item) {
            Some(n) => {
                *total += n;
                long |= n > MAX_OPTION_BYTES;
            }
            None => return ParamValue::Invalid,
        }
    }
    if long {
        return ParamValue::TooLong;
    }
    ParamValue::List(items.iter().filter_map(JsValue::as_string).collect())
}

/// `authorizationParams`: absent, an object's own entries in order, or not an object.
fn authorization_params(v: Result<JsValue, Bad>) -> Input<Vec<(String, ParamValue)>> {
    let p = match v {
        Ok(p) if is_nullish(&p) => return Input::Absent,
        Ok(p) if is_plain_object(&p) => p,
        _ => return Input::WrongType,
    };
    let Ok(entries) = object_entries(&p) else { return Input::WrongType };
    let mut total = 0usize;
    let mut params = Vec::new();
    for e in entries.iter() {
        let e: Array = e.unchecked_into();
        let (key, value) = (e.get(0), e.get(1));
        total += js_len(&key).unwrap_or(0);
        if total > MAX_PARAMS_BYTES {
            return Input::TooLong;
        }
        let value = param(&value, &mut total);
        if total > MAX_PARAMS_BYTES {
            return Input::TooLong;
        }
        params.push((key.as_string().unwrap_or_default(), value));
    }
    Input::Given(params)
}

/// `customTokenExchange` options (also those of the login and of a session transfer).
pub fn exchange_options(options: &JsValue) -> RawExchangeOptions {
    if !is_plain_object(options) {
        return RawExchangeOptions { is_object: false, ..Default::default() };
    }
    let o = options;
    RawExchangeOptions {
        is_object: true,
        subject_token: secret_at(o, "subjectToken", MAX_TOKEN_BYTES),
        subject_token_type: string_at(o, "subjectTokenType", MAX_OPTION_BYTES),
        audience: string_at(o, "audience", MAX_OPTION_BYTES),
        scope: string_at(o, "scope", MAX_OPTION_BYTES),
        actor_token: secret_at(o, "actorToken", MAX_TOKEN_BYTES),
        actor_token_type: string_at(o, "actorTokenType", MAX_OPTION_BYTES),
        organization: string_at(o, "organization", MAX_OPTION_BYTES),
        requested_token_type: string_at(o, "requestedTokenType", MAX_OPTION_BYTES),
        authorization_params: authorization_params(own(o, "authorizationParams")),
    }
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

/// `logout` options.
pub fn logout_options(v: &JsValue) -> Result<LogoutOptions, Error> {
    let o = options_object(v, "logout options must be an object")?;
    let return_to =
        optional_string(o, "returnTo", "logout option \"returnTo\" must be a string of at most 8 KiB")?;
    let federated = match o.map(|o| bool_at(o, "federated")) {
        None | Some(Input::Absent) => false,
        Some(Input::Given(b)) => b,
        Some(_) => {
            return Err(Error::config(code::INVALID_OPTION, "logout option \"federated\" must be a boolean"))
        }
    };
    Ok(LogoutOptions { return_to: return_to.filter(|s| !s.is_empty()), federated })
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
