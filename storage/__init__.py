"""Every SQL statement in Debrief lives in this package."""

from sqlite_utils import Database

from storage.access import LOCAL, Actor, Permission, Role
from storage.db import connect, default_path
from storage.documents import (
    Listed,
    Revision,
    Stored,
    create,
    create_imported,
    current_version,
    delete,
    find,
    get,
    get_revision,
    list_documents,
    loads,
    next_incident_id,
    restore_revision,
    revisions,
    save,
    undelete,
)
from storage.errors import (
    ConflictError,
    DuplicateError,
    MissingFolderError,
    NoActorError,
    NotFoundError,
    PermissionDenied,
    SchemaTooNewError,
)

__all__ = [
    "LOCAL",
    "Actor",
    "Database",
    "Permission",
    "PermissionDenied",
    "Role",
    "ConflictError",
    "DuplicateError",
    "MissingFolderError",
    "NoActorError",
    "SchemaTooNewError",
    "Listed",
    "NotFoundError",
    "Revision",
    "Stored",
    "connect",
    "create",
    "create_imported",
    "current_version",
    "default_path",
    "delete",
    "find",
    "get",
    "get_revision",
    "list_documents",
    "loads",
    "next_incident_id",
    "restore_revision",
    "revisions",
    "save",
    "undelete",
]
