//! Production log readings recorded recently, so a follower that reconnects (a dropped
//! connection, a laptop waking up) resumes its recorded reading without a new audit event,
//! while a made-up `Last-Event-ID` never skips the record.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A reconnect within this long of the last one, into the same channel epoch, continues the
/// recorded reading.
const RESUME_WITHIN: Duration = Duration::from_secs(15 * 60);
/// Past this many remembered readings, expired ones are forgotten.
const PRUNE_ABOVE: usize = 10_000;

/// Who read which environment's logs in which epoch of its channel.
pub type ReadingKey = (String, String, String, String);

#[derive(Default)]
pub struct Readings {
    seen: Mutex<HashMap<ReadingKey, Instant>>,
}

impl Readings {
    /// Whether `key` continues a reading recorded within [`RESUME_WITHIN`]; if so, the window
    /// starts again, so a long reading with many reconnects stays one record.
    pub fn resumes(&self, key: &ReadingKey) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        match seen.get_mut(key) {
            Some(at) if at.elapsed() < RESUME_WITHIN => {
                *at = Instant::now();
                true
            }
            _ => false,
        }
    }

    /// Remembers a reading just recorded in the audit log.
    pub fn recorded(&self, key: ReadingKey) {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        if seen.len() > PRUNE_ABOVE {
            seen.retain(|_, at| at.elapsed() < RESUME_WITHIN);
        }
        seen.insert(key, Instant::now());
    }
}
