"""People who sign in, their roles, and who a document is shared with. Role and share changes are
admin work and go into the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from storage import tx
from storage.access import Actor, Permission, Role, actor_of, require
from storage.auditlog import record
from storage.errors import NotFoundError, PermissionDenied
from storage.tx import write_transaction


@dataclass(frozen=True)
class User:
    identity: str
    name: str
    role: str
    created_at: str
    disabled: int


class DisabledUser(PermissionDenied):
    """The identity signed in, but an admin has switched its access off."""


def _row(db: Database, identity: str) -> User | None:
    rows = db.execute_returning_dicts("select * from users where identity = ?", [identity])
    return User(**rows[0]) if rows else None


def _actor(user: User) -> Actor:
    if user.disabled:
        raise DisabledUser(f"{user.identity} is switched off; an admin can switch it back on.")
    return Actor(user.identity, Role(user.role), user.name)


def sign_in(
    *,
    db: Database,
    identity: str,
    name: str = "",
    admins: tuple[str, ...] = (),
    default_role: str = "viewer",
    first_user_admin: bool = True,
) -> Actor:
    """The actor for an identity the sign-in vouched for, adding the user on first sight: one listed in
    `admins` (or, with `first_user_admin`, the first user of an instance) is an admin; anyone else gets
    `default_role`. The app passes the DEBRIEF_FIRST_USER_ADMIN setting (off unless asked for); the
    default here suits scripts and tests that set up an instance by hand."""
    identity = identity.strip().lower()
    with write_transaction(db):
        user = _row(db, identity)
        if user is None:
            first = first_user_admin and db.execute("select count(*) from users").fetchone()[0] == 0
            role = Role.ADMIN if first or identity in admins else Role(default_role)
            user = User(identity, name.strip()[:200], role.value, tx.now(), 0)
            db["users"].insert(vars(user))
            record(
                db=db,
                doc_id=None,
                version=None,
                action="user added",
                by=identity,
                detail=f"{identity}: {role}",
            )
        elif identity in admins and user.role != Role.ADMIN and not user.disabled:
            db.execute("update users set role = ? where identity = ?", [Role.ADMIN.value, identity])
            record(
                db=db,
                doc_id=None,
                version=None,
                action="role",
                by=identity,
                detail=f"{identity}: {user.role} → admin (DEBRIEF_ADMINS)",
            )
            user = _row(db, identity)
    return _actor(user)


def actor_for(*, db: Database, identity: str) -> Actor:
    """The actor of a known user (the CLI's --as); NotFoundError for someone who never signed in."""
    user = _row(db, identity.strip().lower())
    if user is None:
        raise NotFoundError(f"No user {identity!r}; they appear after their first sign-in.")
    return _actor(user)


def list_users(*, db: Database) -> list[User]:
    require(db, Permission.ADMIN)
    return [User(**row) for row in db.query("select * from users order by identity")]


def _admins_left(db: Database, without: str) -> int:
    return db.execute(
        "select count(*) from users where role = 'admin' and disabled = 0 and identity != ?", [without]
    ).fetchone()[0]


def _change_user(db: Database, identity: str, column: str, value: object, detail: str, action: str) -> None:
    require(db, Permission.ADMIN)
    with write_transaction(db):
        user = _row(db, identity)
        if user is None:
            raise NotFoundError(f"No user {identity!r}.")
        demoting = user.role == Role.ADMIN and (
            column == "disabled" and value or column == "role" and value != "admin"
        )
        if demoting and _admins_left(db, identity) == 0:
            raise ValueError("This is the last admin: make someone else an admin first.")
        db.execute(f"update users set [{column}] = ? where identity = ?", [value, identity])
        record(db=db, doc_id=None, version=None, action=action, by=actor_of(db).identity, detail=detail)


def set_role(*, db: Database, identity: str, role: Role | str) -> None:
    """Give a user another role (admins only; audited; the last admin stays an admin)."""
    role = Role(role)
    user = _row(db, identity)
    before = user.role if user else "?"
    _change_user(db, identity, "role", role.value, f"{identity}: {before} → {role.value}", "role")


def set_disabled(*, db: Database, identity: str, disabled: bool) -> None:
    """Switch a user's access off or on again (admins only; audited)."""
    _change_user(
        db,
        identity,
        "disabled",
        int(disabled),
        f"{identity}: {'off' if disabled else 'on'}",
        "user disabled" if disabled else "user enabled",
    )


def _doc_version(db: Database, doc_id: int) -> int:
    row = db.execute("select version from documents where id = ?", [doc_id]).fetchone()
    if row is None:
        raise NotFoundError(f"No post-mortem with id {doc_id}.")
    return row[0]


def share(*, db: Database, doc_id: int, identity: str) -> None:
    """Let a user see and (as author or above) edit one document (admins only; audited)."""
    require(db, Permission.ADMIN)
    identity = identity.strip().lower()
    with write_transaction(db):
        version = _doc_version(db, doc_id)
        if _row(db, identity) is None:
            raise NotFoundError(f"No user {identity!r}.")
        db["shares"].insert(
            {
                "doc_id": doc_id,
                "identity": identity,
                "shared_by": actor_of(db).identity,
                "shared_at": tx.now(),
            },
            replace=True,
        )
        record(
            db=db, doc_id=doc_id, version=version, action="share", by=actor_of(db).identity, detail=identity
        )


def unshare(*, db: Database, doc_id: int, identity: str) -> None:
    require(db, Permission.ADMIN)
    with write_transaction(db):
        version = _doc_version(db, doc_id)
        db.execute("delete from shares where doc_id = ? and identity = ?", [doc_id, identity])
        record(
            db=db, doc_id=doc_id, version=version, action="unshare", by=actor_of(db).identity, detail=identity
        )


def shares(*, db: Database, doc_id: int) -> list[str]:
    require(db, Permission.ADMIN)
    return [
        r[0] for r in db.execute("select identity from shares where doc_id = ? order by identity", [doc_id])
    ]


def set_restricted(*, db: Database, doc_id: int, restricted: bool) -> None:
    """Hide a document from viewers and authors it is not shared with (admins only; audited)."""
    require(db, Permission.ADMIN)
    with write_transaction(db):
        version = _doc_version(db, doc_id)
        db.execute("update documents set restricted = ? where id = ?", [int(restricted), doc_id])
        record(
            db=db,
            doc_id=doc_id,
            version=version,
            action="restricted" if restricted else "unrestricted",
            by=actor_of(db).identity,
        )


def access_of(*, db: Database, doc_id: int) -> tuple[str, bool]:
    """(owner, restricted) of a document, for the admin page."""
    require(db, Permission.ADMIN)
    row = db.execute(
        "select coalesce(created_by, ''), coalesce(restricted, 0) from documents where id = ?", [doc_id]
    ).fetchone()
    if row is None:
        raise NotFoundError(f"No post-mortem with id {doc_id}.")
    return row[0], bool(row[1])
