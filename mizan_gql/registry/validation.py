"""Rules a registry must satisfy before it can become a schema (reported as checks)."""

from __future__ import annotations

from collections import defaultdict

from strawberry.utils.str_converters import to_camel_case

from .core import Registry
from .entry import CONTEXT_GLOBAL, CONTEXT_LOCAL, ClientFunction, Problem
from .signature import annotation_text

CACHE_POLICIES = ("private", "public", "none")
AUTH_STRINGS = ("staff", "superuser")


def registry_problems(registry: Registry) -> list[Problem]:
    problems: list[Problem] = []
    functions = registry.functions
    for entry in functions:
        problems.extend(entry.problems)
        problems.extend(_option_problems(entry))
    problems.extend(_name_problems(functions))
    problems.extend(_context_problems(registry))
    for contributor in registry.contributors:
        problems.extend(contributor.problems())
    return problems


def _option_problems(entry: ClientFunction) -> list[Problem]:
    where = f"Server function {entry.qualname!r}"
    options = entry.options
    problems = []
    auth = options.auth
    if not (auth in (None, True, False) or auth in AUTH_STRINGS or callable(auth)):
        problems.append(
            Problem(
                "mizan_gql.E017",
                f"{where}: auth={auth!r} is not a valid option.",
                "Use auth=True, auth='staff', auth='superuser' or a callable taking the request.",
                entry.func,
            )
        )
    if options.cache not in CACHE_POLICIES:
        problems.append(
            Problem(
                "mizan_gql.E017",
                f"{where}: cache={options.cache!r} is not a valid option.",
                "Use cache='private' (default), 'public' or 'none'.",
                entry.func,
            )
        )
    if options.ttl is not None and (
        not isinstance(options.ttl, int) or isinstance(options.ttl, bool) or options.ttl < 0
    ):
        problems.append(
            Problem(
                "mizan_gql.E017",
                f"{where}: ttl={options.ttl!r} is not a number of seconds.",
                "Give ttl as a non-negative int, e.g. ttl=600.",
                entry.func,
            )
        )
    if options.context is not None and (
        not isinstance(options.context, str) or not options.context.isidentifier()
    ):
        problems.append(
            Problem(
                "mizan_gql.E017",
                f"{where}: context={options.context!r} is not a valid context name.",
                "Use 'global', 'local' or a Python identifier such as 'user'.",
                entry.func,
            )
        )
    return problems


def _name_problems(functions: list[ClientFunction]) -> list[Problem]:
    problems = []
    by_name: dict[str, list[ClientFunction]] = defaultdict(list)
    by_camel: dict[str, list[ClientFunction]] = defaultdict(list)
    for entry in functions:
        if not entry.name.isidentifier():
            problems.append(
                Problem(
                    "mizan_gql.E014",
                    f"{entry.qualname!r} is registered as {entry.name!r}, "
                    "which is not a valid name.",
                    "Register it under a Python identifier, e.g. register(fn, 'user_profile').",
                    entry.func,
                )
            )
        by_name[entry.name].append(entry)
        by_camel[to_camel_case(entry.name)].append(entry)
    for name, entries in by_name.items():
        if len(entries) > 1:
            owners = ", ".join(e.qualname for e in entries)
            problems.append(
                Problem(
                    "mizan_gql.E014",
                    f"The name {name!r} is registered twice: {owners}.",
                    "Register one of them under another name: register(fn, 'other_name').",
                    entries[1].func,
                )
            )
    for camel, entries in by_camel.items():
        names = sorted({e.name for e in entries})
        if len(names) > 1:
            problems.append(
                Problem(
                    "mizan_gql.E015",
                    f"The names {', '.join(map(repr, names))} all become the GraphQL field "
                    f"{camel!r}.",
                    "Rename one of them so their camelCase forms differ.",
                    entries[1].func,
                )
            )
    return problems


def _context_problems(registry: Registry) -> list[Problem]:
    problems = []
    for name, entries in registry.contexts().items():
        for entry in entries:
            where = f"Server function {entry.qualname!r} (context {name!r})"
            if entry.options.mutation:
                problems.append(
                    Problem(
                        "mizan_gql.E023",
                        f"{where} is a mutation; contexts hold read functions only.",
                        "Drop context= from the mutation, or mutation=/invalidates= "
                        "from the read function.",
                        entry.func,
                    )
                )
            if entry.options.context == CONTEXT_GLOBAL and entry.params:
                params = ", ".join(p.name for p in entry.params)
                problems.append(
                    Problem(
                        "mizan_gql.E020",
                        f"{where} is a global context but takes parameters ({params}).",
                        "Global contexts are fetched once per page with no arguments: use "
                        "context='local' or a named context for parameterised data.",
                        entry.func,
                    )
                )
            if entry.options.context == CONTEXT_LOCAL and not entry.params:
                problems.append(
                    Problem(
                        "mizan_gql.W020",
                        f"{where} is a local context without parameters.",
                        "Use context='global' for data without parameters.",
                        entry.func,
                    )
                )
            if entry.options.cache == "public" and entry.options.auth not in (None, False):
                problems.append(
                    Problem(
                        "mizan_gql.E022",
                        f"{where} is cache='public' but requires auth; public entries are "
                        "shared by every user.",
                        "Use cache='private' for data that needs a signed-in user.",
                        entry.func,
                    )
                )
        signatures = {
            e.name: tuple((p.name, annotation_text(p.annotation)) for p in e.params)
            for e in entries
        }
        if len(set(signatures.values())) > 1:
            shown = "; ".join(
                f"{fn}({', '.join(p for p, _ in params)})" for fn, params in signatures.items()
            )
            problems.append(
                Problem(
                    "mizan_gql.E021",
                    f"The functions of context {name!r} take different parameters: {shown}.",
                    "Every function of a named context must declare the same parameter names "
                    "and types.",
                    entries[-1].func,
                )
            )
    return problems
