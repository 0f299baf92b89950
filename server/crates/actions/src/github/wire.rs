//! The parts of GitHub's answers the engine reads; serde ignores the other fields.

use serde::Deserialize;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// The `200 OK` answer of a dispatch sent with `return_run_details`.
#[derive(Debug, Deserialize)]
pub(super) struct DispatchDetails {
    pub workflow_run_id: u64,
    #[serde(default)]
    pub html_url: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct RunList {
    pub workflow_runs: Vec<Run>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Run {
    pub id: u64,
    pub html_url: String,
    pub status: Option<String>,
    pub conclusion: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct JobList {
    pub jobs: Vec<Job>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Job {
    pub name: String,
    pub status: String,
    pub conclusion: Option<String>,
    pub html_url: Option<String>,
}

/// A time as GitHub writes it (`2024-05-01T12:34:56Z`, sometimes with fractions of a second
/// or `+00:00`); `None` for anything else. Written out by hand because the server's `time`
/// is built without its parsing feature.
pub(super) fn parse_time(text: &str) -> Option<OffsetDateTime> {
    let (whole, rest) = (text.get(..19)?, text.get(19..)?);
    let rest = rest.strip_prefix('.').map_or(rest, |fraction| fraction.trim_start_matches(|c: char| c.is_ascii_digit()));
    if rest != "Z" && rest != "+00:00" {
        return None;
    }
    let number = |range: std::ops::Range<usize>| whole.get(range)?.parse::<u16>().ok();
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, byte)| whole.as_bytes().get(at) != Some(&byte)) {
        return None;
    }
    let small = |range| number(range).and_then(|n| u8::try_from(n).ok());
    let month = Month::try_from(small(5..7)?).ok()?;
    let date = Date::from_calendar_date(i32::from(number(0..4)?), month, small(8..10)?).ok()?;
    let time = Time::from_hms(small(11..13)?, small(14..16)?, small(17..19)?).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

#[cfg(test)]
mod tests {
    use super::parse_time;

    #[test]
    fn githubs_times_are_read() {
        let time = parse_time("2024-05-01T12:34:56Z").expect("a time");
        assert_eq!(time.unix_timestamp(), 1_714_566_896);
        assert_eq!(parse_time("2024-05-01T12:34:56.789Z"), Some(time));
        assert_eq!(parse_time("2024-05-01T12:34:56+00:00"), Some(time));
        assert_eq!(parse_time("2024-05-01 12:34:56Z"), None);
        assert_eq!(parse_time("2024-13-01T12:34:56Z"), None);
        assert_eq!(parse_time("2024-05-01T12:34:56+02:00"), None);
        assert_eq!(parse_time(""), None);
    }
}
