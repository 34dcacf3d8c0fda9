//! Small HTTP helpers shared by checks: reading a body up to a cap.

/// Reads a response body, stopping after `cap` bytes (the rest is not downloaded).
pub async fn read_capped(
    mut resp: reqwest::Response,
    cap: usize,
) -> Result<Vec<u8>, reqwest::Error> {
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
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
