use domain::catalog::{Facets, ServiceQuery, ServiceSort};
use leptos::prelude::*;
use leptos_router::components::Form;

/// Search box, filters and order for the services list. A GET form: without JavaScript the
/// browser loads the filtered URL; hydrated, the router navigates to it without a reload.
#[component]
pub fn ServiceFilters(query: ServiceQuery, facets: Facets) -> impl IntoView {
    let label = "block text-xs font-medium text-slate-600 dark:text-slate-400";
    let control = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 dark:border-slate-700 dark:bg-slate-900";
    view! {
        <Form method="GET" action="/services" attr:class="mb-4 grid grid-cols-2 gap-3 md:grid-cols-7 md:items-end" attr:role="search">
            <div class="col-span-2">
                <label for="filter-q" class=label>"Search"</label>
                <input id="filter-q" type="search" name="q" value=query.q.clone().unwrap_or_default() placeholder="Name, description or tag" class=control />
            </div>
            <FacetSelect id="filter-owner" name="owner" label="Owner" values=facets.owners selected=query.owner.clone() />
            <FacetSelect id="filter-system" name="system" label="System" values=facets.systems selected=query.system.clone() />
            <FacetSelect id="filter-lifecycle" name="lifecycle" label="Lifecycle" values=facets.lifecycles selected=query.lifecycle.clone() />
            <FacetSelect id="filter-type" name="type" label="Type" values=facets.kinds selected=query.kind.clone() />
            <div>
                <label for="filter-sort" class=label>"Sort by"</label>
                <select id="filter-sort" name="sort" class=control>
                    {ServiceSort::ALL
                        .into_iter()
                        .map(|sort| view! { <option value=sort.as_param() selected=sort == query.sort>{sort.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="col-span-2 flex gap-2 md:col-span-7">
                <button type="submit" class="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40">
                    "Apply"
                </button>
                <a href="/services" class="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800">"Clear"</a>
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
    // A filter from a shared link may name a value the catalog no longer has: keep it visible,
    // so the user sees why the list is empty and can clear it.
    if let Some(value) = selected.as_ref().filter(|value| !values.contains(value)) {
        values.insert(0, value.clone());
    }
    view! {
        <div>
            <label for=id class="block text-xs font-medium text-slate-600 dark:text-slate-400">{label}</label>
            <select id=id name=name class="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 dark:border-slate-700 dark:bg-slate-900">
                <option value="">"Any"</option>
                {values
                    .into_iter()
                    .map(|value| {
                        let is_selected = selected.as_deref() == Some(value.as_str());
                        view! { <option value=value.clone() selected=is_selected>{value.clone()}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
