//! `/catalog/:kind/:namespace/:name/impact`: what breaks if an entity goes down. Everything
//! that depends on it, directly or through others and through the APIs it provides, nearest
//! first, with the teams that would be paged and the environments that would feel it.

use domain::catalog::impact::{Dependent, Impact};
use domain::catalog::{EntityRef, RelationType};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::not_found::or_missing;
use crate::api::catalog::get_impact;
use crate::components::entity_crumbs::EntityCrumbs;
use crate::components::loaded::loaded;
use crate::components::status::EmptyState;
use crate::components::table::DataTable;
use crate::url::{entity_href, graph_href, service_href};

#[component]
pub fn ImpactPage() -> impl IntoView {
    let params = use_params_map();
    let entity = Memo::new(move |_| {
        params.with(|map| {
            let get = |key: &str| map.get(key).unwrap_or_default();
            EntityRef::new(&get("kind"), &get("namespace"), &get("name"))
        })
    });
    let impact = Resource::new(move || entity.get(), get_impact);
    view! {
        {loaded(impact, "Following what depends on it…", |impact| or_missing(impact, |impact| view! { <ImpactView impact /> }.into_any(), None))}
    }
}

#[component]
fn ImpactView(impact: Impact) -> impl IntoView {
    let reference = impact.entity.reference();
    let name = impact.entity.display_name().to_owned();
    let kind = impact.entity.kind;
    let total = impact.total();
    let summary = match (total, impact.owners.len()) {
        (0, _) => String::new(),
        (1, _) => "1 entity depends on it.".to_owned(),
        (n, 0) => format!("{n} entities depend on it."),
        (n, 1) => format!("{n} entities depend on it, owned by one owner."),
        (n, owners) => format!("{n} entities depend on it, owned by {owners} owners."),
    };
    let listed_only = (impact.not_listed > 0).then(|| format!("The nearest {} are listed; {} more are counted.", impact.dependents.len(), impact.not_listed));
    view! {
        <Title text=format!("What breaks if {name} goes down") />
        <EntityCrumbs kind reference=reference.clone() current="What breaks" />
        <div class="mb-4 flex flex-wrap items-baseline justify-between gap-3">
            <h1 class="text-2xl font-semibold tracking-tight">{format!("What breaks if {name} goes down")}</h1>
            <a href=graph_href(&reference, &Default::default()) class="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">"See the relations graph"</a>
        </div>
        {if total == 0 {
            view! {
                <EmptyState title="Nothing in the catalog depends on it">
                    "No entity declares dependsOn it, and no one consumes an API it provides."
                </EmptyState>
            }.into_any()
        } else {
            view! {
                <p class="mb-2 text-sm text-slate-700 dark:text-slate-300" data-testid="impact-summary">{summary}" "{listed_only}</p>
                <section aria-labelledby="owners" class="mb-6">
                    <h2 id="owners" class="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">"Owners affected"</h2>
                    <ul class="flex flex-wrap gap-2 text-sm">
                        {impact.owners.iter().map(|owner| view! {
                            <li class="rounded-full border border-slate-300 px-3 py-1 dark:border-slate-700">
                                <a href=entity_href(&owner.owner) class="hover:underline">{owner.owner.humanised(Some("group"))}</a>
                                <span class="ml-1.5 text-xs text-slate-500">{owner.dependents}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
                <DataTable headers=&["Dependent", "Steps away", "Through", "Owner", "Environments"] testid="impact">
                    {impact.dependents.into_iter().map(|dependent| view! { <DependentRow dependent /> }).collect_view()}
                </DataTable>
            }.into_any()
        }}
    }
}

#[component]
fn DependentRow(dependent: Dependent) -> impl IntoView {
    let Dependent { reference, entity, distance, via, how, environments } = dependent;
    let name = match &entity {
        Some(entity) => view! {
            <a href=entity_href(&reference) class="font-medium text-indigo-700 hover:underline dark:text-indigo-300">{entity.display_name().to_owned()}</a>
            <span class="ml-2 text-xs text-slate-500">{entity.kind.label()}</span>
        }.into_any(),
        None => view! { <span class="font-mono text-xs text-rose-700 dark:text-rose-300">{format!("{reference} (not in the catalog)")}</span> }.into_any(),
    };
    let through = match how {
        RelationType::ConsumesApi => "consumes",
        RelationType::ProvidesApi => "is provided by",
        _ => "depends on",
    };
    let owner = entity.as_ref().and_then(|entity| entity.owner.clone());
    let service = entity.as_ref().filter(|_| !environments.is_empty()).map(|entity| entity.name.clone());
    view! {
        <tr class="align-top">
            <td class="px-4 py-3">{name}</td>
            <td class="px-4 py-3">{distance}</td>
            <td class="px-4 py-3">{through}" "<a href=entity_href(&via) class="hover:underline">{via.humanised(None)}</a></td>
            <td class="px-4 py-3">{owner.map(|owner| view! { <a href=entity_href(&owner) class="hover:underline">{owner.humanised(Some("group"))}</a> })}</td>
            <td class="px-4 py-3">
                {match service {
                    Some(service) => view! {
                        <a href=service_href(&service) class="flex flex-wrap gap-1">
                            {environments.into_iter().map(|name| view! { <span class="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">{name}</span> }).collect_view()}
                        </a>
                    }.into_any(),
                    None => view! { <span class="text-slate-400">"—"</span> }.into_any(),
                }}
            </td>
        </tr>
    }
}
