"""Bad input gets a 400 with a message (or the page with the form's error),
never a 500; Redis being down never turns a request into a 500 or a long wait."""

from tests.conftest import verified_client


def test_an_odd_next_address_goes_to_the_inbox_or_dashboard_not_an_error(personas):
    client = verified_client(personas.counsellor_a)
    for odd in [
        "id",
        "accounts:dashboard",
        "notifications",
        "//evil.example",
        "https://evil.example/",
    ]:
        response = client.post("/notifications/read/", {"next": odd})
        assert response.status_code == 302, odd
        assert response["Location"] == "/notifications/", odd
    response = client.post("/notifications/read/", {"next": "/notifications/?show=unread"})
    assert response["Location"] == "/notifications/?show=unread"
    # The second-factor page follows `next` the same way.
    response = client.get("/accounts/two-factor/?next=id")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/dashboard/"
