//! Small HTTP helpers shared by checks: reading a body up to a cap.

/// Reads a response body, stopping after `cap` bytes (the rest is not downloaded).
///
/// A body without Content-Length or chunked framing ends when the server closes the
/// connection (RFC 9112 §6.3); many servers then close TLS without a close_notify alert, which
/// rustls reports as an unexpected end of file. Browsers and curl keep such a body, and so does
/// this: the bytes read so far are the body.
pub async fn read_capped(
    mut resp: reqwest::Response,
    cap: usize,
) -> Result<Vec<u8>, reqwest::Error> {
    let close_delimited = !resp.headers().contains_key(reqwest::header::CONTENT_LENGTH)
        && !resp
            .headers()
            .get_all(reqwest::header::TRANSFER_ENCODING)
            .iter()
            .any(|v| v.as_bytes().eq_ignore_ascii_case(b"chunked"));
    let mut out = Vec::new();
    loop {
        let chunk = match resp.chunk().await {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) if close_delimited && ends_without_close_notify(&e) => break,
            Err(e) => return Err(e),
        };
        let room = cap.saturating_sub(out.len());
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= cap {
            break;
        }
    }
    // Growth by doubling can leave up to twice the cap allocated; callers keep bodies around.
    out.shrink_to_fit();
    Ok(out)
}

/// True when `e` is an unexpected end of file underneath (a TLS connection closed without
/// close_notify, or a plain one cut short).
fn ends_without_close_notify(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::UnexpectedEof
        {
            return true;
        }
        source = err.source();
    }
    false
}
