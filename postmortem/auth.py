"""How people sign in, as settings read from the environment, and when a proxy's identity header
can be believed. Pure: the caller passes the environment and the addresses in.

DEBRIEF_AUTH            none (default: one local user, no sign-in) | oidc (st.login) | proxy (header)
DEBRIEF_PROXY_HEADER    the header a reverse proxy sets to the signed-in user (default X-Forwarded-User,
                        then X-Forwarded-Email)
DEBRIEF_TRUSTED_PROXIES addresses or networks (comma-separated) whose requests may carry that header
                        when the server listens beyond loopback
DEBRIEF_ADMINS          identities that are admins from their first sign-in (comma-separated)
DEBRIEF_DEFAULT_ROLE    the role of a new user (default viewer)
DEBRIEF_PROXY_SECRET    a shared secret the proxy sends on every request (header DEBRIEF_PROXY_SECRET_HEADER,
                        default X-Debrief-Proxy-Secret); when set, only requests carrying it are believed
DEBRIEF_FIRST_USER_ADMIN 1 to make the first user of an empty instance admin (oidc only; ignored when
                        DEBRIEF_ADMINS is set; refused in proxy mode, where anyone who reaches the port
                        could be first)
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from postmortem import errors

DEFAULT_HEADERS = ("X-Forwarded-User", "X-Forwarded-Email")
ROLES = ("viewer", "author", "reviewer", "admin")
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
SECRET_HEADER = "X-Debrief-Proxy-Secret"
MIN_SECRET = 16  # characters; a short secret can be guessed by anyone on the host who tries
_YES, _NO = {"1", "true", "yes", "on"}, {"", "0", "false", "no", "off"}


class AuthMode(StrEnum):
    NONE = "none"
    OIDC = "oidc"
    PROXY = "proxy"


class SettingsError(errors.SettingsError):
    """A sign-in setting the app cannot use; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    mode: AuthMode = AuthMode.NONE
    proxy_headers: tuple[str, ...] = DEFAULT_HEADERS
    trusted_proxies: tuple[str, ...] = ()
    admins: tuple[str, ...] = ()
    default_role: str = "viewer"
    proxy_secret: str = ""
    proxy_secret_header: str = SECRET_HEADER
    first_user_admin: bool = False


def _list(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def settings(environ: Mapping[str, str]) -> Settings:
    """The sign-in settings from environment variables; SettingsError names a bad one."""
    raw_mode = (environ.get("DEBRIEF_AUTH") or "none").strip().lower()
    if raw_mode not in set(AuthMode):
        raise SettingsError(f"DEBRIEF_AUTH={raw_mode!r} is not one of: {', '.join(AuthMode)}.")
    role = (environ.get("DEBRIEF_DEFAULT_ROLE") or "viewer").strip().lower()
    if role not in ROLES:
        raise SettingsError(f"DEBRIEF_DEFAULT_ROLE={role!r} is not one of: {', '.join(ROLES)}.")
    proxies = _list(environ.get("DEBRIEF_TRUSTED_PROXIES"))
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError as error:
            raise SettingsError(
                f"DEBRIEF_TRUSTED_PROXIES: {proxy!r} is not an address or network."
            ) from error
    mode, admins = AuthMode(raw_mode), tuple(a.lower() for a in _list(environ.get("DEBRIEF_ADMINS")))
    secret = (environ.get("DEBRIEF_PROXY_SECRET") or "").strip()
    if secret and len(secret) < MIN_SECRET:
        raise SettingsError(
            f"DEBRIEF_PROXY_SECRET is shorter than {MIN_SECRET} characters; use a long random one."
        )
    first = _first_user_admin(environ.get("DEBRIEF_FIRST_USER_ADMIN"), mode, admins)
    return Settings(
        mode=mode,
        proxy_headers=_list(environ.get("DEBRIEF_PROXY_HEADER")) or DEFAULT_HEADERS,
        trusted_proxies=proxies,
        admins=admins,
        default_role=role,
        proxy_secret=secret,
        proxy_secret_header=(environ.get("DEBRIEF_PROXY_SECRET_HEADER") or SECRET_HEADER).strip(),
        first_user_admin=first,
    )


def _first_user_admin(value: str | None, mode: AuthMode, admins: tuple[str, ...]) -> bool:
    """Opt-in, and only where being first proves something: with named admins it is off, and behind a
    proxy it is refused (whoever reaches the port first, a script on the host say, would own the instance)."""
    text = (value or "").strip().lower()
    if text not in _YES | _NO:
        raise SettingsError(f"DEBRIEF_FIRST_USER_ADMIN={value!r} is not 1 or 0.")
    wanted = text in _YES
    if wanted and mode is AuthMode.PROXY:
        raise SettingsError(
            "DEBRIEF_FIRST_USER_ADMIN is refused in proxy mode: name the admins in DEBRIEF_ADMINS."
        )
    return wanted and not admins


def secret_matches(headers: Mapping[str, str], settings_: Settings) -> bool:
    """Does the request carry the proxy's shared secret? Compared in constant time, so the answer's
    timing does not tell a guesser how many leading characters were right."""
    lowered = {str(key).lower(): value for key, value in headers.items()}
    sent = lowered.get(settings_.proxy_secret_header.lower()) or ""
    return bool(settings_.proxy_secret) and hmac.compare_digest(
        sent.encode(), settings_.proxy_secret.encode()
    )


def request_trusted(
    *, settings_: Settings, headers: Mapping[str, str], server_address: str | None, client_ip: str | None
) -> bool:
    """May this request's identity header be believed? With a shared secret configured, only a request
    carrying it (whatever its address: a proxy on this host sends X-Forwarded-For, and the server then
    reports the client's address instead of the proxy's). Without one, the address rule below."""
    if settings_.proxy_secret:
        return secret_matches(headers, settings_)
    return proxy_trusted(
        server_address=server_address, client_ip=client_ip, trusted_proxies=settings_.trusted_proxies
    )


def listens_on_loopback(server_address: str | None) -> bool:
    """Only processes on this machine can reach a server bound to loopback (an empty address means all
    interfaces)."""
    address = (server_address or "").strip().strip("[]").lower()
    if address in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _in_any(address: str, networks: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(n, strict=False) for n in networks)


def proxy_trusted(
    *, server_address: str | None, client_ip: str | None, trusted_proxies: tuple[str, ...]
) -> bool:
    """May this request's identity header be believed? Yes when only this machine can connect (the
    proxy is then the only way in), or the connection comes from a configured proxy address.
    `client_ip` None means a loopback peer (Streamlit hides loopback addresses)."""
    if listens_on_loopback(server_address):
        return True
    return _in_any(client_ip or "127.0.0.1", trusted_proxies)


def identity_from(headers: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    """The first non-empty identity header, normalised (e-mail addresses compare case-insensitively)."""
    lowered = {str(key).lower(): value for key, value in headers.items()}
    for name in names:
        value = (lowered.get(name.lower()) or "").strip()
        if value:
            return value.lower()[:320]
    return None
