//! The admin's list of everyone's sessions and tokens. Ending a person's access is a plain form
//! post handled by the server (`/auth/people/revoke`), which leaves the outcome in the session
//! for this page to show once.

use domain::access::{PersonAccess, Role};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::ApiError;
#[cfg(feature = "ssr")]
use super::Services;

/// The session key of the last revoke outcome.
pub const FLASH: &str = "people_flash";

/// What the last "end all access" did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleFlash {
    pub key: String,
    pub sessions: u64,
    pub tokens: u64,
}

/// A person with the role the configuration gives them now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub person: PersonAccess,
    pub role: Option<Role>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleView {
    pub people: Vec<PersonRow>,
    pub flash: Option<PeopleFlash>,
    /// How often memberships are re-checked on GitHub, in minutes, when they are.
    pub membership_minutes: Option<u32>,
    /// Whether people sign in with GitHub at all.
    pub github: bool,
    pub token_max_days: u32,
}

/// Everyone who signed in, with their live sessions and tokens. Admins only.
#[server(input = Json, endpoint = "admin/people")]
pub async fn people() -> Result<PeopleView, ApiError> {
    let services = Services::current()?;
    services.require(domain::access::Permission::Administer).await?;
    let flash = Services::take_flash::<PeopleFlash>(FLASH).await?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let people = services.people.people_access(now).await.map_err(ApiError::internal)?;
    let people = people
        .into_iter()
        .map(|mut person| {
            // Tokens as the portal honours them: one made under a higher maximum may have ended.
            person.tokens = person.tokens.into_iter().map(|token| token.within(services.token_max_days)).filter(|token| token.is_active(now)).collect();
            PersonRow { role: (!person.login_taken()).then(|| services.policy.portal_role(&person.identity)).flatten(), person }
        })
        .collect();
    Ok(PeopleView {
        people,
        flash,
        membership_minutes: services.membership_minutes,
        github: services.sign_in.github,
        token_max_days: services.token_max_days,
    })
}
