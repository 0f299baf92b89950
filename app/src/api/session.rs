//! Who is signed in, known to every page from the first render: the server puts it into the
//! HTML and the browser reads it back when hydrating, with no request of its own.

use domain::access::{Permission, Principal};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Which ways of signing in the portal offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInOptions {
    pub github: bool,
    /// The demo's unauthenticated sign-in: every page says so in a banner.
    pub demo: bool,
}

/// What the layout and pages need to know about the visitor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub principal: Option<Principal>,
    pub sign_in: SignInOptions,
}

impl SessionView {
    /// Whether to show what needs `permission`. The server checks again on every call.
    pub fn may(&self, permission: Permission) -> bool {
        self.principal.as_ref().is_some_and(|p| p.may(permission))
    }
}

/// Reads the session on the server (once per page) and shares it with the browser.
pub fn provide_session_view() {
    let view = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            // No portal while the server lists the routes at start-up (rendering with no
            // request): nothing is wrong then, so nothing is logged.
            let sign_in = use_context::<super::Services>().map(|services| services.sign_in).unwrap_or_default();
            SessionView { principal: super::Services::principal(), sign_in }
        }
        #[cfg(not(feature = "ssr"))]
        SessionView::default()
    });
    provide_context(view.into_inner());
}

/// The visitor, as provided by [`provide_session_view`].
pub fn use_session_view() -> SessionView {
    use_context::<SessionView>().unwrap_or_default()
}
