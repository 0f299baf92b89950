use domain::catalog::{ServiceList, ServiceQuery, ServiceSummary};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::catalog::list_services;
use crate::components::badge::{LifecycleBadge, Tag};
use crate::components::layout::PageHeader;
use crate::components::pagination::Pagination;
use crate::components::service_filters::ServiceFilters;
use crate::components::loaded::loaded_keeping;
use crate::components::status::EmptyState;
use crate::components::table::DataTable;
use crate::url::{owner_href, service_href, services_href, system_href};

/// The services list: search, filters, order and page all live in the URL.
#[component]
pub fn ServicesPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|map| ServiceQuery::from_params(|key| map.get_str(key))));
    let page = Resource::new(move || query.get(), list_services);

    view! {
        <Title text="Services" />
        <PageHeader title="Services" subtitle="Everything the organisation runs, who owns it and what it belongs to." />
        {loaded_keeping(page, "Loading services…", move |page| view! { <ServiceRows page /> }.into_any())}
    }
}

#[component]
fn ProblemsNotice(count: u64) -> impl IntoView {
    let text = if count == 1 { "1 catalog problem".to_owned() } else { format!("{count} catalog problems") };
    view! {
        <div role="note" class="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
            {text} " kept some manifests from loading. "
            <a href="/catalog/problems" class="font-medium underline">"See what to fix"</a>
        </div>
    }
}

#[component]
fn ServiceRows(page: ServiceList) -> impl IntoView {
    let query = page.query.clone();
    let body = if page.items.is_empty() {
        empty_state(&query).into_any()
    } else {
        let rows = page.items.clone();
        view! {
            <DataTable headers=&["Service", "Owner", "System", "Type", "Lifecycle"]>
                {rows.into_iter().map(|service| view! { <ServiceRow service /> }).collect_view()}
            </DataTable>
        }
        .into_any()
    };
    let problems = (page.problem_count > 0).then(|| view! { <ProblemsNotice count=page.problem_count /> });
    view! {
        {problems}
        <ServiceFilters query=query facets=page.facets.clone() action="/services" with_order=true />
        {body}
        <Pagination page href=services_href />
    }
}

fn empty_state(query: &ServiceQuery) -> impl IntoView + use<> {
    if query.is_filtered() {
        view! {
            <EmptyState title="No services match these filters">
                <a href=services_href(&ServiceQuery::default().normalised()) class="underline">"Clear the filters"</a>
                " to see every service."
            </EmptyState>
        }
        .into_any()
    } else {
        view! {
            <EmptyState title="The catalog is empty">
                "Add catalog-info.yaml manifests to a folder listed under catalog.paths in the portal's configuration."
            </EmptyState>
        }
        .into_any()
    }
}

#[component]
fn ServiceRow(service: ServiceSummary) -> impl IntoView {
    let ServiceSummary { name, title, description, kind, lifecycle, owner, system, tags } = service;
    view! {
        <tr class="align-top hover:bg-slate-50 dark:hover:bg-slate-800/50">
            <td class="px-4 py-3">
                <a href=service_href(&name) class="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                    {title.clone().unwrap_or_else(|| name.clone())}
                </a>
                {title.is_some().then(|| view! { <span class="ml-2 font-mono text-xs text-slate-500">{name.clone()}</span> })}
                {description.map(|text| view! { <p class="mt-0.5 max-w-xl text-slate-600 dark:text-slate-400">{text}</p> })}
                <div class="mt-1 flex flex-wrap gap-1">{tags.into_iter().map(|tag| view! { <Tag tag /> }).collect_view()}</div>
            </td>
            <td class="px-4 py-3"><a href=owner_href(&owner) class="hover:underline">{owner.clone()}</a></td>
            <td class="px-4 py-3">
                {match system {
                    Some(system) => view! { <a href=system_href(&system) class="hover:underline">{system.clone()}</a> }.into_any(),
                    None => view! { <span class="text-slate-400">"—"</span> }.into_any(),
                }}
            </td>
            <td class="px-4 py-3">{kind}</td>
            <td class="px-4 py-3"><LifecycleBadge lifecycle /></td>
        </tr>
    }
}
