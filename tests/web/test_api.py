"""The REST API: tokens, CSRF, sign-in limits, uploads, imports, consent, errors, paging."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from tests.web.conftest import PASSWORD, World, login, settings_for
from whyno.errors import InputError
from whyno.followup.consent import forget, set_status
from whyno.store import Store
from whyno.store.models import ApiToken, Deal, No
from whyno.web import create_app

CSV = "Id,Stage,Close Date,Loss Reason,Loss Notes,Owner\n"


def test_health_needs_no_sign_in(client: TestClient) -> None:
    assert client.get("/api/health").json()["status"] == "ok"


def test_errors_have_one_shape(client: TestClient, world: World) -> None:
    login(client, "ada")
    missing = client.get("/api/nos/999999")
    invalid = client.get("/api/nos?limit=0")
    unknown = client.get("/api/nowhere")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert invalid.status_code == 422 and invalid.json()["error"]["detail"][0]["where"] == (
        "query.limit"
    )
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"


def test_lists_are_paginated_as_data_and_count(client: TestClient, world: World) -> None:
    login(client, "ada")
    first = client.get("/api/nos?limit=1").json()
    second = client.get("/api/nos?limit=1&offset=1").json()
    assert first["count"] == second["count"] == 2
    assert len(first["data"]) == len(second["data"]) == 1
    assert first["data"][0]["id"] != second["data"][0]["id"]


def test_a_token_works_as_bearer_and_is_stored_hashed(
    client: TestClient, world: World, store: Store
) -> None:
    _, token = world.tokens["sam"]
    response = client.get("/api/nos", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert [row["deal"] for row in response.json()["data"]] == ["deal-of-sam"]
    with store.engine.connect() as connection:
        stored = set(connection.execute(select(ApiToken.token_hash)).scalars())
    assert token not in stored and all(len(h) == 64 for h in stored)


def test_a_token_needs_no_csrf_token(client: TestClient, world: World) -> None:
    _, token = world.tokens["sam"]
    response = client.post(
        "/api/nos", json={"deal": "by script"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201 and response.json()["seller"] == "Sam"


def test_a_revoked_token_is_refused(client: TestClient, world: World) -> None:
    token_id, token = world.tokens["sam"]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.delete(f"/api/tokens/{token_id}", headers=auth).status_code == 204
    refused = client.get("/api/nos", headers=auth)
    assert refused.status_code == 401 and "not valid" in refused.json()["error"]["message"]


def test_a_new_token_is_shown_once(client: TestClient, world: World) -> None:
    csrf = login(client, "sue")
    created = client.post("/api/tokens", json={"name": "laptop"}, headers={"X-CSRF-Token": csrf})
    listed = client.get("/api/tokens").json()
    assert created.status_code == 201 and created.json()["token"].startswith("wn_")
    assert listed["count"] == 1 and "token" not in listed["data"][0]


def test_a_change_without_the_csrf_token_is_refused(client: TestClient, world: World) -> None:
    login(client, "sam")
    response = client.post("/api/nos", json={"deal": "no token"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_a_form_post_without_the_csrf_token_is_refused(client: TestClient, world: World) -> None:
    login(client, "sam")
    response = client.post("/log", data={"deal": "no token"}, follow_redirects=False)
    assert response.status_code == 403


def test_a_form_post_with_a_wrong_csrf_token_is_refused(client: TestClient, world: World) -> None:
    login(client, "sam")
    response = client.post(
        "/log", data={"deal": "forged", "csrf_token": "0" * 64}, follow_redirects=False
    )
    assert response.status_code == 403


def test_the_login_form_needs_its_own_token(client: TestClient, world: World) -> None:
    response = client.post("/login", data={"username": "sam", "password": PASSWORD})
    assert response.status_code == 403 and "expired" in response.text


def test_sign_in_is_rate_limited(client: TestClient, world: World) -> None:
    wrong = {"username": "sam", "password": "not the password"}
    statuses = [client.post("/api/login", json=wrong).status_code for _ in range(6)]
    right = client.post("/api/login", json={"username": "sam", "password": PASSWORD})
    assert statuses == [401] * 5 + [429]
    assert right.status_code == 429 and int(right.headers["retry-after"]) > 0


def test_the_server_refuses_a_missing_or_default_secret(tmp_path: Path, store: Store) -> None:
    from whyno.config import Settings

    for secret in (None, "changeme", "short-but-not-default"):
        with pytest.raises(InputError, match="WHYNO_SECRET_KEY"):
            create_app(Settings(home=tmp_path, secret_key=secret), store=store)


def test_an_upload_over_the_limit_is_refused(store: Store, tmp_path: Path, world: World) -> None:
    app = create_app(settings_for(tmp_path, max_upload_mb=0.001), store=store)
    with TestClient(app) as client:
        csrf = login(client, "max")
        big = CSV + "".join(f"d-{i},Closed Lost,2026-01-05,Price,,Sam\n" for i in range(200))
        response = client.post(
            "/api/imports", files={"file": ("big.csv", big)}, headers={"X-CSRF-Token": csrf}
        )
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_an_import_lands_in_the_importers_team(
    client: TestClient, world: World, store: Store
) -> None:
    csrf = login(client, "bob")
    body = CSV + "b-1,Closed Lost,2026-01-05,Price,too dear,Bea\nb-2,Closed Won,2026-01-06,,,Bea\n"
    response = client.post(
        "/api/imports", files={"file": ("bravo.csv", body)}, headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 201
    assert (response.json()["imported"], response.json()["nos"]) == (2, 1)
    assert response.json()["path"] == "bravo.csv"
    with store.engine.connect() as connection:
        teams = set(
            connection.execute(
                select(Deal.team_id).where(Deal.external_id.in_(["b-1", "b-2"]))
            ).scalars()
        )
    assert teams == {world.users["bob"].team_id}


def test_the_same_deal_ids_in_two_teams_stay_apart(client: TestClient, world: World) -> None:
    body = CSV + "same-1,Closed Lost,2026-01-05,Price,alpha notes,Sam\n"
    for who in ("max", "bob"):
        csrf = login(client, who)
        response = client.post(
            "/api/imports", files={"file": ("x.csv", body)}, headers={"X-CSRF-Token": csrf}
        )
        assert response.json()["imported"] == 1
    login(client, "max")
    assert client.get("/api/nos?seller=Sam").json()["count"] == 2


def test_an_invalid_import_writes_nothing_and_lists_the_problems(
    client: TestClient, world: World
) -> None:
    csrf = login(client, "max")
    body = CSV + "ok-1,Closed Lost,2026-01-05,Price,,Sam\nbad-1,Closed Lost,31/31/2026,Price,,Sam\n"
    response = client.post(
        "/api/imports", files={"file": ("bad.csv", body)}, headers={"X-CSRF-Token": csrf}
    )
    error = response.json()["error"]
    assert response.status_code == 422 and error["detail"]["rejected"] == 1
    assert error["detail"]["problems"][0]["row"] == 3
    assert "bad.csv" in error["message"] and "nothing was imported" in error["message"]
    assert client.get("/api/deals").json()["count"] == 2


def test_do_not_contact_withholds_their_words_everywhere(
    client: TestClient, world: World, store: Store
) -> None:
    csrf = login(client, "sam")
    created = client.post(
        "/api/nos",
        json={"deal": "quiet", "reason": "private words", "contact_email": "p@example.com"},
        headers={"X-CSRF-Token": csrf},
    ).json()
    set_status(store, "p@example.com", "do_not_contact")
    one = client.get(f"/api/nos/{created['id']}").json()
    listed = client.get("/api/nos").text
    page = client.get(f"/nos/{created['id']}").text
    assert one["do_not_contact"] is True and one["contact_email"] is None
    assert "private words" not in one["verbatim"] + listed + page
    assert "p@example.com" not in listed + page
    revisit = client.get("/api/revisit").json()
    assert created["id"] not in [d["no_id"] for d in revisit["data"]]


def test_erasure_leaves_nothing_personal_to_show(
    client: TestClient, world: World, store: Store
) -> None:
    csrf = login(client, "sam")
    created = client.post(
        "/api/nos",
        json={"deal": "erased", "reason": "my own words", "contact_email": "gone@example.com"},
        headers={"X-CSRF-Token": csrf},
    ).json()
    forget(store, "gone@example.com")
    one = client.get(f"/api/nos/{created['id']}").json()
    assert one["verbatim"] is None and one["contact_email"] is None
    assert "my own words" not in client.get("/nos").text


def test_verbatims_are_escaped_in_pages(client: TestClient, world: World) -> None:
    csrf = login(client, "sam")
    created = client.post(
        "/api/nos",
        json={"deal": "<b>deal</b>", "reason": "<script>alert('x')</script> price"},
        headers={"X-CSRF-Token": csrf},
    ).json()
    for path in ("/nos", f"/nos/{created['id']}"):
        html = client.get(path).text
        assert "<script>alert" not in html and "&lt;script&gt;alert" in html
        assert "<b>deal</b>" not in html


def test_pages_forbid_inline_scripts(client: TestClient, world: World) -> None:
    login(client, "sam")
    policy = client.get("/nos").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_a_correction_replaces_the_labels(client: TestClient, world: World) -> None:
    csrf = login(client, "sam")
    no_id = world.nos["sam"]
    response = client.put(
        f"/api/nos/{no_id}/labels",
        json={"categories": ["product.price", "market.budget"]},
        headers={"X-CSRF-Token": csrf},
    )
    labels = response.json()["data"]
    assert [(label["category"], label["source"]) for label in labels] == [
        ("product.price", "person"),
        ("market.budget", "person"),
    ]


def test_an_unknown_label_is_a_clear_error(client: TestClient, world: World) -> None:
    csrf = login(client, "sam")
    response = client.put(
        f"/api/nos/{world.nos['sam']}/labels",
        json={"categories": ["product.nonsense"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 400 and "product.nonsense" in response.json()["error"]["message"]


def test_the_dashboard_counts_a_new_no_at_once(client: TestClient, world: World) -> None:
    csrf = login(client, "max")
    before = client.get("/api/trends").json()["nos"]
    client.post("/api/nos", json={"deal": "one more"}, headers={"X-CSRF-Token": csrf})
    assert client.get("/api/trends").json()["nos"] == before + 1


def test_a_call_review_tags_the_utterances(client: TestClient, world: World) -> None:
    call = client.get(f"/api/calls/{world.calls['sam']}", headers=_bearer(world, "sam")).json()
    tags: dict[str, set[str]] = {"seller": set(), "buyer": set()}
    for u in call["utterances"]:
        tags[u["role"]].update(u["tags"])
    assert "no_oriented_question" in tags["seller"] and "rejection" in tags["buyer"]
    assert call["metrics"]["rejections_heard"] == 1


def test_a_call_page_shows_its_coaching_notes(client: TestClient, world: World) -> None:
    call = client.get(f"/api/calls/{world.calls['sam']}", headers=_bearer(world, "sam")).json()
    kinds = [n["kind"] for n in call["notes"]]
    assert kinds and set(kinds) <= {
        "pushed_past_no",
        "reason_not_asked",
        "asked_why",
        "accepted_no",
        "good_label",
        "honest_disqualifier",
        "pressure",
        "long_monologue",
    }
    login(client, "sam")
    assert "Coaching notes" in client.get(f"/calls/{world.calls['sam']}").text


def test_a_no_heard_in_an_uploaded_call_joins_the_teams_catalog(
    client: TestClient, world: World
) -> None:
    response = client.post(
        "/api/calls",
        files={"file": ("walk.txt", b"Ada: How does the plan look?\nKim: We'll pass, thanks.\n")},
        headers=_bearer(world, "ada"),
    )
    assert response.status_code in (200, 201), response.text
    listed = client.get("/api/nos?limit=100", headers=_bearer(world, "ada")).json()
    heard = [n for n in listed["data"] if n.get("verbatim") == "We'll pass, thanks."]
    assert len(heard) == 1
    other_team = client.get("/api/nos?limit=100", headers=_bearer(world, "bob")).json()
    assert all(n.get("verbatim") != "We'll pass, thanks." for n in other_team["data"])


def test_a_seller_must_name_the_deal_of_a_call(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/calls",
        files={"file": ("c.txt", b"A: hi\nB: no thanks\n")},
        headers=_bearer(world, "sam"),
    )
    assert response.status_code == 400 and "deal" in response.json()["error"]["message"]


def test_openapi_lists_the_api(client: TestClient, world: World) -> None:
    paths = client.get("/openapi.json", headers=_bearer(world, "ada")).json()["paths"]
    assert {"/api/nos", "/api/deals", "/api/imports", "/api/trends", "/api/calls"} <= set(paths)
    assert "/nos" not in paths  # pages are not part of the API


def _bearer(world: World, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[who][1]}"}


def test_pages_load_nothing_from_elsewhere(client: TestClient, world: World) -> None:
    login(client, "max")
    for path in ("/", "/nos", "/log", "/calls", f"/calls/{world.calls['sam']}", "/revisit"):
        html = client.get(path).text.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "http://" not in html and "https://" not in html, path
    assert client.get("/static/app.js").status_code == 200


def test_a_do_not_contact_buyers_words_are_withheld_from_calls(
    client: TestClient, world: World, store: Store
) -> None:
    from sqlalchemy import update

    from whyno.store.models import Contact

    csrf = login(client, "sam")
    client.post(
        "/api/nos",
        json={"deal_id": world.deals["sam"], "contact_email": "buyer@example.com"},
        headers={"X-CSRF-Token": csrf},
    )
    with store.engine.begin() as connection:
        contact_id = connection.execute(select(Contact.id)).scalar_one()
        connection.execute(
            update(Deal).where(Deal.id == world.deals["sam"]).values(contact_id=contact_id)
        )
    set_status(store, "buyer@example.com", "do_not_contact")
    call = client.get(f"/api/calls/{world.calls['sam']}").json()
    buyer = [u for u in call["utterances"] if u["role"] == "buyer"]
    assert call["do_not_contact"] is True
    assert buyer and all(u["text"] == "[withheld: do not contact]" for u in buyer)
    assert "price is too high" not in str(call["notes"])
    assert "price is too high" not in client.get(f"/calls/{world.calls['sam']}").text


def test_the_brief_page_writes_an_honest_brief(store: Store, tmp_path: Path, world: World) -> None:
    profile = Path(__file__).resolve().parents[2] / "src/whyno/demo/larkspur_profile.yaml"
    app = create_app(settings_for(tmp_path, profile=profile), store=store)
    with TestClient(app) as client:
        csrf = login(client, "sam")
        html = client.post(
            "/brief",
            data={"name": "<i>Tiny Co</i>", "size": "1-10", "notes": "no budget this year"},
            headers={"X-CSRF-Token": csrf},
        ).text
    assert "&lt;i&gt;Tiny Co&lt;/i&gt;" in html and "<i>Tiny Co</i>" not in html
    assert 'class="verdict"' in html


def test_consent_changed_outside_the_server_shows_at_once(
    client: TestClient, world: World, store: Store
) -> None:
    csrf = login(client, "sam")
    client.post(
        "/api/nos",
        json={"deal": "cached", "reason": "words to hide", "contact_email": "c@example.com"},
        headers={"X-CSRF-Token": csrf},
    )
    assert "words to hide" in client.get("/api/nos").text  # now cached
    set_status(store, "c@example.com", "do_not_contact")  # as `whyno consent` does
    assert "words to hide" not in client.get("/api/nos").text


def test_the_log_form_names_a_bad_amount_and_saves_nothing(
    client: TestClient, world: World, store: Store
) -> None:
    csrf = login(client, "sam")
    with store.session() as session:
        before = session.scalar(select(func.count()).select_from(Deal))
    form = {"deal": "Amount check", "amount": "lots", "csrf_token": csrf}
    response = client.post("/log", data=form, follow_redirects=False)
    assert response.status_code == 400 and "amount &#39;lots&#39;" in response.text
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Deal)) == before
    saved = client.post("/log", data={**form, "amount": ""}, follow_redirects=False)
    assert saved.status_code == 303


def test_a_small_catalog_dashboard_shows_plain_counts(
    client: TestClient, world: World, store: Store
) -> None:
    with store.engine.begin() as connection:
        connection.execute(update(No).values(main_category="product.price"))
    login(client, "max")
    html = client.get("/").text
    assert "Not enough evidence yet" in html and 'id="plain-counts"' in html
    assert "Price" in html and "95% interval" in html


def test_openapi_has_a_response_schema_for_every_route(client: TestClient, world: World) -> None:
    spec = client.get("/openapi.json", headers=_bearer(world, "ada")).json()
    missing = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                if not code.startswith("2") or code == "204":
                    continue  # errors share one shape; 204 has no body
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                if "$ref" not in schema:
                    missing.append(f"{method.upper()} {path}")
    assert missing == []
    assert len(spec["paths"]) >= 15
    no = spec["components"]["schemas"]["NoOut"]["properties"]
    assert {"verbatim", "do_not_contact", "contact_name", "labels"} <= set(no)
