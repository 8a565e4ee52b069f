//! Requests against the router (tower `oneshot`, no socket), shared by the API tests.

// Each test file uses part of this module.
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// An answer: status, headers and body (as bytes, and as text for messages).
pub struct Reply {
    /// The HTTP status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body as sent (a workbook download is not text).
    pub bytes: Vec<u8>,
    /// The body as text (lossy for bytes that are not UTF-8).
    pub text: String,
}

impl Reply {
    /// The body as JSON (panics with the body when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// Asserts the status is `want` (the body is the failure message) and passes the answer on.
    pub fn ok(self, want: StatusCode) -> Self {
        assert_eq!(self.status, want, "{}", self.text);
        self
    }

    /// The error kind of a JSON error answer (`""` when there is none).
    pub fn kind(&self) -> String {
        self.json()["error"]["kind"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

/// Sends one request with an optional content type.
pub async fn call(app: &Router, method: &str, uri: &str, ct: Option<&str>, body: Vec<u8>) -> Reply {
    call_with(app, method, uri, ct, body, &[]).await
}

/// Sends one request with an optional content type and `extra` headers.
pub async fn call_with(
    app: &Router,
    method: &str,
    uri: &str,
    ct: Option<&str>,
    body: Vec<u8>,
    extra: &[(&str, &str)],
) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(ct) = ct {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply {
        status,
        headers,
        text: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    }
}

/// Asserts that `r` is a 4xx JSON error with a message (`what` names the request).
pub fn assert_client_error(r: &Reply, what: &str) {
    assert!(
        r.status.is_client_error(),
        "{what} -> {} {}",
        r.status,
        r.text
    );
    assert!(
        r.json()["error"]["message"].is_string(),
        "{what}: {}",
        r.text
    );
}

/// `GET uri`.
pub async fn get(app: &Router, uri: &str) -> Reply {
    call(app, "GET", uri, None, Vec::new()).await
}

/// `POST uri` with a JSON body.
pub async fn post_json(app: &Router, uri: &str, body: Value) -> Reply {
    send_json(app, "POST", uri, body).await
}

/// `method uri` with a JSON body.
pub async fn send_json(app: &Router, method: &str, uri: &str, body: Value) -> Reply {
    let bytes = body.to_string().into_bytes();
    call(app, method, uri, Some("application/json"), bytes).await
}

/// Imports `text` as file `name`; returns the first scenario's id.
pub async fn import(app: &Router, name: &str, text: &str) -> i64 {
    let r = call(
        app,
        "POST",
        &format!("/api/scenarios?filename={name}"),
        Some("application/octet-stream"),
        text.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["created"][0]["scenario_id"].as_i64().unwrap()
}
