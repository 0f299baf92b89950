//! Failed sign-in attempts from nobody in particular (an unknown API token, a callback no
//! sign-in was waiting for) and sign-ins started, counted per client address.
//!
//! Each failure used to append its own audit event: a loop of junk requests then grew the log
//! without bound and queued every real audited change behind the chain's lock. Now a client's
//! first failure of a kind in each minute is recorded, with how many the minute before brought
//! beyond that one; the rest are counted, and past [`FAILURES_PER_MINUTE`] the client is told
//! to slow down (429) without a word written anywhere.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Failures of one kind one client may make in a minute before it is answered 429.
pub const FAILURES_PER_MINUTE: u32 = 30;
/// Sign-ins one client address may start in a minute (each creates a session row). Generous,
/// since everyone behind one proxy shares an address.
pub const SIGN_INS_PER_MINUTE: u32 = 120;
const WINDOW: Duration = Duration::from_secs(60);
/// Clients remembered at most; past it, finished windows are forgotten.
const PRUNE_ABOVE: usize = 10_000;

/// What to do about one more failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The first in this window: record it, noting how many more the last window had.
    Record { earlier: u32 },
    /// Counted, not recorded.
    Counted,
    /// Over the limit: answer 429, record nothing.
    TooMany,
}

#[derive(Default)]
pub struct Failures {
    windows: Mutex<HashMap<(String, &'static str), Window>>,
}

struct Window {
    started: Instant,
    count: u32,
    /// Failures of the previous window beyond its recorded first one.
    unrecorded: u32,
}

impl Failures {
    /// Counts one event of `kind` from `client` against `limit` per minute.
    pub fn note(&self, client: Option<&str>, kind: &'static str, limit: u32) -> Verdict {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        if windows.len() > PRUNE_ABOVE {
            windows.retain(|_, window| window.started.elapsed() < WINDOW);
        }
        let key = (client.unwrap_or("unknown").to_owned(), kind);
        let window = windows.entry(key).or_insert(Window { started: Instant::now(), count: 0, unrecorded: 0 });
        if window.started.elapsed() >= WINDOW {
            let unrecorded = window.count.saturating_sub(1);
            *window = Window { started: Instant::now(), count: 0, unrecorded };
        }
        window.count += 1;
        match window.count {
            1 => Verdict::Record { earlier: std::mem::take(&mut window.unrecorded) },
            count if count > limit => Verdict::TooMany,
            _ => Verdict::Counted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_failure_is_recorded_the_rest_counted_then_refused() {
        let failures = Failures::default();
        assert_eq!(failures.note(Some("10.0.0.1"), "token", 3), Verdict::Record { earlier: 0 });
        assert_eq!(failures.note(Some("10.0.0.1"), "token", 3), Verdict::Counted);
        assert_eq!(failures.note(Some("10.0.0.1"), "token", 3), Verdict::Counted);
        assert_eq!(failures.note(Some("10.0.0.1"), "token", 3), Verdict::TooMany);
        assert_eq!(failures.note(Some("10.0.0.2"), "token", 3), Verdict::Record { earlier: 0 }, "each client on its own");
        assert_eq!(failures.note(Some("10.0.0.1"), "callback", 3), Verdict::Record { earlier: 0 }, "each kind on its own");
    }
}
