from urllib.parse import urlencode


def query_string_without_page(request) -> str:
    """The current filters, for pagination links."""
    params = [(k, v) for k, v in request.GET.items() if k != "page" and v]
    return urlencode(params)
