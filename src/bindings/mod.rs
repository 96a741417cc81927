//! The `#[wasm_bindgen]` face of [`ServerClient`]: the npm package's `ServerClient` class is
//! this, built by wasm-bindgen. Options are read by [`read`] (caller values, never trusted),
//! results written by [`view`]; every method is the Rust client's, so JavaScript and Rust callers
//! run the same code. Errors become the package's `Error` subclasses in exactly one place, [`to_js`].

mod read;
mod task;
mod view;

use crate::api::ApiClient;
use crate::client::ServerClient;
use crate::core::options::{
    session_transfer_input, validate_api_options, validate_client_options, validate_exchange_options,
    validate_verify_options,
};
use crate::error::{Cause, Error};
use crate::session::session_transfer_redirect;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/pkg-templates/errors.js")]
extern "C" {
    /// `new <className>(code, message, { status, cause, wwwAuthenticate })`, one of the package's
    /// error classes.
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(
        class_name: &str,
        code: &str,
        message: &str,
        status: Option<u16>,
        cause: &JsValue,
        www_authenticate: Option<String>,
    ) -> JsValue;
}

/// The one conversion of a crate error into the JavaScript error the package exports.
pub fn to_js(e: &Error) -> JsValue {
    let cause = match e.source_cause() {
        None => JsValue::UNDEFINED,
        Some(Cause::Js(v)) => v.clone(),
        Some(Cause::Error(inner)) => to_js(inner),
    };
    let challenge = e.www_authenticate().map(str::to_owned);
    make_error(e.kind().class_name(), e.code(), e.js_message(), e.http_status(), &cause, challenge)
}

type Operation = core::pin::Pin<Box<dyn core::future::Future<Output = Result<JsValue, Error>>>>;

/// Runs `f` as a promise: its error rejects as the package's error class. One instance for every
/// method (the futures are boxed), not one copy of the promise machinery per method.
fn promise(f: Operation) -> Promise {
    task::promise(async move { f.await.map_err(|e| to_js(&e)) })
}

impl JsServerClient {
    /// An operation of the client (`f` gets its own handle on it) as a promise.
    fn run<F, Fut>(&self, f: F) -> Promise
    where
        F: FnOnce(ServerClient) -> Fut,
        Fut: core::future::Future<Output = Result<JsValue, Error>> + 'static,
    {
        promise(Box::pin(f(self.client.clone())))
    }
}

/// The TypeScript shapes of the class's options and results (wasm-bindgen writes them into the
/// package's auth0_edge.d.ts, beside the class whose methods name them).
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// An Auth0 client for Custom Token Exchange and sessions.
#[wasm_bindgen(js_name = ServerClient)]
pub struct JsServerClient {
    client: ServerClient,
}

#[wasm_bindgen(js_class = ServerClient)]
impl JsServerClient {
    /// Validates the options. Makes no network call.
    /// @throws {ConfigurationError}
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ServerClientOptions")] options: JsValue,
    ) -> Result<JsServerClient, JsValue> {
        Self::build(options).map_err(|e| to_js(&e))
    }

    fn build(options: JsValue) -> Result<JsServerClient, Error> {
        let (options, faults) = read::client_options(&options);
        faults.reject(|f| validate_client_options(&options, f))?;
        ServerClient::new(options).map(|client| JsServerClient { client })
    }

    /// Exchanges a subject token for Auth0 tokens.
    /// @throws {CustomTokenExchangeError | ConfigurationError} (as a rejection)
    #[wasm_bindgen(js_name = customTokenExchange, unchecked_return_type = "Promise<TokenExchangeResponse>")]
    pub fn custom_token_exchange(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomTokenExchangeOptions")] options: JsValue,
        #[wasm_bindgen(js_name = storeOptions, unchecked_optional_param_type = "unknown")]
        store_options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            let (options, faults) = read::exchange_options(&options);
            faults.reject(|f| validate_exchange_options(&options, f))?;
            view::token_exchange(client.custom_token_exchange(&options, &store_options).await?)
        })
    }

    /// Exchanges tokens and opens a sealed session in the state store. The ID token is verified
    /// first; a failure writes no session.
    /// @throws {CustomTokenExchangeError | ConfigurationError | IdTokenError | StoreError} (as a rejection)
    #[wasm_bindgen(js_name = loginWithCustomTokenExchange, unchecked_return_type = "Promise<{ stateData: StateData }>")]
    pub fn login_with_custom_token_exchange(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomTokenExchangeOptions")] options: JsValue,
        #[wasm_bindgen(js_name = storeOptions, unchecked_optional_param_type = "unknown")]
        store_options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            client.store()?;
            let (options, faults) = read::exchange_options(&options);
            faults.reject(|f| validate_exchange_options(&options, f))?;
            view::login(&client.login_with_custom_token_exchange(&options, &store_options).await?)
        })
    }

    /// The session, or undefined when absent, unreadable or expired.
    /// @throws {StoreError} (as a rejection)
    #[wasm_bindgen(js_name = getSession, unchecked_return_type = "Promise<SessionData | undefined>")]
    pub fn get_session(
        &self,
        #[wasm_bindgen(js_name = storeOptions, unchecked_optional_param_type = "unknown")]
        store_options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            match client.get_session(&store_options).await? {
                Some(state) => view::state(&state, false),
                None => Ok(JsValue::UNDEFINED),
            }
        })
    }

    /// The session's user (claims as issued, `act` included), or undefined.
    /// @throws {StoreError} (as a rejection)
    #[wasm_bindgen(js_name = getUser, unchecked_return_type = "Promise<SessionUser | undefined>")]
    pub fn get_user(
        &self,
        #[wasm_bindgen(js_name = storeOptions, unchecked_optional_param_type = "unknown")]
        store_options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            Ok(client.get_user(&store_options).await?.map_or(JsValue::UNDEFINED, |u| u.0))
        })
    }

    /// The token set for an audience from the session, refreshed through Auth0 (and stored)
    /// when its access token has 30 s or less left.
    /// @throws {AccessTokenError | ConfigurationError | StoreError} (as a rejection)
    #[wasm_bindgen(js_name = getAccessToken, unchecked_return_type = "Promise<TokenSet>")]
    pub fn get_access_token(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "GetAccessTokenOptions")] options: JsValue,
        #[wasm_bindgen(js_name = storeOptions, unchecked_optional_param_type = "unknown")]
        store_options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            let options = read::get_access_token_options(&options)?;
            view::token_set(&client.get_access_token(&options, &store_options).await?)
        })
    }

    /// A session transfer token for the user (Auth0's native-to-web SSO): a token exchange whose
    /// audience is `urn:{host}:session_transfer`; the actor defaults to the session's ID token.
    /// @throws {CustomTokenExchangeError | ConfigurationError | StoreError} (as a rejection)
    #[wasm_bindgen(js_name = requestSessionTransferToken, unchecked_return_type = "Promise<SessionTransferResult>")]
    pub fn request_session_transfer_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SessionTransferOptions")] options: JsValue,
        #[wasm_bindgen(js_name = storeOptions, unchecked_optional_param_type = "unknown")]
        store_options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            let (options, faults) = read::session_transfer_options(&options);
            faults.reject(|f| session_transfer_input(&options, f))?;
            view::session_transfer(&client.request_session_transfer_token(&options, &store_options).await?)
        })
    }

    /// `targetLoginUrl` with `session_transfer_token` (and `organization`) added to its query.
    /// @throws {ConfigurationError} when `targetLoginUrl` is not an absolute https: URL (http: for loopback hosts) or `result` has no token
    #[wasm_bindgen(js_name = buildSessionTransferRedirect)]
    pub fn build_session_transfer_redirect(
        &self,
        #[wasm_bindgen(js_name = targetLoginUrl)] target_login_url: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SessionTransferResult")] result: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ organization?: string }")] options: JsValue,
    ) -> Result<String, JsValue> {
        let (url, token, organization) =
            read::redirect_arguments(&target_login_url, &result, &options).map_err(|e| to_js(&e))?;
        let allowed = &self.client.config().allowed_redirect_origins;
        session_transfer_redirect(&url, &token, organization.as_deref(), allowed).map_err(|e| to_js(&e))
    }

    /// The headers of a request with a DPoP-bound access token: `{ Authorization: "DPoP <token>",
    /// DPoP: <proof> }`, the proof fresh, with `ath` and the API's latest nonce.
    /// @throws {ConfigurationError} (as a rejection): `missing_dpop_key_pair` without `dpopKeyPair`
    #[wasm_bindgen(js_name = getDPoPHeaders, unchecked_return_type = "Promise<DPoPHeaders>")]
    pub fn get_dpop_headers(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DPoPHeadersOptions")] options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            let (url, method, token) = read::dpop_headers_options(&options)?;
            view::dpop_headers(&client.get_dpop_headers(&url, &method, &token).await?)
        })
    }

    /// Calls an API with the session's access token (refreshed when due, as getAccessToken):
    /// `Authorization: DPoP` and a proof for a DPoP-bound token, `Bearer` otherwise; an API's
    /// `use_dpop_nonce` challenge is met by one retry. Resolves to the API's Response, unread.
    /// @throws {AccessTokenError | ConfigurationError | StoreError} (as a rejection)
    #[wasm_bindgen(js_name = fetchWithAuth, unchecked_return_type = "Promise<Response>")]
    pub fn fetch_with_auth(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Request | string")] request: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "GetAccessTokenOptions")] options: JsValue,
        #[wasm_bindgen(js_name = storeOptions, unchecked_optional_param_type = "unknown")]
        store_options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            let request = read::api_request(&request)?;
            let options = read::get_access_token_options(&options)?;
            Ok(client.fetch_with_auth(&request, &options, &store_options).await?.into())
        })
    }

    /// Deletes the session and returns the tenant's logout URL.
    /// @throws {ConfigurationError | StoreError} (as a rejection)
    #[wasm_bindgen(unchecked_return_type = "Promise<string>")]
    pub fn logout(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "LogoutOptions")] options: JsValue,
        #[wasm_bindgen(js_name = storeOptions, unchecked_optional_param_type = "unknown")]
        store_options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            let options = read::logout_options(&options)?;
            let url = client.logout(&options, &store_options).await?;
            Ok(JsValue::from_str(&url))
        })
    }
}

/// Verifies Auth0 access tokens presented to an API.
#[wasm_bindgen(js_name = ApiClient)]
pub struct JsApiClient {
    client: ApiClient,
}

#[wasm_bindgen(js_class = ApiClient)]
impl JsApiClient {
    /// Validates the options. Makes no network call.
    /// @throws {ConfigurationError}
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ApiClientOptions")] options: JsValue,
    ) -> Result<JsApiClient, JsValue> {
        let (options, faults) = read::api_client_options(&options);
        let built = faults
            .reject(|f| validate_api_options(&options, f))
            .and_then(|()| ApiClient::new(options).map(|client| JsApiClient { client }));
        built.map_err(|e| to_js(&e))
    }

    /// Verifies an access token: its signature by the tenant's JWKS, `typ`, `iss`, `aud`, `exp`,
    /// `iat`, `nbf`, then `requiredClaims` and `scopes`. Resolves to its claims.
    /// @throws {VerifyAccessTokenError | ConfigurationError} (as a rejection)
    #[wasm_bindgen(js_name = verifyAccessToken, unchecked_return_type = "Promise<VerifiedAccessTokenClaims>")]
    pub fn verify_access_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "VerifyAccessTokenOptions")] options: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        promise(Box::pin(async move {
            let (options, faults) = read::verify_options(&options);
            faults
                .reject(|f| validate_verify_options(&options, f))
                .map_err(|e| crate::core::api::answer(e, &options.scopes, options.is_dpop()))?;
            Ok(client.verify_access_token(&options).await?.0)
        }))
    }

    /// Exchanges a caller's access token, verified first (as a Bearer token for this API), for a
    /// token of another API on the caller's behalf. A token that does not verify is never sent.
    /// @throws {VerifyAccessTokenError | CustomTokenExchangeError | ConfigurationError} (as a rejection)
    #[wasm_bindgen(js_name = getTokenOnBehalfOf, unchecked_return_type = "Promise<TokenExchangeResponse>")]
    pub fn get_token_on_behalf_of(
        &self,
        #[wasm_bindgen(js_name = accessToken, unchecked_param_type = "string")] access_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "OnBehalfOfOptions")] options: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        promise(Box::pin(async move {
            let (verify, faults) = read::verify_options(&read::object_of("accessToken", &access_token));
            faults
                .reject(|f| validate_verify_options(&verify, f))
                .map_err(|e| crate::core::api::answer(e, &[], false))?;
            let options = read::on_behalf_of_options(&options)?;
            view::token_exchange(client.get_token_on_behalf_of(&verify.access_token, &options).await?)
        }))
    }

    /// Verifies the access token of a request: its one `Authorization` header (`Bearer` or
    /// `DPoP`), its `DPoP` proof, method and URL. Resolves to the token's claims.
    /// @throws {VerifyAccessTokenError | ConfigurationError} (as a rejection)
    #[wasm_bindgen(js_name = verifyRequest, unchecked_return_type = "Promise<VerifiedAccessTokenClaims>")]
    pub fn verify_request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VerifyRequestOptions")] options: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        promise(Box::pin(async move {
            let options = read::verify_request_options(&options)?;
            Ok(client.verify_request(&request, &options).await?.0)
        }))
    }
}
