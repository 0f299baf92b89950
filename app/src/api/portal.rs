use std::sync::Arc;

use domain::store::CatalogStore;
use leptos::prelude::use_context;

use super::ApiError;

/// The services the server hands to every server function and page render, through Leptos
/// context. Built once by the server's composition root.
#[derive(Clone)]
pub struct Portal {
    pub catalog: Arc<dyn CatalogStore>,
}

impl Portal {
    /// The portal of the current request.
    pub fn current() -> Result<Self, ApiError> {
        use_context::<Self>().ok_or_else(|| ApiError::internal("Portal missing from the request context"))
    }
}
