"""Who is using the app, decided at the top of every run by the sign-in mode (postmortem/auth.py):
nobody signs in (`none`), Streamlit's OpenID Connect sign-in (`oidc`), or a reverse proxy's identity
header (`proxy`). Anyone not signed in sees a sign-in or refusal page and nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

import storage
from components import config
from postmortem.auth import AuthMode, Settings, identity_from, request_trusted
from storage import users
from storage.access import LOCAL, Actor

log = logging.getLogger("debrief.auth")
_ACTOR = "debrief:actor"


def auth_settings() -> Settings:
    return config.settings().auth


def request_headers() -> Mapping[str, str]:
    """The headers of the request that opened this browser session. A function of its own so tests
    can replace it: AppTest has no request headers."""
    return dict(st.context.headers.items())


def client_ip() -> str | None:
    """The peer's address; None for a loopback peer (Streamlit hides those)."""
    return st.context.ip_address


def server_address() -> str | None:
    return st.get_option("server.address")


def _refuse(title: str, message: str, sign_out: bool = False) -> None:
    st.title(f":material/lock: {title}")
    st.error(message, icon="⛔")
    if sign_out and st.button("Sign out"):
        st.logout()
    st.stop()


def _signed_in(identity: str, name: str, s: Settings, sign_out: bool = False) -> Actor:
    try:
        return users.sign_in(
            db=storage.connect(config.db_path(), actor=storage.LOCAL),
            identity=identity,
            name=name,
            admins=s.admins,
            default_role=s.default_role,
            first_user_admin=s.first_user_admin,
        )
    except users.DisabledUser:
        log.info("Refused a switched-off user")
        _refuse(
            "Access switched off",
            "An admin has switched off access for this account. Ask an admin of "
            "this Debrief instance to switch it back on.",
            sign_out=sign_out,
        )
    raise AssertionError  # _refuse stops the run


def oidc_configured() -> bool:
    """Is there an [auth] section in the secrets (.streamlit/secrets.toml or secrets.files)?"""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return False


def _oidc(s: Settings) -> Actor:
    if not oidc_configured():
        log.error("DEBRIEF_AUTH=oidc but the secrets have no [auth] section")
        _refuse(
            "Sign-in is not set up",
            "DEBRIEF_AUTH is oidc, but .streamlit/secrets.toml has no [auth] section. "
            "Copy .streamlit/secrets.example.toml and fill in your identity provider's values.",
        )
    if not st.user.get("is_logged_in", False):
        st.title("📝 Debrief")
        st.markdown(
            "Blameless post-mortems for this team. Sign in with your organisation's account to read "
            "and write them."
        )
        if st.button("Sign in", type="primary", icon="🔑"):
            st.login()
        st.stop()
    email = st.user.get("email")
    if not email:
        _refuse(
            "No e-mail address",
            "The sign-in provider did not send an e-mail address, which Debrief uses "
            "to tell people apart. Ask your identity administrator to include the email claim.",
            sign_out=True,
        )
    return _signed_in(str(email), str(st.user.get("name") or ""), s, sign_out=True)


_WARNED: set[str] = set()


def _warn_once_without_secret(s: Settings) -> None:
    """Said once per server process: without the secret, any local process can claim any identity."""
    if not s.proxy_secret and "secret" not in _WARNED:
        _WARNED.add("secret")
        log.warning(
            "Proxy sign-in without DEBRIEF_PROXY_SECRET: any process that can reach this port can send "
            "any identity. Set a shared secret on a shared host (docs/deploy.md, Proxy trust)."
        )


def _proxy(s: Settings) -> Actor:
    _warn_once_without_secret(s)
    address, headers = server_address(), request_headers()
    if not request_trusted(settings_=s, headers=headers, server_address=address, client_ip=client_ip()):
        # The peer's address and our own settings only: a refused request's headers may hold anything.
        why = (
            "without the proxy's shared secret"
            if s.proxy_secret
            else f"not a trusted proxy (server.address={address!r}, DEBRIEF_TRUSTED_PROXIES)"
        )
        log.warning("Refused a request from %s: %s", client_ip() or "loopback", why)
        _refuse(
            "Not through the sign-in proxy",
            "This server takes signed-in users only through its reverse "
            "proxy, and this request did not come from it. Open Debrief at the address your team uses.",
        )
    identity = identity_from(headers, s.proxy_headers)
    if identity is None:
        log.warning("Refused a request without a %s header", " or ".join(s.proxy_headers))
        _refuse(
            "Not signed in",
            "The sign-in proxy did not say who you are. Open Debrief at the address your "
            "team uses; if this keeps happening, the proxy needs to pass the user's identity.",
        )
    return _signed_in(identity, "", s)


def gate() -> Actor:
    """Sign the user in, or stop the run with a page saying why not; the actor is kept for this run."""
    st.session_state.pop(_ACTOR, None)
    s = auth_settings()  # a bad sign-in setting raised when the settings were read (components/errors.py)
    if s.mode is AuthMode.NONE:
        actor = LOCAL
    elif s.mode is AuthMode.OIDC:
        actor = _oidc(s)
    else:
        actor = _proxy(s)
    st.session_state[_ACTOR] = actor
    return actor


def current_actor() -> Actor:
    """Who this run acts for (the gate decided it at the top of the run)."""
    actor = st.session_state.get(_ACTOR)
    return actor if actor is not None else gate()


def sidebar_identity() -> None:
    """Who is signed in, their role, and (with OpenID Connect) a way to sign out."""
    actor = current_actor()
    if actor == LOCAL:
        return
    with st.sidebar:
        st.divider()
        # A code span: nothing in it is markdown (an e-mail address would otherwise become a mailto link).
        st.caption(f"Signed in as `{actor.identity.replace('`', chr(39))}` · {actor.role.value}")
        if auth_settings().mode is AuthMode.OIDC and st.button("Sign out", key="auth:sign-out", icon="🚪"):
            st.logout()
