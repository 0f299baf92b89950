//! The fake accounts and the JSON objects GitHub's REST API v3 returns for them.
//!
//! Field names and nesting follow api.github.com; every field octocrab's `Author`,
//! `UserProfile`, `Organization` and `FullTeam` require is present, because one missing
//! required field makes the client fail to deserialize the whole response.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// One GitHub account the double can sign in as.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct FakeUser {
    /// The account's login (`octocat`).
    pub login: String,
    /// GitHub's numeric user id.
    pub id: u64,
    /// Display name, if the profile has one.
    pub name: Option<String>,
    /// Public e-mail address, if the profile shows one.
    pub email: Option<String>,
    /// Logins of the organisations the user belongs to.
    #[serde(default)]
    pub orgs: Vec<String>,
    /// Team memberships as `(organisation login, team slug)`; `[["org", "slug"], ...]` in JSON.
    #[serde(default)]
    pub teams: Vec<(String, String)>,
}

/// Timestamps are fixed so that responses are reproducible from one run to the next.
pub(crate) const CREATED_AT: &str = "2020-01-01T00:00:00Z";
pub(crate) const UPDATED_AT: &str = "2024-01-01T00:00:00Z";

/// A numeric id for an organisation or team derived from its name, so the same name gets the
/// same id whatever users file it appears in (GitHub ids are stable too).
pub(crate) fn stable_id(kind: &str, name: &str) -> u64 {
    let digest = Sha256::digest(format!("{kind}:{name}").as_bytes());
    let [a, b, c, d, ..] = digest.as_slice() else {
        return 1_000_000;
    };
    1_000_000 + u64::from(u32::from_be_bytes([*a, *b, *c, *d]) % 9_000_000)
}

/// GitHub's legacy global node id: base64 of `0<length of type>:<Type><id>`, so
/// `04:User1` (`MDQ6VXNlcjE=`) and `012:Organization1` (`MDEyOk9yZ2FuaXphdGlvbjE=`).
pub(crate) fn node_id(type_name: &str, id: u64) -> String {
    STANDARD.encode(format!("0{}:{type_name}{id}", type_name.len()))
}

pub(crate) fn avatar_url(base: &str, id: u64) -> String {
    format!("{base}/avatars/u/{id}?v=4")
}

/// The authenticated user as `GET /user` returns it: the simple-user object and the profile.
pub(crate) fn user_json(base: &str, user: &FakeUser) -> Value {
    let mut json = simple_user(base, &user.login, user.id, "User");
    let profile = json!({
        "name": user.name,
        "company": null,
        "blog": "",
        "location": null,
        "email": user.email,
        "hireable": null,
        "bio": null,
        "twitter_username": null,
        "public_repos": 0,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "created_at": CREATED_AT,
        "updated_at": UPDATED_AT,
    });
    if let (Some(fields), Value::Object(profile)) = (json.as_object_mut(), profile) {
        fields.extend(profile);
    }
    json
}

/// GitHub's "simple-user" object, as runs show their actor and repository owner.
pub(crate) fn simple_user(base: &str, login: &str, id: u64, kind: &str) -> Value {
    let api = format!("{base}/users/{login}");
    json!({
        "login": login,
        "id": id,
        "node_id": node_id(kind, id),
        "avatar_url": avatar_url(base, id),
        "gravatar_id": "",
        "url": api,
        "html_url": format!("{base}/{login}"),
        "followers_url": format!("{api}/followers"),
        "following_url": format!("{api}/following{{/other_user}}"),
        "gists_url": format!("{api}/gists{{/gist_id}}"),
        "starred_url": format!("{api}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{api}/subscriptions"),
        "organizations_url": format!("{api}/orgs"),
        "repos_url": format!("{api}/repos"),
        "events_url": format!("{api}/events{{/privacy}}"),
        "received_events_url": format!("{api}/received_events"),
        "type": kind,
        "user_view_type": "public",
        "site_admin": false,
    })
}

/// The "organization-simple" object that `GET /user/orgs` lists.
pub(crate) fn org_simple_json(base: &str, login: &str) -> Value {
    let id = stable_id("org", login);
    let api = format!("{base}/orgs/{login}");
    json!({
        "login": login,
        "id": id,
        "node_id": node_id("Organization", id),
        "url": api,
        "repos_url": format!("{api}/repos"),
        "events_url": format!("{api}/events"),
        "hooks_url": format!("{api}/hooks"),
        "issues_url": format!("{api}/issues"),
        "members_url": format!("{api}/members{{/member}}"),
        "public_members_url": format!("{api}/public_members{{/member}}"),
        "avatar_url": avatar_url(base, id),
        "description": null,
    })
}

/// The full organisation object that a team from `GET /user/teams` embeds.
fn org_full_json(base: &str, login: &str) -> Value {
    let mut org = org_simple_json(base, login);
    let full = json!({
        "name": login,
        "company": null,
        "blog": "",
        "location": null,
        "email": null,
        "twitter_username": null,
        "is_verified": false,
        "has_organization_projects": true,
        "has_repository_projects": true,
        "public_repos": 0,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "html_url": format!("{base}/{login}"),
        "created_at": CREATED_AT,
        "updated_at": UPDATED_AT,
        "archived_at": null,
        "type": "Organization",
    });
    if let (Some(target), Value::Object(extra)) = (org.as_object_mut(), full) {
        target.extend(extra);
    }
    org
}

/// A team object as `GET /user/teams` lists it (GitHub's "team-full" schema).
pub(crate) fn team_json(base: &str, org: &str, slug: &str) -> Value {
    let org_id = stable_id("org", org);
    let id = stable_id("team", &format!("{org}/{slug}"));
    let api = format!("{base}/organizations/{org_id}/team/{id}");
    json!({
        "id": id,
        "node_id": node_id("Team", id),
        "url": api,
        "html_url": format!("{base}/orgs/{org}/teams/{slug}"),
        // The users file only knows slugs; a slug is a valid team name.
        "name": slug,
        "slug": slug,
        "description": null,
        "privacy": "closed",
        "notification_setting": "notifications_enabled",
        "permission": "pull",
        "members_url": format!("{api}/members{{/member}}"),
        "repositories_url": format!("{api}/repos"),
        "parent": null,
        "members_count": 1,
        "repos_count": 0,
        "created_at": CREATED_AT,
        "updated_at": UPDATED_AT,
        "organization": org_full_json(base, org),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_ids_match_githubs_legacy_format() {
        assert_eq!(node_id("User", 1), "MDQ6VXNlcjE=");
        assert_eq!(node_id("Organization", 1), "MDEyOk9yZ2FuaXphdGlvbjE=");
        assert_eq!(node_id("Team", 1), "MDQ6VGVhbTE=");
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(stable_id("org", "acme"), stable_id("org", "acme"));
        assert_ne!(stable_id("org", "acme"), stable_id("org", "globex"));
    }
}
