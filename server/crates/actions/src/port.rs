//! The actions engine as pages and API routes see it. Every call checks the caller's rights
//! for the action, service and environment concerned; refused requests and decisions are
//! audited.

use std::collections::BTreeSet;

use domain::access::{Principal, RequestMeta};
use domain::actions::{
    ActionDef, ActionError, ActionForm, ActionPort, ApprovalAttempt, ApprovalRefusal, CONFIRM_FIELD, Decision, FieldErrors, InputChoices,
    OfferedAction, OperationRequest, RUN_PAGE_SIZE, RunList, RunQuery, RunRequest, RunState, RunView, approval_text, check_approval,
    check_confirmation, may_cancel, may_request, may_view_runs, role_there, split_secrets, validate_inputs,
};
use domain::audit::{Outcome, kinds, redact};
use domain::catalog::{Environment, RuntimeTarget, Service};
use domain::clock::now_micros;
use domain::future::BoxFuture;
use domain::runtime::ProviderError;
use domain::store::{CatalogStore, EnvironmentStore, StoreError};
use serde_json::{Value, json};

use super::{ActionEngine, run_inputs};
use store::runs::{Decided, NewRun, RunRow};
use store::rows::to_json;

pub(super) fn unavailable(error: StoreError) -> ActionError {
    tracing::error!(%error, "actions: storage failed");
    ActionError::Unavailable
}

/// A runtime target as runs keep it: the runtime and what it names there.
pub(super) fn run_target(target: &RuntimeTarget) -> String {
    format!("{} {}", target.kind(), domain::catalog::target_text(target))
}

impl ActionEngine {
    async fn service(&self, name: &str) -> Result<Service, ActionError> {
        self.store.service(name).await.map_err(unavailable)?
            .map(|detail| detail.service)
            .ok_or_else(|| ActionError::NotFound(format!("There is no service named {name}.")))
    }

    /// The action, service and environment of a request or form, checked: the action applies
    /// there, the runtime supports it and `principal` may request it.
    async fn resolve<'s>(
        &'s self,
        principal: &Principal,
        action: &str,
        service: &str,
        environment: Option<&str>,
    ) -> Result<(&'s ActionDef, Service, Option<Environment>), ActionError> {
        let def = self.definition(action).ok_or_else(|| ActionError::NotFound(format!("There is no action named {action}.")))?;
        let service = self.service(service).await?;
        if !def.applies.service(&service) {
            return Err(ActionError::Refused(format!("{} is not offered on {}.", def.title, service.name)));
        }
        let environment = match environment.filter(|e| !e.is_empty()) {
            Some(name) => {
                let env = service.environments.iter().find(|e| e.name == name).cloned()
                    .ok_or_else(|| ActionError::NotFound(format!("{} has no environment named {name}.", service.name)))?;
                if !def.applies.environment(&env) || !def.kind.runs_on(&env.target) {
                    return Err(ActionError::Refused(format!("{} is not offered on {} in {name}.", def.title, service.name)));
                }
                Some(env)
            }
            None if def.kind.needs_environment() || !def.applies.environments.is_empty() => {
                return Err(ActionError::Invalid(FieldErrors::from([("environment".to_owned(), "Choose an environment.".to_owned())])));
            }
            None => None,
        };
        may_request(&self.policy, principal, def, &service.owner, environment.as_ref().map(|e| e.name.as_str()))
            .map_err(|refusal| ActionError::Refused(refusal.to_string()))?;
        Ok((def, service, environment))
    }

    /// What the pickers offer on `service`: its environments, and the versions its
    /// environments run and ran.
    async fn choices(&self, service: &Service, environment: Option<&str>) -> Result<InputChoices, ActionError> {
        let cells = self.store.service_environments(&service.name).await.map_err(unavailable)?;
        let mut versions: BTreeSet<String> = cells.iter().filter_map(|c| c.observation.as_ref()?.version().map(str::to_owned)).collect();
        if let Some(environment) = environment {
            versions.extend(self.store.version_history(&service.name, environment, 20).await.map_err(unavailable)?);
        }
        Ok(InputChoices {
            environments: service.environments.iter().map(|e| e.name.clone()).collect(),
            versions: versions.into_iter().collect(),
        })
    }

    fn offer(def: &ActionDef, service: &Service, environment: Option<&Environment>) -> OfferedAction {
        let production = environment.is_some_and(|e| e.production);
        OfferedAction {
            id: def.id.clone(),
            title: def.title.clone(),
            description: def.description.clone(),
            kind: def.kind.name().to_owned(),
            service: service.name.clone(),
            environment: environment.map(|e| e.name.clone()),
            production,
            needs_approval: def.approval.as_ref().is_some_and(|p| p.applies(production)),
        }
    }

    /// Whether `principal` may approve `row` now, and why not.
    async fn approval_check(&self, principal: &Principal, row: &RunRow) -> Result<Result<(), ApprovalRefusal>, ActionError> {
        let deciders = self.store.deciders(&row.id).await.map_err(unavailable)?;
        let decided = deciders.iter().any(|d| d.eq_ignore_ascii_case(&principal.identity.login));
        self.approval_rule(principal, row, decided)
    }

    /// [`Self::approval_check`] when whether `principal` already decided on `row` is known.
    fn approval_rule(&self, principal: &Principal, row: &RunRow, already_decided: bool) -> Result<Result<(), ApprovalRefusal>, ActionError> {
        let def = row.definition().map_err(unavailable)?;
        let Some(policy) = def.approval.as_ref() else { return Ok(Err(ApprovalRefusal::NotPending)) };
        let environment = Some(row.environment.as_str()).filter(|e| !e.is_empty());
        Ok(check_approval(&ApprovalAttempt {
            policy,
            access: &self.policy,
            requester: &row.requester,
            approver: &principal.identity,
            approver_role: role_there(&self.policy, principal, &row.owner, environment),
            pending: row.state == RunState::PendingApproval.as_str(),
            already_decided,
            expires_at: row.expires_at,
            now: now_micros(),
        }))
    }

    async fn request_run(&self, principal: &Principal, meta: &RequestMeta, request: &RunRequest) -> Result<String, ActionError> {
        let refused = |reason: &str| {
            meta.event_by(principal, kinds::ACTION_REQUESTED, Outcome::Denied)
                .service(&request.service)
                .environment(request.environment.clone().unwrap_or_default())
                .inputs(json!({ "action": request.action }))
                .reason(reason)
        };
        let (def, service, environment) = match self.resolve(principal, &request.action, &request.service, request.environment.as_deref()).await {
            Ok(found) => found,
            Err(ActionError::Refused(reason)) => {
                self.store.append_or_log(&refused(&reason)).await;
                return Err(ActionError::Refused(reason));
            }
            Err(other) => return Err(other),
        };
        let env_name = environment.as_ref().map(|e| e.name.clone()).unwrap_or_default();
        let choices = self.choices(&service, environment.as_ref().map(|e| e.name.as_str())).await?;
        let mut errors = FieldErrors::new();
        let inputs = validate_inputs(&def.inputs, &request.values, &choices).unwrap_or_else(|e| {
            errors.extend(e);
            serde_json::Map::new()
        });
        let production = environment.as_ref().is_some_and(|e| e.production);
        if production && let Err(message) = check_confirmation(&service.name, request.confirm.as_deref()) {
            errors.insert(CONFIRM_FIELD.to_owned(), message);
        }
        if !errors.is_empty() {
            return Err(ActionError::Invalid(errors));
        }
        let now = now_micros();
        let approval = def.approval.as_ref().filter(|p| p.applies(production));
        // Secret values go to their own column, read only by the steps; everything shown or
        // recorded (the run, its audit event, notifications) carries the mark instead.
        let (inputs, secrets) = split_secrets(&def.inputs, &inputs);
        let run = NewRun {
            id: uuid::Uuid::new_v4().to_string(),
            action_id: def.id.clone(),
            action_title: def.title.clone(),
            kind: def.kind.name().to_owned(),
            definition: to_json(def).map_err(unavailable)?,
            service: service.name.clone(),
            environment: env_name.clone(),
            owner: service.owner.clone(),
            production,
            requester: principal.identity.login.clone(),
            inputs: to_json(&inputs).map_err(unavailable)?,
            secret_inputs: (!secrets.is_empty()).then(|| to_json(&secrets)).transpose().map_err(unavailable)?,
            state: if approval.is_some() { RunState::PendingApproval } else { RunState::Queued },
            approvals_needed: approval.map_or(0, |p| p.approvers),
            expires_at: approval.map(|p| now + i64::from(p.expires_after_minutes) * 60_000_000),
            created_at: now,
            target: environment.as_ref().map(|e| run_target(&e.target)).unwrap_or_default(),
        };
        let event = meta.event_by(principal, kinds::ACTION_REQUESTED, Outcome::Success)
            .service(&service.name)
            .environment(&env_name)
            .inputs(json!({ "run": run.id, "action": def.id, "inputs": redact(Value::Object(inputs)), "state": run.state.as_str() }));
        self.store.insert_run(&run, &event).await.map_err(unavailable)?;
        if approval.is_some() {
            let row = self.store.run_row(&run.id).await.map_err(unavailable)?;
            if let Some(summary) = row.as_ref().and_then(|r| r.summary().ok()) {
                self.notifier.approval_needed(&summary, &self.run_link(&run.id), &approval_text(def).unwrap_or_default());
            }
        } else {
            self.wake.notify_one();
        }
        Ok(run.id)
    }

    async fn decide_run(&self, principal: &Principal, meta: &RequestMeta, id: &str, decision: Decision, comment: Option<&str>) -> Result<(), ActionError> {
        let row = self.store.run_row(id).await.map_err(unavailable)?.ok_or_else(|| ActionError::NotFound("There is no such run.".to_owned()))?;
        let action = if decision == Decision::Approved { kinds::ACTION_APPROVED } else { kinds::ACTION_REJECTED };
        let event = |outcome| {
            meta.event_by(principal, action, outcome).service(&row.service).environment(&row.environment)
                .inputs(run_inputs(&row, json!({ "comment": comment })))
        };
        if let Err(refusal) = self.approval_check(principal, &row).await? {
            self.store.append_or_log(&event(Outcome::Denied).reason(refusal.to_string())).await;
            return Err(match refusal {
                ApprovalRefusal::NotPending | ApprovalRefusal::AlreadyDecided => ActionError::Conflict(refusal.to_string()),
                other => ActionError::Refused(other.to_string()),
            });
        }
        let comment = comment.map(str::trim).filter(|c| !c.is_empty()).map(|c| c.chars().take(2000).collect::<String>());
        let decided = self.store.decide_run(id, &principal.identity.login, decision, comment.as_deref(), now_micros(), &event(Outcome::Success))
            .await.map_err(unavailable)?;
        match decided {
            Decided::Queued => self.wake.notify_one(),
            Decided::Rejected => {
                if let Ok(mut summary) = row.summary() {
                    summary.state = RunState::Rejected;
                    self.notifier.run_ended(&summary, &self.run_link(id));
                }
            }
            Decided::Waiting => {}
            Decided::TooLate => return Err(ActionError::Conflict("This run is no longer waiting for approval.".to_owned())),
        }
        Ok(())
    }

    async fn cancel_run(&self, principal: &Principal, meta: &RequestMeta, id: &str) -> Result<(), ActionError> {
        let row = self.store.run_row(id).await.map_err(unavailable)?.ok_or_else(|| ActionError::NotFound("There is no such run.".to_owned()))?;
        let event = |outcome| {
            meta.event_by(principal, kinds::ACTION_CANCELLED, outcome).service(&row.service).environment(&row.environment)
                .inputs(run_inputs(&row, json!({})))
        };
        if !may_cancel(principal, &row.requester) {
            let reason = "Only the requester or an operator may cancel a run.";
            self.store.append_or_log(&event(Outcome::Denied).reason(reason)).await;
            return Err(ActionError::Refused(reason.to_owned()));
        }
        let state = row.state().map_err(unavailable)?;
        let by = format!("Cancelled by {}.", principal.identity.login);
        let moved = match state {
            RunState::PendingApproval | RunState::Queued => {
                self.store.end_run_from(id, state, RunState::Cancelled, &by, now_micros(), &event(Outcome::Success)).await.map_err(unavailable)?
            }
            RunState::Running => self.store.request_cancel(id, &event(Outcome::Success)).await.map_err(unavailable)?,
            _ => false,
        };
        if !moved {
            return Err(ActionError::Conflict("This run has already ended.".to_owned()));
        }
        if state != RunState::Running
            && let Ok(mut summary) = row.summary()
        {
            summary.state = RunState::Cancelled;
            self.notifier.run_ended(&summary, &self.run_link(id));
        }
        Ok(())
    }
}

fn may_view(principal: &Principal) -> Result<(), ActionError> {
    may_view_runs(principal).map_err(ActionError::Refused)
}

impl ActionPort for ActionEngine {
    fn offered<'a>(&'a self, principal: &'a Principal, service: &'a str) -> BoxFuture<'a, Result<Vec<OfferedAction>, ActionError>> {
        Box::pin(async move {
            let service = self.service(service).await?;
            let mut offered = Vec::new();
            for def in self.definitions.iter().filter(|d| d.applies.service(&service)) {
                if def.kind.needs_environment() || !def.applies.environments.is_empty() {
                    for env in service.environments.iter().filter(|e| def.applies.environment(e) && def.kind.runs_on(&e.target)) {
                        if may_request(&self.policy, principal, def, &service.owner, Some(&env.name)).is_ok() {
                            offered.push(Self::offer(def, &service, Some(env)));
                        }
                    }
                } else if may_request(&self.policy, principal, def, &service.owner, None).is_ok() {
                    offered.push(Self::offer(def, &service, None));
                }
            }
            // Whole-service actions first, then each environment's in promotion order.
            let position = |offer: &OfferedAction| {
                offer.environment.as_ref().and_then(|name| service.environments.iter().position(|e| &e.name == name)).map_or(0, |i| i + 1)
            };
            offered.sort_by_key(position);
            Ok(offered)
        })
    }

    fn form<'a>(&'a self, principal: &'a Principal, action: &'a str, service: &'a str, environment: Option<&'a str>) -> BoxFuture<'a, Result<ActionForm, ActionError>> {
        Box::pin(async move {
            let (def, service, environment) = self.resolve(principal, action, service, environment).await?;
            let choices = self.choices(&service, environment.as_ref().map(|e| e.name.as_str())).await?;
            let offered = Self::offer(def, &service, environment.as_ref());
            Ok(ActionForm {
                confirm_with: offered.production.then(|| service.name.clone()),
                approval: if offered.needs_approval { approval_text(def) } else { None },
                action: offered,
                fields: def.inputs.clone(),
                choices,
            })
        })
    }

    fn request<'a>(&'a self, principal: &'a Principal, meta: &'a RequestMeta, request: &'a RunRequest) -> BoxFuture<'a, Result<String, ActionError>> {
        Box::pin(self.request_run(principal, meta, request))
    }

    fn run<'a>(&'a self, principal: &'a Principal, id: &'a str) -> BoxFuture<'a, Result<Option<RunView>, ActionError>> {
        Box::pin(async move {
            may_view(principal)?;
            let Some(row) = self.store.run_row(id).await.map_err(unavailable)? else { return Ok(None) };
            // A run's inputs, steps and output say as much as the environment's logs: the same
            // rule decides who sees them. Lists show only summaries.
            if let Err(refusal) = self.policy.may_read_logs(principal, &row.owner, &row.environment, row.production) {
                let place = if row.environment.is_empty() { String::new() } else { format!(" in {}", row.environment) };
                return Err(ActionError::Refused(format!("Seeing this run needs the rights reading {}'s logs{place} needs. {refusal}", row.service)));
            }
            let run = self.store.run_detail(&row).await.map_err(unavailable)?;
            let approval = self.approval_check(principal, &row).await?.map_err(|refusal| refusal.to_string());
            let may_cancel = may_cancel(principal, &row.requester) && !run.summary.state.is_final();
            Ok(Some(RunView { run, approval, may_cancel }))
        })
    }

    fn runs<'a>(&'a self, principal: &'a Principal, query: &'a RunQuery) -> BoxFuture<'a, Result<RunList, ActionError>> {
        Box::pin(async move {
            may_view(principal)?;
            self.store.list_runs(query).await.map_err(unavailable)
        })
    }

    fn inbox<'a>(&'a self, principal: &'a Principal, page: u32) -> BoxFuture<'a, Result<RunList, ActionError>> {
        Box::pin(async move {
            may_view(principal)?;
            let mut waiting = Vec::new();
            // One query for every pending run this person decided on, not one per run.
            let decided = self.store.pending_decided_by(&principal.identity.login).await.map_err(unavailable)?;
            for row in self.store.pending_runs().await.map_err(unavailable)? {
                if self.approval_rule(principal, &row, decided.contains(&row.id))?.is_ok() {
                    waiting.push(row.summary().map_err(unavailable)?);
                }
            }
            let page = page.max(1);
            let total = waiting.len() as u64;
            // In u64: a page number from the URL times the page size overflows u32.
            let start = usize::try_from(u64::from(page - 1) * u64::from(RUN_PAGE_SIZE)).unwrap_or(usize::MAX);
            let runs = waiting.into_iter().skip(start).take(RUN_PAGE_SIZE as usize).collect();
            Ok(RunList { runs, total, page })
        })
    }

    fn decide<'a>(&'a self, principal: &'a Principal, meta: &'a RequestMeta, id: &'a str, decision: Decision, comment: Option<&'a str>) -> BoxFuture<'a, Result<(), ActionError>> {
        Box::pin(self.decide_run(principal, meta, id, decision, comment))
    }

    fn cancel<'a>(&'a self, principal: &'a Principal, meta: &'a RequestMeta, id: &'a str) -> BoxFuture<'a, Result<(), ActionError>> {
        Box::pin(self.cancel_run(principal, meta, id))
    }

    fn operate<'a>(&'a self, principal: &'a Principal, meta: &'a RequestMeta, request: &'a OperationRequest) -> BoxFuture<'a, Result<Result<(), ProviderError>, ActionError>> {
        Box::pin(self.operate_environment(principal, meta, request))
    }
}
