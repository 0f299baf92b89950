//! Load generator for the actions engine: starts a portal in-process on a fresh SQLite file or
//! PostgreSQL database, with a generated catalog of services that each run one cheap local
//! process, requests N runs at once through the engine's `ActionPort` as a developer, waits
//! until every run has ended, and reports throughput and the queue's latencies from the times
//! the runs table records.
//!
//! Usage: actions_bench [--database sqlite|postgres] [--action restart|task] [--runs 100]
//!                      [--services RUNS] [--workers 8] [--interval-ms 0]
//!        actions_bench [--database sqlite|postgres] --ceiling TRANSACTIONS
//! `--interval-ms` spaces the requests instead of sending them all at once, to see a run picked
//! up by an idle worker. `--ceiling` measures, instead of runs, how many write transactions a
//! second the database takes from 16 writers at once: audit appends (which queue on the audit
//! chain's one row) and plain one-row updates (which do not). PostgreSQL is the tests' server (`PORTICO_TEST_POSTGRES_URL`, by
//! default postgres://postgres@127.0.0.1:5432/postgres); a database is created and dropped.
//! Used by deploy/bench/actions.sh; the figures are in docs/performance.md.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use domain::access::{Identity, IdentitySource, Principal, RequestMeta, Role};
use domain::actions::{ActionPort, RunRequest};
use domain::runtime::{Health, Runtime};
use domain::audit::{NewEvent, Origin, Outcome};
use domain::store::{AuditStore, EnvironmentStore};
use secrecy::{ExposeSecret, SecretString};
use server::Portal;
use server::config::{CatalogConfig, Config, GrantConfig};
use server::store::{Store, Tx};
use sqlx::Connection;

/// Set once the report is printed: what the portal's background tasks log after that (the
/// status poller finding its database gone) is not part of the measurement.
static REPORTED: AtomicBool = AtomicBool::new(false);

/// How long every run together may take before the benchmark gives up and reports.
const GIVE_UP: Duration = Duration::from_secs(900);

const ACTIONS: &str = r#"
actions:
  - id: restart
    title: Restart
    kind: restart
  - id: task
    title: Say ok
    kind: task
    timeout_seconds: 60
    command: 'echo ok'
"#;

struct Options {
    database: String,
    action: String,
    runs: usize,
    services: usize,
    workers: u32,
    interval: Duration,
    ceiling: usize,
}

impl Options {
    fn parse() -> anyhow::Result<Self> {
        let mut options = Self { database: "sqlite".into(), action: "restart".into(), runs: 100, services: 0, workers: 8, interval: Duration::ZERO, ceiling: 0 };
        let mut args = std::env::args().skip(1);
        while let Some(flag) = args.next() {
            let value = args.next().with_context(|| format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--database" => options.database = value,
                "--action" => options.action = value,
                "--runs" => options.runs = value.parse()?,
                "--services" => options.services = value.parse()?,
                "--workers" => options.workers = value.parse()?,
                "--interval-ms" => options.interval = Duration::from_millis(value.parse()?),
                "--ceiling" => options.ceiling = value.parse()?,
                _ => anyhow::bail!("unknown option {flag}; see the comment at the top of actions_bench.rs"),
            }
        }
        anyhow::ensure!(matches!(options.database.as_str(), "sqlite" | "postgres"), "--database is sqlite or postgres");
        anyhow::ensure!(matches!(options.action.as_str(), "restart" | "task"), "--action is restart or task");
        anyhow::ensure!(options.runs > 0, "--runs must be at least 1");
        if options.services == 0 {
            options.services = options.runs;
        }
        Ok(options)
    }
}

/// A throw-away database: an SQLite file in `dir`, or a PostgreSQL database dropped at the end.
struct Database {
    url: SecretString,
    postgres: Option<(String, String)>,
}

impl Database {
    async fn create(engine: &str, dir: &Path) -> anyhow::Result<Self> {
        if engine == "sqlite" {
            return Ok(Self { url: format!("sqlite://{}", dir.join("portico.db").display()).into(), postgres: None });
        }
        let admin = std::env::var("PORTICO_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("portico_bench_{}", uuid::Uuid::new_v4().simple());
        let mut connection = sqlx::PgConnection::connect(&admin).await.context("PostgreSQL must be running (deploy/dev.sh test starts it)")?;
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut connection).await?;
        let base = admin.rsplit_once('/').map_or_else(|| admin.clone(), |(base, _)| base.to_owned());
        Ok(Self { url: format!("{base}/{name}").into(), postgres: Some((admin, name)) })
    }

    async fn drop_it(self) {
        let Some((admin, name)) = self.postgres else { return };
        match sqlx::PgConnection::connect(&admin).await {
            Ok(mut connection) => {
                if let Err(error) = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut connection).await {
                    eprintln!("could not drop {name}: {error}");
                }
            }
            Err(error) => eprintln!("could not drop {name}: {error}"),
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = Options::parse()?;
    quiet_after_report();
    let dir = tempfile::tempdir()?;
    let database = Database::create(&options.database, dir.path()).await?;
    let result = bench(&options, dir.path(), &database.url).await;
    database.drop_it().await;
    drop(dir);
    if let Err(error) = &result {
        eprintln!("{error:#}");
    }
    // The portal's background tasks (status poller, workers) would only log that their database
    // went away: end the process at once.
    std::process::exit(i32::from(result.is_err()));
}

/// Warnings and errors on stderr, until the report is printed; sqlx's slow-statement warnings
/// (lock waits, mostly) only with `RUST_LOG=warn`.
fn quiet_after_report() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::{EnvFilter, Layer, filter};
    let levels = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn,sqlx::query=error"));
    let until_reported = filter::filter_fn(|_| !REPORTED.load(Ordering::Relaxed));
    let layer = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_filter(levels).with_filter(until_reported);
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

/// One run as the runs table has it.
struct Ran {
    id: String,
    service: String,
    state: String,
    message: Option<String>,
    queued_at: i64,
    started_at: Option<i64>,
    finished_at: Option<i64>,
}

async fn bench(options: &Options, dir: &Path, url: &SecretString) -> anyhow::Result<()> {
    write(&dir.join("catalog/bench.yaml"), &catalog(options.services))?;
    write(&dir.join("actions/bench.yaml"), ACTIONS)?;
    let mut config = Config { database_url: Some(url.clone()), data_dir: dir.join("data").into(), ..Config::default() };
    config.catalog = CatalogConfig { paths: vec![dir.join("catalog").into()], ..CatalogConfig::default() };
    config.actions.paths = vec![dir.join("actions").into()];
    config.actions.workers = options.workers;
    config.access.grants.push(GrantConfig { role: Role::Developer, users: vec!["ada".into()], orgs: vec![], teams: vec![], environments: vec![] });

    let booting = Instant::now();
    let portal = Portal::start(&config).await?;
    let store = portal.store.clone();
    let engine = portal.actions.clone();
    until_running(&portal, options.services).await?;
    let engine_name = if url.expose_secret().starts_with("sqlite") { "SQLite" } else { "PostgreSQL" };
    let build = if cfg!(debug_assertions) { "debug" } else { "release" };
    if options.ceiling > 0 {
        println!("engine: {engine_name}, write ceiling, build: {build}");
    } else {
        println!(
            "engine: {engine_name}, action: {}, runs: {}, services: {}, workers: {}, request spacing: {} ms, build: {build}",
            options.action,
            options.runs,
            options.services,
            options.workers,
            options.interval.as_millis(),
        );
    }
    println!("portal started and {} local environments healthy in {:.1} s", options.services, booting.elapsed().as_secs_f64());
    tokio::time::sleep(Duration::from_secs(1)).await;
    if options.ceiling > 0 {
        ceilings(&store, options.ceiling).await?;
        REPORTED.store(true, Ordering::Relaxed);
        portal.runtimes.local.shutdown().await;
        return Ok(());
    }
    let rss_before = rss();
    let audit_before = count(&store, "SELECT COUNT(*) FROM audit_events").await?;

    let ada = Principal {
        identity: Identity { login: "ada".into(), github_id: None, name: None, avatar_url: None, orgs: vec![], teams: vec![], source: IdentitySource::GitHub },
        role: Some(Role::Developer),
        token: None,
    };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average before the runs (1, 5, 15 min): {}", load.split_whitespace().take(3).collect::<Vec<_>>().join(" "));
    let cpu_before = cpu_seconds();
    let machine_before = machine_cpu();
    let began = Instant::now();
    let began_micros = domain::clock::now_micros();
    let mut requests = Vec::new();
    for i in 0..options.runs {
        let (engine, ada) = (engine.clone(), ada.clone());
        let request = RunRequest {
            action: options.action.clone(),
            service: service_name(i % options.services),
            environment: Some("local".into()),
            values: BTreeMap::new(),
            confirm: None,
        };
        let delay = options.interval * u32::try_from(i).unwrap_or(u32::MAX);
        requests.push(tokio::spawn(async move {
            tokio::time::sleep_until(tokio::time::Instant::from_std(began) + delay).await;
            let meta = RequestMeta { request_id: Some(format!("bench-{i}")), client_addr: Some("127.0.0.1".into()) };
            let asked = Instant::now();
            let result = engine.request(&ada, &meta, &request).await;
            (result, asked.elapsed())
        }));
    }
    let mut refused = Vec::new();
    let mut request_ms = Vec::new();
    for request in requests {
        let (result, took) = request.await?;
        request_ms.push(took.as_secs_f64() * 1000.0);
        if let Err(error) = result {
            refused.push(format!("{error:?}"));
        }
    }
    let all_requested = began.elapsed();

    // Runs end on their own; the count of unfinished ones is read every 20 ms.
    let unfinished = "SELECT COUNT(*) FROM action_runs WHERE state IN ('pending_approval', 'queued', 'running')";
    while count(&store, unfinished).await? > 0 && began.elapsed() < GIVE_UP {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let waited = began.elapsed();
    let cpu_after = cpu_seconds();
    let machine_after = machine_cpu();
    let rss_after = rss();
    let runs = runs(&store).await?;
    let audit_after = count(&store, "SELECT COUNT(*) FROM audit_events").await?;

    let last_finish = runs.iter().filter_map(|r| r.finished_at).max().unwrap_or(began_micros);
    let wall = Duration::from_micros(u64::try_from(last_finish - began_micros).unwrap_or(0));
    let succeeded = runs.iter().filter(|r| r.state == "succeeded").count();
    println!(
        "requests: {} accepted, {} refused; all requests returned after {:.0} ms (each took p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms)",
        runs.len(),
        refused.len(),
        all_requested.as_secs_f64() * 1000.0,
        quantile(&mut request_ms, 0.5),
        quantile(&mut request_ms, 0.99),
        quantile(&mut request_ms, 1.0),
    );
    for reason in refused.iter().take(5) {
        println!("  refused: {reason}");
    }
    println!(
        "wall time, first request to last run finished: {:.2} s ({:.1} runs/s); succeeded {succeeded} of {}",
        wall.as_secs_f64(),
        runs.len() as f64 / wall.as_secs_f64().max(1e-9),
        runs.len(),
    );
    if waited >= GIVE_UP {
        println!("GAVE UP after {} s with runs still unfinished", GIVE_UP.as_secs());
    }
    let mut by_state: BTreeMap<&str, usize> = BTreeMap::new();
    for run in &runs {
        *by_state.entry(run.state.as_str()).or_default() += 1;
    }
    println!("outcomes: {by_state:?}");
    for run in runs.iter().filter(|r| r.state != "succeeded") {
        println!("  NOT SUCCEEDED: run {} on {}: {} ({})", run.id, run.service, run.state, run.message.as_deref().unwrap_or("no message"));
    }
    let mut queued_started: Vec<f64> = runs.iter().filter_map(|r| Some(ms(r.started_at? - r.queued_at))).collect();
    let mut started_finished: Vec<f64> = runs.iter().filter_map(|r| Some(ms(r.finished_at? - r.started_at?))).collect();
    let mut queued_finished: Vec<f64> = runs.iter().filter_map(|r| Some(ms(r.finished_at? - r.queued_at))).collect();
    println!("queued->started ms: {}", summary(&mut queued_started));
    println!("started->finished ms: {}", summary(&mut started_finished));
    println!("queued->finished ms: {}", summary(&mut queued_finished));
    // Runs executing at once: on average over the whole wall time, and at most.
    let busy_micros: i64 = runs.iter().filter_map(|r| Some(r.finished_at? - r.started_at?)).sum();
    let mut edges: Vec<(i64, i32)> = runs.iter().filter_map(|r| Some([(r.started_at?, 1), (r.finished_at?, -1)])).flatten().collect();
    edges.sort_unstable();
    let most = edges.iter().scan(0, |at_once, (_, change)| {
        *at_once += change;
        Some(*at_once)
    }).max().unwrap_or(0);
    println!(
        "runs executing at once (started_at to finished_at): {:.1} on average over the wall time, {most} at most",
        busy_micros as f64 / wall.as_micros().max(1) as f64,
    );
    for (name, mut took) in steps(&store).await? {
        println!("step \"{name}\" ms: {}", summary(&mut took));
    }
    for (what, mut waits) in audit_waits(&store, &runs).await? {
        println!("{what} ms: {}", summary(&mut waits));
    }
    println!(
        "audit events written: {} ({:.1} per run, {:.0} per second of wall time)",
        audit_after - audit_before,
        (audit_after - audit_before) as f64 / runs.len().max(1) as f64,
        (audit_after - audit_before) as f64 / wall.as_secs_f64().max(1e-9),
    );
    println!(
        "CPU time of this process until every run ended: {:.2} s of its own, {:.2} s of its waited-for children (tasks), over {:.2} s",
        cpu_after.0 - cpu_before.0,
        cpu_after.1 - cpu_before.1,
        waited.as_secs_f64(),
    );
    let (busy, total) = (machine_after.0 - machine_before.0, machine_after.1 - machine_before.1);
    println!("whole machine's CPU busy meanwhile (every process, PostgreSQL's too): {:.0} %", 100.0 * busy / total.max(1.0));
    println!("RSS (portal and generator, one process): {rss_before} before, {rss_after} after");
    REPORTED.store(true, Ordering::Relaxed);
    // The local processes are this process's children: stop them before the database goes.
    portal.runtimes.local.shutdown().await;
    Ok(())
}

/// Write transactions a second from 16 writers at once: audit appends, each in its own
/// transaction, then one-row updates of a table of the benchmark's own (a row per writer).
async fn ceilings(store: &Store, transactions: usize) -> anyhow::Result<()> {
    const WRITERS: usize = 16;
    let setup = ["CREATE TABLE bench_writes (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)".to_owned()]
        .into_iter()
        .chain((0..WRITERS).map(|w| format!("INSERT INTO bench_writes (id, n) VALUES ({w}, 0)")));
    for sql in setup {
        match store {
            Store::Sqlite(pool) => sqlx::query(&sql).execute(pool).await.map(|_| ())?,
            Store::Postgres(pool) => sqlx::query(&sql).execute(pool).await.map(|_| ())?,
        }
    }
    for audited in [true, false] {
        let began = Instant::now();
        let mut writers = Vec::new();
        for w in 0..WRITERS {
            let store = store.clone();
            writers.push(tokio::spawn(async move {
                let (mut took, mut failed) = (Vec::new(), Vec::new());
                for i in (w..transactions).step_by(WRITERS) {
                    let one = Instant::now();
                    let written = write_once(&store, audited, w, i).await;
                    match written {
                        Ok(()) => took.push(one.elapsed().as_secs_f64() * 1000.0),
                        Err(error) => failed.push(format!("{error:#}")),
                    }
                }
                (took, failed)
            }));
        }
        let (mut took, mut failed) = (Vec::new(), Vec::new());
        for writer in writers {
            let (mine, theirs) = writer.await?;
            took.extend(mine);
            failed.extend(theirs);
        }
        let elapsed = began.elapsed().as_secs_f64();
        println!(
            "{}: {} of {transactions} transactions from {WRITERS} writers in {elapsed:.2} s, {:.0} a second; each took ms: {}",
            if audited { "audit appends" } else { "one-row updates, not audited" },
            took.len(),
            took.len() as f64 / elapsed,
            summary(&mut took),
        );
        if let Some(first) = failed.first() {
            println!("  FAILED: {} transactions, the first with: {first}", failed.len());
        }
    }
    Ok(())
}

/// One write transaction of the ceiling's: an audit append, or a one-row update by `writer`.
async fn write_once(store: &Store, audited: bool, writer: usize, i: usize) -> anyhow::Result<()> {
    if audited {
        let event = NewEvent::new("bench", Origin::System, "bench.write", Outcome::Success).inputs(serde_json::json!({ "i": i }));
        store.append(&event).await?;
        return Ok(());
    }
    let mut tx = store.begin().await?;
    let sql = "UPDATE bench_writes SET n = n + 1 WHERE id = $1";
    let id = i64::try_from(writer)?;
    match &mut tx {
        Tx::Sqlite(conn) => sqlx::query(sql).bind(id).execute(&mut **conn).await.map(|_| ())?,
        Tx::Postgres(conn) => sqlx::query(sql).bind(id).execute(&mut **conn).await.map(|_| ())?,
    }
    Ok(tx.commit().await?)
}

fn service_name(i: usize) -> String {
    format!("svc-{i:04}")
}

/// One team and `services` services, each with one local environment whose process is a shell
/// loop that wakes every few seconds.
fn catalog(services: usize) -> String {
    let mut yaml = String::from("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: bench }\nspec: { type: team, children: [] }\n");
    for i in 0..services {
        yaml.push_str(&format!(
            "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {{ name: {} }}\nspec:\n  type: service\n  lifecycle: production\n  owner: bench\n  environments:\n    - name: local\n      local:\n        command: 'while :; do sleep 5; done'\n        version: \"1.0.0\"\n",
            service_name(i)
        ));
    }
    yaml
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    Ok(std::fs::write(path, text)?)
}

/// Waits until the poller has started every environment's process.
async fn until_running(portal: &Portal, services: usize) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    for i in 0..services {
        loop {
            let placement = portal.store.placement(&service_name(i), "local").await?;
            if let Some(detail) = placement
                && let Ok(status) = portal.runtimes.status(&detail.placement).await
                && status.health == Health::Healthy
            {
                break;
            }
            anyhow::ensure!(Instant::now() < deadline, "{} never became healthy", service_name(i));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    Ok(())
}

async fn count(store: &Store, sql: &str) -> anyhow::Result<i64> {
    Ok(match store {
        Store::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await?,
        Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await?,
    })
}

type RunTuple = (String, String, String, Option<String>, Option<i64>, Option<i64>, Option<i64>);

async fn runs(store: &Store) -> anyhow::Result<Vec<Ran>> {
    let sql = "SELECT id, service, state, message, queued_at, started_at, finished_at FROM action_runs";
    let rows: Vec<RunTuple> = match store {
        Store::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await?,
        Store::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await?,
    };
    Ok(rows
        .into_iter()
        .map(|(id, service, state, message, queued_at, started_at, finished_at)| Ran {
            id,
            service,
            state,
            message,
            queued_at: queued_at.unwrap_or_default(),
            started_at,
            finished_at,
        })
        .collect())
}

/// For the request, the claim and the end of each run: the time from the moment the runs table
/// records (taken before the transaction starts) to the moment its audit event was chained
/// (taken once the transaction holds the audit chain), which is mostly waiting for that lock.
async fn audit_waits(store: &Store, runs: &[Ran]) -> anyhow::Result<Vec<(&'static str, Vec<f64>)>> {
    let sql = "SELECT action, at, inputs FROM audit_events WHERE action IN ('action.requested', 'action.started', 'action.finished')";
    let rows: Vec<(String, i64, String)> = match store {
        Store::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await?,
        Store::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await?,
    };
    let mut chained: BTreeMap<(String, String), i64> = BTreeMap::new();
    for (action, at, inputs) in rows {
        let inputs: serde_json::Value = serde_json::from_str(&inputs)?;
        if let Some(run) = inputs["run"].as_str() {
            chained.insert((action, run.to_owned()), at);
        }
    }
    let mut waits = vec![
        ("request: queued_at -> its audit event chained", Vec::new()),
        ("claim: started_at -> its audit event chained", Vec::new()),
        ("end: finished_at -> its audit event chained", Vec::new()),
    ];
    for run in runs {
        let marks = [Some(run.queued_at), run.started_at, run.finished_at];
        for ((action, mark), (_, into)) in ["action.requested", "action.started", "action.finished"].iter().zip(marks).zip(waits.iter_mut()) {
            if let (Some(mark), Some(at)) = (mark, chained.get(&((*action).to_owned(), run.id.clone()))) {
                into.push(ms(at - mark));
            }
        }
    }
    Ok(waits)
}

/// How long each kind of step took, by step name.
async fn steps(store: &Store) -> anyhow::Result<BTreeMap<String, Vec<f64>>> {
    let sql = "SELECT name, started_at, finished_at FROM action_run_steps WHERE finished_at IS NOT NULL";
    let rows: Vec<(String, i64, Option<i64>)> = match store {
        Store::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await?,
        Store::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await?,
    };
    let mut by_name: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (name, started, finished) in rows {
        by_name.entry(name).or_default().push(ms(finished.unwrap_or(started) - started));
    }
    Ok(by_name)
}

fn ms(micros: i64) -> f64 {
    micros as f64 / 1000.0
}

/// The value at quantile `q` (nearest rank), sorting `values` first.
fn quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    if values.is_empty() {
        return f64::NAN;
    }
    let rank = ((values.len() as f64 * q).ceil() as usize).clamp(1, values.len());
    values[rank - 1]
}

fn summary(values: &mut [f64]) -> String {
    format!(
        "p50 {:.1}, p95 {:.1}, p99 {:.1}, max {:.1} (n = {})",
        quantile(values, 0.5),
        quantile(values, 0.95),
        quantile(values, 0.99),
        quantile(values, 1.0),
        values.len()
    )
}

/// CPU seconds (user and system) used by this process and by its children it waited for, from
/// /proc/self/stat (in ticks of 1/100 s, Linux's USER_HZ).
fn cpu_seconds() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<f64> = stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().filter_map(|f| f.parse().ok()).collect()).unwrap_or_default();
    // utime, stime, cutime, cstime are fields 14 to 17; `fields` starts at field 4 (field 3,
    // the state, is a letter and was skipped).
    let at = |i: usize| fields.get(i - 4).copied().unwrap_or(0.0) / 100.0;
    (at(14) + at(15), at(16) + at(17))
}

/// The machine's busy and total CPU time so far, in ticks, from the first line of /proc/stat.
fn machine_cpu() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<f64> = stat.lines().next().unwrap_or_default().split_whitespace().skip(1).filter_map(|t| t.parse().ok()).collect();
    let total: f64 = ticks.iter().sum();
    // idle and iowait are the fourth and fifth.
    let idle = ticks.get(3).copied().unwrap_or(0.0) + ticks.get(4).copied().unwrap_or(0.0);
    (total - idle, total)
}

/// This process's resident memory, as /proc reports it.
fn rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok()).map_or_else(|| "?".to_owned(), |kb| format!("{} MiB", kb / 1024))
    };
    format!("{} (peak {})", field("VmRSS:"), field("VmHWM:"))
}
