//! A schema from an API definition as a nested list: each property with its type, whether it is
//! required and what it means, down to the depth the server expanded.

use domain::catalog::api_doc::{Elided, Schema};
use leptos::prelude::*;

/// One schema: its label, then its properties and variants.
pub fn schema_view(schema: Schema) -> AnyView {
    let Schema { label, name, description, deprecated, properties, variants, elided } = schema;
    let note = elided.map(|elided| match elided {
        Elided::Recursive => "refers to itself: shown above",
        Elided::TooDeep => "nested too deep to show",
        Elided::TooLarge => "too large to show in full",
        Elided::Unresolved => "defined outside this document",
    });
    let heading = name.filter(|name| *name != label).map(|name| view! { <span class="font-medium">{name}" "</span> });
    view! {
        <div class="text-xs">
            <span class="font-mono text-sky-800 dark:text-sky-300">{heading}{label}</span>
            {deprecated.then(|| view! { <span class="ml-2 text-rose-700 dark:text-rose-300">"deprecated"</span> })}
            {note.map(|note| view! { <span class="ml-2 italic text-slate-500">{note}</span> })}
            {description.map(|text| view! { <p class="text-slate-600 dark:text-slate-400">{text}</p> })}
            {(!properties.items.is_empty()).then(|| view! {
                <ul class="mt-1 space-y-1 border-l border-slate-200 pl-3 dark:border-slate-700">
                    {properties.items.into_iter().map(|property| view! {
                        <li>
                            <span class="font-mono font-medium">{property.name}</span>
                            {property.required.then(|| view! { <span class="ml-1 text-rose-700 dark:text-rose-300" title="required">"required"</span> })}
                            " "
                            {schema_view(property.schema)}
                        </li>
                    }).collect_view()}
                    {more(properties.left_out, "properties")}
                </ul>
            })}
            {(!variants.items.is_empty()).then(|| view! {
                <ol class="mt-1 space-y-1 border-l border-dashed border-slate-300 pl-3 dark:border-slate-700">
                    {variants.items.into_iter().map(|variant| view! { <li>{schema_view(variant)}</li> }).collect_view()}
                    {more(variants.left_out, "variants")}
                </ol>
            })}
        </div>
    }
    .into_any()
}

/// "and 12 more properties", when a list was cut.
pub fn more(left_out: usize, what: &'static str) -> Option<impl IntoView + use<>> {
    (left_out > 0).then(|| view! { <li class="text-slate-500">{format!("and {left_out} more {what}")}</li> })
}
