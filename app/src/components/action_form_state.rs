//! What an action's form holds while someone fills it in, and when each field's message shows:
//! a field's problem appears once the person has left it (or tried to submit), then follows
//! every keystroke. The check is `validate_inputs`, the one the server runs too.

use std::collections::{BTreeMap, BTreeSet};

use domain::actions::{FieldErrors, InputChoices, InputField, InputKind, check_confirmation, validate_inputs};
use leptos::prelude::*;

/// The key of the confirmation field among the errors, as the server names it too.
pub const CONFIRM: &str = domain::actions::CONFIRM_FIELD;

/// The form's values and messages; `Copy`, so each control can hold it.
#[derive(Clone, Copy)]
pub struct FormState {
    values: RwSignal<BTreeMap<String, String>>,
    confirm: RwSignal<String>,
    /// The messages on screen, by field name (or [`CONFIRM`]).
    shown: RwSignal<FieldErrors>,
    touched: RwSignal<BTreeSet<String>>,
    attempted: RwSignal<bool>,
    spec: StoredValue<Spec>,
}

struct Spec {
    fields: Vec<InputField>,
    choices: InputChoices,
    confirm_with: Option<String>,
}

impl FormState {
    /// Starts from what a rejected post sent back (`kept`, with the server's messages), or
    /// else from the fields' defaults.
    pub fn new(
        fields: Vec<InputField>,
        choices: InputChoices,
        confirm_with: Option<String>,
        kept: Option<(BTreeMap<String, String>, Option<String>, FieldErrors)>,
    ) -> Self {
        let (values, confirm, errors) = match kept {
            Some((values, confirm, errors)) => (values, confirm.unwrap_or_default(), errors),
            None => (defaults(&fields), String::new(), FieldErrors::new()),
        };
        Self {
            values: RwSignal::new(values),
            confirm: RwSignal::new(confirm),
            shown: RwSignal::new(errors),
            touched: RwSignal::new(BTreeSet::new()),
            attempted: RwSignal::new(false),
            spec: StoredValue::new(Spec { fields, choices, confirm_with }),
        }
    }

    /// A field's value as typed (reactive).
    pub fn value(self, name: &str) -> String {
        self.values.with(|values| values.get(name).cloned().unwrap_or_default())
    }

    /// The value as it was when the page was rendered, for the HTML attribute.
    pub fn initial(self, name: &str) -> String {
        self.values.with_untracked(|values| values.get(name).cloned().unwrap_or_default())
    }

    pub fn set(self, name: &str, value: String) {
        self.values.update(|values| {
            values.insert(name.to_owned(), value);
        });
        self.revalidate();
    }

    /// The confirmation as typed (reactive).
    pub fn confirm(self) -> String {
        self.confirm.get()
    }

    pub fn initial_confirm(self) -> String {
        self.confirm.get_untracked()
    }

    pub fn set_confirm(self, value: String) {
        self.confirm.set(value);
        self.revalidate();
    }

    /// The person left the field: from now on its message follows what they type.
    pub fn touch(self, name: &str) {
        self.touched.update(|touched| {
            touched.insert(name.to_owned());
        });
        self.revalidate();
    }

    /// The message next to `name` (reactive).
    pub fn error(self, name: &str) -> Option<String> {
        self.shown.with(|shown| shown.get(name).cloned())
    }

    /// Every message on screen, in the order of the form (reactive).
    pub fn errors(self) -> Vec<(String, String)> {
        self.shown.with(|shown| self.in_order(shown))
    }

    fn in_order(self, shown: &FieldErrors) -> Vec<(String, String)> {
        let order = self.spec.with_value(|spec| spec.fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>());
        let known = order.iter().map(String::as_str).chain(std::iter::once(CONFIRM));
        let mut listed: Vec<(String, String)> = known.filter_map(|name| shown.get(name).map(|m| (name.to_owned(), m.clone()))).collect();
        // Anything else the server named (a field the form no longer has) still shows.
        let others = shown.iter().filter(|(name, _)| name.as_str() != CONFIRM && !order.contains(name));
        listed.extend(others.map(|(name, message)| (name.clone(), message.clone())));
        listed
    }

    /// Shows the server's messages for a rejected post.
    pub fn show_server_errors(self, errors: FieldErrors) {
        self.shown.set(errors);
    }

    /// Checks every field for a submit and shows every problem; `Ok` with the values to send.
    pub fn submit(self) -> Result<(BTreeMap<String, String>, Option<String>), ()> {
        self.attempted.set(true);
        self.revalidate();
        if self.check().is_empty() {
            let confirm = self.spec.with_value(|spec| spec.confirm_with.is_some()).then(|| self.confirm.get_untracked());
            Ok((self.values.get_untracked(), confirm))
        } else {
            Err(())
        }
    }

    /// The first field with a message, for the focus after a failed submit (in the browser).
    #[cfg(feature = "hydrate")]
    pub fn first_error(self) -> Option<String> {
        self.shown.with_untracked(|shown| self.in_order(shown)).into_iter().next().map(|(name, _)| name)
    }

    fn check(self) -> FieldErrors {
        let values = self.values.get_untracked();
        let confirm = self.confirm.get_untracked();
        self.spec.with_value(|spec| {
            let mut errors = validate_inputs(&spec.fields, &values, &spec.choices).err().unwrap_or_default();
            if let Some(Err(message)) = spec.confirm_with.as_ref().map(|name| check_confirmation(name, Some(&confirm))) {
                errors.insert(CONFIRM.to_owned(), message);
            }
            errors
        })
    }

    /// Brings the messages of the fields already touched (all of them after a submit) up to
    /// date; the others keep what they show (nothing, or the server's message).
    fn revalidate(self) {
        let fresh = self.check();
        let all = self.attempted.get_untracked();
        let touched = self.touched.get_untracked();
        let names: Vec<String> = self.spec.with_value(|spec| spec.fields.iter().map(|f| f.name.clone()).chain(spec.confirm_with.as_ref().map(|_| CONFIRM.to_owned())).collect());
        self.shown.update(|shown| {
            for name in names.into_iter().filter(|name| all || touched.contains(name)) {
                match fresh.get(&name) {
                    Some(message) => shown.insert(name, message.clone()),
                    None => shown.remove(&name),
                };
            }
        });
    }
}

/// Each field's default, as the form shows it pre-filled.
fn defaults(fields: &[InputField]) -> BTreeMap<String, String> {
    fields
        .iter()
        .filter_map(|field| {
            let default = field.default.clone()?;
            // An unticked box is sent as "false", so a box ticked by default can be unticked.
            let default = if matches!(field.kind, InputKind::Boolean) { checked(&default).to_string() } else { default };
            Some((field.name.clone(), default))
        })
        .collect()
}

/// Whether a checkbox's value means ticked, as `validate_inputs` reads it.
pub fn checked(value: &str) -> bool {
    matches!(value, "true" | "on" | "yes")
}
