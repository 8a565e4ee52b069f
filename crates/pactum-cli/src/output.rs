//! Writing results: whole files written atomically, numbers formatted for people.

use crate::Failure;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Writes `text` to `path` via a temporary file in the same folder and a rename, so a
/// failure never leaves a partial file. `-` writes to standard output.
pub fn write_atomic(path: &str, text: &str) -> Result<(), Failure> {
    write_bytes_atomic(path, text.as_bytes())
}

/// [`write_atomic`] for any bytes (workbooks).
pub fn write_bytes_atomic(path: &str, bytes: &[u8]) -> Result<(), Failure> {
    if path == "-" {
        let mut out = std::io::stdout().lock();
        return out
            .write_all(bytes)
            .and_then(|()| out.flush())
            .map_err(|e| Failure::Runtime(format!("<stdout>: cannot write: {e}")));
    }
    let target = Path::new(path);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    // A temporary file is private (0600); the result should get the usual mode (0666 less
    // the umask), like any file the user writes.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| {
        Failure::Runtime(format!(
            "{path}: cannot create a file in {}: {e}",
            dir.display()
        ))
    })?;
    tmp.write_all(bytes)
        .map_err(|e| Failure::Runtime(format!("{path}: cannot write: {e}")))?;
    tmp.persist(target)
        .map_err(|e| Failure::Runtime(format!("{path}: cannot write: {}", e.error)))?;
    Ok(())
}

/// Decimals to show for values on a scale of width `range`: about four significant digits
/// of the scale (years on 4–10: 3 decimals; percent 0–100: 1; tonnes 0–100,000: 0).
pub fn decimals(range: f64) -> usize {
    if !(range.is_finite() && range > 0.0) {
        return 2;
    }
    (3 - range.log10().floor() as i32).clamp(0, 3) as usize
}

/// Formats `x` with `d` decimals, or `—` when absent.
pub fn num(x: Option<f64>, d: usize) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v:.d$}"),
        _ => "—".to_string(),
    }
}

/// Pads `s` to `w` characters (by chars, not bytes).
pub fn pad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n >= w {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

/// Right-aligns `s` in `w` characters.
pub fn rpad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n >= w {
        s.to_string()
    } else {
        format!("{}{s}", " ".repeat(w - n))
    }
}

/// Draws a progress bar on standard error while the run lasts, from one second on, and
/// only when standard error is a terminal; `done` counts finished `unit`s (e.g. draws).
pub fn watch_progress<T>(
    worker: &std::thread::ScopedJoinHandle<'_, T>,
    done: &AtomicU64,
    total: u64,
    unit: &str,
) {
    if !std::io::stderr().is_terminal() {
        return;
    }
    let start = Instant::now();
    let mut bar: Option<ProgressBar> = None;
    while !worker.is_finished() {
        std::thread::sleep(Duration::from_millis(10));
        if start.elapsed() < Duration::from_secs(1) {
            continue;
        }
        let b = bar.get_or_insert_with(|| {
            let b = ProgressBar::new(total);
            if let Ok(style) = ProgressStyle::with_template(&format!(
                "{{bar:40}} {{pos}}/{{len}} {unit} ({{eta}} left)"
            )) {
                b.set_style(style);
            }
            b
        });
        b.set_position(done.load(Ordering::Relaxed));
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
}
