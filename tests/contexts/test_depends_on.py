"""``depends_on=``: model changes invalidate the entries they affect, once, after commit.

Contexts of tests.depends_app: ``dep_author`` (public, ``user_id`` <- ``Author.user``, any
``Tag`` change: every entry), ``dep_my_authors`` (private global, any ``Author`` change) and
``dep_tagged`` (public, ``tag`` computed from the changed ``Tag``). Each test reads a context,
changes rows the way a project does (admin, shell, bulk, transactions) and reads again:
an entry that was not invalidated is still served from the cache with the old data.
Runs on SQLite and on PostgreSQL (``--ds tests.postgres_settings``).
"""

from __future__ import annotations

import asyncio
import json
from contextlib import contextmanager

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import signals
from django.test import Client, override_settings

from mizan_gql import ainvalidate, client, invalidate_queryset
from mizan_gql.contexts import GROUP, parse_invalidations
from mizan_gql.edge import Resolution, generate_edge_manifest, wait_for_purges
from mizan_gql.registry import use_registry
from tests.channels.conftest import sockets  # noqa: F401  (fixture)
from tests.depends_app.mizan_clients import CALLS
from tests.depends_app.models import Author, FeaturedAuthor, Tag
from tests.edge import purgers as recording

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("context_cache")]

CARD = "query($u: Int!) { depAuthorCard(userId: $u) { name tags } }"
MY_AUTHORS = "{ depMyAuthors }"
TAGGED = "query($t: String!) { depTagged(tag: $t) }"


@pytest.fixture(autouse=True)
def _fresh_calls():
    CALLS.clear()


def query(http: Client, document: str, **variables) -> dict:
    response = http.post(
        "/graphql", {"query": document, "variables": variables}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    assert "errors" not in body, body
    return body["data"]


def card(user: User | int) -> dict:
    return query(Client(), CARD, u=user if isinstance(user, int) else user.pk)["depAuthorCard"]


def tagged(tag: str) -> list[str]:
    return query(Client(), TAGGED, t=tag)["depTagged"]


def make_user(name: str) -> User:
    return User.objects.create_user(name, password="pw")


@pytest.fixture
def ann():
    return Author.objects.create(user=make_user("ann-user"), name="Ann")


@pytest.fixture
def bob():
    return Author.objects.create(user=make_user("bob-user"), name="Bob")


# -- saves, deletes, many-to-many ------------------------------------------------------


def test_a_save_refreshes_its_entry_and_no_other(ann, bob):
    assert card(ann.user)["name"] == "Ann"
    assert card(bob.user)["name"] == "Bob"
    ann.name = "Annie"
    ann.save()
    assert card(ann.user)["name"] == "Annie"
    assert card(bob.user)["name"] == "Bob"
    assert CALLS["dep_author_card"] == 3  # Bob's entry was served from the cache


def test_changing_the_keyed_field_invalidates_the_old_and_the_new_entry(ann, bob):
    assert card(ann.user)["name"] == "Ann"
    newcomer = make_user("newcomer")
    assert card(newcomer)["name"] == ""
    old_user = ann.user
    ann.user = newcomer
    ann.save()
    assert card(old_user)["name"] == ""
    assert card(newcomer)["name"] == "Ann"


def test_a_save_through_a_proxy_model_invalidates(ann):
    assert card(ann.user)["name"] == "Ann"
    featured = FeaturedAuthor.objects.get(pk=ann.pk)
    featured.name = "Ann, featured"
    featured.save()
    assert card(ann.user)["name"] == "Ann, featured"


def test_a_save_of_other_fields_only_does_not_read_the_old_row(ann, django_assert_num_queries):
    ann.name = "Annie"
    with django_assert_num_queries(1):  # the UPDATE: update_fields cannot move the entry
        ann.save(update_fields=["name"])
    assert card(ann.user)["name"] == "Annie"


def test_a_delete_invalidates_the_deleted_rows_entry(ann):
    assert card(ann.user)["name"] == "Ann"
    ann.delete()
    assert card(ann.user)["name"] == ""


def test_a_cascade_and_a_queryset_delete_invalidate(ann, bob):
    ann_user, bob_user = ann.user_id, bob.user_id
    assert card(ann_user)["name"] == "Ann"
    assert card(bob_user)["name"] == "Bob"
    ann.user.delete()  # cascades to the author
    Author.objects.filter(pk=bob.pk).delete()
    assert card(ann_user)["name"] == ""
    assert card(bob_user)["name"] == ""


def test_many_to_many_changes_from_either_side(ann, bob):
    python = Tag.objects.create(name="python")
    assert card(ann.user)["tags"] == []
    assert card(bob.user)["tags"] == []
    ann.tags.add(python)
    assert card(ann.user)["tags"] == ["python"]
    python.authors.add(bob)  # the reverse side
    assert card(bob.user)["tags"] == ["python"]
    python.authors.clear()
    assert card(ann.user)["tags"] == []
    assert card(bob.user)["tags"] == []


def test_a_model_alone_invalidates_every_entry(ann, bob):
    python = Tag.objects.create(name="py")
    ann.tags.add(python)
    bob.tags.add(python)
    assert card(ann.user)["tags"] == ["py"]
    assert card(bob.user)["tags"] == ["py"]
    python.name = "python"
    python.save()  # Tag: None -> every dep_author entry
    assert card(ann.user)["tags"] == ["python"]
    assert card(bob.user)["tags"] == ["python"]


def test_a_computed_mapping_invalidates_the_old_and_the_new_value(ann):
    ann.tags.add(Tag.objects.create(name="py"))
    assert tagged("py") == ["Ann"]
    assert tagged("python") == []
    tag = Tag.objects.get(name="py")
    tag.name = "python"
    tag.save()
    assert tagged("py") == []
    assert tagged("python") == ["Ann"]


def test_a_private_context_is_invalidated_for_every_user(ann, bob):
    ann_client, bob_client = Client(), Client()
    ann_client.force_login(ann.user)
    bob_client.force_login(bob.user)
    assert query(ann_client, MY_AUTHORS)["depMyAuthors"] == ["Ann"]
    assert query(bob_client, MY_AUTHORS)["depMyAuthors"] == ["Bob"]
    Author.objects.create(user=ann.user, name="Ann II")
    bob.name = "Bobby"
    bob.save()
    assert query(ann_client, MY_AUTHORS)["depMyAuthors"] == ["Ann", "Ann II"]
    assert query(bob_client, MY_AUTHORS)["depMyAuthors"] == ["Bobby"]


# -- bulk writes -----------------------------------------------------------------------


def test_a_shell_update_through_the_models_queryset_invalidates_old_and_new(ann, bob):
    newcomer = make_user("newcomer")
    assert card(ann.user)["name"] == "Ann"
    assert card(newcomer)["name"] == ""
    assert card(bob.user)["name"] == "Bob"
    assert Author.objects.filter(pk=ann.pk).update(user=newcomer, name="Moved") == 1
    assert card(ann.user)["name"] == ""
    assert card(newcomer)["name"] == "Moved"
    assert card(bob.user)["name"] == "Bob"
    assert CALLS["dep_author_card"] == 5


def test_bulk_update_and_bulk_create_invalidate(ann, bob):
    carol = make_user("carol")
    for user in (ann.user, bob.user, carol):
        card(user)
    ann.name, bob.name = "Ann B.", "Bob B."
    assert Author.objects.bulk_update([ann, bob], ["name"]) == 2
    Author.objects.bulk_create([Author(user=carol, name="Carol")])
    assert card(ann.user)["name"] == "Ann B."
    assert card(bob.user)["name"] == "Bob B."
    assert card(carol)["name"] == "Carol"


def test_invalidate_queryset_after_a_plain_update(ann):
    ann.tags.add(Tag.objects.create(name="py"))
    assert card(ann.user)["tags"] == ["py"]
    assert tagged("python") == []
    Tag.objects.filter(name="py").update(name="python")  # no signal: nothing invalidated yet
    assert card(ann.user)["tags"] == ["py"]
    entries = invalidate_queryset(Tag.objects.filter(name="python"))
    assert [str(e) for e in entries] == ["dep_author", "dep_tagged;tag=python"]
    assert card(ann.user)["tags"] == ["python"]
    assert tagged("python") == ["Ann"]


def test_invalidate_queryset_waits_for_the_commit(ann):
    ann.tags.add(Tag.objects.create(name="py"))
    assert card(ann.user)["tags"] == ["py"]
    with transaction.atomic():
        Tag.objects.filter(name="py").update(name="python")
        invalidate_queryset(Tag.objects.filter(name="python"))
        assert card(ann.user)["tags"] == ["py"]  # still the cached entry
    assert card(ann.user)["tags"] == ["python"]


def test_invalidate_queryset_takes_the_objects_bulk_create_returned(ann):
    ann.tags.add(Tag.objects.create(name="py"))
    assert card(ann.user)["tags"] == ["py"]
    created = Tag.objects.bulk_create([Tag(name="go")])
    assert card(ann.user)["tags"] == ["py"]  # bulk_create sends no signal
    assert [str(e) for e in invalidate_queryset(created)] == ["dep_author", "dep_tagged;tag=go"]
    assert CALLS["dep_author_card"] == 1
    assert card(ann.user)["tags"] == ["py"]
    assert CALLS["dep_author_card"] == 2


# -- transactions ----------------------------------------------------------------------


def test_invalidations_wait_for_the_commit(ann):
    assert card(ann.user)["name"] == "Ann"
    with transaction.atomic():
        ann.name = "Annie"
        ann.save()
        assert card(ann.user)["name"] == "Ann"  # still the cached entry
    assert card(ann.user)["name"] == "Annie"


def test_a_rolled_back_transaction_invalidates_nothing(ann):
    assert card(ann.user)["name"] == "Ann"
    with pytest.raises(RuntimeError), transaction.atomic():
        Author.objects.filter(pk=ann.pk).update(name="Nope")
        ann.tags.add(Tag.objects.create(name="py"))
        raise RuntimeError("rolled back")
    assert card(ann.user) == {"name": "Ann", "tags": []}
    assert CALLS["dep_author_card"] == 1


def test_a_rolled_back_savepoint_drops_only_its_own_invalidations(ann, bob):
    card(ann.user)
    card(bob.user)
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            bob.name = "Bobby"
            bob.save()
            ann.save()
            raise RuntimeError("savepoint rolled back")
        ann.name = "Annie"
        ann.save()  # asked again after the rollback dropped the first request
    assert card(ann.user)["name"] == "Annie"
    assert card(bob.user)["name"] == "Bob"
    assert CALLS["dep_author_card"] == 3  # Bob's entry stayed cached


async def test_one_transaction_publishes_each_entry_once(ann, bob):
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(GROUP, channel)

    def work():
        with transaction.atomic():
            with transaction.atomic():  # a released savepoint asks first
                Author.objects.filter(pk=ann.pk).update(name="A")
            for name in ("B", "C", "D"):
                ann.name = name
                ann.save()
            bob.save()

    try:
        await sync_to_async(work)()
        await ainvalidate("ctx_user", user_id=424242)  # the marker: nothing follows it
        received = []
        while True:
            message = await asyncio.wait_for(layer.receive(channel), 10)
            (entry,) = message["entries"]
            if entry["context"] == "ctx_user":
                break
            received.append((entry["context"], entry["params"].get("user_id")))
    finally:
        await layer.group_discard(GROUP, channel)
    assert sorted(received) == [
        ("dep_author", ann.user_id),
        ("dep_author", bob.user_id),
        ("dep_my_authors", None),
        ("dep_tagged", None),
    ]


# -- what the user sees: the header, the admin, the edge, the live stream --------------

CHANGE_MIDDLEWARE = [
    "mizan_gql.edge.EdgePurgeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mizan_gql.contexts.middleware.InvalidationMiddleware",
]


@pytest.fixture
def purged():
    recording.PURGED.clear()
    yield recording.PURGED
    recording.PURGED.clear()


@contextmanager
def edge_settings():
    """Purges handed over in the block are made before it ends (in the background)."""
    with override_settings(
        ROOT_URLCONF="tests.depends_app.urls",
        MIDDLEWARE=CHANGE_MIDDLEWARE,
        MIZAN={
            **settings.MIZAN,
            "EDGE_BASE_URL": "https://example.com",
            "EDGE_PURGERS": ["tests.edge.purgers.RecordingPurger"],
        },
    ):
        try:
            yield
        finally:
            assert wait_for_purges(10)


def purged_tags(purged: list[Resolution]) -> list[str]:
    return sorted(tag for resolution in purged for tag in resolution.tags)


def test_an_admin_change_invalidates_reports_and_purges(ann, bob, purged):
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", password="pw"))
    with edge_settings():
        assert card(ann.user)["name"] == "Ann"
        assert card(bob.user)["name"] == "Bob"
        response = admin.post(
            f"/admin/depends_app/author/{ann.pk}/change/",
            {"user": ann.user_id, "name": "Ann (edited)", "tags": []},
        )
        assert response.status_code == 302, response.content
        assert set(parse_invalidations(response["X-Mizan-Invalidate"])) == set(
            parse_invalidations(f"dep_author;user_id={ann.user_id}, dep_my_authors, dep_tagged")
        )
        assert wait_for_purges(10)
        (resolution,) = purged
        assert f"https://example.com/graphql/ctx/dep_author/?user_id={ann.user_id}" in (
            resolution.urls
        )
        assert f"ctx:dep_author:user_id={ann.user_id}" in resolution.tags
        assert f"ctx:dep_author:user_id={bob.user_id}" not in resolution.tags
        assert card(ann.user)["name"] == "Ann (edited)"
        assert card(bob.user)["name"] == "Bob"
    assert CALLS["dep_author_card"] == 3


async def test_a_mutation_that_saves_a_model_reports_it(gql, ann, purged):
    with edge_settings():
        response = await gql.post(
            'mutation($u: Int!) { depRenameAuthor(userId: $u, name: "Annie") }', {"u": ann.user_id}
        )
    body = json.loads(response.content)
    assert body["data"] == {"depRenameAuthor": "Annie"}
    expected = [f"dep_author;user_id={ann.user_id}", "dep_my_authors", "dep_tagged"]
    assert sorted(body["extensions"]["mizan"]["invalidate"]) == expected
    assert sorted(response["X-Mizan-Invalidate"].split(", ")) == expected
    assert purged == [
        Resolution(
            urls=(
                f"https://example.com/graphql/ctx/dep_author/?user_id={ann.user_id}",
                "https://example.com/graphql/ctx/dep_my_authors/",
            ),
            tags=(f"ctx:dep_author:user_id={ann.user_id}", "ctx:dep_my_authors", "ctx:dep_tagged"),
            prefixes=("https://example.com/graphql/ctx/dep_tagged/",),
        )
    ]


def test_a_shell_save_purges_the_edge_after_commit(ann, bob, purged):
    """No request, no middleware: the save's invalidations reach the edge purge task once
    the transaction commits, and only then."""
    with edge_settings():
        with transaction.atomic():
            ann.name = "Ann (shell)"
            ann.save()
            assert wait_for_purges(10)
            assert purged == []  # not before the commit
        assert wait_for_purges(10)
        assert purged_tags(purged) == sorted(
            [f"ctx:dep_author:user_id={ann.user_id}", "ctx:dep_my_authors", "ctx:dep_tagged"]
        )
        assert card(ann.user)["name"] == "Ann (shell)"


def test_a_rolled_back_save_purges_nothing(ann, purged):
    with edge_settings():
        with pytest.raises(RuntimeError), transaction.atomic():
            Author.objects.filter(pk=ann.pk).update(name="never")
            ann.name = "never"
            ann.save()
            raise RuntimeError("roll back")
        Tag.objects.create(name="after")  # a later change still purges
    assert purged_tags(purged) == ["ctx:dep_author", "ctx:dep_tagged:tag=after"]


HOLDING = """subscription($h: [MizanHeldEntry!]) {
  mizanInvalidations(holding: $h) { context params header }
}"""


async def test_a_save_reaches_the_live_stream(sockets, ann):  # noqa: F811
    socket = await sockets()
    held = {"context": "dep_author", "params": {"user_id": ann.user_id}}
    await socket.subscribed("i", HOLDING, {"h": [held]})

    def rename():
        ann.name = "Annie"
        ann.save()

    await sync_to_async(rename)()
    event = (await socket.next("i"))["data"]["mizanInvalidations"]
    assert event == {**held, "header": f"dep_author;user_id={ann.user_id}"}
    await socket.nothing()


# -- wiring -----------------------------------------------------------------------------


def test_the_edge_manifest_lists_each_contexts_models():
    contexts = generate_edge_manifest()["contexts"]
    assert contexts["dep_author"]["models"] == ["depends_app.Author", "depends_app.Tag"]
    assert contexts["dep_my_authors"]["models"] == ["depends_app.Author"]
    assert contexts["ctx_user"]["models"] == []


def test_models_no_context_reads_keep_their_fast_deletes():
    from django.contrib.sessions.models import Session

    assert signals.post_delete.has_listeners(Author)
    assert not signals.post_delete.has_listeners(Session)
    assert not signals.pre_save.has_listeners(Session)


def user_count(request) -> int:
    return User.objects.count()


def test_a_function_registered_later_is_followed():
    with use_registry():
        client(context="global", cache="public", depends_on=["auth.User"])(user_count)
        http = Client()
        assert query(http, "{ userCount }")["userCount"] == 0
        make_user("someone")
        assert query(http, "{ userCount }")["userCount"] == 1
