//! The server's side of the permission check: decide with the domain's rules, audit refusals.

use domain::access::{AccessError, Gate, Permission, Principal, RequestMeta};
use domain::audit::{Outcome, kinds};
use domain::future::BoxFuture;

use super::Auth;

impl Gate for Auth {
    fn authorize<'a>(
        &'a self,
        principal: Option<&'a Principal>,
        permission: Permission,
        meta: &'a RequestMeta,
    ) -> BoxFuture<'a, Result<Principal, AccessError>> {
        Box::pin(async move {
            let Some(principal) = principal else { return Err(AccessError::SignedOut) };
            if principal.may(permission) {
                return Ok(principal.clone());
            }
            let needed = permission.required_role();
            let held = principal.effective_role();
            let event = meta
                .event_by(principal, kinds::ACCESS_DENIED, Outcome::Denied)
                .inputs(serde_json::json!({ "permission": permission.as_str(), "needed": needed, "held": held }));
            self.store.append_or_log(&event).await;
            Err(AccessError::Forbidden { needed, held })
        })
    }
}
