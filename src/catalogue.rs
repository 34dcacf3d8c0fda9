//! The finding catalogue: every id of DESIGN §4 with default severity, impact and wording.
//! `launchready checks` and `launchready explain` read it; checks build findings from it.

use crate::finding::{CheckName, Impact, Severity, Spec};

/// dns.* findings.
pub mod dns {
    use super::*;

    /// dns.apex_unresolved
    pub static APEX_UNRESOLVED: Spec = Spec {
        id: "dns.apex_unresolved",
        check: CheckName::Dns,
        severity: Severity::Critical,
        impact: Impact::LaunchBlocker,
        title: "Main domain does not point to any server",
        when: "apex has no A/AAAA (directly or via CNAME)",
        why: "Your bare domain (like acme.example) has no IPv4 (A) or IPv6 (AAAA) address, \
              neither directly nor through a CNAME. Anyone who types it, clicks a link to it or \
              follows a link in one of your emails gets a \"site can't be reached\" error, so for \
              them the product does not exist. Certificates and redirects cannot work either until \
              the name resolves.",
        fix: "At your DNS provider (your registrar, Cloudflare, Route 53...) add A/AAAA records \
              for the apex, or an ALIAS/ANAME/flattened CNAME record if your host (Vercel, \
              Netlify, Render) gives you a host name instead of an IP address. Check that the \
              nameservers set at the registrar are the ones you are editing, then confirm with \
              `dig +short acme.example`.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc1035#section-3.4.1",
            "https://www.rfc-editor.org/rfc/rfc3596#section-2",
            "https://www.rfc-editor.org/rfc/rfc1034#section-3.6.2",
        ],
    };

    /// dns.subdomain_unresolved
    pub static SUBDOMAIN_UNRESOLVED: Spec = Spec {
        id: "dns.subdomain_unresolved",
        check: CheckName::Dns,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "A subdomain does not resolve",
        when: "a configured subdomain does not resolve",
        why: "A subdomain you listed (such as app. or api.) has no address record. Whatever lives \
              there - the app itself, the API your front end calls, the status page - is \
              unreachable, so sign-ups, logins or API calls fail even though the homepage loads.",
        fix: "Add the missing A/AAAA or CNAME record at your DNS provider, using the exact target \
              your host shows (for example `cname.vercel-dns.com`, `<site>.netlify.app` or \
              `<project>.pages.dev`). If the subdomain is no longer used, remove it from \
              `target.subdomains`.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc1034#section-3.6.2",
            "https://www.rfc-editor.org/rfc/rfc1035#section-3.4.1",
        ],
    };

    /// dns.dangling_cname
    pub static DANGLING_CNAME: Spec = Spec {
        id: "dns.dangling_cname",
        check: CheckName::Dns,
        severity: Severity::Critical,
        impact: Impact::DataExposure,
        title: "Subdomain points at an unclaimed service (takeover risk)",
        when: "a CNAME points at a name that does not resolve, or at a hosting service that \
               answers with its unclaimed-resource page (takeover risk)",
        why: "A CNAME record sends visitors of this name to a hosting service (an S3 bucket, a \
              Heroku or GitHub Pages app, an Azure site...) that no longer exists or no longer \
              belongs to you. Anyone can claim that resource at the provider and then serve their \
              own pages, phishing forms or scripts under your domain, often with a valid \
              certificate. Pages served there can also read or set cookies scoped to your parent \
              domain, including login sessions.",
        fix: "Delete the CNAME at your DNS provider if the service is gone, or re-create and claim \
              the resource at the provider (adding its domain-verification record) before DNS \
              points at it again. Make \"remove the DNS record\" a step of shutting down any \
              service.",
        refs: &[
            "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/02-Configuration_and_Deployment_Management_Testing/10-Test_for_Subdomain_Takeover",
            "https://learn.microsoft.com/en-us/azure/security/fundamentals/subdomain-takeover",
            "https://github.com/EdOverflow/can-i-take-over-xyz",
        ],
    };

    /// dns.single_nameserver
    pub static SINGLE_NAMESERVER: Spec = Spec {
        id: "dns.single_nameserver",
        check: CheckName::Dns,
        severity: Severity::Medium,
        impact: Impact::LaunchBlocker,
        title: "Domain relies on a single nameserver",
        when: "fewer than 2 NS",
        why: "Your domain is served by fewer than two nameservers. When that one server or its \
              network has a bad hour, every lookup of your domain fails: the site, the API and \
              incoming email all disappear at once. The DNS standards require at least two, \
              ideally on separate networks.",
        fix: "Add a second nameserver at your registrar, or move the zone to a managed DNS \
              provider (Cloudflare, Route 53, Google Cloud DNS, NS1) that gives you several \
              nameservers by default. Make sure every nameserver listed at the registrar actually \
              serves the zone.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc1034#section-4.1",
            "https://www.rfc-editor.org/rfc/rfc2182#section-5",
        ],
    };

    /// dns.no_caa
    pub static NO_CAA: Spec = Spec {
        id: "dns.no_caa",
        check: CheckName::Dns,
        severity: Severity::Low,
        impact: Impact::DataExposure,
        title: "No CAA record limiting who may issue certificates",
        when: "no CAA record at or above the domain",
        why: "A CAA record tells certificate authorities which of them may issue certificates for \
              your domain. Without it any public CA may, so a mistake or a social-engineering \
              attack at any one of them can hand someone a valid certificate for your site, which \
              they can use to impersonate it. It is a cheap, one-line safeguard.",
        fix: "At your DNS provider add a CAA record on the apex naming the CA you actually use, \
              e.g. `acme.example. CAA 0 issue \"letsencrypt.org\"`, plus \
              `0 iodef \"mailto:security@acme.example\"` for reports. If Cloudflare, Vercel or \
              another host issues your certificates, list every CA its documentation names first, \
              or renewals will fail.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc8659",
            "https://letsencrypt.org/docs/caa/",
        ],
    };

    /// dns.record_drift
    pub static RECORD_DRIFT: Spec = Spec {
        id: "dns.record_drift",
        check: CheckName::Dns,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "DNS record differs from the expected value",
        when: "a `dns.expect` record differs from what is served",
        why: "A record you declared in `dns.expect` is served with a different value, or not at \
              all. Traffic for that name goes somewhere you did not intend - an old server, a \
              previous host, a provider you left - which means stale content, failed deploys or \
              broken certificate validation. Drift usually comes from edits made directly in a \
              DNS dashboard that nobody wrote down.",
        fix: "Compare the served value in the evidence with your DNS provider's dashboard and \
              correct whichever side is wrong: fix the record at the provider, or update \
              `dns.expect` if the change was intended. Old values can linger in resolvers until \
              their TTL expires.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc1034#section-3.6",
            "https://www.rfc-editor.org/rfc/rfc1035#section-3.2.1",
        ],
    };

    /// dns.no_ipv6
    pub static NO_IPV6: Spec = Spec {
        id: "dns.no_ipv6",
        check: CheckName::Dns,
        severity: Severity::Info,
        impact: Impact::Conversion,
        title: "Main domain has no IPv6 address",
        when: "apex has no AAAA",
        why: "The apex has no AAAA (IPv6) record. Most visitors still reach you over IPv4, so \
              nothing breaks today, but a growing share of mobile networks are IPv6-first and reach \
              IPv4-only sites through translation gateways that add latency and occasional \
              failures.",
        fix: "If your host or CDN supports IPv6 (Cloudflare, Vercel, Netlify and CloudFront do), \
              add the AAAA records it publishes or switch IPv6 on in its dashboard. On your own \
              server, assign it an IPv6 address, make nginx/Caddy listen on it (`listen [::]:443`) \
              and add an AAAA record.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc3596#section-2",
            "https://www.google.com/intl/en/ipv6/statistics.html",
        ],
    };

    /// dns.no_dnssec
    pub static NO_DNSSEC: Spec = Spec {
        id: "dns.no_dnssec",
        check: CheckName::Dns,
        severity: Severity::Info,
        impact: Impact::Conversion,
        title: "DNS zone is not signed (no DNSSEC)",
        when: "the zone is not signed (no DNSKEY / DS)",
        why: "DNSSEC lets resolvers verify that answers about your domain really come from you. \
              Without it, an attacker who can poison a resolver's cache or sits on the network path \
              can send your visitors or your email to their own servers. Many sites run without it, \
              which is why this is only informational.",
        fix: "Turn on DNSSEC at your DNS provider (one click in Cloudflare, \"DNSSEC signing\" in \
              Route 53), then add the DS record it shows you at your registrar. Do it on a day you \
              can watch: a wrong DS record makes the whole domain unreachable.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc9364",
            "https://www.rfc-editor.org/rfc/rfc4033",
            "https://developers.cloudflare.com/dns/dnssec/",
        ],
    };

    /// dns.caa_blocks_issuer
    pub static CAA_BLOCKS_ISSUER: Spec = Spec {
        id: "dns.caa_blocks_issuer",
        check: CheckName::Dns,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "CAA records forbid the current certificate's CA",
        when: "CAA records exist and none authorises the CA that issued the current certificate: \
               the next renewal will fail (found by the tls check, which reads the certificate)",
        why: "CAA records (RFC 8659) list which certificate authorities may issue for the domain, \
              and CAs must check them at every issuance. The certificate served now comes from a \
              CA that the relevant CAA records do not name - it was issued before the records \
              changed, or by a CA added later (a CDN, a new host). The next renewal will be \
              refused, and the site goes down when the current certificate expires.",
        fix: "Add an `issue` record for the CA that issues your certificates, next to the existing \
              ones: for example `acme.example. CAA 0 issue \"letsencrypt.org\"` (Google Trust \
              Services: `pki.goog`, Sectigo and ZeroSSL: `sectigo.com`, DigiCert: `digicert.com`, \
              AWS ACM: `amazon.com`), or move issuance to a CA the records already allow. \
              Wildcard certificates follow `issuewild` when present.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc8659#section-3",
            "https://www.rfc-editor.org/rfc/rfc8659#section-4.2",
            "https://letsencrypt.org/docs/caa/",
        ],
    };
}

/// http.*, edge.*, headers.* and exposure.* findings (all emitted by the http check).
pub mod http {
    use super::*;

    /// http.unreachable
    pub static UNREACHABLE: Spec = Spec {
        id: "http.unreachable",
        check: CheckName::Http,
        severity: Severity::Critical,
        impact: Impact::LaunchBlocker,
        title: "Site cannot be reached",
        when: "configured host/page cannot be fetched at all",
        why: "A configured host or page could not be fetched at all: the connection was refused, \
              timed out or failed before any HTTP answer came back. Visitors get a browser error \
              page, and any app, webhook or API client pointing here fails. Nothing else about this \
              page can be checked until it answers.",
        fix: "Check in this order: DNS points at the right server; the platform (Vercel, Netlify, \
              Render, Fly) shows the deployment as running; the firewall or security group allows \
              ports 80 and 443; nginx/Caddy has a server block for this host name. The evidence \
              shows the exact error to start from.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc9110#section-4.2",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/Overview",
        ],
    };

    /// http.no_https_redirect
    pub static NO_HTTPS_REDIRECT: Spec = Spec {
        id: "http.no_https_redirect",
        check: CheckName::Http,
        severity: Severity::High,
        impact: Impact::DataExposure,
        title: "Plain HTTP does not redirect to HTTPS",
        when: "plain http serves content instead of redirecting to https",
        why: "Visiting the http:// address serves the page itself instead of sending the browser \
              to https://. People who type your domain without https:// or follow old links browse \
              unencrypted: passwords, session cookies and form data can be read or changed on \
              public Wi-Fi, and browsers label the page \"Not secure\".",
        fix: "Redirect every http:// request to the same path on https:// with a 301 or 308: in \
              nginx `return 301 https://$host$request_uri;` in the port-80 server block, in \
              Cloudflare turn on \"Always Use HTTPS\"; Caddy, Vercel and Netlify do it by default \
              once a certificate exists. Then add HSTS so browsers stop trying http at all.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc6797#section-7.2",
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.4.9",
            "https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html",
        ],
    };

    /// http.redirect_loop
    pub static REDIRECT_LOOP: Spec = Spec {
        id: "http.redirect_loop",
        check: CheckName::Http,
        severity: Severity::Critical,
        impact: Impact::LaunchBlocker,
        title: "Redirect loop: the page never loads",
        when: "a redirect chain revisits a URL or exceeds 10 hops",
        why: "Following the redirects from this URL comes back to a URL already visited, or takes \
              more than 10 hops. Browsers give up with \"too many redirects\" \
              (ERR_TOO_MANY_REDIRECTS), so visitors never see the page. The classic causes are a \
              CDN talking plain http to an origin that redirects to https, or two layers each \
              forcing a different host (www versus the bare domain).",
        fix: "Choose one canonical host and one place that redirects, and remove the competing \
              rule. With Cloudflare in front of an https origin, set SSL/TLS mode to \
              \"Full (strict)\" instead of \"Flexible\"; check that nginx/Caddy, the app framework \
              and the hosting dashboard do not each add their own www or https redirect.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.4",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/Redirections",
            "https://developers.cloudflare.com/ssl/troubleshooting/too-many-redirects/",
        ],
    };

    /// http.redirect_downgrade
    pub static REDIRECT_DOWNGRADE: Spec = Spec {
        id: "http.redirect_downgrade",
        check: CheckName::Http,
        severity: Severity::High,
        impact: Impact::DataExposure,
        title: "Redirect drops from HTTPS back to HTTP",
        when: "a hop goes from https to http",
        why: "One hop in the redirect chain goes from an https:// URL to an http:// one. That \
              request, including any cookie not marked Secure, travels unencrypted, and anyone on \
              the network can read it or send the visitor elsewhere. Browsers that remember HSTS \
              for your domain refuse the hop, which breaks the flow as well.",
        fix: "Make every Location header use https://. Behind a proxy or CDN the app usually builds \
              http:// URLs because it thinks the request was plain http: make it trust \
              `X-Forwarded-Proto` (Express `app.set('trust proxy', 1)`, Django \
              `SECURE_PROXY_SSL_HEADER`, Rails `config.force_ssl`), and in nginx use \
              `return 301 https://$host$request_uri;`.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.4",
            "https://www.rfc-editor.org/rfc/rfc6797#section-7.2",
            "https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html",
        ],
    };

    /// http.non_canonical_host
    pub static NON_CANONICAL_HOST: Spec = Spec {
        id: "http.non_canonical_host",
        check: CheckName::Http,
        severity: Severity::Medium,
        impact: Impact::Conversion,
        title: "Both www and the bare domain serve the site",
        when: "both www and apex serve 200 instead of one redirecting",
        why: "Both www and the bare domain answer with the site instead of one redirecting to the \
              other. Search engines see two copies of every page and split your ranking between \
              them, analytics are split too, and users logged in on one host appear logged out on \
              the other because cookies are kept per host.",
        fix: "Pick the canonical host (`target.canonical`) and 301/308-redirect the other one to \
              it, keeping the path: in Vercel or Netlify set the second domain to redirect to the \
              primary, in Cloudflare add a redirect rule, in nginx add a server block with \
              `return 301 https://acme.example$request_uri;`.",
        refs: &[
            "https://developers.google.com/search/docs/crawling-indexing/consolidate-duplicate-urls",
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.4.2",
        ],
    };

    /// http.temporary_redirect
    pub static TEMPORARY_REDIRECT: Spec = Spec {
        id: "http.temporary_redirect",
        check: CheckName::Http,
        severity: Severity::Low,
        impact: Impact::Conversion,
        title: "Permanent move uses a temporary redirect",
        when: "canonical or https redirect uses 302/307 instead of 301/308",
        why: "The https or canonical-host redirect uses 302 or 307, which tells browsers and search \
              engines the move is temporary. Browsers then ask again on every visit, costing a \
              round trip, and search engines may keep the old URL in their index instead of \
              passing its ranking to the new one.",
        fix: "Use 301 (or 308, which also keeps the request method) for redirects that will not \
              change: `return 301 ...` in nginx, `redir <target> permanent` in Caddy, \
              `\"permanent\": true` in vercel.json redirects, status `301` in a Netlify \
              `_redirects` file. Keep 302/307 for genuinely temporary moves.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.4.2",
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.4.9",
            "https://developers.google.com/search/docs/crawling-indexing/301-redirects",
        ],
    };

    /// http.redirect_chain_long
    pub static REDIRECT_CHAIN_LONG: Spec = Spec {
        id: "http.redirect_chain_long",
        check: CheckName::Http,
        severity: Severity::Low,
        impact: Impact::Conversion,
        title: "Too many redirects before the page",
        when: "more than 2 hops to the final page",
        why: "Reaching the final page takes more than two redirects, for example http://acme -> \
              https://acme -> https://www.acme -> /en/. Each hop is a full round trip, often with a \
              new TLS handshake, adding hundreds of milliseconds on mobile before anything \
              appears.",
        fix: "Redirect straight to the final URL in one hop: make the port-80 rule send visitors to \
              `https://<canonical host>$request_uri` directly rather than to https on the same host \
              first, and fold locale or trailing-slash redirects into that rule where possible.",
        refs: &[
            "https://developer.chrome.com/docs/lighthouse/performance/redirects",
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.4",
        ],
    };

    /// http.auth_path_redirected
    pub static AUTH_PATH_REDIRECTED: Spec = Spec {
        id: "http.auth_path_redirected",
        check: CheckName::Http,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "Login path redirects off-site or loops",
        when: "an auth path redirects off-host or loops",
        why: "A path your sign-in flow depends on, such as an OAuth callback, redirects to another \
              host or into a loop. Users cannot finish logging in and write to support instead, and \
              a redirect whose target can be influenced may be abused to send users to phishing \
              pages. It is often caused by a catch-all www, https or locale redirect that also \
              matches the callback.",
        fix: "Exempt the auth paths from catch-all redirects (an nginx `location /auth/` block \
              before the redirect, a Vercel/Netlify rule ordered first, a Cloudflare redirect-rule \
              exception), and make the callback URL registered at the identity provider (Google, \
              Auth0, Clerk, Supabase) exactly match the canonical host. After login, only redirect \
              to paths on your own host.",
        refs: &[
            "https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html",
            "https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2",
            "https://www.rfc-editor.org/rfc/rfc9700#section-4.1",
        ],
    };

    /// http.server_error
    pub static SERVER_ERROR: Spec = Spec {
        id: "http.server_error",
        check: CheckName::Http,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "Page returns a server error (5xx)",
        when: "a configured page answers 5xx",
        why: "A configured page answered with a 5xx status: the server or platform failed while \
              handling the request. Visitors see an error page instead of your product, and on the \
              login or sign-up page that stops every new customer. A 502 or 504 usually means the \
              proxy or CDN cannot reach the app; a 500 points at the app itself.",
        fix: "Open the application logs for the time of the audit (Vercel or Netlify function logs, \
              `journalctl`, container logs) and fix the exception, missing environment variable or \
              database connection behind it. For 502/504, check that nginx `proxy_pass` or Caddy \
              `reverse_proxy` points at the port the app actually listens on.",
        refs: &["https://www.rfc-editor.org/rfc/rfc9110#section-15.6"],
    };

    /// http.mixed_content
    pub static MIXED_CONTENT: Spec = Spec {
        id: "http.mixed_content",
        check: CheckName::Http,
        severity: Severity::Medium,
        impact: Impact::Conversion,
        title: "Secure page loads insecure http:// resources",
        when: "an https page loads http:// subresources",
        why: "This https page pulls scripts, styles, images or frames over plain http://. Browsers \
              block the active ones (scripts, frames), so parts of the page break, and show a \
              weaker padlock or warnings for the rest, which costs trust on pages like sign-up or \
              checkout. Anything loaded over http can also be altered in transit.",
        fix: "Change the listed URLs to https://: fix hard-coded http:// links in templates, CMS \
              content and environment variables such as `NEXT_PUBLIC_API_URL`. As a safety net, \
              send `Content-Security-Policy: upgrade-insecure-requests`.",
        refs: &[
            "https://developer.mozilla.org/en-US/docs/Web/Security/Mixed_content",
            "https://www.w3.org/TR/mixed-content/",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy/upgrade-insecure-requests",
        ],
    };

    /// http.no_compression
    pub static NO_COMPRESSION: Spec = Spec {
        id: "http.no_compression",
        check: CheckName::Http,
        severity: Severity::Low,
        impact: Impact::Conversion,
        title: "Text responses are not compressed",
        when: "text responses are served without gzip/br",
        why: "HTML, CSS, JavaScript or JSON is sent without gzip or Brotli compression. These files \
              typically shrink by 70-90%, so every visitor downloads several times more than \
              needed, which shows most on mobile networks and in how quickly the first screen \
              appears.",
        fix: "Enable compression at the web server or edge: nginx `gzip on;` with \
              `gzip_types text/css application/javascript application/json image/svg+xml;` (plus \
              `brotli on;` if the module is installed), Caddy `encode zstd gzip`; Cloudflare, \
              Vercel and Netlify compress by default, so look for a custom server or proxy rule \
              bypassing them.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc9110#section-8.4.1",
            "https://www.rfc-editor.org/rfc/rfc7932",
            "https://developer.chrome.com/docs/lighthouse/performance/uses-text-compression",
        ],
    };

    /// http.static_not_cached
    pub static STATIC_NOT_CACHED: Spec = Spec {
        id: "http.static_not_cached",
        check: CheckName::Http,
        severity: Severity::Low,
        impact: Impact::Conversion,
        title: "Static JS/CSS is not cached long-term",
        when: "static JS/CSS without a long Cache-Control",
        why: "Your JavaScript and CSS files are served without a long Cache-Control lifetime, so \
              returning visitors download or revalidate them on every visit. Pages load slower and \
              your CDN or bandwidth bill grows for no benefit, especially with large bundles.",
        fix: "For fingerprinted files (names containing a content hash, like `app.3f9c2.js`) send \
              `Cache-Control: public, max-age=31536000, immutable` - in nginx \
              `add_header Cache-Control \"public, max-age=31536000, immutable\";` in the assets \
              location, or via a Netlify `_headers` file or vercel.json `headers`. Keep HTML itself \
              short-lived so new deploys show up immediately.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2.1",
            "https://www.rfc-editor.org/rfc/rfc8246",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Cache-Control",
            "https://developer.chrome.com/docs/lighthouse/performance/uses-long-cache-ttl",
        ],
    };

    /// http.private_response_cached
    pub static PRIVATE_RESPONSE_CACHED: Spec = Spec {
        id: "http.private_response_cached",
        check: CheckName::Http,
        severity: Severity::High,
        impact: Impact::DataExposure,
        title: "Response with a login cookie is marked cacheable",
        when: "Set-Cookie response marked public/cacheable",
        why: "A response that sets a cookie, usually a login session, is marked `public` or given a \
              shared-cache lifetime. A CDN or proxy may store it and hand the same response - \
              Set-Cookie header and page content included - to the next visitor, who is then \
              logged in as someone else or sees their data. This leaks accounts without any \
              attacker effort.",
        fix: "Send `Cache-Control: private, no-store` on every response that sets a cookie or \
              contains user-specific data, and never `public` or `s-maxage` on them. In Cloudflare \
              or another CDN make sure \"cache everything\" rules exclude login, API and account \
              paths, then purge the cache.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2.7",
            "https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2.5",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Cache-Control",
            "https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html",
        ],
    };

    /// http.no_security_txt
    pub static NO_SECURITY_TXT: Spec = Spec {
        id: "http.no_security_txt",
        check: CheckName::Http,
        severity: Severity::Info,
        impact: Impact::Conversion,
        title: "No security.txt contact for security researchers",
        when: "no `/.well-known/security.txt` (RFC 9116)",
        why: "security.txt is a small text file at /.well-known/security.txt telling people who \
              find a vulnerability how to reach you. Without it, a well-meaning researcher may not \
              find the right contact and report publicly or not at all, and you hear about the \
              problem late.",
        fix: "Publish `/.well-known/security.txt` with at least \
              `Contact: mailto:security@acme.example` and an `Expires:` date within a year \
              (securitytxt.org generates one), served as text/plain over https - for example from \
              `public/.well-known/` in Next.js, Vite or Netlify.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc9116",
            "https://securitytxt.org/",
        ],
    };

    /// edge.no_cdn
    pub static EDGE_NO_CDN: Spec = Spec {
        id: "edge.no_cdn",
        check: CheckName::Http,
        severity: Severity::Medium,
        impact: Impact::LaunchBlocker,
        title: "No CDN or DDoS protection in front of the site",
        when: "no CDN / DDoS-protecting edge detected in front of the app",
        why: "Requests go straight to your app server, with no CDN or protective edge (Cloudflare, \
              CloudFront, Fastly, the Vercel or Netlify edge) in between. A launch-day traffic \
              spike, an aggressive scraper or a small denial-of-service attack then lands directly \
              on your server and can take the product down, and visitors far from it wait longer \
              for every file.",
        fix: "Put the site behind a CDN: proxy the DNS records through Cloudflare (orange cloud), \
              add a CloudFront or Fastly distribution in front of the origin, or deploy on a \
              platform with a built-in edge. Then restrict the origin's firewall so it only accepts \
              traffic from the CDN.",
        refs: &[
            "https://developer.mozilla.org/en-US/docs/Glossary/CDN",
            "https://cheatsheetseries.owasp.org/cheatsheets/Denial_of_Service_Cheat_Sheet.html",
            "https://www.cloudflare.com/learning/cdn/what-is-a-cdn/",
        ],
    };

    /// headers.no_hsts
    pub static HEADERS_NO_HSTS: Spec = Spec {
        id: "headers.no_hsts",
        check: CheckName::Http,
        severity: Severity::Medium,
        impact: Impact::DataExposure,
        title: "HTTPS without HSTS (Strict-Transport-Security)",
        when: "https response without Strict-Transport-Security",
        why: "The site serves https but does not send Strict-Transport-Security. Without it, the \
              first request after someone types your domain goes over plain http, where an attacker \
              on the same Wi-Fi can intercept it and keep the visitor on a fake, unencrypted copy \
              (SSL stripping). HSTS tells browsers to always use https for your domain.",
        fix: "Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on https \
              responses: nginx \
              `add_header Strict-Transport-Security \"max-age=31536000; includeSubDomains\" always;`, \
              Caddy `header Strict-Transport-Security \"max-age=31536000; includeSubDomains\"`, or \
              Cloudflare SSL/TLS > Edge Certificates > HSTS. Start with a short max-age if some \
              subdomains do not serve https yet.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc6797",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Strict-Transport-Security",
            "https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Strict_Transport_Security_Cheat_Sheet.html",
            "https://hstspreload.org/",
        ],
    };

    /// headers.weak_hsts
    pub static HEADERS_WEAK_HSTS: Spec = Spec {
        id: "headers.weak_hsts",
        check: CheckName::Http,
        severity: Severity::Low,
        impact: Impact::DataExposure,
        title: "HSTS lifetime is too short",
        when: "HSTS max-age < 180 days",
        why: "Strict-Transport-Security is sent, but with a max-age under 180 days. Browsers forget \
              the https-only rule soon after a visitor's last visit, reopening the door to SSL \
              stripping, and the domain cannot join the browsers' HSTS preload list, which requires \
              at least one year.",
        fix: "Raise max-age to at least one year, \
              `Strict-Transport-Security: max-age=31536000; includeSubDomains`, wherever the header \
              is set (nginx/Caddy config, Cloudflare HSTS settings, or middleware such as helmet). \
              Once every subdomain serves https, add `; preload` and submit the domain at \
              hstspreload.org.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc6797#section-6.1.1",
            "https://hstspreload.org/",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Strict-Transport-Security",
        ],
    };

    /// headers.no_csp
    pub static HEADERS_NO_CSP: Spec = Spec {
        id: "headers.no_csp",
        check: CheckName::Http,
        severity: Severity::Low,
        impact: Impact::DataExposure,
        title: "No Content-Security-Policy",
        when: "no Content-Security-Policy",
        why: "A Content-Security-Policy tells the browser which sources of scripts, styles and \
              frames your pages may use. Without one, any cross-site scripting bug (say, a chat \
              message or user name rendered as HTML) lets an attacker run their own script in your \
              users' sessions and steal tokens or data. A policy turns many of those bugs into \
              harmless blocked requests.",
        fix: "Start with `Content-Security-Policy-Report-Only: default-src 'self'; object-src \
              'none'; base-uri 'self'; frame-ancestors 'self'` to see what would break, add the \
              third-party origins you really use (analytics, Stripe, fonts), then switch to the \
              enforcing `Content-Security-Policy` header - via `headers()` in next.config.js, \
              helmet in Express, or your nginx/Caddy config.",
        refs: &[
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CSP",
            "https://cheatsheetseries.owasp.org/cheatsheets/Content_Security_Policy_Cheat_Sheet.html",
            "https://www.w3.org/TR/CSP3/",
        ],
    };

    /// headers.no_content_type_options
    pub static HEADERS_NO_CONTENT_TYPE_OPTIONS: Spec = Spec {
        id: "headers.no_content_type_options",
        check: CheckName::Http,
        severity: Severity::Low,
        impact: Impact::DataExposure,
        title: "Missing X-Content-Type-Options: nosniff",
        when: "no `X-Content-Type-Options: nosniff`",
        why: "Without `X-Content-Type-Options: nosniff`, browsers may guess a file's type from its \
              content instead of trusting the declared type. A user-uploaded file that looks like \
              HTML or script can then run inside your site, turning an upload feature into a \
              cross-site scripting hole.",
        fix: "Send `X-Content-Type-Options: nosniff` on every response: nginx \
              `add_header X-Content-Type-Options nosniff always;`, Caddy \
              `header X-Content-Type-Options nosniff`, a Netlify `_headers` or vercel.json \
              `headers` entry, or helmet in Express. Serve uploads with their correct Content-Type.",
        refs: &[
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/X-Content-Type-Options",
            "https://fetch.spec.whatwg.org/#x-content-type-options-header",
            "https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Headers_Cheat_Sheet.html",
        ],
    };

    /// headers.no_frame_protection
    pub static HEADERS_NO_FRAME_PROTECTION: Spec = Spec {
        id: "headers.no_frame_protection",
        check: CheckName::Http,
        severity: Severity::Low,
        impact: Impact::DataExposure,
        title: "Pages can be framed by other sites (clickjacking)",
        when: "no X-Frame-Options nor CSP frame-ancestors",
        why: "Neither X-Frame-Options nor a CSP frame-ancestors directive is sent, so any website \
              can load your pages inside an invisible frame. Attackers use this to trick logged-in \
              users into clicking buttons they cannot see (clickjacking): changing settings, \
              confirming payments or granting access.",
        fix: "Send `Content-Security-Policy: frame-ancestors 'self'` (or `'none'`), plus \
              `X-Frame-Options: SAMEORIGIN` for older browsers - nginx \
              `add_header X-Frame-Options SAMEORIGIN always;`, or the same headers via Caddy, \
              Cloudflare Transform Rules, Netlify/Vercel header config or helmet. List partner \
              origins in frame-ancestors only if they genuinely embed you.",
        refs: &[
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy/frame-ancestors",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/X-Frame-Options",
            "https://cheatsheetseries.owasp.org/cheatsheets/Clickjacking_Defense_Cheat_Sheet.html",
            "https://www.rfc-editor.org/rfc/rfc7034",
        ],
    };

    /// headers.server_version_leak
    pub static HEADERS_SERVER_VERSION_LEAK: Spec = Spec {
        id: "headers.server_version_leak",
        check: CheckName::Http,
        severity: Severity::Low,
        impact: Impact::DataExposure,
        title: "Server reveals its software version",
        when: "Server / X-Powered-By reveals a version",
        why: "The Server or X-Powered-By header names your software and its exact version (for \
              example `nginx/1.18.0` or `PHP/7.4.3`). Automated scanners match such versions \
              against lists of known vulnerabilities and pick the targets that look unpatched. \
              Hiding the version does not fix anything by itself, but it stops advertising it.",
        fix: "nginx `server_tokens off;`, Apache `ServerTokens Prod` and `ServerSignature Off`, \
              PHP `expose_php = Off`, Express `app.disable('x-powered-by')` (or helmet), Next.js \
              `poweredByHeader: false`. Keep the software itself up to date as well.",
        refs: &[
            "https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Headers_Cheat_Sheet.html",
            "https://www.rfc-editor.org/rfc/rfc9110#section-10.2.4",
            "https://nginx.org/en/docs/http/ngx_http_core_module.html#server_tokens",
        ],
    };

    /// headers.insecure_cookie
    pub static HEADERS_INSECURE_COOKIE: Spec = Spec {
        id: "headers.insecure_cookie",
        check: CheckName::Http,
        severity: Severity::Medium,
        impact: Impact::DataExposure,
        title: "Cookie lacks Secure, HttpOnly or SameSite",
        when: "a cookie set over https lacks Secure, HttpOnly (session cookies) or SameSite",
        why: "A cookie set over https is missing one of its protective flags. Without Secure it can \
              leak over a plain-http request; without HttpOnly, any injected script can read a \
              session cookie and steal the session; without SameSite, other sites can trigger \
              requests that carry it (cross-site request forgery). Session cookies are the keys to \
              your users' accounts.",
        fix: "Set session cookies as `Set-Cookie: session=...; Secure; HttpOnly; SameSite=Lax; \
              Path=/` through your framework or auth library settings (Express session \
              `cookie: { secure: true, httpOnly: true, sameSite: 'lax' }`, Django \
              `SESSION_COOKIE_SECURE = True`). Use `SameSite=None; Secure` only for cookies that \
              must work across sites.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc6265#section-4.1.2.5",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Set-Cookie",
            "https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html",
        ],
    };

    /// headers.cors_reflects_origin
    pub static HEADERS_CORS_REFLECTS_ORIGIN: Spec = Spec {
        id: "headers.cors_reflects_origin",
        check: CheckName::Http,
        severity: Severity::High,
        impact: Impact::DataExposure,
        title: "CORS lets any website read your responses",
        when: "an arbitrary Origin is echoed back (worse with credentials)",
        why: "The server copies whatever Origin a request sends into Access-Control-Allow-Origin, \
              telling browsers that every website may read your responses. With \
              `Access-Control-Allow-Credentials: true` as well, any page a logged-in user visits \
              can call your API as that user and read their data, messages or API keys.",
        fix: "Replace the echo with an explicit allow-list of your own front-end origins (e.g. \
              `https://app.acme.example`) in your CORS settings - the `origin` option of the \
              Express `cors` package, `CORS_ALLOWED_ORIGINS` in django-cors-headers, or your API \
              gateway. Never combine a reflected or wildcard origin with credentials, and send \
              `Vary: Origin`.",
        refs: &[
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS",
            "https://fetch.spec.whatwg.org/#http-cors-protocol",
            "https://portswigger.net/web-security/cors",
        ],
    };

    /// exposure.env_file
    pub static EXPOSURE_ENV_FILE: Spec = Spec {
        id: "exposure.env_file",
        check: CheckName::Http,
        severity: Severity::Critical,
        impact: Impact::DataExposure,
        title: "Environment file (.env) is publicly downloadable",
        when: "`/.env` (and similar) is publicly served",
        why: "Your web server hands `/.env` (or a similar config file) to anyone who asks. These \
              files usually hold database passwords, API keys for Stripe, OpenAI or your email \
              provider, and signing secrets, and bots request this exact path on every new site \
              within hours. Treat every secret in it as already stolen.",
        fix: "Block the file now (nginx `location ~ /\\.(?!well-known) { deny all; }`, or move it \
              out of the web root or `public/` folder), then rotate every credential it contained \
              at each provider and check their logs for misuse. Deploy so that only the build \
              output is served, never the project directory.",
        refs: &[
            "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/02-Configuration_and_Deployment_Management_Testing/04-Review_Old_Backup_and_Unreferenced_Files_for_Sensitive_Information",
            "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
            "https://cwe.mitre.org/data/definitions/538.html",
        ],
    };

    /// exposure.git_dir
    pub static EXPOSURE_GIT_DIR: Spec = Spec {
        id: "exposure.git_dir",
        check: CheckName::Http,
        severity: Severity::Critical,
        impact: Impact::DataExposure,
        title: "Git repository (.git) is publicly downloadable",
        when: "`/.git/config` is publicly served",
        why: "Your web server serves the `.git` directory. With freely available tools anyone can \
              download your full source code and its history from it, including every password, \
              key or `.env` file ever committed, and study exactly how your app works to find more \
              bugs.",
        fix: "Deny access to hidden directories (nginx `location ~ /\\.git { deny all; }`, Apache \
              `RedirectMatch 404 /\\.git`) or, better, deploy only the build output instead of a \
              git checkout in the web root. Then review the history for secrets and rotate any you \
              find.",
        refs: &[
            "https://cwe.mitre.org/data/definitions/527.html",
            "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/02-Configuration_and_Deployment_Management_Testing/04-Review_Old_Backup_and_Unreferenced_Files_for_Sensitive_Information",
        ],
    };

    /// exposure.source_map
    pub static EXPOSURE_SOURCE_MAP: Spec = Spec {
        id: "exposure.source_map",
        check: CheckName::Http,
        severity: Severity::Medium,
        impact: Impact::DataExposure,
        title: "JavaScript source maps are public",
        when: "production JS source maps are public",
        why: "Your production JavaScript ships with public `.map` files, which let anyone rebuild \
              your original front-end source: comments, internal API routes, feature flags and \
              sometimes endpoints or keys meant to stay internal. That makes finding and \
              exploiting bugs much easier.",
        fix: "Stop publishing source maps in production builds (webpack `devtool: false` or \
              `'hidden-source-map'`, Vite `build.sourcemap: false` or `'hidden'`, Next.js \
              `productionBrowserSourceMaps: false`) and upload them privately to your error tracker \
              (Sentry, Datadog) instead. Delete the existing `.map` files from the host or CDN.",
        refs: &[
            "https://webpack.js.org/configuration/devtool/",
            "https://vite.dev/config/build-options#build-sourcemap",
            "https://cwe.mitre.org/data/definitions/540.html",
        ],
    };

    /// exposure.secret_in_bundle
    pub static EXPOSURE_SECRET_IN_BUNDLE: Spec = Spec {
        id: "exposure.secret_in_bundle",
        check: CheckName::Http,
        severity: Severity::Critical,
        impact: Impact::DataExposure,
        title: "Secret key shipped in browser JavaScript",
        when: "a client JS bundle contains a secret",
        why: "A JavaScript bundle that every visitor downloads contains what looks like a private \
              credential, such as a Stripe secret key, an OpenAI key or a database URL. Anyone can \
              copy it from the browser's developer tools to run up your bill, read your data or act \
              as your backend, and bots harvest keys from public bundles automatically.",
        fix: "Revoke and rotate the key at the provider now, then move the call that needs it to a \
              server route or serverless function that reads the key from a server-only \
              environment variable. Never put secrets in variables the bundler exposes to the \
              browser (`NEXT_PUBLIC_*`, `VITE_*`, `REACT_APP_*`).",
        refs: &[
            "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
            "https://cwe.mitre.org/data/definitions/798.html",
            "https://vite.dev/guide/env-and-mode",
        ],
    };

    /// exposure.debug_mode
    pub static EXPOSURE_DEBUG_MODE: Spec = Spec {
        id: "exposure.debug_mode",
        check: CheckName::Http,
        severity: Severity::High,
        impact: Impact::DataExposure,
        title: "The live site runs in debug mode or on a dev server",
        when: "the live site shows a framework debug page or dev server (Werkzeug debugger, \
               Django `DEBUG = True` pages, Laravel Ignition or Laravel's debug JSON with its \
               trace, Rails dev errors, ASP.NET Core's developer exception page, PHP error \
               lines or Xdebug tables printed by `display_errors`, even on a 200 page, \
               Next.js/Vite dev servers, \
               Express stack traces); PHP error lines and Xdebug tables alone are medium (a \
               message and a server path, no debugger or settings)",
        why: "The production site answers with a framework's development page: an interactive \
              debugger, a detailed error page with settings and source code, or a development \
              server. These pages show file paths, configuration, environment variables and \
              sometimes let a visitor run code on your server (the Werkzeug console does). Dev \
              servers are also slow and unhardened: they are not meant to face customers.",
        fix: "Deploy the production build with debug switched off: `DEBUG = False` (Django), \
              `FLASK_DEBUG=0` and no `app.run(debug=True)` (Flask), `APP_DEBUG=false` (Laravel), \
              `display_errors = Off` with `log_errors = On` and no Xdebug (PHP), \
              `ASPNETCORE_ENVIRONMENT=Production` \
              and no unconditional `UseDeveloperExceptionPage()` (ASP.NET Core), \
              `RAILS_ENV=production`, `NODE_ENV=production` (Express), `next build && next start` \
              instead of `next dev`, `vite build` and a static host instead of `vite`. Then \
              request an unknown page and check that the error page is plain.",
        refs: &[
            "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/08-Testing_for_Error_Handling/01-Testing_For_Improper_Error_Handling",
            "https://docs.djangoproject.com/en/stable/ref/settings/#debug",
            "https://werkzeug.palletsprojects.com/en/stable/debug/",
            "https://www.php.net/manual/en/errorfunc.configuration.php#ini.display-errors",
            "https://cwe.mitre.org/data/definitions/489.html",
        ],
    };

    /// exposure.stack_trace
    pub static EXPOSURE_STACK_TRACE: Spec = Spec {
        id: "exposure.stack_trace",
        check: CheckName::Http,
        severity: Severity::Medium,
        impact: Impact::DataExposure,
        title: "Error responses show a stack trace",
        when: "an error response (unknown path, malformed request) carries a stack trace or \
               framework internals",
        why: "When a request goes wrong, the site answers with a stack trace: the files, \
              functions and line numbers of your code, library versions and sometimes query text. \
              Attackers use it as a map of your backend, and customers who hit the error see \
              internals instead of a helpful message.",
        fix: "Catch errors at the edge of the app and answer with a short generic message and a \
              request id; log the details server-side (or send them to your error tracker). In \
              Express, add a final error handler and set `NODE_ENV=production`; in Spring set \
              `server.error.include-stacktrace=never`; in ASP.NET use `UseExceptionHandler`.",
        refs: &[
            "https://owasp.org/www-community/Improper_Error_Handling",
            "https://cwe.mitre.org/data/definitions/209.html",
            "https://expressjs.com/en/guide/error-handling.html",
        ],
    };

    /// exposure.test_key_in_bundle
    pub static EXPOSURE_TEST_KEY_IN_BUNDLE: Spec = Spec {
        id: "exposure.test_key_in_bundle",
        check: CheckName::Http,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "Checkout runs in test mode",
        when: "the public JS ships a test-mode payment key: checkout runs in test mode",
        why: "The JavaScript your visitors load carries a payment provider's test-mode key (such \
              as a Stripe `pk_test_` key). Checkout then talks to the provider's sandbox: real \
              cards are refused or, worse, test cards \"succeed\" and customers get the product \
              while you are never paid.",
        fix: "Build the front end with the live publishable key for production (set the \
              production value of `NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY`, `VITE_STRIPE_KEY`...) and \
              keep test keys in preview/staging builds only. Make one real purchase after deploy \
              and refund it.",
        refs: &[
            "https://docs.stripe.com/keys#test-live-modes",
            "https://docs.stripe.com/testing",
        ],
    };

    /// exposure.sensitive_file
    pub static EXPOSURE_SENSITIVE_FILE: Spec = Spec {
        id: "exposure.sensitive_file",
        check: CheckName::Http,
        severity: Severity::Critical,
        impact: Impact::DataExposure,
        title: "A backup, dump, credential or config file is publicly served",
        when: "a backup, dump, credential or config file is publicly served (`.sql`, \
               `.zip`/`.tar.gz` of the site, `.aws/credentials`, `.npmrc`, `.DS_Store`, \
               `docker-compose.yml`, `.env.production`, `phpinfo.php`, `/server-status`, \
               `/actuator/env`, `/debug/pprof/`, ...), judged by content against the SPA baseline",
        why: "A file that should never leave the server - a database dump, an archive of the \
              site, cloud or package-registry credentials, an internal status or profiling page - \
              can be downloaded by anyone. Scanners request these exact paths on every site all \
              day; what is in them (customer data, passwords, keys, source code) should be \
              treated as already taken.",
        fix: "Delete the file from the web root (or block the path at the server or CDN), keep \
              backups and dumps in private storage, turn off status/profiling endpoints or bind \
              them to an internal address, then rotate any credential the file contained and \
              check the access logs for earlier downloads.",
        refs: &[
            "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/02-Configuration_and_Deployment_Management_Testing/04-Review_Old_Backup_and_Unreferenced_Files_for_Sensitive_Information",
            "https://cwe.mitre.org/data/definitions/530.html",
            "https://cwe.mitre.org/data/definitions/538.html",
        ],
    };
}

/// tls.* findings.
pub mod tls {
    use super::*;

    /// tls.no_https
    pub static NO_HTTPS: Spec = Spec {
        id: "tls.no_https",
        check: CheckName::Tls,
        severity: Severity::Critical,
        impact: Impact::LaunchBlocker,
        title: "Site does not answer on HTTPS",
        when: "nothing answers TLS on the https port",
        why: "Nothing completes a TLS handshake on the https port, so every https:// link fails \
              outright. Browsers increasingly try https first and mark plain-http pages \"Not \
              secure\", many integrations (OAuth providers, payment webhooks, app stores) require \
              https, and without it every password travels in clear text.",
        fix: "Get a certificate and serve https: Caddy does it automatically, on nginx run certbot \
              (Let's Encrypt) with `certbot --nginx -d acme.example -d www.acme.example`, and on \
              Vercel, Netlify or Cloudflare adding the domain issues one. Check that port 443 is \
              open in the firewall or security group.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc9110#section-4.2.2",
            "https://www.rfc-editor.org/rfc/rfc8446",
            "https://letsencrypt.org/getting-started/",
        ],
    };

    /// tls.cert_expired
    pub static CERT_EXPIRED: Spec = Spec {
        id: "tls.cert_expired",
        check: CheckName::Tls,
        severity: Severity::Critical,
        impact: Impact::LaunchBlocker,
        title: "Certificate has expired",
        when: "certificate past notAfter",
        why: "The TLS certificate's validity period has ended. Every browser shows a full-page \
              security warning, and API clients, webhooks and mobile apps refuse to connect, so for \
              most users the site is simply down. It usually means automatic renewal silently \
              stopped working weeks ago.",
        fix: "Renew now (`certbot renew` and reload nginx, or re-issue in your host or CDN \
              dashboard) and confirm the server serves the new file. Then repair renewal: check \
              that the certbot timer or cron job runs, that `/.well-known/acme-challenge/` is \
              reachable or the DNS API credentials still work, and add expiry monitoring.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5",
            "https://www.rfc-editor.org/rfc/rfc8555",
            "https://letsencrypt.org/docs/challenge-types/",
        ],
    };

    /// tls.cert_expiring
    pub static CERT_EXPIRING: Spec = Spec {
        id: "tls.cert_expiring",
        check: CheckName::Tls,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "Certificate expires soon",
        when: "expires within `tls.min_days_valid`",
        why: "The certificate expires within your `tls.min_days_valid` window. If it is not \
              renewed in time, browsers will show a full-page warning and API clients will refuse \
              to connect. Automated clients such as certbot renew about 30 days before expiry, so a \
              certificate this close to its end often means renewal is already failing.",
        fix: "Run a renewal now and watch it succeed (`certbot renew --dry-run`, then \
              `certbot renew`, or check the certificate status in Cloudflare, Vercel, Netlify or \
              AWS ACM) and reload the web server. Fix whatever blocks automatic renewal - an \
              expired DNS API token, a redirect swallowing `/.well-known/acme-challenge/`, a \
              stopped cron job - and set up an expiry alert.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5",
            "https://www.rfc-editor.org/rfc/rfc8555",
            "https://letsencrypt.org/docs/integration-guide/",
        ],
    };

    /// tls.hostname_mismatch
    pub static HOSTNAME_MISMATCH: Spec = Spec {
        id: "tls.hostname_mismatch",
        check: CheckName::Tls,
        severity: Severity::Critical,
        impact: Impact::LaunchBlocker,
        title: "Certificate does not match the domain",
        when: "certificate does not cover the host",
        why: "The certificate served does not list this host name - for example it covers \
              www.acme.example but not acme.example, or it is the hosting provider's default \
              certificate. Browsers show a security warning and API clients refuse to connect, \
              exactly as if the site were being impersonated.",
        fix: "Issue a certificate whose Subject Alternative Names include every host you serve \
              (`certbot -d acme.example -d www.acme.example`, or add each domain in your host or \
              CDN dashboard), and make sure the server picks it for this name (nginx \
              `server_name` and `ssl_certificate` in the same server block).",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc9525#section-6",
            "https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.6",
        ],
    };

    /// tls.untrusted_chain
    pub static UNTRUSTED_CHAIN: Spec = Spec {
        id: "tls.untrusted_chain",
        check: CheckName::Tls,
        severity: Severity::Critical,
        impact: Impact::LaunchBlocker,
        title: "Certificate is not trusted by browsers",
        when: "self-signed or unknown issuer",
        why: "The certificate is self-signed or issued by an authority browsers do not trust (a \
              development or internal CA, or a load balancer's placeholder). Every visitor gets a \
              security warning they must click through, which most will not do, and API clients and \
              webhooks fail outright.",
        fix: "Replace it with a certificate from a publicly trusted CA: Let's Encrypt through \
              certbot or Caddy, ZeroSSL, AWS ACM, or the one your host or CDN issues automatically. \
              If Cloudflare proxies the site, keep an edge certificate for visitors and use \
              \"Full (strict)\" with a Cloudflare origin certificate on the server.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc5280#section-6",
            "https://letsencrypt.org/getting-started/",
        ],
    };

    /// tls.incomplete_chain
    pub static INCOMPLETE_CHAIN: Spec = Spec {
        id: "tls.incomplete_chain",
        check: CheckName::Tls,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "Certificate chain is missing an intermediate",
        when: "intermediate missing from the served chain",
        why: "The server sends its own certificate but not the intermediate certificate linking it \
              to a trusted root. Desktop browsers often paper over this, so the site looks fine to \
              you, while curl, many mobile apps, payment webhooks and server-to-server API clients \
              fail with \"unable to verify\" errors.",
        fix: "Serve the full chain: point nginx `ssl_certificate` at certbot's `fullchain.pem` (not \
              `cert.pem`), use the full-chain file in Apache `SSLCertificateFile`, and paste the CA \
              bundle into the chain field when uploading to a load balancer. Reload and run the \
              audit again.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2",
            "https://www.rfc-editor.org/rfc/rfc5246#section-7.4.2",
            "https://nginx.org/en/docs/http/configuring_https_servers.html#chains",
        ],
    };

    /// tls.legacy_protocol
    pub static LEGACY_PROTOCOL: Spec = Spec {
        id: "tls.legacy_protocol",
        check: CheckName::Tls,
        severity: Severity::Medium,
        impact: Impact::DataExposure,
        title: "Outdated TLS 1.0/1.1 still accepted",
        when: "TLS 1.0 or 1.1 still accepted",
        why: "The server still accepts TLS 1.0 or 1.1, versions formally deprecated in 2021 and \
              disabled in all current browsers. They have known cryptographic weaknesses, keeping \
              them exposes old clients to downgrade attacks, and compliance scans (PCI DSS, \
              enterprise security questionnaires) flag them.",
        fix: "Allow only TLS 1.2 and 1.3: nginx `ssl_protocols TLSv1.2 TLSv1.3;`, Apache \
              `SSLProtocol -all +TLSv1.2 +TLSv1.3`, Cloudflare SSL/TLS > Edge Certificates > \
              Minimum TLS Version 1.2, or a TLS 1.2+ security policy on AWS load balancers. \
              Mozilla's SSL configuration generator gives tested settings.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc8996",
            "https://ssl-config.mozilla.org/",
            "https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html",
        ],
    };

    /// tls.weak_key
    pub static WEAK_KEY: Spec = Spec {
        id: "tls.weak_key",
        check: CheckName::Tls,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "Certificate key is too small",
        when: "RSA < 2048 or EC < 256 bits (critical below RSA 1024)",
        why: "The certificate uses an RSA key shorter than 2048 bits or an elliptic-curve key \
              shorter than 256 bits. OpenSSL's default security level on current systems - and so \
              curl, Python, Node and most server-side clients, payment webhooks included - refuses \
              RSA keys under 2048 bits, public CAs stopped issuing them in 2013, and keys under \
              1024 bits can be factored with public tools, after which anyone can impersonate \
              the site.",
        fix: "Generate a new key and certificate with RSA 2048+ or ECDSA P-256 (`certbot \
              --key-type ecdsa`, or `openssl req -newkey rsa:2048`), install it, and revoke the old \
              certificate. Hosted platforms and CDNs already use strong keys, so this usually \
              concerns a hand-made or legacy certificate.",
        refs: &[
            "https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final",
            "https://csrc.nist.gov/pubs/sp/800/131/a/r2/final",
            "https://docs.openssl.org/3.0/man3/SSL_CTX_set_security_level/",
        ],
    };

    /// tls.not_yet_valid
    pub static NOT_YET_VALID: Spec = Spec {
        id: "tls.not_yet_valid",
        check: CheckName::Tls,
        severity: Severity::Critical,
        impact: Impact::LaunchBlocker,
        title: "Certificate is not valid yet",
        when: "the certificate's notBefore is in the future",
        why: "The certificate's validity starts in the future. Browsers and API clients refuse it \
              exactly like an expired one (\"NET::ERR_CERT_DATE_INVALID\"), so nobody can connect \
              until that moment. It usually means the certificate was made on a machine whose clock \
              is wrong, or a certificate meant for later was deployed too early.",
        fix: "Serve a certificate that is valid now (re-issue it, or put the previous one back), \
              and fix the clock of the machine that made it (`timedatectl` / NTP).",
        refs: &["https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5"],
    };

    /// tls.browser_incompatible
    pub static BROWSER_INCOMPATIBLE: Spec = Spec {
        id: "tls.browser_incompatible",
        check: CheckName::Tls,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "Browsers cannot complete a TLS handshake with this server",
        when: "the certificate key or the key exchange is one browsers do not support: an ECDSA \
               P-521 key, or ECDHE only on the P-521 group (Chrome and Edge refuse: high); an \
               Ed25519/Ed448 key (no current browser accepts it: critical)",
        why: "The server's TLS setup uses something some or all browsers do not support, so they \
              abort the handshake before any page loads. Chrome and Edge support neither the P-521 \
              curve for key exchange nor its signature scheme (ecdsa_secp521r1_sha512), so a P-521 \
              certificate or a server that only offers the P-521 group fails for most visitors \
              (\"ERR_SSL_PROTOCOL_ERROR\") while Firefox, Safari and curl still connect - a site \
              that works on the developer's machine and fails on the customer's. No current browser \
              accepts Ed25519 or Ed448 server certificates, and public CAs do not issue them.",
        fix: "Issue the certificate on an ECDSA P-256 (or P-384) or an RSA 2048+ key (`certbot \
              --key-type ecdsa --elliptic-curve secp256r1`, or `openssl req -newkey ec -pkeyopt \
              ec_paramgen_curve:P-256`), and let the server offer X25519, P-256 and P-384 for key \
              exchange (nginx `ssl_ecdh_curve X25519:prime256v1:secp384r1;`, or remove the \
              setting to get the defaults).",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc8446#section-4.2.3",
            "https://www.rfc-editor.org/rfc/rfc8446#section-4.2.7",
            "https://cabforum.org/working-groups/server/baseline-requirements/requirements/",
        ],
    };

    /// tls.client_cert_required
    pub static CLIENT_CERT_REQUIRED: Spec = Spec {
        id: "tls.client_cert_required",
        check: CheckName::Tls,
        severity: Severity::Critical,
        impact: Impact::LaunchBlocker,
        title: "Server requires a client certificate",
        when: "the server asks for a client certificate and ends the connection without one",
        why: "The server demands a client certificate (mutual TLS) before it answers. Visitors' \
              browsers have none: they show a certificate picker or go straight to an error \
              (\"ERR_BAD_SSL_CLIENT_AUTH_CERT\"), so nobody outside the holders of those \
              certificates can load the site. This is usually a staging or origin-protection \
              setting (an origin that only the CDN may reach) left on the public hostname.",
        fix: "Turn client-certificate verification off, or make it optional, on the public \
              hostname (`ssl_verify_client off;` in nginx, `SSLVerifyClient none` in Apache, the \
              mTLS rule of your CDN or load balancer), and keep mutual TLS for the origin or API \
              clients that hold certificates.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc8446#section-4.3.2",
            "https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_verify_client",
        ],
    };

    /// tls.weak_signature
    pub static WEAK_SIGNATURE: Spec = Spec {
        id: "tls.weak_signature",
        check: CheckName::Tls,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "Certificate chain is signed with SHA-1 or MD5",
        when: "the chain uses SHA-1 or MD5 signatures",
        why: "A certificate the server sends is signed with SHA-1 or MD5, hash functions for which \
              practical collisions exist (a forged certificate with the same signature can be \
              made). Browsers have rejected such certificates since 2017 \
              (\"NET::ERR_CERT_WEAK_SIGNATURE_ALGORITHM\"), and rustls and OpenSSL at its default \
              security level refuse them too.",
        fix: "Re-issue the certificate (and use the CA's current intermediate) with a SHA-256 \
              signature: every public CA does this by default; a hand-made certificate needs \
              `openssl req -sha256` or `openssl x509 -sha256`.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc9155",
            "https://www.rfc-editor.org/rfc/rfc6151",
            "https://shattered.io/",
        ],
    };

    /// tls.weak_cipher_suites
    pub static WEAK_CIPHER_SUITES: Spec = Spec {
        id: "tls.weak_cipher_suites",
        check: CheckName::Tls,
        severity: Severity::Medium,
        impact: Impact::DataExposure,
        title: "Server only negotiates legacy cipher suites",
        when: "the server only negotiates CBC, static-RSA or DHE suites (it still answers TLS; \
               never reported as `tls.no_https`); high when no ECDHE suite is left",
        why: "The server answers TLS 1.2 but none of the modern suites (ECDHE with AES-GCM or \
              ChaCha20-Poly1305). CBC suites have a long history of padding-oracle attacks \
              (Lucky13, POODLE-style), static RSA key exchange has no forward secrecy, and DHE is \
              slow and often uses weak parameters. Clients built on rustls (many Rust tools and \
              services) cannot connect at all; Chrome no longer offers static RSA (since 131) nor \
              DHE (since 53), and Firefox dropped DHE too, so a server left with only those loses \
              most browsers as well.",
        fix: "Enable the ECDHE AEAD suites: nginx `ssl_ciphers \
              ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384;` \
              with `ssl_protocols TLSv1.2 TLSv1.3;` (Mozilla's \"intermediate\" profile), or the \
              equivalent TLS policy of your load balancer or CDN.",
        refs: &[
            "https://ssl-config.mozilla.org/",
            "https://www.rfc-editor.org/rfc/rfc9325#section-4.2",
            "https://www.rfc-editor.org/rfc/rfc7457",
        ],
    };

    /// tls.chain_too_large
    pub static CHAIN_TOO_LARGE: Spec = Spec {
        id: "tls.chain_too_large",
        check: CheckName::Tls,
        severity: Severity::Critical,
        impact: Impact::LaunchBlocker,
        title: "Certificate chain is too large for TLS clients",
        when: "the served certificate chain exceeds what common TLS clients accept (rustls 64 KiB; \
               OpenSSL, and so curl, 100 kB: critical above that)",
        why: "The server sends a certificate chain bigger than TLS clients are willing to read: \
              rustls stops at 64 KiB per handshake message and OpenSSL (curl, Python, Node, most \
              server-side clients) at 100 kB of certificates, so the handshake is aborted before \
              any page can load. Huge chains come from certificates listing thousands of names or \
              from a bundle of unrelated certificates pasted into the chain file.",
        fix: "Serve only the leaf and its intermediate(s): split a certificate with thousands of \
              names into several (or use a wildcard), and check the chain file holds only the \
              certificates of this site's path (`openssl crl2pkcs7 -nocrl -certfile chain.pem | \
              openssl pkcs7 -print_certs -noout`).",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc5246#section-7.4.2",
            "https://docs.openssl.org/3.0/man3/SSL_CTX_set_max_cert_list/",
        ],
    };

    /// tls.manual_renewal
    pub static MANUAL_RENEWAL: Spec = Spec {
        id: "tls.manual_renewal",
        check: CheckName::Tls,
        severity: Severity::Low,
        impact: Impact::SupportLoad,
        title: "Certificate is renewed by hand",
        when: "the certificate is not from an ACME CA and lives more than 100 days: renewal is a \
               person's job",
        why: "The certificate does not come from an ACME CA (Let's Encrypt, ZeroSSL, Google Trust \
              Services, Buypass) nor from a platform that renews it (AWS ACM), and it lives for \
              more than 100 days, the sign of a certificate bought and installed by hand. Someone \
              has to remember the date, and expired certificates are one of the most common \
              causes of outages; public certificate lifetimes are also being cut to 200, then 100 \
              and 47 days (CA/Browser Forum ballot SC-081), which makes hand renewal untenable.",
        fix: "Switch to automatic issuance: certbot or Caddy with Let's Encrypt, your host's or \
              CDN's managed certificates, or your CA's ACME endpoint (DigiCert, Sectigo and \
              GlobalSign offer one). Until then, put the expiry date in a calendar with two owners \
              and monitor it.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc8555",
            "https://cabforum.org/2025/04/11/ballot-sc081v3-introduce-schedule-of-reducing-validity-and-data-reuse-periods/",
        ],
    };
}

/// email.* findings.
pub mod email {
    use super::*;

    /// email.no_mx
    pub static NO_MX: Spec = Spec {
        id: "email.no_mx",
        check: CheckName::Email,
        severity: Severity::Low,
        impact: Impact::SupportLoad,
        title: "Sending domain cannot receive email (no MX)",
        when: "sending domain has no MX (bounces are lost)",
        why: "The domain you send email from has no MX record, so nothing can be delivered back to \
              it: customer replies, bounce notices and mail to support@ or billing@ are lost. Some \
              receivers also treat mail from a domain that cannot receive as suspicious.",
        fix: "Add your mail provider's MX records at your DNS provider (Google Workspace: \
              `smtp.google.com` with priority 1; Microsoft 365: `<domain>.mail.protection.outlook.com`), \
              or use a forwarding service. If the domain must never receive mail, publish a null MX \
              (`MX 0 .`) so senders get a clear bounce.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc5321#section-5.1",
            "https://www.rfc-editor.org/rfc/rfc7505",
        ],
    };

    /// email.mx_unresolved
    pub static MX_UNRESOLVED: Spec = Spec {
        id: "email.mx_unresolved",
        check: CheckName::Email,
        severity: Severity::Medium,
        impact: Impact::SupportLoad,
        title: "Mail server (MX) name does not resolve",
        when: "an MX host does not resolve",
        why: "An MX record names a mail server host that has no address. Senders that pick it get \
              nowhere, so mail to your domain is delayed or bounced. This typically happens after \
              switching mail providers and leaving an old record behind, or from a typo.",
        fix: "At your DNS provider, correct or delete the MX record so each one points at a host \
              name your mail provider documents; the target must have an A/AAAA record and be \
              neither an IP address nor a CNAME. Remove MX records of providers you no longer use.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc5321#section-5.1",
            "https://www.rfc-editor.org/rfc/rfc2181#section-10.3",
        ],
    };

    /// email.no_spf
    pub static NO_SPF: Spec = Spec {
        id: "email.no_spf",
        check: CheckName::Email,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "No SPF record for the sending domain",
        when: "no SPF record",
        why: "SPF is a DNS record listing which servers may send email for your domain. Without it \
              Gmail, Outlook and Yahoo are more likely to put your sign-up confirmations, password \
              resets and invoices in spam or reject them (Google and Yahoo now require SPF or DKIM \
              from every sender), and anyone can send mail pretending to be you.",
        fix: "Publish one TXT record on the domain listing every service that sends for you, e.g. \
              `v=spf1 include:_spf.google.com include:sendgrid.net ~all`, taking each include \
              from the provider's setup page (Google Workspace, SendGrid, Mailgun, Postmark, \
              Amazon SES). End it with `~all` or `-all`.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc7208#section-3",
            "https://support.google.com/a/answer/81126",
        ],
    };

    /// email.multiple_spf
    pub static MULTIPLE_SPF: Spec = Spec {
        id: "email.multiple_spf",
        check: CheckName::Email,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "More than one SPF record (SPF fails)",
        when: "more than one SPF record (permerror)",
        why: "The domain publishes two or more TXT records starting with `v=spf1`. Receivers must \
              then treat SPF as a permanent error, which is as bad as having none: your mail loses \
              its SPF pass and lands in spam more often. It usually happens when a second \
              provider's setup guide says \"add this SPF record\".",
        fix: "Merge them into a single record containing all the mechanisms, e.g. \
              `v=spf1 include:_spf.google.com include:sendgrid.net ~all`, and delete the others at \
              your DNS provider.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc7208#section-3.2",
            "https://www.rfc-editor.org/rfc/rfc7208#section-4.5",
        ],
    };

    /// email.spf_syntax
    pub static SPF_SYNTAX: Spec = Spec {
        id: "email.spf_syntax",
        check: CheckName::Email,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "SPF record is malformed",
        when: "SPF does not parse (RFC 7208)",
        why: "The SPF record does not parse: a misspelled mechanism, a missing colon, stray quotes \
              or an invalid IP range. Receivers treat an invalid record as a permanent error, so \
              your mail gets no SPF pass and is more likely to go to spam.",
        fix: "Rewrite the record in the form `v=spf1 <mechanisms> ~all`, for example \
              `v=spf1 include:_spf.google.com ip4:203.0.113.5 ~all`, and check it with an SPF \
              validator before and after publishing. Watch for curly quotes pasted from documents \
              and for DNS dashboards that add their own quotes.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc7208#section-4.6",
            "https://www.rfc-editor.org/rfc/rfc7208#section-12",
        ],
    };

    /// email.spf_too_many_lookups
    pub static SPF_TOO_MANY_LOOKUPS: Spec = Spec {
        id: "email.spf_too_many_lookups",
        check: CheckName::Email,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "SPF needs more than 10 DNS lookups",
        when: "evaluation needs more than 10 DNS lookups (RFC 7208 4.6.4)",
        why: "Evaluating your SPF record takes more than 10 DNS lookups (every include, a, mx, ptr, \
              exists and redirect counts, including those nested inside providers' includes). \
              Receivers stop at 10 and return a permanent error, so SPF fails for all your mail \
              even though every sender is listed. The count creeps up as each marketing, support \
              and billing tool adds an include.",
        fix: "Remove includes for services you no longer use, replace `a`, `mx` and `ptr` with \
              explicit `ip4:`/`ip6:` ranges, and move some senders (newsletters, help desk) to a \
              subdomain such as `mail.acme.example` with its own SPF record. Flattening services \
              exist but must track the providers' IP changes.",
        refs: &["https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4"],
    };

    /// email.spf_void_lookups
    pub static SPF_VOID_LOOKUPS: Spec = Spec {
        id: "email.spf_void_lookups",
        check: CheckName::Email,
        severity: Severity::Medium,
        impact: Impact::SupportLoad,
        title: "SPF has too many lookups that find nothing",
        when: "more than 2 void lookups",
        why: "More than two of the names your SPF record looks up return no records at all, \
              usually includes of providers you stopped using, or typos. Receivers may return a \
              permanent error after two such void lookups, which makes SPF fail for all your mail.",
        fix: "Find the include, a, mx and exists targets that resolve to nothing (the evidence \
              lists them) and delete or correct them in the SPF TXT record at your DNS provider.",
        refs: &["https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4"],
    };

    /// email.spf_permissive_all
    pub static SPF_PERMISSIVE_ALL: Spec = Spec {
        id: "email.spf_permissive_all",
        check: CheckName::Email,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "SPF allows anyone to send as your domain",
        when: "`+all` or `?all`",
        why: "Your SPF record ends with `+all` (every server passes) or `?all` (no opinion), so it \
              authorises, or at least does not reject, every server on the internet. Spammers and \
              phishers can send mail as your domain, damaging its reputation so your own mail \
              lands in spam, and impersonate you to your customers.",
        fix: "End the record with `~all` (soft fail) or, once you are sure every sender is listed, \
              `-all`, e.g. `v=spf1 include:_spf.google.com include:sendgrid.net ~all`. Pair it with \
              an enforcing DMARC policy so failing mail is actually quarantined.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc7208#section-4.6.2",
            "https://www.rfc-editor.org/rfc/rfc7208#section-5.1",
        ],
    };

    /// email.no_dmarc
    pub static NO_DMARC: Spec = Spec {
        id: "email.no_dmarc",
        check: CheckName::Email,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "No DMARC policy for the domain",
        when: "no `_dmarc` record (RFC 7489)",
        why: "DMARC, a TXT record at `_dmarc.<domain>`, tells receivers what to do with mail that \
              fails SPF and DKIM and where to send reports. Without it Gmail and Yahoo treat bulk \
              mail from your domain as non-compliant and may reject it or file it as spam, and \
              nothing stops others from sending phishing in your name.",
        fix: "Add a TXT record at `_dmarc.acme.example` with \
              `v=DMARC1; p=none; rua=mailto:dmarc@acme.example`, read the reports for a couple of \
              weeks to confirm your senders pass, then tighten to `p=quarantine` and later \
              `p=reject`. Google Workspace and most email providers have a guided setup.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc7489#section-6.1",
            "https://support.google.com/a/answer/81126",
        ],
    };

    /// email.dmarc_syntax
    pub static DMARC_SYNTAX: Spec = Spec {
        id: "email.dmarc_syntax",
        check: CheckName::Email,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "DMARC record is malformed",
        when: "DMARC record does not parse",
        why: "The `_dmarc` TXT record exists but does not parse: it does not start with \
              `v=DMARC1`, lacks the required `p=` tag, uses an unknown value or has broken \
              separators. Receivers ignore an invalid record, so you get neither the protection \
              nor the reports you think you have.",
        fix: "Rewrite it as `v=DMARC1; p=none; rua=mailto:dmarc@acme.example` (`v=DMARC1` first, \
              then `p=`, tags separated by semicolons), keep exactly one TXT record at \
              `_dmarc.<domain>`, and verify it with a DMARC checker.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc7489#section-6.3",
            "https://www.rfc-editor.org/rfc/rfc7489#section-6.4",
        ],
    };

    /// email.dmarc_policy_none
    pub static DMARC_POLICY_NONE: Spec = Spec {
        id: "email.dmarc_policy_none",
        check: CheckName::Email,
        severity: Severity::Medium,
        impact: Impact::SupportLoad,
        title: "DMARC is in monitor-only mode (p=none)",
        when: "`p=none`",
        why: "Your DMARC policy is `p=none`, which asks receivers to deliver failing mail anyway. \
              It is the right first step while collecting reports, but left in place it does not \
              stop anyone from sending email in your name, and mailbox providers trust enforcing \
              domains more.",
        fix: "Once reports show that your real senders (Google Workspace, SendGrid, your app) pass \
              SPF or DKIM in alignment, change the record to `p=quarantine` (optionally ramping up \
              with `pct=`) and later to `p=reject`.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc7489#section-6.3",
            "https://www.rfc-editor.org/rfc/rfc7489#section-6.7",
        ],
    };

    /// email.no_dmarc_reporting
    pub static NO_DMARC_REPORTING: Spec = Spec {
        id: "email.no_dmarc_reporting",
        check: CheckName::Email,
        severity: Severity::Low,
        impact: Impact::SupportLoad,
        title: "DMARC has no report address (rua)",
        when: "no `rua`",
        why: "The DMARC record has no `rua=` tag, so receivers never send you aggregate reports. \
              You cannot see which servers send mail as your domain, whether your own services \
              pass, or when someone spoofs you, which also makes tightening the policy risky.",
        fix: "Add `rua=mailto:dmarc@acme.example`, or the address of a report service such as \
              dmarcian, Postmark or Cloudflare DMARC Management, to the `_dmarc` TXT record. An \
              address on another domain must be authorised by that domain.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc7489#section-7",
            "https://www.rfc-editor.org/rfc/rfc7489#section-6.3",
        ],
    };

    /// email.no_dkim
    pub static NO_DKIM: Spec = Spec {
        id: "email.no_dkim",
        check: CheckName::Email,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "No DKIM key found for your selectors",
        when: "none of the configured selectors has a key (RFC 6376)",
        why: "None of the DKIM selectors you configured has a public key in DNS. DKIM signs each \
              message so receivers can verify it really came from you unaltered; without it DMARC \
              relies on SPF alone, which breaks when mail is forwarded, and Gmail and Yahoo require \
              it from bulk senders. Expect more of your mail in spam.",
        fix: "Turn on DKIM in each sending service and publish the record it gives you: Google \
              Workspace (Admin console > Apps > Google Workspace > Gmail > Authenticate email, a \
              TXT at `google._domainkey`), SendGrid, Postmark, Mailgun or SES (usually CNAMEs such \
              as `s1._domainkey`). List the selectors you actually use in `email.dkim_selectors`.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc6376#section-3.6.2.1",
            "https://support.google.com/a/answer/81126",
        ],
    };

    /// email.dkim_syntax
    pub static DKIM_SYNTAX: Spec = Spec {
        id: "email.dkim_syntax",
        check: CheckName::Email,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "DKIM record is malformed",
        when: "a selector's record does not parse",
        why: "A DKIM selector has a DNS record, but it does not parse as a DKIM key record (broken \
              tag list, truncated or split `p=` key, unknown `k=` value). Receivers cannot verify \
              signatures made with that selector, so your mail fails DKIM and is treated as \
              unauthenticated.",
        fix: "Copy the record again from the sending service's dashboard and publish it exactly, \
              in the form `v=DKIM1; k=rsa; p=<base64 key>`. Long 2048-bit keys must be split into \
              several quoted strings inside one TXT record, which most DNS dashboards do for you; \
              never add spaces or line breaks inside the key.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc6376#section-3.6.1",
            "https://www.rfc-editor.org/rfc/rfc6376#section-3.2",
        ],
    };

    /// email.dkim_weak_key
    pub static DKIM_WEAK_KEY: Spec = Spec {
        id: "email.dkim_weak_key",
        check: CheckName::Email,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "DKIM key is too short",
        when: "RSA key < 1024 bits (medium at 1024)",
        why: "The DKIM key for this selector is shorter than 1024 bits (exactly 1024 is reported \
              as medium). Receivers must ignore signatures made with keys under 1024 bits, so your \
              mail counts as unsigned, and short keys can be factored to forge mail in your name; \
              1024 bits is only the bare minimum.",
        fix: "Generate a 2048-bit key in your sending service (Google Workspace offers 2048 when \
              you generate a new DKIM record), publish it under a new selector, switch signing to \
              it, and remove the old selector a few days later.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc8301#section-3.2",
            "https://www.rfc-editor.org/rfc/rfc6376#section-3.3.3",
        ],
    };

    /// email.no_mta_sts
    pub static NO_MTA_STS: Spec = Spec {
        id: "email.no_mta_sts",
        check: CheckName::Email,
        severity: Severity::Info,
        impact: Impact::Conversion,
        title: "No MTA-STS policy for incoming mail",
        when: "no MTA-STS policy",
        why: "MTA-STS tells other mail servers to deliver to you only over verified, encrypted \
              connections. Without it, an attacker on the network path can strip the encryption \
              from mail sent to your domain and read or alter it. It is optional, and most domains \
              do not have it yet.",
        fix: "Serve a policy at `https://mta-sts.<domain>/.well-known/mta-sts.txt` (`version: \
              STSv1`, `mode: testing`, one `mx:` line per MX host, `max_age: 604800`), add a TXT \
              record `_mta-sts.<domain>` with `v=STSv1; id=<date>` and a TLS-RPT record at \
              `_smtp._tls.<domain>` for reports, then switch to `mode: enforce`.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc8461",
            "https://www.rfc-editor.org/rfc/rfc8460",
        ],
    };

    /// email.spf_broken_include
    pub static SPF_BROKEN_INCLUDE: Spec = Spec {
        id: "email.spf_broken_include",
        check: CheckName::Email,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "SPF includes a domain that has no SPF record",
        when: "an `include:` or `redirect=` target has no SPF record, or several (permerror)",
        why: "Your SPF record includes (or redirects to) a domain that publishes no SPF record, \
              or more than one. Receivers then stop with a permanent error (RFC 7208 §5.2, §6.1): \
              SPF fails for all your mail, and DMARC with it unless DKIM passes. It usually \
              happens when a provider changes its include name or a service is cancelled.",
        fix: "Check the provider's current documentation for the include name (the evidence \
              shows the one that fails and what its TXT lookup returned), correct it, or remove \
              the include if you no longer send through that service.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc7208#section-5.2",
            "https://www.rfc-editor.org/rfc/rfc7208#section-6.1",
        ],
    };

    /// email.mta_sts_mx_mismatch
    pub static MTA_STS_MX_MISMATCH: Spec = Spec {
        id: "email.mta_sts_mx_mismatch",
        check: CheckName::Email,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "An MX host is not listed in the MTA-STS policy",
        when: "an MX host matches none of the MTA-STS policy's `mx:` patterns (high in enforce mode, low in testing)",
        why: "Senders that honour MTA-STS deliver only to MX hosts that match one of the policy's \
              `mx:` lines (RFC 8461 §4.1). In `mode: enforce` mail to an MX host that matches none \
              of them is not delivered at all; in `mode: testing` it is delivered but reported as \
              a failure. It happens when the mail provider or its host names change and the \
              policy file is forgotten.",
        fix: "Add an `mx:` line for every MX host (a `*.` wildcard covers one label, e.g. \
              `mx: *.mail.example.net`) to `https://mta-sts.<domain>/.well-known/mta-sts.txt`, \
              then change the `id=` in the `_mta-sts` TXT record so senders fetch it again.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc8461#section-3.2",
            "https://www.rfc-editor.org/rfc/rfc8461#section-4.1",
        ],
    };
}

/// secret.* findings (emitted by the secrets check).
pub mod secrets {
    use super::*;

    /// `secret.<rule>`: the generic entry for every provider-credential rule
    /// (aws_access_key, github_token, stripe_live_key, ...), used by `explain`.
    pub static PROVIDER_CREDENTIAL: Spec = Spec {
        id: "secret.provider_credential",
        check: CheckName::Secrets,
        severity: Severity::Critical,
        impact: Impact::DataExposure,
        title: "Provider credential found in code, history or build",
        when: "a provider credential (aws_access_key, github_token, stripe_live_key, openai_key, \
               anthropic_key, slack_token, google_api_key, private_key, jwt, database_url, ...) in \
               the work tree, git history, build output or logs",
        why: "A credential for an outside service (AWS, GitHub, Stripe, OpenAI, Anthropic, Slack, \
              Google, a private key, a signed token or a database URL) was found in the work tree, \
              git history, build output or logs. Anyone with access to the repository, a fork, a \
              CI log or a copied laptop can use it to spend your money, read customer data or take \
              over accounts, and bots scan public repositories for such keys within minutes. \
              Deleting the line is not enough: the value stays in git history.",
        fix: "Revoke or rotate the credential at the provider first (AWS IAM, GitHub token \
              settings, Stripe API keys, OpenAI or Anthropic console) and check its logs for use \
              you do not recognise. Then load it from an environment variable or secret manager \
              (your host's env settings, Doppler, 1Password, AWS Secrets Manager) and, if the \
              repository is shared, purge it from history with git filter-repo.",
        refs: &[
            "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
            "https://cwe.mitre.org/data/definitions/798.html",
            "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository",
        ],
    };

    /// secret.generic_high_entropy
    pub static GENERIC_HIGH_ENTROPY: Spec = Spec {
        id: "secret.generic_high_entropy",
        check: CheckName::Secrets,
        severity: Severity::Medium,
        impact: Impact::DataExposure,
        title: "Possible secret hard-coded in source",
        when: "an assignment to a secret-like name with a high-entropy value",
        why: "A variable with a secret-sounding name (password, token, api_key, secret...) is \
              assigned a long random-looking value. It is probably a real credential written into \
              the code, readable by everyone with access to the repository, CI logs or a copy of \
              it; it may also be a test value or a hash, which is why this is medium.",
        fix: "If it is a real secret, rotate it and read it from an environment variable or \
              secret manager instead. If it is a harmless fixture, accept it with \
              `secrets.allow = [\"secret.generic_high_entropy:<path glob>\"]` or put the finding's \
              fingerprint in `gate.ignore`.",
        refs: &[
            "https://cwe.mitre.org/data/definitions/798.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
        ],
    };

    /// secret.env_file_committed
    pub static ENV_FILE_COMMITTED: Spec = Spec {
        id: "secret.env_file_committed",
        check: CheckName::Secrets,
        severity: Severity::Critical,
        impact: Impact::DataExposure,
        title: ".env file is committed to git",
        when: "a `.env` file is tracked or in history",
        why: "A `.env` file is tracked by git or present in its history. These files hold the real \
              database passwords and API keys of an environment, and every clone, fork, CI runner \
              and contractor now has them - and everyone else does too if the repository is ever \
              made public. Deleting the file in a new commit does not remove it from history.",
        fix: "Rotate every credential the file contained, run `git rm --cached .env`, add `.env` \
              and `.env.*` (keeping `!.env.example`) to `.gitignore`, and commit a `.env.example` \
              with placeholders. To purge history, run `git filter-repo --path .env \
              --invert-paths`, force-push, and have collaborators re-clone.",
        refs: &[
            "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository",
            "https://git-scm.com/docs/gitignore",
            "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
        ],
    };

    /// `secret.password`, `secret.url_credentials` and the framework-secret rules: the wording
    /// `explain` and the findings use for context-judged credentials (a rule entry of the secret
    /// rule table, not a row of the DESIGN catalogue).
    pub static PASSWORD: Spec = Spec {
        id: "secret.password",
        check: CheckName::Secrets,
        severity: Severity::High,
        impact: Impact::DataExposure,
        title: "Password or signing secret written into a file",
        when: "a password, a URL with a password or a framework signing secret in a config or \
               source file",
        why: "A password (a database, mail, FTP or registry login), a URL carrying one, or a web \
              framework's signing secret (Django or Flask SECRET_KEY, Rails secret_key_base, \
              Laravel APP_KEY, WordPress salts) is written into a file. Everyone with the \
              repository, a fork, a CI log or a copied laptop can log in with it or forge session \
              cookies and password-reset links. Human passwords are often reused elsewhere too. \
              In tests, docs or examples it is reported at low severity.",
        fix: "Change the password (or rotate the signing secret, which logs every user out) and \
              read it from an environment variable or secret manager instead. If it is a \
              throw-away test value, accept it with `secrets.allow = [\"<rule>:<path glob>\"]` \
              or an inline `launchready:allow` comment.",
        refs: &[
            "https://cwe.mitre.org/data/definitions/259.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
        ],
    };

    /// `secret.password_hash`: see [`PASSWORD`].
    pub static PASSWORD_HASH: Spec = Spec {
        id: "secret.password_hash",
        check: CheckName::Secrets,
        severity: Severity::High,
        impact: Impact::DataExposure,
        title: "Password hash committed",
        when: "a bcrypt, crypt ($1$ $5$ $6$ $y$), apr1 or argon2 hash, an htpasswd or shadow line",
        why: "A password hash (from a seed file, an htpasswd file, /etc/shadow or a database dump) \
              is in the repository. Hashes are cracked offline: weak or reused passwords fall in \
              minutes on one GPU, and the account it belongs to is then open. A hash committed \
              with seed data often belongs to a real admin account.",
        fix: "Change the password of that account, remove the hash from the files, and seed test \
              accounts with passwords generated at setup time. Keep htpasswd and shadow files \
              out of the repository.",
        refs: &[
            "https://cwe.mitre.org/data/definitions/916.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html",
        ],
    };

    /// `secret.keystore_file`: see [`PASSWORD`].
    pub static KEYSTORE_FILE: Spec = Spec {
        id: "secret.keystore_file",
        check: CheckName::Secrets,
        severity: Severity::High,
        impact: Impact::DataExposure,
        title: "Key store file committed",
        when: "a PKCS#12 (.p12/.pfx) or Java key store (.jks/.keystore/.bks) file",
        why: "A key store holds private keys: a TLS server key, a client certificate or the key \
              that signs your Android releases. Its password is usually weak or written next to \
              it, and whoever has the file and the password can impersonate the server or ship \
              an update as you.",
        fix: "Remove the file from the repository and its history, replace the keys it holds \
              (re-issue the certificate; for an Android upload key, request a reset from Google \
              Play), and keep key stores in a secret manager or the CI's secure files.",
        refs: &[
            "https://cwe.mitre.org/data/definitions/321.html",
            "https://developer.android.com/studio/publish/app-signing#secure-shared-keystore",
        ],
    };

    /// secret.env_not_gitignored
    pub static ENV_NOT_GITIGNORED: Spec = Spec {
        id: "secret.env_not_gitignored",
        check: CheckName::Secrets,
        severity: Severity::Medium,
        impact: Impact::DataExposure,
        title: ".env file is not ignored by git",
        when: "a local `.env` is not ignored by git",
        why: "A local `.env` file exists but git does not ignore it, so the next `git add .` or a \
              hurried commit publishes its secrets to the repository. Nothing has leaked yet; this \
              is the cheap moment to prevent it.",
        fix: "Add `.env` and `.env.*` (with `!.env.example`) to `.gitignore` and confirm with \
              `git check-ignore -v .env`. A secret scan in CI or a pre-commit hook (for example \
              `launchready audit --repo .`) catches the next slip.",
        refs: &[
            "https://git-scm.com/docs/gitignore",
            "https://git-scm.com/docs/git-check-ignore",
        ],
    };
}

/// perf.* findings.
pub mod perf {
    use super::*;

    /// perf.unreachable
    pub static UNREACHABLE: Spec = Spec {
        id: "perf.unreachable",
        check: CheckName::Perf,
        severity: Severity::Critical,
        impact: Impact::LaunchBlocker,
        title: "Endpoint never answered",
        when: "an endpoint never answered",
        why: "Every request to this endpoint failed: no connection, a TLS error, or no response \
              before the timeout. If it is your API, chat or login endpoint, the product's core \
              feature does not work for anyone, even though the homepage may load.",
        fix: "Call the endpoint yourself with the same method, headers and body (`curl -v`) and \
              check DNS, the deployment status, the route path and method. The application and \
              load-balancer logs for the time of the audit show where the requests stop.",
        refs: &[
            "https://sre.google/sre-book/monitoring-distributed-systems/",
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.6",
        ],
    };

    /// perf.p95_over_budget
    pub static P95_OVER_BUDGET: Spec = Spec {
        id: "perf.p95_over_budget",
        check: CheckName::Perf,
        severity: Severity::High,
        impact: Impact::Conversion,
        title: "Endpoint is slower than its latency budget",
        when: "p95 above `p95_ms` (default 500 for api/auth, 800 otherwise)",
        why: "The 95th-percentile response time - one request in twenty is slower than this - is \
              above the budget for this endpoint (500 ms for API and auth endpoints, 800 ms \
              otherwise, unless configured). Users feel these slow requests as a sluggish or stuck \
              app, and the slow tail usually gets worse under launch-day load.",
        fix: "Find where the time goes with your APM or request logs: slow database queries or \
              missing indexes, third-party API calls in the request path, serverless cold starts, \
              a region far from the database. Add indexes, cache results, move slow work to a \
              background job, or co-locate the app with its database.",
        refs: &[
            "https://sre.google/sre-book/service-level-objectives/",
            "https://sre.google/workbook/implementing-slos/",
        ],
    };

    /// perf.first_byte_slow
    pub static FIRST_BYTE_SLOW: Spec = Spec {
        id: "perf.first_byte_slow",
        check: CheckName::Perf,
        severity: Severity::High,
        impact: Impact::Conversion,
        title: "Chat replies take too long to start",
        when: "chat endpoint's first byte later than `first_byte_ms` (default 2000)",
        why: "The chat endpoint sends its first byte later than `first_byte_ms` (2 seconds by \
              default). In an AI chat, users judge speed by when the answer starts to appear; an \
              empty bubble for several seconds feels broken, and many give up or resend, which \
              also doubles your model costs.",
        fix: "Stream the answer: request streaming from the model provider (`stream: true` in the \
              OpenAI or Anthropic SDKs) and forward tokens as they arrive with server-sent events \
              or a chunked response, making sure no proxy buffers them (nginx \
              `proxy_buffering off;` or an `X-Accel-Buffering: no` header). Run retrieval and \
              database lookups in parallel before the model call.",
        refs: &[
            "https://developer.mozilla.org/en-US/docs/Web/API/Server-sent_events/Using_server-sent_events",
            "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_buffering",
            "https://web.dev/articles/ttfb",
        ],
    };

    /// perf.error_rate_high
    pub static ERROR_RATE_HIGH: Spec = Spec {
        id: "perf.error_rate_high",
        check: CheckName::Perf,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "Endpoint fails too often",
        when: "more than 1% of samples failed or answered 5xx",
        why: "More than 1% of sampled requests failed or answered 5xx. At launch volume that is a \
              steady stream of users seeing errors mid-task - lost messages, failed sign-ups - and \
              each is a potential support ticket or lost customer. Intermittent errors often point \
              at an overloaded database, a flaky upstream API or too few instances.",
        fix: "Group the failures by status and message in your logs or error tracker (Sentry, \
              Datadog): check database connection-pool limits, upstream rate limits (such as the \
              model provider returning 429), memory limits restarting containers, and timeouts \
              between proxy and app. Retry with backoff only calls that are safe to repeat.",
        refs: &[
            "https://sre.google/sre-book/service-level-objectives/",
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.6",
        ],
    };

    /// perf.timeout
    pub static TIMEOUT: Spec = Spec {
        id: "perf.timeout",
        check: CheckName::Perf,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "Requests run past the timeout",
        when: "a request ran past `timeout_ms`",
        why: "At least one request ran longer than `timeout_ms` without finishing. Users give up \
              long before that; most proxies and platforms (Vercel, Cloudflare, API gateways) cut \
              such requests off with a 504 anyway, and hung requests hold connections and workers \
              that other users need.",
        fix: "Find what the slow requests wait on (model call, database lock, external API) and \
              give each dependency its own timeout, shorter than your platform's limit. Move long \
              work into a background job with status polling or streaming so the request returns \
              quickly.",
        refs: &[
            "https://sre.google/sre-book/addressing-cascading-failures/",
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.5",
        ],
    };

    /// perf.no_rate_limit
    pub static NO_RATE_LIMIT: Spec = Spec {
        id: "perf.no_rate_limit",
        check: CheckName::Perf,
        severity: Severity::Medium,
        impact: Impact::SupportLoad,
        title: "No rate limiting on a login or chat endpoint",
        when: "a burst to an auth/chat endpoint never saw 429 nor RateLimit headers",
        why: "A short burst of requests to this auth or chat endpoint never got a 429 Too Many \
              Requests response or RateLimit headers. Without limits, one script can try thousands \
              of passwords, create spam accounts or run up your AI provider bill in an afternoon, \
              and one heavy user can slow everyone else down.",
        fix: "Add per-IP and per-account limits that answer 429 with a Retry-After header: \
              Cloudflare rate-limiting rules, your API gateway, or middleware such as \
              express-rate-limit, django-ratelimit or Upstash Ratelimit. Also set a monthly \
              spending limit at your model provider.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc6585#section-4",
            "https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/",
            "https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/",
        ],
    };

    /// perf.regression
    pub static REGRESSION: Spec = Spec {
        id: "perf.regression",
        check: CheckName::Perf,
        severity: Severity::High,
        impact: Impact::Conversion,
        title: "Endpoint got much slower than the baseline",
        when: "p95 at least 2x the baseline report's",
        why: "This endpoint's p95 latency is at least twice what the baseline report recorded. \
              Something changed since then - a deploy, a new query, a dependency upgrade, a region \
              or plan change - and users will notice even if it is still within budget.",
        fix: "Compare what changed between the baseline and now (deploy history, dependency \
              upgrades, data growth, infrastructure changes) and profile the endpoint; roll the \
              change back if the cause is not quick to fix. If the new speed is intended, make a \
              fresh baseline report.",
        refs: &[
            "https://sre.google/sre-book/service-level-objectives/",
            "https://sre.google/workbook/canarying-releases/",
        ],
    };
}

/// handover.* findings.
pub mod handover {
    use super::*;

    /// handover.no_owner
    pub static NO_OWNER: Spec = Spec {
        id: "handover.no_owner",
        check: CheckName::Handover,
        severity: Severity::Medium,
        impact: Impact::SupportLoad,
        title: "Nobody owns a critical area",
        when: "an area (dns, hosting, email, monitoring, secrets) has no owner",
        why: "One operational area - DNS, hosting, email, monitoring or secrets - has no named \
              owner. When a certificate expires, the domain needs renewing or a key leaks, nobody \
              knows who holds the logins or who decides, and a one-hour fix becomes a day of \
              outage. This is common when a contractor or cofounder set things up and moved on.",
        fix: "In `[handover] owners`, name a person or shared mailbox for each area, and make sure \
              they really have admin access at the registrar, DNS provider, host, email provider \
              and secret store, with 2FA recovery codes stored safely. Use a role address (such as \
              ops@) as the contact at each provider so notices never go to someone who has left.",
        refs: &[
            "https://sre.google/sre-book/being-on-call/",
            "https://sre.google/workbook/on-call/",
        ],
    };

    /// handover.no_rollback_plan
    pub static NO_ROLLBACK_PLAN: Spec = Spec {
        id: "handover.no_rollback_plan",
        check: CheckName::Handover,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "No written rollback plan",
        when: "no rollback document",
        why: "There is no document describing how to undo a bad deploy, migration or DNS change. \
              When a release breaks sign-ups on launch day, the team then improvises under \
              pressure, and a five-minute revert turns into hours of downtime and unhappy \
              customers.",
        fix: "Write a short `docs/rollback.md` and point `handover.rollback_doc` at it: how to \
              redeploy the previous version (Vercel or Netlify \"promote/publish previous \
              deploy\", `git revert` plus the pipeline, a previous container image tag), how to \
              undo database migrations, and who can change DNS. Rehearse it once before launch.",
        refs: &[
            "https://sre.google/sre-book/release-engineering/",
            "https://sre.google/workbook/canarying-releases/",
        ],
    };

    /// handover.no_uptime_monitor
    pub static NO_UPTIME_MONITOR: Spec = Spec {
        id: "handover.no_uptime_monitor",
        check: CheckName::Handover,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "No uptime monitoring",
        when: "no uptime monitor declared",
        why: "No uptime monitor is declared, so if the site or API goes down at night you hear \
              about it from customers, or not at all. An expired certificate, a full disk or a \
              failed deploy can go unnoticed for hours.",
        fix: "Set up an external check on the homepage, login and main API (UptimeRobot, Better \
              Stack, Pingdom, Checkly, or your cloud's synthetic checks) that alerts a person by \
              phone or chat, and record its URL in `handover.uptime_monitor`. A public status page \
              also cuts support tickets during incidents.",
        refs: &["https://sre.google/sre-book/monitoring-distributed-systems/"],
    };
}

/// flow.* and webhook.* findings (the `flows` check, DESIGN §8.3).
pub mod flows {
    use super::*;

    /// flow.step_failed
    pub static STEP_FAILED: Spec = Spec {
        id: "flow.step_failed",
        check: CheckName::Flows,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "A customer path breaks at one step",
        when: "a step's status, body or capture expectation failed (evidence: step, request line, status, clipped body)",
        why: "A path your customers walk - sign up, log in, send the first chat message - stopped \
              at this step: it answered the wrong status, lacked what the page or API must \
              contain, or did not return the token or cookie the next step needs. Every page may \
              load and every endpoint may be fast, yet a new customer cannot get through, and \
              nobody notices until the sign-up numbers stay at zero.",
        fix: "Replay the request line from the evidence (the clipped body usually names the \
              cause), fix the handler or the deploy, and run the audit again. If the product \
              changed on purpose (a new status code, a renamed field), update the step's `expect` \
              or `capture` in `[[flows]]`.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc9110#section-15",
            "https://www.rfc-editor.org/rfc/rfc6901",
            "https://hurl.dev/docs/asserting-response.html",
        ],
    };

    /// flow.step_slow
    pub static STEP_SLOW: Spec = Spec {
        id: "flow.step_slow",
        check: CheckName::Flows,
        severity: Severity::Medium,
        impact: Impact::Conversion,
        title: "A customer path step is slower than its budget",
        when: "a step answered after its `max_ms`",
        why: "A step of a customer path (sign-up, login, checkout, first message) took longer than \
              the budget you set for it. Each slow step is a moment where a new customer waits, \
              doubts and leaves; sign-up and checkout abandonment climbs quickly after a couple \
              of seconds.",
        fix: "Look at what the step does on the server (e-mail sending, password hashing cost, \
              cold starts, an unindexed query, a synchronous call to a third party) and move slow \
              work out of the request, or raise `expect.max_ms` if the budget was too strict.",
        refs: &[
            "https://web.dev/articles/rail",
            "https://sre.google/sre-book/service-level-objectives/",
        ],
    };

    /// webhook.accepts_unsigned
    pub static ACCEPTS_UNSIGNED: Spec = Spec {
        id: "webhook.accepts_unsigned",
        check: CheckName::Flows,
        severity: Severity::Critical,
        impact: Impact::DataExposure,
        title: "Webhook accepts unsigned events",
        when: "a webhook endpoint answers 2xx to a POST without a valid signature (anyone can forge payment or email events)",
        why: "Your webhook endpoint accepted an event that carried no signature at all. Anyone who \
              learns the URL can then forge \"payment succeeded\", \"subscription renewed\" or \
              \"email verified\" events and get paid features for free, or corrupt your data. \
              Webhook URLs leak easily: logs, browser history, screenshots, former contractors.",
        fix: "Verify the provider's signature before doing anything with the event: Stripe \
              `Stripe-Signature` with the endpoint secret (`stripe.webhooks.constructEvent`), \
              GitHub `X-Hub-Signature-256`, Svix/Resend/Clerk `svix-signature`, Twilio \
              `X-Twilio-Signature`. Compare in constant time, check the timestamp, and answer \
              400/401 when it is missing or wrong.",
        refs: &[
            "https://docs.stripe.com/webhooks#verify-events",
            "https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries",
            "https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html",
        ],
    };

    /// webhook.missing
    pub static MISSING: Spec = Spec {
        id: "webhook.missing",
        check: CheckName::Flows,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "Webhook endpoint is missing",
        when: "a webhook endpoint answers 404/405 (events are being lost)",
        why: "The URL you registered for webhooks answers \"not found\" or \"method not \
              allowed\" to a POST, so the events your providers send (payments, refunds, bounced \
              e-mails, cancelled subscriptions) are being dropped. Customers pay and do not get \
              access, or cancel and keep it; providers disable endpoints that keep failing.",
        fix: "Check that the webhook route is deployed on this host and path and accepts POST \
              (frameworks often register GET only, or serve it under a different prefix), and that \
              the URL in the provider's dashboard matches. Send a test event from the dashboard \
              and watch its delivery log.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
            "https://docs.stripe.com/webhooks#register-webhook",
        ],
    };

    /// webhook.crashes
    pub static CRASHES: Spec = Spec {
        id: "webhook.crashes",
        check: CheckName::Flows,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "Webhook endpoint crashes on a bad event",
        when: "a webhook endpoint answers 5xx to an unsigned POST instead of 400/401/403",
        why: "A POST without a signature made the webhook endpoint fail with a server error \
              instead of rejecting it. The handler probably parses or acts on the event before \
              checking the signature, or throws when the header is missing: a forged or malformed \
              event can then fill your error logs, trigger retries and alerts, and may reach code \
              that should only see verified events.",
        fix: "Check the signature first and answer 400 (bad request) or 401 when it is missing or \
              invalid, before parsing the body or touching the database; wrap the handler so an \
              unexpected event type is acknowledged or rejected, never a crash.",
        refs: &[
            "https://docs.stripe.com/webhooks#verify-events",
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1",
        ],
    };
}

/// ai.* findings (DESIGN §8.2): the chat endpoint's safety and failure handling.
pub mod ai {
    use super::*;

    /// ai.system_prompt_leak
    pub static SYSTEM_PROMPT_LEAK: Spec = Spec {
        id: "ai.system_prompt_leak",
        check: CheckName::Ai,
        severity: Severity::Critical,
        impact: Impact::DataExposure,
        title: "The chatbot reveals its system prompt",
        when: "a reply to an extraction probe contains the canary (or, without a canary, a \
               verbatim run of the probe-independent instructions that two different extraction \
               probes both return)",
        why: "Asked the right way (role-play, translation, base64, a fake system message, \
              \"developer mode\", an identity claim), the bot recites the instructions it was \
              given. Everything in them is now public: business rules, discount logic, the names \
              of internal tools, and anything pasted in \"temporarily\" such as keys or customer \
              data. Competitors copy the prompt, and attackers use it to craft better injections. \
              The proof is the canary string planted in the prompt coming back in a reply; a bot \
              that only quotes the question back does not count.",
        fix: "Treat the system prompt as public: move secrets, customer data and internal URLs out \
              of it (the model cannot keep them). Add an output filter that blocks replies \
              containing the canary or long verbatim runs of the prompt, plant a canary string in \
              the prompt (set `[ai] canary`), and re-run this check on every prompt change.",
        refs: &[
            "https://genai.owasp.org/llmrisk/llm072025-system-prompt-leakage/",
            "https://genai.owasp.org/llmrisk/llm01-prompt-injection/",
        ],
    };

    /// ai.secret_in_reply
    pub static SECRET_IN_REPLY: Spec = Spec {
        id: "ai.secret_in_reply",
        check: CheckName::Ai,
        severity: Severity::Critical,
        impact: Impact::DataExposure,
        title: "A chat reply contains a credential",
        when: "a reply contains a credential the secret engine recognises",
        why: "A reply carried something the secret scanner recognises as a real credential: an \
              API key, a token, a private key, a database URL. Anyone who chats with the bot can \
              get it, and with it the model account, the database or the payment provider behind \
              the product. Keys usually get there because they were pasted into the prompt, \
              retrieved from a document store, or printed by a tool the model can call.",
        fix: "Rotate the credential now. Then remove it from wherever the model can read it (the \
              system prompt, retrieved documents, tool outputs, error messages) and keep keys \
              only in the server code that calls the provider. Add an output filter that runs a \
              secret scanner over every reply before it is sent.",
        refs: &[
            "https://genai.owasp.org/llmrisk/llm022025-sensitive-information-disclosure/",
            "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
        ],
    };

    /// ai.cross_session_leak
    pub static CROSS_SESSION_LEAK: Spec = Spec {
        id: "ai.cross_session_leak",
        check: CheckName::Ai,
        severity: Severity::Critical,
        impact: Impact::DataExposure,
        title: "One conversation's data shows up in another",
        when: "a nonce told in one conversation comes back in another conversation",
        why: "A random reference number told to the bot in one conversation came back in a \
              different conversation with its own session. One customer can therefore read what \
              another customer typed: names, orders, addresses, health or account details. This \
              usually comes from conversation memory kept in one global variable or cache key \
              instead of per session, or from a shared vector store without a per-user filter.",
        fix: "Key every piece of conversation state (history, memory, summaries, retrieved \
              documents, caches) by the authenticated user and session, never by a global or \
              per-process value. Filter retrieval by tenant on the server side. Add a test that \
              tells one session a secret and asks another for it.",
        refs: &[
            "https://genai.owasp.org/llmrisk/llm022025-sensitive-information-disclosure/",
            "https://owasp.org/Top10/A01_2021-Broken_Access_Control/",
        ],
    };

    /// ai.prompt_injection
    pub static PROMPT_INJECTION: Spec = Spec {
        id: "ai.prompt_injection",
        check: CheckName::Ai,
        severity: Severity::High,
        impact: Impact::DataExposure,
        title: "The chatbot obeys instructions hidden in content",
        when: "an instruction embedded in user-supplied content (a pasted document, a quoted \
               email, a \"translate this\" payload) is obeyed: the reply contains the random \
               token the instruction asked for",
        why: "The bot was asked to summarise, answer or translate a piece of content, and the \
              content carried an instruction to reply with a computed token (two halves joined, \
              a word reversed, a base64 string decoded). The reply contained that token, which \
              the message itself never contained, so the bot followed the content instead of the \
              user. Whoever writes a web page, email or document the bot reads can then steer it: \
              exfiltrate conversation data through links, call tools, or insult customers.",
        fix: "Keep untrusted content separate from instructions (clearly delimited, described as \
              data in the system prompt), give the model the least privilege it needs (no tools \
              or data it does not need for the task), require confirmation for actions, and \
              filter outputs for links and data that should not leave. Re-run this check after \
              each prompt or model change.",
        refs: &[
            "https://genai.owasp.org/llmrisk/llm01-prompt-injection/",
            "https://cheatsheetseries.owasp.org/cheatsheets/LLM_Prompt_Injection_Prevention_Cheat_Sheet.html",
        ],
    };

    /// ai.unsafe_error
    pub static UNSAFE_ERROR: Spec = Spec {
        id: "ai.unsafe_error",
        check: CheckName::Ai,
        severity: Severity::High,
        impact: Impact::DataExposure,
        title: "Chat errors expose internals",
        when: "a chat reply or error exposes internals: stack traces, provider error bodies, \
               model names with keys, SQL, file paths",
        why: "A reply or an error response carried a stack trace, the model provider's raw error \
              body, an SQL error or server file paths. Customers see a broken product, and \
              attackers learn the framework, the provider and model, file layout and query shape, \
              which makes every other attack easier.",
        fix: "Catch errors at the edge of the chat handler and answer with a short, friendly \
              message and a correlation id; log the details server-side only. Turn off debug \
              mode in production, and map provider errors (context length, rate limit, content \
              filter) to your own messages.",
        refs: &[
            "https://owasp.org/www-community/Improper_Error_Handling",
            "https://cwe.mitre.org/data/definitions/209.html",
        ],
    };

    /// ai.long_input_unhandled
    pub static LONG_INPUT_UNHANDLED: Spec = Spec {
        id: "ai.long_input_unhandled",
        check: CheckName::Ai,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "A very long message breaks the chat",
        when: "a very long message (default 100,000 characters) gets a 5xx, a reset, or no answer \
               within the timeout, instead of a clear 4xx or a graceful reply",
        why: "Customers paste whole documents, logs and email threads into chat boxes. This one \
              got a server error, a dropped connection or no answer at all, instead of \
              \"that message is too long\". Each such message may also cost a full context \
              window of model tokens, so a script can run up the model bill.",
        fix: "Limit the message size before calling the model (characters and tokens), answer \
              413 or 400 with a clear message, and cap the conversation history you send. Set a \
              request body limit in the web framework and a timeout on the model call.",
        refs: &[
            "https://genai.owasp.org/llmrisk/llm102025-unbounded-consumption/",
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
        ],
    };

    /// ai.malformed_input_unhandled
    pub static MALFORMED_INPUT_UNHANDLED: Spec = Spec {
        id: "ai.malformed_input_unhandled",
        check: CheckName::Ai,
        severity: Severity::Medium,
        impact: Impact::SupportLoad,
        title: "Malformed chat requests crash the handler",
        when: "an empty message, invalid JSON or a wrong content type gets a 5xx instead of a 4xx",
        why: "An empty message, a request body that is not valid JSON, or the right body with the \
              wrong Content-Type made the chat endpoint answer with a server error. Browsers, \
              retries and old app versions send such requests; each becomes an alert, an error in \
              the customer's chat window, and sometimes a stack trace.",
        fix: "Validate the request before doing anything else: parse errors, missing or empty \
              fields and unexpected content types answer 400 or 415 with a short JSON error. \
              Most frameworks do this with a schema (pydantic, zod, serde) on the handler.",
        refs: &[
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
            "https://cheatsheetseries.owasp.org/cheatsheets/Input_Validation_Cheat_Sheet.html",
        ],
    };

    /// ai.eval_failed
    pub static EVAL_FAILED: Spec = Spec {
        id: "ai.eval_failed",
        check: CheckName::Ai,
        severity: Severity::High,
        impact: Impact::SupportLoad,
        title: "The chatbot got one of its own eval questions wrong",
        when: "an `[[ai.evals]]` expectation did not hold (evidence: the expectation and a \
               clipped reply)",
        why: "One of the questions you listed as must-answer-right in `[[ai.evals]]` got a reply \
              that broke its expectation (a phrase missing or present, a pattern not matched, too \
              slow). These are the answers customers rely on - refund policy, prices, opening \
              hours - and a prompt, model or retrieval change has broken one.",
        fix: "Look at the reply in the evidence, then at what changed: the system prompt, the \
              model or its version, the retrieved documents, the temperature. Fix the source of \
              the answer (usually the knowledge base or the prompt), and keep the eval in the \
              config so the regression cannot come back unnoticed.",
        refs: &["https://genai.owasp.org/llmrisk/llm092025-misinformation/"],
    };
}

/// env.* findings (release hygiene of environment variables).
pub mod env {
    use super::*;

    /// env.missing
    pub static MISSING: Spec = Spec {
        id: "env.missing",
        check: CheckName::Env,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "A required environment variable is not set",
        when: "a `required` variable is unset or empty",
        why: "The app needs this variable (a database address, an API key, a payment key) and it \
              is not set where the audit ran. Deployed like this, the feature that reads it fails \
              at the first request - often only when a customer reaches it.",
        fix: "Set the variable in the environment the app is deployed to (your host's dashboard, \
              the CI secret store, the orchestrator's secret) and run the audit there, or remove \
              it from `[env] required` if the app no longer needs it.",
        refs: &["https://12factor.net/config"],
    };

    /// env.malformed
    pub static MALFORMED: Spec = Spec {
        id: "env.malformed",
        check: CheckName::Env,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "An environment variable has the wrong shape",
        when: "a required value does not have its kind's shape (URLs parse, provider keys match \
               their rule)",
        why: "The variable is set, but its value cannot work: a URL without a scheme or host, a \
              database URL that names no database, a provider key that is not in that provider's \
              key format (often a copy-paste of the wrong key, a placeholder or a value with \
              quotes or spaces around it).",
        fix: "Copy the value again from the provider's dashboard, without surrounding quotes or \
              spaces, and check it against the shape named in the evidence. The value itself is \
              never shown in this report.",
        refs: &["https://12factor.net/config"],
    };

    /// env.test_key_in_production
    pub static TEST_KEY_IN_PRODUCTION: Spec = Spec {
        id: "env.test_key_in_production",
        check: CheckName::Env,
        severity: Severity::High,
        impact: Impact::LaunchBlocker,
        title: "Production uses a test-mode payment key",
        when: "`environment = \"production\"` and a value is a known test-mode key (Stripe \
               `sk_test_`/`pk_test_`, ...)",
        why: "The production environment holds a payment provider's test-mode key. Payments go to \
              the provider's sandbox: no money arrives, and depending on the flow customers get \
              the product for free or cannot pay at all.",
        fix: "Replace the value with the live key from the provider's dashboard in the production \
              environment only; keep test keys in development and staging.",
        refs: &["https://docs.stripe.com/keys#test-live-modes"],
    };

    /// env.shared_across_environments
    pub static SHARED_ACROSS_ENVIRONMENTS: Spec = Spec {
        id: "env.shared_across_environments",
        check: CheckName::Env,
        severity: Severity::High,
        impact: Impact::DataExposure,
        title: "The same secret is used by two environments",
        when: "the same secret value is used by two environments (compared by hash, never \
               printed)",
        why: "Two environments (for example staging and production) share a secret. Whoever can \
              read the less protected one - a preview deploy, a contractor's laptop, a staging \
              server with debug on - holds production's key, and rotating it in one place breaks \
              the other.",
        fix: "Create a separate key per environment at the provider, put the new one in the \
              non-production environment, and rotate the production one.",
        refs: &[
            "https://12factor.net/config",
            "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
        ],
    };

    /// env.example_drift
    pub static EXAMPLE_DRIFT: Spec = Spec {
        id: "env.example_drift",
        check: CheckName::Env,
        severity: Severity::Low,
        impact: Impact::SupportLoad,
        title: "`.env.example` and the required variables disagree",
        when: "`.env.example` and `required` disagree (a variable one names and the other does \
               not)",
        why: "`.env.example` is how the next developer (or the host's setup screen) learns which \
              variables the app needs. When it lists a variable the audit does not require, or \
              misses one it does, the next deploy or hand-over starts with a missing setting.",
        fix: "Make both lists the same: add the missing names to `.env.example` (with placeholder \
              values) and to `[env] required`, or remove the ones no longer used.",
        refs: &["https://github.com/dotenv-linter/dotenv-linter"],
    };
}

/// check.error (CheckName::Check, medium, support_load)
pub static CHECK_ERROR: Spec = Spec {
    id: "check.error",
    check: CheckName::Check,
    severity: Severity::Medium,
    impact: Impact::SupportLoad,
    title: "A check could not finish",
    when: "a check could not complete (cause in evidence)",
    why: "One of the checks stopped part-way - for example the DNS server did not answer or a \
          probe timed out - so this report may be missing findings for that area. The other checks \
          still ran; the cause is in the evidence.",
    fix: "Read the evidence and fix the cause (network access from where the audit runs, a wrong \
          `--dns-server`, a `--timeout` that is too short, a config value), then run the audit \
          again. If a check cannot work from this environment, skip it explicitly with \
          `--skip <check>`.",
    refs: &["https://sre.google/sre-book/monitoring-distributed-systems/"],
};

/// Every spec, in DESIGN §4 order.
pub static ALL: &[&Spec] = &[
    &dns::APEX_UNRESOLVED,
    &dns::SUBDOMAIN_UNRESOLVED,
    &dns::DANGLING_CNAME,
    &dns::SINGLE_NAMESERVER,
    &dns::NO_CAA,
    &dns::RECORD_DRIFT,
    &dns::NO_IPV6,
    &dns::NO_DNSSEC,
    &dns::CAA_BLOCKS_ISSUER,
    &http::UNREACHABLE,
    &http::NO_HTTPS_REDIRECT,
    &http::REDIRECT_LOOP,
    &http::REDIRECT_DOWNGRADE,
    &http::NON_CANONICAL_HOST,
    &http::TEMPORARY_REDIRECT,
    &http::REDIRECT_CHAIN_LONG,
    &http::AUTH_PATH_REDIRECTED,
    &http::SERVER_ERROR,
    &http::MIXED_CONTENT,
    &http::NO_COMPRESSION,
    &http::STATIC_NOT_CACHED,
    &http::PRIVATE_RESPONSE_CACHED,
    &http::NO_SECURITY_TXT,
    &http::EDGE_NO_CDN,
    &http::HEADERS_NO_HSTS,
    &http::HEADERS_WEAK_HSTS,
    &http::HEADERS_NO_CSP,
    &http::HEADERS_NO_CONTENT_TYPE_OPTIONS,
    &http::HEADERS_NO_FRAME_PROTECTION,
    &http::HEADERS_SERVER_VERSION_LEAK,
    &http::HEADERS_INSECURE_COOKIE,
    &http::HEADERS_CORS_REFLECTS_ORIGIN,
    &http::EXPOSURE_ENV_FILE,
    &http::EXPOSURE_GIT_DIR,
    &http::EXPOSURE_SOURCE_MAP,
    &http::EXPOSURE_SECRET_IN_BUNDLE,
    &http::EXPOSURE_DEBUG_MODE,
    &http::EXPOSURE_STACK_TRACE,
    &http::EXPOSURE_TEST_KEY_IN_BUNDLE,
    &http::EXPOSURE_SENSITIVE_FILE,
    &tls::NO_HTTPS,
    &tls::CERT_EXPIRED,
    &tls::CERT_EXPIRING,
    &tls::HOSTNAME_MISMATCH,
    &tls::UNTRUSTED_CHAIN,
    &tls::INCOMPLETE_CHAIN,
    &tls::LEGACY_PROTOCOL,
    &tls::WEAK_KEY,
    &tls::NOT_YET_VALID,
    &tls::CLIENT_CERT_REQUIRED,
    &tls::WEAK_SIGNATURE,
    &tls::BROWSER_INCOMPATIBLE,
    &tls::WEAK_CIPHER_SUITES,
    &tls::CHAIN_TOO_LARGE,
    &tls::MANUAL_RENEWAL,
    &email::NO_MX,
    &email::MX_UNRESOLVED,
    &email::NO_SPF,
    &email::MULTIPLE_SPF,
    &email::SPF_SYNTAX,
    &email::SPF_TOO_MANY_LOOKUPS,
    &email::SPF_VOID_LOOKUPS,
    &email::SPF_PERMISSIVE_ALL,
    &email::NO_DMARC,
    &email::DMARC_SYNTAX,
    &email::DMARC_POLICY_NONE,
    &email::NO_DMARC_REPORTING,
    &email::NO_DKIM,
    &email::DKIM_SYNTAX,
    &email::DKIM_WEAK_KEY,
    &email::NO_MTA_STS,
    &email::SPF_BROKEN_INCLUDE,
    &email::MTA_STS_MX_MISMATCH,
    &secrets::PROVIDER_CREDENTIAL,
    &secrets::GENERIC_HIGH_ENTROPY,
    &secrets::ENV_FILE_COMMITTED,
    &secrets::ENV_NOT_GITIGNORED,
    &perf::UNREACHABLE,
    &perf::P95_OVER_BUDGET,
    &perf::FIRST_BYTE_SLOW,
    &perf::ERROR_RATE_HIGH,
    &perf::TIMEOUT,
    &perf::NO_RATE_LIMIT,
    &perf::REGRESSION,
    &handover::NO_OWNER,
    &handover::NO_ROLLBACK_PLAN,
    &handover::NO_UPTIME_MONITOR,
    &flows::STEP_FAILED,
    &flows::STEP_SLOW,
    &flows::ACCEPTS_UNSIGNED,
    &flows::MISSING,
    &flows::CRASHES,
    &ai::SYSTEM_PROMPT_LEAK,
    &ai::SECRET_IN_REPLY,
    &ai::CROSS_SESSION_LEAK,
    &ai::PROMPT_INJECTION,
    &ai::UNSAFE_ERROR,
    &ai::LONG_INPUT_UNHANDLED,
    &ai::MALFORMED_INPUT_UNHANDLED,
    &ai::EVAL_FAILED,
    &env::MISSING,
    &env::MALFORMED,
    &env::TEST_KEY_IN_PRODUCTION,
    &env::SHARED_ACROSS_ENVIRONMENTS,
    &env::EXAMPLE_DRIFT,
    &CHECK_ERROR,
];

/// Looks up a spec by id; ids of the form `secret.<rule>` that are not listed fall back to the
/// provider-credential spec.
pub fn lookup(id: &str) -> Option<&'static Spec> {
    let id = id.trim();
    if let Some(spec) = ALL.iter().copied().find(|s| s.id == id) {
        return Some(spec);
    }
    let rule = id.strip_prefix("secret.")?;
    let is_rule = !rule.is_empty()
        && rule
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    is_rule.then_some(&secrets::PROVIDER_CREDENTIAL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Every id of the DESIGN §4 table with its severity, in table order. `secret.<rule>` is
    /// represented by the generic `secret.provider_credential`.
    const DESIGN_TABLE: &[(&str, Severity)] = &[
        ("dns.apex_unresolved", Severity::Critical),
        ("dns.subdomain_unresolved", Severity::High),
        ("dns.dangling_cname", Severity::Critical),
        ("dns.single_nameserver", Severity::Medium),
        ("dns.no_caa", Severity::Low),
        ("dns.record_drift", Severity::High),
        ("dns.no_ipv6", Severity::Info),
        ("dns.no_dnssec", Severity::Info),
        ("dns.caa_blocks_issuer", Severity::High),
        ("http.unreachable", Severity::Critical),
        ("http.no_https_redirect", Severity::High),
        ("http.redirect_loop", Severity::Critical),
        ("http.redirect_downgrade", Severity::High),
        ("http.non_canonical_host", Severity::Medium),
        ("http.temporary_redirect", Severity::Low),
        ("http.redirect_chain_long", Severity::Low),
        ("http.auth_path_redirected", Severity::High),
        ("http.server_error", Severity::High),
        ("http.mixed_content", Severity::Medium),
        ("http.no_compression", Severity::Low),
        ("http.static_not_cached", Severity::Low),
        ("http.private_response_cached", Severity::High),
        ("http.no_security_txt", Severity::Info),
        ("edge.no_cdn", Severity::Medium),
        ("headers.no_hsts", Severity::Medium),
        ("headers.weak_hsts", Severity::Low),
        ("headers.no_csp", Severity::Low),
        ("headers.no_content_type_options", Severity::Low),
        ("headers.no_frame_protection", Severity::Low),
        ("headers.server_version_leak", Severity::Low),
        ("headers.insecure_cookie", Severity::Medium),
        ("headers.cors_reflects_origin", Severity::High),
        ("exposure.env_file", Severity::Critical),
        ("exposure.git_dir", Severity::Critical),
        ("exposure.source_map", Severity::Medium),
        ("exposure.secret_in_bundle", Severity::Critical),
        ("exposure.debug_mode", Severity::High),
        ("exposure.stack_trace", Severity::Medium),
        ("exposure.test_key_in_bundle", Severity::High),
        ("exposure.sensitive_file", Severity::Critical),
        ("tls.no_https", Severity::Critical),
        ("tls.cert_expired", Severity::Critical),
        ("tls.cert_expiring", Severity::High),
        ("tls.hostname_mismatch", Severity::Critical),
        ("tls.untrusted_chain", Severity::Critical),
        ("tls.incomplete_chain", Severity::High),
        ("tls.legacy_protocol", Severity::Medium),
        ("tls.weak_key", Severity::High),
        ("tls.not_yet_valid", Severity::Critical),
        ("tls.client_cert_required", Severity::Critical),
        ("tls.weak_signature", Severity::High),
        ("tls.browser_incompatible", Severity::High),
        ("tls.weak_cipher_suites", Severity::Medium),
        ("tls.chain_too_large", Severity::Critical),
        ("tls.manual_renewal", Severity::Low),
        ("email.no_mx", Severity::Low),
        ("email.mx_unresolved", Severity::Medium),
        ("email.no_spf", Severity::High),
        ("email.multiple_spf", Severity::High),
        ("email.spf_syntax", Severity::High),
        ("email.spf_too_many_lookups", Severity::High),
        ("email.spf_void_lookups", Severity::Medium),
        ("email.spf_permissive_all", Severity::High),
        ("email.no_dmarc", Severity::High),
        ("email.dmarc_syntax", Severity::High),
        ("email.dmarc_policy_none", Severity::Medium),
        ("email.no_dmarc_reporting", Severity::Low),
        ("email.no_dkim", Severity::High),
        ("email.dkim_syntax", Severity::High),
        ("email.dkim_weak_key", Severity::High),
        ("email.no_mta_sts", Severity::Info),
        ("email.spf_broken_include", Severity::High),
        ("email.mta_sts_mx_mismatch", Severity::High),
        ("secret.provider_credential", Severity::Critical),
        ("secret.generic_high_entropy", Severity::Medium),
        ("secret.env_file_committed", Severity::Critical),
        ("secret.env_not_gitignored", Severity::Medium),
        ("perf.unreachable", Severity::Critical),
        ("perf.p95_over_budget", Severity::High),
        ("perf.first_byte_slow", Severity::High),
        ("perf.error_rate_high", Severity::High),
        ("perf.timeout", Severity::High),
        ("perf.no_rate_limit", Severity::Medium),
        ("perf.regression", Severity::High),
        ("handover.no_owner", Severity::Medium),
        ("handover.no_rollback_plan", Severity::High),
        ("handover.no_uptime_monitor", Severity::High),
        ("flow.step_failed", Severity::High),
        ("flow.step_slow", Severity::Medium),
        ("webhook.accepts_unsigned", Severity::Critical),
        ("webhook.missing", Severity::High),
        ("webhook.crashes", Severity::High),
        ("ai.system_prompt_leak", Severity::Critical),
        ("ai.secret_in_reply", Severity::Critical),
        ("ai.cross_session_leak", Severity::Critical),
        ("ai.prompt_injection", Severity::High),
        ("ai.unsafe_error", Severity::High),
        ("ai.long_input_unhandled", Severity::High),
        ("ai.malformed_input_unhandled", Severity::Medium),
        ("ai.eval_failed", Severity::High),
        ("env.missing", Severity::High),
        ("env.malformed", Severity::High),
        ("env.test_key_in_production", Severity::High),
        ("env.shared_across_environments", Severity::High),
        ("env.example_drift", Severity::Low),
        ("check.error", Severity::Medium),
    ];

    fn is_valid_id(id: &str) -> bool {
        let Some((prefix, rest)) = id.split_once('.') else {
            return false;
        };
        !prefix.is_empty()
            && prefix.bytes().all(|b| b.is_ascii_lowercase())
            && !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    }

    fn check_for_prefix(prefix: &str) -> Option<CheckName> {
        Some(match prefix {
            "dns" => CheckName::Dns,
            "http" | "headers" | "exposure" | "edge" => CheckName::Http,
            "tls" => CheckName::Tls,
            "email" => CheckName::Email,
            "secret" => CheckName::Secrets,
            "perf" => CheckName::Perf,
            "handover" => CheckName::Handover,
            "flow" | "webhook" => CheckName::Flows,
            "ai" => CheckName::Ai,
            "env" => CheckName::Env,
            "check" => CheckName::Check,
            _ => return None,
        })
    }

    #[test]
    fn ids_are_unique() {
        let mut seen = HashSet::new();
        for spec in ALL {
            assert!(seen.insert(spec.id), "duplicate id {}", spec.id);
        }
    }

    #[test]
    fn ids_are_well_formed() {
        for spec in ALL {
            assert!(is_valid_id(spec.id), "malformed id {}", spec.id);
        }
        assert!(is_valid_id("secret.aws_access_key"));
        assert!(!is_valid_id("Secret.x"));
        assert!(!is_valid_id("dns."));
        assert!(!is_valid_id("dns.a.b"));
        assert!(!is_valid_id("nodot"));
    }

    #[test]
    fn check_matches_id_prefix() {
        for spec in ALL {
            let prefix = spec.id.split_once('.').map(|(p, _)| p).unwrap_or_default();
            assert_eq!(
                check_for_prefix(prefix),
                Some(spec.check),
                "{} has check {}",
                spec.id,
                spec.check
            );
        }
    }

    #[test]
    fn all_matches_the_design_table_in_order() {
        let ids: Vec<&str> = ALL.iter().map(|s| s.id).collect();
        let table: Vec<&str> = DESIGN_TABLE.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, table);
        for (id, severity) in DESIGN_TABLE {
            let spec = lookup(id).unwrap_or_else(|| panic!("{id} missing"));
            assert_eq!(spec.id, *id);
            assert_eq!(spec.severity, *severity, "severity of {id}");
        }
    }

    #[test]
    fn refs_are_https_and_present() {
        for spec in ALL {
            assert!(!spec.refs.is_empty(), "{} has no refs", spec.id);
            for r in spec.refs {
                assert!(r.starts_with("https://"), "{}: bad ref {r}", spec.id);
                assert!(!r.contains(char::is_whitespace), "{}: bad ref {r}", spec.id);
            }
        }
    }

    #[test]
    fn wording_is_present_and_short_where_it_must_be() {
        for spec in ALL {
            assert!(!spec.title.is_empty(), "{} title", spec.id);
            assert!(
                spec.title.chars().count() <= 60,
                "{} title too long: {}",
                spec.id,
                spec.title
            );
            assert!(!spec.when.trim().is_empty(), "{} when", spec.id);
            assert!(spec.why.len() >= 80, "{} why too short", spec.id);
            assert!(spec.fix.len() >= 60, "{} fix too short", spec.id);
            for text in [spec.title, spec.when, spec.why, spec.fix] {
                assert!(
                    !text.contains("  "),
                    "{}: double space in {text:?}",
                    spec.id
                );
                assert_eq!(text.trim(), text, "{}: untrimmed text", spec.id);
            }
        }
    }

    #[test]
    fn check_error_defaults() {
        assert_eq!(CHECK_ERROR.check, CheckName::Check);
        assert_eq!(CHECK_ERROR.severity, Severity::Medium);
        assert_eq!(CHECK_ERROR.impact, Impact::SupportLoad);
    }

    #[test]
    fn lookup_finds_listed_ids_and_falls_back_for_secret_rules() {
        assert_eq!(
            lookup("tls.cert_expired").map(|s| s.id),
            Some("tls.cert_expired")
        );
        assert_eq!(
            lookup("secret.generic_high_entropy").map(|s| s.id),
            Some("secret.generic_high_entropy")
        );
        for rule in [
            "secret.aws_access_key",
            "secret.stripe_live_key",
            "secret.jwt",
        ] {
            let spec = lookup(rule).unwrap_or_else(|| panic!("{rule}"));
            assert_eq!(spec.id, "secret.provider_credential");
            assert_eq!(spec.severity, Severity::Critical);
            assert_eq!(spec.impact, Impact::DataExposure);
        }
        assert!(lookup("secret.").is_none());
        assert!(lookup("secret.Bad-Rule").is_none());
        assert!(lookup("tls.nope").is_none());
        assert!(lookup("").is_none());
    }

    #[test]
    fn specs_build_findings() {
        let f = tls::CERT_EXPIRED.finding("acme.example:443", "Certificate expired", "notAfter");
        assert_eq!(f.id, "tls.cert_expired");
        assert_eq!(f.severity, Severity::Critical);
        assert_eq!(f.fix, tls::CERT_EXPIRED.fix);
        assert_eq!(f.refs.len(), tls::CERT_EXPIRED.refs.len());
    }
}
