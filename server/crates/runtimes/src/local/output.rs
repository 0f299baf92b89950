//! A local environment's output: the recent lines, kept for whoever starts following, and a
//! channel for the lines still to come.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

use domain::runtime::{LogLine, LogSource};
use time::OffsetDateTime;
use tokio::io::{AsyncBufRead, AsyncBufReadExt};
use tokio::sync::broadcast;

/// Lines kept per environment for followers who ask for a tail.
const RECENT_LINES: usize = 1000;
/// Lines a follower may fall behind before it is told some were dropped.
const CHANNEL_LINES: usize = 1024;
/// Longer lines are cut: a process that never writes a newline must not fill the memory.
pub const MAX_LINE_BYTES: usize = 16 * 1024;

pub struct Output {
    recent: Mutex<VecDeque<LogLine>>,
    sender: broadcast::Sender<LogLine>,
}

impl Default for Output {
    fn default() -> Self {
        Self { recent: Mutex::new(VecDeque::with_capacity(RECENT_LINES)), sender: broadcast::channel(CHANNEL_LINES).0 }
    }
}

impl Output {
    pub fn push(&self, line: LogLine) {
        let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
        if recent.len() == RECENT_LINES {
            recent.pop_front();
        }
        recent.push_back(line.clone());
        // Sent under the lock, so that `follow` never sees a line both in its tail and live.
        let _nobody_listening = self.sender.send(line);
    }

    /// A line from the portal itself: a process started, exited, was stopped.
    pub fn note(&self, instance: &str, text: String) {
        self.push(LogLine { at: OffsetDateTime::now_utc(), instance: instance.to_owned(), source: LogSource::Portal, text });
    }

    /// The last `tail` lines and a receiver for every line after them.
    pub fn follow(&self, tail: u32) -> (Vec<LogLine>, broadcast::Receiver<LogLine>) {
        let recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
        let skip = recent.len().saturating_sub(usize::try_from(tail).unwrap_or(usize::MAX));
        (recent.iter().skip(skip).cloned().collect(), self.sender.subscribe())
    }
}

/// Reads `reader` line by line into `output` until it ends, cutting lines longer than
/// [`MAX_LINE_BYTES`]. Bytes that are not UTF-8 are shown as replacement characters.
pub async fn capture(mut reader: impl AsyncBufRead + Unpin, output: &Output, instance: &str, source: LogSource) {
    let mut line: Vec<u8> = Vec::new();
    let mut cut = false;
    loop {
        let chunk = match reader.fill_buf().await {
            Ok([]) | Err(_) => break,
            Ok(chunk) => chunk,
        };
        let (taken, ends_line) = match chunk.iter().position(|b| *b == b'\n') {
            Some(at) => (at + 1, true),
            None => (chunk.len(), false),
        };
        let room = MAX_LINE_BYTES.saturating_sub(line.len());
        let body = &chunk[..if ends_line { taken - 1 } else { taken }];
        line.extend_from_slice(&body[..body.len().min(room)]);
        cut |= body.len() > room;
        reader.consume(taken);
        if ends_line {
            emit(output, instance, source, &mut line, &mut cut);
        }
    }
    if !line.is_empty() {
        emit(output, instance, source, &mut line, &mut cut);
    }
}

fn emit(output: &Output, instance: &str, source: LogSource, line: &mut Vec<u8>, cut: &mut bool) {
    let mut text = String::from_utf8_lossy(line).trim_end_matches('\r').to_owned();
    if *cut {
        text.push_str(" …[line cut at 16 KiB]");
    }
    output.push(LogLine { at: OffsetDateTime::now_utc(), instance: instance.to_owned(), source, text });
    line.clear();
    *cut = false;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lines_are_split_and_overlong_ones_cut() {
        let output = Output::default();
        let long = "x".repeat(MAX_LINE_BYTES + 10);
        let input = format!("first\r\n{long}\nlast without newline");
        capture(input.as_bytes(), &output, "1", LogSource::Stdout).await;
        let (lines, _) = output.follow(10);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts[0], "first");
        assert!(texts[1].starts_with("xxx") && texts[1].ends_with("[line cut at 16 KiB]"));
        assert_eq!(texts[1].len(), MAX_LINE_BYTES + " …[line cut at 16 KiB]".len());
        assert_eq!(texts[2], "last without newline");
    }

    #[tokio::test]
    async fn a_follower_gets_the_tail_then_new_lines_without_repeats() {
        let output = Output::default();
        for i in 0..5 {
            output.note("p", format!("line {i}"));
        }
        let (tail, mut live) = output.follow(2);
        output.note("p", "line 5".into());
        let tail: Vec<&str> = tail.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(tail, ["line 3", "line 4"]);
        assert_eq!(live.recv().await.expect("live line").text, "line 5");
    }
}
