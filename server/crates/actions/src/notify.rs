//! Chat notifications through an incoming webhook: `{"text": "..."}` is what Slack accepts,
//! and Mattermost and Rocket.Chat accept the same. Sent in the background: a chat that is
//! down must never hold up or fail a run, so failures are only logged. The webhook URL is the
//! secret (whoever has it can post), so it is never logged.

use std::time::Duration;

use domain::actions::RunSummary;
use secrecy::{ExposeSecret, SecretString};

/// Per attempt.
const TIMEOUT: Duration = Duration::from_secs(5);
const ATTEMPTS: u32 = 2;
const PAUSE: Duration = Duration::from_secs(1);

/// Posts run events to a chat channel, or does nothing when no webhook is configured.
#[derive(Clone)]
pub struct Notifier {
    url: Option<SecretString>,
    client: reqwest::Client,
}

impl Notifier {
    /// `None`: notifications are off.
    pub fn new(url: Option<SecretString>, client: reqwest::Client) -> Self {
        Self { url: url.filter(|url| !url.expose_secret().trim().is_empty()), client }
    }

    /// Whether messages are sent at all.
    pub fn is_enabled(&self) -> bool {
        self.url.is_some()
    }

    /// A run waits for approval; `approvers` says how many and whose, e.g. "1 approval by an
    /// operator".
    pub fn approval_needed(&self, run: &RunSummary, link: &str, approvers: &str) {
        self.post(approval_text(run, link, approvers));
    }

    /// A run ended, however it ended.
    pub fn run_ended(&self, run: &RunSummary, link: &str) {
        self.post(ended_text(run, link));
    }

    fn post(&self, text: String) {
        let Some(url) = self.url.clone() else { return };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::warn!("chat notification not sent: no async runtime");
            return;
        };
        let client = self.client.clone();
        runtime.spawn(async move {
            let body = serde_json::json!({ "text": text });
            for attempt in 1..=ATTEMPTS {
                let sent = client.post(url.expose_secret()).timeout(TIMEOUT).json(&body).send().await;
                // `without_url`: the URL is the secret.
                let failure = match sent {
                    Ok(response) if response.status().is_success() => return,
                    Ok(response) => format!("the chat answered {}", response.status().as_u16()),
                    Err(error) if error.is_timeout() => format!("no answer within {} s", TIMEOUT.as_secs()),
                    Err(error) => error.without_url().to_string(),
                };
                tracing::warn!(attempt, attempts = ATTEMPTS, %failure, "chat notification failed");
                if attempt < ATTEMPTS {
                    tokio::time::sleep(PAUSE).await;
                }
            }
        });
    }
}

/// "*Promote* on checkout (prod) requested by ada needs 1 approval by an operator: <link|open the run>"
pub fn approval_text(run: &RunSummary, link: &str, approvers: &str) -> String {
    format!(
        "*{}* on {} requested by {} needs {}: <{link}|open the run>",
        escape(&run.action_title),
        target(run),
        escape(&run.requester),
        escape(approvers)
    )
}

/// "*Restart* on checkout (dev) by ada: Succeeded <link|open>"
pub fn ended_text(run: &RunSummary, link: &str) -> String {
    format!("*{}* on {} by {}: {} <{link}|open>", escape(&run.action_title), target(run), escape(&run.requester), run.state.label())
}

/// The service, and the environment when the run is about one.
fn target(run: &RunSummary) -> String {
    if run.environment.is_empty() {
        escape(&run.service)
    } else {
        format!("{} ({})", escape(&run.service), escape(&run.environment))
    }
}

/// Slack reads `<`, `>` and `&` as markup: names must not open links or mentions.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
