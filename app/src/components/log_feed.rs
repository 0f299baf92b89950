//! What the live logs page holds: the rows shown, the lines received while paused, and the
//! reader's choices (filter, pause, follow). The stream itself is in [`super::log_stream`].

// Only the browser build receives lines; the server renders the empty page.
#![cfg_attr(not(feature = "hydrate"), allow(dead_code))]

use std::sync::Arc;
use std::time::Duration;

use leptos::html::Div;
use leptos::prelude::*;
use domain::runtime::LogLine;

/// Rows kept on the page; older ones are removed (the download has what the portal keeps).
pub const MAX_ROWS: usize = 5_000;
/// How often received lines are put on the page: one update for many lines keeps a fast
/// stream from redrawing the page for each line.
pub const FLUSH_EVERY: Duration = Duration::from_millis(200);

/// Where the connection to the stream is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Connection {
    /// Not started: the server-rendered page, or JavaScript is off.
    Off,
    Connecting,
    Connected,
    /// The browser lost the stream and is reconnecting; it resumes after the last line.
    Reconnecting,
    Disconnected(String),
}

/// One row of the panel: a line, or a note about the stream (lines dropped, a problem).
#[derive(Debug, PartialEq, Eq)]
pub enum Row {
    Line { key: u64, line: LogLine, lowercase: String },
    Note { key: u64, text: String },
}

impl Row {
    pub fn key(&self) -> u64 {
        match self {
            Self::Line { key, .. } | Self::Note { key, .. } => *key,
        }
    }

    /// Whether the row stays visible under `filter` (lowercase): notes always do.
    pub fn shown_with(&self, filter: &str) -> bool {
        match self {
            Self::Line { lowercase, .. } => lowercase.contains(filter),
            Self::Note { .. } => true,
        }
    }
}

/// The page's state. Every field is a handle, so the feed is `Copy` into event handlers.
#[derive(Clone, Copy)]
pub struct LogFeed {
    pub rows: RwSignal<Vec<Arc<Row>>>,
    /// Received, not shown yet: waiting for the next flush, or for Resume.
    pending: StoredValue<Vec<Arc<Row>>>,
    /// Lines received while paused.
    pub held: RwSignal<usize>,
    /// Lines removed from the top of the page to keep it at [`MAX_ROWS`].
    pub trimmed: RwSignal<u64>,
    pub paused: RwSignal<bool>,
    pub follow: RwSignal<bool>,
    pub filter: RwSignal<String>,
    pub connection: RwSignal<Connection>,
    pub panel: NodeRef<Div>,
    next_key: StoredValue<u64>,
}

impl Default for LogFeed {
    fn default() -> Self {
        Self {
            rows: RwSignal::new(Vec::new()),
            pending: StoredValue::new(Vec::new()),
            held: RwSignal::new(0),
            trimmed: RwSignal::new(0),
            paused: RwSignal::new(false),
            follow: RwSignal::new(true),
            filter: RwSignal::new(String::new()),
            connection: RwSignal::new(Connection::Off),
            panel: NodeRef::new(),
            next_key: StoredValue::new(0),
        }
    }
}

impl LogFeed {
    /// Takes a line from the stream; it shows at the next flush unless paused.
    pub fn receive_line(&self, line: LogLine) {
        let lowercase = line.text.to_lowercase();
        self.push(|key| Row::Line { key, line, lowercase });
    }

    /// Takes a note about the stream, shown in order with the lines.
    pub fn receive_note(&self, text: String) {
        self.push(|key| Row::Note { key, text });
    }

    fn push(&self, row: impl FnOnce(u64) -> Row) {
        let Some(key) = self.next_key.try_update_value(|key| {
            *key += 1;
            *key
        }) else {
            return;
        };
        let row = Arc::new(row(key));
        let trimmed = self.pending.try_update_value(|pending| {
            pending.push(row);
            // A long pause must not grow the page without bound either.
            let over = pending.len().saturating_sub(MAX_ROWS);
            pending.drain(..over).filter(|row| matches!(**row, Row::Line { .. })).count()
        });
        self.count_trimmed(trimmed.unwrap_or(0));
    }

    /// Puts what was received on the page (unless paused) and keeps at most [`MAX_ROWS`];
    /// returns whether rows were added.
    pub fn flush(&self) -> bool {
        if self.paused.get_untracked() {
            let held = self.pending.try_with_value(|pending| pending.iter().filter(|row| matches!(***row, Row::Line { .. })).count());
            if let Some(held) = held.filter(|held| self.held.try_get_untracked() != Some(*held)) {
                self.held.set(held);
            }
            return false;
        }
        let fresh = self.pending.try_update_value(std::mem::take).unwrap_or_default();
        if fresh.is_empty() {
            return false;
        }
        let trimmed = self.rows.try_update(|rows| {
            rows.extend(fresh);
            let over = rows.len().saturating_sub(MAX_ROWS);
            rows.drain(..over).filter(|row| matches!(**row, Row::Line { .. })).count()
        });
        self.count_trimmed(trimmed.unwrap_or(0));
        true
    }

    fn count_trimmed(&self, count: usize) {
        if count > 0 {
            self.trimmed.try_update(|total| *total += count as u64);
        }
    }

    pub fn pause(&self) {
        self.paused.set(true);
    }

    /// Shows everything held while paused, and counts from zero again.
    pub fn resume(&self) {
        self.paused.set(false);
        self.held.set(0);
        if self.flush() && self.follow.get_untracked() {
            self.scroll_to_end();
        }
    }

    /// Scrolls the panel to its newest line once the page has drawn what was just added.
    pub fn scroll_to_end(&self) {
        let panel = self.panel;
        request_animation_frame(move || {
            if let Some(panel) = panel.get_untracked() {
                panel.set_scroll_top(panel.scroll_height());
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> LogLine {
        let at = "2026-11-22T10:31:05Z";
        let json = serde_json::json!({ "at": at, "instance": "1", "source": "stdout", "text": text });
        serde_json::from_value(json).expect("a line")
    }

    #[test]
    fn paused_lines_are_counted_and_shown_on_resume_and_the_page_keeps_the_newest() {
        let owner = Owner::new();
        owner.set();
        let feed = LogFeed::default();
        feed.receive_line(line("first"));
        assert!(feed.flush());
        feed.paused.set(true);
        feed.receive_line(line("second"));
        feed.receive_note("3 lines dropped".into());
        assert!(!feed.flush());
        assert_eq!(feed.held.get_untracked(), 1);
        assert_eq!(feed.rows.with_untracked(Vec::len), 1);
        feed.paused.set(false);
        assert!(feed.flush());
        assert_eq!(feed.rows.with_untracked(Vec::len), 3);

        for n in 0..MAX_ROWS {
            feed.receive_line(line(&format!("line {n}")));
        }
        feed.flush();
        assert_eq!(feed.rows.with_untracked(Vec::len), MAX_ROWS);
        assert_eq!(feed.trimmed.get_untracked(), 2, "first and second were removed; the note is not a line");
    }

    #[test]
    fn the_filter_ignores_case_and_keeps_notes() {
        let row = Row::Line { key: 1, line: line("GET /Orders"), lowercase: "get /orders".into() };
        assert!(row.shown_with("orders"));
        assert!(!row.shown_with("basket"));
        assert!(Row::Note { key: 2, text: "dropped".into() }.shown_with("basket"));
    }
}
