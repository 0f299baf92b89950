"""Checks that each crate of the workspace depends only on the workspace crates it may import,
as docs/architecture.md lays out. Reads `cargo metadata` from stdin; exits 1 naming every
edge that is not allowed."""

import json
import sys

# Normal (non-dev) dependencies on other workspace crates that each crate may have.
ALLOWED = {
    "domain": set(),
    "app": {"domain"},
    "store": {"domain"},
    "runtimes": {"domain"},
    "github-api": {"domain"},
    "actions": {"domain", "store", "runtimes", "github-api"},
    "server": {"actions", "app", "domain", "github-api", "runtimes", "store"},
    "github-double": set(),
}

metadata = json.load(sys.stdin)
members = {package["name"]: package for package in metadata["packages"]}
wrong = []
for name, package in members.items():
    if name not in ALLOWED:
        wrong.append(f"{name} is a workspace crate that deploy/checks/crate_imports.py does not know")
        continue
    for dependency in package["dependencies"]:
        if dependency["name"] in members and dependency.get("kind") is None and dependency["name"] not in ALLOWED[name]:
            wrong.append(f"{name} depends on {dependency['name']}, which it may not import")
if wrong:
    print("\n".join(wrong), file=sys.stderr)
    sys.exit(1)
print(f"ok: {len(members)} crates import only what docs/architecture.md allows")
