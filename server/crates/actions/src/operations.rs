//! Direct operations on an environment (restart, stop, start, scale), done at once without a
//! run: the environment route and `portico env` ask for them through [`ActionPort::operate`],
//! and the restart and scale steps carry them out with the same [`Operation::apply`].
//!
//! The same rules as actions apply: the operator role on the service there (so owners-only
//! environments stay with their owners), the service's name typed again in production, and no
//! direct way around an action whose approval policy covers the same operation there.
//!
//! [`ActionPort::operate`]: domain::actions::ActionPort::operate

use domain::access::{Principal, RequestMeta, Role};
use domain::actions::{ActionError, CONFIRM_FIELD, FieldErrors, OperationRequest, check_confirmation, role_there};
use domain::audit::Outcome;
use domain::runtime::{Placement, ProviderError};
use domain::store::{AuditStore, CatalogStore};
use serde_json::json;

use super::ActionEngine;
use super::port::unavailable;

impl ActionEngine {
    pub(super) async fn operate_environment(
        &self,
        principal: &Principal,
        meta: &RequestMeta,
        request: &OperationRequest,
    ) -> Result<Result<(), ProviderError>, ActionError> {
        let OperationRequest { service, environment, operation, confirm } = request;
        let missing = || ActionError::NotFound(format!("{service} has no environment named {environment}."));
        let service = self.store.service(service).await.map_err(unavailable)?.ok_or_else(missing)?.service;
        let env = service.environments.iter().find(|e| &e.name == environment).cloned().ok_or_else(missing)?;
        let action = operation.audit_kind();
        let held = role_there(&self.policy, principal, &service.owner, Some(&env.name));
        let refusal = if held.is_none_or(|role| role < Role::Operator) {
            Some(ActionError::Refused(domain::access::AccessError::Forbidden { needed: Role::Operator, held }.to_string()))
        } else if let Some(def) = self.approval_for(operation.action_kind(), &service, &env) {
            let name = operation.name();
            Some(ActionError::Refused(format!("{name} in {} needs approval here: request the `{}` action ({}) instead.", env.name, def.id, def.title)))
        } else if let Some(Err(reason)) = env.production.then(|| check_confirmation(&service.name, confirm.as_deref())) {
            Some(ActionError::Invalid(FieldErrors::from([(CONFIRM_FIELD.to_owned(), reason)])))
        } else {
            None
        };
        let event = |outcome| meta.event_by(principal, action, outcome).service(&service.name).environment(&env.name);
        if let Some(refusal) = refusal {
            let reason = match &refusal {
                ActionError::Invalid(fields) => fields.values().cloned().collect::<Vec<_>>().join(" "),
                other => other.to_string(),
            };
            self.store.append_or_log(&event(Outcome::Denied).reason(reason)).await;
            return Err(refusal);
        }
        let mut inputs = json!({ "runtime": env.target.kind() });
        if let Some(replicas) = operation.replicas() {
            inputs["replicas"] = json!(replicas);
        }
        // Recorded before the runtime is called: an operation that cannot be audited does not happen.
        self.store.append(&event(Outcome::Success).inputs(inputs.clone())).await.map_err(unavailable)?;
        let placement = Placement { service: service.name.clone(), environment: env.clone() };
        let result = operation.apply(self.runtimes.as_ref(), &placement).await;
        if let Err(error) = &result {
            inputs["error"] = json!(error.to_string());
            if let Err(error) = self.store.append(&event(Outcome::Failure).inputs(inputs)).await {
                tracing::error!(%error, %action, "cannot record that an operation failed");
            }
        }
        Ok(result)
    }
}
