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

impl LogLine {
    /// The time of day, `HH:MM:SS` in UTC, as the log panel shows it.
    pub fn clock(&self) -> String {
        let at = self.at.to_offset(time::UtcOffset::UTC);
        format!("{:02}:{:02}:{:02}", at.hour(), at.minute(), at.second())
    }

    /// The whole time, RFC 3339.
    pub fn timestamp(&self) -> String {
        self.at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
    }
}
