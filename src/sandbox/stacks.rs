//! The sandbox's framework debug pages: one host per framework under `stacks.acme-broken.test`
//! (`ignition.`, `whoops.`, `rails.`, `symfony.`, `aspnet.`, `express.`, `next.`, `laravel-api.`,
//! `aspnetcore.`, `php.`, `xdebug.`), each answering
//! as that framework does in development, so every debug-page signature of the http check is
//! proven on its own origin over real sockets (a finding is one per origin and id).
//!
//! These hosts are not in the broken site's config (the demo and its counts stay as they are):
//! [`stacks_case_toml`] writes a whole config that audits them alone. The pages are also the
//! realistic samples of `checks::http::debug`'s unit tests.

use super::web::{Canned, Req};

/// The parent of the per-framework hosts (its certificate is `*.stacks.acme-broken.test`).
pub const STACKS: &str = "stacks.acme-broken.test";

/// Extra records for the broken zone.
pub const BROKEN_RECORDS: &str = "
stacks A 127.0.0.1
ignition.stacks A 127.0.0.1
whoops.stacks A 127.0.0.1
rails.stacks A 127.0.0.1
symfony.stacks A 127.0.0.1
aspnet.stacks A 127.0.0.1
express.stacks A 127.0.0.1
next.stacks A 127.0.0.1
laravel-api.stacks A 127.0.0.1
aspnetcore.stacks A 127.0.0.1
php.stacks A 127.0.0.1
xdebug.stacks A 127.0.0.1
api-platform.stacks A 127.0.0.1
";

/// Each framework host (label under [`STACKS`]) and the name the http check gives its page.
pub const FRAMEWORKS: &[(&str, &str)] = &[
    ("ignition", "Laravel Ignition error page"),
    ("whoops", "Whoops error page"),
    ("rails", "Rails development"),
    ("symfony", "Symfony debug exception page"),
    ("aspnet", "ASP.NET detailed error page"),
    ("express", "Express development error handler"),
    ("next", "Next.js development server"),
    ("laravel-api", "Laravel debug JSON error"),
    ("aspnetcore", "ASP.NET Core developer exception page"),
    ("php", "PHP error message (display_errors is on)"),
    ("xdebug", "Xdebug error table"),
];

/// Hosts whose error answers carry a stack trace but no framework debug page: (label under
/// [`STACKS`], the language the http check names). Audited with the framework hosts.
pub const TRACES: &[(&str, &str)] = &[("api-platform", "PHP stack trace")];

fn html(status: u16, body: &'static str) -> Canned {
    Canned::new(status, body).header("content-type", "text/html; charset=utf-8")
}

/// A whole config for the framework debug pages: `stacks.acme-broken.test` (a plain site) with
/// every framework host of [`FRAMEWORKS`] and every host of [`TRACES`] as a subdomain.
pub fn stacks_case_toml(http_port: u16, https_port: u16) -> String {
    let subs: Vec<String> = FRAMEWORKS
        .iter()
        .chain(TRACES)
        .map(|(l, _)| format!("\"{l}\""))
        .collect();
    format!(
        r#"[target]
name = "Acme (framework debug pages)"
domain = "{STACKS}"
canonical = "apex"
subdomains = [{}]
http_port = {http_port}
https_port = {https_port}
pages = ["/"]
"#,
        subs.join(", ")
    )
}

/// Routes of this module, or `None` for everything else.
pub fn route(req: &Req) -> Option<Canned> {
    if !req.tls {
        return None;
    }
    let label = req
        .host
        .strip_suffix(STACKS)?
        .strip_suffix('.')
        .unwrap_or("");
    let path = req.path.split('?').next().unwrap_or("/");
    let post = req.method == "POST";
    if path == "/" && !post && label != "next" {
        return Some(html(
            200,
            "<!doctype html><title>Acme</title><h1>Acme chat</h1>",
        ));
    }
    Some(match label {
        "" => html(
            404,
            "<!doctype html><title>Not Found</title><h1>Not Found</h1>",
        ),
        "ignition" => html(500, IGNITION_PAGE),
        "whoops" => html(500, WHOOPS_PAGE),
        // An unknown route gets the routing error, a bad request body the exception page.
        "rails" if post => html(500, RAILS_EXCEPTION_PAGE),
        "rails" => html(404, RAILS_ROUTING_PAGE),
        "symfony" => html(404, SYMFONY_PAGE),
        "aspnet" => html(500, ASPNET_PAGE),
        "express" => html(500, EXPRESS_PAGE),
        // `next dev` renders every path, the 404 page included, with its development build id.
        "next" => html(if path == "/" { 200 } else { 404 }, NEXT_DEV_PAGE),
        // Laravel renders a 404 with its plain view even in debug mode, but a client that
        // asks for JSON gets the exception, its file and the whole trace.
        "laravel-api" if wants_json(req) => {
            Canned::new(404, LARAVEL_DEBUG_JSON_BODY).header("content-type", "application/json")
        }
        "laravel-api" => html(
            404,
            "<!DOCTYPE html><title>Not Found</title><div class=\"px-4 text-lg\">404</div><div class=\"ml-4 text-lg uppercase\">Not Found</div>",
        ),
        "aspnetcore" => html(500, ASPNET_CORE_PAGE),
        // A front controller renders every path with 200; PHP prints its warning into the page.
        "php" => html(200, PHP_WARNING_PAGE),
        // The same with Xdebug loaded: its error table, still with 200.
        "xdebug" => html(200, XDEBUG_PAGE),
        // An API in debug mode: its JSON error lists the frames as objects.
        "api-platform" => Canned::new(404, API_PLATFORM_ERROR)
            .header("content-type", "application/problem+json; charset=utf-8"),
        _ => return None,
    })
}

/// Whether the request asks for JSON (Laravel's `wantsJson`).
fn wants_json(req: &Req) -> bool {
    req.headers
        .iter()
        .any(|(k, v)| k == "accept" && (v.contains("/json") || v.contains("+json")))
}

/// Laravel with `APP_DEBUG=true` answering a JSON client: `convertExceptionToArray` of the
/// route-not-found exception (Laravel 10).
pub const LARAVEL_DEBUG_JSON_BODY: &str = concat!(
    "{\n    \"message\": \"The route api/launchready-x could not be found.\",\n",
    "    \"exception\": \"Symfony\\\\Component\\\\HttpKernel\\\\Exception\\\\NotFoundHttpException\",\n",
    "    \"file\": \"/var/www/html/vendor/laravel/framework/src/Illuminate/Routing/AbstractRouteCollection.php\",\n",
    "    \"line\": 44,\n    \"trace\": [\n",
    "        {\n            \"file\": \"/var/www/html/vendor/laravel/framework/src/Illuminate/Routing/RouteCollection.php\",\n",
    "            \"line\": 162,\n            \"function\": \"handleMatchedRoute\",\n",
    "            \"class\": \"Illuminate\\\\Routing\\\\AbstractRouteCollection\",\n            \"type\": \"->\"\n        },\n",
    "        {\n            \"file\": \"/var/www/html/vendor/laravel/framework/src/Illuminate/Routing/Router.php\",\n",
    "            \"line\": 763,\n            \"function\": \"match\",\n",
    "            \"class\": \"Illuminate\\\\Routing\\\\RouteCollection\",\n            \"type\": \"->\"\n        },\n",
    "        {\n            \"file\": \"/var/www/html/vendor/laravel/framework/src/Illuminate/Pipeline/Pipeline.php\",\n",
    "            \"line\": 141,\n            \"function\": \"Illuminate\\\\Foundation\\\\Http\\\\{closure}\",\n",
    "            \"class\": \"Illuminate\\\\Foundation\\\\Http\\\\Kernel\",\n            \"type\": \"->\"\n        },\n",
    "        {\n            \"file\": \"/var/www/html/public/index.php\",\n",
    "            \"line\": 51,\n            \"function\": \"handle\",\n",
    "            \"class\": \"Illuminate\\\\Foundation\\\\Http\\\\Kernel\",\n            \"type\": \"->\"\n        }\n",
    "    ]\n}\n",
);

/// ASP.NET Core's developer exception page (`UseDeveloperExceptionPage`), trimmed: the title,
/// the tabs, the stack page with one frame and the raw trace.
pub const ASPNET_CORE_PAGE: &str = concat!(
    "<!DOCTYPE html>\n<html lang=\"en\" xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n",
    "<meta charset=\"utf-8\" />\n<title>Internal Server Error</title>\n<style>body{font-family:'Segoe UI',Tahoma}</style>\n",
    "</head>\n<body>\n<h1>An unhandled exception occurred while processing the request.</h1>\n",
    "<div class=\"titleerror\">InvalidOperationException: Sequence contains no elements</div>\n",
    "<p class=\"location\">System.Linq.ThrowHelper.ThrowNoElementsException()</p>\n",
    "<ul id=\"header\">\n<li id=\"stack\" tabindex=\"1\" class=\"selected\">Stack</li>\n",
    "<li id=\"query\" tabindex=\"2\">Query</li>\n<li id=\"cookies\" tabindex=\"3\">Cookies</li>\n",
    "<li id=\"headers\" tabindex=\"4\">Headers</li>\n<li id=\"routing\" tabindex=\"5\">Routing</li>\n</ul>\n",
    "<div id=\"stackpage\" class=\"page\">\n<ul>\n<li>\n",
    "<h2 class=\"stackerror\">InvalidOperationException: Sequence contains no elements</h2>\n<ul>\n",
    "<li class=\"frame\" id=\"frame1\">\n<h3>ChatApi.Controllers.ChatController.Post(ChatRequest request) in ",
    "<code title=\"/src/ChatApi/Controllers/ChatController.cs\">ChatController.cs</code></h3>\n</li>\n</ul>\n</li>\n",
    "<li>\n<br />\n<div class=\"rawExceptionBlock\">\n",
    "<button class=\"showRawException\" data-exceptionDetailId=\"exceptionDetail1\">Show raw exception details</button>\n",
    "<div id=\"exceptionDetail1\" class=\"rawExceptionDetails\">\n",
    "<pre class=\"rawExceptionStackTrace\">System.InvalidOperationException: Sequence contains no elements\n",
    "   at System.Linq.ThrowHelper.ThrowNoElementsException()\n",
    "   at ChatApi.Controllers.ChatController.Post(ChatRequest request) in /src/ChatApi/Controllers/ChatController.cs:line 27</pre>\n",
    "</div>\n</div>\n</li>\n</ul>\n</div>\n</body>\n</html>\n",
);

/// A PHP page with `display_errors = On`: a warning printed above the page, answered with 200.
pub const PHP_WARNING_PAGE: &str = concat!(
    "<br />\n<b>Warning</b>:  Undefined array key \"HTTP_ACCEPT_LANGUAGE\" in ",
    "<b>/var/www/html/includes/i18n.php</b> on line <b>12</b><br />\n",
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Acme chat</title></head>\n",
    "<body>\n<h1>Page not found</h1>\n<p>Try the <a href=\"/\">home page</a>.</p>\n</body>\n</html>\n",
);

/// A PHP page with `display_errors = On` and Xdebug in develop mode: Xdebug's error table with
/// its call stack above the page, answered with 200 (a Windows host, as XAMPP/Laragon ship it).
pub const XDEBUG_PAGE: &str = concat!(
    "<br />\n<font size='1'><table class='xdebug-error xe-notice' dir='ltr' border='1' cellspacing='0' cellpadding='1'>\n",
    "<tr><th align='left' bgcolor='#f57900' colspan=\"5\"><span style='background-color: #cc0000; color: #fce94f; font-size: x-large;'>( ! )</span> ",
    "Notice: Undefined index: plan in C:\\xampp\\htdocs\\chat\\billing.php on line <i>27</i></th></tr>\n",
    "<tr><th align='left' bgcolor='#e9b96e' colspan='5'>Call Stack</th></tr>\n",
    "<tr><th align='center' bgcolor='#eeeeec'>#</th><th align='left' bgcolor='#eeeeec'>Time</th>",
    "<th align='left' bgcolor='#eeeeec'>Memory</th><th align='left' bgcolor='#eeeeec'>Function</th>",
    "<th align='left' bgcolor='#eeeeec'>Location</th></tr>\n",
    "<tr><td bgcolor='#eeeeec' align='center'>1</td><td bgcolor='#eeeeec' align='center'>0.0004</td>",
    "<td bgcolor='#eeeeec' align='right'>401528</td><td bgcolor='#eeeeec'>{main}(  )</td>",
    "<td title='C:\\xampp\\htdocs\\chat\\billing.php' bgcolor='#eeeeec'>...\\billing.php<b>:</b>0</td></tr>\n",
    "</table></font>\n",
    "<!DOCTYPE html><html><head><title>Billing</title></head><body><h1>Billing</h1></body></html>\n",
);

/// API Platform (Symfony) in debug mode: a Hydra error whose `trace` lists frame objects.
pub const API_PLATFORM_ERROR: &str = concat!(
    r#"{"@context":"/api/contexts/Error","@type":"hydra:Error","hydra:title":"An error occurred","#,
    r#""hydra:description":"No route found for \"POST https://api.acme.example/api/launchready-x\"","#,
    r#""trace":[{"namespace":"","short_class":"","class":"","type":"","function":"","#,
    r#""file":"/srv/api/vendor/symfony/http-kernel/EventListener/RouterListener.php","line":127,"args":[]},"#,
    r#"{"namespace":"Symfony\\Component\\HttpKernel\\EventListener","short_class":"RouterListener","#,
    r#""class":"Symfony\\Component\\HttpKernel\\EventListener\\RouterListener","type":"->","#,
    r#""function":"onKernelRequest","file":"/srv/api/vendor/symfony/event-dispatcher/Debug/WrappedListener.php","line":116,"args":[]},"#,
    r#"{"namespace":"Symfony\\Component\\HttpKernel","short_class":"HttpKernel","#,
    r#""class":"Symfony\\Component\\HttpKernel\\HttpKernel","type":"->","#,
    r#""function":"handleRaw","file":"/srv/api/vendor/symfony/http-kernel/HttpKernel.php","line":76,"args":[]}]}"#,
);

/// Laravel with `APP_DEBUG=true`: spatie/ignition's page for an exception.
pub const IGNITION_PAGE: &str = concat!(
    "<!doctype html>\n<!--\nIlluminate\\Database\\QueryException: SQLSTATE[HY000] [2002] ",
    "Connection refused (Connection: mysql, SQL: select * from `users` where `id` = 1 limit 1) ",
    "in file /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php on line 822\n-->\n",
    "<html class=\"theme-light\">\n<head>\n<meta charset=\"UTF-8\">\n",
    "<meta name=\"robots\" content=\"noindex, nofollow\">\n<title>Connection refused</title>\n</head>\n",
    "<body class=\"scrollbar-lg antialiased bg-center\">\n<script>\n",
    "window.data = {\"report\":{\"exception_class\":\"Illuminate\\\\Database\\\\QueryException\",",
    "\"message\":\"SQLSTATE[HY000] [2002] Connection refused\"},",
    "\"updateConfigEndpoint\":\"http:\\/\\/localhost\\/_ignition\\/update-config\"};\n",
    "</script>\n<div id=\"app\"></div>\n</body>\n</html>\n",
);

/// filp/whoops' pretty page handler (PHP debug mode).
pub const WHOOPS_PAGE: &str = concat!(
    "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n",
    "<meta name=\"robots\" content=\"noindex,nofollow\"/>\n",
    "<title>Whoops! There was an error.</title>\n<style>body{font:12px sans-serif}</style>\n</head>\n",
    "<body>\n<div class=\"Whoops container\">\n<div class=\"stack-container\">\n",
    "<div class=\"panel left-panel cf \">\n<header>\n<div class=\"exception\">\n",
    "<div class=\"exc-title\"><span class=\"exc-title-primary\">ErrorException</span></div>\n",
);

/// Rails in development: the exception page (`rescues/diagnostics`).
pub const RAILS_EXCEPTION_PAGE: &str = concat!(
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n",
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    "<title>Action Controller: Exception caught</title>\n</head>\n<body>\n",
    "<header role=\"banner\">\n<h1>\n  NoMethodError\n    in ChatsController#create\n</h1>\n</header>\n",
    "<main role=\"main\" id=\"container\">\n<div class=\"exception-message\">\n",
    "<div class=\"message\">undefined method `strip&#39; for nil</div>\n</div>\n",
);

/// Rails in development: the routing error body an unknown path gets.
pub const RAILS_ROUTING_PAGE: &str = concat!(
    "<header role=\"banner\">\n<h1>Routing Error</h1>\n</header>\n<main role=\"main\" id=\"container\">\n",
    "<h2>No route matches [GET] &quot;/launchready-x/missing&quot;</h2>\n",
    "<div id=\"rails-root\">\n<p><code>Rails.root: /rails</code></p>\n</div>\n",
);

/// Symfony's error-handler page with `APP_ENV=dev`: a 404 for an unknown route.
pub const SYMFONY_PAGE: &str = concat!(
    "<!-- No route found for &quot;GET http://localhost:8000/launchready-x/missing&quot; (404 Not Found) -->\n",
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"UTF-8\" />\n",
    "<meta name=\"robots\" content=\"noindex,nofollow\" />\n",
    "<title>No route found for &quot;GET http://localhost:8000/launchready-x/missing&quot; (404 Not Found)</title>\n",
    "</head>\n<body>\n<header>\n<div class=\"container\">\n<h1 class=\"logo\"><svg></svg> Symfony Exception</h1>\n",
    "</div>\n</header>\n<div class=\"exception-summary \">\n<div class=\"exception-metadata\">\n<div class=\"container\">\n",
    "<h2 class=\"exception-hierarchy\">\n<a href=\"#trace-box-1\"><abbr title=\"Symfony\\Component\\HttpKernel\\Exception\\NotFoundHttpException\">NotFoundHttpException</abbr></a>\n",
    "</h2>\n<h2 class=\"exception-http\">\nHTTP 404 <small>Not Found</small>\n</h2>\n</div>\n</div>\n",
    "<div class=\"exception-message-wrapper\">\n<div class=\"container\">\n",
    "<h1 class=\"break-long-words exception-message\">No route found for &quot;GET http://localhost:8000/launchready-x/missing&quot;</h1>\n",
    "</div>\n</div>\n</div>\n<div class=\"container\">\n<div class=\"sf-tabs\">\n",
    "<table class=\"trace trace-as-text\">\n<thead class=\"trace-head\">\n<tr>\n<th class=\"sf-toggle\" data-toggle-selector=\"#trace-text-1\">\n",
    "<pre class=\"stacktrace\">\nSymfony\\Component\\HttpKernel\\Exception\\NotFoundHttpException:\n",
    "No route found for &quot;GET http://localhost:8000/launchready-x/missing&quot;\n\n",
    "  at vendor/symfony/http-kernel/EventListener/RouterListener.php:149\n</pre>\n",
);

/// ASP.NET's detailed error page with `<customErrors mode="Off"/>`.
pub const ASPNET_PAGE: &str = concat!(
    "<html>\n<head>\n<title>Object reference not set to an instance of an object.</title>\n</head>\n",
    "<body bgcolor=\"white\">\n",
    "<span><H1>Server Error in '/' Application.<hr width=100% size=1 color=silver></H1>\n",
    "<h2> <i>Object reference not set to an instance of an object.</i> </h2></span>\n",
    "<font face=\"Arial, Helvetica, Geneva, SunSans-Regular, sans-serif \">\n",
    "<b> Description: </b>An unhandled exception occurred during the execution of the current web request. ",
    "Please review the stack trace for more information about the error and where it originated in the code.\n<br><br>\n",
    "<b> Exception Details: </b>System.NullReferenceException: Object reference not set to an instance of an object.<br><br>\n",
    "<b>Stack Trace:</b> <br><br>\n<table width=100% bgcolor=\"#ffffcc\"><tr><td><code><pre>\n\n",
    "[NullReferenceException: Object reference not set to an instance of an object.]\n",
    "   Acme.Web.Controllers.ChatController.Post(ChatRequest req) in C:\\build\\Acme.Web\\Controllers\\ChatController.cs:42\n",
    "   System.Web.Mvc.ActionMethodDispatcher.Execute(ControllerBase controller, Object[] parameters) +14\n",
    "</pre></code></td></tr></table>\n",
);

/// Express 4's finalhandler page when `NODE_ENV` is not `production`.
pub const EXPRESS_PAGE: &str = concat!(
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n",
    "<pre>TypeError: Cannot read properties of undefined (reading &#39;message&#39;)<br>",
    " &nbsp; &nbsp;at /app/routes/chat.js:14:32<br>",
    " &nbsp; &nbsp;at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)<br>",
    " &nbsp; &nbsp;at next (/app/node_modules/express/lib/router/route.js:149:13)<br>",
    " &nbsp; &nbsp;at Route.dispatch (/app/node_modules/express/lib/router/route.js:119:3)</pre>\n",
    "</body>\n</html>\n",
);

/// `next dev`: the page data carries the development build id.
pub const NEXT_DEV_PAGE: &str = r#"<script id="__NEXT_DATA__" type="application/json">{"props":{},"buildId":"development"}</script>"#;
