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
use domain::audit::{NewEvent, Origin, Outcome, kinds};
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::json;

use domain::clock::now_seconds;

use crate::background::Background;
use crate::config::Config;
use github_api::{GithubApi, encode};
use crate::store::{Removal, Store};

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
    api: GithubApi,
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
        let setting = if config.auth.membership_token.is_some() { "auth.membership_token" } else { "catalog.github.token" };
        let api = GithubApi::new(&github.api_url, token, setting)?;
        let every = Duration::from_secs(u64::from(config.auth.membership_check_minutes) * 60);
        Ok(Some(Arc::new(Self { api, orgs, store, every })))
    }

    /// Checks now and then every interval, until the portal stops.
    pub fn spawn(self: &Arc<Self>, background: &Background) {
        let check = Arc::clone(self);
        background.spawn_loop(async move {
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
        let me = self.token_account().await?;
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
            match self.list(&format!("/orgs/{}/members", encode(org)), ORG_PAGES).await {
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
        distrust_mass_departures(&people, &mut orgs, &mut report);
        let wanted: BTreeSet<&TeamRef> =
            people.iter().flat_map(|person| person.teams.iter()).filter(|team| orgs.contains_key(&team.org)).collect();
        let mut teams = BTreeMap::new();
        for team in wanted {
            match self.list(&format!("/orgs/{}/teams/{}/members", encode(&team.org), encode(&team.slug)), TEAM_PAGES).await {
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
            let removal = removal(&person, &orgs, &teams);
            if removal == Removal::default() {
                continue;
            }
            let login = removal.login.clone().unwrap_or_else(|| person.login.clone());
            let gone: Vec<String> = removal.orgs.iter().cloned().chain(removal.teams.iter().map(|t| format!("{}/{}", t.org, t.slug))).collect();
            let event = (!gone.is_empty()).then(|| {
                NewEvent::new("system", Origin::System, kinds::USER_MEMBERSHIP_CHANGED, Outcome::Success)
                    .reason(format!("{login} is no longer in {}", gone.join(", ")))
                    .inputs(json!({
                        "login": login,
                        "account": person.github_id,
                        "removed_orgs": removal.orgs,
                        "removed_teams": removal.teams.iter().map(|t| format!("{}/{}", t.org, t.slug)).collect::<Vec<_>>(),
                    }))
            });
            // One person's failure must not keep the others from being narrowed.
            match self.store.narrow_membership(&person, &removal, event.as_ref(), now_seconds()).await {
                Ok(true) => report.changed.push(login),
                Ok(false) => {}
                Err(error) => report.unread.push(format!("{login}: not updated: {error}")),
            }
        }
        Ok(report)
    }

    /// The token's own account. A classic token says its scopes: without `read:org` it sees
    /// only public members, which would look like everyone else leaving.
    async fn token_account(&self) -> anyhow::Result<Member> {
        let (headers, me): (_, Member) = self.api.get_with_headers("/user").await?;
        if let Some(scopes) = headers.get("x-oauth-scopes").and_then(|value| value.to_str().ok()) {
            let scopes: Vec<&str> = scopes.split(',').map(str::trim).collect();
            if !scopes.iter().any(|scope| matches!(*scope, "read:org" | "write:org" | "admin:org")) {
                anyhow::bail!("the membership token lacks the read:org scope (it has {}): it would see only public members", scopes.join(", "));
            }
        }
        Ok(me)
    }

    /// Every member at `route`, or `None` when there are more than `max_pages` pages of them.
    async fn list(&self, route: &str, max_pages: u32) -> Result<Option<Members>, String> {
        let pages = self.api.pages::<Member>(&format!("{route}?per_page=100"), max_pages).await.map_err(|e| e.to_string())?;
        Ok(pages.complete.then(|| Members::from(pages.items)))
    }
}

/// What `person` lost: the organisations and teams whose members were read and lack them,
/// and the login GitHub now lists their account under, when it changed.
fn removal(person: &Identity, orgs: &BTreeMap<String, Members>, teams: &BTreeMap<TeamRef, Members>) -> Removal {
    let login = person
        .github_id
        .and_then(|id| orgs.values().find_map(|members| members.ids.get(&id)))
        .filter(|login| **login != person.login)
        .cloned();
    Removal {
        orgs: person.orgs.iter().filter(|org| orgs.get(*org).is_some_and(|members| !members.has(person))).cloned().collect(),
        teams: person.teams.iter().filter(|team| teams.get(*team).is_some_and(|members| !members.has(person))).cloned().collect(),
        login,
    }
}

/// More than half of an organisation's people leaving at once is taken for a list that shows
/// too little (a token that sees only some members), not for a departure: that organisation is
/// not used, and the report says so. An admin ends real mass departures on `/admin/people`.
fn distrust_mass_departures(people: &[Identity], orgs: &mut BTreeMap<String, Members>, report: &mut CheckReport) {
    orgs.retain(|org, members| {
        let holders: Vec<&Identity> = people.iter().filter(|person| person.in_org(org)).collect();
        let leaving = holders.iter().filter(|person| !members.has(person)).count();
        let trusted = leaving < 2 || leaving * 2 <= holders.len();
        if !trusted {
            report.unread.push(format!("{org}: {leaving} of {} people would leave at once; not trusted, nothing changed", holders.len()));
            report.orgs.retain(|read| read != org);
        }
        trusted
    });
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
