//! Membership follows GitHub. Every `auth.membership_check_minutes`, the members of each
//! organisation the configuration gives something for, and of each team people were in, are
//! read with an organisation member's token. Whoever left an organisation or team loses what it
//! gave at once, in their sessions and API tokens alike (both act on the stored identity); an
//! account renamed on GitHub is followed by its id.
//!
//! The check only takes away: what someone joined since they signed in counts from their next
//! sign-in, which is when GitHub tells the portal with their own consent.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use domain::access::{Identity, IdentitySource, TeamRef};
use domain::audit::{NewEvent, Origin, Outcome, actions};
use octocrab::Octocrab;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::json;

use super::now;
use crate::config::Config;
use crate::store::Store;

const GITHUB_TIMEOUT: Duration = Duration::from_secs(20);
/// Pages of 100: organisations of up to 10,000 members, teams of up to 2,000. A longer list is
/// not read at all rather than read in part, since a missing page would look like people leaving.
const ORG_PAGES: u32 = 100;
const TEAM_PAGES: u32 = 20;

/// What one check read and changed, for the log and the tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Organisations whose members were read.
    pub orgs: Vec<String>,
    /// Organisations that could not be read, with why: nobody loses anything there.
    pub unread: Vec<String>,
    /// Teams whose members were read.
    pub teams: usize,
    /// People whose stored identity changed.
    pub changed: Vec<String>,
}

/// The periodic check, when a token to read memberships with is configured.
pub struct MembershipCheck {
    api: Octocrab,
    orgs: Vec<String>,
    store: Store,
    every: Duration,
}

#[derive(Deserialize)]
struct Member {
    login: String,
    id: u64,
}

/// Who is in one organisation or team: ids, and logins for people stored without an id.
#[derive(Default)]
struct Members {
    ids: BTreeMap<u64, String>,
    logins: BTreeSet<String>,
}

impl Members {
    fn from(list: Vec<Member>) -> Self {
        let mut members = Self::default();
        for member in list {
            members.logins.insert(member.login.to_lowercase());
            members.ids.insert(member.id, member.login.to_lowercase());
        }
        members
    }

    fn has(&self, identity: &Identity) -> bool {
        match identity.github_id {
            Some(id) => self.ids.contains_key(&id),
            None => self.logins.contains(&identity.login),
        }
    }
}

impl MembershipCheck {
    /// The check for `config`, or `None` when GitHub sign-in or a token is missing: then
    /// memberships only change at sign-in, and sessions and tokens end at their lifetimes.
    pub fn new(config: &Config, store: Store, orgs: Vec<String>) -> anyhow::Result<Option<Arc<Self>>> {
        if interval_minutes(config, &orgs).is_none() {
            return Ok(None);
        }
        let (Some(github), Some(token)) = (&config.auth.github, membership_token(config)) else { return Ok(None) };
        let api = Octocrab::builder()
            .base_uri(github.api_url.as_str())?
            .personal_token(token)
            .set_read_timeout(Some(GITHUB_TIMEOUT))
            .build()?;
        let every = Duration::from_secs(u64::from(config.auth.membership_check_minutes) * 60);
        Ok(Some(Arc::new(Self { api, orgs, store, every })))
    }

    /// Checks now and then every interval, for as long as the process lives.
    pub fn spawn(self: &Arc<Self>) {
        let check = Arc::clone(self);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(check.every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match check.run_once().await {
                    Ok(report) => tracing::info!(orgs = ?report.orgs, unread = ?report.unread, teams = report.teams, changed = ?report.changed, "membership checked"),
                    Err(error) => tracing::warn!(%error, "cannot check memberships on GitHub; nobody's access changed"),
                }
            }
        });
    }

    /// One check: reads the members, narrows whoever left, and says what it did.
    pub async fn run_once(&self) -> anyhow::Result<CheckReport> {
        let mut report = CheckReport::default();
        let me: Member = self.api.get("/user", None::<&()>).await.map_err(|error| anyhow::anyhow!(describe(error)))?;
        let people: Vec<Identity> = self
            .store
            .people()
            .await?
            .into_iter()
            .filter(|person| person.identity.source == IdentitySource::GitHub && !person.login.contains('~'))
            .map(|person| person.identity)
            .collect();
        let mut orgs = BTreeMap::new();
        for org in &self.orgs {
            match self.list(&format!("/orgs/{org}/members"), ORG_PAGES).await {
                // A token whose own account is not listed sees only public members: not proof of leaving.
                Ok(Some(members)) if members.ids.contains_key(&me.id) => {
                    orgs.insert(org.clone(), members);
                    report.orgs.push(org.clone());
                }
                Ok(Some(_)) => report.unread.push(format!("{org}: the token's account {} is not a member", me.login)),
                Ok(None) => report.unread.push(format!("{org}: more members than one check reads")),
                Err(error) => report.unread.push(format!("{org}: {error}")),
            }
        }
        let wanted: BTreeSet<&TeamRef> =
            people.iter().flat_map(|person| person.teams.iter()).filter(|team| orgs.contains_key(&team.org)).collect();
        let mut teams = BTreeMap::new();
        for team in wanted {
            match self.list(&format!("/orgs/{}/teams/{}/members", team.org, team.slug), TEAM_PAGES).await {
                Ok(Some(members)) => {
                    teams.insert(team.clone(), members);
                }
                // A secret team is invisible to a token of someone outside it (404): unread, not empty.
                Ok(None) => report.unread.push(format!("{}/{}: more members than one check reads", team.org, team.slug)),
                Err(error) => report.unread.push(format!("{}/{}: {error}", team.org, team.slug)),
            }
        }
        report.teams = teams.len();
        for person in people {
            let (narrowed, removed_orgs, removed_teams) = narrow(&person, &orgs, &teams);
            if narrowed == person {
                continue;
            }
            let event = (!removed_orgs.is_empty() || !removed_teams.is_empty()).then(|| {
                NewEvent::new("system", Origin::System, actions::USER_MEMBERSHIP_CHANGED, Outcome::Success)
                    .reason(format!("{} is no longer in {}", narrowed.login, removed_orgs.iter().chain(&removed_teams).cloned().collect::<Vec<_>>().join(", ")))
                    .inputs(json!({ "login": narrowed.login, "account": narrowed.github_id, "removed_orgs": removed_orgs, "removed_teams": removed_teams }))
            });
            self.store.update_membership(&narrowed, event.as_ref(), now()).await?;
            report.changed.push(narrowed.login);
        }
        Ok(report)
    }

    /// Every member at `route`, or `None` when there are more than `max_pages` pages of them.
    async fn list(&self, route: &str, max_pages: u32) -> Result<Option<Members>, String> {
        let mut page: octocrab::Page<Member> = self.api.get(route, Some(&[("per_page", "100")])).await.map_err(describe)?;
        let mut items = page.take_items();
        for _ in 1..max_pages {
            match self.api.get_page::<Member>(&page.next).await.map_err(describe)? {
                Some(mut next) => {
                    items.append(&mut next.take_items());
                    page = next;
                }
                None => return Ok(Some(Members::from(items))),
            }
        }
        Ok(page.next.is_none().then(|| Members::from(items)))
    }
}

/// `person` without the organisations and teams whose members were read and lack them, under
/// the login GitHub now gives their account; with what was removed.
fn narrow(person: &Identity, orgs: &BTreeMap<String, Members>, teams: &BTreeMap<TeamRef, Members>) -> (Identity, Vec<String>, Vec<String>) {
    let mut narrowed = person.clone();
    if let Some(id) = person.github_id
        && let Some(login) = orgs.values().find_map(|members| members.ids.get(&id))
    {
        narrowed.login = login.clone();
    }
    let (kept, removed): (Vec<String>, Vec<String>) =
        person.orgs.iter().cloned().partition(|org| orgs.get(org).is_none_or(|members| members.has(person)));
    narrowed.orgs = kept;
    let (kept, removed_teams): (Vec<TeamRef>, Vec<TeamRef>) =
        person.teams.iter().cloned().partition(|team| teams.get(team).is_none_or(|members| members.has(person)));
    narrowed.teams = kept;
    (narrowed, removed, removed_teams.iter().map(|team| format!("{}/{}", team.org, team.slug)).collect())
}

/// How often memberships are checked under `config`, in minutes; `None` when they are not.
pub fn interval_minutes(config: &Config, orgs: &[String]) -> Option<u32> {
    (config.auth.github.is_some() && membership_token(config).is_some() && !orgs.is_empty()).then_some(config.auth.membership_check_minutes)
}

/// `auth.membership_token`, else the catalog's organisation token when it reads the same GitHub.
fn membership_token(config: &Config) -> Option<SecretString> {
    if let Some(token) = &config.auth.membership_token {
        return Some(token.clone());
    }
    let github = config.auth.github.as_ref()?;
    config.catalog.github.as_ref().filter(|catalog| catalog.api_url == github.api_url).map(|catalog| catalog.token.clone())
}

fn describe(error: octocrab::Error) -> String {
    match &error {
        octocrab::Error::GitHub { source, .. } => format!("GitHub answered {}: {}", source.status_code, source.message),
        other => other.to_string(),
    }
}
