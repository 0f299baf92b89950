//! An entity's relations, one list per relation type ("Owns", "Members", "Depends on"...),
//! each entry linked to its entity's page, a reference to an entity the catalog does not have
//! marked as such, and a long list cut with a count of the rest.

use domain::catalog::{Related, RelatedGroup};
use leptos::prelude::*;

use crate::url::entity_href;

/// The relations section of an entity's page.
#[component]
pub fn RelationsSection(groups: Vec<RelatedGroup>) -> impl IntoView {
    view! {
        <section aria-labelledby="relations" class="mt-6">
            <h2 id="relations" class="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">"Relations"</h2>
            {if groups.is_empty() {
                view! { <p class="text-sm text-slate-500">"This entity has no relations in the catalog."</p> }.into_any()
            } else {
                view! {
                    <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                        {groups.into_iter().map(|group| view! { <RelationGroup group /> }).collect_view()}
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn RelationGroup(group: RelatedGroup) -> impl IntoView {
    let label = group.relation.label();
    let id = format!("relation-{}", group.relation.as_str());
    let labelled_by = id.clone();
    let more = group.total.saturating_sub(group.items.len() as u64);
    view! {
        <div role="group" aria-labelledby=labelled_by data-relation=group.relation.as_str() class="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <h3 id=id class="mb-2 flex items-baseline justify-between text-sm font-semibold">
                {label}
                <span class="text-xs font-normal text-slate-500">{group.total}</span>
            </h3>
            <ul class="space-y-1 text-sm">
                {group.items.into_iter().map(|item| view! { <RelatedItem item /> }).collect_view()}
            </ul>
            {(more > 0).then(|| view! { <p class="mt-2 text-xs text-slate-500">{format!("and {more} more")}</p> })}
        </div>
    }
}

#[component]
fn RelatedItem(item: Related) -> impl IntoView {
    match item.entity {
        Some(entity) => {
            let href = entity_href(&entity.reference());
            let kind = entity.kind.label();
            view! {
                <li class="flex items-baseline justify-between gap-2">
                    <a href=href class="truncate text-indigo-700 hover:underline dark:text-indigo-300">{entity.display_name().to_owned()}</a>
                    <span class="shrink-0 text-xs text-slate-500">{kind}</span>
                </li>
            }
            .into_any()
        }
        None => view! {
            <li class="flex items-baseline justify-between gap-2" data-missing="true">
                <span class="truncate font-mono text-xs text-rose-700 dark:text-rose-300">{item.target.to_string()}</span>
                <span class="shrink-0 text-xs text-rose-700 dark:text-rose-300">"not in the catalog"</span>
            </li>
        }
        .into_any(),
    }
}

