//! The workers-rs bridge (cargo feature `worker`): what a Rust Worker on the `worker` crate needs
//! around [`ServerClient`](crate::ServerClient): `?` on this crate's errors in a handler, an error
//! response with the status each error calls for, the built-in stores from the Worker's
//! bindings, and store options from the request.
//!
//! In a handler: `workers::kv_store(&env, "SESSIONS", &Default::default())?` as the client's
//! `state_store`, `workers::store_options(&req, &headers)` as each call's store options (the
//! store appends `Set-Cookie` to `headers`), and on failure `workers::error_response(&e, headers)`.

use crate::error::{code, Error, ErrorKind};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::stores::{self, StoreOptions};
use serde::Serialize;
use wasm_bindgen::JsValue;

/// `?` on this crate's errors in a handler returning `worker::Result`: a `RustError` of the
/// error's code and message (a message never holds a token or a secret).
impl From<Error> for worker::Error {
    fn from(e: Error) -> Self {
        let mut message = String::from(e.code());
        message.push_str(": ");
        message.push_str(&e.message());
        worker::Error::RustError(message)
    }
}

/// A workers-rs failure (a body that cannot be read, a header that cannot be set) as this
/// crate's error, for handlers that return `Result<_, auth0_edge::Error>`: a `ConfigurationError`
/// `configuration_error` whose message names the kind of failure, not its text.
pub fn internal(e: worker::Error) -> Error {
    let what = match e {
        worker::Error::JsError(_) | worker::Error::Internal(_) => {
            "a JavaScript call of the worker crate failed"
        }
        worker::Error::BindingError(_) => "a binding of the Worker is missing",
        _ => "the worker crate failed",
    };
    Error::config(code::CONFIGURATION_ERROR, what)
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_description: Option<&'a str>,
}

/// The JSON response for `e`, with `headers` (those the store options wrote `Set-Cookie` to):
/// status [`Error::response_status`] (400 for refused input, the tenant's 4xx, 502 for an
/// unreachable tenant, 401, 503 for a failed store, 500 for the deployment's mistakes, an API's
/// refusal as BEHAVIOUR.md §13.5 sets it), body `{"error": code}` (and `error_description` for
/// an exchange error or an API's refusal: the rule that refused it, or the tenant's description),
/// `Cache-Control: no-store`, and an API refusal's `WWW-Authenticate`.
pub fn error_response(e: &Error, headers: worker::Headers) -> worker::Result<worker::Response> {
    let message = e.message();
    let status = e.response_status();
    if status >= 500 {
        // The deployment's mistake or an outage: the body says only the code, the log says what
        // went wrong (messages never hold a token or a secret).
        worker::console_error!("auth0-edge {} ({}): {}", e.code(), e.kind().class_name(), message);
    }
    let body = ErrorBody {
        error: e.code(),
        error_description: matches!(e.kind(), ErrorKind::CustomTokenExchange | ErrorKind::VerifyAccessToken)
            .then_some(&*message),
    };
    headers.set("content-type", "application/json; charset=utf-8")?;
    headers.set("cache-control", "no-store")?;
    if let Some(challenge) = e.www_authenticate() {
        headers.set("www-authenticate", challenge)?;
    }
    Ok(worker::Response::from_json(&body)?.with_status(status).with_headers(headers))
}

/// `new KvStore(env[binding], options)`: sessions in the Workers KV namespace bound as `binding`
/// (the name `env.kv(binding)` takes; the `worker::kv::KvStore` it returns does not expose the
/// binding object the store needs). A missing binding or a bad option is a `ConfigurationError`
/// `invalid_option`.
pub fn kv_store(env: &worker::Env, binding: &str, options: &StoreOptions) -> Result<JsValue, Error> {
    stores::kv_store(&binding_of(env, binding, "kv_namespaces")?, options)
}

/// `env[binding]`; absent, a `ConfigurationError` `invalid_option` naming it and where it is
/// declared.
fn binding_of(env: &worker::Env, binding: &str, declared_in: &str) -> Result<JsValue, Error> {
    let value = js_sys::Reflect::get(env.as_ref(), &JsValue::from_str(binding)).unwrap_or_default();
    if !value.is_undefined() {
        return Ok(value);
    }
    let mut message = String::from("the Worker has no binding \"");
    message.push_str(binding);
    message.push_str("\": declare it in wrangler's \"");
    message.push_str(declared_in);
    message.push_str("\" (and in the Worker's environment when testing)");
    Err(Error::config(code::INVALID_OPTION, message))
}

/// `new DurableObjectStore(env[binding], options)`: sessions in Durable Objects of the package's
/// `SessionDurableObject` class, bound as `binding`; strongly consistent across locations. The
/// class must be exported by a Worker: bind its namespace here (`script_name` names another
/// Worker that exports it). A missing binding or a bad option is `invalid_option`.
pub fn durable_object_store(
    env: &worker::Env,
    binding: &str,
    options: &StoreOptions,
) -> Result<JsValue, Error> {
    stores::durable_object_store(&binding_of(env, binding, "durable_objects")?, options)
}

/// `new DurableObjectReplayCache(env[binding])`: the DPoP proofs an `ApiClient` accepted, shared
/// by every isolate and location (see [`stores::durable_object_replay_cache`]), for
/// [`crate::ApiClientOptions::dpop_replay_cache`]; the binding may be the store's. A missing
/// binding is a `Configuration` error `invalid_option`.
pub fn durable_object_replay_cache(env: &worker::Env, binding: &str) -> Result<JsValue, Error> {
    stores::durable_object_replay_cache(&binding_of(env, binding, "durable_objects")?)
}

/// `new DurableObjectRefreshCoordinator(env[binding])`: one refresh per refresh token across
/// isolates and locations (see [`stores::durable_object_refresh_coordinator`]), for
/// [`crate::ClientOptions::refresh_coordinator`]; the binding may be the store's. A missing
/// binding is `invalid_option`.
pub fn durable_object_refresh_coordinator(env: &worker::Env, binding: &str) -> Result<JsValue, Error> {
    stores::durable_object_refresh_coordinator(&binding_of(env, binding, "durable_objects")?)
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/pkg-templates/stores.js")]
extern "C" {
    #[wasm_bindgen(js_name = SessionDurableObject)]
    type SessionDurableObjectJs;
    #[wasm_bindgen(constructor)]
    fn new(state: &JsValue, env: &JsValue) -> SessionDurableObjectJs;
    #[wasm_bindgen(method, catch)]
    async fn fetch(this: &SessionDurableObjectJs, request: &web_sys::Request) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    async fn alarm(this: &SessionDurableObjectJs) -> Result<JsValue, JsValue>;
}

/// The package's `SessionDurableObject` (the Durable Object behind
/// [`durable_object_store`] and [`durable_object_refresh_coordinator`]) inside a workers-rs
/// Durable Object: the Worker declares the class and forwards `fetch` and `alarm`.
///
/// ```ignore
/// #[worker::durable_object]
/// pub struct SessionDurableObject(auth0_edge::workers::SessionObject);
///
/// impl worker::DurableObject for SessionDurableObject {
///     fn new(state: worker::State, env: worker::Env) -> Self {
///         Self(auth0_edge::workers::SessionObject::new(&state, &env))
///     }
///     async fn fetch(&self, req: worker::Request) -> worker::Result<worker::Response> {
///         self.0.fetch(req).await
///     }
///     async fn alarm(&self) -> worker::Result<worker::Response> {
///         self.0.alarm().await
///     }
/// }
/// ```
/// Bind it in wrangler.toml (`[[durable_objects.bindings]]` with `class_name =
/// "SessionDurableObject"`, and a migration with `new_sqlite_classes`).
pub struct SessionObject(SessionDurableObjectJs);

impl SessionObject {
    /// The object of `state` (its storage holds the sessions and refresh results).
    pub fn new(state: &worker::State, env: &worker::Env) -> Self {
        SessionObject(SessionDurableObjectJs::new(state.as_raw(), env.as_ref()))
    }

    /// Answers the store's and the coordinator's requests.
    pub async fn fetch(&self, request: worker::Request) -> worker::Result<worker::Response> {
        let response = self.0.fetch(request.inner()).await.map_err(worker::Error::from)?;
        Ok(worker::Response::from(web_sys::Response::from(response)))
    }

    /// Deletes what the object holds when its session's lifetime or a refresh's window is over.
    pub async fn alarm(&self) -> worker::Result<worker::Response> {
        self.0.alarm().await.map_err(worker::Error::from)?;
        worker::Response::empty()
    }
}

/// The store options of one request for the cookie-carrying stores: the session cookie is read
/// from `request`, `Set-Cookie` lines are appended to `headers` (put them on the response).
pub fn store_options(request: &worker::Request, headers: &worker::Headers) -> JsValue {
    stores::http_options(request.inner(), &headers.0)
}
