//! Request checks applied to every route, and the security headers of every answer.
//!
//! - With a token set, every request needs `Authorization: Bearer <token>` or the
//!   `pactum_token` cookie that `POST /login` (the token in a JSON body, never in a URL)
//!   sets, since browsers cannot add headers to page loads. Only the login page, its
//!   script and style sheet are open; a page load without the token is sent to `/login`.
//! - Without a token (loopback only), the `Host` header must name a loopback host, so a web
//!   page elsewhere cannot reach the library by DNS rebinding.
//! - A `POST` must not carry a content type a plain HTML form can send (`text/plain`,
//!   form encodings), so another site cannot post to the API cross-origin without a
//!   CORS preflight, which this server never grants.

use crate::AppState;
use crate::api::{body_bytes, parse_json};
use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

const COOKIE: &str = "pactum_token";

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Equality that takes the same time wherever the first difference is.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| kv.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

fn authorised(headers: &HeaderMap, token: &str) -> bool {
    [bearer(headers), cookie(headers)]
        .into_iter()
        .flatten()
        .any(|t| same(t.as_bytes(), token.as_bytes()))
}

/// True when `Host` is absent or names a loopback host (`localhost`, `127.x.x.x`, `[::1]`).
fn loopback_host(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return headers.get(header::HOST).is_none();
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host)
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

/// True for the content types an HTML form may post without a CORS preflight.
fn form_content_type(headers: &HeaderMap) -> bool {
    let Some(ct) = headers.get(header::CONTENT_TYPE) else {
        return true;
    };
    let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
    let essence = ct.split(';').next().unwrap_or("").trim();
    matches!(
        essence,
        "" | "text/plain" | "application/x-www-form-urlencoded" | "multipart/form-data"
    )
}

/// Paths open without the token: the login page and what it loads (no library data).
fn is_open(path: &str) -> bool {
    path == "/login" || path == "/static/app.css" || crate::SCRIPTS.iter().any(|(p, _)| *p == path)
}

/// True for the HTML pages, which send a browser without the token to `/login`.
fn is_page(method: &Method, path: &str) -> bool {
    method == Method::GET && (path == "/" || path.starts_with("/scenarios/"))
}

/// The middleware: authentication, host and content-type checks, security headers.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let path = req.uri().path();
    let check = if let Some(token) = &state.token {
        if is_open(path) || authorised(headers, token) {
            Ok(())
        } else if is_page(req.method(), path) {
            let mut res = Redirect::to("/login").into_response();
            add_headers(res.headers_mut());
            return res;
        } else {
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "this server needs a token: send `Authorization: Bearer <token>`",
            )
            .with_hint("in a browser, open /login and enter the token"))
        }
    } else if !loopback_host(headers) {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden_host",
            "the Host header does not name this machine; open the page at http://127.0.0.1 or http://localhost",
        ))
    } else {
        Ok(())
    };
    let check = check.and_then(|()| {
        if req.method() == Method::POST && form_content_type(headers) {
            Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "POST needs a Content-Type such as application/json (or application/octet-stream for a file)",
            ))
        } else {
            Ok(())
        }
    });
    let mut res = match check {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    };
    add_headers(res.headers_mut());
    res
}

fn add_headers(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// Body of `POST /login`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    token: String,
}

/// `POST /login` with `{"token": "..."}`: with the right token, sets the `pactum_token`
/// cookie (HttpOnly, SameSite=Strict) and answers 204. The token travels in the body only,
/// so it never lands in a URL, a browser's history or a proxy's log.
pub async fn login(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let req: LoginRequest = parse_json(&body_bytes(body)?)?;
    let Some(token) = &state.token else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    if !same(req.token.as_bytes(), token.as_bytes()) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "wrong token",
        ));
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    let value = format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/");
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn loopback_hosts() {
        for ok in [
            "127.0.0.1:8700",
            "localhost",
            "LOCALHOST:1",
            "[::1]:8700",
            "127.1.2.3",
        ] {
            assert!(loopback_host(&with(header::HOST, ok)), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8700",
            "10.0.0.1:8700",
            "[::2]:1",
        ] {
            assert!(!loopback_host(&with(header::HOST, bad)), "{bad}");
        }
        assert!(loopback_host(&HeaderMap::new()));
    }

    #[test]
    fn tokens_from_header_or_cookie() {
        let t = "0123456789abcdef";
        assert!(authorised(
            &with(header::AUTHORIZATION, "Bearer 0123456789abcdef"),
            t
        ));
        assert!(!authorised(
            &with(header::AUTHORIZATION, "Bearer 0123456789abcdeg"),
            t
        ));
        assert!(authorised(
            &with(header::COOKIE, "a=b; pactum_token=0123456789abcdef"),
            t
        ));
        assert!(!authorised(&with(header::COOKIE, "pactum_token=x"), t));
        assert!(!authorised(&HeaderMap::new(), t));
    }

    #[test]
    fn form_types_are_refused() {
        assert!(form_content_type(&with(
            header::CONTENT_TYPE,
            "text/plain;charset=UTF-8"
        )));
        assert!(form_content_type(&HeaderMap::new()));
        assert!(!form_content_type(&with(
            header::CONTENT_TYPE,
            "application/json"
        )));
        assert!(!form_content_type(&with(
            header::CONTENT_TYPE,
            "application/octet-stream"
        )));
    }
}
