"""Print the import graph of the project's apps: modules, arrows between apps, cycles.

    .venv/bin/python scripts/import_graph.py            # app-level arrows and cycles
    .venv/bin/python scripts/import_graph.py --modules  # every module-to-module arrow too

Reads the source with grimp (import-linter's graph builder); imports inside functions count,
imports under `if TYPE_CHECKING:` do not. Migrations are left out: they use the historical
models, never the apps' code.
"""

from __future__ import annotations

import argparse
import sys
from itertools import combinations
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
APPS = ["wissensnetz", "home", "kb", "search", "ops"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", action="store_true", help="list module-level arrows")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    apps = [app for app in APPS if (ROOT / app / "__init__.py").exists()]
    graph = grimp.build_graph(*apps, exclude_type_checking_imports=True, cache_dir=None)
    modules = sorted(m for m in graph.modules if ".migrations" not in m)
    print(f"{len(modules)} modules in {', '.join(apps)}")

    arrows: dict[tuple[str, str], int] = {}
    module_arrows = []
    for importer in modules:
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if ".migrations" in imported:
                continue
            module_arrows.append((importer, imported))
            a, b = importer.split(".")[0], imported.split(".")[0]
            if a != b:
                arrows[(a, b)] = arrows.get((a, b), 0) + 1
    print("\nArrows between apps (importer -> imported: number of module imports):")
    for (a, b), count in sorted(arrows.items()):
        print(f"  {a} -> {b}: {count}")
    cycles = [(a, b) for a, b in combinations(apps, 2) if (a, b) in arrows and (b, a) in arrows]
    print("\nCycles between apps:", ", ".join(f"{a} <-> {b}" for a, b in cycles) or "none")

    # Module-level cycles: strongly connected components of more than one module.
    components = _strongly_connected(modules, module_arrows)
    print(f"Module import cycles (groups of modules that import each other): {len(components)}")
    for component in components:
        print(f"  {len(component)} modules: " + ", ".join(component))
    if args.modules:
        print(f"\nModule imports ({len(module_arrows)}):")
        for importer, imported in module_arrows:
            print(f"  {importer} -> {imported}")
    return 0


def _strongly_connected(nodes: list[str], edges: list[tuple[str, str]]) -> list[list[str]]:
    """Tarjan's algorithm (iterative); components of two or more modules, sorted."""
    successors: dict[str, list[str]] = {node: [] for node in nodes}
    for a, b in edges:
        if a in successors and b in successors:
            successors[a].append(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(successors[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(successors[child])))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return sorted(found)


if __name__ == "__main__":
    raise SystemExit(main())
