//! JWT (RFC 7519) parsing and ID token claim checks (SPEC §2.5, §3.2). Signatures are verified by
//! the host's WebCrypto; this module picks the key and checks everything else.

use super::encoding::{base64url_decode, split_byte};
use super::json::{self, Value};
use super::options::SigningAlg;
use crate::error::{code, Error};
#[allow(unused_imports)]
use crate::prelude::*;

/// Deepest nesting of a token's header or claims (e.g. an `act` delegation chain): below
/// [`json::MAX_DEPTH`], so claims kept in a session (two levels further in) always read back.
pub const MAX_CLAIMS_DEPTH: usize = json::MAX_DEPTH - 8;

/// Clock skew allowed on `exp` and `iat`, in seconds.
pub const LEEWAY: i64 = 60;

/// A compact JWS split into its parts. The payload is parsed, never trusted before verification.
/// `Debug` shows the algorithm and key id only (the rest is a token).
#[derive(Clone)]
pub struct Jwt {
    pub alg: SigningAlg,
    pub kid: Option<String>,
    pub payload: Value,
    /// `header.payload` as sent: the bytes the signature covers.
    pub signing_input: String,
    pub signature: Vec<u8>,
}

impl core::fmt::Debug for Jwt {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Jwt").field("alg", &self.alg).field("kid", &self.kid).finish_non_exhaustive()
    }
}

fn invalid(message: &'static str) -> Error {
    Error::id_token(code::INVALID_TOKEN, message)
}

/// Splits and decodes a compact JWS. Only RS256, PS256 and ES256 are accepted: `none`, HS256 and
/// anything else are `invalid_token` before any key is looked at.
pub fn decode(token: &str) -> Result<Jwt, Error> {
    let (h, p, s) = segments(token)?;
    let (alg, kid) = header(h)?;
    let payload = decode_json(p)?;
    let signature = base64url_decode(s)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid("the ID token's signature is not base64url"))?;
    Ok(Jwt {
        alg,
        kid,
        payload,
        signing_input: token.get(..h.len() + 1 + p.len()).unwrap_or_default().to_owned(),
        signature,
    })
}

/// The algorithm and `kid` of a JWS header segment (the first of a compact JWS), checked as
/// [`decode`] checks them; the other segments are not looked at.
pub fn header(h: &str) -> Result<(SigningAlg, Option<String>), Error> {
    let header = decode_json(split_byte(h, b'.').next().unwrap_or_default())?;
    let alg = header
        .str_at("alg")
        .and_then(SigningAlg::parse)
        .ok_or_else(|| invalid("the ID token's \"alg\" is not one of RS256, PS256, ES256"))?;
    if header.get("crit").is_some() {
        return Err(invalid("the ID token has a \"crit\" header this client does not understand"));
    }
    Ok((alg, header.str_at("kid").map(str::to_owned)))
}

/// The claims of a compact JWS whose header and signature were checked before (see [`decode`]).
pub fn payload(token: &str) -> Result<Value, Error> {
    decode_json(segments(token)?.1)
}

/// The three segments of a compact JWS (header, payload, signature), not yet decoded.
fn segments(token: &str) -> Result<(&str, &str, &str), Error> {
    let mut parts = split_byte(token, b'.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s), None) => Ok((h, p, s)),
        _ => Err(invalid("the ID token is not a compact JWS")),
    }
}

fn decode_json(part: &str) -> Result<Value, Error> {
    base64url_decode(part)
        .and_then(|b| {
            core::str::from_utf8(&b).ok().and_then(|t| json::parse_with_depth(t, MAX_CLAIMS_DEPTH).ok())
        })
        .filter(Value::is_object)
        .ok_or_else(|| invalid("the ID token's header or payload is not base64url JSON"))
}

fn key_fits(key: &Value, alg: SigningAlg) -> bool {
    let kty_ok = match alg {
        SigningAlg::RS256 | SigningAlg::PS256 => key.str_at("kty") == Some("RSA"),
        SigningAlg::ES256 => key.str_at("kty") == Some("EC") && key.str_at("crv") == Some("P-256"),
    };
    let use_ok = key.get("use").is_none_or(|u| u.as_str() == Some("sig"));
    let alg_ok = key.get("alg").is_none_or(|a| a.as_str() == Some(alg.name()));
    kty_ok && use_ok && alg_ok
}

/// Picks the JWKS key for a token: same `kid` (when the token names one) and a type, use and
/// algorithm that fit. Without a `kid`, only an unambiguous single fitting key is used.
pub fn select_key<'a>(jwks: &'a Value, kid: Option<&str>, alg: SigningAlg) -> Option<&'a Value> {
    let keys = match jwks.get("keys") {
        Some(Value::Arr(keys)) => keys,
        _ => return None,
    };
    // With a kid: the first fitting key of that kid. Without: the only fitting key.
    let mut found = None;
    for k in keys {
        if !key_fits(k, alg) {
            continue;
        }
        match kid {
            Some(kid) if k.str_at("kid") == Some(kid) => return Some(k),
            Some(_) => {}
            None if found.is_some() => return None,
            None => found = Some(k),
        }
    }
    found
}

/// The public members of a JWK, as JSON for WebCrypto's `importKey("jwk", ...)`: private members
/// (should a JWKS ever carry them) and metadata WebCrypto may reject are left out.
pub fn public_jwk_json(key: &Value) -> String {
    const PUBLIC: [&str; 6] = ["kty", "n", "e", "crv", "x", "y"];
    let mut members: Vec<(String, Value)> = Vec::new();
    for name in PUBLIC {
        if let Some(v @ Value::Str(_)) = key.get(name) {
            members.push(((*name).to_owned(), v.clone()));
        }
    }
    Value::Obj(members).to_json()
}

/// Checks the claims of a signature-verified ID token (SPEC §2.5): `iss` equals the discovered
/// issuer, `aud` contains `client_id` (with several, `azp` must be `client_id`), `exp` in the
/// future and `iat` not in the future, each with [`LEEWAY`]. `now` in seconds.
pub fn check_id_token_claims(claims: &Value, issuer: &str, client_id: &str, now: i64) -> Result<(), Error> {
    if claims.str_at("iss") != Some(issuer) {
        return Err(Error::id_token(
            code::INVALID_ISSUER,
            "the ID token's \"iss\" is not the tenant's issuer",
        ));
    }
    let bad_aud =
        || Error::id_token(code::INVALID_AUDIENCE, "the ID token's \"aud\" does not contain the client id");
    match claims.get("aud") {
        Some(Value::Str(a)) if a == client_id => {}
        Some(Value::Arr(list)) if list.iter().any(|a| a.as_str() == Some(client_id)) => {
            if list.len() > 1 {
                match claims.str_at("azp") {
                    Some(azp) if azp == client_id => {}
                    Some(_) => return Err(bad_aud()),
                    None => return Err(invalid("the ID token has several audiences and no \"azp\"")),
                }
            }
        }
        _ => return Err(bad_aud()),
    }
    if let Some(azp) = claims.get("azp") {
        if azp.as_str() != Some(client_id) {
            return Err(bad_aud());
        }
    }
    let exp = claims
        .get("exp")
        .and_then(Value::as_int_floor)
        .ok_or_else(|| invalid("the ID token has no numeric \"exp\""))?;
    if exp + LEEWAY <= now {
        return Err(Error::id_token(code::TOKEN_EXPIRED, "the ID token has expired"));
    }
    let iat = claims
        .get("iat")
        .and_then(Value::as_int_floor)
        .ok_or_else(|| invalid("the ID token has no numeric \"iat\""))?;
    if iat > now + LEEWAY {
        return Err(invalid("the ID token's \"iat\" is in the future"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encoding::base64url;

    fn token(header: &str, payload: &str) -> String {
        format!("{}.{}.{}", base64url(header.as_bytes()), base64url(payload.as_bytes()), base64url(b"sig"))
    }

    #[test]
    fn decodes_supported_algs_only() {
        let t = token(r#"{"alg":"RS256","kid":"k1"}"#, r#"{"sub":"a"}"#);
        let j = decode(&t).unwrap();
        assert_eq!((j.alg, j.kid.as_deref()), (SigningAlg::RS256, Some("k1")));
        assert_eq!(j.signing_input, t[..t.rfind('.').unwrap()]);
        assert_eq!(j.signature, b"sig");
        for alg in ["none", "HS256", "RS512", "", "rs256"] {
            let t = token(&format!(r#"{{"alg":"{alg}"}}"#), "{}");
            assert_eq!(decode(&t).unwrap_err().code(), "invalid_token", "{alg}");
        }
        for bad in
            ["", "a.b", "a.b.c.d", "!!.e30.c2ln", &token("[]", "{}"), &token(r#"{"alg":"RS256"}"#, "1")]
        {
            assert_eq!(decode(bad).unwrap_err().code(), "invalid_token", "{bad}");
        }
        let unsigned = format!("{}.{}.", base64url(br#"{"alg":"RS256"}"#), base64url(b"{}"));
        assert_eq!(decode(&unsigned).unwrap_err().code(), "invalid_token");
        let deep = format!(
            "{}{}",
            "{\"act\":".repeat(MAX_CLAIMS_DEPTH + 1),
            "1".to_owned() + &"}".repeat(MAX_CLAIMS_DEPTH + 1)
        );
        assert_eq!(decode(&token(r#"{"alg":"RS256"}"#, &deep)).unwrap_err().code(), "invalid_token");
        let ok = format!(
            "{}{}",
            "{\"act\":".repeat(MAX_CLAIMS_DEPTH),
            "1".to_owned() + &"}".repeat(MAX_CLAIMS_DEPTH)
        );
        assert!(decode(&token(r#"{"alg":"RS256"}"#, &ok)).is_ok());
        let crit = token(r#"{"alg":"RS256","crit":["x"]}"#, "{}");
        assert_eq!(decode(&crit).unwrap_err().code(), "invalid_token");
    }

    #[test]
    fn key_selection() {
        let jwks = json::parse(
            r#"{"keys":[{"kty":"RSA","kid":"a","use":"sig","n":"n1","e":"AQAB"},{"kty":"RSA","kid":"b","alg":"RS256","n":"n2","e":"AQAB","d":"private"},{"kty":"EC","kid":"c","crv":"P-256","x":"x","y":"y"},{"kty":"RSA","kid":"enc","use":"enc","n":"n3","e":"AQAB"}]}"#,
        )
        .unwrap();
        assert_eq!(select_key(&jwks, Some("b"), SigningAlg::RS256).unwrap().str_at("n"), Some("n2"));
        assert_eq!(select_key(&jwks, Some("b"), SigningAlg::PS256), None); // alg pinned to RS256
        assert_eq!(select_key(&jwks, Some("c"), SigningAlg::ES256).unwrap().str_at("kid"), Some("c"));
        assert_eq!(select_key(&jwks, Some("c"), SigningAlg::RS256), None);
        assert_eq!(select_key(&jwks, Some("enc"), SigningAlg::RS256), None);
        assert_eq!(select_key(&jwks, Some("zzz"), SigningAlg::RS256), None);
        assert_eq!(select_key(&jwks, None, SigningAlg::RS256), None); // ambiguous
        assert_eq!(select_key(&jwks, None, SigningAlg::ES256).unwrap().str_at("kid"), Some("c"));
        assert_eq!(select_key(&json::parse("{}").unwrap(), None, SigningAlg::RS256), None);
        let k = select_key(&jwks, Some("b"), SigningAlg::RS256).unwrap();
        assert_eq!(public_jwk_json(k), r#"{"kty":"RSA","n":"n2","e":"AQAB"}"#);
    }

    fn claims(extra: &str) -> Value {
        json::parse(&format!(r#"{{"iss":"https://t/","aud":"cid","exp":2000,"iat":1000{extra}}}"#)).unwrap()
    }

    fn check(c: &Value, now: i64) -> Result<(), String> {
        check_id_token_claims(c, "https://t/", "cid", now).map_err(|e| e.code().to_owned())
    }

    #[test]
    fn claim_checks() {
        assert_eq!(check(&claims(""), 1500), Ok(()));
        // Leeway on both ends.
        assert_eq!(check(&claims(""), 2059), Ok(()));
        assert_eq!(check(&claims(""), 2060), Err("token_expired".into()));
        assert_eq!(check(&claims(""), 940), Ok(()));
        assert_eq!(check(&claims(""), 939), Err("invalid_token".into()));
        let wrong_iss = json::parse(r#"{"iss":"https://evil/","aud":"cid","exp":2000,"iat":1000}"#).unwrap();
        assert_eq!(check(&wrong_iss, 1500), Err("invalid_issuer".into()));
        let wrong_aud = json::parse(r#"{"iss":"https://t/","aud":"other","exp":2000,"iat":1000}"#).unwrap();
        assert_eq!(check(&wrong_aud, 1500), Err("invalid_audience".into()));
        let multi = json::parse(r#"{"iss":"https://t/","aud":["cid","api"],"exp":2000,"iat":1000}"#).unwrap();
        assert_eq!(check(&multi, 1500), Err("invalid_token".into()));
        let multi_azp =
            json::parse(r#"{"iss":"https://t/","aud":["cid","api"],"azp":"cid","exp":2000,"iat":1000}"#)
                .unwrap();
        assert_eq!(check(&multi_azp, 1500), Ok(()));
        let multi_bad_azp =
            json::parse(r#"{"iss":"https://t/","aud":["cid","api"],"azp":"x","exp":2000,"iat":1000}"#)
                .unwrap();
        assert_eq!(check(&multi_bad_azp, 1500), Err("invalid_audience".into()));
        let single_list = json::parse(r#"{"iss":"https://t/","aud":["cid"],"exp":2000,"iat":1000}"#).unwrap();
        assert_eq!(check(&single_list, 1500), Ok(()));
        let no_exp = json::parse(r#"{"iss":"https://t/","aud":"cid","iat":1000}"#).unwrap();
        assert_eq!(check(&no_exp, 1500), Err("invalid_token".into()));
        let str_exp = json::parse(r#"{"iss":"https://t/","aud":"cid","exp":"2000","iat":1000}"#).unwrap();
        assert_eq!(check(&str_exp, 1500), Err("invalid_token".into()));
        let no_iat = json::parse(r#"{"iss":"https://t/","aud":"cid","exp":2000}"#).unwrap();
        assert_eq!(check(&no_iat, 1500), Err("invalid_token".into()));
        assert_eq!(check(&claims(r#","exp":1999.9"#), 2058), Ok(()));
    }
}
