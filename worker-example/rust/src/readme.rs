// The README's "lines you write", compiled with the Worker (its test keeps the two identical).
use auth0_edge::{workers, ClientOptions, CustomTokenExchangeOptions, Secret, ServerClient};
use worker::{Env, Headers, Request, Response};

async fn login(mut req: Request, env: &Env) -> worker::Result<Response> {
    let var = |name: &str| env.var(name).map(|v| v.to_string()).unwrap_or_default();
    let secret = |name: &str| Secret::new(env.secret(name).map(|v| v.to_string()).unwrap_or_default());
    let auth0 = ServerClient::new(ClientOptions {
        domain: var("AUTH0_DOMAIN"),
        client_id: var("AUTH0_CLIENT_ID"),
        client_secret: Some(secret("AUTH0_CLIENT_SECRET")),
        secret: vec![secret("AUTH0_SECRET")],
        state_store: Some(workers::kv_store(env, "SESSIONS", &Default::default())?),
        ..Default::default()
    })?;
    let headers = Headers::new(); // the store appends the session cookie here
    let store_options = workers::store_options(&req, &headers);
    let options = CustomTokenExchangeOptions {
        subject_token: Secret::new(req.text().await?),
        subject_token_type: "urn:acme:legacy-token".into(),
        ..Default::default()
    };
    let session = match auth0.login_with_custom_token_exchange(&options, &store_options).await {
        Ok(session) => session,
        Err(e) => return workers::error_response(&e, headers), // 400, 4xx, 502, 401, 503 or 500
    };
    let sub = session.user.and_then(|user| user.str_at("sub")).unwrap_or_default();
    Ok(Response::ok(sub)?.with_headers(headers))
}
