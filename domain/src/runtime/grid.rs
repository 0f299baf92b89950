//! The environments grid: services down, environments across, one cell per environment.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{ProviderError, RuntimeStatus};
use crate::catalog::ServiceList;

/// The last time the portal asked a runtime about an environment, and its answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    pub status: Result<RuntimeStatus, ProviderError>,
    #[serde(with = "time::serde::rfc3339")]
    pub observed_at: OffsetDateTime,
}

impl Observation {
    pub fn version(&self) -> Option<&str> {
        self.status.as_ref().ok().and_then(|status| status.version.as_deref())
    }
}

/// One environment of one service, as the grid and the service page show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridCell {
    pub environment: String,
    pub production: bool,
    /// `local`, `kubernetes` or `ecs`.
    pub runtime: String,
    /// `None` until the runtime has been asked once.
    pub observation: Option<Observation>,
    /// The version of the environment before this one in the path, when it differs from this
    /// one's: the version a promotion would bring here.
    pub drift_from: Option<String>,
}

/// A service and its environments in promotion order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridRow {
    pub service: String,
    pub cells: Vec<GridCell>,
}

/// One page of the grid: the services page it is built on, the environment columns of the
/// page (every environment name its services use, in promotion order), and a row per service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridPage {
    pub services: ServiceList,
    pub columns: Vec<String>,
    pub rows: Vec<GridRow>,
}

impl GridPage {
    /// Builds the page from rows in service order. Columns follow the paths: a name not seen
    /// yet goes right after the environment before it in its own path (`staging` between `dev`
    /// and `prod`), or last when it starts a path.
    pub fn new(services: ServiceList, rows: Vec<GridRow>) -> Self {
        let mut columns: Vec<String> = Vec::new();
        for row in &rows {
            let mut previous: Option<usize> = None;
            for cell in &row.cells {
                let at = match columns.iter().position(|c| *c == cell.environment) {
                    Some(found) => found,
                    None => {
                        let at = previous.map_or(columns.len(), |p| p + 1);
                        columns.insert(at, cell.environment.clone());
                        at
                    }
                };
                previous = Some(at);
            }
        }
        Self { services, columns, rows }
    }
}

/// Fills in each cell's drift marker: a cell drifts when both it and the environment before it
/// report a version and the versions differ.
pub fn drift(cells: &mut [GridCell]) {
    let versions: Vec<Option<String>> =
        cells.iter().map(|cell| cell.observation.as_ref().and_then(|o| o.version().map(str::to_owned))).collect();
    for (i, cell) in cells.iter_mut().enumerate() {
        cell.drift_from = match (i.checked_sub(1).and_then(|p| versions[p].as_ref()), versions[i].as_ref()) {
            (Some(previous), Some(own)) if previous != own => Some(previous.clone()),
            _ => None,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::Health;

    fn cell(environment: &str, version: Option<&str>) -> GridCell {
        let status = RuntimeStatus {
            version: version.map(str::to_owned),
            desired: 1,
            ready: 1,
            updated: None,
            health: Health::Healthy,
            deployed_at: None,
            revision: None,
            conditions: vec![],
            instances: vec![],
        };
        GridCell {
            environment: environment.to_owned(),
            production: false,
            runtime: "local".to_owned(),
            observation: Some(Observation { status: Ok(status), observed_at: OffsetDateTime::UNIX_EPOCH }),
            drift_from: None,
        }
    }

    #[test]
    fn an_environment_drifts_when_it_runs_another_version_than_the_one_before_it() {
        let mut cells = vec![cell("dev", Some("1.4.0")), cell("staging", Some("1.4.0")), cell("prod", Some("1.3.2"))];
        drift(&mut cells);
        let marks: Vec<Option<&str>> = cells.iter().map(|c| c.drift_from.as_deref()).collect();
        assert_eq!(marks, [None, None, Some("1.4.0")]);
    }

    #[test]
    fn an_unknown_version_is_not_drift() {
        let mut cells = vec![cell("dev", Some("2")), cell("staging", None), cell("prod", Some("1"))];
        cells[1].observation = None;
        drift(&mut cells);
        assert!(cells.iter().all(|c| c.drift_from.is_none()));
    }

    #[test]
    fn columns_follow_the_promotion_paths() {
        let row = |names: &[&str]| GridRow {
            service: "s".into(),
            cells: names.iter().map(|n| cell(n, None)).collect(),
        };
        let page = GridPage::new(
            crate::catalog::ServiceList {
                items: vec![],
                total: 0,
                query: Default::default(),
                facets: Default::default(),
                problem_count: 0,
            },
            vec![row(&["dev", "prod"]), row(&["dev", "staging", "prod"]), row(&["qa"])],
        );
        assert_eq!(page.columns, ["dev", "staging", "prod", "qa"]);
    }
}
