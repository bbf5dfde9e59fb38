"""Optimistic concurrency in the API: ETag from `version`, `If-Match` → 412, stale body → 409."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from ..services.concurrency import EditConflict

ETAG_RE = re.compile(r'^(?:W/)?"?(\d+)"?$')

IF_MATCH = OpenApiParameter(
    name="If-Match",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description='The ETag of the version you edited (e.g. "3"); a newer save answers 412.',
)
CONFLICT_BODY = inline_serializer(
    name="EditConflict",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        "current_version": serializers.IntegerField(),
        "current": serializers.DictField(),
    },
)
CONFLICT_RESPONSES = {
    409: OpenApiResponse(CONFLICT_BODY, description="The body's `version` is stale."),
    412: OpenApiResponse(CONFLICT_BODY, description="`If-Match` names an older version."),
}


def etag_of(version: int) -> str:
    return f'"{version}"'


class ConflictAnswer(Exception):
    """Stops the update and answers `payload` with `status` (kept as plain JSON types)."""

    def __init__(self, payload: dict, status_code: int):
        super().__init__(payload.get("detail", ""))
        self.payload = payload
        self.status_code = status_code


class VersionedViewSetMixin:
    """For viewsets whose update service takes `expected_version` and raises EditConflict."""

    def expected_version(self, serializer) -> tuple[int | None, str]:
        """The version the client edited and where it said so ("header", "body" or "")."""
        header = (self.request.headers.get("If-Match") or "").strip()
        body_version = serializer.validated_data.pop("version", None)
        if header and header != "*":
            match = ETAG_RE.match(header)
            if not match:
                # An ETag we never issued cannot match the current one.
                raise ConflictAnswer(
                    {
                        "detail": _("If-Match must be an ETag this API gave you."),
                        "code": "bad_etag",
                    },
                    status.HTTP_412_PRECONDITION_FAILED,
                )
            return int(match.group(1)), "header"
        if body_version is not None:
            return body_version, "body"
        return None, ""

    def run_versioned_update(self, serializer, update):
        """Call `update(expected_version)`; turn a conflict into 412 (If-Match) or 409 (body)."""
        expected, source = self.expected_version(serializer)
        try:
            return update(expected)
        except EditConflict as conflict:
            payload = {
                "detail": _(
                    "This record was changed by someone else after you loaded it (you sent "
                    "version %(sent)d; it is now %(now)d). Nothing was saved: reload it, "
                    "merge your changes and send them again."
                )
                % {"sent": expected, "now": conflict.current.version},
                "code": "edit_conflict",
                "current_version": conflict.current.version,
                "current": self.get_serializer(conflict.current).data,
            }
            code = (
                status.HTTP_412_PRECONDITION_FAILED
                if source == "header"
                else status.HTTP_409_CONFLICT
            )
            raise ConflictAnswer(payload, code) from conflict

    def handle_exception(self, exc):
        if isinstance(exc, ConflictAnswer):
            return Response(exc.payload, status=exc.status_code)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            getattr(self, "action", None) in {"retrieve", "update", "partial_update", "create"}
            and 200 <= response.status_code < 300
            and isinstance(data, dict)
            and isinstance(data.get("version"), int)
        ):
            response["ETag"] = etag_of(data["version"])
        return response
