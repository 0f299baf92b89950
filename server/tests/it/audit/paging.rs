//! The viewer's queries: filtered keyset pages, newest first, and live updates.

use domain::audit::{AuditQuery, Event, NewEvent, Outcome};
use domain::store::AuditStore;
use server::store::Store;

use super::{append_samples, insert_chain, sample};
use crate::support::{Engine, TestDb, on_both_engines};

on_both_engines!(
    pages_walk_the_whole_log_newest_first,
    filters_combine_across_pages,
    time_filters_keep_the_events_recorded_between,
    live_updates_continue_where_the_first_page_ends,
    a_page_stops_early_when_common_filters_rarely_meet,
);

fn query(per_page: u32) -> AuditQuery {
    AuditQuery { per_page, ..AuditQuery::default() }.normalised()
}

/// Every page of `query`, following each page's cursor, and the events in order.
async fn all_pages(store: &Store, query: &AuditQuery) -> (usize, Vec<i64>) {
    let mut query = query.clone();
    let (mut pages, mut seqs) = (0, Vec::new());
    loop {
        let page = store.audit_page(&query).await.expect("page");
        pages += 1;
        assert!(page.items.len() <= query.per_page as usize);
        seqs.extend(page.items.iter().map(|e| e.seq));
        match page.next_before {
            Some(before) => {
                let oldest = page.items.last().map(|e| e.seq);
                if page.items.len() == query.per_page as usize {
                    assert_eq!(Some(before), oldest, "the cursor is a full page's oldest event");
                } else {
                    assert!(oldest.is_none_or(|oldest| before < oldest), "a short page goes on below where it stopped");
                }
                query.before = Some(before);
            }
            None => return (pages, seqs),
        }
    }
}

/// What `keep` selects from `events`, newest first.
fn expected(events: &[Event], keep: impl Fn(&Event) -> bool) -> Vec<i64> {
    events.iter().rev().filter(|e| keep(e)).map(|e| e.seq).collect()
}

async fn pages_walk_the_whole_log_newest_first(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let empty = store.audit_page(&query(50)).await.expect("page");
    assert_eq!((empty.items.len(), empty.next_before, empty.newest_seq), (0, None, None));
    let events = append_samples(&store, 120).await;
    let first = store.audit_page(&query(50)).await.expect("page");
    assert_eq!(first.items[0], events[119]);
    assert_eq!((first.next_before, first.newest_seq), (Some(71), Some(120)));
    let (pages, seqs) = all_pages(&store, &query(50)).await;
    assert_eq!(pages, 3);
    assert_eq!(seqs, expected(&events, |_| true));
    // A page that ends exactly at the oldest event has no next page.
    let (pages, seqs) = all_pages(&store, &query(40)).await;
    assert_eq!((pages, seqs.len()), (3, 120));
}

async fn filters_combine_across_pages(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let events = append_samples(&store, 120).await;
    let ada = AuditQuery { actor: Some("ada".into()), ..query(7) };
    assert_eq!(all_pages(&store, &ada).await.1, expected(&events, |e| e.actor == "ada"));
    let denied_restarts = AuditQuery { action: Some("service.restart".into()), outcome: Some(Outcome::Denied), ..query(5) };
    let want = expected(&events, |e| e.action == "service.restart" && e.outcome == Outcome::Denied);
    assert!(want.len() > 10);
    assert_eq!(all_pages(&store, &denied_restarts).await.1, want);
    let billing_by_bob = AuditQuery {
        service: Some("billing".into()),
        actor: Some("bob".into()),
        environment: Some("production".into()),
        ..query(3)
    };
    let want = expected(&events, |e| e.service.as_deref() == Some("billing") && e.actor == "bob");
    assert_eq!(all_pages(&store, &billing_by_bob).await.1, want);
    let nobody = AuditQuery { actor: Some("nobody".into()), ..query(50) };
    assert_eq!(all_pages(&store, &nobody).await, (1, vec![]));
    // From the middle of the log, as a shared link to an older page would.
    let deep = AuditQuery { before: Some(60), ..ada };
    assert_eq!(all_pages(&store, &deep).await.1, expected(&events[..59], |e| e.actor == "ada"));
}

async fn time_filters_keep_the_events_recorded_between(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let mut events = append_samples(&store, 20).await;
    // Let some time pass so the later events are distinct in time from the earlier ones.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    events.extend(append_samples(&store, 20).await);
    let (from, to) = (events[7].at, events[30].at);
    let between = AuditQuery { from: Some(from), to: Some(to), ..query(6) };
    let want = expected(&events, |e| e.at >= from && e.at < to);
    assert!(want.len() > 10, "{want:?}");
    assert_eq!(all_pages(&store, &between).await.1, want);
    let bob_since = AuditQuery { from: Some(to), actor: Some("bob".into()), ..query(50) };
    assert_eq!(all_pages(&store, &bob_since).await.1, expected(&events, |e| e.at >= to && e.actor == "bob"));
    let future = AuditQuery { from: Some(events[39].at + 1), ..query(50) };
    assert!(store.audit_page(&future).await.expect("page").items.is_empty());
    let past = AuditQuery { to: Some(events[0].at), ..query(50) };
    assert!(store.audit_page(&past).await.expect("page").items.is_empty());
}

async fn live_updates_continue_where_the_first_page_ends(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    append_samples(&store, 10).await;
    let ada = AuditQuery { actor: Some("ada".into()), ..query(50) };
    let page = store.audit_page(&ada).await.expect("page");
    let newest = page.newest_seq.expect("newest");
    assert_eq!(newest, 10);
    assert!(store.audit_since(&ada, newest, 100).await.expect("since").is_empty());
    let mut later = Vec::new();
    for i in 10..20 {
        later.push(store.append(&sample(i)).await.expect("append"));
    }
    let since = store.audit_since(&ada, newest, 100).await.expect("since");
    let want: Vec<_> = later.iter().filter(|e| e.actor == "ada").cloned().collect();
    assert_eq!(since, want, "oldest first, filtered");
    let two = store.audit_since(&AuditQuery::default(), newest, 2).await.expect("since");
    assert_eq!(two.iter().map(|e| e.seq).collect::<Vec<_>>(), [11, 12]);
}

async fn a_page_stops_early_when_common_filters_rarely_meet(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    // A bot deploying to production and a person working in staging, 12,000 events each, and
    // the bot in staging once, first of all.
    let bot = |env: &str| sample(0).environment(env).request(None, None);
    let mut events = vec![(1, NewEvent { actor: "bot".into(), ..bot("staging") })];
    for i in 0..24_000 {
        let event = if i % 2 == 0 { NewEvent { actor: "bot".into(), ..bot("production") } } else { bot("staging") };
        events.push((i + 2, event));
    }
    insert_chain(&store, events).await;
    let rare = AuditQuery { actor: Some("bot".into()), environment: Some("staging".into()), ..query(50) };
    let first = store.audit_page(&rare).await.expect("page");
    assert!(first.items.is_empty(), "nothing among the newest events of either");
    let stop = first.next_before.expect("the walk says where it stopped");
    assert!(stop > 1, "{stop}");
    let (pages, seqs) = all_pages(&store, &rare).await;
    assert_eq!(seqs, [1]);
    assert!(pages > 1);
    // Filters that meet often fill their pages as usual.
    let bot_in_production = AuditQuery { actor: Some("bot".into()), environment: Some("production".into()), ..query(50) };
    let page = store.audit_page(&bot_in_production).await.expect("page");
    assert_eq!(page.items.len(), 50);
    assert_eq!(page.next_before, page.items.last().map(|e| e.seq));
}
