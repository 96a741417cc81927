//! Fuzzing of the pure core with proptest: arbitrary input never panics (a panic would trap
//! the wasm instance and take every later call of the isolate down with it), and what parses
//! round-trips. Runs natively. CI runs the default 256 cases per property; a long campaign:
//! `PROPTEST_CASES=1000000 cargo test --release --test fuzz_core`.
#![cfg(not(target_arch = "wasm32"))]

use auth0_edge::core::dpop;
use auth0_edge::core::encoding::{base64url, base64url_decode, form_body, pem_pkcs8_der};
use auth0_edge::core::jwe::parse_compact;
use auth0_edge::core::jwt::{
    check_id_token_claims, decode, public_jwk, select_key, Claims, Header, Jwks, PublicJwk, TokenKind,
};
use auth0_edge::core::options::{
    parse_domain, validate_client_options, validate_exchange_options, Fault, Faults, ParamValue,
};
use auth0_edge::core::response::{parse_discovery, token_error, token_success, Body};
use auth0_edge::core::state::State;
use auth0_edge::{ClientOptions, CustomTokenExchangeOptions, Secret, SigningAlg};
use proptest::prelude::*;

/// Strings biased toward the characters that matter to our parsers.
fn tricky() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ \\t\\n{}\\[\\]\":,.0-9eE+\\-a-zA-Z_/=%\\\\u]{0,64}",
        "(Bearer|bearer|BEARER)?[ \\t\\u{a0}\\u{3000}]{0,3}[a-z0-9.\\-_]{0,20}",
        "(https?://)?[a-z0-9.\\-\\[\\]:]{0,30}(:[0-9]{0,6})?/?",
    ]
}

/// JSON-ish documents: valid JSON values, then mutated.
fn json_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        "-?[0-9]{1,25}(\\.[0-9]{1,5})?([eE][+-]?[0-9]{1,4})?",
        any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
    ];
    let doc = leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec(("[a-z_]{1,12}", inner), 0..6).prop_map(|v| {
                let members: Vec<String> = v.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    });
    (doc, any::<u8>(), any::<usize>()).prop_map(|(d, op, at)| {
        // Keep most documents valid; corrupt some.
        let mut b = d.into_bytes();
        if !b.is_empty() {
            let i = at % b.len();
            match op % 8 {
                0 => b.truncate(i),
                1 => b[i] = b[i].wrapping_add(1),
                2 => b.insert(i, b'"'),
                _ => {}
            }
        }
        String::from_utf8_lossy(&b).into_owned()
    })
}

/// What a JavaScript reader may note against `key`: for `pick` 1 a wrong type, 2 a string found
/// too long before it was copied, otherwise nothing (the value is then `Some` or `None`).
fn noted(faults: &mut Faults, key: &'static str, pick: u8) {
    match pick {
        1 => faults.note(key, Fault::WrongType),
        2 => faults.note(key, Fault::TooLong),
        _ => {}
    }
}

proptest! {
    #[test]
    fn json_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = serde_json::from_slice::<State<serde_json::Map<String, serde_json::Value>>>(&bytes);
        let _ = host_object::<Claims>(&bytes);
    }

    #[test]
    fn numeric_strings_never_panic(text in tricky()) {
        let body = serde_json::json!({"access_token": "a", "expires_in": text}).to_string();
        let _ = token_success::<()>(host_json(&body));
    }

    #[test]
    fn base64url_round_trips(bytes in prop::collection::vec(any::<u8>(), 0..200), junk in tricky()) {
        prop_assert_eq!(base64url_decode(&base64url(&bytes)), Some(bytes));
        let _ = base64url_decode(&junk);
        let _ = pem_pkcs8_der(&junk);
    }

    #[test]
    fn form_encoding_round_trips_through_a_decoder(pairs in prop::collection::vec((any::<String>(), any::<String>()), 0..5)) {
        let body = form_body(&pairs);
        // Decode as application/x-www-form-urlencoded and compare.
        let decoded: Vec<(String, String)> = if body.is_empty() { vec![] } else {
            body.split('&').map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (decode_component(k), decode_component(v))
            }).collect()
        };
        prop_assert_eq!(decoded, pairs);
    }

    #[test]
    fn token_responses_never_panic(status in prop_oneof![Just(200u16), any::<u16>()], ct in prop::option::of(tricky()), body in json_text()) {
        let _ = token_error(status, ct.as_deref(), &host_json(&body));
        let _ = token_success::<()>(host_json(&body));
        let _ = parse_discovery("https://t.auth0.com", status, host_json(&body));
    }

    #[test]
    fn api_token_rules_never_panic(h in json_text(), p in json_text(), now in any::<i64>(), leeway in 0i64..600, scopes in prop::collection::vec(tricky(), 0..3)) {
        use auth0_edge::core::api::{answer, check_api_claims, check_typ, ApiChecks, ApiClaims};
        if let Some(header) = host_object::<Header>(h.as_bytes()) {
            let _ = check_typ(&header.typ);
        }
        if let Some(claims) = host_object::<ApiClaims>(p.as_bytes()) {
            let checks = ApiChecks { issuer: "https://t/", audience: "https://api", now, leeway, required_claims: &scopes, scopes: &scopes };
            if let Err(e) = check_api_claims(&claims, &|name| name.len() % 2 == 0, &checks) {
                let e = answer(e, &scopes, now % 2 == 0);
                // Every refusal has its status; all but an outage a challenge without a quote in its description.
                prop_assert!(matches!(e.response_status(), 400 | 401 | 403));
                prop_assert!(e.www_authenticate().is_some());
            }
        }
    }

    #[test]
    fn dpop_proof_rules_never_panic(p in json_text(), method in tricky(), url in tricky(), ath in tricky(), now in any::<i64>()) {
        use auth0_edge::core::api::{check_proof_claims, normalize_htu, ProofClaimsIn, ProofExpect, ReplayCache};
        let _ = normalize_htu(&url);
        if let Some(claims) = host_object::<ProofClaimsIn>(p.as_bytes()) {
            let expect = ProofExpect { method: &method, url: &url, ath: &ath, now, max_age: 300, leeway: 30 };
            if check_proof_claims(&claims, &expect).is_ok() {
                // What passes names this request: its htu normalizes as the URL does.
                prop_assert_eq!(claims.htu.as_str().and_then(normalize_htu), normalize_htu(&url));
            }
        }
        let mut seen = ReplayCache::new(2);
        prop_assert!(seen.first_use(&url, now, now.saturating_add(1)));
        prop_assert!(!seen.first_use(&url, now, now.saturating_add(1)));
    }

    #[test]
    fn jwt_parsing_never_panics(h in json_text(), p in json_text(), s in prop::collection::vec(any::<u8>(), 0..80), raw in tricky(), now in any::<i64>()) {
        let token = format!("{}.{}.{}", base64url(h.as_bytes()), base64url(p.as_bytes()), base64url(&s));
        if let Ok(jwt) = decode(&token, &host_header, TokenKind::IdToken) {
            if let Some(claims) = host_object::<Claims>(&jwt.payload) {
                let _ = check_id_token_claims(&claims, "https://t/", "cid", now);
            }
            if let Some(jwks) = host_object::<Jwks>(p.as_bytes()) {
                let _ = select_key(&jwks, jwt.kid.as_deref(), SigningAlg::RS256);
            }
        }
        let _ = decode(&raw, &host_header, TokenKind::AccessToken);
        if let Some(claims) = host_object::<Claims>(p.as_bytes()) {
            let _ = check_id_token_claims(&claims, "https://t/", "cid", now);
        }
        if let Some(jwks) = host_object::<Jwks>(p.as_bytes()) {
            let _ = select_key(&jwks, Some("k"), SigningAlg::ES256);
            if let Some(k) = select_key(&jwks, None, SigningAlg::PS256) {
                let _ = public_jwk(k);
            }
        }
    }

    #[test]
    fn jwe_parsing_never_panics(parts in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..48), 0..7), raw in tricky()) {
        let s: Vec<String> = parts.iter().map(|p| base64url(p)).collect();
        let _ = parse_compact(&s.join("."), &host_object);
        let _ = parse_compact(&raw, &host_object);
    }

    #[test]
    fn option_validation_never_panics(
        subject in tricky(), ty in tricky(), audience in prop::option::of(tricky()),
        actor in prop::option::of(tricky()), actor_ty in prop::option::of(tricky()), wrong in any::<u8>(),
        params in prop::collection::vec((tricky(), prop::collection::vec(tricky(), 0..22), any::<u8>()), 0..4),
    ) {
        let requested = Some(ty.chars().rev().collect::<String>());
        let mut faults = if wrong == 255 { Faults::not_object() } else { Faults::default() };
        let keys = ["subjectToken", "subjectTokenType", "audience", "actorToken", "actorTokenType", "requestedTokenType"];
        for (i, key) in keys.into_iter().enumerate() {
            noted(&mut faults, key, (wrong == 1 + i as u8) as u8 + 2 * (wrong == 7 + i as u8) as u8);
        }
        let mut list = Vec::new();
        for (k, vs, kind) in params {
            match kind % 6 {
                0 => list.push((k, ParamValue::Str(vs.first().cloned().unwrap_or_default()))),
                1 => list.push((k, ParamValue::List(vs))),
                2 => {}
                3 => faults.note("authorizationParams", Fault::ValueTooLong),
                4 => faults.note("authorizationParams", Fault::TooManyValues),
                _ => faults.note("authorizationParams", Fault::ValueInvalid),
            }
        }
        let options = CustomTokenExchangeOptions {
            subject_token: Secret::new(subject),
            subject_token_type: ty,
            audience,
            actor_token: actor.map(Secret::new),
            actor_token_type: actor_ty,
            requested_token_type: requested,
            authorization_params: list,
            ..Default::default()
        };
        let found_too_long = [faults.of("subjectToken"), faults.of("actorToken")].contains(&Some(Fault::TooLong));
        let result = validate_exchange_options(&options, &faults);
        if found_too_long && faults.is_object() {
            // A token found too long is refused first, whatever else the options hold.
            prop_assert_eq!(result.as_ref().map_err(|e| e.code()).err(), Some("invalid_token_format"));
        }
        // Every fault fails some rule: the binding relies on it to call the public methods.
        prop_assert!(faults.is_empty() || result.is_err());
        if let Ok(v) = result {
            // What validation accepts is never blank and is sent untouched.
            prop_assert!(!v.subject_token.expose().trim().is_empty());
            prop_assert!(v.extras.iter().all(|(k, _)| k != "grant_type" && k != "actor_token"));
        }
    }

    #[test]
    fn client_options_never_panic(domain in tricky(), id in tricky(), secret in tricky(), t in any::<u32>(), wrong in any::<u8>()) {
        let _ = parse_domain(&domain);
        let options = ClientOptions {
            domain,
            client_id: id,
            client_secret: Some(Secret::new(secret.clone())),
            secret: vec![Secret::new(secret)],
            timeout_ms: Some(t),
            session_duration: Some(u64::from(t) << (wrong % 40)),
            ..Default::default()
        };
        let mut faults = Faults::default();
        let keys = ["domain", "clientId", "secret", "timeoutMs", "sessionDuration", "telemetry", "fetch", "clientAuthMethod"];
        for (i, key) in keys.into_iter().enumerate() {
            noted(&mut faults, key, (wrong == 1 + i as u8) as u8 + 2 * (wrong == 9 + i as u8) as u8);
        }
        let result = validate_client_options(&options, &faults);
        prop_assert!(faults.is_empty() || result.is_err());
    }

    #[test]
    fn dpop_rules_never_panic(url in tricky(), header in tricky(), kty in tricky(), member in tricky(), status in any::<u16>()) {
        // htu and origin are prefixes of the URL; htu has no query or fragment.
        let htu = dpop::htu(&url);
        prop_assert!(url.starts_with(htu) && !htu.contains(['?', '#']));
        prop_assert!(url.starts_with(dpop::origin(&url)));
        let _ = dpop::is_api_nonce_challenge(&header);
        let _ = dpop::is_nonce_challenge(status, Some(&header), Some(&member));
        // A nonce accepted is one a header can carry and a proof can quote without escaping.
        if dpop::valid_nonce(&member) {
            prop_assert!(member.bytes().all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\'));
        }
        let jwk = PublicJwk { kty, n: Some(member.clone()), e: Some(member.clone()), crv: Some(member.clone()), x: Some(member.clone()), y: Some(member) };
        // A thumbprint input is JSON that needs no escaping.
        if let Some(json) = dpop::thumbprint_input(&jwk) {
            prop_assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
        }
        let _ = dpop::key_alg(&jwk, Some(&header));
    }
}

/// What the host makes of a body (JSON.parse, then serde): a JSON object read into `T`, else not JSON.
fn host_json<T: serde::de::DeserializeOwned>(text: &str) -> Body<T> {
    host_object(text.as_bytes()).map_or(Body::NotJson, Body::Json)
}

/// What the host makes of a JSON text: an object read into `T` (JSON.parse, then serde), with serde_json.
fn host_object<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    match serde_json::from_slice::<serde_json::Value>(bytes).ok()? {
        v @ serde_json::Value::Object(_) => serde_json::from_value(v).ok(),
        _ => None,
    }
}

fn host_header(bytes: &[u8]) -> Option<Header> {
    host_object(bytes)
}

fn decode_component(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}
