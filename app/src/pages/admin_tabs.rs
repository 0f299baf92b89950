use leptos::prelude::*;

/// The admin pages, one tab each.
const TABS: [(&str, &str); 2] = [("Access settings", "/admin/access"), ("People", "/admin/people")];

/// Links between the admin pages, the current one marked.
#[component]
pub fn AdminTabs(current: &'static str) -> impl IntoView {
    view! {
        <nav aria-label="Admin" class="mb-6 flex gap-2 border-b border-slate-200 dark:border-slate-800">
            {TABS.into_iter().map(|(label, href)| view! {
                <a
                    href=href
                    aria-current=(href == current).then_some("page")
                    class="-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium text-slate-600 hover:text-slate-900 aria-[current=page]:border-slate-900 aria-[current=page]:text-slate-900 dark:text-slate-300 dark:hover:text-white dark:aria-[current=page]:border-white dark:aria-[current=page]:text-white"
                >
                    {label}
                </a>
            }).collect_view()}
        </nav>
    }
}
