"""Links for a paged list that keep the list's filters."""

from urllib.parse import urlencode


def page_links(page, query: dict) -> dict:
    """Previous, next and numbered links (GOV.UK pagination) for `page` of a list filtered
    by `query` (the request's parameters without `page`)."""
    def url(number):
        return "?" + urlencode({**query, "page": number})

    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return {
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
        "items": [{"number": n, "url": url(n) if n != page.paginator.ELLIPSIS else None,
                   "current": n == page.number} for n in numbers],
    }
