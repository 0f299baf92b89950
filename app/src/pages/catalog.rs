//! `/catalog`: one search box over every kind of entity, the kinds as a filter with how many
//! match each, and a page of results. `/catalog?kind=api` is the list of one kind, where an
//! entity page's breadcrumb leads.

use domain::catalog::{EntityKind, EntityList, EntityQuery, EntitySummary};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::catalog::search_catalog;
use crate::components::badge::LifecycleBadge;
use crate::components::layout::PageHeader;
use crate::components::loaded::loaded_keeping;
use crate::components::pagination::EntityPagination;
use crate::components::status::EmptyState;
use crate::components::table::DataTable;
use crate::url::{catalog_href, entity_href};

const CONTROL: &str = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 dark:border-slate-700 dark:bg-slate-900";

#[component]
pub fn CatalogPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|map| EntityQuery::from_params(|key| map.get_str(key))));
    let page = Resource::new(move || query.get(), search_catalog);
    view! {
        <PageHeader title="Catalog" subtitle="Every service, API, resource, system, domain, team and person the catalog knows." />
        {loaded_keeping(page, "Searching the catalog…", move |page| view! { <Results page /> }.into_any())}
    }
}

#[component]
fn Results(page: EntityList) -> impl IntoView {
    let query = page.query.clone();
    // A plain string, not a closure over the page's query: the title is read once the page
    // has rendered, when the page's reactive values are gone.
    let title = query.kind.map_or("Catalog", EntityKind::plural);
    let body = if page.items.is_empty() {
        empty_state(&query).into_any()
    } else {
        let rows = page.items.clone();
        view! {
            <DataTable headers=&["Name", "Kind", "Type", "Owner", "Lifecycle"] testid="catalog-results">
                {rows.into_iter().map(|entity| view! { <EntityRow entity /> }).collect_view()}
            </DataTable>
        }
        .into_any()
    };
    view! {
        <Title text=title />
        <SearchForm query=query.clone() />
        <KindFilter page=page.clone() />
        {body}
        <EntityPagination page />
    }
}

/// A GET form: it works without JavaScript, and hydrated the router navigates without a reload.
/// The live value is set too (`prop:`), so that what was typed does not linger after "Clear".
#[component]
fn SearchForm(query: EntityQuery) -> impl IntoView {
    let text = query.q.clone().unwrap_or_default();
    let chosen = query.kind.map(|kind| kind.key().to_owned()).unwrap_or_default();
    view! {
        <Form method="GET" action="/catalog" attr:class="mb-3 grid grid-cols-2 gap-3 md:grid-cols-6 md:items-end" attr:role="search">
            <div class="col-span-2 md:col-span-3">
                <label for="catalog-q" class="block text-xs font-medium text-slate-600 dark:text-slate-400">"Search the catalog"</label>
                <input id="catalog-q" type="search" name="q" value=text.clone() prop:value=text placeholder="Name, title, description or tag" class=CONTROL />
            </div>
            <div class="col-span-2 md:col-span-1">
                <label for="catalog-kind" class="block text-xs font-medium text-slate-600 dark:text-slate-400">"Kind"</label>
                <select id="catalog-kind" name="kind" class=CONTROL>
                    <option value="" selected=chosen.is_empty() prop:selected=chosen.is_empty()>"Every kind"</option>
                    {EntityKind::ALL.into_iter().map(|kind| {
                        let selected = chosen == kind.key();
                        view! { <option value=kind.key() selected=selected prop:selected=selected>{kind.plural()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="col-span-2 flex gap-2">
                <button type="submit" class="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40">"Search"</button>
                <a href="/catalog" class="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800">"Clear"</a>
            </div>
        </Form>
    }
}

/// "Every kind 42 · Components 12 · APIs 3…": how many of each kind match the text, each a
/// link that narrows the results to that kind.
#[component]
fn KindFilter(page: EntityList) -> impl IntoView {
    let query = page.query.clone();
    let all: u64 = page.kinds.iter().map(|count| count.count).sum();
    let link = move |kind: Option<EntityKind>, label: &'static str, count: u64| {
        let current = query.kind == kind;
        view! {
            <li>
                <a href=catalog_href(&query.with_kind(kind)) aria-current=current.then_some("true") data-kind=kind.map_or("all", EntityKind::key)
                    class="inline-flex items-center gap-1.5 rounded-full border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 aria-[current=true]:border-indigo-600 aria-[current=true]:bg-indigo-50 aria-[current=true]:text-indigo-800 dark:border-slate-700 dark:hover:bg-slate-800 dark:aria-[current=true]:bg-indigo-950 dark:aria-[current=true]:text-indigo-200">
                    {label}
                    <span class="text-xs text-slate-500">{count}</span>
                </a>
            </li>
        }
    };
    view! {
        <nav aria-label="Kinds" class="mb-4">
            <ul class="flex flex-wrap gap-2">
                {link(None, "Every kind", all)}
                {page.kinds.iter().map(|count| link(Some(count.kind), count.kind.plural(), count.count)).collect_view()}
            </ul>
        </nav>
    }
}

fn empty_state(query: &EntityQuery) -> impl IntoView + use<> {
    match (&query.q, query.kind) {
        (None, None) => view! {
            <EmptyState title="The catalog is empty">
                "Add catalog-info.yaml manifests to a folder listed under catalog.paths in the portal's configuration."
            </EmptyState>
        }
        .into_any(),
        (text, kind) => {
            let what = kind.map_or("entities", EntityKind::plural).to_lowercase();
            let title = match text {
                Some(text) => format!("No {what} match “{text}”"),
                None => format!("The catalog has no {what}"),
            };
            view! {
                <EmptyState title>
                    <a href="/catalog" class="underline">"Clear the search"</a>
                    " to see everything in the catalog."
                </EmptyState>
            }
            .into_any()
        }
    }
}

#[component]
fn EntityRow(entity: EntitySummary) -> impl IntoView {
    let href = entity_href(&entity.reference());
    let name = entity.display_name().to_owned();
    let reference = entity.reference().humanised(None);
    let owner = entity.owner.clone().map(|owner| {
        let label = owner.humanised(Some("group"));
        view! { <a href=entity_href(&owner) class="hover:underline">{label}</a> }
    });
    view! {
        <tr class="align-top hover:bg-slate-50 dark:hover:bg-slate-800/50">
            <td class="px-4 py-3">
                <a href=href class="font-medium text-indigo-700 hover:underline dark:text-indigo-300">{name}</a>
                <span class="ml-2 font-mono text-xs text-slate-500">{reference}</span>
                {entity.description.clone().map(|text| view! { <p class="mt-0.5 max-w-xl text-slate-600 dark:text-slate-400">{text}</p> })}
            </td>
            <td class="px-4 py-3">{entity.kind.label()}</td>
            <td class="px-4 py-3">{entity.spec_type.clone().unwrap_or_default()}</td>
            <td class="px-4 py-3">{owner}</td>
            <td class="px-4 py-3">{entity.lifecycle.clone().map(|lifecycle| view! { <LifecycleBadge lifecycle /> })}</td>
        </tr>
    }
}
