"""The search page: thin — the form reads the query, ``queries.search`` finds what the user may read."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from huiyi.rulebook.services import active_rulebook

from . import queries
from .forms import SearchForm

PAGE_SIZE = 20


def result_rows(documents, query: str, labels: dict) -> list[dict]:
    texts = queries.texts_for(documents)
    rows = []
    for document in documents:
        text = texts.get(document.current_version_id, "")
        rows.append(
            {
                "document": document,
                "type_label": labels.get(document.doc_type, document.doc_type),
                "snippet": queries.snippet(text, query),
                "title": queries.highlight(document.title, query),
                "title_only": document.is_very_high,
            }
        )
    return rows


@login_required
@require_GET
def search(request):
    if not request.user.has_perm("documents.view_document"):
        raise PermissionDenied
    rulebook = active_rulebook()
    form = SearchForm(request.GET or None, user=request.user, rulebook=rulebook)
    context = {"form": form, "searched": False}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        paginator = queries.CappedPaginator(request.user, query, form.filters(), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        labels = dict(form.fields["type"].choices)
        params = {k: v for k, v in request.GET.items() if k != "page" and v}
        context.update(
            searched=True,
            q=query,
            page=page,
            capped=paginator.capped,
            rows=result_rows(page.object_list, query, labels),
            query=urlencode(params),
        )
    return render(request, "docsearch/search.html", context)
