use serde::{Deserialize, Serialize};

/// One source the catalog is read from, as the problems page reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceStatus {
    /// What is read: `Catalog folders`, `GitHub organisation acme`.
    pub name: String,
    /// When it was last read through without a failure, in Unix microseconds; `None` until then.
    pub refreshed_at: Option<i64>,
    /// How many repositories were read (GitHub only).
    pub repositories: Option<u64>,
    /// Webhook deliveries refused (unsigned or wrongly signed) since the portal started
    /// (GitHub only).
    pub refused_deliveries: Option<u64>,
}

/// What the server knows of its catalog sources; kept in memory, so reading it costs nothing.
pub trait SourceReport: Send + Sync {
    fn sources(&self) -> Vec<SourceStatus>;
}
