"""A connection always acts for someone: storage.connect requires the actor, and a connection opened
any other way is refused, never taken for the local admin."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

import storage
from postmortem.errors import DebriefError
from storage import access, backup, errors
from storage.access import Actor, Role


def test_connect_requires_the_actor_by_keyword(db_path):
    with pytest.raises(TypeError, match="actor"):
        storage.connect(db_path)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        storage.connect(db_path, storage.LOCAL)  # type: ignore[misc]


def test_the_connection_acts_for_the_actor_it_was_opened_for(db_path, doc):
    viewer = Actor("vic@example.com", Role.VIEWER)
    db = storage.connect(db_path, actor=viewer)
    assert access.actor_of(db) == viewer
    with pytest.raises(storage.PermissionDenied):
        storage.create(db=db, doc=doc)
    db.close()
    local = storage.connect(db_path, actor=storage.LOCAL)
    assert storage.create(db=local, doc=doc).version == 1
    local.close()


def test_a_connection_nobody_bound_is_refused_not_the_admin(db_path, doc):
    storage.connect(db_path, actor=storage.LOCAL).close()  # the file, at today's schema
    unbound = Database(db_path)
    with pytest.raises(errors.NoActorError, match="acts for nobody"):
        access.actor_of(unbound)
    with pytest.raises(errors.NoActorError):
        storage.create(db=unbound, doc=doc)
    with pytest.raises(errors.NoActorError):
        storage.list_documents(db=unbound)
    assert unbound.execute("select count(*) from documents").fetchone()[0] == 0
    unbound.close()


@pytest.mark.parametrize(
    "error, standard",
    [
        (errors.NotFoundError, LookupError),
        (errors.DuplicateError, ValueError),
        (errors.ConflictError, RuntimeError),
        (errors.PermissionDenied, PermissionError),
        (errors.SchemaTooNewError, RuntimeError),
        (errors.MissingFolderError, FileNotFoundError),
        (backup.InvalidBackupError, ValueError),
    ],
)
def test_storage_errors_are_debrief_errors_and_keep_their_standard_base(error, standard):
    assert issubclass(error, DebriefError) and issubclass(error, standard)


def test_a_missing_folder_is_a_debrief_error_with_a_message(tmp_path):
    with pytest.raises(DebriefError) as raised:
        storage.connect(tmp_path / "no-such-folder" / "x.db", actor=storage.LOCAL)
    assert "does not exist" in raised.value.message
    assert not (tmp_path / "no-such-folder").exists()


def test_a_missing_actor_is_a_bug_not_a_user_error():
    """It keeps its traceback: the app and the CLI show DebriefErrors as plain messages."""
    assert not issubclass(errors.NoActorError, DebriefError)
