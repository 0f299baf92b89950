//! Re-checking the whole chain: every event's hash, every link, no gap, the recorded head.

use std::fmt;

use domain::audit::format_time;
use domain::store::StoreError;

use super::bounds::{CHAIN, Chain};
use super::rows::{EVENT_COLUMNS, EventRow};
use super::super::{Store, db_error, on_tx};

/// Events read per query: memory stays flat however long the log is.
const BATCH: i64 = 5_000;

/// What verification found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    /// Events whose hash and link were checked before the first problem (all of them when the
    /// chain is intact).
    pub checked: u64,
    pub first_problem: Option<Problem>,
    /// The head as `audit_chain` records it. Someone able to rewrite the database can rewrite
    /// the whole chain consistently; a head kept elsewhere (a ticket, a log shipper) shows that.
    pub head_seq: i64,
    pub head_hash: String,
}

/// The first thing wrong with the chain, in words an auditor can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The row's content or hash was edited: its hash no longer matches what it holds.
    Altered { seq: i64, action: String, actor: String, at: i64 },
    /// Events in `first..=last` are gone.
    Missing { first: i64, last: i64 },
    /// The row's previous hash is not the hash of the event before it.
    Unlinked { seq: i64 },
    /// A row numbered past the head `audit_chain` records.
    BeyondHead { seq: i64, head: i64 },
    /// A row numbered at or before where pruning says the log starts.
    BeforeStart { seq: i64, start: i64 },
    /// The last event is not the one whose hash `audit_chain` records.
    HeadMismatch { seq: i64 },
    /// `audit_chain` says the log was pruned through `through`, but no `audit.pruned` event says so.
    UnrecordedCut { through: i64 },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Altered { seq, action, actor, at } => write!(
                f,
                "event {seq} ({action} by {actor} at {}) was altered: its content no longer matches its hash",
                format_time(*at)
            ),
            Self::Missing { first, last } if first == last => write!(f, "event {first} is missing (deleted)"),
            Self::Missing { first, last } => write!(f, "events {first}\u{2013}{last} are missing (deleted)"),
            Self::Unlinked { seq } => write!(
                f,
                "event {seq} does not link to the event before it: events were reordered, inserted or replaced"
            ),
            Self::BeyondHead { seq, head } => {
                write!(f, "event {seq} comes after the last recorded event ({head}): it was inserted")
            }
            Self::BeforeStart { seq, start } => {
                write!(f, "event {seq} is older than where the log was pruned (event {start}): it was inserted")
            }
            Self::HeadMismatch { seq } => {
                write!(f, "event {seq}, the last one, is not the event the chain's head records: it was replaced")
            }
            Self::UnrecordedCut { through } => write!(
                f,
                "the log starts after event {through} but no audit.pruned event records pruning it there"
            ),
        }
    }
}

/// Walks the chain from where pruning left its start to the head, inside one read-only
/// snapshot so that appends and pruning running meanwhile cannot look like tampering.
pub async fn verify(store: &Store) -> Result<VerifyReport, StoreError> {
    let batch_sql = format!("SELECT {EVENT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT {BATCH}");
    let before_start = "SELECT seq FROM audit_events WHERE seq <= $1 ORDER BY seq DESC LIMIT 1";
    let mut tx = store.snapshot().await?;
    let report = on_tx!(&mut tx, conn => {
        let chain: Chain = sqlx::query_as(CHAIN).fetch_one(&mut *conn).await.map_err(db_error)?;
        let mut walk = Walk::new(&chain);
        let early: Option<i64> = sqlx::query_scalar(before_start)
            .bind(chain.pruned_through_seq)
            .fetch_optional(&mut *conn).await.map_err(db_error)?;
        let mut problem = early.map(|seq| Problem::BeforeStart { seq, start: chain.pruned_through_seq });
        let mut after = chain.pruned_through_seq;
        while problem.is_none() {
            let rows: Vec<EventRow> = sqlx::query_as(&batch_sql).bind(after).fetch_all(&mut *conn).await.map_err(db_error)?;
            let Some(last) = rows.last() else { break };
            after = last.seq;
            problem = rows.iter().find_map(|row| walk.step(row).err());
        }
        let first_problem = problem.or_else(|| walk.finish().err());
        VerifyReport { checked: walk.checked, first_problem, head_seq: chain.last_seq, head_hash: chain.last_hash.clone() }
    });
    // Read-only: nothing to commit, and dropping it would only defer the rollback.
    tx.rollback().await?;
    Ok(report)
}

/// The walk's state between rows: only the previous link, so memory does not grow.
struct Walk<'c> {
    chain: &'c Chain,
    next_seq: i64,
    prev_hash: String,
    checked: u64,
    /// `through_seq` of the newest `audit.pruned` event seen.
    last_cut: Option<i64>,
}

impl<'c> Walk<'c> {
    fn new(chain: &'c Chain) -> Self {
        Self {
            chain,
            next_seq: chain.pruned_through_seq + 1,
            prev_hash: chain.pruned_through_hash.clone(),
            checked: 0,
            last_cut: None,
        }
    }

    fn step(&mut self, row: &EventRow) -> Result<(), Problem> {
        if row.seq != self.next_seq {
            return Err(Problem::Missing { first: self.next_seq, last: row.seq - 1 });
        }
        if row.seq > self.chain.last_seq {
            return Err(Problem::BeyondHead { seq: row.seq, head: self.chain.last_seq });
        }
        let altered = || Problem::Altered { seq: row.seq, action: row.action.clone(), actor: row.actor.clone(), at: row.at };
        let event = row.decode().ok_or_else(altered)?;
        if !event.verify_hash() {
            return Err(altered());
        }
        if event.prev_hash != self.prev_hash {
            return Err(Problem::Unlinked { seq: row.seq });
        }
        if event.action == domain::audit::kinds::AUDIT_PRUNED {
            self.last_cut = event.inputs.get("through_seq").and_then(serde_json::Value::as_i64);
        }
        self.prev_hash = event.hash;
        self.next_seq += 1;
        self.checked += 1;
        Ok(())
    }

    /// Checks what only the end of the walk can show: deleted last events, a replaced head,
    /// an unrecorded cut at the start.
    fn finish(&self) -> Result<(), Problem> {
        let last = self.next_seq - 1;
        if last < self.chain.last_seq {
            return Err(Problem::Missing { first: last + 1, last: self.chain.last_seq });
        }
        if self.prev_hash != self.chain.last_hash {
            return Err(Problem::HeadMismatch { seq: last });
        }
        if self.chain.pruned_through_seq > 0 && self.last_cut != Some(self.chain.pruned_through_seq) {
            return Err(Problem::UnrecordedCut { through: self.chain.pruned_through_seq });
        }
        Ok(())
    }
}
