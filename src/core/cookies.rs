//! HTTP cookies for the built-in stores, through the `cookie` crate: the `Cookie` request header
//! read into pairs, and `Set-Cookie` lines written (RFC 6265).

#[allow(unused_imports)]
use crate::prelude::*;
use cookie::{time::Duration, Cookie, SameSite};

/// The pairs of a `Cookie` header (RFC 6265 §5.4): split on `;`, names and values trimmed, one
/// pair of surrounding double quotes removed from a value. Fragments without `=` or with an
/// empty name are skipped; of duplicate names the first wins (browsers send the most specific
/// path first).
pub fn parse_header(header: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for cookie in Cookie::split_parse(header).flatten() {
        if !pairs.iter().any(|(name, _)| name == cookie.name()) {
            pairs.push((cookie.name().into(), cookie.value_trimmed().into()));
        }
    }
    pairs
}

/// The attributes every cookie of a store carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attributes {
    /// `Secure`: sent over https only.
    pub secure: bool,
    /// `SameSite`: `"Strict"`, `"Lax"` or `"None"` (any case).
    pub same_site: String,
    /// `Path`.
    pub path: String,
}

/// A `Set-Cookie` line: `HttpOnly`, the given attributes and `Max-Age`; `value` `None` expires the
/// cookie (an empty value, `Max-Age=0`). `None` for a `SameSite` other than the three.
pub fn set_cookie(name: &str, value: Option<&str>, attributes: &Attributes, max_age: i64) -> Option<String> {
    let same_site = match attributes.same_site.to_ascii_lowercase().as_str() {
        "strict" => SameSite::Strict,
        "lax" => SameSite::Lax,
        "none" => SameSite::None,
        _ => return None,
    };
    let cookie = Cookie::build((name, value.unwrap_or("")))
        .http_only(true)
        .secure(attributes.secure)
        .same_site(same_site)
        .path(attributes.path.as_str())
        .max_age(Duration::seconds(if value.is_some() { max_age } else { 0 }));
    Some(cookie.to_string())
}

/// The cookie name a `Set-Cookie` line sets, `None` when it sets none.
pub fn set_cookie_name(line: &str) -> Option<String> {
    Cookie::parse(line).ok().map(|cookie| cookie.name().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(header: &str) -> Vec<(String, String)> {
        parse_header(header)
    }

    fn owned(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    #[test]
    fn header_pairs_trimmed_unquoted_first_wins() {
        assert_eq!(pairs("a=1; b=2"), owned(&[("a", "1"), ("b", "2")]));
        assert_eq!(pairs("  a = 1 ;b=\"q\"; c=\"x"), owned(&[("a", "1"), ("b", "q"), ("c", "\"x")]));
        assert_eq!(pairs("a=1; a=2; b=; =3; junk; c=x=y"), owned(&[("a", "1"), ("b", ""), ("c", "x=y")]));
        assert_eq!(pairs(""), owned(&[]));
        assert_eq!(pairs(";;"), owned(&[]));
    }

    #[test]
    fn set_cookie_lines() {
        let attributes = Attributes { secure: true, same_site: "lax".into(), path: "/".into() };
        assert_eq!(
            set_cookie("__Host-s_0", Some("abc"), &attributes, 60).unwrap(),
            "__Host-s_0=abc; HttpOnly; SameSite=Lax; Secure; Path=/; Max-Age=60"
        );
        assert_eq!(
            set_cookie(
                "s",
                None,
                &Attributes { secure: false, same_site: "Strict".into(), path: "/app".into() },
                60
            )
            .unwrap(),
            "s=; HttpOnly; SameSite=Strict; Path=/app; Max-Age=0"
        );
        let bad = Attributes { same_site: "sometimes".into(), ..attributes };
        assert_eq!(set_cookie("s", Some("v"), &bad, 1), None);
    }

    #[test]
    fn set_cookie_names() {
        assert_eq!(set_cookie_name("a_0=xyz; HttpOnly; Max-Age=0").as_deref(), Some("a_0"));
        assert_eq!(set_cookie_name(" b = ; Path=/").as_deref(), Some("b"));
        assert_eq!(set_cookie_name("no pair"), None);
        assert_eq!(set_cookie_name("=v"), None);
    }
}
