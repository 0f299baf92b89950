//! What a run learns in one step and needs in a later one or in a compensation: kept with the
//! run after every step, so a portal that takes the run over knows it too.

use serde::{Deserialize, Serialize};

/// Unknown or missing fields read as absent, so runs recorded by an older portal still load.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct RunMemo {
    /// What ran before a deployment: a compensation deploys it again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_version: Option<String>,
    /// The version being deployed: the health wait waits for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_version: Option<String>,
    /// The scale before a scale step: a compensation scales back to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_replicas: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_replicas: Option<u32>,
    /// The GitHub Actions run a dispatch started.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow_run_id: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_keeps_the_names_runs_were_recorded_with() {
        let recorded = r#"{"previous_version":"1.4.0","target_version":"1.5.0","workflow_run_id":42,"unknown":true}"#;
        let memo: RunMemo = serde_json::from_str(recorded).expect("an older memo loads");
        assert_eq!(memo.previous_version.as_deref(), Some("1.4.0"));
        assert_eq!(memo.workflow_run_id, Some(42));
        assert_eq!(memo.previous_replicas, None);
        let written = serde_json::to_string(&RunMemo { target_replicas: Some(0), ..RunMemo::default() }).expect("json");
        assert_eq!(written, r#"{"target_replicas":0}"#);
    }
}
