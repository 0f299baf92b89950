//! The webhook step: the run's facts as a signed JSON payload to the action's endpoint.

use domain::actions::ActionKind;
use serde_json::json;

use super::{StepCx, StepError};
use crate::{ActionEngine, secret_bytes, webhook};

pub(super) async fn deliver(cx: &mut StepCx<'_>) -> Result<String, StepError> {
    let ActionKind::Webhook(call) = &cx.run.def.kind else { return Err(StepError::new("not a webhook")) };
    let secret = ActionEngine::webhook_secret(&call.secret_env)
        .ok_or_else(|| StepError::new(format!("the portal has no {} variable to sign the payload with", call.secret_env)))?;
    let payload = json!({
        "run": cx.run.row.id,
        "action": cx.run.def.id,
        "service": cx.run.row.service,
        "environment": cx.run.row.environment,
        "requester": cx.run.row.requester,
        "inputs": cx.run.inputs,
    });
    let delivered = webhook::deliver(&cx.engine.http, call, &secret_bytes(&secret), &cx.run.row.id, &payload)
        .await
        .map_err(|e| StepError::new(e.to_string()))?;
    Ok(format!("{} after {} attempt(s): {}", delivered.status, delivered.attempts, delivered.body_excerpt))
}
