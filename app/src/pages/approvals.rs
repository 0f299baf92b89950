use domain::actions::RunList;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::actions::approvals_inbox;
use crate::components::layout::PageHeader;
use crate::components::pagination::RunPagination;
use crate::components::run_table::RunTable;
use crate::components::loaded::loaded_keeping;
use crate::components::status::EmptyState;
use crate::url::approvals_href;

/// The runs waiting for an approval the visitor may give, oldest first.
#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let params = use_query_map();
    let page_number = Memo::new(move |_| params.with(|map| map.get_str("page").and_then(|p| p.parse::<u32>().ok()).filter(|p| *p >= 1).unwrap_or(1)));
    let page = Resource::new(move || page_number.get(), approvals_inbox);
    view! {
        <Title text="Approvals" />
        <PageHeader title="Approvals" subtitle="Requests waiting for someone with your role to approve them, oldest first. Open one to approve or reject it." />
        {loaded_keeping(page, "Loading the approvals…", move |page| view! { <Inbox page /> }.into_any())}
    }
}

#[component]
fn Inbox(page: RunList) -> impl IntoView {
    let body = if page.runs.is_empty() {
        view! {
            <EmptyState title="Nothing waits for your approval">
                "Requests that need someone with your role appear here. "
                <a href="/runs" class="underline">"See every run"</a>
            </EmptyState>
        }
        .into_any()
    } else {
        view! { <RunTable runs=page.runs.clone() testid="approvals" /> }.into_any()
    };
    view! {
        {body}
        <RunPagination page href=approvals_href />
    }
}
