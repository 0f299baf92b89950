//! `GET /api/v1/namespaces/{ns}/pods/{pod}/log`: a container's log as plain text, the last
//! `tailLines` lines, each prefixed with its RFC 3339 time when `timestamps=true`, and with
//! `follow=true` kept open, a chunk per new line, until the container's log ends.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::sync::broadcast;

use super::{Shared, status};

type Line = (OffsetDateTime, String);

/// One container's output so far, and the followers waiting for more (`None` ends it).
pub struct ContainerLog {
    lines: Vec<Line>,
    ended: bool,
    followers: broadcast::Sender<Option<Line>>,
}

impl Default for ContainerLog {
    fn default() -> Self {
        Self { lines: Vec::new(), ended: false, followers: broadcast::channel(256).0 }
    }
}

impl ContainerLog {
    pub fn write(&mut self, at: OffsetDateTime, text: &str) {
        self.lines.push((at, text.to_owned()));
        let _ = self.followers.send(Some((at, text.to_owned())));
    }

    pub fn end(&mut self) {
        self.ended = true;
        let _ = self.followers.send(None);
    }
}

pub async fn read(
    State(api): State<Shared>,
    Path((namespace, pod)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let flag = |name: &str| query.get(name).is_some_and(|v| v == "true");
    let (follow, timestamps) = (flag("follow"), flag("timestamps"));
    let tail: Option<usize> = query.get("tailLines").and_then(|n| n.parse().ok());
    let mut state = api.lock();
    let Some(object) = state.objects.get(&("pods".to_owned(), namespace.clone(), pod.clone())) else {
        return status(StatusCode::NOT_FOUND, "NotFound", format!("pods \"{pod}\" not found"));
    };
    let containers: Vec<String> =
        object["spec"]["containers"].as_array().into_iter().flatten().filter_map(|c| c["name"].as_str().map(str::to_owned)).collect();
    let container = match query.get("container") {
        Some(wanted) if containers.contains(wanted) => wanted.clone(),
        Some(wanted) => return status(StatusCode::BAD_REQUEST, "BadRequest", format!("container {wanted} is not valid for pod {pod}")),
        None if containers.len() == 1 => containers[0].clone(),
        None => {
            let choices = containers.join(" ");
            return status(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                format!("a container name must be specified for pod {pod}, choose one of: [{choices}]"),
            );
        }
    };
    let log = state.logs.entry((namespace, pod, container)).or_default();
    let skip = tail.map_or(0, |tail| log.lines.len().saturating_sub(tail));
    let backlog: Vec<Line> = log.lines[skip..].to_vec();
    // Subscribed under the same lock as the backlog was copied: no line falls in between.
    let followers = (follow && !log.ended).then(|| log.followers.subscribe());
    drop(state);

    let format = move |(at, text): Line| -> Result<String, std::io::Error> {
        Ok(if timestamps { format!("{} {text}\n", at.format(&Rfc3339).expect("an RFC 3339 time")) } else { format!("{text}\n") })
    };
    let later = futures_util::stream::unfold(followers, |followers| async move {
        let mut followers = followers?;
        match followers.recv().await {
            Ok(Some(line)) => Some((line, Some(followers))),
            Ok(None) | Err(_) => None,
        }
    });
    let body = futures_util::stream::iter(backlog).chain(later).map(format);
    ([(header::CONTENT_TYPE, "text/plain")], Body::from_stream(body)).into_response()
}
