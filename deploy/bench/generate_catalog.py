#!/usr/bin/env python3
"""Writes a synthetic catalog of N services (default 10,000) for load tests.

Usage: generate_catalog.py OUT_DIR [N] [--environments]

With --environments, each service declares dev, staging and prod on the Kubernetes cluster
`bench`, for the environments-grid benchmark.

Services are spread over 40 teams and 120 systems, 100 services per file, with believable
titles, descriptions and tags so that search has real text to match.
"""
import os
import random
import sys

WORDS = ["billing", "search", "orders", "catalog", "ledger", "payments", "identity", "shipping",
         "pricing", "reviews", "inventory", "notifications", "reports", "gateway", "analytics"]
ROLES = ["api", "worker", "web", "sync", "scheduler", "importer", "exporter", "cache"]
LIFECYCLES = ["production", "production", "production", "experimental", "deprecated"]
TYPES = ["service", "service", "website", "library"]
TAGS = ["rust", "go", "python", "java", "kafka", "postgres", "grpc", "graphql", "redis"]


def main() -> None:
    out = [a for a in sys.argv[1:] if not a.startswith("--")][0]
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    environments = "--environments" in sys.argv
    count = int(args[1]) if len(args) > 1 else 10_000
    rng = random.Random(42)
    os.makedirs(out, exist_ok=True)
    teams = [f"team-{i:02d}" for i in range(40)]
    systems = [f"system-{i:03d}" for i in range(120)]
    with open(os.path.join(out, "teams.yaml"), "w") as f:
        for team in teams:
            f.write(f"---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: {team}\n"
                    f"spec:\n  type: team\n  children: []\n  profile:\n    displayName: Team {team[5:]}\n")
        for i, system in enumerate(systems):
            f.write(f"---\napiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: {system}\n"
                    f"spec:\n  owner: {teams[i % len(teams)]}\n")
    for start in range(0, count, 100):
        with open(os.path.join(out, f"services-{start // 100:04d}.yaml"), "w") as f:
            for i in range(start, min(start + 100, count)):
                word, role = rng.choice(WORDS), rng.choice(ROLES)
                envs = "".join(
                    f"    - name: {env}\n      kubernetes:\n        cluster: bench\n"
                    f"        namespace: bench\n        deployment: {word}-{role}-{i:05d}\n"
                    for env in ("dev", "staging", "prod")
                ) if environments else ""
                tags = "\n".join(f"    - {t}" for t in rng.sample(TAGS, 2))
                f.write(
                    f"---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
                    f"  name: {word}-{role}-{i:05d}\n  title: {word.title()} {role} {i}\n"
                    f"  description: The {role} that handles {word} for region {i % 17}.\n"
                    f"  tags:\n{tags}\nspec:\n  type: {rng.choice(TYPES)}\n"
                    f"  lifecycle: {rng.choice(LIFECYCLES)}\n  owner: {rng.choice(teams)}\n"
                    f"  system: {rng.choice(systems)}\n"
                    + (f"  environments:\n{envs}" if envs else "")
                )


if __name__ == "__main__":
    main()
