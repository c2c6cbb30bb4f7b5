"""The admin's "Contexts" page through Django's test client: who may see it, what it shows,
and its invalidate action (the next read is a miss; Django's admin log records it)."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission, User

from tests.contexts_app import mizan_clients

from .conftest import PROFILE, RENAME, graphql

pytestmark = pytest.mark.django_db

PAGE = "/admin/mizan_gql_observability/context/"
INVALIDATE = PAGE + "invalidate/"


def staff(*permissions: str) -> User:
    user = User.objects.create_user("operator", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=permissions))
    return user


def test_non_staff_users_are_refused(client):
    User.objects.create_user("visitor", password="pw")
    client.login(username="visitor", password="pw")
    response = client.get(PAGE)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.post(INVALIDATE, {"context": "ctx_user", "whole": "1"}).status_code == 302


def test_staff_without_the_permission_are_refused(client):
    staff()
    client.login(username="operator", password="pw")
    assert client.get(PAGE).status_code == 403


def test_the_page_lists_every_context_with_its_counters(client):
    staff("view_context")
    client.login(username="operator", password="pw")
    graphql(client, PROFILE, id=5)  # miss, computed
    graphql(client, PROFILE, id=5)  # hit
    graphql(client, RENAME, id=5, name="Eve")  # invalidates ctx_user;user_id=5
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    row = html.split('<tr class="mizan-context" data-context="ctx_user">')[1].split("</tr>")[0]
    assert '<td class="cache">public</td>' in row
    assert '<td class="ttl">300</td>' in row  # the shortest ttl of its functions
    assert '<td class="params">user_id: int</td>' in row
    assert "/graphql/ctx/ctx_user/" in row
    assert "ctx:ctx_user:user_id={user_id}" in row
    assert '<td class="hits">1</td>' in row
    assert '<td class="misses">1</td>' in row
    assert '<td class="computes">1</td>' in row
    assert '<td class="invalidations">1</td>' in row
    details = html.split('<tr class="mizan-context-details" data-context="ctx_user">')[1]
    recent = details.split("</table>")[0]
    assert "ctx_user;user_id=5" in recent and "mutation ctx_rename" in recent
    # Every context of the registry has a row; a viewer gets no invalidate form.
    for name in ("ctx_me", "ctx_note", "ctx_slow"):
        assert f'data-context="{name}"' in html
    assert "Invalidate whole context" not in html


def test_invalidating_one_entry_makes_the_next_read_a_miss_and_is_logged(client):
    user = staff("view_context", "invalidate_context")
    client.login(username="operator", password="pw")
    graphql(client, PROFILE, id=5)
    graphql(client, PROFILE, id=7)
    assert mizan_clients.CALLS["ctx_profile"] == 2
    page = client.get(PAGE).content.decode()
    assert "Invalidate whole context" in page

    response = client.post(INVALIDATE, {"context": "ctx_user", "param-user_id": "5"})
    assert response.status_code == 302 and response["Location"] == PAGE

    graphql(client, PROFILE, id=5)  # a miss: computed again
    graphql(client, PROFILE, id=7)  # still a hit
    assert mizan_clients.CALLS["ctx_profile"] == 3
    entry = LogEntry.objects.get()
    assert (entry.user_id, entry.action_flag, entry.object_id) == (user.pk, CHANGE, "ctx_user")
    assert entry.get_change_message() == "Invalidated ctx_user;user_id=5"
    assert "admin operator" in client.get(PAGE).content.decode()  # the source, in recent


def test_invalidating_a_whole_context(client):
    staff("view_context", "invalidate_context")
    client.login(username="operator", password="pw")
    graphql(client, PROFILE, id=5)
    graphql(client, PROFILE, id=7)
    client.post(INVALIDATE, {"context": "ctx_user", "param-user_id": "5", "whole": "1"})
    graphql(client, PROFILE, id=5)
    graphql(client, PROFILE, id=7)
    assert mizan_clients.CALLS["ctx_profile"] == 4
    assert LogEntry.objects.get().get_change_message() == "Invalidated ctx_user"


def test_the_action_needs_its_own_permission(client):
    staff("view_context")
    client.login(username="operator", password="pw")
    graphql(client, PROFILE, id=5)
    assert client.post(INVALIDATE, {"context": "ctx_user", "whole": "1"}).status_code == 403
    graphql(client, PROFILE, id=5)
    assert mizan_clients.CALLS["ctx_profile"] == 1
    assert not LogEntry.objects.exists()


def test_a_bad_value_is_reported_not_raised(client):
    staff("view_context", "invalidate_context")
    client.login(username="operator", password="pw")
    response = client.post(
        INVALIDATE, {"context": "ctx_user", "param-user_id": "five"}, follow=True
    )
    assert response.status_code == 200
    assert "not a valid value" in response.content.decode()
    assert not LogEntry.objects.exists()
