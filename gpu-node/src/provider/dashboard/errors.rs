//! The node's last warnings and errors, for the dashboard: a `tracing` layer keeps the
//! newest [`KEPT`] events at level WARN or above, each as one line of words.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

/// How many are kept.
pub const KEPT: usize = 20;

/// One warning or error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoggedError {
    /// Unix seconds.
    pub at: u64,
    /// `warn` or `error`.
    pub level: &'static str,
    /// The event's message, then its fields (`lease_id=7, error=…`).
    pub message: String,
}

/// The newest warnings; clones share them. Install as a layer of the node's logger.
#[derive(Debug, Clone, Default)]
pub struct RecentErrors(Arc<Mutex<VecDeque<LoggedError>>>);

impl RecentErrors {
    /// The kept events, newest first.
    pub fn newest_first(&self) -> Vec<LoggedError> {
        self.lock().iter().rev().cloned().collect()
    }

    fn push(&self, error: LoggedError) {
        let mut kept = self.lock();
        if kept.len() == KEPT {
            kept.pop_front();
        }
        kept.push_back(error);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<LoggedError>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl<S: Subscriber> Layer<S> for RecentErrors {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let level = *event.metadata().level();
        // Levels grow with verbosity: anything above WARN is INFO or chattier.
        if level > Level::WARN {
            return;
        }
        let mut line = Line::default();
        event.record(&mut line);
        self.push(LoggedError {
            at: super::board::unix_now(),
            level: if level == Level::ERROR {
                "error"
            } else {
                "warn"
            },
            message: line.finish(),
        });
    }
}

/// An event's message and fields as one line.
#[derive(Default)]
struct Line {
    message: String,
    fields: String,
}

impl Line {
    fn finish(self) -> String {
        match (self.message.is_empty(), self.fields.is_empty()) {
            (_, true) => self.message,
            (true, false) => self.fields,
            (false, false) => format!("{} ({})", self.message, self.fields),
        }
    }
}

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            if !self.fields.is_empty() {
                self.fields.push_str(", ");
            }
            let _ = write!(self.fields, "{}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            self.record_debug(field, &value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::layer::SubscriberExt as _;

    #[test]
    fn keeps_the_newest_warnings_with_their_fields_and_nothing_quieter() {
        let errors = RecentErrors::default();
        let subscriber = tracing_subscriber::registry().with(errors.clone());
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!("serving");
            for lease_id in 0..(KEPT as u64 + 5) {
                tracing::warn!(lease_id, error = "Kubo down", "lease step failed");
            }
            tracing::error!("cannot record the job's result");
        });
        let kept = errors.newest_first();
        assert_eq!(kept.len(), KEPT);
        assert_eq!(kept[0].level, "error");
        assert_eq!(kept[0].message, "cannot record the job's result");
        assert_eq!(kept[1].level, "warn");
        assert_eq!(
            kept[1].message,
            format!(
                "lease step failed (lease_id={}, error=\"Kubo down\")",
                KEPT + 4
            )
        );
        assert!(kept.iter().all(|e| e.message != "serving"));
    }
}
