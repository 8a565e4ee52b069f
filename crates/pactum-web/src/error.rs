//! Every failure as a JSON body with a 4xx code for bad requests (5xx only for storage
//! failures), in one shape:
//! `{"error": {"status", "kind", "message", "hint"?, "location"?}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pactum::{InputError, ModelError};
use serde_json::{Value, json};

use crate::store::StoreError;

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable word for programs: `input`, `bad_request`, `not_found`, …
    pub kind: &'static str,
    /// What went wrong, in words.
    pub message: String,
    /// A suggestion for the fix.
    pub hint: Option<String>,
    /// Where in the scenario the problem is (`file`, `line`, `column`, `field`, `path`).
    pub location: Option<Value>,
}

impl ApiError {
    /// An error with no hint or location.
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: message.into(),
            hint: None,
            location: None,
        }
    }

    /// 400: the request itself is malformed.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 404.
    pub fn not_found(what: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", what)
    }

    /// 422 from a scenario that does not read or validate. `text` is the native TOML the
    /// scenario was checked as, when it came as JSON: its line tells which actor, issue or
    /// stance the error is in (`path`, e.g. `stances[2].salience`).
    pub fn input(e: InputError, text: Option<&str>) -> Self {
        let loc = &e.location;
        let path = text.and_then(|t| table_path(t, loc.line, loc.field.as_deref()));
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            kind: "input",
            message: e.message.clone(),
            hint: e.hint.clone(),
            location: Some(json!({
                "file": loc.file,
                "line": loc.line,
                "column": loc.column,
                "field": loc.field,
                "path": path,
                "text": loc.to_string(),
            })),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let mut e = json!({
            "status": self.status.as_u16(),
            "kind": self.kind,
            "message": self.message,
        });
        if let Some(h) = &self.hint {
            e["hint"] = json!(h);
        }
        if let Some(l) = &self.location {
            e["location"] = l.clone();
        }
        json!({ "error": e })
    }
}

impl From<ModelError> for ApiError {
    fn from(e: ModelError) -> Self {
        match e {
            ModelError::Unsuitable(_) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "model", e.to_string())
            }
            ModelError::UnknownModel(_) => {
                ApiError::new(StatusCode::BAD_REQUEST, "model", e.to_string())
                    .with_hint("GET /api/models lists the models")
            }
            ModelError::Parameter { .. } => {
                ApiError::new(StatusCode::BAD_REQUEST, "parameter", e.to_string())
            }
            _ => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "model", e.to_string()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "storage", e.to_string())
    }
}

impl ApiError {
    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}

/// `actors[k].field`, `issues[k].field`, `stances[k].field` or `sides[k].field` for an
/// error at `line` of
/// the native TOML `text` (written by `pactum::io::native::write`, one `[[table]]` header
/// per entry).
pub fn table_path(text: &str, line: Option<usize>, field: Option<&str>) -> Option<String> {
    let line = line?;
    let mut counts = [
        ("actors", 0usize),
        ("issues", 0),
        ("stances", 0),
        ("sides", 0),
    ];
    let mut current: Option<usize> = None;
    for l in text.lines().take(line) {
        let t = l.trim();
        for (k, (name, n)) in counts.iter_mut().enumerate() {
            if t == format!("[[{name}]]") {
                *n += 1;
                current = Some(k);
            }
        }
        let known = counts.iter().any(|(name, _)| t == format!("[[{name}]]"));
        // A sub-table (`[sides.members]`) belongs to the entry above it.
        let sub = current.is_some_and(|k| t.starts_with(&format!("[{}.", counts[k].0)));
        if t.starts_with('[') && !known && !sub {
            current = None;
        }
    }
    let (name, n) = counts[current?];
    let base = format!("{name}[{}]", n - 1);
    Some(match field {
        Some(f) if !f.starts_with(name) => format!("{base}.{f}"),
        _ => base,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_names_the_table_entry() {
        let text = "title = \"x\"\n\n[[actors]]\nid = \"a\"\n\n[[actors]]\nid = \"b\"\n\n[[stances]]\nactor = \"a\"\nsalience = 2\n";
        assert_eq!(
            table_path(text, Some(11), Some("salience")).as_deref(),
            Some("stances[0].salience")
        );
        assert_eq!(
            table_path(text, Some(7), Some("id")).as_deref(),
            Some("actors[1].id")
        );
        assert_eq!(table_path(text, Some(1), Some("title")), None);
        let sides = format!("{text}\n[[sides]]\nid = \"s\"\nratification = {{ threshold = 2 }}\n");
        assert_eq!(
            table_path(&sides, Some(15), Some("ratification")).as_deref(),
            Some("sides[0].ratification")
        );
        let members = format!("{sides}[sides.members]\nx = [\"a\"]\n");
        assert_eq!(
            table_path(&members, Some(17), Some("members")).as_deref(),
            Some("sides[0].members")
        );
        let models = format!("{sides}[models.bdm]\nq = 1\n");
        assert_eq!(table_path(&models, Some(17), Some("q")), None);
        assert_eq!(table_path(text, None, Some("title")), None);
    }
}
