//! The action files kept in the repository.

use super::super::super::definition::ActionKind;
use super::super::super::input::InputKind;
use super::{ids, valid};

#[test]
fn the_demo_actions_load_without_problems() {
    let defs = valid(include_str!("../../../../../deploy/demo/actions.yaml"));
    assert_eq!(ids(&defs), ["restart", "scale", "promote", "rollback", "db-migrate"]);
    // The demo has no GitHub and no endpoints to call: only what the local runtime can do.
    assert!(defs.iter().all(|def| def.kind.needs_environment()), "{defs:#?}");
    let scale = &defs[1];
    assert_eq!(scale.kind, ActionKind::Scale { input: "replicas".to_owned() });
    assert_eq!(scale.inputs[0].kind, InputKind::Number { min: Some(0.0), max: Some(8.0), integer: true });
    let promote = defs[2].approval.as_ref().expect("promote waits for approval");
    assert!(promote.applies(true) && !promote.applies(false));
    assert!(defs.iter().filter(|def| def.id != "promote").all(|def| def.approval.is_none()));
}
