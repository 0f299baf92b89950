use domain::actions::{RunList, RunQuery};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::actions::list_runs;
use crate::components::layout::PageHeader;
use crate::components::pagination::RunPagination;
use crate::components::run_filters::RunFilters;
use crate::components::run_table::RunTable;
use crate::components::loaded::loaded_keeping;
use crate::components::status::EmptyState;
use crate::url::runs_href;

/// Every run the visitor may see, newest first: filters and page live in the URL.
#[component]
pub fn RunsPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|map| RunQuery::from_params(|key| map.get_str(key))));
    let page = Resource::new(move || query.get(), list_runs);
    view! {
        <Title text="Runs" />
        <PageHeader title="Runs" subtitle="Every requested action: waiting for approval, running or ended, with who asked for it." />
        {loaded_keeping(page, "Loading the runs…", move |page| view! { <Runs page query=query.get_untracked() /> }.into_any())}
    }
}

#[component]
fn Runs(page: RunList, query: RunQuery) -> impl IntoView {
    let filtered = RunQuery { page: 1, ..query.clone() } != RunQuery { page: 1, ..RunQuery::default() };
    let body = if page.runs.is_empty() {
        empty_state(filtered).into_any()
    } else {
        view! { <RunTable runs=page.runs.clone() testid="runs" /> }.into_any()
    };
    let pages = query.clone();
    view! {
        <RunFilters query />
        {body}
        <RunPagination page href=move |n| runs_href(&RunQuery { page: n, ..pages.clone() }) />
    }
}

fn empty_state(filtered: bool) -> impl IntoView {
    if filtered {
        view! {
            <EmptyState title="No runs match these filters">
                <a href="/runs" class="underline">"Clear the filters"</a>
                " to see every run."
            </EmptyState>
        }
        .into_any()
    } else {
        view! {
            <EmptyState title="No runs yet">
                "Open a service and pick one of its actions; each request appears here with its progress."
            </EmptyState>
        }
        .into_any()
    }
}
