import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from huiyi.clients.models import Client

pytestmark = pytest.mark.django_db


def test_account_manager_adds_a_client_and_a_contact(client, make_user, org):
    manager = make_user("account_manager", org["north"])
    client.force_login(manager)
    response = client.post(
        reverse("clients:create"),
        {
            "name": "苏州会展集团",
            "name_en": "Suzhou Expo Group",
            "kind": "enterprise",
            "credit_code": "91320500ma1m9xy20l",
            "address": "苏州",
            "org_unit": org["north"].pk,
        },
    )
    created = Client.objects.get(name="苏州会展集团")
    assert response.status_code == 302 and created.credit_code == "91320500MA1M9XY20L"
    client.post(
        reverse("clients:contact_add", args=[created.pk]),
        {"name": "王芳", "phone": "13900000000", "email": "wang@example.com", "is_primary": "on"},
    )
    assert created.contacts.get().is_primary


def test_a_malformed_credit_code_is_refused_with_a_message(client, make_user, org):
    client.force_login(make_user("account_manager", org["north"]))
    page = client.post(
        reverse("clients:create"),
        {
            "name": "x",
            "kind": "enterprise",
            "credit_code": "123",
            "org_unit": org["north"].pk,
        },
    ).content.decode()
    assert 'data-field="credit_code"' in page
    assert not Client.objects.filter(name="x").exists()


def test_client_api_create_and_list(make_user, org):
    api = APIClient()
    api.force_authenticate(make_user("account_manager", org["north"]))
    response = api.post(
        "/api/v1/clients/", {"name": "客户甲", "kind": "government", "org_unit": "north"}, format="json"
    )
    assert response.status_code == 201
    body = api.get("/api/v1/clients/").json()
    assert body["count"] == 1 and body["results"][0]["name"] == "客户甲"


def test_client_api_refuses_roles_without_permission(make_user, org):
    api = APIClient()
    api.force_authenticate(make_user("reception", org["north"]))
    response = api.post(
        "/api/v1/clients/", {"name": "客户乙", "kind": "government", "org_unit": "north"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
