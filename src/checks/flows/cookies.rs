//! One cookie jar per flow: enough of RFC 6265 for a customer path — `Set-Cookie` from every
//! response (redirect hops included) is stored, and the matching cookies are sent back on every
//! later request of the same flow. Host-only vs `Domain` cookies, `Path`, `Secure`, and removal by
//! `Max-Age=0` or an `Expires` date in the past (the usual "delete" idiom) are honoured; other
//! expiry dates are treated as "lives for the whole flow", which a flow of a few seconds cannot
//! tell apart.

use url::Url;

#[derive(Debug, Clone)]
struct Cookie {
    name: String,
    value: String,
    /// Lowercase host or `Domain` attribute (without a leading dot).
    domain: String,
    host_only: bool,
    path: String,
    secure: bool,
}

/// The cookies one flow has been given.
#[derive(Debug, Default)]
pub(crate) struct Jar {
    cookies: Vec<Cookie>,
}

impl Jar {
    /// Stores one `Set-Cookie` header value received from `url`. Malformed values and cookies
    /// for another domain are ignored, as browsers do.
    pub(crate) fn store(&mut self, url: &Url, set_cookie: &str) {
        let Some(host) = url.host_str().map(str::to_ascii_lowercase) else {
            return;
        };
        let mut parts = set_cookie.split(';');
        let Some((name, value)) = parts.next().and_then(|nv| nv.split_once('=')) else {
            return;
        };
        let name = name.trim().to_string();
        if name.is_empty() {
            return;
        }
        let value = value.trim().trim_matches('"').to_string();
        let mut domain = None;
        let mut path = None;
        let mut secure = false;
        let mut delete = false;
        for attr in parts {
            let (k, v) = attr.split_once('=').unwrap_or((attr, ""));
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
            match k.as_str() {
                "domain" if !v.is_empty() => {
                    domain = Some(v.trim_start_matches('.').to_ascii_lowercase())
                }
                "path" if v.starts_with('/') => path = Some(v.to_string()),
                "secure" => secure = true,
                "max-age" => delete |= v.parse::<i64>().is_ok_and(|n| n <= 0),
                "expires" => delete |= expired(v),
                _ => {}
            }
        }
        let (domain, host_only) = match domain {
            Some(d) if domain_match(&host, &d) => (d, false),
            Some(_) => return,
            None => (host, true),
        };
        let path = path.unwrap_or_else(|| default_path(url));
        self.cookies
            .retain(|c| !(c.name == name && c.domain == domain && c.path == path));
        if !delete {
            self.cookies.push(Cookie {
                name,
                value,
                domain,
                host_only,
                path,
                secure,
            });
        }
    }

    /// The `Cookie` header to send to `url`, if any cookie matches (longest paths first).
    pub(crate) fn header(&self, url: &Url) -> Option<String> {
        let host = url.host_str()?.to_ascii_lowercase();
        let mut matching: Vec<&Cookie> = self
            .cookies
            .iter()
            .filter(|c| {
                (if c.host_only {
                    c.domain == host
                } else {
                    domain_match(&host, &c.domain)
                }) && path_match(url.path(), &c.path)
                    && (!c.secure || url.scheme() == "https")
            })
            .collect();
        if matching.is_empty() {
            return None;
        }
        matching.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
        Some(
            matching
                .iter()
                .map(|c| format!("{}={}", c.name, c.value))
                .collect::<Vec<_>>()
                .join("; "),
        )
    }

    /// The value of the most recently stored cookie called `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .rev()
            .find(|c| c.name == name)
            .map(|c| c.value.as_str())
    }
}

/// RFC 6265 §5.1.3.
fn domain_match(host: &str, domain: &str) -> bool {
    host == domain
        || (host.ends_with(domain)
            && host[..host.len() - domain.len()].ends_with('.')
            && host.parse::<std::net::IpAddr>().is_err())
}

/// RFC 6265 §5.1.4.
fn path_match(req: &str, cookie: &str) -> bool {
    req == cookie
        || (req.starts_with(cookie)
            && (cookie.ends_with('/') || req[cookie.len()..].starts_with('/')))
}

/// RFC 6265 §5.1.4: the directory of the request path.
fn default_path(url: &Url) -> String {
    let p = url.path();
    match p.rfind('/') {
        Some(0) | None => "/".to_string(),
        Some(i) => p[..i].to_string(),
    }
}

/// Whether an `Expires` value is in the past. Only the year is read: deleting cookies use dates
/// decades back (`Thu, 01 Jan 1970 00:00:00 GMT`), live ones dates ahead.
fn expired(v: &str) -> bool {
    let this_year = 1970 + (time::OffsetDateTime::now_utc().unix_timestamp() / 31_556_952);
    v.split(|c: char| !c.is_ascii_digit())
        .filter(|t| t.len() == 4)
        .filter_map(|t| t.parse::<i64>().ok())
        .any(|y| y < this_year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn host_only_cookie_goes_back_to_its_host_only() {
        let mut j = Jar::default();
        j.store(
            &u("https://app.acme.test/api/login"),
            "session=abc123; Path=/; HttpOnly; Secure; SameSite=Lax",
        );
        assert_eq!(
            j.header(&u("https://app.acme.test/api/chat")).as_deref(),
            Some("session=abc123")
        );
        assert_eq!(j.header(&u("https://other.acme.test/")), None);
        // Secure cookies never travel over plain http.
        assert_eq!(j.header(&u("http://app.acme.test/")), None);
        assert_eq!(j.get("session"), Some("abc123"));
    }

    #[test]
    fn domain_cookie_covers_subdomains_and_foreign_domains_are_refused() {
        let mut j = Jar::default();
        j.store(&u("https://app.acme.test/"), "a=1; Domain=.acme.test");
        j.store(&u("https://app.acme.test/"), "b=2; Domain=evil.test");
        assert_eq!(
            j.header(&u("https://api.acme.test/x")).as_deref(),
            Some("a=1")
        );
        assert_eq!(j.get("b"), None);
        assert!(!domain_match("notacme.test", "acme.test"));
    }

    #[test]
    fn default_path_and_path_matching() {
        let mut j = Jar::default();
        j.store(&u("https://a.test/api/login"), "p=1");
        assert_eq!(
            j.header(&u("https://a.test/api/chat")).as_deref(),
            Some("p=1")
        );
        assert_eq!(j.header(&u("https://a.test/apix")), None);
        assert_eq!(j.header(&u("https://a.test/")), None);
    }

    #[test]
    fn replaced_and_deleted() {
        let mut j = Jar::default();
        let url = u("https://a.test/");
        j.store(&url, "s=1; Path=/");
        j.store(&url, "s=2; Path=/");
        assert_eq!(j.header(&url).as_deref(), Some("s=2"));
        j.store(&url, "s=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(j.header(&url), None);
        j.store(&url, "t=1; Path=/; Expires=Fri, 01 Jan 2100 00:00:00 GMT");
        j.store(&url, "u=1; Path=/; Max-Age=0");
        assert_eq!(j.header(&url).as_deref(), Some("t=1"));
        j.store(&url, "garbage-without-equals");
        assert_eq!(j.header(&url).as_deref(), Some("t=1"));
    }
}
