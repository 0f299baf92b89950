use serde::{Deserialize, Serialize};

use super::role::Role;
use crate::future::BoxFuture;
use crate::store::StoreError;

/// How long a new token may live, in days: the choices the form offers, up to the portal's
/// maximum (see [`token_lifetimes`]).
pub const TOKEN_LIFETIMES: [u32; 4] = [7, 30, 90, 365];

/// The lifetimes offered when tokens may live at most `max_days`: the usual choices up to it,
/// and the maximum itself.
pub fn token_lifetimes(max_days: u32) -> Vec<u32> {
    let mut days: Vec<u32> = TOKEN_LIFETIMES.into_iter().filter(|days| *days < max_days).collect();
    days.push(max_days.max(1));
    days
}
const MAX_NAME_LEN: usize = 64;

/// A personal API token as its owner sees it; never the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub scope: Role,
    /// Unix seconds.
    pub created_at: i64,
    pub expires_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl ApiToken {
    pub fn is_active(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }

    /// The token under a maximum lifetime of `max_days`: it expires then at the latest, even if
    /// it was made when tokens could live longer. Lowering `auth.token_max_days` thus shortens
    /// the tokens already given out, as it says, instead of only the new ones.
    pub fn within(mut self, max_days: u32) -> Self {
        self.expires_at = self.expires_at.min(self.created_at.saturating_add(i64::from(max_days) * 86_400));
        self
    }
}

/// Reading a person's tokens (writes happen with their audit event, on the server).
pub trait TokenStore: Send + Sync {
    /// `owner`'s tokens, newest first, revoked and expired ones included.
    fn tokens_of<'a>(&'a self, owner: &'a str) -> BoxFuture<'a, Result<Vec<ApiToken>, StoreError>>;
}

/// A token request that passed validation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    pub name: String,
    pub scope: Role,
    pub lifetime_days: u32,
}

/// What is wrong with a token request, per form field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenFormErrors {
    pub name: Option<String>,
    pub scope: Option<String>,
    pub lifetime_days: Option<String>,
}

impl NewToken {
    /// Checks a token request from its form fields; `owner_role` caps the scope and `max_days`
    /// the lifetime.
    pub fn parse(name: &str, scope: &str, lifetime_days: &str, owner_role: Option<Role>, max_days: u32) -> Result<Self, TokenFormErrors> {
        let mut errors = TokenFormErrors::default();
        let name = name.trim();
        if name.is_empty() {
            errors.name = Some("Give the token a name, such as the script that will use it.".into());
        } else if name.chars().count() > MAX_NAME_LEN {
            errors.name = Some(format!("Keep the name under {MAX_NAME_LEN} characters."));
        } else if name.chars().any(char::is_control) {
            errors.name = Some("The name cannot contain control characters.".into());
        }
        let scope = match Role::parse(scope) {
            None => {
                errors.scope = Some("Choose what the token may do.".into());
                None
            }
            Some(scope) if owner_role.is_none_or(|owner| scope > owner) => {
                errors.scope = Some(format!(
                    "A token cannot do more than you: your role is {}.",
                    owner_role.map_or("none", Role::as_str)
                ));
                None
            }
            Some(scope) => Some(scope),
        };
        let lifetime_days = match lifetime_days.trim().parse::<u32>() {
            Ok(days) if token_lifetimes(max_days).contains(&days) => Some(days),
            _ => {
                errors.lifetime_days = Some("Choose one of the offered lifetimes.".into());
                None
            }
        };
        match (scope, lifetime_days) {
            (Some(scope), Some(lifetime_days)) if errors == TokenFormErrors::default() => {
                Ok(Self { name: name.to_owned(), scope, lifetime_days })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(created_at: i64, expires_at: i64) -> ApiToken {
        ApiToken { id: "t".into(), name: "ci".into(), scope: Role::Viewer, created_at, expires_at, last_used_at: None, revoked_at: None }
    }

    #[test]
    fn a_lower_maximum_shortens_a_token_made_under_a_higher_one() {
        let day = 86_400;
        // Made for 90 days; the maximum is now 7: it ended on day 7.
        let shortened = token(0, 90 * day).within(7);
        assert_eq!(shortened.expires_at, 7 * day);
        assert!(!shortened.is_active(10 * day));
        // A token within the maximum keeps its own expiry.
        assert_eq!(token(0, 3 * day).within(7).expires_at, 3 * day);
    }

    #[test]
    fn a_valid_request_is_accepted() {
        let token = NewToken::parse(" deploy script ", "developer", "30", Some(Role::Operator), 90);
        assert_eq!(token, Ok(NewToken { name: "deploy script".into(), scope: Role::Developer, lifetime_days: 30 }));
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let errors = NewToken::parse("  ", "admin", "1000", Some(Role::Viewer), 365).expect_err("invalid");
        assert!(errors.name.is_some());
        assert_eq!(errors.scope.as_deref(), Some("A token cannot do more than you: your role is viewer."));
        assert!(errors.lifetime_days.is_some());
        let errors = NewToken::parse("ci", "root", "30", Some(Role::Admin), 90).expect_err("unknown scope");
        assert!(errors.scope.is_some() && errors.name.is_none());
    }

    #[test]
    fn no_lifetime_beyond_the_portals_maximum_is_offered_or_accepted() {
        assert_eq!(token_lifetimes(90), [7, 30, 90]);
        assert_eq!(token_lifetimes(14), [7, 14]);
        assert_eq!(token_lifetimes(365), [7, 30, 90, 365]);
        let errors = NewToken::parse("ci", "viewer", "365", Some(Role::Admin), 90).expect_err("too long");
        assert_eq!(errors.lifetime_days.as_deref(), Some("Choose one of the offered lifetimes."));
        assert!(NewToken::parse("ci", "viewer", "14", Some(Role::Admin), 14).is_ok());
    }
}
