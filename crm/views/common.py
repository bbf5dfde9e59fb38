from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils.functional import cached_property


def query_string_without_page(request) -> str:
    """The current filters, for pagination links."""
    params = [(k, v) for k, v in request.GET.items() if k != "page" and v]
    return urlencode(params)


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: on a million conversations an exact COUNT(*) per page
    view costs more than the list itself, and nobody pages past the first few hundred."""

    cap = 5000

    @cached_property
    def count(self) -> int:
        return len(self.object_list.values_list("pk", flat=True)[: self.cap])
