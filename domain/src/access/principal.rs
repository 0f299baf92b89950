use serde::{Deserialize, Serialize};

use super::identity::Identity;
use super::role::Role;

/// Something the portal lets only some people do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Permission {
    /// Services, their pages, catalog problems.
    ViewCatalog,
    /// Create, list and revoke one's own API tokens.
    ManageOwnTokens,
    /// The audit log, its export and live updates.
    ViewAudit,
    /// Restart, scale, stop and start environments directly, outside actions: the platform
    /// engineer's tools.
    OperateEnvironments,
    /// The portal's access settings.
    Administer,
}

impl Permission {
    /// The least portal-wide role that holds the permission.
    pub fn required_role(self) -> Role {
        match self {
            Self::ViewCatalog | Self::ManageOwnTokens => Role::Viewer,
            Self::ViewAudit | Self::OperateEnvironments => Role::Operator,
            Self::Administer => Role::Admin,
        }
    }

    /// The name recorded in the audit log.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ViewCatalog => "view_catalog",
            Self::ManageOwnTokens => "manage_own_tokens",
            Self::ViewAudit => "view_audit",
            Self::OperateEnvironments => "operate_environments",
            Self::Administer => "administer",
        }
    }
}

/// The API token a request was made with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenUse {
    pub id: String,
    /// The most the token may do, whatever its owner may.
    pub scope: Role,
}

/// Who is making a request, with the portal-wide role worked out at sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub identity: Identity,
    /// The owner's portal-wide role; `None` when signed in with no role at all.
    pub role: Option<Role>,
    /// Set when the request carried an API token instead of a session.
    pub token: Option<TokenUse>,
}

impl Principal {
    /// The role this request acts with: a token never does more than its scope.
    pub fn effective_role(&self) -> Option<Role> {
        match &self.token {
            Some(token) => self.role.map(|role| role.min(token.scope)),
            None => self.role,
        }
    }

    /// Where the request came from, for the audit log.
    pub fn origin(&self) -> crate::audit::Origin {
        if self.token.is_some() { crate::audit::Origin::Api } else { crate::audit::Origin::Web }
    }

    pub fn may(&self, permission: Permission) -> bool {
        self.effective_role().is_some_and(|role| role >= permission.required_role())
    }
}

/// Why a request was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AccessError {
    #[error("Sign in to continue.")]
    SignedOut,
    #[error("This needs the {needed} role; you have {}.", held.map_or("no role", Role::as_str))]
    Forbidden { needed: Role, held: Option<Role> },
}
