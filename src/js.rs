//! The JavaScript API (`#[wasm_bindgen]` exports). It only classifies JavaScript values into the
//! core's input model, calls the Rust API, and converts results and errors, the latter in
//! exactly one place: [`to_js_error`].

use crate::client::{ServerClient, SigningKey};
use crate::core::json::Value;
use crate::core::options::{
    validate_exchange_options, Input, ParamValue, RawClientOptions, RawExchangeOptions,
};
use crate::error::{code, ErrorKind};
use crate::error::{Cause, Error, Secret};
use crate::host::{self, object};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::session::Store;
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

#[wasm_bindgen(raw_module = "./errors.js")]
extern "C" {
    /// Builds an instance of the package's error class `class_name` (see pkg-templates/errors.js).
    #[wasm_bindgen(js_name = createError)]
    fn create_error(
        class_name: &str,
        code: &str,
        message: &str,
        status: Option<u16>,
        cause: JsValue,
    ) -> JsValue;
}

/// The one conversion of a Rust error into a JavaScript `Error` subclass with `code`, `status`
/// and `cause`.
fn to_js_error(e: Error) -> JsValue {
    let cause = match e.source_cause() {
        None => JsValue::UNDEFINED,
        Some(Cause::Body(v)) => json_to_js(v),
        Some(Cause::Js(v)) => v.clone(),
        Some(Cause::Error(inner)) => to_js_error((**inner).clone()),
    };
    create_error(e.kind().class_name(), e.code(), e.message(), e.http_status(), cause)
}

/// Every method's future goes through this one boxed type, so `future_to_promise` and its task
/// machinery are instantiated once instead of once per method (measured: smaller wasm).
type JsResult = Result<JsValue, JsValue>;
fn promise(f: impl core::future::Future<Output = JsResult> + 'static) -> Promise {
    let boxed: core::pin::Pin<Box<dyn core::future::Future<Output = JsResult>>> = Box::pin(f);
    future_to_promise(boxed)
}

fn json_to_js(v: &Value) -> JsValue {
    js_sys::JSON::parse(&v.to_json()).unwrap_or(JsValue::UNDEFINED)
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    if obj.is_object() || obj.is_function() {
        // A throwing getter counts as a value of the wrong type.
        Reflect::get(obj, &JsValue::from_str(key)).unwrap_or_else(|_| Object::new().into())
    } else {
        JsValue::UNDEFINED
    }
}

/// An object that is not an array (a Proxy whose checks throw counts as neither).
fn is_plain_object(v: &JsValue) -> bool {
    v.is_object() && host::is_array(v) == Ok(false)
}

fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

fn string_input(v: JsValue) -> Input {
    match v.as_string() {
        Some(s) => Input::Given(s),
        None if absent(&v) => Input::Absent,
        None => Input::WrongType,
    }
}

fn secret_input(v: JsValue) -> Input<Secret> {
    match string_input(v) {
        Input::Given(s) => Input::Given(Secret::new(s)),
        Input::Absent => Input::Absent,
        Input::WrongType => Input::WrongType,
    }
}

fn number_input(v: JsValue) -> Input<f64> {
    match v.as_f64() {
        Some(n) => Input::Given(n),
        None if absent(&v) => Input::Absent,
        None => Input::WrongType,
    }
}

/// Present and a function / an object with the given methods: `Given(())`.
fn shape_input(v: &JsValue, methods: &[&str]) -> Input<()> {
    if absent(v) {
        Input::Absent
    } else if (methods.is_empty() && v.is_function())
        || (!methods.is_empty() && v.is_object() && methods.iter().all(|m| get(v, m).is_function()))
    {
        Input::Given(())
    } else {
        Input::WrongType
    }
}

fn param_value(v: &JsValue) -> ParamValue {
    if absent(v) {
        ParamValue::Absent
    } else if let Some(s) = v.as_string() {
        ParamValue::Str(s)
    } else if let Some(b) = v.as_bool() {
        ParamValue::Str(if b { "true" } else { "false" }.into())
    } else if v.as_f64().is_some() {
        // Number.prototype.toString: what String(n) gives.
        ParamValue::Str(
            js_sys::Number::from(v.clone()).to_string_with_radix(10).map(String::from).unwrap_or_default(),
        )
    } else if v.is_object() {
        // An array of strings, or anything else (an object, an array with another member, a
        // value whose reading throws): invalid.
        match host::string_list(v) {
            Ok(list) if Array::is_array(&list) => {
                ParamValue::List(Array::from(&list).iter().filter_map(|s| s.as_string()).collect())
            }
            _ => ParamValue::Invalid,
        }
    } else {
        ParamValue::Invalid
    }
}

fn exchange_options(options: &JsValue) -> RawExchangeOptions {
    let params = get(options, "authorizationParams");
    let authorization_params = if absent(&params) {
        Input::Absent
    } else if is_plain_object(&params) {
        match host::entries(&params) {
            Ok(list) => Input::Given(
                list.iter()
                    .map(|entry| {
                        let pair = Array::from(&entry);
                        (pair.get(0).as_string().unwrap_or_default(), param_value(&pair.get(1)))
                    })
                    .collect(),
            ),
            // Reading the object threw (a getter, a Proxy trap): not a usable object.
            Err(_) => Input::WrongType,
        }
    } else {
        Input::WrongType
    };
    RawExchangeOptions {
        is_object: is_plain_object(options),
        subject_token: secret_input(get(options, "subjectToken")),
        subject_token_type: string_input(get(options, "subjectTokenType")),
        audience: string_input(get(options, "audience")),
        scope: string_input(get(options, "scope")),
        actor_token: secret_input(get(options, "actorToken")),
        actor_token_type: string_input(get(options, "actorTokenType")),
        organization: string_input(get(options, "organization")),
        authorization_params,
    }
}

/// A `ServerClient` for JavaScript (SPEC §1).
#[wasm_bindgen(js_name = ServerClient)]
pub struct JsServerClient {
    client: ServerClient,
}

#[wasm_bindgen(js_class = ServerClient)]
impl JsServerClient {
    /// Validates the options; throws a `ConfigurationError`. Makes no network call.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JsServerClient, JsValue> {
        let secret = get(&options, "secret");
        let secret = if let Some(s) = secret.as_string() {
            Input::Given(vec![Secret::new(s)])
        } else if secret.is_object() {
            match host::string_list(&secret) {
                Ok(list) if Array::is_array(&list) => Input::Given(
                    Array::from(&list).iter().filter_map(|s| s.as_string()).map(Secret::new).collect(),
                ),
                _ => Input::WrongType,
            }
        } else if absent(&secret) {
            Input::Absent
        } else {
            Input::WrongType
        };
        let key = get(&options, "clientAssertionSigningKey");
        let signing_key = if let Some(pem) = key.as_string() {
            Some(SigningKey::Pem(Secret::new(pem)))
        } else if key.is_object() && get(&key, "type").as_string().as_deref() == Some("private") {
            Some(SigningKey::CryptoKey(key.clone()))
        } else {
            None
        };
        let fetch = get(&options, "fetch");
        let telemetry = get(&options, "telemetry");
        let raw = RawClientOptions {
            is_object: is_plain_object(&options),
            domain: string_input(get(&options, "domain")),
            client_id: string_input(get(&options, "clientId")),
            client_secret: secret_input(get(&options, "clientSecret")),
            client_auth_method: string_input(get(&options, "clientAuthMethod")),
            client_assertion_signing_key: match (&signing_key, absent(&key)) {
                (Some(_), _) => Input::Given(()),
                (None, true) => Input::Absent,
                (None, false) => Input::WrongType,
            },
            client_assertion_signing_alg: string_input(get(&options, "clientAssertionSigningAlg")),
            secret,
            state_identifier: string_input(get(&options, "stateIdentifier")),
            session_duration: number_input(get(&options, "sessionDuration")),
            timeout_ms: number_input(get(&options, "timeoutMs")),
            telemetry: match telemetry.as_bool() {
                Some(b) => Input::Given(b),
                None if absent(&telemetry) => Input::Absent,
                None => Input::WrongType,
            },
            fetch: shape_input(&fetch, &[]),
            state_store: shape_input(&get(&options, "stateStore"), &["get", "set", "delete"]),
        };
        let fetch = fetch.is_function().then(|| fetch.unchecked_into::<Function>());
        let store = match raw.state_store {
            Input::Given(()) => Store::Js(get(&options, "stateStore")),
            _ => Store::Memory,
        };
        ServerClient::from_raw(&raw, fetch, signing_key, store)
            .map(|client| JsServerClient { client })
            .map_err(to_js_error)
    }

    /// Exchanges a subject token for Auth0 tokens (SPEC §2). Rejects with a
    /// `CustomTokenExchangeError` (or `ConfigurationError` for a tenant misconfiguration).
    #[wasm_bindgen(js_name = customTokenExchange)]
    pub fn custom_token_exchange(&self, options: JsValue, _store_options: JsValue) -> Promise {
        let client = self.client.clone();
        let raw = exchange_options(&options);
        promise(async move {
            let input = validate_exchange_options(&raw).map_err(to_js_error)?;
            let r = client.exchange(&input).await.map_err(to_js_error)?;
            let out = object(&[
                ("accessToken", r.access_token.expose().into()),
                ("tokenType", r.token_type.into()),
                ("expiresIn", (r.expires_in as f64).into()),
            ]);
            let optional = [
                ("scope", r.scope),
                ("idToken", r.id_token.map(|t| t.expose().to_owned())),
                ("refreshToken", r.refresh_token.map(|t| t.expose().to_owned())),
                ("issuedTokenType", r.issued_token_type),
            ];
            for (k, v) in optional {
                if let Some(v) = v {
                    let _ = Reflect::set(&out, &JsValue::from_str(k), &JsValue::from_str(&v));
                }
            }
            if let Some(act) = r.act {
                let _ = Reflect::set(&out, &JsValue::from_str("act"), &json_to_js(&act));
            }
            Ok(out.into())
        })
    }

    /// Exchanges tokens and opens a session (SPEC §3): resolves to `{ stateData }`.
    #[wasm_bindgen(js_name = loginWithCustomTokenExchange)]
    pub fn login_with_custom_token_exchange(&self, options: JsValue, store_options: JsValue) -> Promise {
        let client = self.client.clone();
        let raw = exchange_options(&options);
        promise(async move {
            let input = validate_exchange_options(&raw).map_err(to_js_error)?;
            let state = client.login(&input, &store_options).await.map_err(to_js_error)?;
            let state_data = js_sys::JSON::parse(&state.to_camel_json(true))?;
            Ok(object(&[("stateData", state_data)]).into())
        })
    }

    /// The session in camelCase, or `undefined` (SPEC §4).
    #[wasm_bindgen(js_name = getSession)]
    pub fn get_session(&self, store_options: JsValue) -> Promise {
        let client = self.client.clone();
        promise(async move {
            match client.get_session(&store_options).await.map_err(to_js_error)? {
                Some(state) => js_sys::JSON::parse(&state.to_camel_json(false)),
                None => Ok(JsValue::UNDEFINED),
            }
        })
    }

    /// The session's user (claims as issued, `act` included), or `undefined`.
    #[wasm_bindgen(js_name = getUser)]
    pub fn get_user(&self, store_options: JsValue) -> Promise {
        let client = self.client.clone();
        promise(async move {
            Ok(client
                .get_user(&store_options)
                .await
                .map_err(to_js_error)?
                .map_or(JsValue::UNDEFINED, |u| json_to_js(&u)))
        })
    }

    /// An access token from the session, refreshed when due (SPEC §4). Options:
    /// `{ audience?, scope? }`.
    #[wasm_bindgen(js_name = getAccessToken)]
    pub fn get_access_token(&self, store_options: JsValue, options: JsValue) -> Promise {
        let client = self.client.clone();
        let audience = string_option(&options, "audience", "getAccessToken");
        let scope = string_option(&options, "scope", "getAccessToken");
        promise(async move {
            let (audience, scope) = (audience?, scope?);
            let token = client
                .get_access_token(&store_options, audience.as_deref(), scope.as_deref())
                .await
                .map_err(to_js_error)?;
            Ok(JsValue::from_str(token.expose()))
        })
    }

    /// Deletes the session; resolves to the tenant's logout URL. Options: `{ returnTo? }`.
    #[wasm_bindgen]
    pub fn logout(&self, store_options: JsValue, options: JsValue) -> Promise {
        let client = self.client.clone();
        let return_to = string_option(&options, "returnTo", "logout");
        promise(async move {
            let return_to = return_to?;
            let url = client.logout(&store_options, return_to.as_deref()).await.map_err(to_js_error)?;
            Ok(JsValue::from_str(&url))
        })
    }
}

/// An optional string member of a method's options object; a wrong type is `invalid_option`.
fn string_option(options: &JsValue, key: &str, method: &'static str) -> Result<Option<String>, JsValue> {
    match string_input(get(options, key)) {
        Input::Absent => Ok(None),
        Input::Given(s) if s.is_empty() => Ok(None),
        Input::Given(s) => Ok(Some(s)),
        Input::WrongType => {
            let message = if method == "logout" {
                "logout option \"returnTo\" must be a string"
            } else {
                "getAccessToken options \"audience\" and \"scope\" must be strings"
            };
            Err(to_js_error(Error::new(ErrorKind::Configuration, code::INVALID_OPTION, message)))
        }
    }
}
