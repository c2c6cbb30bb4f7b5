"""The codegen test project in trusted mode, trusting the manifests listed (os.pathsep
separated) in ``MIZAN_TEST_TRUSTED_DOCUMENTS`` (tests/persisted/test_trusted_clients.py)."""

import os

from tests.codegen_app.settings import *  # noqa: F403

MIZAN = {
    **MIZAN,  # noqa: F405
    "PERSISTED_QUERIES": "trusted",
    "TRUSTED_DOCUMENTS": os.environ["MIZAN_TEST_TRUSTED_DOCUMENTS"].split(os.pathsep),
}
