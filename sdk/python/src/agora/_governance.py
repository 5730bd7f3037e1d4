"""Review, lifecycle, aliases, usage and curation (``agora.registry.v1``), mixed into agora.Client."""

from __future__ import annotations

import datetime

from agora._proto.registry.v1 import aliases_pb2, registry_pb2, usage_pb2

__all__ = ["GovernanceCalls", "CURATION_KINDS"]

#: The curation queries :meth:`GovernanceCalls.curation_candidates` accepts.
CURATION_KINDS = {
    "not-updated": registry_pb2.CURATION_KIND_NOT_UPDATED_SINCE,
    "no-consumers": registry_pb2.CURATION_KIND_NO_CONSUMERS_SINCE,
}


def _utc(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is None:
        raise ValueError("use a timezone-aware datetime (e.g. datetime.timezone.utc)")
    return moment.astimezone(datetime.timezone.utc)


class GovernanceCalls:
    """Governance calls; the host class provides ``_call(rpc, request)``, ``_registry``,
    ``_aliases`` and ``_usage``. Each returns the changed record; refusals raise
    :mod:`agora.errors` (a failed review gate is :class:`agora.errors.FailedPrecondition` listing
    every failed gate)."""

    # ---- review: DRAFT -> IN_REVIEW -> PUBLISHED, or -> REJECTED -> DRAFT --------------------

    def submit_for_review(self, model: str, version: str) -> registry_pb2.ModelVersion:
        """DRAFT -> IN_REVIEW."""
        request = registry_pb2.SubmitForReviewRequest(model=model, version=version)
        return self._call(self._registry.SubmitForReview, request)

    def approve_version(self, model: str, version: str, comment: str = "") -> registry_pb2.ModelVersion:
        """IN_REVIEW -> PUBLISHED, when every gate passes (reviewers only; not a publisher of it)."""
        request = registry_pb2.ApproveVersionRequest(model=model, version=version, comment=comment)
        return self._call(self._registry.ApproveVersion, request)

    def reject_version(self, model: str, version: str, reason: str) -> registry_pb2.ModelVersion:
        """IN_REVIEW -> REJECTED, with the reason the publisher will read."""
        request = registry_pb2.RejectVersionRequest(model=model, version=version, reason=reason)
        return self._call(self._registry.RejectVersion, request)

    def reopen_version(self, model: str, version: str) -> registry_pb2.ModelVersion:
        """REJECTED -> DRAFT, to fix and submit again."""
        request = registry_pb2.ReopenVersionRequest(model=model, version=version)
        return self._call(self._registry.ReopenVersion, request)

    # ---- end of life: PUBLISHED -> DEPRECATED -> RETIRED -------------------------------------

    def deprecate_version(
        self,
        model: str,
        version: str,
        sunset: datetime.datetime,
        successor_version: str = "",
    ) -> registry_pb2.ModelVersion:
        """PUBLISHED -> DEPRECATED. ``sunset`` (timezone-aware) must be at least the registry's
        notice period (default 30 days) away; callers of the version are warned until then."""
        request = registry_pb2.DeprecateVersionRequest(
            model=model, version=version, successor_version=successor_version
        )
        request.sunset_time.FromDatetime(_utc(sunset))
        return self._call(self._registry.DeprecateVersion, request)

    def retire_version(self, model: str, version: str) -> registry_pb2.ModelVersion:
        """PUBLISHED or DEPRECATED -> RETIRED: never served again."""
        request = registry_pb2.RetireVersionRequest(model=model, version=version)
        return self._call(self._registry.RetireVersion, request)

    # ---- aliases ----------------------------------------------------------------------------

    def set_alias(
        self, model: str, alias: str, version: str, expected_revision: int = 0
    ) -> aliases_pb2.Alias:
        """Points ``alias`` (e.g. ``"stable"``) at ``version``. With ``expected_revision`` the move
        applies only if nobody moved the alias since (compare-and-set promotion)."""
        request = aliases_pb2.SetAliasRequest(
            model=model, alias=alias, version=version, expected_revision=expected_revision
        )
        return self._call(self._aliases.SetAlias, request)

    def get_alias(self, model: str, alias: str) -> aliases_pb2.Alias:
        """Where ``alias`` points now (``"latest"``: the highest published version)."""
        return self._call(self._aliases.GetAlias, aliases_pb2.GetAliasRequest(model=model, alias=alias))

    def list_aliases(self, model: str) -> list[aliases_pb2.Alias]:
        """Every alias of ``model`` (all pages)."""
        found: list[aliases_pb2.Alias] = []
        token = ""
        while True:
            page = self._call(
                self._aliases.ListAliases, aliases_pb2.ListAliasesRequest(model=model, page_token=token)
            )
            found.extend(page.aliases)
            token = page.next_page_token
            if not token:
                return found

    def delete_alias(self, model: str, alias: str) -> None:
        """Removes ``alias``; its history stays."""
        self._call(self._aliases.DeleteAlias, aliases_pb2.DeleteAliasRequest(model=model, alias=alias))

    def alias_history(
        self, model: str, alias: str, at: datetime.datetime | None = None
    ) -> list[aliases_pb2.AliasHistoryEntry]:
        """Every move of ``alias``, newest first; with ``at``, only the move in force then
        ("what did stable point to on date D")."""
        entries: list[aliases_pb2.AliasHistoryEntry] = []
        token = ""
        while True:
            request = aliases_pb2.GetAliasHistoryRequest(model=model, alias=alias, page_token=token)
            if at is not None:
                request.at_time.FromDatetime(_utc(at))
            page = self._call(self._aliases.GetAliasHistory, request)
            entries.extend(page.entries)
            token = page.next_page_token
            if not token or at is not None:
                return entries

    # ---- usage ------------------------------------------------------------------------------

    def usage(
        self,
        model: str = "",
        consumer_team: str = "",
        start_day: str = "",
        end_day: str = "",
    ) -> list[usage_pb2.UsageRecord]:
        """Inference calls per UTC day, model version and consumer team (all pages), for cost
        allocation. Days are ``YYYY-MM-DD``; empty means the last 30 days. A team sees its own
        calls and the calls to the models it owns; administrators see everything. Counts reach the
        registry when the inference server flushes them (every 10 s by default)."""
        records: list[usage_pb2.UsageRecord] = []
        token = ""
        while True:
            request = usage_pb2.QueryUsageRequest(
                model=model,
                consumer_team=consumer_team,
                start_day=start_day,
                end_day=end_day,
                page_token=token,
            )
            page = self._call(self._usage.QueryUsage, request)
            records.extend(page.records)
            token = page.next_page_token
            if not token:
                return records

    # ---- curation ---------------------------------------------------------------------------

    def curation_candidates(self, kind: str, days: int) -> list[registry_pb2.Model]:
        """Models a curator may look at: ``"not-updated"`` for ``days`` days, or
        ``"no-consumers"`` (nobody called them) for ``days`` days."""
        try:
            value = CURATION_KINDS[kind]
        except KeyError:
            raise ValueError(f"unknown curation kind {kind!r}: use {' or '.join(CURATION_KINDS)}") from None
        request = registry_pb2.ListCurationCandidatesRequest(kind=value, days=days)
        return list(self._call(self._registry.ListCurationCandidates, request).models)
