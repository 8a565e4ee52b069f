//! The bounded pool heavy work runs on: model runs, Monte Carlo jobs, imports and the
//! validation of edited scenarios. At most [`Pool::size`] such jobs run at once (by
//! default one fewer than the machine's cores), so `/api/health` and small requests keep a
//! core while a large job runs; the others wait for a slot.
//!
//! With [`Limits`] (a server bound beyond loopback, with a token) a request waits at most
//! [`Limits::wait`] for a slot, else it is answered 503 `busy`, and at most
//! [`Limits::time_limit`] for its answer, else 504 `timed_out`. A job that ran out of time
//! is not interrupted (the library's engines have no cancellation point): it finishes in
//! the background, holding its slot, and its result is dropped, so the bound on concurrent
//! runs stays true.

use crate::error::ApiError;
use axum::http::StatusCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a request beyond loopback may wait for a slot, and for its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest wait for a free slot before the answer is 503 `busy`.
    pub wait: Duration,
    /// Longest wait for the job's result once it runs before the answer is 504
    /// `timed_out`.
    pub time_limit: Duration,
}

/// Default [`Limits::wait`]: 2 s.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(2);
/// Default [`Limits::time_limit`]: 30 s.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(30);

impl Default for Limits {
    fn default() -> Self {
        Limits {
            wait: DEFAULT_WAIT,
            time_limit: DEFAULT_TIME_LIMIT,
        }
    }
}

/// A bounded pool of blocking workers.
#[derive(Debug)]
pub struct Pool {
    permits: Arc<Semaphore>,
    size: usize,
    limits: Option<Limits>,
}

/// One fewer worker than the machine has cores, at least one.
pub fn default_size() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .saturating_sub(1)
        .max(1)
}

impl Pool {
    /// A pool of `size` slots (at least 1), with `limits` when requests must not queue
    /// or run without bound.
    pub fn new(size: usize, limits: Option<Limits>) -> Self {
        let size = size.max(1);
        Pool {
            permits: Arc::new(Semaphore::new(size)),
            size,
            limits,
        }
    }

    /// Number of jobs that may run at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The limits in force, if any.
    pub fn limits(&self) -> Option<Limits> {
        self.limits
    }

    /// Waits for a free slot (503 `busy` after [`Limits::wait`] when limits are set).
    pub async fn acquire(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        let acquire = self.permits.clone().acquire_owned();
        let permit = match self.limits {
            None => acquire.await,
            Some(l) => match tokio::time::timeout(l.wait, acquire).await {
                Ok(p) => p,
                Err(_) => return Err(busy(self.size)),
            },
        };
        permit.map_err(|_| internal("the worker pool is closed"))
    }

    /// Runs `job` on a blocking thread once a slot is free; the slot is held until the job
    /// returns, even when the request has timed out.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = self.acquire().await?;
        let task = tokio::task::spawn_blocking(move || {
            let _slot = permit;
            job()
        });
        let joined = match self.limits {
            None => task.await,
            Some(l) => match tokio::time::timeout(l.time_limit, task).await {
                Ok(j) => j,
                Err(_) => return Err(timed_out(l.time_limit)),
            },
        };
        joined.map_err(|e| internal(format!("a worker failed: {e}")))?
    }
}

fn internal(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
}

/// 503 `busy`: every slot stayed taken for the whole wait.
fn busy(size: usize) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "busy",
        format!("the server is busy: {size} model runs are in progress"),
    )
    .with_hint("retry in a few seconds")
}

/// 504 `timed_out`: the job did not finish within the time limit.
fn timed_out(limit: Duration) -> ApiError {
    ApiError::new(
        StatusCode::GATEWAY_TIMEOUT,
        "timed_out",
        format!(
            "the run did not finish within this server's time limit of {} s",
            limit.as_secs_f64()
        ),
    )
    .with_hint("ask for less work (fewer models, actors or draws), or run it with the command line")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn held(
        pool: &Arc<Pool>,
    ) -> (
        mpsc::Sender<()>,
        tokio::task::JoinHandle<Result<(), ApiError>>,
    ) {
        let (tx, rx) = mpsc::channel::<()>();
        let p = pool.clone();
        let handle = tokio::spawn(async move {
            p.run(move || {
                let _ = rx.recv();
                Ok(())
            })
            .await
        });
        (tx, handle)
    }

    async fn until_full(pool: &Pool) {
        while pool.permits.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_pool_answers_busy_and_a_long_job_times_out() {
        let limits = Limits {
            wait: Duration::from_millis(1),
            time_limit: Duration::from_millis(1),
        };
        let pool = Arc::new(Pool::new(1, Some(limits)));
        let (release, first) = held(&pool);
        until_full(&pool).await;
        let refused = pool.run(|| Ok(())).await.unwrap_err();
        assert_eq!(
            (refused.status, refused.kind),
            (StatusCode::SERVICE_UNAVAILABLE, "busy")
        );
        // The held job cannot finish before it is released: its request times out.
        let late = first.await.unwrap().unwrap_err();
        assert_eq!(
            (late.status, late.kind),
            (StatusCode::GATEWAY_TIMEOUT, "timed_out")
        );
        // It still holds its slot until it really ends.
        assert_eq!(pool.permits.available_permits(), 0);
        release.send(()).unwrap();
        while pool.permits.available_permits() == 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(pool.run(|| Ok(7)).await.unwrap(), 7);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn without_limits_requests_wait_for_a_slot() {
        let pool = Arc::new(Pool::new(1, None));
        let (release, first) = held(&pool);
        until_full(&pool).await;
        let p = pool.clone();
        let second = tokio::spawn(async move { p.run(|| Ok(2)).await });
        tokio::task::yield_now().await;
        assert!(!second.is_finished(), "the second job ran beside the first");
        release.send(()).unwrap();
        first.await.unwrap().unwrap();
        assert_eq!(second.await.unwrap().unwrap(), 2);
    }
}
