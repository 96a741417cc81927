//! The session state (SPEC §3.4, §4): built at login, stored sealed as snake_case JSON with the
//! shape of auth0-server-python's `StateData`, shown to JavaScript in camelCase, and updated by
//! refreshes. Pure: time and randomness are arguments.

use super::json::{self, all_some, members_except, write_string, Value};
use super::options::ExchangeInput;
use super::response::TokenResponse;
use crate::error::{push_u64, Secret};
#[allow(unused_imports)]
use crate::prelude::*;

/// Claims left out of `user` (SPEC §3.3): protocol claims that only bloat the session.
pub const PROTOCOL_CLAIMS: [&str; 10] =
    ["aud", "exp", "iat", "nbf", "nonce", "azp", "at_hash", "c_hash", "s_hash", "jti"];

/// The audience key of token sets obtained without an `audience`.
pub const DEFAULT_AUDIENCE: &str = "default";

/// An access token is served from the session only while it has more than this many seconds left.
pub const EXPIRY_MARGIN: i64 = 30;

#[derive(Clone, Debug, PartialEq)]
pub struct TokenSet {
    pub audience: String,
    pub access_token: Secret,
    pub scope: String,
    /// Seconds since the epoch.
    pub expires_at: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The ID token's claims minus [`PROTOCOL_CLAIMS`]; `None` is stored as `null`.
    pub user: Option<Value>,
    pub id_token: Option<Secret>,
    pub refresh_token: Option<Secret>,
    pub token_sets: Vec<TokenSet>,
    /// Kept as found (auth0-server-python's connection token sets; we write `[]`).
    pub connection_token_sets: Vec<Value>,
    /// `host[:port]` of the tenant.
    pub domain: Option<String>,
    pub sid: String,
    /// Seconds since the epoch.
    pub created_at: i64,
    pub session_expires_at: Option<i64>,
    /// Top-level members another SDK wrote that we do not model, kept on rewrite.
    pub extra: Vec<(String, Value)>,
}

/// `user` from verified ID token claims (SPEC §3.3).
pub fn user_from_claims(claims: &Value) -> Value {
    match claims {
        Value::Obj(members) => Value::Obj(members_except(members, &PROTOCOL_CLAIMS)),
        other => other.clone(),
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

/// What a login knows (SPEC §3.4).
pub struct Login<'a> {
    pub tokens: &'a TokenResponse,
    /// Verified ID token claims, when an ID token came back.
    pub claims: Option<&'a Value>,
    /// The typed `audience` option.
    pub audience: Option<&'a str>,
    /// The typed `scope` option.
    pub scope: Option<&'a str>,
    pub domain_host: &'a str,
    pub now: i64,
    /// Used when the ID token carries no `sid`.
    pub random_sid: String,
}

/// The state of a login from a token-exchange response: the exchange's typed `audience` and
/// `scope` (see [`Login`]), the verified ID token claims if any, and the random bytes that make the
/// session id when the claims carry no `sid`. The npm package and the Rust API both log in here.
pub fn login_state(
    tokens: &TokenResponse,
    claims: Option<&Value>,
    input: &ExchangeInput,
    domain_host: &str,
    now: i64,
    random: &[u8],
) -> State {
    new_state(Login {
        tokens,
        claims,
        audience: input.typed_audience.as_deref(),
        scope: input.typed_scope.as_deref(),
        domain_host,
        now,
        random_sid: random_sid(random),
    })
}

pub fn new_state(l: Login<'_>) -> State {
    let sid = l
        .claims
        .and_then(|c| c.str_at("sid"))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .unwrap_or(l.random_sid);
    State {
        user: l.claims.map(user_from_claims),
        id_token: l.tokens.id_token.clone(),
        refresh_token: l.tokens.refresh_token.clone(),
        token_sets: vec![TokenSet {
            audience: l.audience.unwrap_or(DEFAULT_AUDIENCE).to_owned(),
            access_token: l.tokens.access_token.clone(),
            scope: l.tokens.scope.as_deref().or(l.scope).unwrap_or("").to_owned(),
            expires_at: l.now + l.tokens.expires_in as i64,
        }],
        connection_token_sets: Vec::new(),
        domain: Some(l.domain_host.to_owned()),
        sid,
        created_at: l.now,
        session_expires_at: None,
        extra: Vec::new(),
    }
}

pub(crate) fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

fn opt_secret(out: &mut String, s: &Option<Secret>) {
    match s {
        Some(s) => write_string(s.expose(), out),
        None => out.push_str("null"),
    }
}

impl State {
    /// Writes the token sets as a JSON array; `keys` are the four member prefixes (the stored
    /// form is snake_case, the JavaScript view camelCase).
    fn write_token_sets(&self, o: &mut String, keys: [&str; 4]) {
        o.push('[');
        for (i, t) in self.token_sets.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            o.push_str(keys[0]);
            write_string(&t.audience, o);
            o.push_str(keys[1]);
            write_string(t.access_token.expose(), o);
            o.push_str(keys[2]);
            write_string(&t.scope, o);
            o.push_str(keys[3]);
            push_i64(o, t.expires_at);
            o.push('}');
        }
        o.push(']');
    }

    /// The stored form: snake_case, as auth0-server-python's `StateData`.
    pub fn to_json(&self) -> String {
        let mut o = String::with_capacity(1024);
        o.push_str("{\"user\":");
        match &self.user {
            Some(u) => u.write_json(&mut o),
            None => o.push_str("null"),
        }
        o.push_str(",\"id_token\":");
        opt_secret(&mut o, &self.id_token);
        o.push_str(",\"refresh_token\":");
        opt_secret(&mut o, &self.refresh_token);
        o.push_str(",\"token_sets\":");
        self.write_token_sets(
            &mut o,
            ["{\"audience\":", ",\"access_token\":", ",\"scope\":", ",\"expires_at\":"],
        );
        o.push_str(",\"connection_token_sets\":");
        json::write_array(&self.connection_token_sets, &mut o);
        o.push_str(",\"domain\":");
        match &self.domain {
            Some(d) => write_string(d, &mut o),
            None => o.push_str("null"),
        }
        o.push_str(",\"internal\":{\"sid\":");
        write_string(&self.sid, &mut o);
        o.push_str(",\"created_at\":");
        push_i64(&mut o, self.created_at);
        o.push_str(",\"session_expires_at\":");
        match self.session_expires_at {
            Some(t) => push_i64(&mut o, t),
            None => o.push_str("null"),
        }
        o.push('}');
        for (k, v) in &self.extra {
            o.push(',');
            write_string(k, &mut o);
            o.push(':');
            v.write_json(&mut o);
        }
        o.push('}');
        o
    }

    /// Reads a stored state. Anything malformed is `None`: "no session", never an error.
    pub fn from_value(v: &Value) -> Option<State> {
        let Value::Obj(members) = v else { return None };
        let opt_str = |key: &str| -> Option<Option<Secret>> {
            match v.get(key) {
                None | Some(Value::Null) => Some(None),
                Some(Value::Str(s)) => Some(Some(Secret::new(s.clone()))),
                _ => None,
            }
        };
        let user = match v.get("user") {
            None | Some(Value::Null) => None,
            Some(u @ Value::Obj(_)) => Some(u.clone()),
            _ => return None,
        };
        let token_sets = match v.get("token_sets") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Arr(sets)) => all_some(sets, |t| {
                Some(TokenSet {
                    audience: t.str_at("audience")?.to_owned(),
                    access_token: Secret::new(t.str_at("access_token")?),
                    scope: match t.get("scope") {
                        None | Some(Value::Null) => String::new(),
                        Some(Value::Str(s)) => s.clone(),
                        _ => return None,
                    },
                    expires_at: t.get("expires_at")?.as_int_floor()?,
                })
            })?,
            _ => return None,
        };
        let connection_token_sets = match v.get("connection_token_sets") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Arr(a)) => a.clone(),
            _ => return None,
        };
        let internal = v.get("internal").filter(|i| i.is_object())?;
        const KNOWN: [&str; 7] = [
            "user",
            "id_token",
            "refresh_token",
            "token_sets",
            "connection_token_sets",
            "domain",
            "internal",
        ];
        Some(State {
            user,
            id_token: opt_str("id_token")?,
            refresh_token: opt_str("refresh_token")?,
            token_sets,
            connection_token_sets,
            domain: match v.get("domain") {
                None | Some(Value::Null) => None,
                Some(Value::Str(s)) => Some(s.clone()),
                _ => return None,
            },
            sid: internal.str_at("sid")?.to_owned(),
            created_at: internal.get("created_at")?.as_int_floor()?,
            session_expires_at: match internal.get("session_expires_at") {
                None | Some(Value::Null) => None,
                Some(n) => Some(n.as_int_floor()?),
            },
            extra: members_except(members, &KNOWN),
        })
    }

    /// The state as JavaScript sees it (SPEC §3.7, §4): camelCase keys, claim names inside
    /// `user` as issued. `internal` only when asked (login returns it, `getSession` does not).
    pub fn to_camel_json(&self, with_internal: bool) -> String {
        let mut o = String::with_capacity(1024);
        self.write_camel_open(&mut o);
        if with_internal {
            self.write_internal(&mut o);
        }
        o.push('}');
        o
    }

    /// [`State::to_camel_json`] without `internal` and without its closing brace.
    pub fn write_camel_open(&self, o: &mut String) {
        o.push_str("{\"user\":");
        match &self.user {
            Some(u) => u.write_json(o),
            None => o.push_str("null"),
        }
        for (name, value) in [("idToken", &self.id_token), ("refreshToken", &self.refresh_token)] {
            if let Some(s) = value {
                o.push_str(",\"");
                o.push_str(name);
                o.push_str("\":");
                write_string(s.expose(), o);
            }
        }
        o.push_str(",\"tokenSets\":");
        self.write_token_sets(o, ["{\"audience\":", ",\"accessToken\":", ",\"scope\":", ",\"expiresAt\":"]);
        if let Some(d) = &self.domain {
            o.push_str(",\"domain\":");
            write_string(d, o);
        }
    }

    /// The `internal` member of [`State::to_camel_json`], with its leading comma.
    pub fn write_internal(&self, o: &mut String) {
        o.push_str(",\"internal\":{\"sid\":");
        write_string(&self.sid, o);
        o.push_str(",\"createdAt\":");
        push_i64(o, self.created_at);
        o.push('}');
    }

    /// Older than `duration` seconds, or past the IdP's session ceiling.
    pub fn is_expired(&self, now: i64, duration: u64) -> bool {
        now >= self.expires_at(duration)
    }

    /// The first second at which [`State::is_expired`] holds.
    pub fn expires_at(&self, duration: u64) -> i64 {
        let by_age = self.created_at.saturating_add(duration as i64);
        self.session_expires_at.map_or(by_age, |e| e.min(by_age))
    }

    /// The token set for `audience` whose scopes include every requested one: an exact match
    /// first, else the smallest superset (SPEC §4).
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

    /// Merges a refresh-token grant's response (SPEC §4): the token set is replaced (or appended),
    /// the ID and refresh tokens replaced when returned, `user` kept as it is.
    pub fn merge_refresh(
        &mut self,
        audience: &str,
        scope: Option<&str>,
        replaced: Option<usize>,
        tokens: &TokenResponse,
        now: i64,
    ) {
        let slot = replaced.and_then(|i| self.token_sets.get_mut(i));
        let previous_scope = slot.as_ref().map(|t| t.scope.clone());
        let set = TokenSet {
            audience: audience.to_owned(),
            access_token: tokens.access_token.clone(),
            scope: tokens.scope.clone().or(scope.map(str::to_owned)).or(previous_scope).unwrap_or_default(),
            expires_at: now + tokens.expires_in as i64,
        };
        match slot {
            Some(t) => *t = set,
            None => self.token_sets.push(set),
        }
        if let Some(t) = &tokens.id_token {
            self.id_token = Some(t.clone());
        }
        if let Some(t) = &tokens.refresh_token {
            self.refresh_token = Some(t.clone());
        }
    }
}

/// `{domain_url}/v2/logout?client_id=...[&returnTo=...]` (SPEC §4).
pub fn logout_url(domain_url: &str, client_id: &str, return_to: Option<&str>) -> String {
    use super::encoding::form_urlencode_into;
    let mut url = String::from(domain_url);
    url.push_str("/v2/logout?client_id=");
    form_urlencode_into(client_id, &mut url);
    if let Some(r) = return_to {
        url.push_str("&returnTo=");
        form_urlencode_into(r, &mut url);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the host does with an opened state: JSON.parse (here serde_json) into a Value.
    fn from_json(bytes: &[u8]) -> Option<State> {
        State::from_value(&crate::core::jwt::tests::parse_json(bytes, json::MAX_DEPTH)?)
    }

    fn tokens(scope: Option<&str>) -> TokenResponse {
        TokenResponse {
            access_token: Secret::new("at1"),
            token_type: "Bearer".into(),
            expires_in: 3600,
            scope: scope.map(str::to_owned),
            id_token: Some(Secret::new("h.p.s")),
            refresh_token: Some(Secret::new("rt1")),
            issued_token_type: None,
            act: None,
        }
    }

    fn claims() -> Value {
        json::parse(
            r#"{"iss":"https://t/","sub":"auth0|alice","aud":"cid","exp":2,"iat":1,"nbf":1,"nonce":"n","azp":"cid","at_hash":"x","c_hash":"x","s_hash":"x","jti":"j","sid":"sid-1","org_id":"org_1","act":{"sub":"svc","act":{"sub":"svc2"}},"name":"Alice"}"#,
        )
        .unwrap()
    }

    fn login_state() -> State {
        let t = tokens(Some("openid read:data"));
        let c = claims();
        new_state(Login {
            tokens: &t,
            claims: Some(&c),
            audience: Some("https://api"),
            scope: Some("openid"),
            domain_host: "127.0.0.1:3000",
            now: 1000,
            random_sid: "r".repeat(32),
        })
    }

    #[test]
    fn login_builds_the_python_shape() {
        let s = login_state();
        let v = json::parse(&s.to_json()).unwrap();
        let keys: Vec<&str> = match &v {
            Value::Obj(m) => m.iter().map(|(k, _)| k.as_str()).collect(),
            _ => panic!(),
        };
        assert_eq!(
            keys,
            [
                "user",
                "id_token",
                "refresh_token",
                "token_sets",
                "connection_token_sets",
                "domain",
                "internal"
            ]
        );
        let user = v.get("user").unwrap();
        for gone in PROTOCOL_CLAIMS {
            assert!(user.get(gone).is_none(), "{gone} must be dropped");
        }
        assert_eq!(user.str_at("sub"), Some("auth0|alice"));
        assert_eq!(user.str_at("org_id"), Some("org_1"));
        assert_eq!(user.get("act").unwrap().get("act").unwrap().str_at("sub"), Some("svc2"));
        assert_eq!(v.get("internal").unwrap().str_at("sid"), Some("sid-1"));
        assert_eq!(v.get("internal").unwrap().get("created_at").unwrap().as_int(), Some(1000));
        assert_eq!(v.get("internal").unwrap().get("session_expires_at"), Some(&Value::Null));
        let set = match v.get("token_sets").unwrap() {
            Value::Arr(a) => a[0].clone(),
            _ => panic!(),
        };
        assert_eq!(set.str_at("audience"), Some("https://api"));
        assert_eq!(set.str_at("scope"), Some("openid read:data"));
        assert_eq!(set.get("expires_at").unwrap().as_int(), Some(4600));
        assert_eq!(v.str_at("domain"), Some("127.0.0.1:3000"));
        assert_eq!(v.get("connection_token_sets"), Some(&Value::Arr(vec![])));
        // Round trip.
        assert_eq!(from_json(s.to_json().as_bytes()).unwrap(), s);
    }

    #[test]
    fn login_defaults() {
        let mut t = tokens(None);
        t.id_token = None;
        let s = new_state(Login {
            tokens: &t,
            claims: None,
            audience: None,
            scope: Some("read"),
            domain_host: "t.auth0.com",
            now: 5,
            random_sid: random_sid(&[7u8; 64]),
        });
        assert_eq!(s.user, None);
        assert_eq!(s.token_sets[0].audience, "default");
        assert_eq!(s.token_sets[0].scope, "read");
        assert_eq!(s.sid.len(), 32);
        assert!(s.to_json().starts_with("{\"user\":null,\"id_token\":null,"));
        let mut t = tokens(None);
        t.id_token = None;
        let s = new_state(Login {
            tokens: &t,
            claims: None,
            audience: None,
            scope: None,
            domain_host: "h",
            now: 5,
            random_sid: "x".into(),
        });
        assert_eq!(s.token_sets[0].scope, "");
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
    fn camel_case_view() {
        let s = login_state();
        let v = json::parse(&s.to_camel_json(true)).unwrap();
        assert_eq!(v.str_at("idToken"), Some("h.p.s"));
        assert_eq!(v.str_at("refreshToken"), Some("rt1"));
        let sets = match v.get("tokenSets").unwrap() {
            Value::Arr(a) => a.clone(),
            _ => panic!(),
        };
        assert_eq!(sets[0].str_at("accessToken"), Some("at1"));
        assert_eq!(sets[0].get("expiresAt").unwrap().as_int(), Some(4600));
        assert_eq!(v.get("internal").unwrap().str_at("sid"), Some("sid-1"));
        assert!(json::parse(&s.to_camel_json(false)).unwrap().get("internal").is_none());
        // Claim names inside user stay as issued.
        assert!(v.get("user").unwrap().get("org_id").is_some());
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
        ] {
            assert_eq!(from_json(bad.as_bytes()), None, "{bad}");
        }
        // Python's minimal state (no domain, scope null, extra members) reads, and keeps extras.
        let py = r#"{"user":{"sub":"a"},"id_token":null,"refresh_token":"r","token_sets":[{"audience":"default","access_token":"t","scope":null,"expires_at":9}],"connection_token_sets":[],"internal":{"sid":"s","created_at":1},"custom":{"k":1}}"#;
        let s = from_json(py.as_bytes()).unwrap();
        assert_eq!(s.token_sets[0].scope, "");
        assert_eq!(s.extra, vec![("custom".to_string(), json::parse(r#"{"k":1}"#).unwrap())]);
        assert!(s.to_json().ends_with(r#","custom":{"k":1}}"#));
    }

    #[test]
    fn the_deepest_claims_a_token_may_carry_still_read_back() {
        use crate::core::jwt::MAX_CLAIMS_DEPTH;
        let mut claims = Value::Obj(vec![("sub".into(), Value::Str("a".into()))]);
        for _ in 0..MAX_CLAIMS_DEPTH - 1 {
            claims = Value::Obj(vec![("sub".into(), Value::Str("a".into())), ("act".into(), claims)]);
        }
        // As deep as a token may be (one more level is refused when the token is decoded)...
        assert!(json::parse_with_depth(&claims.to_json(), MAX_CLAIMS_DEPTH).is_ok());
        let deeper = Value::Obj(vec![("act".into(), claims.clone())]);
        assert!(json::parse_with_depth(&deeper.to_json(), MAX_CLAIMS_DEPTH).is_err());
        // ...and such claims, kept in a session, read back.
        let t = tokens(None);
        let s = new_state(Login {
            tokens: &t,
            claims: Some(&claims),
            audience: None,
            scope: None,
            domain_host: "h",
            now: 1,
            random_sid: "x".into(),
        });
        assert_eq!(from_json(s.to_json().as_bytes()), Some(s));
    }

    #[test]
    fn expiry() {
        let s = login_state();
        assert!(!s.is_expired(1000 + 99, 100));
        assert!(s.is_expired(1000 + 100, 100));
        let mut s2 = s.clone();
        s2.session_expires_at = Some(1050);
        assert!(s2.is_expired(1050, 100_000));
    }

    #[test]
    fn token_set_selection() {
        let mut s = login_state();
        let set = |aud: &str, scope: &str| TokenSet {
            audience: aud.into(),
            access_token: Secret::new(scope),
            scope: scope.into(),
            expires_at: 0,
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
    fn refresh_merge() {
        let mut s = login_state();
        let mut t = tokens(None);
        t.access_token = Secret::new("at2");
        t.id_token = None;
        t.refresh_token = None;
        s.merge_refresh("https://api", None, Some(0), &t, 2000);
        assert_eq!(s.token_sets.len(), 1);
        assert_eq!(s.token_sets[0].access_token.expose(), "at2");
        assert_eq!(s.token_sets[0].scope, "openid read:data"); // kept from the replaced set
        assert_eq!(s.token_sets[0].expires_at, 5600);
        assert_eq!(s.refresh_token.as_ref().unwrap().expose(), "rt1"); // kept
        assert_eq!(s.id_token.as_ref().unwrap().expose(), "h.p.s");
        assert_eq!(s.user.as_ref().unwrap().get("act").unwrap().str_at("sub"), Some("svc")); // user kept
        let t3 = tokens(Some("write"));
        s.merge_refresh("https://other", Some("write"), None, &t3, 2000);
        assert_eq!(s.token_sets.len(), 2);
        assert_eq!(s.refresh_token.as_ref().unwrap().expose(), "rt1");
    }

    #[test]
    fn logout_urls() {
        assert_eq!(
            logout_url("https://t.auth0.com", "c id", None),
            "https://t.auth0.com/v2/logout?client_id=c+id"
        );
        assert_eq!(
            logout_url("https://t.auth0.com", "cid", Some("https://app/?a=1&b")),
            "https://t.auth0.com/v2/logout?client_id=cid&returnTo=https%3A%2F%2Fapp%2F%3Fa%3D1%26b"
        );
    }
}
