use leptos::prelude::*;

/// A bordered, horizontally scrollable table with a header row; `children` are the body rows.
/// `testid` names the table for browser tests.
#[component]
pub fn DataTable(
    headers: &'static [&'static str],
    #[prop(optional)] testid: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table data-testid=testid class="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 dark:bg-slate-900 dark:text-slate-400">
                    <tr>
                        {headers.iter().map(|header| view! { <th scope="col" class="px-4 py-2">{*header}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100 dark:divide-slate-800">{children()}</tbody>
            </table>
        </div>
    }
}
