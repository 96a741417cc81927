//! The session state (BEHAVIOUR.md §3.4, §4): built at login, stored sealed as snake_case JSON with the
//! shape of auth0-server-python's `StateData` (a serde model: the host writes and reads its JSON),
//! and updated by refreshes. Pure: time and randomness are arguments. `U` is what holds a JSON
//! object the core does not look into (the user's claims): a JavaScript object in the client,
//! serde_json's map in native tests.

use super::jwt::{unverified_exp, ParseExp};
use super::options::ExchangeInput;
use super::response::TokenResponse;
use crate::error::Secret;
#[allow(unused_imports)]
use crate::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Claims left out of `user` (BEHAVIOUR.md §3.3): protocol claims that only bloat the session.
pub const PROTOCOL_CLAIMS: [&str; 10] =
    ["aud", "exp", "iat", "nbf", "nonce", "azp", "at_hash", "c_hash", "s_hash", "jti"];

/// The audience key of token sets obtained without an `audience`.
pub const DEFAULT_AUDIENCE: &str = "default";

/// An access token is served from the session only while it has more than this many seconds left.
pub const EXPIRY_MARGIN: i64 = 30;

/// Seconds since the epoch, written as an integer; read from any JSON number (fractions rounded
/// toward -inf, nothing beyond ±2^53).
mod seconds {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(*v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        let n = f64::deserialize(d)?;
        crate::core::response::floor_int(n).ok_or_else(|| serde::de::Error::custom("seconds out of range"))
    }

    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                Some(n) => s.serialize_i64(*n),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
            struct Seconds(i64);
            impl<'de> Deserialize<'de> for Seconds {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    super::deserialize(d).map(Seconds)
                }
            }
            Ok(Option::<Seconds>::deserialize(d)?.map(|s| s.0))
        }
    }
}

/// `null` read as the type's default (an empty list, an empty scope).
fn null_as_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// An access token of the session, with what it is for and when it is due (BEHAVIOUR.md §3.4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenSet {
    /// The API it is for, or [`DEFAULT_AUDIENCE`].
    pub audience: String,
    /// The access token.
    pub access_token: Secret,
    /// Its scopes, space-separated; empty when none are known.
    #[serde(default, deserialize_with = "null_as_default")]
    pub scope: String,
    /// Seconds since the epoch.
    #[serde(with = "seconds")]
    pub expires_at: i64,
    /// The token's type when it is not `Bearer`: `DPoP` for a token bound to the client's DPoP
    /// key (BEHAVIOUR.md §12). Absent for `Bearer`, as auth0-server-python writes (and ignores).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
}

impl TokenSet {
    /// Whether the token is bound to a DPoP key (`token_type` `DPoP`).
    pub fn is_dpop_bound(&self) -> bool {
        self.token_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("DPoP"))
    }
}

/// What [`TokenSet::token_type`] keeps of a token response's `token_type`.
pub fn stored_token_type(token_type: &str) -> Option<String> {
    (!token_type.eq_ignore_ascii_case("Bearer")).then(|| token_type.to_owned())
}

/// The session's bookkeeping: the `internal` member of the state (BEHAVIOUR.md §3.4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Internal {
    /// The ID token's `sid`, else a random id ([`random_sid`]).
    pub sid: String,
    /// Seconds since the epoch.
    #[serde(with = "seconds")]
    pub created_at: i64,
    /// A ceiling on the session's life, in seconds since the epoch; we write `None` (`null`).
    #[serde(default, with = "seconds::option")]
    pub session_expires_at: Option<i64>,
}

/// auth0-server-python's `StateData`, member for member and in its order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "U: Serialize", deserialize = "U: Deserialize<'de>"))]
pub struct State<U> {
    /// The ID token's claims minus [`PROTOCOL_CLAIMS`]; `None` is stored as `null`.
    #[serde(default)]
    pub user: Option<U>,
    /// The ID token, when one came back; replaced by a refresh that returns a verified one.
    #[serde(default)]
    pub id_token: Option<Secret>,
    /// The refresh token, when one came back; replaced by a refresh that returns one.
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    /// The access tokens, each with its audience, scope and expiry.
    #[serde(default, deserialize_with = "null_as_default")]
    pub token_sets: Vec<TokenSet>,
    /// Kept as found (auth0-server-python's connection token sets; we write `[]`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub connection_token_sets: Vec<U>,
    /// `host[:port]` of the tenant.
    #[serde(default)]
    pub domain: Option<String>,
    /// The session id and creation time.
    pub internal: Internal,
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

/// 32 alphanumerics from random bytes (at least 64 of them), without modulo bias.
pub fn random_sid(random: &[u8]) -> String {
    const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    // Bytes under 248 (a multiple of 62: no bias), then, in the unlikely case that fewer than 32
    // of the 64 are (probability below 2^-100), the first bytes again to fill up.
    let mut sid = String::with_capacity(32);
    for &b in random.iter().filter(|&&b| b < 248).chain(random) {
        if sid.len() == 32 {
            break;
        }
        sid.push(char::from(ALPHABET[usize::from(b % 62)]));
    }
    sid
}

/// When a token set made from `tokens` is due (BEHAVIOUR.md §8.6): `expires_in` seconds from `now`; without
/// `expires_in`, the access token's own `exp` when it is a JWT that has one, else `session_end`
/// (the session's absolute expiry).
pub fn token_expires_at<A>(
    tokens: &TokenResponse<A>,
    now: i64,
    session_end: i64,
    parse: ParseExp<'_>,
) -> i64 {
    match tokens.expires_in {
        Some(e) => now.saturating_add(e as i64),
        None => unverified_exp(tokens.access_token.expose(), parse).unwrap_or(session_end),
    }
}

/// What a login knows (BEHAVIOUR.md §3.4).
pub struct Login<'a, U, A> {
    /// The token-exchange response.
    pub tokens: &'a TokenResponse<A>,
    /// The verified ID token's claims minus [`PROTOCOL_CLAIMS`], when an ID token came back.
    pub user: Option<U>,
    /// The ID token's `sid`, when it has one.
    pub sid: Option<&'a str>,
    /// The typed `audience` option.
    pub audience: Option<&'a str>,
    /// The typed `scope` option.
    pub scope: Option<&'a str>,
    /// `host[:port]` of the tenant: the state's `domain`.
    pub domain_host: &'a str,
    /// The time of the login, in seconds since the epoch: the session's `created_at`.
    pub now: i64,
    /// When the token set is due ([`token_expires_at`]).
    pub expires_at: i64,
    /// Used when the ID token carries no `sid`.
    pub random_sid: String,
}

/// The state of a login from a token-exchange response: the exchange's typed `audience` and
/// `scope`, the user and `sid` from the verified ID token if any, and the random bytes that make
/// the session id when there is no `sid`.
#[allow(clippy::too_many_arguments)]
pub fn login_state<U, A>(
    tokens: &TokenResponse<A>,
    user: Option<U>,
    sid: Option<&str>,
    input: &ExchangeInput,
    domain_host: &str,
    (now, expires_at): (i64, i64),
    random: &[u8],
) -> State<U> {
    new_state(Login {
        tokens,
        user,
        sid,
        audience: input.typed_audience.as_deref(),
        scope: input.typed_scope.as_deref(),
        domain_host,
        now,
        expires_at,
        random_sid: random_sid(random),
    })
}

/// The state of a new session from what a login knows: one token set, the ID and refresh tokens,
/// the user and the session id (BEHAVIOUR.md §3.4).
pub fn new_state<U, A>(l: Login<'_, U, A>) -> State<U> {
    let sid = l.sid.filter(|s| !s.is_empty()).map(str::to_owned).unwrap_or(l.random_sid);
    State {
        user: l.user,
        id_token: l.tokens.id_token.clone(),
        refresh_token: l.tokens.refresh_token.clone(),
        token_sets: vec![TokenSet {
            audience: l.audience.unwrap_or(DEFAULT_AUDIENCE).to_owned(),
            access_token: l.tokens.access_token.clone(),
            scope: l.tokens.scope.as_deref().or(l.scope).unwrap_or("").to_owned(),
            expires_at: l.expires_at,
            token_type: stored_token_type(&l.tokens.token_type),
        }],
        connection_token_sets: Vec::new(),
        domain: Some(l.domain_host.to_owned()),
        internal: Internal { sid, created_at: l.now, session_expires_at: None },
    }
}

impl<U> State<U> {
    /// Whether the session was issued by the tenant at `host` (`host[:port]`, BEHAVIOUR.md §9.2, §10.4):
    /// its `domain` is that host, or it has none (sealed by an SDK that did not record it) and
    /// the client's domain is static: under a domain resolver a session without one is foreign.
    pub fn belongs_to(&self, host: &str, static_domain: bool) -> bool {
        self.domain.as_deref().map_or(static_domain, |d| d == host)
    }

    /// Older than `duration` seconds, or past the IdP's session ceiling.
    pub fn is_expired(&self, now: i64, duration: u64) -> bool {
        now >= self.expires_at(duration)
    }

    /// The first second at which [`State::is_expired`] holds.
    pub fn expires_at(&self, duration: u64) -> i64 {
        let by_age = self.internal.created_at.saturating_add(duration as i64);
        self.internal.session_expires_at.map_or(by_age, |e| e.min(by_age))
    }

    /// The token set for `audience` whose scopes include every requested one: an exact match
    /// first, else the smallest superset (BEHAVIOUR.md §4).
    pub fn find_token_set(&self, audience: &str, scope: Option<&str>) -> Option<usize> {
        let wanted = scope.unwrap_or("");
        let wanted_count = wanted.split_whitespace().count();
        let mut best: Option<(usize, usize)> = None; // (index, number of scopes)
        for (i, t) in self.token_sets.iter().enumerate() {
            if t.audience != audience
                || !wanted.split_whitespace().all(|w| t.scope.split_whitespace().any(|h| h == w))
            {
                continue;
            }
            let have = t.scope.split_whitespace().count();
            if have == wanted_count {
                return Some(i);
            }
            if best.is_none_or(|(_, n)| have < n) {
                best = Some((i, have));
            }
        }
        best.map(|(i, _)| i)
    }

    /// Merges a refresh-token grant's response (BEHAVIOUR.md §4): the token set is replaced (or appended),
    /// the ID and refresh tokens replaced when returned, `user` kept as it is. Returns the token
    /// set's index.
    pub fn merge_refresh<A>(
        &mut self,
        audience: &str,
        scope: Option<&str>,
        replaced: Option<usize>,
        tokens: &TokenResponse<A>,
        expires_at: i64,
    ) -> usize {
        let slot = replaced.and_then(|i| self.token_sets.get_mut(i));
        let previous_scope = slot.as_ref().map(|t| t.scope.clone());
        let set = TokenSet {
            audience: audience.to_owned(),
            access_token: tokens.access_token.clone(),
            scope: tokens.scope.clone().or(scope.map(str::to_owned)).or(previous_scope).unwrap_or_default(),
            expires_at,
            token_type: stored_token_type(&tokens.token_type),
        };
        let index = match (slot, replaced) {
            (Some(t), Some(i)) => {
                *t = set;
                i
            }
            _ => {
                self.token_sets.push(set);
                self.token_sets.len() - 1
            }
        };
        if let Some(t) = &tokens.id_token {
            self.id_token = Some(t.clone());
        }
        if let Some(t) = &tokens.refresh_token {
            self.refresh_token = Some(t.clone());
        }
        index
    }
}

/// What a logout URL carries (BEHAVIOUR.md §8.5).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogoutOptions {
    /// Where the tenant sends the browser afterwards.
    pub return_to: Option<String>,
    /// Also log out of the upstream identity provider (`/v2/logout` only).
    pub federated: bool,
}

/// The tenant's logout URL (BEHAVIOUR.md §8.5): discovery's `end_session_endpoint` with `client_id` and
/// `post_logout_redirect_uri` when the tenant advertises one, else
/// `{domain_url}/v2/logout?client_id=...[&returnTo=...][&federated]`.
pub fn logout_url(
    domain_url: &str,
    end_session: Option<&str>,
    client_id: &str,
    options: &LogoutOptions,
) -> String {
    use super::encoding::form_urlencode_into;
    let (mut url, return_key) = match end_session {
        Some(endpoint) => {
            // BEHAVIOUR.md §10.2: the endpoint's own query kept, but the parameters set here replace any
            // of the same name in it (never a second one), and its fragment dropped.
            let endpoint = endpoint.split('#').next().unwrap_or(endpoint);
            let (base, query) = endpoint.split_once('?').unwrap_or((endpoint, ""));
            let ours = ["client_id", "post_logout_redirect_uri"];
            let kept: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
                .filter(|(k, _)| !ours.contains(&k.as_ref()))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            let mut url = String::from(base);
            url.push('?');
            if !kept.is_empty() {
                url.push_str(&super::encoding::form_body(&kept));
                url.push('&');
            }
            (url, "&post_logout_redirect_uri=")
        }
        None => (String::from(domain_url) + "/v2/logout?", "&returnTo="),
    };
    url.push_str("client_id=");
    form_urlencode_into(client_id, &mut url);
    if let Some(r) = &options.return_to {
        url.push_str(return_key);
        form_urlencode_into(r, &mut url);
    }
    if options.federated && end_session.is_none() {
        url.push_str("&federated");
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map, Value};

    type S = State<Map<String, Value>>;

    fn tokens(scope: Option<&str>) -> TokenResponse {
        TokenResponse {
            access_token: Secret::new("at1"),
            token_type: "Bearer".into(),
            expires_in: Some(3600),
            scope: scope.map(str::to_owned),
            id_token: Some(Secret::new("h.p.s")),
            refresh_token: Some(Secret::new("rt1")),
            issued_token_type: None,
            act: None,
        }
    }

    fn user() -> Map<String, Value> {
        match json!({"iss":"https://t/","sub":"auth0|alice","sid":"sid-1","org_id":"org_1","act":{"sub":"svc","act":{"sub":"svc2"}},"name":"Alice"})
        {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    fn login_state() -> S {
        let t = tokens(Some("openid read:data"));
        new_state(Login {
            tokens: &t,
            user: Some(user()),
            sid: Some("sid-1"),
            audience: Some("https://api"),
            scope: Some("openid"),
            domain_host: "127.0.0.1:3000",
            now: 1000,
            expires_at: token_expires_at(&t, 1000, 1000 + 259200, &|_| None),
            random_sid: "r".repeat(32),
        })
    }

    fn from_json(text: &str) -> Option<S> {
        serde_json::from_str(text).ok()
    }

    #[test]
    fn login_builds_the_python_shape() {
        let s = login_state();
        let text = serde_json::to_string(&s).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let mut expected = [
            "user",
            "id_token",
            "refresh_token",
            "token_sets",
            "connection_token_sets",
            "domain",
            "internal",
        ];
        assert!(text.starts_with("{\"user\":{"), "members in StateData's order: {text}");
        expected.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(v["user"]["sub"], "auth0|alice");
        assert_eq!(v["user"]["act"]["act"]["sub"], "svc2");
        assert_eq!(v["internal"], json!({"sid":"sid-1","created_at":1000,"session_expires_at":null}));
        assert_eq!(
            v["token_sets"][0],
            json!({"audience":"https://api","access_token":"at1","scope":"openid read:data","expires_at":4600})
        );
        assert_eq!(v["domain"], "127.0.0.1:3000");
        assert_eq!(v["connection_token_sets"], json!([]));
        // Round trip.
        assert_eq!(from_json(&text).unwrap(), s);
    }

    #[test]
    fn a_session_belongs_to_the_tenant_that_issued_it() {
        let mut s = login_state();
        for static_domain in [true, false] {
            assert!(s.belongs_to("127.0.0.1:3000", static_domain));
            assert!(!s.belongs_to("127.0.0.1:3001", static_domain), "another port is another tenant");
            assert!(!s.belongs_to("tenant-b.auth0.com", static_domain));
        }
        s.domain = None;
        assert!(s.belongs_to("tenant-b.auth0.com", true), "no domain recorded: accepted by a static domain");
        assert!(!s.belongs_to("tenant-b.auth0.com", false), "no domain recorded: foreign under a resolver");
    }

    #[test]
    fn login_defaults() {
        let mut t = tokens(None);
        t.id_token = None;
        let s: S = new_state(Login {
            tokens: &t,
            user: None,
            sid: None,
            audience: None,
            scope: Some("read"),
            domain_host: "t.auth0.com",
            now: 5,
            expires_at: 3605,
            random_sid: random_sid(&[7u8; 64]),
        });
        assert_eq!(s.user, None);
        assert_eq!(s.token_sets[0].audience, "default");
        assert_eq!(s.token_sets[0].scope, "read");
        assert_eq!(s.internal.sid.len(), 32);
        assert!(serde_json::to_string(&s).unwrap().starts_with("{\"user\":null,\"id_token\":null,"));
        let s: S = new_state(Login {
            tokens: &t,
            user: None,
            sid: Some(""),
            audience: None,
            scope: None,
            domain_host: "h",
            now: 5,
            expires_at: 3605,
            random_sid: "x".into(),
        });
        assert_eq!((s.token_sets[0].scope.as_str(), s.internal.sid.as_str()), ("", "x"));
    }

    #[test]
    fn random_sid_is_alphanumeric() {
        let bytes: Vec<u8> = (0..64).map(|i| (i * 37 % 256) as u8).collect();
        let sid = random_sid(&bytes);
        assert_eq!(sid.len(), 32);
        assert!(sid.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(random_sid(&[255u8; 64]).len(), 32);
    }

    #[test]
    fn malformed_states_are_none() {
        for bad in [
            "",
            "[]",
            "null",
            "{}",
            r#"{"internal":{"created_at":1}}"#,
            r#"{"internal":{"sid":"s","created_at":"1"}}"#,
            r#"{"user":"x","internal":{"sid":"s","created_at":1}}"#,
            r#"{"token_sets":[{"audience":"a"}],"internal":{"sid":"s","created_at":1}}"#,
            r#"{"token_sets":{},"internal":{"sid":"s","created_at":1}}"#,
            r#"{"id_token":5,"internal":{"sid":"s","created_at":1}}"#,
            r#"{"internal":{"sid":"s","created_at":1e300}}"#,
        ] {
            assert_eq!(from_json(bad), None, "{bad}");
        }
        // Python's minimal state (no domain, scope null, a member we do not model) reads.
        let py = r#"{"user":{"sub":"a"},"id_token":null,"refresh_token":"r","token_sets":[{"audience":"default","access_token":"t","scope":null,"expires_at":9.5}],"connection_token_sets":null,"internal":{"sid":"s","created_at":1},"custom":{"k":1}}"#;
        let s = from_json(py).unwrap();
        assert_eq!((s.token_sets[0].scope.as_str(), s.token_sets[0].expires_at), ("", 9));
        assert_eq!(s.domain, None);
    }

    #[test]
    fn expiry() {
        let s = login_state();
        assert!(!s.is_expired(1000 + 99, 100));
        assert!(s.is_expired(1000 + 100, 100));
        let mut s2 = s.clone();
        s2.internal.session_expires_at = Some(1050);
        assert!(s2.is_expired(1050, 100_000));
    }

    #[test]
    fn token_type_kept_only_when_not_bearer() {
        assert_eq!(stored_token_type("Bearer"), None);
        assert_eq!(stored_token_type("bearer"), None);
        assert_eq!(stored_token_type("DPoP").as_deref(), Some("DPoP"));
        let set = |token_type| TokenSet {
            audience: "api".into(),
            access_token: Secret::new("at"),
            scope: "a".into(),
            expires_at: 5,
            token_type,
        };
        // As auth0-server-python writes a token set (no token_type), and read back as Bearer.
        let bearer = serde_json::to_string(&set(None)).unwrap();
        assert_eq!(bearer, r#"{"audience":"api","access_token":"at","scope":"a","expires_at":5}"#);
        let dpop = serde_json::to_string(&set(Some("DPoP".into()))).unwrap();
        assert!(dpop.ends_with(r#","token_type":"DPoP"}"#), "{dpop}");
        let read: TokenSet = serde_json::from_str(&dpop).unwrap();
        assert_eq!(read.token_type.as_deref(), Some("DPoP"));
        let read: TokenSet = serde_json::from_str(&bearer).unwrap();
        assert_eq!(read.token_type, None);
    }

    #[test]
    fn token_set_selection() {
        let mut s = login_state();
        let set = |aud: &str, scope: &str| TokenSet {
            audience: aud.into(),
            access_token: Secret::new(scope),
            scope: scope.into(),
            expires_at: 0,
            token_type: None,
        };
        s.token_sets = vec![set("api", "a b c"), set("api", "a b"), set("api", "a"), set("other", "a")];
        assert_eq!(s.find_token_set("api", Some("a")), Some(2)); // exact
        assert_eq!(s.find_token_set("api", Some("b")), Some(1)); // smallest superset
        assert_eq!(s.find_token_set("api", Some("c a")), Some(0));
        assert_eq!(s.find_token_set("api", Some("d")), None);
        assert_eq!(s.find_token_set("nope", None), None);
        assert_eq!(s.find_token_set("other", None), Some(3));
    }

    #[test]
    fn token_sets_expire_by_expires_in_else_the_jwt_exp_else_with_the_session() {
        let parse = |b: &[u8]| crate::core::host_object::<crate::core::jwt::ExpClaim>(b);
        let mut t = tokens(None);
        assert_eq!(token_expires_at(&t, 1000, 9000, &parse), 4600, "expires_in from now");
        t.expires_in = None;
        assert_eq!(token_expires_at(&t, 1000, 9000, &parse), 9000, "opaque: the session's end");
        let jwt = |payload: &str| {
            use crate::core::encoding::base64url;
            format!("{}.{}.sig", base64url(br#"{"alg":"RS256"}"#), base64url(payload.as_bytes()))
        };
        t.access_token = Secret::new(jwt(r#"{"exp":5000,"sub":"a"}"#));
        assert_eq!(token_expires_at(&t, 1000, 9000, &parse), 5000, "a JWT: its exp");
        t.access_token = Secret::new(jwt(r#"{"exp":"5000"}"#));
        assert_eq!(token_expires_at(&t, 1000, 9000, &parse), 9000, "a JWT without a numeric exp");
        t.access_token = Secret::new("a.b");
        assert_eq!(token_expires_at(&t, 1000, 9000, &parse), 9000, "not a JWS");
    }

    #[test]
    fn refresh_merge() {
        let mut s = login_state();
        let mut t = tokens(None);
        t.access_token = Secret::new("at2");
        t.id_token = None;
        t.refresh_token = None;
        s.merge_refresh(
            "https://api",
            None,
            Some(0),
            &t,
            token_expires_at(&t, 2000, 1000 + 259200, &|_| None),
        );
        assert_eq!(s.token_sets.len(), 1);
        assert_eq!(s.token_sets[0].access_token.expose(), "at2");
        assert_eq!(s.token_sets[0].scope, "openid read:data"); // kept from the replaced set
        assert_eq!(s.token_sets[0].expires_at, 5600);
        assert_eq!(s.refresh_token.as_ref().unwrap().expose(), "rt1"); // kept
        assert_eq!(s.id_token.as_ref().unwrap().expose(), "h.p.s");
        assert_eq!(s.user.as_ref().unwrap()["act"]["sub"], "svc"); // user kept
        let t3 = tokens(Some("write"));
        s.merge_refresh("https://other", Some("write"), None, &t3, 5600);
        assert_eq!(s.token_sets.len(), 2);
        assert_eq!(s.refresh_token.as_ref().unwrap().expose(), "rt1");
    }

    #[test]
    fn logout_urls() {
        let none = LogoutOptions::default();
        let back = |federated| LogoutOptions { return_to: Some("https://app/?a=1&b".into()), federated };
        let t = "https://t.auth0.com";
        assert_eq!(logout_url(t, None, "c id", &none), "https://t.auth0.com/v2/logout?client_id=c+id");
        assert_eq!(
            logout_url(t, None, "cid", &back(false)),
            "https://t.auth0.com/v2/logout?client_id=cid&returnTo=https%3A%2F%2Fapp%2F%3Fa%3D1%26b"
        );
        assert_eq!(
            logout_url(t, None, "cid", &back(true)),
            "https://t.auth0.com/v2/logout?client_id=cid&returnTo=https%3A%2F%2Fapp%2F%3Fa%3D1%26b&federated"
        );
        // The tenant's end_session_endpoint (OIDC RP-Initiated Logout): no federated there.
        let end = Some("https://t.auth0.com/oidc/logout");
        assert_eq!(
            logout_url(t, end, "cid", &back(true)),
            "https://t.auth0.com/oidc/logout?client_id=cid&post_logout_redirect_uri=https%3A%2F%2Fapp%2F%3Fa%3D1%26b"
        );
        assert_eq!(logout_url(t, Some("https://t/end?x=1"), "cid", &none), "https://t/end?x=1&client_id=cid");
        // A planted parameter of ours is replaced, never doubled; a fragment is dropped.
        assert_eq!(
            logout_url(
                t,
                Some("https://t/end?client_id=evil&x=1&post_logout_redirect_uri=https%3A%2F%2Fevil#frag"),
                "cid",
                &back(false)
            ),
            "https://t/end?x=1&client_id=cid&post_logout_redirect_uri=https%3A%2F%2Fapp%2F%3Fa%3D1%26b"
        );
        assert_eq!(
            logout_url(t, Some("https://t/end#client_id=evil"), "cid", &none),
            "https://t/end?client_id=cid"
        );
    }
}
