use domain::access::{Principal, Role, RoleSource};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::identity::{MeView, me};
use crate::components::layout::PageHeader;
use crate::components::loaded::loaded;
use crate::components::table::DataTable;

/// The signed-in person: who GitHub says they are, their roles and where each comes from.
#[component]
pub fn MePage() -> impl IntoView {
    let view_data = Resource::new(|| (), |_| me());
    view! {
        <Title text="Your access" />
        <PageHeader title="Your access" subtitle="Who you are signed in as, and why you may do what you may." />
        {loaded(view_data, "Loading your roles…", move |data| view! { <MeDetails data /> }.into_any())}
    }
}

#[component]
fn MeDetails(data: MeView) -> impl IntoView {
    let MeView { principal, sources, owners_only } = data;
    let Principal { identity, role, .. } = principal;
    let teams = identity.teams.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    let orgs = identity.orgs.join(", ");
    view! {
        <section class="mb-8 grid gap-2 text-sm sm:grid-cols-[12rem_1fr]" aria-label="Identity">
            <span class="text-slate-500">"GitHub login"</span><span data-testid="login" class="font-medium">{identity.login.clone()}</span>
            <span class="text-slate-500">"Name"</span><span>{identity.display_name().to_owned()}</span>
            <span class="text-slate-500">"Organisations"</span><span>{if orgs.is_empty() { "none".to_owned() } else { orgs }}</span>
            <span class="text-slate-500">"Teams"</span><span>{if teams.is_empty() { "none".to_owned() } else { teams }}</span>
            <span class="text-slate-500">"Role across the portal"</span>
            <span data-testid="portal-role" class="font-medium">{role.map_or("none", Role::as_str)}</span>
        </section>
        <h2 class="mb-3 text-lg font-semibold">"Where your roles come from"</h2>
        <RoleSources sources />
        <p class="mt-4 text-sm text-slate-600 dark:text-slate-400">
            "On services your teams own (the catalog's owner names one of your teams), you are at least a developer."
            {(!owners_only.is_empty()).then(|| format!(
                " In {} only members of the owning team act; everyone else reads.", owners_only.join(", ")
            ))}
        </p>
        <p class="mt-4 text-sm"><a href="/me/tokens" class="font-medium underline">"Manage your API tokens"</a></p>
    }
}

#[component]
fn RoleSources(sources: Vec<RoleSource>) -> impl IntoView {
    if sources.is_empty() {
        return view! {
            <p class="text-sm">"You hold no role yet, so you can see nothing in the portal. Ask your platform team to grant you one."</p>
        }
        .into_any();
    }
    view! {
        <DataTable headers=&["Role", "Because", "Where"]>
            {sources.into_iter().map(|source| view! {
                <tr>
                    <td class="px-4 py-2 font-medium">{source.role.as_str()}</td>
                    <td class="px-4 py-2">{source.because}</td>
                    <td class="px-4 py-2">{if source.environments.is_empty() { "everywhere".to_owned() } else { source.environments.join(", ") }}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}
