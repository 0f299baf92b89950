//! Self-service actions: what the visitor may run, an action's form, requesting a run, a run's
//! page, the runs list, the approvals inbox and the decisions on a run. Each function hands
//! the request to the actions engine, which checks permission and audits refusals itself.
//!
//! The three that change something (`request_run`, `decide_run`, `cancel_run`) take form
//! encoding, so their forms post straight to them without JavaScript; the others take JSON.

use std::collections::BTreeMap;

use domain::actions::{ActionForm, OfferedAction, RunList, RunQuery, RunView};
#[cfg(feature = "ssr")]
use domain::actions::{ActionError, Decision, RunRequest};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::ApiError;
#[cfg(feature = "ssr")]
use super::Services;

/// The actions the visitor may run on `service`, for each environment they apply to.
#[server(input = Json, endpoint = "actions/offered")]
pub async fn offered_actions(service: String) -> Result<Vec<OfferedAction>, ApiError> {
    let (services, principal) = caller()?;
    services.actions.offered(&principal, &service).await.map_err(api_error)
}

/// The form of `action` on `service` (in `environment`, for actions that need one).
// Named apart from the domain's `ActionForm`, which it returns.
#[server(name = GetActionForm, input = Json, endpoint = "actions/form")]
pub async fn action_form(action: String, service: String, environment: Option<String>) -> Result<ActionForm, ApiError> {
    let (services, principal) = caller()?;
    let environment = non_empty(environment);
    services.actions.form(&principal, &action, &service, environment.as_deref()).await.map_err(api_error)
}

/// Records a run of `action` and sends the browser to its page. Invalid fields come back as
/// [`ApiError::Invalid`] with what was typed, so the form shows each message next to its field
/// and keeps the values, with or without JavaScript. `values` holds each field as typed
/// (`values[replicas]=3`); `confirm` the service's name typed again, for production.
#[server(endpoint = "actions/request")]
pub async fn request_run(
    action: String,
    service: String,
    #[server(default)] environment: Option<String>,
    #[server(default)] values: BTreeMap<String, String>,
    #[server(default)] confirm: Option<String>,
    #[server(default)] checkboxes: String,
) -> Result<String, ApiError> {
    let (services, principal) = caller()?;
    // An unticked checkbox posts nothing, which would leave a box ticked by default ticked:
    // the form lists its checkboxes (comma-separated), and those it did not send are false.
    let mut values = values;
    for name in checkboxes.split(',').map(str::trim).filter(|name| !name.is_empty()) {
        values.entry(name.to_owned()).or_insert_with(|| "false".to_owned());
    }
    let request = RunRequest { action, service, environment: non_empty(environment), values, confirm };
    match services.actions.request(&principal, &Services::request_meta(), &request).await {
        Ok(id) => {
            leptos_axum::redirect(&crate::url::run_href(&id));
            Ok(id)
        }
        Err(ActionError::Invalid(fields)) => {
            set_status(http::StatusCode::UNPROCESSABLE_ENTITY);
            // Without JavaScript these values travel back in the redirect's address, so they
            // land in the browser's history: secret inputs are left for the person to type again.
            let form = services.actions.form(&principal, &request.action, &request.service, request.environment.as_deref()).await;
            let mut values = request.values;
            match form {
                Ok(form) => values.retain(|name, _| form.fields.iter().any(|field| &field.name == name && !field.secret)),
                Err(_) => values.clear(),
            }
            Err(ApiError::Invalid { fields, values, confirm: request.confirm })
        }
        Err(error) => Err(api_error(error)),
    }
}

/// One run and what the visitor may do with it; `None` when there is no such run.
// Named apart from the domain's `RunView`, which it returns.
#[server(name = GetRunView, input = Json, endpoint = "actions/run")]
pub async fn run_view(id: String) -> Result<Option<RunView>, ApiError> {
    let (services, principal) = caller()?;
    services.actions.run(&principal, &id).await.map_err(api_error)
}

/// One page of runs matching `query`, newest first.
#[server(input = Json, endpoint = "actions/runs")]
pub async fn list_runs(query: RunQuery) -> Result<RunList, ApiError> {
    let (services, principal) = caller()?;
    services.actions.runs(&principal, &query).await.map_err(api_error)
}

/// One page (1-based) of the runs waiting for an approval the visitor may give, oldest first.
#[server(input = Json, endpoint = "actions/inbox")]
pub async fn approvals_inbox(page: u32) -> Result<RunList, ApiError> {
    let (services, principal) = caller()?;
    services.actions.inbox(&principal, page.max(1)).await.map_err(api_error)
}

/// Approves (`approve` true) or rejects a run waiting for approval, with an optional comment.
#[server(endpoint = "actions/decide")]
pub async fn decide_run(id: String, approve: bool, #[server(default)] comment: Option<String>) -> Result<(), ApiError> {
    let (services, principal) = caller()?;
    let decision = if approve { Decision::Approved } else { Decision::Rejected };
    let comment = non_empty(comment);
    services.actions.decide(&principal, &Services::request_meta(), &id, decision, comment.as_deref()).await.map_err(api_error)
}

/// Cancels a run: at once when it has not started, between steps when it runs.
#[server(endpoint = "actions/cancel")]
pub async fn cancel_run(id: String) -> Result<(), ApiError> {
    let (services, principal) = caller()?;
    services.actions.cancel(&principal, &Services::request_meta(), &id).await.map_err(api_error)
}

/// The portal and the signed-in person calling.
#[cfg(feature = "ssr")]
fn caller() -> Result<(Services, domain::access::Principal), ApiError> {
    let services = Services::current()?;
    let principal = Services::signed_in().inspect_err(|_| set_status(http::StatusCode::UNAUTHORIZED))?;
    Ok((services, principal))
}

/// A form may send an empty field for "none".
#[cfg(feature = "ssr")]
fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// What the browser may see of an engine error, with the matching status for scripts.
#[cfg(feature = "ssr")]
fn api_error(error: ActionError) -> ApiError {
    let error = ApiError::from(error);
    set_status(error.http_status());
    error
}

/// Sets the response status, except for a form posted without JavaScript: that one must stay
/// the redirect back to its page, which then shows the error.
#[cfg(feature = "ssr")]
fn set_status(status: http::StatusCode) {
    let parts = use_context::<http::request::Parts>();
    let accept = parts.as_ref().and_then(|parts| parts.headers.get(http::header::ACCEPT)).and_then(|v| v.to_str().ok());
    let plain_form = accept.is_some_and(|accept| accept.contains("text/html"));
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && !plain_form
    {
        response.set_status(status);
    }
}
