//! The viewer's page budget at a million events: `cargo test -p server --test it audit::bench
//! -- --ignored --nocapture`. Ignored by default: filling the log takes a minute per engine.
//! The same log, written to a file that is kept, is what deploy/bench/audit_export.sh serves.

use std::time::{Duration, Instant};

use domain::audit::{AuditQuery, NewEvent, Origin, Outcome};
use domain::store::AuditStore;
use server::store::Store;

use crate::support::{Engine, TestDb};

const EVENTS: i64 = 1_000_000;
/// The page budget.
const BUDGET: Duration = Duration::from_millis(50);

#[tokio::test]
#[ignore = "fills a million events"]
async fn sqlite_filtered_pages_at_a_million_events() {
    pages_at_a_million_events(Engine::Sqlite).await;
}

#[tokio::test]
#[ignore = "fills a million events"]
async fn postgres_filtered_pages_at_a_million_events() {
    pages_at_a_million_events(Engine::Postgres).await;
}

/// Writes the generated log into a new SQLite database at `PORTICO_BENCH_AUDIT_DB` and keeps
/// it, for measuring the export against a running portal (deploy/bench/audit_export.sh).
#[tokio::test]
#[ignore = "writes a million events to a file"]
async fn sqlite_file_of_a_million_events() {
    let Ok(path) = std::env::var("PORTICO_BENCH_AUDIT_DB") else {
        panic!("set PORTICO_BENCH_AUDIT_DB to the SQLite file to create");
    };
    assert!(!std::path::Path::new(&path).exists(), "{path} exists: the log must start empty");
    let store = Store::connect(&format!("sqlite://{path}").into()).await.expect("connect");
    store.migrate().await.expect("migrate");
    let filled = Instant::now();
    fill(&store).await;
    println!("{EVENTS} events written to {path} in {:?}", filled.elapsed());
    store.close().await;
}

/// A small deterministic generator: the same log on every run.
struct Dice(u64);

impl Dice {
    /// Uniform in `0..n`, skewed towards 0 when `skew` (popular actors act most).
    fn roll(&mut self, n: u64, skew: bool) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let unit = (self.0 >> 11) as f64 / (1u64 << 53) as f64;
        ((if skew { unit * unit } else { unit }) * n as f64) as u64
    }
}

/// Event `seq` of the generated log: 300 actors, 25 actions, 500 services on 60 % of events,
/// three environments on half, 90 % successes, one event every half minute or so for a year;
/// and a deploy bot, behind 15 % of events, that only ever deploys to production.
fn generated(dice: &mut Dice) -> NewEvent {
    if dice.roll(100, false) < 15 {
        return NewEvent::new("deploy-bot", Origin::Api, "service.deploy", Outcome::Success)
            .service(format!("svc-{}", dice.roll(500, true)))
            .environment("production");
    }
    let actor = format!("user-{}", dice.roll(300, true));
    let action = format!("action.{}", dice.roll(25, true));
    let outcome = match dice.roll(100, false) {
        0..90 => Outcome::Success,
        90..97 => Outcome::Denied,
        _ => Outcome::Failure,
    };
    let mut event = NewEvent::new(actor, Origin::Web, action, outcome)
        .inputs(serde_json::json!({ "ref": "main", "n": dice.roll(1000, false) }))
        .request(Some(format!("req-{}", dice.roll(u64::MAX >> 12, false))), Some("10.0.0.7".into()));
    if dice.roll(10, false) < 6 {
        event = event.service(format!("svc-{}", dice.roll(500, true)));
    }
    if dice.roll(2, false) == 0 {
        event = event.environment(["production", "staging", "dev"][dice.roll(3, false) as usize]);
    }
    event
}

/// Writes the generated log and returns the time of its first event.
async fn fill(store: &Store) -> i64 {
    let mut dice = Dice(7);
    let start = 1_760_000_000_000_000_i64;
    let mut at = start;
    let events = (0..EVENTS).map(|_| {
        at += i64::try_from(dice.roll(63_000_000, false)).expect("small");
        (at, generated(&mut dice))
    });
    let events: Vec<_> = events.collect();
    assert_eq!(super::insert_chain(store, events).await, EVENTS);
    start
}

/// The median and slowest of five runs of `query`'s first page.
async fn time_page(store: &Store, query: &AuditQuery) -> (Duration, Duration, usize) {
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..5 {
        let started = Instant::now();
        found = store.audit_page(query).await.expect("page").items.len();
        times.push(started.elapsed());
    }
    times.sort();
    (times[2], times[4], found)
}

async fn pages_at_a_million_events(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let filled = Instant::now();
    let start = fill(&store).await;
    // PostgreSQL's statistics, as autovacuum keeps them. SQLite needs none (see `narrowest`).
    if let Store::Postgres(_) = &store {
        super::sql(&store, "VACUUM ANALYZE audit_events").await;
    }
    println!("{engine:?}: {EVENTS} events written in {:?}", filled.elapsed());

    let day = 86_400_000_000_i64;
    let q = |f: fn(&mut AuditQuery)| {
        let mut query = AuditQuery::default().normalised();
        f(&mut query);
        query
    };
    let cases: Vec<(&str, AuditQuery)> = vec![
        ("newest", q(|_| {})),
        ("deep page", q(|q| q.before = Some(500_000))),
        ("popular actor", q(|q| q.actor = Some("user-0".into()))),
        ("rare actor", q(|q| q.actor = Some("user-299".into()))),
        ("rare actor, deep", q(|q| (q.actor, q.before) = (Some("user-299".into()), Some(100_000)))),
        ("rare action", q(|q| q.action = Some("action.24".into()))),
        ("denied", q(|q| q.outcome = Some(Outcome::Denied))),
        ("failure in staging", q(|q| (q.outcome, q.environment) = (Some(Outcome::Failure), Some("staging".into())))),
        ("popular actor, failures", q(|q| (q.actor, q.outcome) = (Some("user-0".into()), Some(Outcome::Failure)))),
        ("rare actor, common action", q(|q| (q.actor, q.action) = (Some("user-299".into()), Some("action.0".into())))),
        ("rare actor, rare action", q(|q| (q.actor, q.action) = (Some("user-250".into()), Some("action.24".into())))),
        ("service in production", q(|q| (q.service, q.environment) = (Some("svc-3".into()), Some("production".into())))),
        ("service, denied", q(|q| (q.service, q.outcome) = (Some("svc-40".into()), Some(Outcome::Denied)))),
        ("unknown actor", q(|q| q.actor = Some("nobody".into()))),
        ("the bot", q(|q| q.actor = Some("deploy-bot".into()))),
        ("the bot, failures", q(|q| (q.actor, q.outcome) = (Some("deploy-bot".into()), Some(Outcome::Failure)))),
        ("the bot in staging", q(|q| (q.actor, q.environment) = (Some("deploy-bot".into()), Some("staging".into())))),
    ];
    let mut cases = cases;
    let month = |m: i64| Some(start + m * 30 * day);
    cases.push(("a month, mid-year", AuditQuery { from: month(5), to: month(6), ..q(|_| {}) }));
    cases.push(("a month, rare actor", AuditQuery { from: month(5), to: month(6), actor: Some("user-280".into()), ..q(|_| {}) }));
    cases.push(("since a time, denied", AuditQuery { from: month(11), outcome: Some(Outcome::Denied), ..q(|_| {}) }));

    let mut over = Vec::new();
    for (name, query) in &cases {
        let (median, slowest, found) = time_page(&store, query).await;
        println!("{engine:?} {name:<28} {found:>3} rows  median {median:>10.2?}  slowest {slowest:>10.2?}");
        if median > BUDGET {
            over.push(*name);
        }
    }
    let since = Instant::now();
    let live = store.audit_since(&q(|q| q.actor = Some("user-299".into())), EVENTS - 5_000, 100).await.expect("since");
    println!("{engine:?} live updates (rare actor)     {:>3} rows  {:?}", live.len(), since.elapsed());
    let verified = Instant::now();
    let report = server::store::audit::verify(&store).await.expect("verify");
    assert_eq!(report.first_problem, None);
    println!("{engine:?} verify: {} events in {:?}", report.checked, verified.elapsed());
    assert!(over.is_empty(), "over the {BUDGET:?} budget: {over:?}");
}
