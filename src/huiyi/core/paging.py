"""One page of a list view, and the list's filters for the pager's links (``_pagination.html``)."""

from django.core.paginator import Page, Paginator


def page_of(request, rows, per_page: int) -> tuple[Page, str]:
    """The requested page of ``rows`` (the last one when out of range, the first when not a number) and the
    request's query string without ``page``, so that "Next" keeps the filters and does not repeat ``page``."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
