//! A service's logs from CloudWatch Logs: where its main container writes them (the `awslogs`
//! driver's settings), the last lines, then new lines as they arrive.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, SystemTime};

use aws_sdk_ecs::types::LogDriver;
use domain::runtime::{LogLine, LogSource, LogStream, ProviderError};
use time::OffsetDateTime;

use super::error::send;
use super::image::main_container;
use super::service::{EcsService, arn_id};
use super::status::running_definition;
use crate::config::CallLimits;

/// How often CloudWatch Logs is asked for new lines.
const POLL: Duration = Duration::from_secs(2);

/// At most this many tasks' streams are read to find where the tail starts (see [`Reader::tail`]).
const TAIL_TASKS: usize = 20;

/// Without a stream prefix the streams cannot be told apart by task: the tail comes from the
/// whole group's last this many milliseconds (a quarter of an hour).
const UNPREFIXED_TAIL_MILLIS: i64 = 15 * 60 * 1000;

/// Where a service's main container writes its logs.
pub(super) struct Location {
    pub group: String,
    /// `prefix/container/`: every stream of the container's tasks starts with it (awslogs names
    /// them `prefix/container/task-id`). `None` when the driver sets no prefix.
    pub streams: Option<String>,
    /// The region the driver sends the logs to, when it names one.
    pub region: Option<String>,
    /// The ids of the service's current and recently stopped tasks.
    pub tasks: Vec<String>,
}

/// Reads the task definition the service runs for its main container's log settings.
/// `log_group` (from the catalog) wins over the driver's group.
pub(super) async fn locate(service: &EcsService, log_group: Option<&str>) -> Result<Location, ProviderError> {
    let described = service.describe(false).await?;
    let definition = match running_definition(&described) {
        Some(arn) => Some(service.task_definition(arn, false).await?.definition),
        None => None,
    };
    let container = definition.as_ref().and_then(|d| main_container(d.container_definitions(), &service.name));
    let options = container
        .and_then(|c| c.log_configuration())
        .filter(|config| *config.log_driver() == LogDriver::Awslogs)
        .and_then(|config| config.options());
    let option = |name: &str| options.and_then(|options| options.get(name)).cloned();
    let group = log_group.map(str::to_owned).or_else(|| option("awslogs-group")).ok_or_else(|| {
        ProviderError::Invalid(format!(
            "{}: no log group: its container does not use the awslogs driver, and the catalog names no ecs.log_group",
            service.subject
        ))
    })?;
    let container_name = container.and_then(|c| c.name.clone()).unwrap_or_default();
    // The ARNs are enough: a task's stream is named after its id.
    let tasks = service.task_arns().await?;
    Ok(Location {
        group,
        streams: option("awslogs-stream-prefix").map(|prefix| format!("{prefix}/{container_name}/")),
        region: option("awslogs-region"),
        tasks: tasks.iter().map(|arn| arn_id(arn).to_owned()).collect(),
    })
}

/// Up to `tail` recent lines, then every new line, polling every [`POLL`].
pub(super) async fn follow(
    logs: aws_sdk_cloudwatchlogs::Client,
    limits: CallLimits,
    location: Location,
    tail: u32,
) -> Result<LogStream, ProviderError> {
    let reader = Reader { logs, limits, subject: format!("log group {}", location.group), location };
    let started = now_millis();
    let (cursor, lines) = match tail {
        0 => (Cursor::at(started), Vec::new()),
        tail => reader.tail(started, tail as usize).await?,
    };
    let following = Following { reader, cursor, pending: lines.into() };
    Ok(Box::pin(futures_util::stream::unfold(Some(following), |following| async move {
        let mut following = following?;
        loop {
            if let Some(line) = following.pending.pop_front() {
                return Some((Ok(line), Some(following)));
            }
            tokio::time::sleep(POLL).await;
            match following.reader.events_since(following.cursor.start()).await {
                Ok(events) => following.pending.extend(following.cursor.accept(events).into_iter().map(Event::line)),
                // Passing failures were already retried: the stream ends with this one.
                Err(error) => return Some((Err(error), None)),
            }
        }
    })))
}

struct Following {
    reader: Reader,
    cursor: Cursor,
    pending: VecDeque<LogLine>,
}

struct Reader {
    logs: aws_sdk_cloudwatchlogs::Client,
    limits: CallLimits,
    location: Location,
    subject: String,
}

impl Reader {
    /// The last `tail` lines and a cursor just past them. CloudWatch Logs reads forward only
    /// (across streams, through FilterLogEvents), so the start is found first: each task's
    /// stream gives its own last `tail` timestamps (GetLogEvents from the end), and the
    /// `tail`-th newest of them all is where the last `tail` lines of the whole service begin
    /// at the latest. Reading fewer tasks' streams only moves that start earlier.
    async fn tail(&self, started: i64, tail: usize) -> Result<(Cursor, Vec<LogLine>), ProviderError> {
        let start = match &self.location.streams {
            Some(prefix) => {
                let mut stamps = Vec::new();
                for task in self.location.tasks.iter().take(TAIL_TASKS) {
                    stamps.extend(self.last_timestamps(&format!("{prefix}{task}"), tail).await?);
                }
                stamps.sort_unstable_by(|a, b| b.cmp(a));
                match stamps.get(tail - 1).or(stamps.last()) {
                    Some(start) => *start,
                    None => return Ok((Cursor::at(started), Vec::new())),
                }
            }
            None => started - UNPREFIXED_TAIL_MILLIS,
        };
        let mut cursor = Cursor::at(start);
        let events = cursor.accept(self.events_since(start).await?);
        let lines = events[events.len().saturating_sub(tail)..].iter().cloned().map(Event::line).collect();
        Ok((cursor, lines))
    }

    /// The timestamps of a stream's last `count` events; none when the stream does not exist
    /// (yet: a task starting, or one that never logged).
    async fn last_timestamps(&self, stream: &str, count: usize) -> Result<Vec<i64>, ProviderError> {
        let limit = i32::try_from(count).unwrap_or(i32::MAX).min(10_000);
        let request = || {
            self.logs
                .get_log_events()
                .log_group_name(&self.location.group)
                .log_stream_name(stream)
                .start_from_head(false)
                .limit(limit)
                .send()
        };
        match send(self.limits, "reading", &self.subject, request).await {
            Ok(output) => Ok(output.events().iter().filter_map(|event| event.timestamp()).collect()),
            Err(ProviderError::NotFound(_)) => Ok(Vec::new()),
            Err(error) => Err(error),
        }
    }

    /// Every event of the container's streams from `start` (in milliseconds) on, oldest first.
    async fn events_since(&self, start: i64) -> Result<Vec<Event>, ProviderError> {
        let mut events = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let output = send(self.limits, "reading", &self.subject, || {
                self.logs
                    .filter_log_events()
                    .log_group_name(&self.location.group)
                    .set_log_stream_name_prefix(self.location.streams.clone())
                    .start_time(start)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
            events.extend(output.events().iter().map(|event| Event {
                id: event.event_id().unwrap_or_default().to_owned(),
                at: event.timestamp().unwrap_or_default(),
                stream: event.log_stream_name().unwrap_or_default().to_owned(),
                text: event.message().unwrap_or_default().trim_end().to_owned(),
            }));
            token = output.next_token;
            if token.is_none() {
                break;
            }
        }
        // Pages are interleaved across streams by time already; the sort keeps that promise
        // where it is not kept, and is stable, so lines of one stream stay in order.
        events.sort_by_key(|event| event.at);
        Ok(events)
    }
}

/// One log event as FilterLogEvents returns it.
#[derive(Clone, Debug, PartialEq)]
struct Event {
    id: String,
    /// Milliseconds since the epoch.
    at: i64,
    stream: String,
    text: String,
}

impl Event {
    fn line(self) -> LogLine {
        LogLine {
            at: OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.at) * 1_000_000)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
            // awslogs names streams `prefix/container/task-id`.
            instance: arn_id(&self.stream).to_owned(),
            source: LogSource::Stdout,
            text: self.text,
        }
    }
}

/// How far the lines have been read: the newest timestamp delivered and the events delivered
/// at exactly that time. The next read starts at that timestamp (inclusive), so an event that
/// arrives later with the same timestamp is still delivered, and the ones already delivered are
/// recognised by their ids.
struct Cursor {
    at: i64,
    seen: HashSet<String>,
}

impl Cursor {
    fn at(at: i64) -> Self {
        Self { at, seen: HashSet::new() }
    }

    fn start(&self) -> i64 {
        self.at
    }

    /// The events, sorted oldest first, that were not delivered yet; moves past them.
    fn accept(&mut self, events: Vec<Event>) -> Vec<Event> {
        let mut fresh = Vec::new();
        for event in events {
            if event.at < self.at {
                continue;
            }
            if event.at > self.at {
                self.at = event.at;
                self.seen.clear();
            }
            if self.seen.insert(event.id.clone()) {
                fresh.push(event);
            }
        }
        fresh
    }
}

fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| i64::try_from(since.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str, at: i64) -> Event {
        Event { id: id.into(), at, stream: "shop/checkout/0f3c".into(), text: format!("line {id}") }
    }

    fn ids(events: &[Event]) -> Vec<&str> {
        events.iter().map(|event| event.id.as_str()).collect()
    }

    #[test]
    fn events_read_again_are_not_delivered_twice() {
        let mut cursor = Cursor::at(0);
        assert_eq!(ids(&cursor.accept(vec![event("a", 10), event("b", 20), event("c", 20)])), ["a", "b", "c"]);
        assert_eq!(cursor.start(), 20);
        // The next read starts at 20 again: b and c come back, with a late event at the same time.
        assert_eq!(
            ids(&cursor.accept(vec![event("b", 20), event("c", 20), event("d", 20), event("e", 30)])),
            ["d", "e"]
        );
        assert_eq!(ids(&cursor.accept(vec![event("e", 30)])), Vec::<&str>::new());
    }

    #[test]
    fn events_before_the_cursor_are_skipped() {
        let mut cursor = Cursor::at(100);
        assert_eq!(ids(&cursor.accept(vec![event("old", 99), event("new", 100)])), ["new"]);
    }

    #[test]
    fn a_line_names_its_task_and_keeps_its_time() {
        let line = event("a", 1_700_000_000_123).line();
        assert_eq!(line.instance, "0f3c");
        assert_eq!(line.at.unix_timestamp_nanos(), 1_700_000_000_123_000_000);
        assert_eq!(line.text, "line a");
    }
}
