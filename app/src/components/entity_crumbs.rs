//! The breadcrumb of the pages under an entity (its graph, what breaks): the list of its kind,
//! the entity, then the page.

use domain::catalog::{EntityKind, EntityRef};
use leptos::prelude::*;

use crate::url::{entity_href, kind_href};

#[component]
pub fn EntityCrumbs(kind: EntityKind, reference: EntityRef, current: &'static str) -> impl IntoView {
    view! {
        <nav aria-label="Breadcrumb" class="mb-4 text-sm text-slate-500">
            <a href=kind_href(kind) class="hover:underline">{kind.plural()}</a>
            " / "
            <a href=entity_href(&reference) class="hover:underline">{reference.humanised(None)}</a>
            " / "
            <span aria-current="page">{current}</span>
        </nav>
    }
}
