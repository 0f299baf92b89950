use domain::actions::{ApprovalRecord, RUN_PAGE_SIZE, RunDetail, RunList, RunQuery, StepRecord};
use domain::store::StoreError;

use super::row::{ApprovalRow, COLUMNS, RunRow, StepRow};
use crate::{Store, db_error, on_pool};

impl Store {
    /// One run as stored.
    pub async fn run_row(&self, id: &str) -> Result<Option<RunRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM action_runs WHERE id = $1");
        on_pool!(self, pool => sqlx::query_as::<_, RunRow>(&sql).bind(id).fetch_optional(pool).await.map_err(db_error))
    }

    pub async fn run_steps(&self, id: &str) -> Result<Vec<StepRecord>, StoreError> {
        let sql = "SELECT seq, name, compensation, state, output, started_at, finished_at FROM action_run_steps WHERE run_id = $1 ORDER BY seq";
        let rows = on_pool!(self, pool => sqlx::query_as::<_, StepRow>(sql).bind(id).fetch_all(pool).await.map_err(db_error)?);
        rows.into_iter().map(StepRow::into_record).collect()
    }

    pub async fn run_approvals(&self, id: &str) -> Result<Vec<ApprovalRecord>, StoreError> {
        let sql = "SELECT approver, decision, comment, at FROM action_approvals WHERE run_id = $1 ORDER BY at";
        let rows = on_pool!(self, pool => sqlx::query_as::<_, ApprovalRow>(sql).bind(id).fetch_all(pool).await.map_err(db_error)?);
        Ok(rows.into_iter().map(ApprovalRow::into_record).collect())
    }

    /// One run with its steps and decisions.
    pub async fn run_detail(&self, row: &RunRow) -> Result<RunDetail, StoreError> {
        let steps = self.run_steps(&row.id).await?;
        let approvals = self.run_approvals(&row.id).await?;
        row.detail(steps, approvals)
    }

    /// One page of runs matching `query`, newest first.
    pub async fn list_runs(&self, query: &RunQuery) -> Result<RunList, StoreError> {
        let mut conditions = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let filters = [
            ("service", &query.service),
            ("environment", &query.environment),
            ("action_id", &query.action),
            ("requester", &query.requester),
        ];
        for (column, value) in filters {
            if let Some(value) = value {
                binds.push(value.clone());
                conditions.push(format!("{column} = ${}", binds.len()));
            }
        }
        if let Some(state) = query.state {
            binds.push(state.as_str().to_owned());
            conditions.push(format!("state = ${}", binds.len()));
        }
        let filter = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
        let page = query.page.max(1);
        let offset = i64::from(page - 1) * i64::from(RUN_PAGE_SIZE);
        let count_sql = format!("SELECT COUNT(*) FROM action_runs {filter}");
        let list_sql = format!("SELECT {COLUMNS} FROM action_runs {filter} ORDER BY created_at DESC, id LIMIT {RUN_PAGE_SIZE} OFFSET {offset}");
        let (total, rows) = on_pool!(self, pool => {
            let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
            let mut list = sqlx::query_as::<_, RunRow>(&list_sql);
            for value in &binds {
                count = count.bind(value);
                list = list.bind(value);
            }
            (count.fetch_one(pool).await.map_err(db_error)?, list.fetch_all(pool).await.map_err(db_error)?)
        });
        let runs = rows.iter().map(RunRow::summary).collect::<Result<_, _>>()?;
        Ok(RunList { runs, total: u64::try_from(total).unwrap_or(0), page })
    }

    /// Every run waiting for approval, oldest first: few at any time.
    pub async fn pending_runs(&self) -> Result<Vec<RunRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM action_runs WHERE state = 'pending_approval' ORDER BY created_at, id");
        on_pool!(self, pool => sqlx::query_as::<_, RunRow>(&sql).fetch_all(pool).await.map_err(db_error))
    }

    /// The runs waiting for approval that `login` already approved or rejected.
    pub async fn pending_decided_by(&self, login: &str) -> Result<std::collections::HashSet<String>, StoreError> {
        let sql = "SELECT action_approvals.run_id FROM action_approvals JOIN action_runs ON action_runs.id = action_approvals.run_id
                   WHERE action_runs.state = 'pending_approval' AND LOWER(action_approvals.approver) = LOWER($1)";
        let ids: Vec<String> = on_pool!(self, pool => sqlx::query_scalar(sql).bind(login).fetch_all(pool).await.map_err(db_error))?;
        Ok(ids.into_iter().collect())
    }

    /// Logins that already decided on run `id`.
    pub async fn deciders(&self, id: &str) -> Result<Vec<String>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar::<_, String>("SELECT approver FROM action_approvals WHERE run_id = $1")
            .bind(id).fetch_all(pool).await.map_err(db_error))
    }
}
