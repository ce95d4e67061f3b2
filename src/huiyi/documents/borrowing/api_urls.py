"""API routes of borrowing (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "borrowings/", api.BorrowingViewSet.as_view({"get": "list", "post": "create"}), name="borrowings-list"
    ),
    path("borrowings/<int:pk>/", api.BorrowingViewSet.as_view({"get": "retrieve"}), name="borrowings-detail"),
    path(
        "borrowings/<int:pk>/approve/",
        api.BorrowingViewSet.as_view({"post": "approve"}),
        name="borrowings-approve",
    ),
    path(
        "borrowings/<int:pk>/reject/",
        api.BorrowingViewSet.as_view({"post": "reject"}),
        name="borrowings-reject",
    ),
    path(
        "borrowings/<int:pk>/hand-out/",
        api.BorrowingViewSet.as_view({"post": "hand_out"}),
        name="borrowings-hand-out",
    ),
    path(
        "borrowings/<int:pk>/return/",
        api.BorrowingViewSet.as_view({"post": "give_back"}),
        name="borrowings-return",
    ),
]
