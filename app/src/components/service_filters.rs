use domain::catalog::{Facets, ServiceQuery, ServiceSort};
use leptos::prelude::*;
use leptos_router::components::Form;

const LABEL: &str = "block text-xs font-medium text-slate-600 dark:text-slate-400";
const CONTROL: &str = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 dark:border-slate-700 dark:bg-slate-900";

/// Search box and filters over services, for the services list (`action` `/services`, with
/// type and order) and the environments grid (`/environments`, without them).
///
/// A GET form: without JavaScript the browser loads the filtered URL; hydrated, the router
/// navigates to it without a reload and the page updates this same form in place, so each
/// control sets its live value (`prop:`) as well as its attribute: otherwise what the user typed
/// before would stay on screen, and be submitted again, after "Clear".
#[component]
pub fn ServiceFilters(
    query: ServiceQuery,
    facets: Facets,
    action: &'static str,
    /// The type filter and the sort order: the services list has them, the grid does not.
    #[prop(optional)]
    with_order: bool,
) -> impl IntoView {
    let search = query.q.clone().unwrap_or_default();
    let columns = if with_order { "md:grid-cols-7" } else { "md:grid-cols-6" };
    let order = with_order.then(|| {
        view! {
            <FacetSelect id="filter-type" name="type" label="Type" values=facets.kinds.clone() selected=query.kind.clone() />
            <div>
                <label for="filter-sort" class=LABEL>"Sort by"</label>
                <select id="filter-sort" name="sort" class=CONTROL>
                    {ServiceSort::ALL
                        .into_iter()
                        .map(|sort| {
                            let chosen = sort == query.sort;
                            view! { <option value=sort.as_param() selected=chosen prop:selected=chosen>{sort.label()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
        }
    });
    let buttons = if with_order { "col-span-2 flex gap-2 md:col-span-7" } else { "flex gap-2" };
    view! {
        <Form method="GET" action=action attr:class=format!("mb-4 grid grid-cols-2 gap-3 {columns} md:items-end") attr:role="search">
            <div class="col-span-2">
                <label for="filter-q" class=LABEL>"Search"</label>
                <input id="filter-q" type="search" name="q" value=search.clone() prop:value=search placeholder="Name, description or tag" class=CONTROL />
            </div>
            <FacetSelect id="filter-owner" name="owner" label="Owner" values=facets.owners selected=query.owner.clone() />
            <FacetSelect id="filter-system" name="system" label="System" values=facets.systems selected=query.system.clone() />
            <FacetSelect id="filter-lifecycle" name="lifecycle" label="Lifecycle" values=facets.lifecycles selected=query.lifecycle.clone() />
            {order}
            <div class=buttons>
                <button type="submit" class="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40">
                    "Apply"
                </button>
                <a href=action class="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800">"Clear"</a>
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
