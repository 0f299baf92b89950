use domain::access::Role;
use domain::actions::{ActionError, Decision, RunState};
use domain::runtime::Runtime;
use domain::store::EnvironmentStore;

use super::setup::{ACTIONS, meta, person, request, shop, shop_with};
use crate::support::{Engine, on_both_engines};

on_both_engines!(
    a_prod_promote_waits_for_an_operator_other_than_the_requester,
    the_requester_cannot_approve_their_own_run,
    an_expired_request_cannot_be_approved,
    two_approvals_from_two_people_are_needed_when_the_action_says_so,
    a_rollback_after_a_promote_goes_back_to_the_version_before,
    chat_is_told_when_a_run_needs_approval_and_when_it_ends,
    a_promoted_local_version_outlives_a_restart_until_the_catalog_declares_another,
    an_approved_run_never_acts_on_a_target_that_changed,
    a_renamed_requester_still_cannot_approve_their_own_run,
);

/// Renaming one's GitHub account does not make one's own request someone else's: runs still to
/// come follow the account to its new login.
async fn a_renamed_requester_still_cannot_approve_their_own_run(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let mut grace = person("grace", Role::Operator);
    grace.identity.github_id = Some(4242);
    let signed_in = domain::audit::NewEvent::new("grace", domain::audit::Origin::Web, "auth.sign_in", domain::audit::Outcome::Success);
    shop.app.store.record_sign_in(&grace.identity, "sgn_before", i64::MAX, 1, &signed_in).await.expect("signed in");
    let mut promote = request("promote", "shop-api", Some("prod"), &[]);
    promote.confirm = Some("shop-api".into());
    let id = shop.engine().request(&grace, &meta(), &promote).await.expect("requested");

    let mut renamed = grace.clone();
    renamed.identity.login = "grace-renamed".into();
    shop.app.store.record_sign_in(&renamed.identity, "sgn_after", i64::MAX, 2, &signed_in).await.expect("signed in again");
    assert_eq!(shop.row(&id).await.requester, "grace-renamed");
    let own = shop.engine().decide(&renamed, &meta(), &id, Decision::Approved, None).await;
    assert!(matches!(&own, Err(ActionError::Refused(reason)) if reason.contains("someone else")), "{own:?}");
}

async fn an_approved_run_never_acts_on_a_target_that_changed(engine: Engine) {
    let shop = shop_with(engine, ACTIONS, |config| config.catalog.refresh_seconds = 1).await;
    let id = shop.engine().request(&person("ada", Role::Developer), &meta(), &request("guarded-restart", "shop-worker", Some("dev"), &[])).await.expect("requested");
    // While it waits, the catalog points shop-worker's dev at something else.
    let changed = super::setup::CATALOG.replace("command: 'while :; do sleep 0.2; done'", "command: 'while :; do sleep 0.3; done'");
    assert_ne!(changed, super::setup::CATALOG);
    super::setup::write(shop.dir.path(), "catalog/shop.yaml", &changed);
    for _ in 0..100 {
        let detail = shop.app.store.placement("shop-worker", "dev").await.expect("read").expect("dev");
        if matches!(&detail.placement.environment.target, domain::catalog::RuntimeTarget::Local(l) if l.command.contains("0.3")) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    shop.engine().decide(&person("grace", Role::Operator), &meta(), &id, Decision::Approved, None).await.expect("approved");
    shop.engine().decide(&person("bob", Role::Viewer), &meta(), &id, Decision::Approved, None).await.expect("approved");
    let row = shop.until_final(&id).await;
    assert_eq!(row.state().expect("state"), RunState::Failed);
    let message = row.message.unwrap_or_default();
    assert!(message.contains("request it again"), "{message}");
}

async fn a_prod_promote_waits_for_an_operator_other_than_the_requester(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let ada = person("ada", Role::Developer);
    let grace = person("grace", Role::Operator);
    let vic = person("vic", Role::Viewer);
    let mut promote = request("promote", "shop-api", Some("prod"), &[]);
    promote.confirm = Some("shop-api".into());
    let id = shop.engine().request(&ada, &meta(), &promote).await.expect("requested");
    assert_eq!(shop.row(&id).await.state().expect("state"), RunState::PendingApproval);
    let inbox = shop.engine().inbox(&grace, 1).await.expect("inbox");
    assert_eq!(inbox.runs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [id.as_str()]);
    assert!(shop.engine().inbox(&ada, 1).await.expect("inbox").runs.is_empty());
    // A page number far past the end (as a URL may carry) is an empty page, not an overflow.
    let far = shop.engine().inbox(&grace, u32::MAX).await.expect("inbox");
    assert!(far.runs.is_empty() && far.total == 1, "{far:?}");
    let refused = shop.engine().decide(&vic, &meta(), &id, Decision::Approved, None).await;
    assert!(matches!(&refused, Err(ActionError::Refused(reason)) if reason.contains("operator")), "{refused:?}");
    shop.engine().decide(&grace, &meta(), &id, Decision::Approved, Some("go")).await.expect("approved");
    let row = shop.until_final(&id).await;
    assert_eq!(row.state().expect("state"), RunState::Succeeded, "{:?}", row.message);
    let prod = shop.app.store.placement("shop-api", "prod").await.expect("read").expect("prod");
    assert_eq!(shop.app.runtimes.status(&prod.placement).await.expect("status").version.as_deref(), Some("2.0.0"));
    let view = shop.engine().run(&grace, &id).await.expect("view").expect("the run");
    assert_eq!(view.run.approvals.len(), 1);
    assert_eq!((view.run.approvals[0].approver.as_str(), view.run.approvals[0].comment.as_deref()), ("grace", Some("go")));
    let audit = shop.audit_of(&id).await;
    assert!(audit.contains(&("action.approved".to_owned(), "denied".to_owned())), "{audit:?}");
    assert!(audit.contains(&("action.approved".to_owned(), "success".to_owned())), "{audit:?}");
}

async fn the_requester_cannot_approve_their_own_run(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let grace = person("grace", Role::Operator);
    let mut promote = request("promote", "shop-api", Some("prod"), &[]);
    promote.confirm = Some("shop-api".into());
    let id = shop.engine().request(&grace, &meta(), &promote).await.expect("requested");
    let own = shop.engine().decide(&grace, &meta(), &id, Decision::Approved, None).await;
    assert!(matches!(&own, Err(ActionError::Refused(reason)) if reason.contains("someone else")), "{own:?}");
    let view = shop.engine().run(&grace, &id).await.expect("view").expect("the run");
    assert!(view.approval.is_err());
    assert_eq!(view.run.summary.state, RunState::PendingApproval);
}

async fn an_expired_request_cannot_be_approved(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let ada = person("ada", Role::Developer);
    let grace = person("grace", Role::Operator);
    let id = shop.engine().request(&ada, &meta(), &request("guarded-restart", "shop-worker", Some("dev"), &[])).await.expect("requested");
    // An hour later, as far as the request knows.
    let sql = "UPDATE action_runs SET expires_at = created_at - 1 WHERE id = $1";
    match &shop.app.store {
        server::store::Store::Sqlite(pool) => sqlx::query(sql).bind(&id).execute(pool).await.map(|_| ()),
        server::store::Store::Postgres(pool) => sqlx::query(sql).bind(&id).execute(pool).await.map(|_| ()),
    }
    .expect("age the request");
    let late = shop.engine().decide(&grace, &meta(), &id, Decision::Approved, None).await;
    assert!(matches!(&late, Err(ActionError::Refused(reason)) if reason.contains("expired")), "{late:?}");
    let row = shop.until_final(&id).await;
    assert_eq!(row.state().expect("state"), RunState::Expired);
    let audit = shop.audit_of(&id).await;
    assert!(audit.contains(&("action.expired".to_owned(), "failure".to_owned())), "{audit:?}");
    assert!(!audit.iter().any(|(a, _)| a == "action.started"), "{audit:?}");
}

async fn two_approvals_from_two_people_are_needed_when_the_action_says_so(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let ada = person("ada", Role::Developer);
    let bob = person("bob", Role::Viewer);
    let grace = person("grace", Role::Operator);
    let id = shop.engine().request(&ada, &meta(), &request("guarded-restart", "shop-worker", Some("dev"), &[])).await.expect("requested");
    let other = shop.engine().request(&ada, &meta(), &request("guarded-restart", "shop-api", Some("dev"), &[])).await.expect("requested");
    // bob is a viewer by grant but a developer on shop-worker, which his team owns.
    shop.engine().decide(&bob, &meta(), &id, Decision::Approved, None).await.expect("first approval");
    assert_eq!(shop.row(&id).await.state().expect("state"), RunState::PendingApproval);
    let ids = |page: domain::actions::RunList| page.runs.into_iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids(shop.engine().inbox(&bob, 1).await.expect("inbox")), [other.as_str()], "what bob approved leaves his inbox; the other run stays");
    assert_eq!(ids(shop.engine().inbox(&grace, 1).await.expect("inbox")), [id.as_str(), other.as_str()], "both wait for grace");
    let twice = shop.engine().decide(&bob, &meta(), &id, Decision::Approved, None).await;
    assert!(matches!(twice, Err(ActionError::Conflict(_))), "{twice:?}");
    shop.engine().decide(&grace, &meta(), &id, Decision::Approved, None).await.expect("second approval");
    assert_eq!(shop.until_final(&id).await.state().expect("state"), RunState::Succeeded);
}

async fn a_rollback_after_a_promote_goes_back_to_the_version_before(engine: Engine) {
    let shop = shop(engine, ACTIONS).await;
    let ada = person("ada", Role::Developer);
    let grace = person("grace", Role::Operator);
    let mut rollback = request("rollback", "shop-api", Some("prod"), &[]);
    rollback.confirm = Some("shop-api".into());
    let nothing = shop.engine().request(&ada, &meta(), &rollback).await;
    let nothing = shop.until_final(&nothing.expect("requested")).await;
    assert_eq!(nothing.state().expect("state"), RunState::Failed, "no earlier version is known yet: {:?}", nothing.message);
    let mut promote = request("promote", "shop-api", Some("prod"), &[]);
    promote.confirm = Some("shop-api".into());
    let id = shop.engine().request(&ada, &meta(), &promote).await.expect("requested");
    shop.engine().decide(&grace, &meta(), &id, Decision::Approved, None).await.expect("approved");
    assert_eq!(shop.until_final(&id).await.state().expect("state"), RunState::Succeeded);
    let back = shop.engine().request(&ada, &meta(), &rollback).await.expect("requested");
    let row = shop.until_final(&back).await;
    assert_eq!(row.state().expect("state"), RunState::Succeeded, "{:?}", row.message);
    let prod = shop.app.store.placement("shop-api", "prod").await.expect("read").expect("prod");
    assert_eq!(shop.app.runtimes.status(&prod.placement).await.expect("status").version.as_deref(), Some("1.0.0"));
}

async fn chat_is_told_when_a_run_needs_approval_and_when_it_ends(engine: Engine) {
    let posted: std::sync::Arc<std::sync::Mutex<Vec<String>>> = Default::default();
    let app = axum::Router::new().route(
        "/chat",
        axum::routing::post({
            let posted = posted.clone();
            move |axum::Json(body): axum::Json<serde_json::Value>| async move {
                posted.lock().expect("lock").push(body["text"].as_str().unwrap_or_default().to_owned());
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/chat", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let shop = shop_with(engine, ACTIONS, |config| config.actions.notify_url = Some(url.into())).await;
    let ada = person("ada", Role::Developer);
    let mut promote = request("promote", "shop-api", Some("prod"), &[]);
    promote.confirm = Some("shop-api".into());
    let id = shop.engine().request(&ada, &meta(), &promote).await.expect("requested");
    shop.engine().decide(&person("grace", Role::Operator), &meta(), &id, Decision::Rejected, Some("not today")).await.expect("rejected");
    assert_eq!(shop.until_final(&id).await.state().expect("state"), RunState::Rejected);
    let mut texts = Vec::new();
    for _ in 0..100 {
        texts = posted.lock().expect("lock").clone();
        if texts.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts[0].contains("Promote") && texts[0].contains("approval") && texts[0].contains(&format!("/runs/{id}")), "{}", texts[0]);
    assert!(texts[1].contains("Rejected"), "{}", texts[1]);
}

async fn a_promoted_local_version_outlives_a_restart_until_the_catalog_declares_another(engine: Engine) {
    use domain::catalog::RuntimeTarget;
    use runtimes::local::LocalRuntime;

    let shop = shop(engine, ACTIONS).await;
    let mut promote = request("promote", "shop-api", Some("prod"), &[]);
    promote.confirm = Some("shop-api".into());
    let id = shop.engine().request(&person("ada", Role::Developer), &meta(), &promote).await.expect("requested");
    shop.engine().decide(&person("grace", Role::Operator), &meta(), &id, Decision::Approved, None).await.expect("approved");
    assert_eq!(shop.until_final(&id).await.state().expect("state"), RunState::Succeeded);

    // A portal starting again on this database: its local runtime begins empty.
    let prod = shop.app.store.placement("shop-api", "prod").await.expect("read").expect("prod").placement;
    let restarted = LocalRuntime::keeping(std::sync::Arc::new(shop.app.store.clone())).await;
    restarted.reconcile(std::slice::from_ref(&prod)).await;
    assert_eq!(restarted.status(&prod).await.expect("status").version.as_deref(), Some("2.0.0"), "the promoted version runs again");
    restarted.shutdown().await;

    // Once the catalog declares another version, the catalog wins.
    let mut redeclared = prod.clone();
    if let RuntimeTarget::Local(target) = &mut redeclared.environment.target {
        target.version = Some("3.0.0".into());
    }
    let again = LocalRuntime::keeping(std::sync::Arc::new(shop.app.store.clone())).await;
    again.reconcile(std::slice::from_ref(&redeclared)).await;
    assert_eq!(again.status(&redeclared).await.expect("status").version.as_deref(), Some("3.0.0"));
    again.shutdown().await;
}
