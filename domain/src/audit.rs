//! The audit log's events and the rule that chains them: each event's hash covers its content
//! and the previous event's hash, so editing, reordering or deleting one is detectable.

pub mod kinds;
mod event;
mod hash;
mod query;
mod redact;
mod time_text;

pub use event::{Event, NewEvent, Origin, Outcome};
pub use hash::{GENESIS_HASH, canonical_json, event_hash};
pub use query::{AuditPage, AuditQuery, DEFAULT_PER_PAGE, MAX_PER_PAGE};
pub use redact::redact;
pub use time_text::{format_time, format_time_exact, minute_text, parse_minute};
