//! The fan-out of log lines. Each environment someone follows has one channel, fed by one
//! reader of its runtime's logs however many people follow it. Lines get increasing ids within
//! the channel's epoch, and the channel keeps the most recent ones, so that:
//!
//! - a follower that reconnects with the id of the last line it got resumes right after it,
//!   with no gap and no duplicate, as long as that line is still kept;
//! - when it is no longer kept, or the channel was restarted (a new epoch), the follower is
//!   told how many lines it missed, or that the stream started over;
//! - a slow follower never holds up the others: each may fall a bounded number of lines
//!   behind, after which it skips ahead and is told how many lines it dropped.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use domain::runtime::{LogLine, Placement, Runtime};
use futures_util::{Stream, StreamExt};
use tokio::sync::broadcast;

use super::readings::Readings;

/// Lines kept per channel for followers that reconnect.
pub const KEPT_LINES: usize = 5000;
/// How far one follower may fall behind the channel before it drops lines.
pub const FOLLOWER_BUFFER: usize = 512;
/// Lines of history read from the runtime when a channel opens.
const OPENING_TAIL: u32 = 500;
/// A channel nobody follows any more is closed after this long: a page reload reconnects to the
/// same one.
const LINGER: Duration = Duration::from_secs(60);

/// A line with its id in its channel.
#[derive(Debug)]
pub struct Entry {
    pub id: u64,
    pub line: LogLine,
}

/// Where a follower is: the channel's epoch and the last line id it received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub epoch: String,
    pub id: u64,
}

impl Cursor {
    /// Reads the `Last-Event-ID` a browser sends back: `epoch:id`.
    pub fn parse(text: &str) -> Option<Self> {
        let (epoch, id) = text.trim().split_once(':')?;
        Some(Self { epoch: epoch.to_owned(), id: id.parse().ok()? })
    }
}

/// What a follower receives.
#[derive(Clone, Debug)]
pub enum Event {
    Line(Arc<Entry>),
    /// Lines this follower will never see: it fell behind, or they were no longer kept.
    Dropped(u64),
    /// The runtime's log could not be read (or stopped); the channel keeps trying.
    Problem(String),
    /// The channel the follower's cursor came from is gone; lines start over.
    Restarted,
}

/// What the feeder sends to followers.
#[derive(Clone, Debug)]
enum Item {
    Line(Arc<Entry>),
    Problem(String),
}

type Key = (String, String);

pub struct LogHub {
    runtime: Arc<dyn Runtime>,
    channels: Arc<Mutex<HashMap<Key, Arc<Channel>>>>,
    /// Production readings recorded recently, for reconnects.
    pub readings: Readings,
}

struct Channel {
    epoch: String,
    kept: Mutex<Kept>,
    sender: broadcast::Sender<Item>,
    followers: AtomicUsize,
}

#[derive(Default)]
struct Kept {
    next_id: u64,
    lines: VecDeque<Arc<Entry>>,
}

impl Channel {
    fn push(&self, line: LogLine) {
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        kept.next_id += 1;
        let entry = Arc::new(Entry { id: kept.next_id, line });
        if kept.lines.len() == KEPT_LINES {
            kept.lines.pop_front();
        }
        kept.lines.push_back(entry.clone());
        // Under the lock: a follower subscribing now sees this line either kept or live, once.
        let _nobody_following = self.sender.send(Item::Line(entry));
    }
}

/// A follower's place in a channel; leaving (dropping it) lets the channel close when idle.
struct Membership(Arc<Channel>);

impl Drop for Membership {
    fn drop(&mut self) {
        self.0.followers.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A follower's stream, with the epoch its event ids belong to.
pub struct Follow {
    pub epoch: String,
    pub events: std::pin::Pin<Box<dyn Stream<Item = Event> + Send>>,
}

impl LogHub {
    pub fn new(runtime: Arc<dyn Runtime>) -> Self {
        Self { runtime, channels: Arc::new(Mutex::new(HashMap::new())), readings: Readings::default() }
    }

    /// Follows `placement`'s logs from `cursor` (the last line received before a reconnect),
    /// or from the lines kept when there is none.
    pub fn follow(&self, placement: &Placement, cursor: Option<&Cursor>) -> Follow {
        let channel = self.channel(placement);
        channel.followers.fetch_add(1, Ordering::SeqCst);
        let membership = Membership(channel.clone());
        let mut opening = Vec::new();
        let (replay, receiver, last) = {
            let kept = channel.kept.lock().unwrap_or_else(PoisonError::into_inner);
            let receiver = channel.sender.subscribe();
            let first_kept = kept.lines.front().map_or(kept.next_id + 1, |entry| entry.id);
            let after = match cursor {
                Some(cursor) if cursor.epoch == channel.epoch => {
                    let missed = first_kept.saturating_sub(cursor.id + 1);
                    if missed > 0 {
                        opening.push(Event::Dropped(missed));
                    }
                    cursor.id
                }
                Some(_) => {
                    opening.push(Event::Restarted);
                    0
                }
                None => 0,
            };
            let replay: Vec<Event> = kept.lines.iter().filter(|e| e.id > after).cloned().map(Event::Line).collect();
            (replay, receiver, kept.next_id.max(after))
        };
        let live = futures_util::stream::unfold((receiver, last, membership), |(mut receiver, last, membership)| async move {
            loop {
                match receiver.recv().await {
                    Ok(Item::Line(entry)) if entry.id <= last => continue,
                    Ok(Item::Line(entry)) => {
                        let id = entry.id;
                        return Some((Event::Line(entry), (receiver, id, membership)));
                    }
                    Ok(Item::Problem(message)) => return Some((Event::Problem(message), (receiver, last, membership))),
                    Err(broadcast::error::RecvError::Lagged(count)) => {
                        return Some((Event::Dropped(count), (receiver, last, membership)));
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        });
        let events = futures_util::stream::iter(opening.into_iter().chain(replay)).chain(live);
        Follow { epoch: channel.epoch.clone(), events: Box::pin(events) }
    }

    /// The lines kept for `placement` right now, oldest first: the download. Opens the channel
    /// (and reads the runtime's recent lines) when nobody follows it yet.
    pub async fn recent(&self, placement: &Placement) -> Vec<Arc<Entry>> {
        let channel = self.channel(placement);
        // A new channel needs a moment for its reader to bring in the opening tail.
        if channel.kept.lock().unwrap_or_else(PoisonError::into_inner).lines.is_empty() {
            let mut receiver = channel.sender.subscribe();
            let _ = tokio::time::timeout(Duration::from_secs(2), receiver.recv()).await;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        channel.kept.lock().unwrap_or_else(PoisonError::into_inner).lines.iter().cloned().collect()
    }

    /// How many environments have an open channel, and how many followers they have in all.
    pub fn load(&self) -> (usize, usize) {
        let channels = self.channels.lock().unwrap_or_else(PoisonError::into_inner);
        (channels.len(), channels.values().map(|c| c.followers.load(Ordering::SeqCst)).sum())
    }

    fn channel(&self, placement: &Placement) -> Arc<Channel> {
        let key = (placement.service.clone(), placement.environment.name.clone());
        let mut channels = self.channels.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(channel) = channels.get(&key) {
            return channel.clone();
        }
        let channel = Arc::new(Channel {
            epoch: new_epoch(),
            kept: Mutex::new(Kept::default()),
            sender: broadcast::channel(FOLLOWER_BUFFER).0,
            followers: AtomicUsize::new(0),
        });
        channels.insert(key.clone(), channel.clone());
        tokio::spawn(feed(self.runtime.clone(), placement.clone(), channel.clone(), self.channels.clone(), key));
        channel
    }
}

/// A short id that differs between channels, even across restarts of the portal.
fn new_epoch() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_owned()
}

/// Reads the runtime's logs into `channel` until nobody has followed it for [`LINGER`], then
/// closes it. A failed or ended read is reported to followers and retried with a growing pause.
async fn feed(
    runtime: Arc<dyn Runtime>,
    placement: Placement,
    channel: Arc<Channel>,
    channels: Arc<Mutex<HashMap<Key, Arc<Channel>>>>,
    key: Key,
) {
    let mut pause = Duration::from_secs(1);
    let mut tail = OPENING_TAIL;
    let mut idle_since: Option<tokio::time::Instant> = None;
    let mut check = tokio::time::interval(Duration::from_secs(5));
    let mut stream = None;
    loop {
        if stream.is_none() {
            match runtime.logs(&placement, tail).await {
                Ok(opened) => {
                    stream = Some(opened);
                    pause = Duration::from_secs(1);
                    // After a reconnect, the runtime's tail would repeat lines already kept.
                    tail = 0;
                }
                Err(error) => {
                    let _ = channel.sender.send(Item::Problem(format!("cannot read the logs: {error}")));
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(30));
                    if close_when_idle(&channel, &channels, &key, &mut idle_since) {
                        return;
                    }
                    continue;
                }
            }
        }
        tokio::select! {
            next = async { stream.as_mut()?.next().await } => match next {
                Some(Ok(line)) => channel.push(line),
                Some(Err(error)) => {
                    let _ = channel.sender.send(Item::Problem(format!("the log stream failed: {error}")));
                    stream = None;
                }
                None => {
                    let _ = channel.sender.send(Item::Problem("the log stream ended; reconnecting".to_owned()));
                    stream = None;
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(30));
                }
            },
            _ = check.tick() => {
                if close_when_idle(&channel, &channels, &key, &mut idle_since) {
                    return;
                }
            }
        }
    }
}

/// Closes the channel when nobody has followed it for [`LINGER`]; says whether it did.
fn close_when_idle(
    channel: &Arc<Channel>,
    channels: &Mutex<HashMap<Key, Arc<Channel>>>,
    key: &Key,
    idle_since: &mut Option<tokio::time::Instant>,
) -> bool {
    if channel.followers.load(Ordering::SeqCst) > 0 {
        *idle_since = None;
        return false;
    }
    if idle_since.get_or_insert_with(tokio::time::Instant::now).elapsed() < LINGER {
        return false;
    }
    let mut all = channels.lock().unwrap_or_else(PoisonError::into_inner);
    // Checked again under the lock: a follower may have just joined.
    if channel.followers.load(Ordering::SeqCst) > 0 {
        return false;
    }
    all.remove(key);
    true
}
