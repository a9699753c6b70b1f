"""One error base for what the user is told (postmortem.errors.DebriefError), and one place in the app
that turns it into a message on the page (components/errors.py)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from streamlit.testing.v1 import AppTest

import channels
import postmortem
from exports.escape import md_inline
from postmortem.errors import DebriefError
from tests.apptest_helpers import app_for

CLI_ROOT = {"postmortem.__main__"}  # importing it runs the command line


def _modules(package) -> list:
    names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    return [importlib.import_module(name) for name in names if name not in CLI_ROOT]


def _declared_errors() -> dict[str, type]:
    found = {}
    for module in _modules(postmortem) + _modules(channels):
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Exception)
                and value.__module__ == module.__name__
            ):
                found[f"{module.__name__}.{name}"] = value
    return found


def test_every_error_the_domain_and_channels_declare_is_a_debrief_error():
    declared = _declared_errors()
    assert len(declared) >= 12, sorted(declared)  # the checker finds them (it would pass on none)
    assert sorted(n for n, cls in declared.items() if not issubclass(cls, DebriefError)) == []


@pytest.mark.parametrize(
    "name, base",
    [
        ("postmortem.review.TransitionError", ValueError),
        ("postmortem.causal.TreeError", ValueError),
        ("postmortem.evidence.errors.AttachmentRefused", ValueError),
        ("postmortem.auth.SettingsError", ValueError),
        ("channels.settings.SettingsError", ValueError),
        ("postmortem.chat.to_timeline.TooManyEventsError", Exception),
    ],
)
def test_each_keeps_its_old_base(name, base):
    """Callers that catch ValueError (or the class itself) still catch it."""
    assert issubclass(_declared_errors()[name], base)


def _script(kind: str) -> None:
    import streamlit as st

    from components import errors
    from postmortem.review import TransitionError

    with errors.shown():
        st.write("before")
        if kind == "user":
            raise TransitionError("Move *it* to <b>review</b> first.")
        raise KeyError("a bug")


def test_the_app_shows_a_user_error_as_its_message_and_keeps_a_bugs_traceback():
    at = AppTest.from_function(_script, args=("user",)).run()
    assert not at.exception
    assert [e.value for e in at.error] == [md_inline("Move *it* to <b>review</b> first.")]  # shown as written
    assert [m.value for m in at.markdown] == ["before"] and not at.title
    at = AppTest.from_function(_script, args=("bug",)).run()
    assert at.exception and not at.error


def test_a_bad_setting_stops_the_app_with_a_page_naming_it(db_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_PRESENCE_SECONDS", "soon")
    at = app_for(db_path, monkeypatch)
    assert not at.exception
    assert [t.value for t in at.title] == [":material/lock: Debrief is not set up"]
    [error] = [e.value for e in at.error]
    assert error.startswith(md_inline("DEBRIEF_PRESENCE_SECONDS='soon': "))
    assert not db_path.exists()  # nothing ran: not even the database was opened
