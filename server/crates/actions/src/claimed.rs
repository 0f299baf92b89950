//! A claimed run decoded once, when its worker starts on it: the definition, the inputs (with
//! their secret values, for the steps only), the environment and the time left.

use std::time::Duration;

use domain::actions::{ActionDef, RunLink, StepRecord};
use domain::clock::now_micros;
use domain::store::{EnvironmentStore, PlacementDetail, StoreError};
use serde_json::{Map, Value};
use tokio::time::Instant;

use super::ActionEngine;
use super::steps::RunMemo;
use store::runs::RunRow;
use store::rows::from_json;

pub(super) struct ClaimedRun {
    pub row: RunRow,
    pub def: ActionDef,
    /// The inputs with the secret values, which only the steps see.
    pub inputs: Map<String, Value>,
    /// The secret inputs alone: what is recorded of a step has their values masked.
    pub secrets: Map<String, Value>,
    /// The environment as the catalog has it now; `None` for whole-service actions, or when it
    /// left the catalog.
    pub placement: Option<PlacementDetail>,
    /// What the steps learned so far, and the links they made, as last recorded.
    pub memo: RunMemo,
    pub links: Vec<RunLink>,
    /// The steps already recorded, by an earlier portal when the run was taken over.
    pub records: Vec<StepRecord>,
    /// When the action's own time runs out.
    pub deadline: Instant,
}

impl ClaimedRun {
    pub async fn decode(engine: &ActionEngine, row: RunRow) -> Result<Self, StoreError> {
        let def = row.definition()?;
        let secrets = engine.store.run_secrets(&row.id).await?;
        let mut inputs = row.inputs()?;
        inputs.extend(secrets.clone());
        let memo = from_json(&row.memo)?;
        let links = row.links()?;
        let records = engine.store.run_steps(&row.id).await?;
        let placement = if row.environment.is_empty() { None } else { engine.store.placement(&row.service, &row.environment).await? };
        let started = row.started_at.unwrap_or_else(now_micros);
        let left = (started + i64::from(def.timeout_seconds) * 1_000_000 - now_micros()).max(0);
        let deadline = Instant::now() + Duration::from_micros(u64::try_from(left).unwrap_or(0));
        Ok(Self { row, def, inputs, secrets, placement, memo, links, records, deadline })
    }
}
