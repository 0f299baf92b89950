//! The environments grid's search, filters and pages: the services list's query, on the
//! grid's own address.

use domain::catalog::{Facets, ServicePage, ServiceQuery};
use leptos::prelude::*;
use leptos_router::components::Form;

use super::pagination::PAGE_LINK;
use crate::url::environments_href;

const LABEL: &str = "block text-xs font-medium text-slate-600 dark:text-slate-400";
const CONTROL: &str = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 dark:border-slate-700 dark:bg-slate-900";

/// A GET form: without JavaScript the browser loads the filtered address; hydrated, the router
/// navigates to it without a reload, and the page updates this same form in place: each control
/// sets its live value (`prop:`) as well as its attribute, or what the user typed before would
/// stay on screen after "Clear".
#[component]
pub fn EnvironmentFilters(query: ServiceQuery, facets: Facets) -> impl IntoView {
    let search = query.q.clone().unwrap_or_default();
    view! {
        <Form method="GET" action="/environments" attr:class="mb-4 grid grid-cols-2 gap-3 md:grid-cols-6 md:items-end" attr:role="search">
            <div class="col-span-2">
                <label for="grid-q" class=LABEL>"Search"</label>
                <input id="grid-q" type="search" name="q" value=search.clone() prop:value=search placeholder="Name, description or tag" class=CONTROL />
            </div>
            <FacetSelect id="grid-owner" name="owner" label="Owner" values=facets.owners selected=query.owner.clone() />
            <FacetSelect id="grid-system" name="system" label="System" values=facets.systems selected=query.system.clone() />
            <FacetSelect id="grid-lifecycle" name="lifecycle" label="Lifecycle" values=facets.lifecycles selected=query.lifecycle.clone() />
            <div class="flex gap-2">
                <button type="submit" class="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40">
                    "Apply"
                </button>
                <a href="/environments" class="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800">"Clear"</a>
            </div>
        </Form>
    }
}

#[component]
fn FacetSelect(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    mut values: Vec<String>,
    selected: Option<String>,
) -> impl IntoView {
    // A value from a shared link that the catalog no longer has stays visible, so the user sees
    // why the grid is empty.
    if let Some(value) = selected.as_ref().filter(|value| !values.contains(value)) {
        values.insert(0, value.clone());
    }
    view! {
        <div>
            <label for=id class=LABEL>{label}</label>
            <select id=id name=name class=CONTROL>
                <option value="" selected=selected.is_none() prop:selected=selected.is_none()>"Any"</option>
                {values
                    .into_iter()
                    .map(|value| {
                        let is_selected = selected.as_deref() == Some(value.as_str());
                        view! { <option value=value.clone() selected=is_selected prop:selected=is_selected>{value.clone()}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// "Showing 26–50 of 160 services" with previous and next links that keep the filters.
#[component]
pub fn GridPagination(page: ServicePage) -> impl IntoView {
    let query = page.query.clone();
    let pages = page.page_count();
    let first = query.offset() + 1;
    let last = query.offset() + page.items.len() as u64;
    let link = |target: u32, label: &'static str, rel: &'static str| {
        if target >= 1 && target <= pages && target != query.page {
            view! { <a href=environments_href(&query.with_page(target)) rel=rel class=PAGE_LINK>{label}</a> }.into_any()
        } else {
            view! { <span aria-disabled="true" class=format!("{PAGE_LINK} text-slate-400 dark:text-slate-600")>{label}</span> }.into_any()
        }
    };
    view! {
        <nav aria-label="Pagination" class="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600 dark:text-slate-400">
            <p>{if page.total == 0 { "No services".to_owned() } else { format!("Showing {first}–{last} of {} services", page.total) }}</p>
            <div class="flex items-center gap-2">
                {link(query.page.saturating_sub(1), "Previous", "prev")}
                <span>{format!("Page {} of {pages}", query.page.min(pages))}</span>
                {link(query.page.saturating_add(1), "Next", "next")}
            </div>
        </nav>
    }
}
