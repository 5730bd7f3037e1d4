"""Teams, members and API keys (``agora.access.v1.AccessService``), mixed into agora.Client."""

from __future__ import annotations

import datetime
import secrets
import zlib
from typing import Iterable

from agora._proto.access.v1 import access_pb2

__all__ = ["AccessCalls", "role", "generate_key", "API_KEY_ENV"]

#: The environment variable agora.Client and the CLI read an API key from.
API_KEY_ENV = "AGORA_API_KEY"

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def generate_key() -> str:
    """A fresh, well-formed key ``agora_<16 id chars>_<32 random + 6 checksum chars>`` drawn from
    :mod:`secrets`, e.g. for ``AGORA_BOOTSTRAP_ADMIN_KEY``. The checksum is the CRC-32 of
    everything before it in base62 (see ``ApiKeyFormat`` in the ratelimit module)."""
    body = "agora_" + _draw(16) + "_" + _draw(32)
    checksum = zlib.crc32(body.encode("ascii"))
    digits = []
    for _ in range(6):
        checksum, digit = divmod(checksum, 62)
        digits.append(_BASE62[digit])
    return body + "".join(reversed(digits))


def _draw(length: int) -> str:
    return "".join(secrets.choice(_BASE62) for _ in range(length))


_KINDS = {
    "user": access_pb2.PRINCIPAL_KIND_USER,
    "service-account": access_pb2.PRINCIPAL_KIND_SERVICE_ACCOUNT,
}


def role(name: str | int) -> int:
    """``"publisher"`` (or an ``access_pb2.Role`` value) as an ``access_pb2.Role`` value."""
    if isinstance(name, int):
        return name
    try:
        return access_pb2.Role.Value("ROLE_" + name.strip().upper())
    except ValueError:
        raise ValueError(f"unknown role {name!r}: use consumer, publisher, reviewer or admin") from None


def _kind(name: str) -> int:
    try:
        return _KINDS[name]
    except KeyError:
        raise ValueError(f"unknown principal kind {name!r}: use {' or '.join(_KINDS)}") from None


class AccessCalls:
    """AccessService calls; the host class provides ``_call(rpc, request)`` and ``_access``."""

    def who_am_i(self) -> access_pb2.Caller:
        """The key this client sends, as the server sees it: principal, team, roles, scopes."""
        return self._call(self._access.WhoAmI, access_pb2.WhoAmIRequest())

    def create_team(self, name: str, display_name: str = "", description: str = "") -> access_pb2.Team:
        """Creates a team (global administrators only)."""
        team = access_pb2.Team(name=name, display_name=display_name, description=description)
        return self._call(self._access.CreateTeam, access_pb2.CreateTeamRequest(team=team))

    def set_team_member(
        self, team: str, principal: str, roles: Iterable[str | int], kind: str = "user"
    ) -> access_pb2.Team:
        """Adds ``principal`` to ``team`` with ``roles`` (e.g. ``["publisher"]``), or replaces its roles."""
        member = access_pb2.TeamMember(principal=principal, kind=_kind(kind), roles=[role(r) for r in roles])
        request = access_pb2.SetTeamMemberRequest(team=team, member=member)
        return self._call(self._access.SetTeamMember, request)

    def remove_team_member(self, team: str, principal: str) -> access_pb2.Team:
        """Removes ``principal`` from ``team``; its keys in the team stop working."""
        request = access_pb2.RemoveTeamMemberRequest(team=team, principal=principal)
        return self._call(self._access.RemoveTeamMember, request)

    def create_api_key(
        self,
        team: str = "",
        principal: str = "",
        scopes: Iterable[str] = (),
        description: str = "",
        expire_time: datetime.datetime | None = None,
    ) -> access_pb2.CreateApiKeyResponse:
        """Creates a key; ``.token`` of the answer is the key itself, shown only this once.

        Empty ``team`` / ``principal`` mean the calling key's; empty ``scopes`` mean every scope
        the principal's roles allow (``registry:read``, ``registry:write``, ``inference``,
        ``keys:verify``, ``usage:report``, ``admin``).
        """
        request = access_pb2.CreateApiKeyRequest(
            team=team, principal=principal, scopes=list(scopes), description=description
        )
        if expire_time is not None:
            request.expire_time.FromDatetime(expire_time.astimezone(datetime.timezone.utc))
        return self._call(self._access.CreateApiKey, request)

    def list_api_keys(
        self, team: str = "", principal: str = "", include_revoked: bool = False
    ) -> list[access_pb2.ApiKey]:
        """Keys (never their secrets) of a team or principal, all pages."""
        keys: list[access_pb2.ApiKey] = []
        token = ""
        while True:
            request = access_pb2.ListApiKeysRequest(
                team=team, principal=principal, include_revoked=include_revoked, page_token=token
            )
            page = self._call(self._access.ListApiKeys, request)
            keys.extend(page.keys)
            token = page.next_page_token
            if not token:
                return keys

    def revoke_api_key(self, key_id: str) -> access_pb2.ApiKey:
        """Revokes a key by its id (the part after ``agora_``); servers refuse it within 2 s."""
        return self._call(self._access.RevokeApiKey, access_pb2.RevokeApiKeyRequest(id=key_id))
