//! The two patch formats the API server applies to JSON objects.

use serde_json::{Map, Value};

/// JSON merge patch (RFC 7386): objects merge, `null` removes, anything else replaces.
pub fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(fields) = patch else {
        *target = patch.clone();
        return;
    };
    let object = as_object(target);
    for (key, value) in fields {
        if value.is_null() {
            object.remove(key);
        } else {
            merge(object.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

/// Strategic merge patch as the API server applies it to built-in types: like a merge patch,
/// except that lists with a merge key (containers by `name`, ports by `containerPort`…) merge
/// element by element. Directives (`$patch`, `$setElementOrder/…`) are not implemented and are
/// refused, so a client sending them is noticed.
pub fn strategic(target: &mut Value, patch: &Value) -> Result<(), String> {
    let Value::Object(fields) = patch else {
        *target = patch.clone();
        return Ok(());
    };
    let object = as_object(target);
    for (key, value) in fields {
        if key.starts_with('$') {
            return Err(format!("this test API server does not implement the {key} directive"));
        }
        match (value, merge_key(key)) {
            (Value::Null, _) => {
                object.remove(key);
            }
            (Value::Array(items), Some(merge_key)) => merge_list(object.entry(key.clone()).or_insert(Value::Null), items, merge_key)?,
            _ => strategic(object.entry(key.clone()).or_insert(Value::Null), value)?,
        }
    }
    Ok(())
}

fn merge_list(target: &mut Value, items: &[Value], merge_key: &str) -> Result<(), String> {
    if !target.is_array() {
        *target = Value::Array(Vec::new());
    }
    let Value::Array(list) = target else { unreachable!("made an array above") };
    for item in items {
        let id = item.get(merge_key).ok_or_else(|| format!("a list element lacks its merge key `{merge_key}`"))?;
        match list.iter_mut().find(|existing| existing.get(merge_key) == Some(id)) {
            Some(existing) => strategic(existing, item)?,
            None => list.push(item.clone()),
        }
    }
    Ok(())
}

/// The `patchMergeKey` of the Pod and Deployment fields that have one.
fn merge_key(field: &str) -> Option<&'static str> {
    match field {
        "containers" | "initContainers" | "ephemeralContainers" | "volumes" | "env" | "imagePullSecrets" => Some("name"),
        "ports" => Some("containerPort"),
        "volumeMounts" => Some("mountPath"),
        "conditions" => Some("type"),
        _ => None,
    }
}

fn as_object(value: &mut Value) -> &mut Map<String, Value> {
    if !value.is_object() {
        *value = Value::Object(Map::new());
    }
    value.as_object_mut().expect("made an object above")
}
