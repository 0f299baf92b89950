//! The deployment history (`deployments`): what runs deploy, what the status poller finds
//! running, the pages of a service's history and the versions a rollback may go back to.

use domain::actions::RunState;
use domain::delivery::{DEPLOYMENTS_PER_PAGE, Deployment, DeploymentPage, Origin};
use domain::store::StoreError;

use super::{Store, db_error, on_pool};

/// A deployment a run makes.
pub struct RunDeployment<'a> {
    pub service: &'a str,
    pub environment: &'a str,
    pub version: &'a str,
    pub run: &'a str,
    /// `promote`, `rollback`...; `None` when the run puts back what ran before its own deployment.
    pub action: Option<&'a str>,
    pub requester: &'a str,
    pub at: i64,
}

#[derive(sqlx::FromRow)]
struct DeploymentRow {
    id: i64,
    environment: String,
    version: String,
    at: i64,
    source: String,
    run_id: Option<String>,
    action: Option<String>,
    requester: Option<String>,
    state: Option<String>,
}

impl DeploymentRow {
    fn into_deployment(self) -> Result<Deployment, StoreError> {
        let run = || self.run_id.clone().ok_or_else(|| StoreError(format!("deployment {} names no run", self.id)));
        let origin = match self.source.as_str() {
            "portal" => Origin::Portal {
                run: run()?,
                action: self.action.clone().unwrap_or_default(),
                requester: self.requester.clone().unwrap_or_default(),
                // `None` once the run itself has been pruned.
                state: self.state.as_deref().and_then(RunState::parse),
            },
            "put_back" => Origin::PutBack { run: run()? },
            "outside" => Origin::Outside,
            "first_seen" => Origin::FirstSeen,
            "earlier" => Origin::Earlier,
            other => return Err(StoreError(format!("deployment {} has the unknown source {other}", self.id))),
        };
        Ok(Deployment { id: self.id, environment: self.environment, version: self.version, at: self.at, origin })
    }
}

impl Store {
    /// Records that a run deploys a version. Written before the runtime is asked to deploy it,
    /// so that the poller, finding the new version running, sees a deployment of the portal
    /// behind it rather than one from outside. Once per run, version and source: a step
    /// repeated after the portal was interrupted is the same deployment.
    pub async fn record_deployment(&self, deployment: &RunDeployment<'_>) -> Result<(), StoreError> {
        let RunDeployment { service, environment, version, run, action, requester, at } = *deployment;
        let source = if action.is_some() { "portal" } else { "put_back" };
        let sql = "INSERT INTO deployments (service, environment, version, at, source, run_id, action, requester) \
                   SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE NOT EXISTS (SELECT 1 FROM deployments \
                       WHERE service = $1 AND environment = $2 AND run_id = $6 AND version = $3 AND source = $5)";
        on_pool!(self, pool => sqlx::query(sql).bind(service).bind(environment).bind(version).bind(at).bind(source)
            .bind(run).bind(action).bind(requester).execute(pool).await.map(|_| ()).map_err(db_error))
    }

    /// Records that `version` runs in an environment, when it is not the last version recorded
    /// there: deployed outside the portal, or the first version the portal saw there.
    pub async fn record_seen(&self, service: &str, environment: &str, version: &str, at: i64) -> Result<(), StoreError> {
        let sql = "INSERT INTO deployments (service, environment, version, at, source) \
                   SELECT $1, $2, $3, $4, CASE WHEN EXISTS (SELECT 1 FROM deployments WHERE service = $1 AND environment = $2) \
                       THEN 'outside' ELSE 'first_seen' END \
                   WHERE COALESCE((SELECT version FROM deployments WHERE service = $1 AND environment = $2 \
                       ORDER BY id DESC LIMIT 1), '') <> $3";
        on_pool!(self, pool => sqlx::query(sql).bind(service).bind(environment).bind(version).bind(at)
            .execute(pool).await.map(|_| ()).map_err(db_error))
    }

    /// The versions an environment ran, newest first (at most `limit`).
    pub async fn version_history(&self, service: &str, environment: &str, limit: u32) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT version FROM deployments WHERE service = $1 AND environment = $2 ORDER BY id DESC LIMIT $3";
        on_pool!(self, pool => sqlx::query_scalar::<_, String>(sql).bind(service).bind(environment).bind(i64::from(limit))
            .fetch_all(pool).await.map_err(db_error))
    }

    /// One page of `service`'s deployments in every environment, newest first, older than the
    /// deployment `before` when given.
    pub async fn deployment_page(&self, service: &str, before: Option<i64>) -> Result<DeploymentPage, StoreError> {
        let sql = "SELECT d.id, d.environment, d.version, d.at, d.source, d.run_id, d.action, d.requester, r.state \
                   FROM deployments d LEFT JOIN action_runs r ON r.id = d.run_id \
                   WHERE d.service = $1 AND d.id < $2 ORDER BY d.id DESC LIMIT $3";
        // One more than a page tells whether an older page exists.
        let limit = i64::from(DEPLOYMENTS_PER_PAGE) + 1;
        let rows = on_pool!(self, pool => sqlx::query_as::<_, DeploymentRow>(sql).bind(service).bind(before.unwrap_or(i64::MAX))
            .bind(limit).fetch_all(pool).await.map_err(db_error)?);
        let mut items = rows.into_iter().map(DeploymentRow::into_deployment).collect::<Result<Vec<_>, _>>()?;
        let older = if items.len() > DEPLOYMENTS_PER_PAGE as usize {
            items.truncate(DEPLOYMENTS_PER_PAGE as usize);
            items.last().map(|last| last.id)
        } else {
            None
        };
        Ok(DeploymentPage { items, older })
    }
}
