//! The one clock: every time the portal stores or compares is read here, in Unix seconds or
//! microseconds. Not built for the browser (`SystemTime::now` panics on wasm32), so a page that
//! reaches for it fails to compile rather than at run time.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Now, in Unix microseconds, as runs, audit events and catalog reads are stored.
pub fn now_micros() -> i64 {
    micros(since_epoch())
}

/// Now, in Unix seconds, as sessions, sign-ins and tokens are stored.
pub fn now_seconds() -> i64 {
    i64::try_from(since_epoch().as_secs()).unwrap_or(i64::MAX)
}

/// A duration in microseconds, saturating.
pub fn micros(duration: Duration) -> i64 {
    i64::try_from(duration.as_micros()).unwrap_or(i64::MAX)
}

fn since_epoch() -> Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_and_microseconds_read_the_same_clock() {
        let (seconds, micros) = (now_seconds(), now_micros());
        assert!((micros / 1_000_000 - seconds).abs() <= 1);
        assert!(seconds > 1_700_000_000, "the clock reads the real time");
    }
}
