//! The kinds of event the portal records, one constant each, so that the code writing events and the
//! viewer offering them as filters agree on the names.

/// A sign-in: succeeded, refused (not in an allowed organisation) or failed.
pub const SIGN_IN: &str = "auth.sign_in";
pub const SIGN_OUT: &str = "auth.sign_out";
/// A request refused for lack of permission.
pub const ACCESS_DENIED: &str = "access.denied";
pub const TOKEN_CREATED: &str = "token.created";
pub const TOKEN_REVOKED: &str = "token.revoked";
/// A request made with an API token, or refused for an unknown, expired or revoked one.
pub const TOKEN_USED: &str = "token.used";
/// A download of the audit log.
pub const AUDIT_EXPORT: &str = "audit.export";
/// Events older than the retention period deleted.
pub const AUDIT_PRUNED: &str = "audit.pruned";
/// A production environment's logs opened or downloaded.
pub const LOGS_READ: &str = "logs.read";
/// An environment's processes, pods or tasks restarted, scaled, stopped or started directly
/// (from the command line or the API), outside any action.
pub const ENVIRONMENT_RESTART: &str = "environment.restart";
pub const ENVIRONMENT_SCALE: &str = "environment.scale";
pub const ENVIRONMENT_STOP: &str = "environment.stop";
pub const ENVIRONMENT_START: &str = "environment.start";
/// A self-service action's run: requested (or refused), approved, rejected, started, each step
/// (compensations included), cancelled, expired unapproved, and its end.
pub const ACTION_REQUESTED: &str = "action.requested";
pub const ACTION_APPROVED: &str = "action.approved";
pub const ACTION_REJECTED: &str = "action.rejected";
pub const ACTION_STARTED: &str = "action.started";
pub const ACTION_STEP: &str = "action.step";
pub const ACTION_CANCELLED: &str = "action.cancelled";
pub const ACTION_EXPIRED: &str = "action.expired";
pub const ACTION_FINISHED: &str = "action.finished";

/// A service added to or removed from the catalog, or its owner, environments, runtime targets
/// or production guards changed, by the source that declares it.
pub const CATALOG_CHANGED: &str = "catalog.changed";

/// A GitHub account signed in (or was seen by the membership check) under a new login.
pub const USER_RENAMED: &str = "user.renamed";
/// Another GitHub account signed in with a login an earlier account had: the earlier account's
/// tokens were revoked and its sessions ended, so the newcomer inherits nothing.
pub const USER_LOGIN_REUSED: &str = "user.login_reused";
/// The membership check found a person no longer in an organisation or team.
pub const USER_MEMBERSHIP_CHANGED: &str = "user.membership_changed";
/// An admin ended every session and revoked every token of a person.
pub const USER_ACCESS_REVOKED: &str = "user.access_revoked";

/// Every action with what it records, for the viewer's suggestions.
pub const ALL: [(&str, &str); 26] = [
    (SIGN_IN, "signing in"),
    (SIGN_OUT, "signing out"),
    (ACCESS_DENIED, "a refusal"),
    (TOKEN_CREATED, "an API token created"),
    (TOKEN_REVOKED, "an API token revoked"),
    (TOKEN_USED, "an API token used"),
    (AUDIT_EXPORT, "the audit log exported"),
    (AUDIT_PRUNED, "old events pruned"),
    (LOGS_READ, "production logs read"),
    (ENVIRONMENT_RESTART, "an environment restarted"),
    (ENVIRONMENT_SCALE, "an environment scaled"),
    (ENVIRONMENT_STOP, "an environment stopped"),
    (ENVIRONMENT_START, "an environment started"),
    (ACTION_REQUESTED, "an action requested"),
    (ACTION_APPROVED, "a run approved"),
    (ACTION_REJECTED, "a run rejected"),
    (ACTION_STARTED, "a run started"),
    (ACTION_STEP, "a step of a run"),
    (ACTION_CANCELLED, "a run cancelled"),
    (ACTION_EXPIRED, "a request expired unapproved"),
    (ACTION_FINISHED, "a run ended"),
    (CATALOG_CHANGED, "a service's owner or environments changed in the catalog"),
    (USER_RENAMED, "a GitHub account renamed"),
    (USER_LOGIN_REUSED, "a login taken by another GitHub account"),
    (USER_MEMBERSHIP_CHANGED, "someone left an organisation or team"),
    (USER_ACCESS_REVOKED, "someone's sessions and tokens revoked"),
];
