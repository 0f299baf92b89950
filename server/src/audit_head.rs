//! The audit log's head kept outside the database, so that a rewrite of the whole chain (which
//! verifies, being consistent) still shows. Once an hour the head goes to the portal's log,
//! when it moved; whatever ships the log keeps it. `portico audit verify --head SEQ:HASH`
//! compares a head kept so with the chain.

use std::time::Duration;

use domain::store::StoreError;
use crate::background::Background;
use crate::store::Store;
use crate::store::audit::Head;

/// How often the head is written to the log.
pub const EVERY: Duration = Duration::from_secs(60 * 60);

/// Writes the head to the log now and then every [`EVERY`], whenever it moved.
pub fn spawn(background: &Background, store: Store) {
    background.spawn_loop(async move {
        let mut ticks = tokio::time::interval(EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last = None;
        loop {
            ticks.tick().await;
            match store.audit_head().await {
                Ok(head) if last.as_ref() != Some(&head) => {
                    tracing::info!(audit_head_seq = head.seq, audit_head_hash = %head.hash, "audit log head: keep it to compare with `portico audit verify --head`");
                    last = Some(head);
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "cannot read the audit log's head"),
            }
        }
    });
}

/// How a head kept elsewhere compares with the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeadCheck {
    /// Event `seq` still has the kept hash: nothing up to it was rewritten.
    Same,
    /// Event `seq` has another hash: the chain was rewritten at or before it.
    Rewritten { stored: String },
    /// The chain ends before `seq`: events up to it were removed.
    Truncated { last: i64 },
    /// Event `seq` was pruned: this head can no longer be compared.
    Pruned,
}

/// Parses `SEQ:HASH` (as `audit verify` prints `head: event SEQ HASH`, or with a space).
pub fn parse_head(text: &str) -> Result<Head, String> {
    let (seq, hash) = text.trim().split_once([':', ' ']).ok_or_else(|| format!("{text}: write the head as SEQ:HASH"))?;
    let seq = seq.trim().parse::<i64>().map_err(|_| format!("{text}: {seq} is not an event number"))?;
    let hash = hash.trim().to_ascii_lowercase();
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("{text}: the hash must be 64 hexadecimal digits"));
    }
    Ok(Head { seq, hash })
}

/// Compares the `kept` head with the chain in `store`.
pub async fn check(store: &Store, kept: &Head) -> Result<HeadCheck, StoreError> {
    let now = store.audit_head().await?;
    if kept.seq > now.seq {
        return Ok(HeadCheck::Truncated { last: now.seq });
    }
    Ok(match store.audit_hash(kept.seq).await? {
        None => HeadCheck::Pruned,
        Some(stored) if stored == kept.hash => HeadCheck::Same,
        Some(stored) => HeadCheck::Rewritten { stored },
    })
}
