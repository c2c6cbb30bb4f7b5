"""Observability as a feature plugin: operations reported, server functions timed and their
SQL attributed while the Debug Toolbar panel records, and the checks of its set-up."""

from ..plugins import CallWrapper, Plugin
from .checks import check_observability
from .operations import OperationsObserver
from .recording import record_function, recording_possible

__all__ = ["OBSERVABILITY"]

OBSERVABILITY = Plugin(
    name="observability",
    order=90,
    extensions=[OperationsObserver],
    call_wrappers=[CallWrapper(record_function, lambda entry: recording_possible())],
    checks=[check_observability],
)
