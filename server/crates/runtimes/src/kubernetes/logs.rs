//! The logs of every pod of a Deployment, followed as one stream. The pod list is read again
//! every few seconds, so the pods a restart, a rollout or a scale-up creates are followed too.

use std::collections::HashSet;
use std::time::Duration;

use domain::runtime::{LogLine, LogSource, LogStream, ProviderError};
use futures_util::io::AsyncBufReadExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::LogParams;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::api::{DeploymentRef, LogReader};
use super::instances::has_started;

/// How often the pod list is read again while logs are followed.
const POLL: Duration = Duration::from_secs(2);

/// Lines waiting for the reader; a pod whose lines are not read waits for room.
const BUFFER: usize = 1024;

type Lines = mpsc::Sender<Result<LogLine, ProviderError>>;

/// Opens the logs of the pods running now (`tail` lines each, then new ones) and keeps
/// following pods as they appear until the stream is dropped. Errors opening the first logs are
/// returned; later, an error that will not pass (the portal lost its permission) ends the
/// stream, and a pod's log ending (its container exited) is no error.
pub async fn follow(deployment: DeploymentRef, selector: String, tail: u32) -> Result<LogStream, ProviderError> {
    let pods = deployment.pods(&selector).await?;
    let (sender, mut receiver) = mpsc::channel(BUFFER);
    let mut follower = Follower { deployment, selector, sender, followed: HashSet::new(), pumps: JoinSet::new() };
    follower.follow_new(&pods, Some(tail)).await?;
    tokio::spawn(follower.run());
    let stream = futures_util::stream::poll_fn(move |context| receiver.poll_recv(context));
    Ok(Box::pin(stream))
}

struct Follower {
    deployment: DeploymentRef,
    selector: String,
    sender: Lines,
    /// The pods whose logs are (or were) followed, so that none is followed twice.
    followed: HashSet<String>,
    /// One task per followed pod; dropping the set, when the reader has gone, stops them.
    pumps: JoinSet<()>,
}

impl Follower {
    async fn run(mut self) {
        loop {
            tokio::select! {
                () = self.sender.closed() => return,
                () = tokio::time::sleep(POLL) => {}
            }
            while self.pumps.try_join_next().is_some() {}
            let result = match self.deployment.pods(&self.selector).await {
                Ok(pods) => {
                    self.followed.retain(|name| pods.iter().any(|pod| pod.metadata.name.as_ref() == Some(name)));
                    // A pod that appears now started after the stream opened: all of its log is new.
                    self.follow_new(&pods, None).await
                }
                Err(error) => Err(error),
            };
            match result {
                Ok(()) => {}
                // Already retried within the call; the next poll tries again.
                Err(error) if error.is_transient() => tracing::debug!(%error, "following logs: trying again at the next poll"),
                Err(error) => {
                    let _ = self.sender.send(Err(error)).await;
                    return;
                }
            }
        }
    }

    /// Opens, all at once, the logs of the pods not followed yet whose container has started.
    /// A log that cannot be opened yet (the container is being created, the pod was just
    /// deleted) is tried again at the next poll.
    async fn follow_new(&mut self, pods: &[Pod], tail: Option<u32>) -> Result<(), ProviderError> {
        let new: Vec<(String, LogParams)> = pods
            .iter()
            .filter_map(|pod| {
                let name = pod.metadata.name.clone().filter(|name| !self.followed.contains(name))?;
                let container = match self.deployment.container() {
                    Some(container) => container.to_owned(),
                    None => pod.spec.as_ref()?.containers.first()?.name.clone(),
                };
                has_started(pod, &container).then(|| (name, params(container, tail)))
            })
            .collect();
        let opened = futures_util::future::join_all(new.iter().map(|(pod, params)| self.deployment.open_log(pod, params))).await;
        for ((pod, _), result) in new.into_iter().zip(opened) {
            match result {
                Ok(reader) => {
                    self.followed.insert(pod.clone());
                    self.pumps.spawn(pump(reader, pod, self.sender.clone()));
                }
                Err(error @ (ProviderError::NotFound(_) | ProviderError::Invalid(_) | ProviderError::Failed(_))) => {
                    tracing::debug!(%error, pod, "log not ready: trying again at the next poll");
                }
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }
}

fn params(container: String, tail: Option<u32>) -> LogParams {
    LogParams {
        container: Some(container),
        follow: true,
        tail_lines: tail.map(i64::from),
        timestamps: true,
        ..LogParams::default()
    }
}

/// Sends a pod's lines on until its log ends or the reader goes away.
async fn pump(mut reader: LogReader, pod: String, lines: Lines) {
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        match reader.read_until(b'\n', &mut buffer).await {
            Ok(0) => return,
            Ok(_) => {
                if lines.send(Ok(parse_line(&pod, &buffer))).await.is_err() {
                    return;
                }
            }
            Err(error) => {
                let text = format!("the log of pod {pod} broke off: {error}");
                let note = LogLine { at: OffsetDateTime::now_utc(), instance: pod, source: LogSource::Portal, text };
                let _ = lines.send(Ok(note)).await;
                return;
            }
        }
    }
}

/// One line as the API sends it with `timestamps=true`: `2025-03-04T05:06:07.123456789Z text`.
/// Kubernetes keeps stdout and stderr in one log, so every line counts as stdout.
fn parse_line(pod: &str, raw: &[u8]) -> LogLine {
    let text = String::from_utf8_lossy(raw);
    let text = text.trim_end_matches(['\n', '\r']);
    let (stamp, rest) = text.split_once(' ').unwrap_or((text, ""));
    let (at, text) = match OffsetDateTime::parse(stamp, &Rfc3339) {
        Ok(at) => (at, rest),
        Err(_) => (OffsetDateTime::now_utc(), text),
    };
    LogLine { at, instance: pod.to_owned(), source: LogSource::Stdout, text: text.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timestamp_prefix_becomes_the_time_of_the_line() {
        let line = parse_line("checkout-7d9-abcde", b"2025-03-04T05:06:07.123456789Z listening on :8080\n");
        assert_eq!(line.at, time::macros::datetime!(2025-03-04 05:06:07.123456789 UTC));
        assert_eq!(line.text, "listening on :8080");
        assert_eq!(line.instance, "checkout-7d9-abcde");
        assert_eq!(parse_line("p", b"2025-03-04T05:06:07Z \r\n").text, "");
        assert_eq!(parse_line("p", b"2025-03-04T05:06:07Z").text, "");
    }

    #[test]
    fn a_line_without_a_timestamp_is_kept_whole() {
        let line = parse_line("p", b"plain words here\n");
        assert_eq!(line.text, "plain words here");
    }

    #[test]
    fn bytes_that_are_not_utf8_do_not_lose_the_line() {
        assert_eq!(parse_line("p", b"2025-03-04T05:06:07Z caf\xe9\n").text, "caf\u{fffd}");
    }
}
