import pytest
from django.conf import settings
from django.urls import reverse
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_axes(db):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_sign_in_and_out(client, make_user, org):
    make_user("planner", org["north"], username="lin")
    response = sign_in(client, "lin", TEST_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("core:dashboard")
    assert client.get(reverse("core:dashboard")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_wrong_credentials_give_one_message_that_does_not_say_which_field(client, make_user, org):
    make_user("planner", org["north"], username="lin")
    wrong_password = sign_in(client, "lin", "nope").content.decode()
    unknown_user = sign_in(client, "nobody", TEST_PASSWORD).content.decode()
    for page in (wrong_password, unknown_user):
        assert 'id="login-error"' in page
    assert wrong_password.count("login-error") == unknown_user.count("login-error")


def test_lockout_after_the_configured_failures(client, make_user, org):
    make_user("planner", org["north"], username="lin")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lin", "wrong")
    response = sign_in(client, "lin", TEST_PASSWORD)
    assert response.status_code == 403
    assert 'id="lockout"' in response.content.decode()
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_passwords_are_hashed_with_argon2_outside_the_test_suite():
    # The suite puts a fast hasher first; every other configuration starts with Argon2.
    production = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]
    assert production[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_password_change(client, make_user, org):
    user = make_user("planner", org["north"], username="lin")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "a much better secret 42",
            "new_password2": "a much better secret 42",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a much better secret 42")


def test_password_change_rejects_a_weak_password_with_a_message(client, make_user, org):
    user = make_user("planner", org["north"], username="lin")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "123",
            "new_password2": "123",
        },
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
