//! Reading the chat reply out of a response body: `json:<pointer>`, `sse:openai`, `sse:data`,
//! `text`. Pure functions over the (already capped) body bytes.

use crate::config::ReplyFormat;
use serde_json::Value;

/// The reply text, or why it could not be read in the configured format (the raw body is still
/// searched for proof by the caller).
pub fn extract(format: &ReplyFormat, body: &[u8]) -> Result<String, String> {
    let text = String::from_utf8_lossy(body);
    match format {
        ReplyFormat::Text => Ok(text.into_owned()),
        ReplyFormat::Json(pointer) => {
            let v: Value =
                serde_json::from_slice(body).map_err(|e| format!("the body is not JSON ({e})"))?;
            match v.pointer(pointer) {
                Some(Value::String(s)) => Ok(s.clone()),
                Some(Value::Null) | None => Err(format!("the JSON has no value at `{pointer}`")),
                Some(other) => Ok(other.to_string()),
            }
        }
        ReplyFormat::SseData => {
            let events = sse_data(&text);
            if events.is_empty() {
                return Err("the body has no `data:` lines".into());
            }
            Ok(events
                .into_iter()
                .filter(|d| d.trim() != "[DONE]")
                .collect::<Vec<_>>()
                .join(""))
        }
        ReplyFormat::SseOpenai => {
            let events = sse_data(&text);
            if events.is_empty() {
                return Err("the body has no `data:` lines".into());
            }
            let mut out = String::new();
            let mut parsed = 0usize;
            for d in events {
                if d.trim() == "[DONE]" {
                    break;
                }
                let Ok(v) = serde_json::from_str::<Value>(&d) else {
                    continue;
                };
                parsed += 1;
                let choice = v.pointer("/choices/0");
                let piece = choice
                    .and_then(|c| {
                        c.pointer("/delta/content")
                            .or_else(|| c.pointer("/message/content"))
                            .or_else(|| c.get("text"))
                    })
                    .and_then(Value::as_str);
                if let Some(p) = piece {
                    out.push_str(p);
                } else if let Some(e) = v.get("error") {
                    // A provider error mid-stream: keep it, it is part of what the user sees.
                    out.push_str(&e.to_string());
                }
            }
            if parsed == 0 {
                return Err("no `data:` chunk is JSON".into());
            }
            Ok(out)
        }
    }
}

/// The data of each server-sent event (multi-line data joined with `\n`, per the HTML living
/// standard's event-stream interpretation), in order.
pub fn sse_data(text: &str) -> Vec<String> {
    let mut events = Vec::new();
    let mut cur: Option<String> = None;
    for raw in text.split('\n') {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.is_empty() {
            if let Some(d) = cur.take() {
                events.push(d);
            }
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        if field == "data" {
            match &mut cur {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => cur = Some(value.to_string()),
            }
        }
    }
    if let Some(d) = cur {
        events.push(d);
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_pointer() {
        let f = ReplyFormat::Json("/reply".into());
        assert_eq!(
            extract(&f, br#"{"reply":"hi \"you\""}"#).as_deref(),
            Ok("hi \"you\"")
        );
        let f = ReplyFormat::Json("/choices/0/message/content".into());
        assert_eq!(
            extract(&f, br#"{"choices":[{"message":{"content":"ok"}}]}"#).as_deref(),
            Ok("ok")
        );
        assert!(extract(&f, b"<html>").is_err());
        assert!(extract(&f, b"{}").is_err());
        let f = ReplyFormat::Json("/n".into());
        assert_eq!(extract(&f, br#"{"n":[1,2]}"#).as_deref(), Ok("[1,2]"));
    }

    #[test]
    fn sse_openai_joins_deltas_until_done() {
        let body = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n\
                    data: {\"choices\":[{\"delta\":{\"content\":\"AB\"}}]}\r\n\r\n\
                    : keep-alive\n\n\
                    data: {\"choices\":[{\"delta\":{\"content\":\"CD\"}}]}\n\n\
                    data: [DONE]\n\n\
                    data: {\"choices\":[{\"delta\":{\"content\":\"late\"}}]}\n\n";
        assert_eq!(
            extract(&ReplyFormat::SseOpenai, body.as_bytes()).as_deref(),
            Ok("ABCD")
        );
        assert!(extract(&ReplyFormat::SseOpenai, b"hello").is_err());
    }

    #[test]
    fn sse_data_concatenates() {
        let body = "event: token\ndata: Hel\n\ndata: lo\ndata: you\n\ndata: [DONE]\n";
        assert_eq!(
            extract(&ReplyFormat::SseData, body.as_bytes()).as_deref(),
            Ok("Hello\nyou")
        );
        assert_eq!(
            sse_data("data:x\n\ndata"),
            vec!["x".to_string(), String::new()]
        );
    }

    #[test]
    fn text_is_lossy() {
        assert_eq!(
            extract(&ReplyFormat::Text, b"ok \xff").as_deref(),
            Ok("ok \u{fffd}")
        );
    }
}
