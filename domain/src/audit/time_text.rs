use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

const SHOWN: &[FormatItem<'static>] = format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
/// What an `<input type="datetime-local">` sends.
const MINUTE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]T[hour]:[minute]");
/// RFC 3339 in UTC, to the microsecond the log records.
const EXACT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// `2026-11-22 10:31:05 UTC` for a time in Unix microseconds.
pub fn format_time(at_micros: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(at_micros) * 1_000)
        .ok()
        .and_then(|time| time.format(SHOWN).ok())
        .unwrap_or_else(|| "unknown time".to_owned())
}

/// `2026-11-22T10:31:05.123456Z` (RFC 3339, UTC, every microsecond kept) for a time in Unix
/// microseconds, for programs reading an export; `None` for a time beyond the year 9999.
pub fn format_time_exact(at_micros: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(at_micros) * 1_000).ok()?.format(EXACT).ok()
}

/// Reads `2026-11-22T10:31` (taken as UTC) into Unix microseconds.
pub fn parse_minute(text: &str) -> Option<i64> {
    let time = PrimitiveDateTime::parse(text.trim(), MINUTE).ok()?.assume_utc();
    i64::try_from(time.unix_timestamp_nanos() / 1_000).ok()
}

/// The other direction, for putting a filter back into its input.
pub fn minute_text(at_micros: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(at_micros) * 1_000).ok()?.format(MINUTE).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_through_the_filter_text() {
        let at = parse_minute("2026-11-22T10:31").expect("valid");
        assert_eq!(format_time(at), "2026-11-22 10:31:00 UTC");
        assert_eq!(minute_text(at).as_deref(), Some("2026-11-22T10:31"));
        assert_eq!(parse_minute("yesterday"), None);
        assert_eq!(format_time_exact(at + 5_000_042).as_deref(), Some("2026-11-22T10:31:05.000042Z"));
        assert_eq!(format_time_exact(0).as_deref(), Some("1970-01-01T00:00:00.000000Z"));
    }
}
