use domain::audit::format_time;
use domain::catalog::{Problem, SourceStatus};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::catalog::{catalog_problems, catalog_sources};
use crate::components::layout::PageHeader;
use crate::components::loaded::loaded;
use crate::components::status::EmptyState;
use crate::components::table::DataTable;

/// Every manifest problem found when the catalog was last read, by file and line, and under
/// them the sources the catalog is read from.
#[component]
pub fn ProblemsPage() -> impl IntoView {
    let problems = Resource::new(|| (), |_| catalog_problems());
    let sources = Resource::new(|| (), |_| catalog_sources());
    view! {
        <Title text="Catalog problems" />
        <PageHeader
            title="Catalog problems"
            subtitle="Manifests, or parts of them, that could not be read. Everything else in the catalog loaded."
        />
        {loaded(problems, "Loading problems…", |problems| if problems.is_empty() {
            view! { <EmptyState title="No problems">"Every manifest in the catalog was read."</EmptyState> }.into_any()
        } else {
            view! { <ProblemTable problems /> }.into_any()
        })}
        <section aria-labelledby="sources-heading" class="mt-10">
            <h2 id="sources-heading" class="mb-3 text-lg font-semibold">"Sources"</h2>
            {loaded(sources, "Loading sources…", |sources| if sources.is_empty() {
                view! {
                    <p class="text-sm text-slate-600 dark:text-slate-400">"No catalog source is configured: set catalog.paths or catalog.github."</p>
                }.into_any()
            } else {
                view! { <SourceTable sources /> }.into_any()
            })}
        </section>
    }
}

#[component]
fn ProblemTable(problems: Vec<Problem>) -> impl IntoView {
    view! {
        <DataTable headers=&["File", "Line", "Field", "Problem"]>
            {problems.into_iter().map(|problem| view! {
                <tr class="align-top">
                    <td class="break-all px-4 py-2 font-mono text-xs">{problem.file}</td>
                    <td class="px-4 py-2 font-mono text-xs">{problem.line.map(|line| line.to_string()).unwrap_or_default()}</td>
                    <td class="px-4 py-2 font-mono text-xs">{problem.field.unwrap_or_default()}</td>
                    <td class="px-4 py-2">{problem.message}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}

/// One row per source; a dash where a column does not apply to it.
#[component]
fn SourceTable(sources: Vec<SourceStatus>) -> impl IntoView {
    let count = |value: Option<u64>| value.map_or_else(|| "–".to_owned(), |value| value.to_string());
    view! {
        <DataTable headers=&["Source", "Last refreshed", "Repositories", "Refused webhook deliveries"] testid="catalog-sources">
            {sources.into_iter().map(|source| view! {
                <tr>
                    <td class="px-4 py-2 font-medium">{source.name}</td>
                    <td class="whitespace-nowrap px-4 py-2 tabular-nums">
                        {source.refreshed_at.map_or_else(|| "not yet".to_owned(), format_time)}
                    </td>
                    <td class="px-4 py-2 tabular-nums">{count(source.repositories)}</td>
                    <td class="px-4 py-2 tabular-nums">{count(source.refused_deliveries)}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}
