//! The audit runner: runs every selected check concurrently on one shared context, bounds each by
//! the audit deadline, turns errors, panics and overruns into `check.error`, and collects
//! findings and measurements. It neither ranks nor renders, and names no check's internals.

/// The run types live in [`crate::model`]; these re-exports keep the old paths working.
pub(crate) use crate::model::{AuditOutcome, CheckRun, CheckStatus, now_rfc3339};

use crate::catalogue;
use crate::checks::{self, CheckError, Cx, Sink};
use crate::model::{CheckName, Finding, Measurement, Measurements};
use crate::progress::{Outcome, Progress};
use futures::future::BoxFuture;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc;

/// A unit of work for the runner: given its sink, the future that runs one check.
pub type Job = Box<dyn FnOnce(Sink) -> BoxFuture<'static, Result<(), CheckError>> + Send>;

/// Runs the `selected` registered checks concurrently on the shared context.
pub async fn run(cx: Arc<Cx>, selected: &[CheckName], progress: &Progress) -> AuditOutcome {
    let jobs: Vec<(CheckName, Job)> = checks::ALL
        .iter()
        .filter(|c| selected.contains(&c.name()))
        .map(|check| {
            let cx = cx.clone();
            let job: Job = Box::new(move |sink: Sink| check.run(cx, sink));
            (check.name(), job)
        })
        .collect();
    let listed: Vec<CheckName> = checks::ALL.iter().map(|c| c.name()).collect();
    run_jobs(jobs, cx.deadline, progress, &listed).await
}

/// Runs jobs concurrently, each bounded by `deadline`; errors, panics and overruns become
/// `check.error`. `listed` are the checks reported in `checks[]` (unrun ones as skipped).
pub async fn run_jobs(
    jobs: Vec<(CheckName, Job)>,
    deadline: tokio::time::Instant,
    progress: &Progress,
    listed: &[CheckName],
) -> AuditOutcome {
    let started_at = now_rfc3339();
    let t0 = Instant::now();
    let budget = deadline.saturating_duration_since(tokio::time::Instant::now());
    let (tx, mut rx) = mpsc::unbounded_channel::<Finding>();
    let (mtx, mut mrx) = mpsc::unbounded_channel::<Measurement>();
    let mut tasks = Vec::new();
    for (name, job) in jobs {
        let sink = Sink::new(tx.clone(), mtx.clone());
        let fut = job(sink.clone());
        let bar = progress.start(name);
        let task_bar = bar.clone();
        let counter = sink.clone();
        // Each task finishes its own progress line the moment it ends, so a slow check listed
        // first does not hold back the others' state.
        let handle = tokio::spawn(async move {
            let t = Instant::now();
            let result = tokio::time::timeout_at(deadline, fut).await;
            let elapsed = t.elapsed();
            let outcome = match &result {
                Ok(Ok(())) => Outcome::Done(counter.pushed()),
                Ok(Err(e)) => Outcome::Error(e.to_string()),
                Err(_) => Outcome::Error("did not finish before the audit deadline".into()),
            };
            task_bar.finish(&outcome, elapsed);
            (result, elapsed)
        });
        tasks.push((name, sink, bar, handle));
    }
    drop(tx);
    drop(mtx);
    let mut runs = Vec::new();
    let mut errored = Vec::new();
    for (name, sink, bar, handle) in tasks {
        let (error, elapsed) = match handle.await {
            Ok((Ok(Ok(())), el)) => (None, el),
            Ok((Ok(Err(e)), el)) => (Some(e.to_string()), el),
            Ok((Err(_), el)) => (
                Some(format!(
                    "did not finish before the audit deadline ({}); findings so far are kept",
                    deadline_text(budget)
                )),
                el,
            ),
            Err(join) => (
                Some(if join.is_panic() {
                    "the check crashed (internal error); please report it".to_string()
                } else {
                    "the check was cancelled".to_string()
                }),
                t0.elapsed(),
            ),
        };
        if let Some(cause) = &error {
            sink.push(catalogue::CHECK_ERROR.finding(
                name.as_str(),
                format!("the {name} check could not complete"),
                cause.clone(),
            ));
            errored.push(name);
        }
        // Only a crashed or cancelled task left its line unfinished.
        bar.abandon();
        runs.push((name, elapsed, error, sink.skip_reason()));
    }
    let mut findings = Vec::new();
    while let Some(f) = rx.recv().await {
        findings.push(f);
    }
    let mut measurements = Measurements::default();
    while let Some(m) = mrx.recv().await {
        measurements.add(m);
    }
    let mut checks = Vec::new();
    for c in CheckName::SELECTABLE {
        if let Some((name, elapsed, err, skip)) = runs.iter().find(|(n, _, _, _)| *n == c) {
            let has = findings
                .iter()
                .any(|f| f.check == *name && f.id != catalogue::CHECK_ERROR.id);
            let (status, reason, incomplete) = match (err, skip) {
                (Some(cause), _) => (CheckStatus::Error, Some(cause.clone()), true),
                (None, Some(s)) if !s.cause && !has => {
                    (CheckStatus::Skipped, Some(s.reason.clone()), false)
                }
                // Probed in part: the status says what was found, `incomplete` the gap.
                (None, Some(s)) if has => (CheckStatus::Findings, Some(s.reason.clone()), s.cause),
                (None, Some(s)) => (CheckStatus::Ok, Some(s.reason.clone()), s.cause),
                (None, None) if has => (CheckStatus::Findings, None, false),
                (None, None) => (CheckStatus::Ok, None, false),
            };
            checks.push(CheckRun {
                check: *name,
                status,
                duration_ms: elapsed.as_millis() as u64,
                reason,
                incomplete,
            });
        } else if listed.contains(&c) {
            checks.push(CheckRun::not_selected(c));
        }
    }
    AuditOutcome {
        findings,
        checks,
        measurements,
        started_at,
        duration_ms: t0.elapsed().as_millis() as u64,
    }
}

/// A deadline as people say it: "1 s", "2.5 s", "2 min".
pub fn deadline_text(d: std::time::Duration) -> String {
    // The budget is measured a moment after the deadline was set: round to the nearest 100 ms.
    let tenths = (d.as_millis() + 50) / 100;
    if tenths >= 1200 && tenths.is_multiple_of(600) {
        format!("{} min", tenths / 600)
    } else if tenths.is_multiple_of(10) {
        format!("{} s", tenths / 10)
    } else {
        format!("{}.{} s", tenths / 10, tenths % 10)
    }
}
