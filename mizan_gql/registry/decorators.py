"""``@client`` and ``register``: record a function in the registry and return it unchanged."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar, overload

from .core import get_registry
from .dependencies import DependsOn
from .entry import AuthOption, CachePolicy, Options

F = TypeVar("F", bound=Callable[..., Any])


@overload
def client(func: F, /) -> F: ...
@overload
def client(
    func: None = None,
    /,
    *,
    auth: AuthOption = None,
    context: str | None = None,
    mutation: bool = False,
    invalidates: Iterable[str] | None = None,
    cache: CachePolicy = "private",
    ttl: int | None = None,
    depends_on: DependsOn | None = None,
    description: str | None = None,
    deprecation_reason: str | None = None,
) -> Callable[[F], F]: ...


def client(
    func: Callable[..., Any] | None = None,
    /,
    *,
    auth: AuthOption = None,
    context: str | None = None,
    mutation: bool = False,
    invalidates: Iterable[str] | None = None,
    cache: CachePolicy = "private",
    ttl: int | None = None,
    depends_on: DependsOn | None = None,
    description: str | None = None,
    deprecation_reason: str | None = None,
) -> Any:
    """Expose a typed function as a GraphQL query or mutation.

    The function is registered under its own name (``register`` can rename it) and
    returned unchanged, so it stays a plain callable::

        @client
        def echo(request, text: str) -> Output:
            return Output(message=text)

        @client(mutation=True, auth=True, invalidates=["user"])
        def rename(request, user_id: int, name: str) -> Profile: ...

    A function is a mutation when ``mutation=True`` or when it declares ``invalidates``.
    ``context=`` makes it a cached context field (see docs/contexts.md); ``depends_on=``
    names the models it reads, whose changes invalidate its entries after commit::

        @client(context="user", cache="public", depends_on={Profile: {"user_id": "user"}})
        def user_profile(request, user_id: int) -> ProfileOut: ...
    """
    invalidates_tuple = tuple(invalidates or ())
    options = Options(
        auth=auth,
        context=context,
        mutation=bool(mutation or invalidates_tuple),
        invalidates=invalidates_tuple,
        cache=cache,
        ttl=ttl,
        depends_on=depends_on,
        description=description,
        deprecation_reason=deprecation_reason,
    )

    def decorate(f: F) -> F:
        get_registry().add(f, f.__name__, options)
        return f

    if func is not None:
        return decorate(func)  # type: ignore[arg-type]
    return decorate


def register(func: F, name: str | None = None) -> F:
    """Register ``func`` under ``name`` (default: its ``__name__``) and return it.

    ``register(echo, "echo")`` gives ``Query.echo``; a function decorated with
    ``@client`` keeps its options and is renamed; an undecorated one becomes a query.
    """
    registry = get_registry()
    name = name or func.__name__
    if registry.entry_for(func) is not None:
        registry.rename(func, name)
    else:
        registry.add(func, name, Options())
    return func
