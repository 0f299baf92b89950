//! `portico env …`: operations on a running portal, through its API with an API token, so that
//! the platform engineer can restart or scale an environment from the host's shell and see it
//! on the pages at once.

use std::time::Duration;

use anyhow::Context;
use domain::runtime::Operation;
use url::Url;

/// Asks the portal at `base` to carry out `operation`, with `confirm` (the service's name,
/// which production environments ask for); returns its answer, or an error with the portal's
/// own message (401, 403, 404…).
pub async fn operate(
    base: &Url,
    token: &str,
    service: &str,
    environment: &str,
    operation: Operation,
    confirm: Option<&str>,
) -> anyhow::Result<String> {
    let mut url = base.clone();
    url.path_segments_mut()
        .map_err(|()| anyhow::anyhow!("{base} cannot be a base URL"))?
        .pop_if_empty()
        .extend(["api", "environments", service, environment, operation.name()]);
    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build()?;
    let mut body = serde_json::json!({ "confirm": confirm });
    if let Some(replicas) = operation.replicas() {
        body["replicas"] = serde_json::json!(replicas);
    }
    let request = client.post(url).bearer_auth(token).json(&body);
    let response = request.send().await.with_context(|| format!("cannot reach the portal at {base}"))?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default().trim().to_owned();
    if status.is_success() {
        Ok(text)
    } else {
        anyhow::bail!("the portal answered {status}: {text}")
    }
}
