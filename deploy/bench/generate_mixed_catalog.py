#!/usr/bin/env python3
"""Writes a synthetic catalog of N entities of every kind (default 100,000) for load tests.

Usage: generate_mixed_catalog.py OUT_DIR [N]

The mix is what a large organisation's Backstage catalog holds: 40% components, 15% APIs,
15% resources, 25% people, and systems, domains, teams and templates for the rest. Components
depend on resources and on each other, provide and consume APIs; people are members of teams.
One database, `resource:hub-db`, has 1,000 dependents, for the graph and "what breaks" pages
of an entity with 1,000 relations. 500 documents per file.
"""
import os
import random
import sys

WORDS = ["billing", "search", "orders", "catalog", "ledger", "payments", "identity", "shipping",
         "pricing", "reviews", "inventory", "notifications", "reports", "gateway", "analytics"]
TAGS = ["rust", "go", "python", "java", "kafka", "postgres", "grpc", "graphql", "redis"]
HUB_DEPENDENTS = 1_000


def doc(kind: str, name: str, spec: str, title: str = "", description: str = "", api_version: str = "backstage.io/v1alpha1") -> str:
    meta = f"  name: {name}\n" + (f"  title: {title}\n" if title else "") + (f"  description: {description}\n" if description else "")
    return f"---\napiVersion: {api_version}\nkind: {kind}\nmetadata:\n{meta}spec:\n{spec}"


def main() -> None:
    args = sys.argv[1:]
    out, total = args[0], int(args[1]) if len(args) > 1 else 100_000
    rng = random.Random(7)
    share = lambda fraction: max(1, int(total * fraction))
    counts = {"Domain": share(0.002), "System": share(0.02), "Group": share(0.008), "Template": share(0.02),
              "Resource": share(0.15), "API": share(0.15), "User": share(0.25)}
    counts["Component"] = total - sum(counts.values())
    teams = [f"team-{i:04d}" for i in range(counts["Group"])]
    systems = [f"system-{i:04d}" for i in range(counts["System"])]
    resources = ["hub-db"] + [f"{rng.choice(WORDS)}-db-{i:05d}" for i in range(1, counts["Resource"])]
    apis = [f"{rng.choice(WORDS)}-api-{i:05d}" for i in range(counts["API"])]
    components = [f"{rng.choice(WORDS)}-svc-{i:05d}" for i in range(counts["Component"])]
    docs = []
    for i in range(counts["Domain"]):
        docs.append(doc("Domain", f"domain-{i:03d}", f"  owner: {teams[i % len(teams)]}\n", title=f"Domain {i}"))
    for i, system in enumerate(systems):
        docs.append(doc("System", system, f"  owner: {teams[i % len(teams)]}\n  domain: domain-{i % counts['Domain']:03d}\n"))
    for i, team in enumerate(teams):
        parent = f"  parent: {teams[(i - 1) // 8]}\n" if i else ""
        docs.append(doc("Group", team, f"  type: team\n{parent}  children: []\n", title=f"Team {i}"))
    for i in range(counts["User"]):
        docs.append(doc("User", f"person-{i:05d}", f"  profile:\n    displayName: Person {i}\n  memberOf: [{rng.choice(teams)}]\n"))
    for i, resource in enumerate(resources):
        kind = "database" if "-db" in resource else "queue"
        docs.append(doc("Resource", resource, f"  type: {kind}\n  owner: {rng.choice(teams)}\n  system: {rng.choice(systems)}\n",
                        description=f"The {resource.split('-')[0]} data of region {i % 17}."))
    for api in apis:
        docs.append(doc("API", api, f"  type: openapi\n  lifecycle: production\n  owner: {rng.choice(teams)}\n"
                                    f"  definition: |\n    openapi: 3.0.3\n    info: {{title: {api}, version: '1'}}\n    paths: {{}}\n"))
    for i in range(counts["Template"]):
        docs.append(doc("Template", f"template-{i:04d}", f"  type: service\n  owner: {rng.choice(teams)}\n  parameters: []\n  steps: []\n",
                        api_version="scaffolder.backstage.io/v1beta3"))
    for i, component in enumerate(components):
        depends = ["resource:hub-db"] if i < HUB_DEPENDENTS else [f"resource:{rng.choice(resources)}"]
        if i > 0:
            depends.append(f"component:{components[rng.randrange(i)]}")
        tags = ", ".join(rng.sample(TAGS, 2))
        word = component.split("-")[0]
        docs.append(doc("Component", component,
                        f"  type: service\n  lifecycle: production\n  owner: {rng.choice(teams)}\n  system: {rng.choice(systems)}\n"
                        f"  dependsOn: [{', '.join(depends)}]\n  providesApis: [{apis[i % len(apis)]}]\n"
                        f"  consumesApis: [{rng.choice(apis)}]\n",
                        title=f"{word.title()} service {i}", description=f"Handles {word} for region {i % 17}. Tags {tags}."))
    os.makedirs(out, exist_ok=True)
    for start in range(0, len(docs), 500):
        with open(os.path.join(out, f"entities-{start // 500:04d}.yaml"), "w") as f:
            f.write("".join(docs[start:start + 500]))


if __name__ == "__main__":
    main()
