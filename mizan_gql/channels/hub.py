"""Receive each group message once per process and fan it out to local subscriptions.

A plain Channels consumer joins the layer group once per subscriber, so a broadcast to N
subscribers costs N layer messages (N Redis writes and reads with ``channels_redis``), and
N sockets closing at once means N ``group_discard`` calls. The hub joins each group once
per event loop with one layer channel of its own, and hands every message it receives to
the local subscriptions of that group. Delivery guarantees are the layer's: at most once,
in order per sender.

Layers forget a group membership ``group_expiry`` seconds after it was added (channels_redis
and the in-memory layer, one day by default), however long the socket stays open. While it
has subscribers, the hub adds its channel to each of its groups again every
``group_expiry / 3`` seconds, so a subscription keeps receiving as long as its socket lives.
Once opened, the hub's channel and its receiving task stay for the life of the event loop,
idle while no group has subscribers.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from typing import Any, Protocol

from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import get_channel_layer
from django.conf import settings

from ..constants import CLOSE_LAYER_LOST, INVALIDATION_EVENT, INVALIDATIONS_GROUP
from ..constants import LAYER_LOST as LAYER_LOST_TYPE
from ..exceptions import ConfigurationError
from ..signals import fanout_delivered, notify, subscription_ended, subscription_started
from .mailbox import Mailbox

logger = logging.getLogger("mizan_gql.channels")

# Messages that a publisher sends without naming the group (the contexts' invalidations).
GROUP_OF_TYPE = {INVALIDATION_EVENT: INVALIDATIONS_GROUP}

# A subscription that reads slower than this many pending messages starts losing the oldest.
LOCAL_QUEUE_SIZE = 1000

# What a subscription receives when the layer fails (Redis stopped or restarted): it
# closes its socket with CLOSE_LAYER_LOST (graphql-ws and the generated client reconnect
# after it), so clients subscribe again (which joins the groups afresh) instead of waiting
# for messages that can no longer come.
LAYER_LOST: dict[str, Any] = {"type": LAYER_LOST_TYPE}

# What GroupMessages.accept() returns for a message the iteration does not yield.
SKIP: Any = object()

# Memberships are added again this often (a fraction of group_expiry): channels_redis
# compares whole seconds, and the event loop may be late.
REFRESHES_PER_EXPIRY = 3


async def close_on_layer_loss(request: Any) -> None:
    """Close the socket of the subscription of ``request`` after a layer failure."""
    consumer = getattr(request, "consumer", None)
    if consumer is not None:
        await consumer.close(code=CLOSE_LAYER_LOST, reason="Channel layer lost; reconnect")


class ChannelLayer(Protocol):
    """The part of the (untyped) Channels layer API the hub uses."""

    group_expiry: int

    async def new_channel(self) -> str: ...
    async def receive(self, channel: str) -> dict[str, Any]: ...
    async def group_add(self, group: str, channel: str) -> None: ...
    async def group_discard(self, group: str, channel: str) -> None: ...
    async def group_send(self, group: str, message: dict[str, Any]) -> None: ...


def layer_or_error() -> ChannelLayer:
    """The default Channels layer; an in-memory one when ``CHANNEL_LAYERS`` is not set."""
    layer = get_channel_layer()
    if layer is None and not getattr(settings, "CHANNEL_LAYERS", None):
        # The embedded default: one process, nothing to configure. Registered with
        # Channels so that every part of the process (consumers, the contexts'
        # invalidation events) shares it.
        from channels.layers import InMemoryChannelLayer, channel_layers

        channel_layers.set(DEFAULT_CHANNEL_LAYER, InMemoryChannelLayer())
        layer = get_channel_layer()
    if layer is None:
        raise ConfigurationError(
            "Subscriptions need the 'default' Channels layer: add it to CHANNEL_LAYERS, e.g. "
            '{"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}} for one '
            "process or channels_redis.core.RedisChannelLayer for several."
        )
    return layer  # type: ignore[no-any-return]


class GroupHub:
    """One layer channel per event loop, joined to every group a local subscriber needs."""

    def __init__(self, layer: ChannelLayer) -> None:
        self.layer = layer
        self.channel: str | None = None
        self.listeners: dict[str, set[Mailbox[dict[str, Any]]]] = {}
        self._joined_at: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None
        self._refresher: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._slow: weakref.WeakSet[Mailbox[dict[str, Any]]] = weakref.WeakSet()

    async def join(self, group: str) -> tuple[Mailbox[dict[str, Any]], bool]:
        """A queue receiving every message sent to ``group`` until :meth:`leave`, and True;
        when the layer could not be joined, a queue holding ``LAYER_LOST`` and False (it was
        never registered: there is nothing to leave)."""
        queue: Mailbox[dict[str, Any]] = Mailbox(maxsize=LOCAL_QUEUE_SIZE)
        async with self._lock:
            if self.channel is None:
                # The default prefix: channels_redis receives every "specific" channel of a
                # process through one shared read, which only covers its own prefix.
                self.channel = await self.layer.new_channel()
                self._task = asyncio.create_task(self._run(self.channel))
                self._refresher = asyncio.create_task(self._refresh(self.channel))
            # Layer memberships expire (group_expiry); refresh them while subscribers join.
            expiry = getattr(self.layer, "group_expiry", 86400)
            try:
                if time.monotonic() - self._joined_at.get(group, -expiry) > expiry / 2:
                    await self.layer.group_add(group, self.channel)
                    self._joined_at[group] = time.monotonic()
            except Exception:
                # The layer is down (or was restarted and the pool is stale): the
                # subscriber gets LAYER_LOST, closes its socket and the client reconnects.
                logger.warning("Could not join the channel layer group %r", group, exc_info=True)
                queue.put_nowait(LAYER_LOST)
                return queue, False
            self.listeners.setdefault(group, set()).add(queue)
        return queue, True

    async def leave(self, group: str, queue: Mailbox[dict[str, Any]]) -> None:
        """Stop delivering to ``queue``; the last queue of a group leaves the layer group."""
        async with self._lock:
            members = self.listeners.get(group)
            if members is not None:
                members.discard(queue)
            if members:
                return
            self.listeners.pop(group, None)
            self._joined_at.pop(group, None)
            channel = self.channel
            if channel is None:
                return
            try:
                await self.layer.group_discard(group, channel)
            except Exception:
                logger.warning("Could not leave the channel layer group %r", group, exc_info=True)
            # The hub's channel and its receiving task stay, idle, for the next subscriber:
            # cancelling a receive of channels_redis can leave it waiting for ever, which,
            # awaited under this lock, left every later subscriber of the process deaf.

    async def _refresh(self, channel: str) -> None:
        """Add ``channel`` to its groups again before the layer's ``group_expiry`` ends
        their memberships, for as long as it is the hub's channel."""
        expiry = getattr(self.layer, "group_expiry", None)
        if not expiry:
            return
        while True:
            await asyncio.sleep(expiry / REFRESHES_PER_EXPIRY)
            async with self._lock:
                if self.channel != channel:
                    return
                try:
                    for group in list(self.listeners):
                        await self.layer.group_add(group, channel)
                        self._joined_at[group] = time.monotonic()
                except Exception:
                    # As when receiving fails: memberships may be gone, so close the sockets.
                    logger.exception("Refreshing channel layer groups failed; closing sockets")
                    self._lost()
                    return

    async def _run(self, channel: str) -> None:
        while True:
            try:
                message = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # Redis gone or restarted: group memberships may be lost with it, so
                # waiting would leave subscribers silently deaf. Close their sockets.
                logger.exception("Receiving from the channel layer failed; closing sockets")
                self._lost()
                return
            self.dispatch(message)

    def _lost(self) -> None:
        """Tell every local subscription that the layer failed; start afresh next time."""
        listeners, self.listeners = self.listeners, {}
        self._joined_at.clear()
        current = asyncio.current_task()
        for task in (self._task, self._refresher):
            if task is not None and task is not current:
                task.cancel()  # the other one of the failed channel
        self.channel = self._task = self._refresher = None
        for queues in listeners.values():
            for queue in queues:
                if queue.full():
                    queue.get_nowait()
                queue.put_nowait(LAYER_LOST)

    def dispatch(self, message: dict[str, Any]) -> None:
        group = message.get("group") or GROUP_OF_TYPE.get(message.get("type", ""))
        queues = list(self.listeners.get(group or "", ()))
        notify(fanout_delivered, message_type=message.get("type"), deliveries=len(queues))
        for queue in queues:
            if queue.full():
                queue.get_nowait()
                # Once per subscription: a warning per message would flood the log.
                if queue not in self._slow:
                    self._slow.add(queue)
                    logger.warning(
                        "A subscription of %r reads too slowly; dropping its oldest messages",
                        group,
                    )
            queue.put_nowait(message)


class GroupMessages:
    """The messages of ``message_type`` sent to ``group``, as long as this is iterated.

    The group is joined at the first ``__anext__()`` and left by ``aclose()``, or when the
    iteration ends or fails: iterate it inside ``contextlib.aclosing`` so that the group is
    also left when the consumer stops early. When the layer fails, the socket of
    ``request`` is closed (``CLOSE_LAYER_LOST``) and the iteration ends. With
    ``subscription`` (a field name), ``subscription_started`` is sent when it starts and
    ``subscription_ended`` once when it ends (mizan_gql.signals).

    Subclasses turn each message into what they yield (:meth:`accept`). Every idle
    subscription waits in one: a small object whose ``__anext__`` is the only suspended
    frame, waiting on its mailbox's future - not an async generator around a joining
    context manager and a queue's own coroutine.
    """

    __slots__ = ("_hub", "_joined", "_queue", "group", "message_type", "request", "subscription")

    def __init__(
        self, group: str, message_type: str, request: Any, subscription: str | None = None
    ) -> None:
        self.group, self.message_type, self.request = group, message_type, request
        self.subscription = subscription
        self._hub: GroupHub | None = None
        self._queue: Mailbox[dict[str, Any]] | None = None
        self._joined = False

    def __aiter__(self) -> GroupMessages:
        return self

    async def __anext__(self) -> Any:
        queue = self._queue
        if queue is None:
            if self._hub is not None:  # closed
                raise StopAsyncIteration
            if self.subscription is not None:
                notify(subscription_started, subscription=self.subscription)
            self._hub = get_hub()
            queue, self._joined = await self._hub.join(self.group)
            self._queue = queue
        try:
            while True:
                message = await queue.get()
                if message is LAYER_LOST:
                    await close_on_layer_loss(self.request)
                    raise StopAsyncIteration
                if message.get("type") == self.message_type:
                    value = await self.accept(message)
                    if value is not SKIP:
                        return value
        except BaseException:
            await self.aclose()
            raise

    async def accept(self, message: dict[str, Any]) -> Any:
        """What the iteration yields for ``message`` (of ``message_type``); ``SKIP`` to
        wait for the next one. Raising ``StopAsyncIteration`` ends the iteration."""
        return message

    async def aclose(self) -> None:
        queue, self._queue = self._queue, None
        if queue is None:
            return
        try:
            if self._joined and self._hub is not None:
                await asyncio.shield(self._hub.leave(self.group, queue))
        finally:  # also when cancelled again while leaving (the leave goes on, shielded)
            if self.subscription is not None:
                notify(subscription_ended, subscription=self.subscription)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, GroupHub] = weakref.WeakKeyDictionary()


def get_hub() -> GroupHub:
    """The hub of the running event loop (each server process runs one loop)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    layer = layer_or_error()
    if hub is None or hub.layer is not layer:
        hub = _hubs[loop] = GroupHub(layer)
    return hub
