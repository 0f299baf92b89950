use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Which output a line came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogSource {
    Stdout,
    Stderr,
    /// A line the portal itself adds: a process started or exited, lines dropped.
    Portal,
}

/// One line of output from one instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The process, pod or task it came from.
    pub instance: String,
    pub source: LogSource,
    pub text: String,
}
