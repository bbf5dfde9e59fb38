"""Pagination of the API's lists: page numbers, and keyset pages for the big ones."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.keyset import Cursor, InvalidCursor, KeysetPage, decode_cursor, keyset_page


class StandardPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 200); results under `results`."""

    page_size_query_param = "page_size"
    max_page_size = 200


COUNT_HELP = (
    "Number of matches. Always given with `?page=`; on keyset pages only "
    "when every match is on this page (otherwise null: counting a large match set costs "
    "more than the page itself)."
)


class KeysetPagination(StandardPagination):
    """Without `?page=`: keyset pages in the view's ordering (core.keyset); follow `next` (a
    `cursor` link) until it is null. A cursor keeps its place while rows are added and
    costs the same at any depth. `?page=N` answers counted page-number pages as before.

    A view's filter set may say, through `filters_are_correlated(params)`, when its
    filters defeat the database's estimates (see `keyset_page`'s `collect_then_sort`).
    """

    cursor_query_param = "cursor"
    keyset: KeysetPage | None = None

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        if self.page_query_param in params and self.cursor_query_param not in params:
            self.keyset = None
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        ordering = tuple(queryset.query.order_by) or tuple(queryset.model._meta.ordering)
        try:
            cursor = decode_cursor(
                params.get(self.cursor_query_param), model=queryset.model, ordering=ordering
            )
        except InvalidCursor as error:
            raise ValidationError({self.cursor_query_param: [str(error)]}) from error
        self.keyset = keyset_page(
            queryset,
            ordering=ordering,
            size=self.get_page_size(request),
            cursor=cursor,
            collect_then_sort=_filters_are_correlated(view, params),
        )
        return self.keyset.rows

    def get_paginated_response(self, data):
        if self.keyset is None:
            return super().get_paginated_response(data)
        return Response(
            {
                "count": len(data) if self.keyset.complete else None,
                "next": self._link(self.keyset.next_cursor),
                "previous": self._link(self.keyset.previous_cursor),
                "results": data,
            }
        )

    def _link(self, cursor: Cursor | None) -> str | None:
        if cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor.encode())

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "nullable": True, "description": COUNT_HELP},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a `next` or `previous` link (keyset "
                "pages, the default). Valid for the `ordering` it was made with.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number: counted pages with `count`, for existing "
                "clients. Slower on large match sets and deep pages; prefer `cursor`.",
                "schema": {"type": "integer"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (default {self.page_size}, at most "
                f"{self.max_page_size}).",
                "schema": {"type": "integer"},
            },
        ]


def _filters_are_correlated(view, params) -> bool:
    correlated = getattr(getattr(view, "filterset_class", None), "filters_are_correlated", None)
    return bool(correlated and correlated(params))
