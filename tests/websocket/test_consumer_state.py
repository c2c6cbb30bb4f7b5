"""What a socket holds before it listens to its own layer channel: none of the state
Strawberry's consumer keeps for ``listen_to_channel()``, made when first used."""

from __future__ import annotations

from collections import Counter, defaultdict

from mizan_gql.websocket import MizanWSConsumer

LISTEN_STATE = ("listen_queues", "_group_refs", "_group_lock")


def test_a_new_socket_holds_no_listen_state():
    consumer = MizanWSConsumer()
    assert not set(LISTEN_STATE) & set(vars(consumer))


def test_the_listen_state_is_made_on_first_use_per_socket():
    first, second = MizanWSConsumer(), MizanWSConsumer()
    assert isinstance(first.listen_queues, defaultdict)
    assert isinstance(first._group_refs, Counter)
    first.listen_queues["test.ping"].add(first.message_queue)  # a WeakSet per type
    first._group_refs["room"] += 1
    assert first.listen_queues is first.listen_queues  # kept once made
    assert first._group_refs["room"] == 1
    assert dict(second.listen_queues) == {} and second._group_refs == Counter()
    assert first._group_lock is not second._group_lock
