use domain::access::{Role, Subject};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::identity::{AccessRules, access_settings};
use crate::components::layout::PageHeader;
use crate::components::loaded::loaded;
use crate::components::table::DataTable;
use crate::pages::admin_tabs::AdminTabs;

/// Who may sign in and which roles the configuration grants. Admins only.
#[component]
pub fn AdminAccessPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| access_settings());
    view! {
        <Title text="Access settings" />
        <PageHeader title="Access settings" subtitle="Sign-in rules and role grants, as read from the configuration. Change them there." />
        <AdminTabs current="/admin/access" />
        {loaded(settings, "Loading access settings…", move |settings| view! { <Settings settings /> }.into_any())}
    }
}

#[component]
fn Settings(settings: AccessRules) -> impl IntoView {
    let AccessRules { policy, sign_in, github, demo } = settings;
    let list = |items: Vec<String>| if items.is_empty() { "none".to_owned() } else { items.join(", ") };
    view! {
        <section class="mb-8 grid gap-2 text-sm sm:grid-cols-[14rem_1fr]" aria-label="Sign-in">
            <span class="text-slate-500">"GitHub sign-in"</span><span>{if github { "configured" } else { "not configured" }}</span>
            <span class="text-slate-500">"Demo sign-in"</span><span>{if demo { "enabled (loopback only)" } else { "off" }}</span>
            <span class="text-slate-500">"Organisations that may sign in"</span><span>{list(sign_in.orgs)}</span>
            <span class="text-slate-500">"Users that may sign in"</span><span>{list(sign_in.users)}</span>
            <span class="text-slate-500">"Everyone's role"</span><span>{policy.default_role.map_or("none", Role::as_str)}</span>
            <span class="text-slate-500">"Owners-only environments"</span><span>{list(policy.owners_only.clone())}</span>
        </section>
        <h2 class="mb-3 text-lg font-semibold">"Grants"</h2>
        <DataTable headers=&["Role", "Granted to", "Where"]>
            {policy.grants.into_iter().map(|grant| {
                let subject = match grant.subject {
                    Subject::User(login) => format!("user {login}"),
                    Subject::Org(org) => format!("organisation {org}"),
                    Subject::Team(team) => format!("team {team}"),
                };
                view! {
                    <tr>
                        <td class="px-4 py-2 font-medium">{grant.role.as_str()}</td>
                        <td class="px-4 py-2">{subject}</td>
                        <td class="px-4 py-2">{if grant.environments.is_empty() { "everywhere".to_owned() } else { grant.environments.join(", ") }}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
