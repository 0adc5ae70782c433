"""One core under every face: what the server writes, the CLI reads the same way, and back.

A call uploaded through the server and then imported from the CLI is one call;
`whyno list` and `whyno show` withhold a do-not-contact person's words as the
server does; a correction made through the server is what `whyno coach analyze`
answers for the same words.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.web.conftest import World
from whyno.cli import app as cli
from whyno.followup.consent import set_status
from whyno.nos.entry import NoEntry, log_no
from whyno.nos.queries import WITHHELD
from whyno.store import Store
from whyno.store.models import Conversation, No

CALL = (
    "Ada: How does the plan look to you?\n"
    "Kim: We'll pass for now, the rollout would take our whole team a quarter.\n"
    "Ada: Understood. What would have to change?\n"
)


def _bearer(world: World, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[username][1]}"}


def _cli(db_url: str, *args: str) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["--db", db_url, *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _calls(store: Store) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(select(func.count(Conversation.id))).scalar_one())


def test_a_call_uploaded_then_imported_is_stored_once(
    client: TestClient, world: World, store: Store, db_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "calls"
    folder.mkdir()
    (folder / "walkthrough.txt").write_text(CALL, encoding="utf-8")
    before = _calls(store)
    uploaded = client.post(
        "/api/calls",
        files={"file": ("walkthrough.txt", CALL.encode())},
        headers=_bearer(world, "ada"),
    )
    assert uploaded.status_code == 201, uploaded.text
    assert _calls(store) == before + 1

    imported = _cli(db_url, "coach", "import", str(folder), "--team", "alpha")
    assert (imported["imported"], imported["unchanged"]) == (0, 1)
    again = client.post(
        "/api/calls",
        files={"file": ("renamed.txt", CALL.replace("\n", "\r\n").encode("utf-8-sig"))},
        headers=_bearer(world, "ada"),
    )
    assert again.json()["id"] == uploaded.json()["id"]  # same words, BOM and CRLF or not
    assert _calls(store) == before + 1
    with store.engine.connect() as connection:
        heard = connection.execute(
            select(func.count(No.id)).where(No.verbatim.like("We'll pass for now%"))
        ).scalar_one()
    assert heard == 1  # the no heard in it is kept once too

    other_team = _cli(db_url, "coach", "import", str(folder), "--team", "bravo")
    assert other_team["imported"] == 1  # another team's copy is that team's own
    assert _calls(store) == before + 2


def test_an_import_to_an_unknown_team_is_refused(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(CALL, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--db", db_url, "coach", "import", str(tmp_path), "--team", "nobody"]
    )
    assert result.exit_code != 0
    assert "--team 'nobody': no such team" in result.output


def test_list_and_show_withhold_a_do_not_contact_persons_words(
    client: TestClient, world: World, store: Store, db_url: str
) -> None:
    secret = "Pat's own words: our board froze every new vendor this year"
    entry = NoEntry(
        deal="Lighthouse",
        reason=secret,
        ended_by="them",
        contact_name="Pat Buyer",
        contact_email="pat@example.com",
    )
    no_id = log_no(store, entry, team_id=world.users["ada"].team_id)
    assert secret in json.dumps(_cli(db_url, "show", str(no_id)))
    set_status(store, "pat@example.com", "do_not_contact")

    listed = _cli(db_url, "list", "--limit", "100")
    rows = [row for row in listed["data"] if row["id"] == no_id]  # type: ignore[attr-defined]
    assert rows and rows[0]["verbatim"] == WITHHELD and rows[0]["do_not_contact"] is True
    assert secret not in json.dumps(listed)
    shown = _cli(db_url, "show", str(no_id))
    assert shown["no"]["verbatim"] == WITHHELD  # type: ignore[index]
    assert "Pat Buyer" not in json.dumps(shown) and "pat@example.com" not in json.dumps(shown)
    for command in (["show", str(no_id)], ["list"]):
        text = CliRunner().invoke(cli, ["--db", db_url, *command])
        assert text.exit_code == 0 and "board froze" not in text.output
    api = client.get(f"/api/nos/{no_id}", headers=_bearer(world, "ada")).json()
    assert api["verbatim"] == WITHHELD  # the server says the same


def test_a_correction_made_through_the_server_counts_in_coach_analyze(
    client: TestClient, world: World, db_url: str, tmp_path: Path
) -> None:
    words = "Honestly we just could not get the rollout scheduled before our busy season."
    call = tmp_path / "call.txt"
    call.write_text(f"Sam: Where did we land?\nBuyer: No. {words}\n", encoding="utf-8")

    def reason() -> str | None:
        review = _cli(db_url, "coach", "analyze", str(call), "--seller", "Sam")
        buyer = [u for u in review["utterances"] if u["role"] == "buyer"]  # type: ignore[attr-defined]
        return str(buyer[0]["reason_category"])

    before = reason()
    target = "approach.trust" if before != "approach.trust" else "market.budget"
    headers = _bearer(world, "ada")
    logged = client.post(
        "/api/nos", json={"deal": "Harbor", "reason": words, "ended_by": "them"}, headers=headers
    )
    assert logged.status_code == 201, logged.text
    corrected = client.put(
        f"/api/nos/{logged.json()['id']}/labels", json={"categories": [target]}, headers=headers
    )
    assert corrected.status_code in (200, 204), corrected.text
    assert reason() == target
