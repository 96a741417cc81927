//! Where sessions live (BEHAVIOUR.md §5, §9.1): the injected state store, a JavaScript object with `get`,
//! `set` and `delete`, each call awaited within the client's timeout. There is no default: a
//! session method of a client without a store is a `missing_state_store` configuration error.

use crate::error::{code, Cause, Error, ErrorKind};
use crate::host::{self, HttpFailure};
#[allow(unused_imports)]
use crate::prelude::*;
use js_sys::Array;
use wasm_bindgen::JsValue;

/// The state store: an object with `get`, `set` and `delete` methods (BEHAVIOUR.md §5).
#[derive(Clone, Debug)]
pub struct Store(pub JsValue);

pub(crate) fn store_error(message: &'static str) -> Error {
    Error::new(ErrorKind::Store, code::STORE_ERROR, message)
}

/// `{what}: {reason}{then}`, the reason the store's error message (or the deadline), its error
/// the cause: the headline says why, not only that.
fn with_reason(what: &str, then: &str, f: HttpFailure, timeout_ms: u32) -> (String, Cause) {
    let cause = match f {
        HttpFailure::Network(cause) => cause,
        HttpFailure::Timeout => host::timeout_cause(timeout_ms),
    };
    let mut message = String::from(what);
    message.push_str(": ");
    message.push_str(
        host::value::error_message(&cause).as_deref().unwrap_or("it threw a value that is not an Error"),
    );
    message.push_str(then);
    (message, Cause::Js(cause))
}

fn store_failure(what: &str, then: &str, f: HttpFailure, timeout_ms: u32) -> Error {
    let (message, cause) = with_reason(what, then, f, timeout_ms);
    Error::new(ErrorKind::Store, code::STORE_ERROR, message).cause(cause)
}

/// Calls `store[method](...args)` and awaits its result within the client's timeout: a missing
/// method, a throw, a rejection or a throwing thenable is a failure, never an exception.
async fn call_store(
    store: &JsValue,
    method: &str,
    args: &[JsValue],
    timeout_ms: u32,
) -> Result<JsValue, HttpFailure> {
    let args: Array = args.iter().collect();
    let result = host::value::call_method(store, method, &args).map_err(HttpFailure::Network)?;
    host::settle(&result, timeout_ms).await
}

/// Whether a store's error says `code: "session_too_large"`.
fn too_large(cause: &JsValue) -> bool {
    host::value::get(cause, "code").is_some_and(|c| c == JsValue::from_str(code::SESSION_TOO_LARGE))
}

/// Longest sealed session a store may answer (BEHAVIOUR.md §11.4): a longer one reads as none, uncopied.
pub const MAX_SEALED_CHARS: usize = 1024 * 1024;

impl Store {
    /// Asks the store whether `so` serves it, before anything else happens: its optional
    /// `checkOptions(storeOptions, forWrite)` (the built-in stores need the request, and a
    /// response or headers to write cookies). A throw or a rejection is the caller's mistake, a
    /// `ConfigurationError` `invalid_store_options` whose message carries the store's reason.
    pub(crate) async fn check(&self, so: &JsValue, for_write: bool, timeout_ms: u32) -> Result<(), Error> {
        if !host::value::get(&self.0, "checkOptions").is_some_and(|f| f.is_function()) {
            return Ok(());
        }
        call_store(&self.0, "checkOptions", &[so.clone(), for_write.into()], timeout_ms)
            .await
            .map(|_| ())
            .map_err(|f| {
                let (message, cause) = with_reason("the state store refused storeOptions", "", f, timeout_ms);
                Error::config(code::INVALID_STORE_OPTIONS, message).cause(cause)
            })
    }

    pub(crate) async fn get(
        &self,
        id: &str,
        store_options: &JsValue,
        timeout_ms: u32,
    ) -> Result<Option<String>, Error> {
        let v = call_store(&self.0, "get", &[id.into(), store_options.clone()], timeout_ms)
            .await
            .map_err(|f| store_failure("the state store's get failed", "", f, timeout_ms))?;
        // Anything but a string of at most 1 MiB (null, undefined, garbage) is "no session".
        Ok(host::value::short_string(&v, MAX_SEALED_CHARS))
    }

    pub(crate) async fn set(
        &self,
        id: &str,
        value: String,
        remove_if_exists: bool,
        so: &JsValue,
        timeout_ms: u32,
    ) -> Result<(), Error> {
        let args = [id.into(), value.into(), remove_if_exists.into(), so.clone()];
        call_store(&self.0, "set", &args, timeout_ms).await.map(|_| ()).map_err(|f| match f {
            // A store that says the session is too large for it (CookieStore, BEHAVIOUR.md §10.7).
            HttpFailure::Network(cause) if too_large(&cause) => Error::new(
                ErrorKind::Store,
                code::SESSION_TOO_LARGE,
                "the session is too large for cookies (more than 4 of 3072 characters): nothing was \
                 written; keep large sessions in a server-side store (Workers KV, Deno KV, Durable Objects)",
            )
            .cause(Cause::Js(cause)),
            f => store_failure("the state store's set failed", "; no session was written", f, timeout_ms),
        })
    }

    pub(crate) async fn delete(&self, id: &str, so: &JsValue, timeout_ms: u32) -> Result<(), Error> {
        call_store(&self.0, "delete", &[id.into(), so.clone()], timeout_ms)
            .await
            .map(|_| ())
            .map_err(|f| store_failure("the state store's delete failed", "", f, timeout_ms))
    }
}
