"""Shared test set-up: every test starts in the default report language.

Commands run in-process (typer's CliRunner) set the language for the rest of the thread, as a
real process would for its one run; without this reset a test that ran `--lang en` would change
the language of the messages of whichever test came next.
"""

from __future__ import annotations

import pytest

from dxcheck.messages import DEFAULT_LANGUAGE, _language


@pytest.fixture(autouse=True)
def _default_language():
    token = _language.set(DEFAULT_LANGUAGE)
    yield
    _language.reset(token)
