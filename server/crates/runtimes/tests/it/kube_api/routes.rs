//! Reading, listing and patching the stored objects.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::selector::Selector;
use super::{Shared, patch, status};

/// The group a resource is served under, its kind, and the group-qualified name errors use.
fn resource(uri: &Uri, plural: &str) -> Option<(&'static str, &'static str)> {
    let apps = uri.path().starts_with("/apis/apps/v1/");
    match (apps, plural) {
        (true, "deployments") => Some(("Deployment", "deployments.apps")),
        (true, "replicasets") => Some(("ReplicaSet", "replicasets.apps")),
        (false, "pods") => Some(("Pod", "pods")),
        _ => None,
    }
}

fn no_such_resource() -> Response {
    status(StatusCode::NOT_FOUND, "NotFound", "the server could not find the requested resource".into())
}

fn json_response(value: &Value) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], value.to_string()).into_response()
}

pub async fn read(State(api): State<Shared>, uri: Uri, Path((namespace, plural, name)): Path<(String, String, String)>) -> Response {
    let Some((_, qualified)) = resource(&uri, &plural) else { return no_such_resource() };
    match api.lock().objects.get(&(plural, namespace, name.clone())) {
        Some(object) => json_response(object),
        None => status(StatusCode::NOT_FOUND, "NotFound", format!("{qualified} \"{name}\" not found")),
    }
}

/// A list: `{kind}List`, the list's resource version, and the items without their own
/// `kind` and `apiVersion`, as the API server sends them.
pub async fn list(
    State(api): State<Shared>,
    uri: Uri,
    Path((namespace, plural)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some((kind, _)) = resource(&uri, &plural) else { return no_such_resource() };
    let selector = match Selector::parse(query.get("labelSelector").map_or("", String::as_str)) {
        Ok(selector) => selector,
        Err(problem) => return status(StatusCode::BAD_REQUEST, "BadRequest", format!("unable to parse requirement: {problem}")),
    };
    let cluster = api.lock();
    let items: Vec<Value> = cluster
        .objects
        .iter()
        .filter(|((p, ns, _), object)| *p == plural && *ns == namespace && selector.matches(object))
        .map(|(_, object)| {
            let mut item = object.clone();
            if let Some(fields) = item.as_object_mut() {
                fields.remove("kind");
                fields.remove("apiVersion");
            }
            item
        })
        .collect();
    let api_version = if kind == "Pod" { "v1" } else { "apps/v1" };
    json_response(&json!({
        "kind": format!("{kind}List"),
        "apiVersion": api_version,
        "metadata": { "resourceVersion": cluster.last_resource_version.to_string() },
        "items": items,
    }))
}

/// Applies a merge or strategic merge patch. A `metadata.resourceVersion` in the patch is a
/// precondition, as on the real server; a changed `spec` moves `metadata.generation` on.
pub async fn patch(
    State(api): State<Shared>,
    uri: Uri,
    Path((namespace, plural, name)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some((_, qualified)) = resource(&uri, &plural) else { return no_such_resource() };
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let change: Value = match serde_json::from_slice(&body) {
        Ok(change) => change,
        Err(error) => return status(StatusCode::BAD_REQUEST, "BadRequest", format!("error decoding patch: {error}")),
    };
    let mut cluster = api.lock();
    let key = (plural, namespace, name.clone());
    let Some(stored) = cluster.objects.get(&key).cloned() else {
        return status(StatusCode::NOT_FOUND, "NotFound", format!("{qualified} \"{name}\" not found"));
    };
    let expected = &change["metadata"]["resourceVersion"];
    if !expected.is_null() && *expected != stored["metadata"]["resourceVersion"] {
        let message = format!(
            "Operation cannot be fulfilled on {qualified} \"{name}\": the object has been modified; please apply your changes to the latest version and try again"
        );
        return status(StatusCode::CONFLICT, "Conflict", message);
    }
    let mut updated = stored.clone();
    match content_type {
        "application/merge-patch+json" => patch::merge(&mut updated, &change),
        "application/strategic-merge-patch+json" => {
            if let Err(problem) = patch::strategic(&mut updated, &change) {
                return status(StatusCode::BAD_REQUEST, "BadRequest", problem);
            }
        }
        other => {
            let message = format!(
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got {other:?})"
            );
            return status(StatusCode::UNSUPPORTED_MEDIA_TYPE, "UnsupportedMediaType", message);
        }
    }
    if updated["spec"] != stored["spec"] {
        updated["metadata"]["generation"] = json!(stored["metadata"]["generation"].as_i64().unwrap_or(0) + 1);
    }
    updated["metadata"]["resourceVersion"] = json!(cluster.next_resource_version());
    cluster.objects.insert(key, updated.clone());
    json_response(&updated)
}
