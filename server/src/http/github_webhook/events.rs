//! What a signed delivery means for the catalog: a push to a repository's default branch, or
//! a change to a repository itself (`created`, `deleted`, `archived`, `unarchived`, `renamed`,
//! `transferred`, a new default branch), each becoming one [`RepositoryChange`] of one
//! repository of the organisation. Anything else changes nothing.

use serde::Deserialize;

use crate::catalog_github::RepositoryChange;

/// What a delivery asks of the catalog.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Meaning {
    /// One repository changed; after a push, up to `commit`.
    Change { change: RepositoryChange, commit: Option<String> },
    /// Nothing the catalog reads changed, and why, for the answer and the log.
    Ignored(&'static str),
}

/// The fields of a repository that deliveries carry and the catalog needs.
#[derive(Deserialize)]
struct Repository {
    #[serde(default)]
    id: Option<u64>,
    name: String,
    /// `owner/name`.
    full_name: String,
    #[serde(default)]
    default_branch: String,
    #[serde(default)]
    archived: bool,
}

impl Repository {
    fn in_org(&self, org: &str) -> bool {
        self.full_name.split_once('/').is_some_and(|(owner, _)| owner.eq_ignore_ascii_case(org))
    }

    /// Read again, unless archived: an archived repository leaves the catalog.
    fn read_or_gone(self) -> RepositoryChange {
        let Self { id, name, archived, .. } = self;
        if archived { RepositoryChange::Gone { name, id } } else { RepositoryChange::Read { name, id } }
    }
}

/// The fields of a push event the catalog needs.
#[derive(Deserialize)]
struct Push {
    #[serde(rename = "ref")]
    git_ref: String,
    /// The commit the branch points at after the push: what catalog changes it brings are
    /// attributed to.
    #[serde(default)]
    after: String,
    repository: Repository,
}

/// A push to a default branch of the organisation reads that repository again; any other push
/// changes nothing. `None`: the body is not a push event.
pub(super) fn push(org: &str, body: &[u8]) -> Option<Meaning> {
    let push = serde_json::from_slice::<Push>(body).ok()?;
    let on_default_branch = push.git_ref == format!("refs/heads/{}", push.repository.default_branch);
    if !push.repository.in_org(org) || !on_default_branch {
        return Some(Meaning::Ignored("not a push to a default branch of the organisation"));
    }
    // A commit id is 40 hexadecimal digits; all zeros means the branch was deleted.
    let commit = Some(push.after.to_ascii_lowercase())
        .filter(|sha| sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()) && sha.bytes().any(|b| b != b'0'));
    Some(Meaning::Change { change: push.repository.read_or_gone(), commit })
}

/// The fields of a `repository` event the catalog needs.
#[derive(Deserialize)]
struct RepositoryEvent {
    action: String,
    repository: Repository,
    /// Only some actions have it.
    #[serde(default)]
    changes: Option<Changes>,
}

#[derive(Default, Deserialize)]
struct Changes {
    /// `renamed`: `{"name": {"from": "old-name"}}`.
    repository: Option<NameChange>,
    /// `transferred`: `{"from": {"organization": {"login": ...}}}` (or `user`).
    owner: Option<Was<Owner>>,
    /// `edited`, when the default branch changed.
    default_branch: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct NameChange {
    name: Was<String>,
}

#[derive(Deserialize)]
struct Was<T> {
    from: T,
}

#[derive(Deserialize)]
struct Owner {
    organization: Option<Login>,
    user: Option<Login>,
}

#[derive(Deserialize)]
struct Login {
    login: String,
}

/// What a `repository` event means. `None`: the body is not one (or a rename that does not
/// say from what).
pub(super) fn repository(org: &str, body: &[u8]) -> Option<Meaning> {
    let event = serde_json::from_slice::<RepositoryEvent>(body).ok()?;
    let RepositoryEvent { action, repository, changes } = event;
    let changes = changes.unwrap_or_default();
    if action == "transferred" && !repository.in_org(org) {
        // Transferred away: the delivery names the new owner and, under `changes`, the old.
        let from = changes.owner.map(|owner| owner.from);
        let was_ours = from.and_then(|from| from.organization.or(from.user)).is_some_and(|was| was.login.eq_ignore_ascii_case(org));
        return Some(if was_ours {
            Meaning::Change { change: RepositoryChange::Gone { name: repository.name, id: repository.id }, commit: None }
        } else {
            Meaning::Ignored("not a repository of the organisation")
        });
    }
    if !repository.in_org(org) {
        return Some(Meaning::Ignored("not a repository of the organisation"));
    }
    let change = match action.as_str() {
        "created" | "unarchived" | "transferred" => repository.read_or_gone(),
        "edited" if changes.default_branch.is_some() => repository.read_or_gone(),
        "deleted" | "archived" => RepositoryChange::Gone { name: repository.name, id: repository.id },
        "renamed" => {
            let from = changes.repository?.name.from;
            RepositoryChange::Renamed { from, to: repository.name, id: repository.id }
        }
        // The token reads private and public repositories alike.
        "privatized" | "publicized" => return Some(Meaning::Ignored("a change of visibility changes nothing the catalog reads")),
        _ => return Some(Meaning::Ignored("this change to a repository changes nothing the catalog reads")),
    };
    Some(Meaning::Change { change, commit: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(action: &str, full_name: &str, changes: serde_json::Value) -> Vec<u8> {
        let name = full_name.split_once('/').map_or(full_name, |(_, name)| name);
        let repository = serde_json::json!({ "id": 7, "name": name, "full_name": full_name, "default_branch": "main", "archived": action == "archived" });
        serde_json::json!({ "action": action, "repository": repository, "changes": changes }).to_string().into_bytes()
    }

    fn change(meaning: Option<Meaning>) -> RepositoryChange {
        match meaning {
            Some(Meaning::Change { change, commit: None }) => change,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn each_repository_action_is_one_change_of_one_repository() {
        let none = serde_json::Value::Null;
        let read = RepositoryChange::Read { name: "shop".into(), id: Some(7) };
        let gone = RepositoryChange::Gone { name: "shop".into(), id: Some(7) };
        assert_eq!(change(repository("acme", &event("created", "acme/shop", none.clone()))), read);
        assert_eq!(change(repository("acme", &event("unarchived", "ACME/shop", none.clone()))), read);
        assert_eq!(change(repository("acme", &event("deleted", "acme/shop", none.clone()))), gone);
        assert_eq!(change(repository("acme", &event("archived", "acme/shop", none.clone()))), gone);
        let renamed = event("renamed", "acme/shop", serde_json::json!({ "repository": { "name": { "from": "store" } } }));
        assert_eq!(change(repository("acme", &renamed)), RepositoryChange::Renamed { from: "store".into(), to: "shop".into(), id: Some(7) });
        assert_eq!(repository("acme", &event("renamed", "acme/shop", none.clone())), None, "a rename must say from what");
        let away = event("transferred", "elsewhere/shop", serde_json::json!({ "owner": { "from": { "organization": { "login": "acme" } } } }));
        assert_eq!(change(repository("acme", &away)), gone);
        let passing = event("transferred", "elsewhere/shop", serde_json::json!({ "owner": { "from": { "user": { "login": "bob" } } } }));
        assert!(matches!(repository("acme", &passing), Some(Meaning::Ignored(_))));
        assert_eq!(change(repository("acme", &event("transferred", "acme/shop", none.clone()))), read);
        assert!(matches!(repository("acme", &event("publicized", "acme/shop", none.clone())), Some(Meaning::Ignored(_))));
        assert!(matches!(repository("acme", &event("deleted", "other/shop", none)), Some(Meaning::Ignored(_))));
        assert_eq!(repository("acme", b"{\"zen\":1}"), None);
    }
}
