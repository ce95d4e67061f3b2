"""The pager of every list keeps the list's filters and never repeats ``page`` in its links."""

from django.test import RequestFactory

from huiyi.core.paging import page_of


def test_page_of_keeps_filters_without_page_and_tolerates_bad_numbers():
    rows = list(range(7))
    request = RequestFactory().get("/", {"q": "会议 & co", "state": "open", "page": "2"})
    page, query = page_of(request, rows, 3)
    assert list(page) == [3, 4, 5]
    assert "page" not in query and "state=open" in query and "q=%E4%BC%9A%E8%AE%AE+%26+co" in query
    assert list(page_of(RequestFactory().get("/", {"page": "99"}), rows, 3)[0]) == [6]  # the last page
    assert list(page_of(RequestFactory().get("/", {"page": "<b>"}), rows, 3)[0]) == [0, 1, 2]  # the first
