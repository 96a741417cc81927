// The README's "lines you write", compiled with the Worker (its test keeps the two identical).
use auth0_edge::stores::{self, StoreOptions};
use auth0_edge::{ClientOptions, CustomTokenExchangeOptions, Secret, ServerClient};
use worker::{Env, Headers, Request, Response};

async fn login(mut req: Request, env: &Env) -> Result<Response, auth0_edge::Error> {
    let var = |name: &str| env.var(name).map(|v| v.to_string()).unwrap_or_default();
    let secret = |name: &str| Secret::new(env.secret(name).map(|v| v.to_string()).unwrap_or_default());
    let namespace = js_sys::Reflect::get(env.as_ref(), &"SESSIONS".into()).unwrap_or_default();
    let auth0 = ServerClient::new(ClientOptions {
        domain: var("AUTH0_DOMAIN"),
        client_id: var("AUTH0_CLIENT_ID"),
        client_secret: Some(secret("AUTH0_CLIENT_SECRET")),
        secret: vec![secret("AUTH0_SECRET")],
        state_store: Some(stores::kv_store(&namespace, &StoreOptions::default())?),
        ..Default::default()
    })?;
    let headers = Headers::new(); // the store appends the session cookie here
    let store_options = stores::http_options(req.inner(), &headers.0);
    let subject_token = Secret::new(req.text().await.unwrap_or_default());
    let options = CustomTokenExchangeOptions {
        subject_token,
        subject_token_type: "urn:acme:legacy-token".into(),
        ..Default::default()
    };
    let session = auth0.login_with_custom_token_exchange(&options, &store_options).await?;
    let sub = session.user.and_then(|user| user.str_at("sub")).unwrap_or_default();
    Ok(Response::ok(sub).expect("a text body").with_headers(headers))
}
