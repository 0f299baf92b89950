use domain::catalog::ServiceQuery;
use domain::runtime::GridPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::environments::environment_grid;
use crate::components::pagination::Pagination;
use crate::components::service_filters::ServiceFilters;
use crate::components::environment_grid::EnvironmentGrid;
use crate::components::environment_live::{LiveGridStatus, live_grid};
use crate::components::layout::PageHeader;
use crate::components::loaded::loaded_keeping;
use crate::components::status::EmptyState;
use crate::url::environments_href;

/// Services down, environments across: what runs where, and where versions drift. Search,
/// filters and page live in the URL, as on the services list.
#[component]
pub fn EnvironmentsPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|map| ServiceQuery::from_params(|key| map.get_str(key))));
    let page = Resource::new(move || query.get(), environment_grid);
    view! {
        <Title text="Environments" />
        <PageHeader
            title="Environments"
            subtitle="What each service runs in each environment, in promotion order. A marked cell runs another version than the environment before it. Open a cell for its live logs."
        />
        {loaded_keeping(page, "Loading the environments…", move |page| view! { <Grid page /> }.into_any())}
    }
}

#[component]
fn Grid(page: GridPage) -> impl IntoView {
    let query = page.services.query.clone();
    let filters = view! { <ServiceFilters query=query.clone() facets=page.services.facets.clone() action="/environments" /> };
    let pagination = view! { <Pagination page=page.services.clone() href=environments_href /> };
    let body = if page.rows.is_empty() || page.columns.is_empty() {
        empty_state(&query, page.rows.is_empty()).into_any()
    } else {
        let live = live_grid(page);
        view! {
            <div class="mb-3"><LiveGridStatus live /></div>
            <EnvironmentGrid grid=live.value now=live.updated />
        }
        .into_any()
    };
    view! { {filters} {body} {pagination} }
}

fn empty_state(query: &ServiceQuery, no_services: bool) -> impl IntoView + use<> {
    let clear = view! {
        <a href=environments_href(&ServiceQuery::default().normalised()) class="underline">"Clear the filters"</a>
    };
    match (no_services, query.is_filtered()) {
        (true, true) => view! {
            <EmptyState title="No services match these filters">{clear}" to see every service."</EmptyState>
        }
        .into_any(),
        (true, false) => view! {
            <EmptyState title="The catalog is empty">
                "Add catalog-info.yaml manifests to a folder listed under catalog.paths in the portal's configuration."
            </EmptyState>
        }
        .into_any(),
        (false, filtered) => view! {
            <EmptyState title=if filtered { "None of the matching services declares environments" } else { "No service declares environments yet" }>
                "List where a service runs under "<code class="font-mono">"spec.environments"</code>" in its catalog-info.yaml: "
                "dev, then staging, then prod, each on a local process, a Kubernetes Deployment or an ECS service. "
                "docs/catalog.md describes the fields."
            </EmptyState>
        }
        .into_any(),
    }
}
