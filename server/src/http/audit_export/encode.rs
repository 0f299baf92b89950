//! The export's bytes: CSV for spreadsheets, JSON for programs, produced batch by batch as the
//! client reads, so that only one batch is ever held in memory.

use std::borrow::Cow;
use std::io;

use axum::body::{Body, Bytes};
use domain::audit::{Event, canonical_json, format_time_exact};
use futures_util::{StreamExt, stream};

use crate::store::audit::AuditExport;

/// The export's file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One row per event; cells a spreadsheet would run as formulas are neutralised.
    Csv,
    /// One JSON array of events exactly as recorded: the format to re-check hashes with.
    Json,
}

impl Format {
    /// The file name's extension, also recorded in the export's audit event.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }

    /// The `Content-Type` of the download.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Json => "application/json",
        }
    }
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 16] = [
    "seq", "time", "at_micros", "actor", "token_id", "origin", "action", "service", "environment", "inputs", "outcome",
    "reason", "request_id", "client_addr", "prev_hash", "hash",
];

/// Where the stream is.
enum Step {
    Start(AuditExport),
    /// `true` until the first event has been written (JSON needs no separator before it).
    Rows(AuditExport, bool),
    Done,
}

/// The response body: the header or opening bracket, a chunk per batch, then the closing
/// bracket. A storage error ends the body with an error, so that the connection is cut and
/// the client sees a broken download rather than a file that merely looks complete.
pub fn body(format: Format, export: AuditExport, request_id: Option<String>) -> Body {
    let chunks = stream::unfold(Step::Start(export), move |step| {
        let request_id = request_id.clone();
        async move {
            match step {
                Step::Start(export) => Some((start(format), Step::Rows(export, true))),
                Step::Rows(mut export, first) => match export.next_batch().await {
                    Ok(Some(events)) => {
                        let chunk = rows(format, &events, first);
                        // Encoding into memory cannot fail with these types; were it to, stop there.
                        let next = if chunk.is_ok() { Step::Rows(export, false) } else { Step::Done };
                        Some((chunk, next))
                    }
                    Ok(None) => (format == Format::Json).then(|| (Ok(Bytes::from_static(b"]\n")), Step::Done)),
                    Err(error) => {
                        let request_id = request_id.as_deref().unwrap_or("unknown");
                        tracing::error!(%request_id, %error, "the audit export failed part-way; the download is cut short");
                        Some((Err(io::Error::other("the audit export failed part-way")), Step::Done))
                    }
                },
                Step::Done => None,
            }
        }
    });
    // Fused: the compression layer polls once more after the end, which `unfold` forbids.
    Body::from_stream(chunks.fuse())
}

fn start(format: Format) -> io::Result<Bytes> {
    match format {
        Format::Csv => csv_chunk(|writer| writer.write_record(CSV_COLUMNS)),
        Format::Json => Ok(Bytes::from_static(b"[")),
    }
}

fn rows(format: Format, events: &[Event], first: bool) -> io::Result<Bytes> {
    match format {
        Format::Csv => csv_chunk(|writer| events.iter().try_for_each(|event| writer.write_record(csv_row(event).iter().map(|cell| cell.as_bytes())))),
        Format::Json => {
            let mut out = Vec::with_capacity(events.len() * 512);
            for (i, event) in events.iter().enumerate() {
                if i > 0 || !first {
                    out.extend_from_slice(b",\n");
                }
                serde_json::to_writer(&mut out, event)?;
            }
            Ok(out.into())
        }
    }
}

/// Runs `write` on a CSV writer into memory and returns what it wrote.
fn csv_chunk(write: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>) -> io::Result<Bytes> {
    // CRLF line ends, as RFC 4180 and spreadsheets expect.
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    write(&mut writer).map_err(io::Error::other)?;
    let bytes = writer.into_inner().map_err(|error| io::Error::other(error.to_string()))?;
    Ok(bytes.into())
}

/// One event's cells, in [`CSV_COLUMNS`] order.
fn csv_row(event: &Event) -> [Cow<'_, str>; 16] {
    let inputs = canonical_json(&event.inputs);
    [
        Cow::Owned(event.seq.to_string()),
        Cow::Owned(format_time_exact(event.at).unwrap_or_default()),
        Cow::Owned(event.at.to_string()),
        guard(&event.actor),
        optional(&event.token_id),
        Cow::Borrowed(event.origin.as_str()),
        guard(&event.action),
        optional(&event.service),
        optional(&event.environment),
        Cow::Owned(guard(&inputs).into_owned()),
        Cow::Borrowed(event.outcome.as_str()),
        optional(&event.reason),
        optional(&event.request_id),
        optional(&event.client_addr),
        guard(&event.prev_hash),
        guard(&event.hash),
    ]
}

/// An absent value is an empty cell.
fn optional(value: &Option<String>) -> Cow<'_, str> {
    guard(value.as_deref().unwrap_or_default())
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (some also after a leading
/// tab or carriage return) as a formula, which can fetch URLs or run commands when an auditor
/// opens the file. Such a cell gets a leading `'`, which spreadsheets show as plain text.
/// Every text cell is guarded, hashes included: a row edited by hand can hold anything.
fn guard(text: &str) -> Cow<'_, str> {
    if looks_like_formula(text) { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
}

fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}
