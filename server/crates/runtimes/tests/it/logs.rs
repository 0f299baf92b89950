//! The log fan-out: resuming after a dropped connection, and slow followers, against the
//! local runtime's real processes.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use runtimes::logs::hub::Follow;
use runtimes::logs::{Cursor, Event, LogHub};
use runtimes::local::LocalRuntime;

use crate::local::local;

/// The next event, failing the test if none comes within five seconds.
async fn next(follow: &mut Follow) -> Event {
    tokio::time::timeout(Duration::from_secs(5), follow.events.next()).await.expect("an event in time").expect("stream open")
}

/// The number in a `line N` line, or None for the portal's own lines.
fn number(event: &Event) -> Option<u64> {
    match event {
        Event::Line(entry) => entry.line.text.strip_prefix("line ")?.parse().ok(),
        _ => None,
    }
}

const COUNTING: &str = "i=0; while :; do i=$((i+1)); echo \"line $i\"; sleep 0.01; done";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_that_reconnects_resumes_after_its_last_line_without_gap_or_repeat() {
    let runtime = Arc::new(LocalRuntime::default());
    let at = local("counter", COUNTING, 1);
    runtime.reconcile(std::slice::from_ref(&at)).await;
    let hub = LogHub::new(runtime.clone());

    let mut first = hub.follow(&at, None);
    let mut numbers = Vec::new();
    let mut last_id = 0;
    while numbers.len() < 30 {
        let event = next(&mut first).await;
        if let Event::Line(entry) = &event {
            last_id = entry.id;
        }
        numbers.extend(number(&event));
    }
    let epoch = first.epoch.clone();
    drop(first);
    // The connection is down while the service keeps writing.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let cursor = Cursor { epoch, id: last_id };
    let mut second = hub.follow(&at, Some(&cursor));
    let resumed = next(&mut second).await;
    let Event::Line(entry) = &resumed else { panic!("expected a line, got {resumed:?}") };
    assert_eq!(entry.id, last_id + 1, "resumes right after the last line received");
    numbers.extend(number(&resumed));
    while numbers.len() < 80 {
        let event = next(&mut second).await;
        assert!(!matches!(event, Event::Dropped(_)), "nothing is dropped: {event:?}");
        numbers.extend(number(&event));
    }
    let expected: Vec<u64> = (numbers[0]..numbers[0] + numbers.len() as u64).collect();
    assert_eq!(numbers, expected, "every line once, in order, across the reconnect");
    runtime.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cursor_from_an_earlier_stream_is_told_the_stream_restarted() {
    let runtime = Arc::new(LocalRuntime::default());
    let at = local("restarted", COUNTING, 1);
    runtime.reconcile(std::slice::from_ref(&at)).await;
    let hub = LogHub::new(runtime.clone());
    let stale = Cursor { epoch: "before".to_owned(), id: 42 };
    let mut follow = hub.follow(&at, Some(&stale));
    assert!(matches!(next(&mut follow).await, Event::Restarted));
    assert!(matches!(next(&mut follow).await, Event::Line(_)));
    runtime.shutdown().await;
}

/// 2,000 lines in bursts of 100, about a second in all.
const BURSTS: &str = "i=0; while [ $i -lt 2000 ]; do i=$((i+1)); echo \"line $i\"; \
                      if [ $((i % 100)) -eq 0 ]; then sleep 0.05; fi; done; sleep 30";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_follower_drops_lines_with_a_marker_and_never_slows_the_others() {
    let runtime = Arc::new(LocalRuntime::default());
    let at = local("burst", BURSTS, 1);
    let hub = LogHub::new(runtime.clone());
    runtime.reconcile(std::slice::from_ref(&at)).await;
    // Both follow as the process starts; the lines it wrote already come from the kept tail.
    let mut fast = hub.follow(&at, None);
    let mut slow = hub.follow(&at, None);

    let mut fast_numbers = Vec::new();
    while fast_numbers.last() != Some(&2000) {
        let event = next(&mut fast).await;
        assert!(!matches!(event, Event::Dropped(_)), "the fast follower lost lines: {event:?}");
        fast_numbers.extend(number(&event));
    }
    assert_eq!(fast_numbers, (1..=2000).collect::<Vec<u64>>());

    // The slow one has not read anything yet: after the lines it was handed when it started
    // following (those written before it did, from the kept tail: more of them on a busy
    // machine), it kept only its bounded buffer of live lines.
    let mut dropped = 0;
    let mut slow_numbers = Vec::new();
    let mut after_drop = 0;
    while slow_numbers.last() != Some(&2000) {
        match next(&mut slow).await {
            Event::Dropped(count) => dropped += count,
            event => {
                after_drop += usize::from(dropped > 0 && number(&event).is_some());
                slow_numbers.extend(number(&event));
            }
        }
    }
    assert!(dropped > 0, "the slow follower is told it dropped lines");
    assert!(after_drop <= runtimes::logs::hub::FOLLOWER_BUFFER, "{after_drop} live lines buffered");
    assert!(slow_numbers.windows(2).all(|w| w[0] < w[1]), "what it does get is in order");
    runtime.shutdown().await;
}
