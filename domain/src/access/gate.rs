use crate::audit::{NewEvent, Origin, Outcome};
use crate::future::BoxFuture;

use super::principal::{AccessError, Permission, Principal};

/// Facts about a request that every audit event carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    /// The peer address of the connection (the proxy's, behind one).
    pub client_addr: Option<String>,
}

impl RequestMeta {
    /// An event about this request.
    pub fn event(&self, actor: &str, origin: Origin, action: &str, outcome: Outcome) -> NewEvent {
        NewEvent::new(actor, origin, action, outcome).request(self.request_id.clone(), self.client_addr.clone())
    }

    /// An event by `principal`, from the API when it used a token, else from the web.
    pub fn event_by(&self, principal: &Principal, action: &str, outcome: Outcome) -> NewEvent {
        let event = self.event(&principal.identity.login, principal.origin(), action, outcome);
        match &principal.token {
            Some(token) => event.token(token.id.clone()),
            None => event,
        }
    }
}

/// Where the portal-wide permissions ([`Permission`]: seeing the catalog, the audit log,
/// operating environments, administering) are checked. Pages, server functions, API routes and
/// streams all ask it; a refusal is audited before it is returned.
///
/// Rights that depend on one service and environment are decided by the rules beside their
/// data, each in one place and each audited where it refuses: reading logs by
/// [`super::Policy::may_read_logs`] (worded by [`super::logs_refusal`]), requesting, approving
/// and cancelling actions and operating one environment by `crate::actions` (`may_request`,
/// `check_approval`, `may_cancel`), as the actions engine applies them.
pub trait Gate: Send + Sync {
    fn authorize<'a>(
        &'a self,
        principal: Option<&'a Principal>,
        permission: Permission,
        meta: &'a RequestMeta,
    ) -> BoxFuture<'a, Result<Principal, AccessError>>;
}
