"""``{% load mizan %}`` - ``{% mizan_hydrate %}`` embeds context values for the client.

::

    {% mizan_hydrate %}                         global contexts + those of @view
    {% mizan_hydrate "user" user_id=profile.id %}   ... and this one too
    {% mizan_hydrate public_only=True %}        only public contexts (page stays cacheable)

renders ``<script type="application/json" id="mizan-hydrate">{...}</script>`` through
Django's ``json_script``, so ``<``, ``>`` and ``&`` in the data are escaped and values such
as ``</script>`` or ``<!--`` cannot end the script element. Needs the ``request`` in the
template context (``django.template.context_processors.request``).

Embedding a private context makes the page private: ``@view`` responses (and any response
passing ``InvalidationMiddleware``) then say ``Cache-Control: private``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import json_script
from django.utils.safestring import SafeString

from ..constants import HYDRATION_ELEMENT_ID
from ..contexts.hydration import hydration_data
from ..contexts.pages import hydration_requests

register = template.Library()

ELEMENT_ID = HYDRATION_ELEMENT_ID


@register.simple_tag(takes_context=True)
def mizan_hydrate(
    context: template.Context,
    name: str | None = None,
    /,
    public_only: bool = False,
    **params: Any,
) -> SafeString:
    # ``name`` is positional-only so a context parameter called ``name`` still works:
    # {% mizan_hydrate "greet" name=user.first_name %}
    request = context.get("request")
    if request is None:
        raise ImproperlyConfigured(
            "{% mizan_hydrate %} needs the request in the template context: add "
            "'django.template.context_processors.request' to TEMPLATES' context_processors."
        )
    requested = hydration_requests(request)
    if name is not None:
        requested.append((name, params))
    data = hydration_data(request, requested, public_only=public_only)
    return json_script(data, ELEMENT_ID, encoder=DjangoJSONEncoder)
