"""A model saved in a process that is not serving requests (a shell, a command) purges the
edge after the commit, and the process does not exit before the purge is made."""

from __future__ import annotations

import subprocess
import sys

from tests.support.servers import ROOT, server_env

from .fake_cdn import FASTLY_KEY, FASTLY_SERVICE, FakeAPI, check_fastly, serve

SCRIPT = """
import sys
import django
from django.test import override_settings

django.setup()
override_settings(MIZAN={
    "EDGE_BASE_URL": "https://example.com",
    "EDGE_PURGERS": [{"BACKEND": "mizan_gql.edge.FastlyPurger", "OPTIONS": {
        "service_id": sys.argv[1], "api_key": sys.argv[2], "api_url": sys.argv[3]}}],
}).enable()

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from tests.depends_app.models import Author

call_command("migrate", run_syncdb=True, verbosity=0)
with transaction.atomic():
    author = Author.objects.create(user=User.objects.create_user("shell"), name="Shell")
print(author.user_id)
# No wait: the interpreter finishes the purge before it exits.
"""


def test_a_shell_save_purges_the_edge_before_the_process_exits():
    with serve(FakeAPI(check_fastly)) as api:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, FASTLY_SERVICE, FASTLY_KEY, api.url],
            cwd=ROOT,
            env=server_env("tests.settings"),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        user_id = done.stdout.split()[-1]
        assert api.problems == []
        keys = {key for request in api.received for key in request.body["surrogate_keys"]}
    assert f"ctx:dep_author:user_id={user_id}" in keys
    assert "ctx:dep_my_authors" in keys
