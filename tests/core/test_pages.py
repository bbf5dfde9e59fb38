import pytest
from django.urls import reverse


def test_anonymous_visitor_of_home_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_with_valid_credentials_lands_on_home(client, sales_user):
    from tests.factories import TEST_PASSWORD

    response = client.post(reverse("login"), {"username": "alice", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_failed_login_keeps_the_username_and_explains(client, sales_user):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="alice"' in html
    assert "correct username and password" in html


def test_logout_needs_post_and_ends_the_session(client, sales_user):
    client.force_login(sales_user)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_page_renders_labelled_fields(client, sales_user):
    client.force_login(sales_user)
    html = client.get(reverse("password_change")).content.decode()
    assert 'for="id_old_password"' in html
    assert 'id="id_old_password"' in html


@pytest.mark.parametrize("role", ["sales", "marketing", "manager", "frontline"])
def test_home_names_the_users_roles(client, role_users, role):
    client.force_login(role_users[role])
    html = client.get("/").content.decode()
    assert f'role-badge">{role.capitalize()}<' in html


def test_outsider_is_told_to_ask_for_a_role(client, outsider):
    client.force_login(outsider)
    assert "You have no role yet" in client.get("/").content.decode()


def test_base_layout_is_accessible_and_offline(client, sales_user):
    client.force_login(sales_user)
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert 'href="#main"' in html  # skip link for keyboard users
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "https://" not in html.split("<body")[0]  # no CDN in the head


def test_navigation_groups_pages_into_sections_per_role(client, sales_user, frontline_user):
    client.force_login(sales_user)
    html = client.get("/").content.decode()
    assert 'data-testid="nav-section-1"' in html  # Customers: several CRM pages
    client.force_login(frontline_user)
    html = client.get("/").content.decode()
    assert 'data-testid="nav-section-1"' not in html
    assert "Customers" not in html
