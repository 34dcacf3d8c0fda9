//! Inline SVG charts of the HTML report: the latency histogram of one endpoint with its
//! percentile markers against the budget, and the certificate timeline (days left per host
//! against `min_days_valid`). Pure functions from numbers (and escaped labels) to markup.

use super::escape::esc;
use std::fmt::Write;

/// What the latency histogram draws.
pub(crate) struct Latency<'a> {
    /// The endpoint's name.
    pub name: &'a str,
    /// Bin width in milliseconds (0 when no distribution is known).
    pub bin_ms: f64,
    /// Samples per bin.
    pub counts: &'a [u64],
    /// Percentiles.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// The p95 budget, when known.
    pub budget: Option<f64>,
}

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 50.0;
const BOTTOM: f64 = 34.0;

/// A milliseconds figure as people read it.
pub(crate) fn ms(v: f64) -> String {
    if v >= 10_000.0 {
        format!("{:.1} s", v / 1000.0)
    } else if v >= 100.0 {
        format!("{v:.0} ms")
    } else {
        format!("{v:.1} ms")
    }
}

/// The histogram of one endpoint as an `<svg>` with a `<title>` and a `<desc>`.
pub(crate) fn histogram(l: &Latency<'_>, id: &str) -> String {
    let span_bins = if l.bin_ms > 0.0 {
        l.bin_ms * l.counts.len() as f64
    } else {
        0.0
    };
    let top = span_bins
        .max(l.p99 * 1.05)
        .max(l.budget.unwrap_or(0.0) * 1.05)
        .max(1.0);
    let pw = W - LEFT - RIGHT;
    let ph = H - TOP - BOTTOM;
    let x = |v: f64| LEFT + (v / top).clamp(0.0, 1.0) * pw;
    let max_count = l.counts.iter().copied().max().unwrap_or(0).max(1);
    let over = l.budget.is_some_and(|b| l.p95 > b);
    let budget_text = l
        .budget
        .map(|b| format!(", budget p95 {}", ms(b)))
        .unwrap_or_default();
    let total: u64 = l.counts.iter().sum();
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart histogram\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" preserveAspectRatio=\"xMidYMid meet\">\
<title id=\"{id}-t\">Latency of {name}</title>\
<desc id=\"{id}-d\">{total} answered samples; p50 {p50}, p95 {p95}, p99 {p99}{budget_text}{verdict}.</desc>",
        name = esc(l.name),
        p50 = ms(l.p50),
        p95 = ms(l.p95),
        p99 = ms(l.p99),
        verdict = if over { "; p95 is over the budget" } else { "" },
    );
    // axes
    let _ = write!(
        s,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y0}\"/>\
<line class=\"axis\" x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{y0}\"/>\
<text class=\"tick\" x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{max_count}</text>\
<text class=\"tick\" x=\"{lx}\" y=\"{y0}\" text-anchor=\"end\">0</text>",
        y0 = TOP + ph,
        x1 = LEFT + pw,
        lx = LEFT - 6.0,
        ty = TOP + 4.0,
    );
    for i in 0..=4 {
        let v = top * f64::from(i) / 4.0;
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{}\">{}</text>",
            x(v),
            TOP + ph + 16.0,
            if i == 4 { "end" } else { "middle" },
            ms(v)
        );
    }
    let _ = write!(
        s,
        "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">total time per request (samples per bin)</text>",
        LEFT + pw,
        H - 2.0
    );
    // bars
    if l.bin_ms > 0.0 {
        for (i, c) in l.counts.iter().enumerate() {
            if *c == 0 {
                continue;
            }
            let x0 = x(i as f64 * l.bin_ms);
            let x1 = x((i + 1) as f64 * l.bin_ms);
            let h = ph * (*c as f64) / (max_count as f64);
            let _ = write!(
                s,
                "<rect class=\"bar\" x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\"><title>{c} sample(s) from {} to {}</title></rect>",
                TOP + ph - h,
                (x1 - x0 - 1.0).max(1.0),
                ms(i as f64 * l.bin_ms),
                ms((i + 1) as f64 * l.bin_ms)
            );
        }
    }
    // markers: percentiles staggered so close values stay readable
    for (k, (label, v)) in [("p50", l.p50), ("p95", l.p95), ("p99", l.p99)]
        .into_iter()
        .enumerate()
    {
        let xv = x(v);
        let y = 12.0 + 12.0 * k as f64;
        let anchor = if xv > LEFT + pw * 0.8 { "end" } else { "start" };
        let _ = write!(
            s,
            "<line class=\"marker {label}\" x1=\"{xv:.1}\" y1=\"{y:.1}\" x2=\"{xv:.1}\" y2=\"{:.1}\"/>\
<text class=\"mlabel\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{label} {}</text>",
            TOP + ph,
            if anchor == "end" { xv - 3.0 } else { xv + 3.0 },
            y + 4.0,
            ms(v)
        );
    }
    if let Some(b) = l.budget {
        let xb = x(b);
        let anchor = if xb > LEFT + pw * 0.8 { "end" } else { "start" };
        let _ = write!(
            s,
            "<line class=\"budget\" x1=\"{xb:.1}\" y1=\"{TOP}\" x2=\"{xb:.1}\" y2=\"{:.1}\"/>\
<text class=\"blabel\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">budget {}</text>",
            TOP + ph,
            if anchor == "end" { xb - 3.0 } else { xb + 3.0 },
            TOP + 12.0,
            ms(b)
        );
    }
    s.push_str("</svg>");
    s
}

/// One host of the certificate timeline.
pub(crate) struct Cert<'a> {
    /// `host:port`.
    pub host: &'a str,
    /// Days until `notAfter` (negative: expired).
    pub days_left: i64,
}

/// The certificate timeline: one bar per host, days left, against `min_days`.
pub(crate) fn cert_timeline(certs: &[Cert<'_>], min_days: Option<i64>, id: &str) -> String {
    let row = 26.0;
    let label_w = 250.0;
    let h = TOP - 20.0 + row * certs.len() as f64 + 24.0;
    let longest = certs.iter().map(|c| c.days_left).max().unwrap_or(0);
    // Far-future certificates (a lab CA's) would flatten every real one: the axis stops at
    // a year, or four times the minimum, and longer bars are drawn cut with their number.
    let axis = (min_days.unwrap_or(30) * 4)
        .clamp(90, 400)
        .min(longest.max(90)) as f64;
    let pw = W - label_w - RIGHT;
    let x = |d: f64| label_w + (d / axis).clamp(0.0, 1.0) * pw;
    let expiring = certs
        .iter()
        .filter(|c| c.days_left >= 0 && min_days.is_some_and(|m| c.days_left < m))
        .count();
    let expired = certs.iter().filter(|c| c.days_left < 0).count();
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart certs\" viewBox=\"0 0 {W} {h}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\">\
<title id=\"{id}-t\">Certificate timeline</title>\
<desc id=\"{id}-d\">{n} certificate(s); {expired} expired; {expiring} inside the minimum of {min} days.</desc>",
        n = certs.len(),
        min = min_days.map_or_else(|| "?".to_string(), |m| m.to_string()),
    );
    let y0 = 30.0;
    for i in 0..=4 {
        let d = axis * f64::from(i) / 4.0;
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{:.1}\" y=\"18\" text-anchor=\"middle\">{:.0} d</text>",
            x(d),
            d
        );
    }
    for (i, c) in certs.iter().enumerate() {
        let y = y0 + row * i as f64;
        let class = if c.days_left < 0 {
            "expired"
        } else if min_days.is_some_and(|m| c.days_left < m) {
            "expiring"
        } else {
            "valid"
        };
        let label = if c.days_left < 0 {
            format!("expired {} days ago", -c.days_left)
        } else {
            format!("{} days left", c.days_left)
        };
        let end = if c.days_left < 0 {
            x(axis * 0.02)
        } else {
            x(c.days_left as f64)
        };
        let cut = c.days_left as f64 > axis;
        let _ = write!(
            s,
            "<text class=\"host\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
<rect class=\"cert {class}\" x=\"{label_w}\" y=\"{:.1}\" width=\"{:.1}\" height=\"16\"><title>{}: {label}</title></rect>\
<text class=\"days\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{}\">{}{label}</text>",
            label_w - 8.0,
            y + 12.0,
            esc(c.host),
            y,
            (end - label_w).max(2.0),
            esc(c.host),
            if cut { end - 4.0 } else { end + 4.0 },
            y + 12.0,
            if cut { "end" } else { "start" },
            if cut { "› " } else { "" },
        );
    }
    if let Some(m) = min_days {
        let xm = x(m as f64);
        let _ = write!(
            s,
            "<line class=\"budget\" x1=\"{xm:.1}\" y1=\"22\" x2=\"{xm:.1}\" y2=\"{:.1}\"/>\
<text class=\"blabel\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">minimum {m} d</text>",
            h - 16.0,
            xm,
            h - 4.0
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_draws_bars_markers_and_budget_with_escaped_title() {
        let counts = [2, 0, 1];
        let svg = histogram(
            &Latency {
                name: "<b>chat</b>",
                bin_ms: 100.0,
                counts: &counts,
                p50: 40.0,
                p95: 250.0,
                p99: 260.0,
                budget: Some(200.0),
            },
            "h1",
        );
        assert!(svg.contains("<title id=\"h1-t\">Latency of &lt;b&gt;chat&lt;/b&gt;</title>"));
        assert!(svg.contains("p95 is over the budget"));
        assert_eq!(svg.matches("class=\"bar\"").count(), 2);
        assert!(svg.contains("budget 200 ms"));
        for m in ["p50 40.0 ms", "p95 250 ms", "p99 260 ms"] {
            assert!(svg.contains(m), "{m} missing");
        }
    }

    #[test]
    fn timeline_cuts_far_future_bars_and_marks_the_minimum() {
        let certs = [
            Cert {
                host: "a.test:443",
                days_left: 750_000,
            },
            Cert {
                host: "b.test:443",
                days_left: 5,
            },
            Cert {
                host: "c.test:443",
                days_left: -3,
            },
        ];
        let svg = cert_timeline(&certs, Some(21), "c");
        assert!(svg.contains("1 expired; 1 inside the minimum of 21 days"));
        assert!(svg.contains("› 750000 days left"));
        assert!(svg.contains("expired 3 days ago"));
        assert!(svg.contains("minimum 21 d"));
        assert!(svg.contains("cert expiring"));
    }
}
