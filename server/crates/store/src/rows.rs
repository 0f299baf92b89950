//! Row types shared by both engines, and their conversion to domain types.

use domain::catalog::{Problem, ServiceSummary};
use domain::store::StoreError;
use serde::de::DeserializeOwned;

#[derive(sqlx::FromRow)]
pub struct SummaryRow {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub kind: String,
    pub lifecycle: String,
    pub owner: String,
    pub system: Option<String>,
    /// JSON array of strings.
    pub tags: String,
}

impl SummaryRow {
    pub fn into_summary(self) -> Result<ServiceSummary, StoreError> {
        Ok(ServiceSummary {
            tags: from_json(&self.tags)?,
            name: self.name,
            title: self.title,
            description: self.description,
            kind: self.kind,
            lifecycle: self.lifecycle,
            owner: self.owner,
            system: self.system,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct ProblemRow {
    pub file: String,
    pub line: Option<i64>,
    pub field: Option<String>,
    pub message: String,
}

impl From<ProblemRow> for Problem {
    fn from(row: ProblemRow) -> Self {
        Problem {
            file: row.file,
            line: row.line.and_then(|line| usize::try_from(line).ok()),
            field: row.field,
            message: row.message,
        }
    }
}

/// Entities are stored whole as JSON; a row that no longer decodes is a storage failure.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError(format!("stored JSON does not decode: {e}")))
}

pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError(format!("cannot encode as JSON: {e}")))
}
