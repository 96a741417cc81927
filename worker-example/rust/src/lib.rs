//! The auth0-edge Worker example in Rust, on workers-rs: the JavaScript example's routes, bodies
//! and error statuses, with sessions in Workers KV. Request and response bodies are JSON in
//! snake_case, as OAuth's own token responses are.
//!
//!   POST /exchange  {subject_token, subject_token_type, actor_token?, actor_token_type?,
//!                    audience?, scope?, organization?}  → the token exchange response
//!   POST /login     the same body → {user}; the session goes to KV, its id to a cookie
//!   GET  /me        → {user}, or 401 {error: "missing_session"}
//!   GET  /token     ?audience=&scope= → {access_token, expires_at}, refreshed when due
//!   POST /logout    {return_to?} → {logout_url}; the session is deleted, its cookie cleared
//!   GET  /api       → {status, body}: the API at API_URL called with the session's access token
//!                   (`fetch_with_auth`: DPoP-bound, with a proof, when AUTH0_DPOP_JWK is set)
//!   GET  /protected → this Worker as an API (API_AUDIENCE): the caller's access token verified
//!                   (`ApiClient::verify_request`) → {sub, scope}; a refusal is its status,
//!                   WWW-Authenticate challenge and {error, error_description}
//!   GET  /protected/downstream → the same, then the token exchanged on the caller's behalf for
//!                   one of DOWNSTREAM_AUDIENCE → {sub, downstream: {audience, token_type, expires_in, scope}}
//!
//! Sessions go to Workers KV (SESSION_STORE "kv", the default) or to the package's Durable Object
//! (SESSION_STORE "durable-object"), which this Worker declares as `SessionDurableObject`; with
//! REFRESH_COORDINATOR "durable-object" each refresh runs once per refresh token across isolates.
//!
//! Errors are JSON {error: code} (plus error_description for a failed exchange), never a token
//! or a secret. Configuration comes from vars and secrets only (wrangler.toml, .dev.vars).

#[allow(dead_code)] // not routed: the README's example, kept compiling
mod readme;

use auth0_edge::stores::StoreOptions;
use auth0_edge::{
    dpop, workers, ApiClient, ApiClientOptions, ClientOptions, CustomTokenExchangeOptions, DpopKeyPair,
    Error as Auth0Error, GetAccessTokenOptions, LogoutOptions, OnBehalfOfOptions, Secret, ServerClient,
    TokenExchangeResponse, VerifyRequestOptions,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::cell::RefCell;
use wasm_bindgen::JsValue;
use worker::{durable_object, event, Context, DurableObject, Env, Headers, Method, Request, Response, State};

/// The package's Durable Object (sessions and refresh coordination), declared by this Worker and
/// bound as SESSION_OBJECTS in wrangler.toml.
#[durable_object]
pub struct SessionDurableObject(workers::SessionObject);

impl DurableObject for SessionDurableObject {
    fn new(state: State, env: Env) -> Self {
        Self(workers::SessionObject::new(&state, &env))
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        self.0.fetch(req).await
    }

    async fn alarm(&self) -> worker::Result<Response> {
        self.0.alarm().await
    }
}

static ROUTES: [(&str, Method); 8] = [
    ("/exchange", Method::Post),
    ("/login", Method::Post),
    ("/me", Method::Get),
    ("/token", Method::Get),
    ("/logout", Method::Post),
    ("/api", Method::Get),
    ("/protected", Method::Get),
    ("/protected/downstream", Method::Get),
];

/// Why a request failed.
enum Failure {
    /// The package's error, answered by `workers::error_response` with the status it calls for.
    Auth0(Auth0Error),
    /// The Worker's own: a status, an error code and its description (and `Allow` for a 405).
    Http { status: u16, error: &'static str, description: Option<&'static str>, allow: Option<&'static str> },
}

impl Failure {
    fn new(status: u16, error: &'static str) -> Self {
        Failure::Http { status, error, description: None, allow: None }
    }
}

impl From<Auth0Error> for Failure {
    fn from(e: Auth0Error) -> Self {
        Failure::Auth0(e)
    }
}

/// Anything workers-rs reports (a missing binding, a body that cannot be read) is ours: logged by
/// kind, answered without details.
impl From<worker::Error> for Failure {
    fn from(e: worker::Error) -> Self {
        worker::console_error!("internal error: {}", error_kind(&e));
        Failure::new(500, "internal_error")
    }
}

fn error_kind(e: &worker::Error) -> &'static str {
    match e {
        worker::Error::JsError(_) | worker::Error::Internal(_) => "JavaScript",
        worker::Error::RustError(_) => "Rust",
        _ => "other",
    }
}

/// The exchange body; a field of the wrong JSON type is a 400 `invalid_request`.
#[derive(Default, Deserialize)]
#[serde(default)]
struct ExchangeBody {
    subject_token: String,
    subject_token_type: String,
    actor_token: Option<String>,
    actor_token_type: Option<String>,
    audience: Option<String>,
    scope: Option<String>,
    organization: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct LogoutBody {
    return_to: Option<String>,
}

/// The token exchange response in snake_case, as Auth0 returns it (absent fields left out).
#[derive(Serialize)]
struct TokenBody {
    access_token: String,
    token_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued_token_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    act: Option<Value>,
}

impl From<TokenExchangeResponse> for TokenBody {
    fn from(t: TokenExchangeResponse) -> Self {
        let reveal = |s: Option<Secret>| s.map(|s| s.expose().to_owned());
        TokenBody {
            access_token: t.access_token.expose().to_owned(),
            token_type: t.token_type,
            expires_in: t.expires_in,
            scope: t.scope,
            id_token: reveal(t.id_token),
            refresh_token: reveal(t.refresh_token),
            issued_token_type: t.issued_token_type,
            act: t.act.and_then(|a| js_to_json(&a.0)),
        }
    }
}

/// A JavaScript object the host parsed (claims), as JSON for a response body.
fn js_to_json(value: &JsValue) -> Option<Value> {
    serde_wasm_bindgen::from_value(value.clone()).ok()
}

/// The request's JSON object body; an empty body is `{}` when `optional`.
async fn read_body<T: Default + for<'de> Deserialize<'de>>(
    req: &mut Request,
    optional: bool,
) -> Result<T, Failure> {
    let text = req.text().await?;
    if optional && text.trim().is_empty() {
        return Ok(T::default());
    }
    let invalid = || Failure::Http {
        status: 400,
        error: "invalid_request",
        description: Some("The body must be a JSON object of the route's fields."),
        allow: None,
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(v @ Value::Object(_)) => serde_json::from_value(v).map_err(|_| invalid()),
        _ => Err(invalid()),
    }
}

fn exchange_options(body: ExchangeBody, default_audience: Option<String>) -> CustomTokenExchangeOptions {
    CustomTokenExchangeOptions {
        subject_token: Secret::new(body.subject_token),
        subject_token_type: body.subject_token_type,
        actor_token: body.actor_token.map(Secret::new),
        actor_token_type: body.actor_token_type,
        audience: body.audience.or(default_audience),
        scope: body.scope,
        organization: body.organization,
        ..Default::default()
    }
}

/// A var of the Worker's environment; empty when unset (the client then names what is missing).
fn setting(env: &Env, name: &str) -> String {
    env.var(name).map(|v| v.to_string()).unwrap_or_default()
}

/// A secret of the Worker's environment (`wrangler secret put`, `.dev.vars`); empty when unset.
fn secret(env: &Env, name: &str) -> Secret {
    Secret::new(env.secret(name).map(|v| v.to_string()).unwrap_or_default())
}

thread_local! {
    /// The DPoP key pair of AUTH0_DPOP_JWK, imported once per isolate (by the JWK it came from).
    static DPOP_KEY: RefCell<Option<(String, DpopKeyPair)>> = const { RefCell::new(None) };
}

/// The key pair of the secret AUTH0_DPOP_JWK (an ECDSA P-256 private JWK), if it is set.
async fn dpop_key_pair(env: &Env) -> Result<Option<DpopKeyPair>, Failure> {
    let jwk = secret(env, "AUTH0_DPOP_JWK");
    if jwk.expose().is_empty() {
        return Ok(None);
    }
    let cached =
        DPOP_KEY.with(|k| k.borrow().as_ref().filter(|(j, _)| j == jwk.expose()).map(|(_, p)| p.clone()));
    if let Some(pair) = cached {
        return Ok(Some(pair));
    }
    let pair = dpop::import_key_pair_jwk(jwk.expose())
        .await
        .map_err(|_| Failure::new(500, "configuration_error"))?;
    DPOP_KEY.with(|k| *k.borrow_mut() = Some((jwk.expose().to_owned(), pair.clone())));
    Ok(Some(pair))
}

/// The client of one request: cheap to build; discovery and JWKS are cached per isolate.
async fn client(env: &Env, with_sessions: bool) -> Result<ServerClient, Failure> {
    let state_store = if with_sessions {
        let options =
            StoreOptions { secure: Some(setting(env, "COOKIE_SECURE") != "false"), ..Default::default() };
        Some(match setting(env, "SESSION_STORE").as_str() {
            "" | "kv" => workers::kv_store(env, "SESSIONS", &options)?,
            "durable-object" => workers::durable_object_store(env, "SESSION_OBJECTS", &options)?,
            _ => return Err(Failure::new(500, "configuration_error")),
        })
    } else {
        None
    };
    let refresh_coordinator = match setting(env, "REFRESH_COORDINATOR").as_str() {
        "" => None,
        "durable-object" => Some(workers::durable_object_refresh_coordinator(env, "SESSION_OBJECTS")?),
        _ => return Err(Failure::new(500, "configuration_error")),
    };
    Ok(ServerClient::new(ClientOptions {
        domain: setting(env, "AUTH0_DOMAIN"),
        client_id: setting(env, "AUTH0_CLIENT_ID"),
        client_secret: Some(secret(env, "AUTH0_CLIENT_SECRET")),
        secret: vec![secret(env, "AUTH0_SECRET")],
        state_store,
        refresh_coordinator,
        dpop_key_pair: dpop_key_pair(env).await?,
        ..Default::default()
    })?)
}

/// This Worker as an API: the caller's token verified (and, for /protected/downstream, exchanged
/// on its behalf). The `ApiClient` needs no session secret; its client id and secret are for the
/// exchange.
async fn protected_api(req: &Request, env: &Env, path: &str) -> Result<(u16, Value), Failure> {
    let audience = setting(env, "API_AUDIENCE");
    if audience.is_empty() {
        return Err(Failure::new(500, "configuration_error"));
    }
    let api = ApiClient::new(ApiClientOptions {
        domain: setting(env, "AUTH0_DOMAIN"),
        audience,
        client_id: Some(setting(env, "AUTH0_CLIENT_ID")),
        client_secret: Some(secret(env, "AUTH0_CLIENT_SECRET")),
        ..Default::default()
    })?;
    let claims = api.verify_request(req.inner(), &VerifyRequestOptions::default()).await?;
    let (sub, scope) = (claims.str_at("sub"), claims.str_at("scope"));
    if path == "/protected" {
        return Ok((200, json!({ "sub": sub, "scope": scope })));
    }
    let downstream = setting(env, "DOWNSTREAM_AUDIENCE");
    if downstream.is_empty() {
        return Err(Failure::new(500, "configuration_error"));
    }
    // get_token_on_behalf_of verifies the token again: it never forwards one that does not verify.
    let header = req.headers().get("authorization")?.unwrap_or_default();
    let token = Secret::new(header.split_once(' ').map_or("", |(_, t)| t.trim()));
    let options = OnBehalfOfOptions { audience: downstream.clone(), scope: None };
    let t = api.get_token_on_behalf_of(&token, &options).await?;
    let downstream = json!({ "audience": downstream, "token_type": t.token_type, "expires_in": t.expires_in, "scope": t.scope });
    Ok((200, json!({ "sub": sub, "downstream": downstream })))
}

async fn route(mut req: Request, env: &Env, headers: &Headers) -> Result<(u16, Value), Failure> {
    let path = req.path();
    if path == "/" && req.method() == Method::Get {
        let routes: Vec<String> = ROUTES.iter().map(|(p, m)| format!("{} {p}", m.as_ref())).collect();
        return Ok((200, json!({ "routes": routes })));
    }
    let Some((_, method)) = ROUTES.iter().find(|(p, _)| *p == path) else {
        return Err(Failure::new(404, "not_found"));
    };
    if req.method() != *method {
        let allow = Some(method.as_ref());
        return Err(Failure::Http { status: 405, error: "method_not_allowed", description: None, allow });
    }
    if path.starts_with("/protected") {
        return protected_api(&req, env, &path).await;
    }

    let audience = Some(setting(env, "AUTH0_AUDIENCE")).filter(|a| !a.is_empty());
    let auth0 = client(env, path != "/exchange").await?;
    // The store reads the session cookie from the request and appends Set-Cookie to `headers`.
    let store_options = workers::store_options(&req, headers);
    match path.as_str() {
        "/exchange" => {
            let body = read_body(&mut req, false).await?;
            let tokens =
                auth0.custom_token_exchange(&exchange_options(body, audience), &store_options).await?;
            Ok((200, serde_json::to_value(TokenBody::from(tokens)).unwrap_or_default()))
        }
        "/login" => {
            let body = read_body(&mut req, false).await?;
            let session = auth0
                .login_with_custom_token_exchange(&exchange_options(body, audience), &store_options)
                .await?;
            Ok((200, json!({ "user": session.user.and_then(|u| js_to_json(&u.0)) })))
        }
        "/me" => match auth0.get_user(&store_options).await? {
            Some(user) => Ok((200, json!({ "user": js_to_json(&user.0) }))),
            None => Err(Failure::new(401, "missing_session")),
        },
        "/token" => {
            let url = req.url()?;
            let query = |name: &str| {
                url.query_pairs().find(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.into_owned())
            };
            let options =
                GetAccessTokenOptions { audience: query("audience").or(audience), scope: query("scope") };
            let set = auth0.get_access_token(&options, &store_options).await?;
            Ok((200, json!({ "access_token": set.access_token.expose(), "expires_at": set.expires_at })))
        }
        "/api" => {
            let api_url = setting(env, "API_URL");
            if api_url.is_empty() {
                return Err(Failure::new(500, "configuration_error"));
            }
            let request = web_sys::Request::new_with_str(&api_url)
                .map_err(|_| Failure::new(500, "configuration_error"))?;
            let options = GetAccessTokenOptions { audience, scope: None };
            let response = auth0.fetch_with_auth(&request, &options, &store_options).await?;
            let status = response.status();
            let text = match response.text() {
                Ok(promise) => {
                    wasm_bindgen_futures::JsFuture::from(promise).await.ok().and_then(|t| t.as_string())
                }
                Err(_) => None,
            };
            let body = text.and_then(|t| serde_json::from_str::<Value>(&t).ok()).unwrap_or(Value::Null);
            Ok((200, json!({ "status": status, "body": body })))
        }
        _ => {
            let body: LogoutBody = read_body(&mut req, true).await?;
            let options = LogoutOptions { return_to: body.return_to, ..Default::default() };
            let logout_url = auth0.logout(&options, &store_options).await?;
            Ok((200, json!({ "logout_url": logout_url })))
        }
    }
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let headers = Headers::new();
    let (status, body) = match route(req, &env, &headers).await {
        Ok(answer) => answer,
        Err(Failure::Auth0(e)) => return workers::error_response(&e, headers),
        Err(Failure::Http { status, error, description, allow }) => {
            if let Some(allow) = allow {
                headers.set("allow", allow)?;
            }
            let mut body = json!({ "error": error });
            if let Some(description) = description {
                body["error_description"] = description.into();
            }
            (status, body)
        }
    };
    // Bodies carry tokens and user data: no cache keeps them.
    headers.set("content-type", "application/json; charset=utf-8")?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::from_json(&body)?.with_status(status).with_headers(headers))
}
