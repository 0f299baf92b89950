//! The live log stream's wire format, written by the server and read by the browser: one
//! server-sent event each, its `event:` name from [`LogEvent::name`] and its `data:` JSON from
//! [`LogEvent::data`]. Both sides use this type, so a rename on one side cannot silently break
//! the other.

use serde::{Deserialize, Serialize};

use super::LogLine;

/// One event of the stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogEvent {
    /// A line of output (its `id:` is set by the server, for resuming).
    Line(LogLine),
    /// The reader fell behind and this many lines were skipped.
    Dropped(Dropped),
    /// The runtime could not be read; the portal keeps trying.
    Problem(StreamProblem),
    /// The stream started over (the feed was restarted): lines around here may be missing.
    Restarted,
}

/// The data of a `dropped` event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dropped {
    pub count: u64,
}

/// The data of a `problem` event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamProblem {
    pub message: String,
}

impl LogEvent {
    /// Every event name the stream sends, for the browser to listen to.
    pub const NAMES: [&'static str; 4] = ["line", "dropped", "problem", "restarted"];

    /// The event's `event:` name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Line(_) => Self::NAMES[0],
            Self::Dropped(_) => Self::NAMES[1],
            Self::Problem(_) => Self::NAMES[2],
            Self::Restarted => Self::NAMES[3],
        }
    }

    /// The event's `data:` as JSON.
    pub fn data(&self) -> String {
        let json = match self {
            Self::Line(line) => serde_json::to_string(line),
            Self::Dropped(dropped) => serde_json::to_string(dropped),
            Self::Problem(problem) => serde_json::to_string(problem),
            Self::Restarted => Ok("{}".to_owned()),
        };
        json.unwrap_or_else(|_| "{}".to_owned())
    }

    /// The event named `name` with `data`, or `None` for a name or data this version does not
    /// know.
    pub fn decode(name: &str, data: &str) -> Option<Self> {
        Some(match name {
            "line" => Self::Line(serde_json::from_str(data).ok()?),
            "dropped" => Self::Dropped(serde_json::from_str(data).ok()?),
            "problem" => Self::Problem(serde_json::from_str(data).ok()?),
            "restarted" => Self::Restarted,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::runtime::LogSource;

    #[test]
    fn every_event_survives_the_wire_and_lines_read_as_before() {
        let line = LogLine { at: datetime!(2026-11-22 10:31:05 UTC), instance: "web-1".into(), source: LogSource::Stderr, text: "boom".into() };
        assert_eq!((line.clock(), line.timestamp()), ("10:31:05".to_owned(), "2026-11-22T10:31:05Z".to_owned()));
        let events = [
            LogEvent::Line(line),
            LogEvent::Dropped(Dropped { count: 3 }),
            LogEvent::Problem(StreamProblem { message: "unreachable".into() }),
            LogEvent::Restarted,
        ];
        for event in events {
            assert_eq!(LogEvent::decode(event.name(), &event.data()), Some(event.clone()));
        }
        let sent = LogEvent::decode("line", r#"{"at":"2026-11-22T10:31:05Z","instance":"1","source":"stdout","text":"hi"}"#);
        assert!(matches!(sent, Some(LogEvent::Line(line)) if line.source == LogSource::Stdout && line.text == "hi"));
        assert_eq!(LogEvent::decode("unknown", "{}"), None);
    }
}
