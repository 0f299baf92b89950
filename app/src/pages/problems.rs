use domain::catalog::Problem;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::catalog::catalog_problems;
use crate::components::layout::PageHeader;
use crate::components::status::{EmptyState, ErrorState, Loading};

/// Every manifest problem found when the catalog was last read, by file and line.
#[component]
pub fn ProblemsPage() -> impl IntoView {
    let problems = Resource::new(|| (), |_| catalog_problems());
    view! {
        <Title text="Catalog problems" />
        <PageHeader
            title="Catalog problems"
            subtitle="Manifests, or parts of them, that could not be read. Everything else in the catalog loaded."
        />
        <Suspense fallback=|| view! { <Loading label="Loading problems…" /> }>
            {move || Suspend::new(async move {
                match problems.await {
                    Ok(problems) if problems.is_empty() => view! {
                        <EmptyState title="No problems">"Every manifest in the catalog was read."</EmptyState>
                    }.into_any(),
                    Ok(problems) => view! { <ProblemTable problems /> }.into_any(),
                    Err(error) => view! { <ErrorState error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProblemTable(problems: Vec<Problem>) -> impl IntoView {
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table class="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 dark:bg-slate-900 dark:text-slate-400">
                    <tr>
                        <th scope="col" class="px-4 py-2">"File"</th>
                        <th scope="col" class="px-4 py-2">"Line"</th>
                        <th scope="col" class="px-4 py-2">"Field"</th>
                        <th scope="col" class="px-4 py-2">"Problem"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
                    {problems.into_iter().map(|problem| view! {
                        <tr class="align-top">
                            <td class="break-all px-4 py-2 font-mono text-xs">{problem.file}</td>
                            <td class="px-4 py-2 font-mono text-xs">{problem.line.map(|line| line.to_string()).unwrap_or_default()}</td>
                            <td class="px-4 py-2 font-mono text-xs">{problem.field.unwrap_or_default()}</td>
                            <td class="px-4 py-2">{problem.message}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
