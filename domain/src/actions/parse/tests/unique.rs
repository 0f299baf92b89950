//! Ids across files.

use super::ids;
use crate::actions::parse::{check_unique, parse_actions_with_lines};
use crate::catalog::Problem;

#[test]
fn the_first_file_wins_and_the_second_is_named() {
    let first = "actions:\n  - id: restart\n    title: Restart\n    kind: restart\n";
    let second = "# more\nactions:\n  - id: scale-down\n    title: Down\n    kind: rollback\n  - id: restart\n    title: Again\n    kind: restart\n";
    let mut all = Vec::new();
    for (file, text) in [("a.yaml", first), ("b.yaml", second)] {
        let (defs, problems) = parse_actions_with_lines(file, text);
        assert_eq!(problems, vec![]);
        all.extend(defs.into_iter().map(|(def, line)| (def, file.to_owned(), line)));
    }
    let (kept, problems) = check_unique(all);
    assert_eq!(ids(&kept), ["restart", "scale-down"]);
    assert_eq!(kept[0].title, "Restart");
    assert_eq!(
        problems,
        vec![Problem {
            file: "b.yaml".to_owned(),
            line: Some(6),
            field: None,
            message: "an action with id `restart` is already declared at a.yaml:2".to_owned(),
        }]
    );
}
