use domain::access::{Principal, Role, TokenUse};
use domain::actions::{ActionError, RunQuery, RunRequest, RunState, StepState};
use domain::runtime::Runtime;
use domain::store::EnvironmentStore;

use super::setup::{ACTIONS, meta, person, request, shop};
use crate::support::{Engine, on_both_engines};

on_both_engines!(
    a_restart_runs_to_success_and_every_step_is_audited,
    a_failed_health_check_puts_the_previous_version_back,
    task_inputs_reach_the_command_as_variables_never_as_shell,
    invalid_inputs_are_refused_per_field_and_nothing_is_recorded,
    people_without_the_role_are_refused_and_audited,
    a_waiting_run_is_cancelled_by_its_requester_only,
    an_operator_cancels_a_running_task_and_it_stops,
    a_production_run_is_seen_only_by_those_who_may_read_its_logs,
);

async fn a_production_run_is_seen_only_by_those_who_may_read_its_logs(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let ada = person("ada", Role::Developer);
    let confirmed = RunRequest { confirm: Some("shop-api".into()), ..request("restart", "shop-api", Some("prod"), &[]) };
    let prod = shop.engine().request(&ada, &meta(), &confirmed).await.expect("requested");
    let dev = shop.engine().request(&ada, &meta(), &request("restart", "shop-api", Some("dev"), &[])).await.expect("requested");
    let vic = person("vic", Role::Viewer);
    let refused = shop.engine().run(&vic, &prod).await;
    assert!(matches!(&refused, Err(ActionError::Refused(reason)) if reason.contains("logs in prod") && reason.contains("developer")), "{refused:?}");
    assert!(shop.engine().run(&vic, &dev).await.expect("dev runs are for viewers too").is_some());
    // bob is a viewer by grant, but a developer on the services his team owns.
    assert!(shop.engine().run(&person("bob", Role::Viewer), &prod).await.expect("the owning team sees it").is_some());
    assert!(shop.engine().run(&ada, &prod).await.expect("the requester sees it").is_some());
    // The list shows who asked for what, never inputs or output.
    let listed = shop.engine().runs(&vic, &RunQuery { page: 1, ..RunQuery::default() }).await.expect("list");
    assert_eq!(listed.total, 2);
}

async fn a_restart_runs_to_success_and_every_step_is_audited(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let ada = person("ada", Role::Developer);
    let id = shop.engine().request(&ada, &meta(), &request("restart", "shop-api", Some("dev"), &[])).await.expect("requested");
    let row = shop.until_final(&id).await;
    assert_eq!(row.state().expect("state"), RunState::Succeeded, "{:?}", row.message);
    let steps = shop.app.store.run_steps(&id).await.expect("steps");
    let names: Vec<(&str, StepState)> = steps.iter().map(|s| (s.name.as_str(), s.state)).collect();
    assert_eq!(names, [("restart", StepState::Succeeded), ("wait until healthy", StepState::Succeeded)]);
    let audit = shop.audit_of(&id).await;
    let actions: Vec<&str> = audit.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(actions, ["action.requested", "action.started", "action.step", "action.step", "action.finished"]);
    assert!(audit.iter().all(|(_, outcome)| outcome == "success"), "{audit:?}");
    let listed = shop.engine().runs(&ada, &RunQuery { requester: Some("ada".into()), page: 1, ..RunQuery::default() }).await.expect("list");
    assert_eq!(listed.runs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [id.as_str()]);
}

async fn a_failed_health_check_puts_the_previous_version_back(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    // dev now runs a version that cannot start; promoting it to prod must fail and undo.
    let dev = shop.app.store.placement("shop-api", "dev").await.expect("read").expect("dev");
    shop.app.runtimes.set_version(&dev.placement, "bad").await.expect("set dev version");
    let ada = person("ada", Role::Developer);
    let grace = person("grace", Role::Operator);
    let mut promote = request("promote", "shop-api", Some("prod"), &[]);
    promote.confirm = Some("shop-api".into());
    let id = shop.engine().request(&ada, &meta(), &promote).await.expect("requested");
    shop.engine().decide(&grace, &meta(), &id, domain::actions::Decision::Approved, None).await.expect("approved");
    let row = shop.until_final(&id).await;
    assert_eq!(row.state().expect("state"), RunState::RolledBack, "{:?}", row.message);
    let steps = shop.app.store.run_steps(&id).await.expect("steps");
    let seen: Vec<(&str, bool, StepState)> = steps.iter().map(|s| (s.name.as_str(), s.compensation, s.state)).collect();
    assert_eq!(
        seen,
        [
            ("find the version to promote", false, StepState::Succeeded),
            ("deploy the version", false, StepState::Undone),
            ("wait until healthy", false, StepState::Failed),
            ("undo: put the previous version back", true, StepState::Succeeded),
        ]
    );
    assert!(steps[3].output.contains("1.0.0"), "{}", steps[3].output);
    shop.until_running("shop-api", "prod").await;
    let prod = shop.app.store.placement("shop-api", "prod").await.expect("read").expect("prod");
    let status = shop.app.runtimes.status(&prod.placement).await.expect("status");
    assert_eq!(status.version.as_deref(), Some("1.0.0"));
    let audit = shop.audit_of(&id).await;
    assert!(audit.contains(&("action.finished".to_owned(), "failure".to_owned())), "{audit:?}");
    assert_eq!(audit.iter().filter(|(a, _)| a == "action.step").count(), 4, "{audit:?}");
}

async fn task_inputs_reach_the_command_as_variables_never_as_shell(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let ada = person("ada", Role::Developer);
    let words = "$(echo injected); `id`";
    let id = shop.engine().request(&ada, &meta(), &request("say", "shop-worker", Some("dev"), &[("words", words)])).await.expect("requested");
    let row = shop.until_final(&id).await;
    assert_eq!(row.state().expect("state"), RunState::Succeeded, "{:?}", row.message);
    let steps = shop.app.store.run_steps(&id).await.expect("steps");
    assert_eq!(steps[0].output.trim(), format!("said: {words}"));
}

async fn invalid_inputs_are_refused_per_field_and_nothing_is_recorded(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let ada = person("ada", Role::Developer);
    let refused = shop.engine().request(&ada, &meta(), &request("scale", "shop-api", Some("dev"), &[("replicas", "9"), ("forged", "x")])).await;
    let Err(ActionError::Invalid(errors)) = refused else { panic!("accepted: {refused:?}") };
    assert!(errors["replicas"].contains("at most 4"), "{errors:?}");
    assert!(errors.contains_key("forged"), "{errors:?}");
    let missing = shop.engine().request(&ada, &meta(), &request("restart", "shop-api", None, &[])).await;
    assert!(matches!(&missing, Err(ActionError::Invalid(e)) if e.contains_key("environment")), "{missing:?}");
    let unconfirmed = shop.engine().request(&person("grace", Role::Operator), &meta(), &request("promote", "shop-api", Some("prod"), &[])).await;
    assert!(matches!(&unconfirmed, Err(ActionError::Invalid(e)) if e.contains_key("confirm")), "{unconfirmed:?}");
    let nowhere = shop.engine().request(&ada, &meta(), &request("restart", "shop-api", Some("qa"), &[])).await;
    assert!(matches!(nowhere, Err(ActionError::NotFound(_))));
    let all = shop.engine().runs(&ada, &RunQuery { page: 1, ..RunQuery::default() }).await.expect("list");
    assert_eq!(all.total, 0);
}

async fn people_without_the_role_are_refused_and_audited(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let vic = person("vic", Role::Viewer);
    let refused = shop.engine().request(&vic, &meta(), &request("restart", "shop-api", Some("dev"), &[])).await;
    assert!(matches!(&refused, Err(ActionError::Refused(reason)) if reason.contains("developer")), "{refused:?}");
    let offered = shop.engine().offered(&vic, "shop-api").await.expect("offered");
    assert!(offered.is_empty(), "a viewer is offered {offered:?}");
    let ada = shop.engine().offered(&person("ada", Role::Developer), "shop-api").await.expect("offered");
    let ids: Vec<(String, Option<String>)> = ada.iter().map(|o| (o.id.clone(), o.environment.clone())).collect();
    assert!(ids.contains(&("promote".into(), Some("prod".into()))) && !ids.contains(&("promote".into(), Some("dev".into()))), "{ids:?}");
    let denied = shop.audit_of("restart").await;
    assert!(denied.contains(&("action.requested".to_owned(), "denied".to_owned())), "{denied:?}");
}

async fn a_waiting_run_is_cancelled_by_its_requester_only(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let ada = person("ada", Role::Developer);
    let id = shop.engine().request(&ada, &meta(), &request("guarded-restart", "shop-worker", Some("dev"), &[])).await.expect("requested");
    assert_eq!(shop.row(&id).await.state().expect("state"), RunState::PendingApproval);
    let vic = person("vic", Role::Viewer);
    assert!(matches!(shop.engine().cancel(&vic, &meta(), &id).await, Err(ActionError::Refused(_))));
    // The requester, through a token scoped to reading only, cannot.
    let read_only = Principal { token: Some(TokenUse { id: "tok".into(), scope: Role::Viewer }), ..ada.clone() };
    assert!(matches!(shop.engine().cancel(&read_only, &meta(), &id).await, Err(ActionError::Refused(_))));
    shop.engine().cancel(&ada, &meta(), &id).await.expect("cancelled");
    assert_eq!(shop.row(&id).await.state().expect("state"), RunState::Cancelled);
    assert!(matches!(shop.engine().cancel(&ada, &meta(), &id).await, Err(ActionError::Conflict(_))));
    let audit = shop.audit_of(&id).await;
    assert!(audit.contains(&("action.cancelled".to_owned(), "success".to_owned())), "{audit:?}");
    assert!(audit.contains(&("action.cancelled".to_owned(), "denied".to_owned())), "{audit:?}");
}

async fn an_operator_cancels_a_running_task_and_it_stops(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let ada = person("ada", Role::Developer);
    let id = shop.engine().request(&ada, &meta(), &request("slow", "shop-worker", Some("dev"), &[])).await.expect("requested");
    for _ in 0..200 {
        let steps = shop.app.store.run_steps(&id).await.expect("steps");
        if steps.first().is_some_and(|s| s.state == StepState::Running) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    shop.engine().cancel(&person("grace", Role::Operator), &meta(), &id).await.expect("cancel requested");
    let row = shop.until_final(&id).await;
    assert_eq!(row.state().expect("state"), RunState::Cancelled, "{:?}", row.message);
    // The task prints "finished" after sleeping 30 s: it was stopped, not waited for.
    let steps = shop.app.store.run_steps(&id).await.expect("steps");
    assert!(steps[0].output.contains("cancelled") && !steps[0].output.contains("finished"), "{}", steps[0].output);
}
