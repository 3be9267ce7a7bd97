"""The house rules on imports hold: the import-linter contracts of pyproject.toml,
and no cycle at all between the project's modules. Imports inside functions count
like the others (grimp reads them): a lazy import only hides a cycle."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cocreate", "ideas", "rewards")


def module_cycles(graph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                each = stack.pop()
                on_stack.discard(each)
                component.append(each)
                if each == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def build_graph():
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def test_no_module_imports_itself_through_others():
    assert module_cycles(build_graph()) == []


def test_the_cycle_check_sees_a_cycle_made_by_a_lazy_import():
    graph = build_graph()
    graph.add_import(
        importer="ideas.models.campaigns",
        imported="ideas.selectors",
        line_number=1,
        line_contents="    from ideas.selectors import idea_list_context",
    )
    assert any("ideas.selectors" in cycle for cycle in module_cycles(graph))


def test_the_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    # Run by this interpreter, not the script's shebang: a copied virtualenv's
    # shebang may name another checkout's Python, which would lint that code.
    run = subprocess.run(  # noqa: S603 (our own tool, no user input)
        [sys.executable, str(lint_imports), "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
