//! The scaffolding every page's data goes through, written once: "Loading…" while the server
//! function runs, the page once it answered, the error state when it failed. (A 404 for what
//! does not exist is `pages::not_found::or_missing`.)

use leptos::prelude::*;

use super::status::{ErrorState, Loading};
use crate::api::ApiError;

/// `data` shown by `found` once loaded; `loading` is what the wait says.
pub fn loaded<T: Data>(data: Resource<Result<T, ApiError>>, loading: &'static str, found: impl Found<T>) -> impl IntoView {
    view! { <Suspense fallback=move || view! { <Loading label=loading /> }>{answer(data, found)}</Suspense> }
}

/// [`loaded`] for data that changes with the page's filters: what was shown stays until the
/// new answer arrives, rather than blinking to "Loading…".
pub fn loaded_keeping<T: Data>(data: Resource<Result<T, ApiError>>, loading: &'static str, found: impl Found<T>) -> impl IntoView {
    view! { <Transition fallback=move || view! { <Loading label=loading /> }>{answer(data, found)}</Transition> }
}

/// What a server function may answer with.
pub trait Data: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static {}

impl<T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static> Data for T {}

/// How a page shows its data.
pub trait Found<T>: Fn(T) -> AnyView + Clone + Send + Sync + 'static {}

impl<T, F: Fn(T) -> AnyView + Clone + Send + Sync + 'static> Found<T> for F {}

fn answer<T: Data>(data: Resource<Result<T, ApiError>>, found: impl Found<T>) -> impl Fn() -> Suspend<AnyView> + Send + Sync + 'static {
    move || {
        let found = found.clone();
        Suspend::new(async move {
            match data.await {
                Ok(value) => found(value),
                Err(error) => view! { <ErrorState error /> }.into_any(),
            }
        })
    }
}
