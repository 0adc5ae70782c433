"""`whyno coach import`: calls stored with their tags, linked to deals, no's added."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.helpers import FIXTURES, write_csv
from whyno.coach.calls import present_sellers
from whyno.coach.imports import CallImportOptions, CallImportRejected, import_calls
from whyno.errors import InputError
from whyno.ingest.crm import ImportOptions, import_crm_csv
from whyno.reasons.classify import Classifier
from whyno.store import Store
from whyno.store.models import Contact, Conversation, Deal, No, ReasonLabel, Seller, Utterance

CALLS = FIXTURES / "calls"


def _folder(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "calls"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(CALLS / name, folder / name)
    return folder


def _count(store: Store, model: type[object]) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _crm(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "crm.csv",
        ["Deal ID", "Deal Name", "Owner", "Stage", "Amount", "Close Date"],
        [
            ["OPP-7", "Dana's dispatch", "Sam Lee", "Closed Lost", "1200", "2026-10-02"],
            ["OPP-8", "Riverside", "Sam Lee", "Closed Won", "900", "2026-10-03"],
            ["OPP-9", "Harbor HVAC", "Sam Lee", "Proposal", "700", ""],
        ],
    )
    import_crm_csv(store, path, ImportOptions())


def test_import_stores_every_call_with_tagged_utterances(
    store: Store, tmp_path: Path, classifier: Classifier
) -> None:
    folder = _folder(tmp_path, "discovery.vtt", "pushy.srt")
    result = import_calls(store, folder, classifier)
    assert (result.read, result.imported, result.unchanged, result.rejected) == (2, 2, 0, 0)
    with store.session() as session:
        call = session.scalars(select(Conversation).where(Conversation.title == "discovery")).one()
        utterances = session.scalars(
            select(Utterance)
            .where(Utterance.conversation_id == call.id)
            .order_by(Utterance.position)
        ).all()
        assert call.sellers == "Sam Lee"
        assert call.metrics is not None and call.metrics["rejections_heard"] == 1
        assert len(utterances) == 11
        assert utterances[0].tags == ["no_oriented_question"]
        assert utterances[7].role == "buyer" and "rejection" in (utterances[7].tags or [])
        assert utterances[7].start_s == 31.0


def test_importing_the_same_folder_twice_changes_nothing(
    store: Store, tmp_path: Path, classifier: Classifier
) -> None:
    folder = _folder(tmp_path, "discovery.vtt", "pushy.srt", "plain.txt")
    import_calls(store, folder, classifier)
    again = import_calls(store, folder, classifier)
    assert (again.imported, again.updated, again.unchanged, again.nos_added) == (0, 0, 3, 0)
    assert _count(store, Conversation) == 3
    assert _count(store, Utterance) == 11 + 4 + 4
    assert _count(store, No) == 2  # plain.txt describes the current vendor: no offer, no no


def test_an_edited_transcript_replaces_its_earlier_version(
    store: Store, tmp_path: Path, classifier: Classifier
) -> None:
    folder = _folder(tmp_path, "pushy.srt")
    import_calls(store, folder, classifier)
    path = folder / "pushy.srt"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n5\n00:00:12,000 --> 00:00:15,000\n"
        "Rep: Fair enough, thanks for your time.\n",
        encoding="utf-8",
    )
    result = import_calls(store, folder, classifier)
    assert (result.imported, result.updated) == (0, 1)
    assert _count(store, Conversation) == 1
    assert _count(store, Utterance) == 5
    assert _count(store, No) == 1


def test_a_mapping_links_the_call_and_its_no_to_the_crm_deal(
    store: Store, tmp_path: Path, classifier: Classifier
) -> None:
    _crm(store, tmp_path)
    folder = _folder(tmp_path, "discovery.vtt")
    mapping = write_csv(
        tmp_path / "map.csv", ["file", "deal", "date"], [["discovery.vtt", "OPP-9", "2026-09-30"]]
    )
    result = import_calls(store, folder, classifier, CallImportOptions(mapping=mapping))
    assert (result.linked, result.nos_added, result.nos_enriched) == (1, 1, 0)
    with store.session() as session:
        deal = session.scalars(select(Deal).where(Deal.external_id == "OPP-9")).one()
        heard = session.scalars(select(No).where(No.source == "call")).one()
        labels = session.scalars(select(ReasonLabel.category).where(ReasonLabel.no_id == heard.id))
        assert deal.status == "open"
        assert heard.deal_id == deal.id
        assert heard.occurred_on == dt.date(2026, 9, 30)
        assert heard.ended_by == "them"
        assert heard.verbatim == (
            "Yeah. I think we'll pass for now, money is really tight this year. "
            "If our budget comes back in January we could look again."
        )
        assert "market.budget" in set(labels)
        assert heard.reason_understood is True


def test_a_call_explains_a_crm_no_that_had_no_reason_instead_of_adding_another(
    store: Store, tmp_path: Path, classifier: Classifier
) -> None:
    _crm(store, tmp_path)
    folder = _folder(tmp_path, "discovery.vtt")
    mapping = write_csv(tmp_path / "map.csv", ["file", "deal"], [["discovery.vtt", "OPP-7"]])
    result = import_calls(store, folder, classifier, CallImportOptions(mapping=mapping))
    assert (result.nos_added, result.nos_enriched) == (0, 1)
    with store.session() as session:
        no = session.scalars(select(No)).one()
        assert no.source != "call" and no.occurred_on == dt.date(2026, 10, 2)
        assert no.verbatim is not None and "money is really tight" in no.verbatim
        assert no.reason_understood is True
        call = session.scalars(select(Conversation)).one()
        assert call.no_id == no.id


def test_a_no_heard_on_a_deal_later_won_stays_in_the_call_only(
    store: Store, tmp_path: Path, classifier: Classifier
) -> None:
    _crm(store, tmp_path)
    folder = _folder(tmp_path, "discovery.vtt")
    mapping = write_csv(tmp_path / "map.csv", ["file", "deal"], [["discovery.vtt", "OPP-8"]])
    result = import_calls(store, folder, classifier, CallImportOptions(mapping=mapping))
    assert (result.linked, result.nos_added, result.nos_enriched) == (1, 0, 0)
    assert _count(store, No) == 1  # OPP-7's no from the CRM, nothing more


def test_a_file_named_after_a_deal_is_linked_to_it(
    store: Store, tmp_path: Path, classifier: Classifier
) -> None:
    _crm(store, tmp_path)
    folder = tmp_path / "calls"
    folder.mkdir()
    shutil.copy(CALLS / "discovery.vtt", folder / "OPP-7__discovery.vtt")
    import_calls(store, folder, classifier)
    with store.session() as session:
        call = session.scalars(select(Conversation)).one()
        deal = session.get(Deal, call.deal_id)
        assert deal is not None and deal.external_id == "OPP-7"


def test_an_unlinked_call_keeps_its_no_on_a_deal_made_for_the_call(
    store: Store, tmp_path: Path, classifier: Classifier
) -> None:
    import_calls(store, _folder(tmp_path, "pushy.srt"), classifier)
    with store.session() as session:
        heard = session.scalars(select(No)).one()
        deal = session.get(Deal, heard.deal_id)
        assert deal is not None and (deal.source, deal.name) == ("call", "pushy")
        assert heard.verbatim == "We're not interested, thanks."
        assert heard.reason_understood is False


def test_an_unknown_deal_in_the_mapping_writes_nothing(
    store: Store, tmp_path: Path, classifier: Classifier
) -> None:
    folder = _folder(tmp_path, "discovery.vtt", "pushy.srt")
    mapping = write_csv(tmp_path / "map.csv", ["file", "deal"], [["discovery.vtt", "OPP-404"]])
    with pytest.raises(CallImportRejected, match="no deal 'OPP-404' in the catalog"):
        import_calls(store, folder, classifier, CallImportOptions(mapping=mapping))
    assert _count(store, Conversation) == 0


def test_a_bad_mapping_row_names_the_row_and_the_fix(store: Store, tmp_path: Path) -> None:
    folder = _folder(tmp_path, "pushy.srt")
    mapping = write_csv(
        tmp_path / "map.csv",
        ["file", "deal", "date"],
        [["pushy.srt", "OPP-7", "31/31/2026"], ["missing.vtt", "OPP-8", ""]],
    )
    with pytest.raises(InputError) as caught:
        import_calls(store, folder, None, CallImportOptions(mapping=mapping))
    message = str(caught.value)
    assert "map.csv row 2: date '31/31/2026'" in message
    assert "map.csv row 3: 'missing.vtt' is not a file" in message
    assert _count(store, Conversation) == 0


def test_an_unreadable_transcript_rejects_the_import_unless_skipped(
    store: Store, tmp_path: Path, classifier: Classifier
) -> None:
    folder = _folder(tmp_path, "pushy.srt")
    (folder / "broken.json").write_text('{"segments": [', encoding="utf-8")
    with pytest.raises(CallImportRejected) as caught:
        import_calls(store, folder, classifier)
    assert caught.value.result.problems[0].file == "broken.json"
    assert "broken.json" in str(caught.value) and "--skip-invalid" in str(caught.value)
    assert _count(store, Conversation) == 0
    result = import_calls(store, folder, classifier, CallImportOptions(skip_invalid=True))
    assert (result.imported, result.rejected) == (1, 1)
    assert _count(store, Conversation) == 1


def test_the_team_roster_decides_who_sells(
    store: Store, tmp_path: Path, classifier: Classifier
) -> None:
    folder = tmp_path / "calls"
    folder.mkdir()
    # The buyer opens and asks the questions, so the heuristic alone would get it wrong.
    (folder / "call.txt").write_text(
        "Kim: Can you tell me what this costs?\nRob: It starts at forty a month.\n"
        "Kim: Is there a free trial?\nRob: Yes, two weeks.\n",
        encoding="utf-8",
    )
    with store.session() as session, session.begin():
        session.add(Seller(name="Rob"))
    import_calls(store, folder, classifier)
    with store.session() as session:
        roles = {s: r for s, r in session.execute(select(Utterance.speaker, Utterance.role))}
    assert roles == {"Kim": "buyer", "Rob": "seller"}


def test_an_empty_folder_is_an_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no transcripts"):
        import_calls(store, tmp_path, None)


def test_the_buyer_who_said_no_can_be_forgotten_everywhere(
    store: Store, tmp_path: Path, classifier: Classifier
) -> None:
    from whyno.followup.consent import forget

    import_calls(store, _folder(tmp_path, "discovery.vtt"), classifier)
    with store.session() as session:
        heard = session.scalars(select(No)).one()
        assert heard.contact_id is not None
        contact = session.get(Contact, heard.contact_id)
        assert contact is not None and contact.name == "Dana Cruz"
    forget(store, str(heard.contact_id))
    with store.session() as session:
        assert session.scalars(select(No.verbatim)).one() is None
        texts = session.scalars(select(Utterance.text).where(Utterance.role == "buyer")).all()
        assert texts and all("tight" not in t for t in texts)
        assert session.scalar(select(func.count()).select_from(No)) == 1


def test_roster_names_speak_in_a_call_by_whole_words() -> None:
    speakers = ["Joann Lee", "Sam Ortiz (Acme)"]
    assert present_sellers(["Ann Lee", "Sam Ortiz"], speakers) == ("Sam Ortiz",)
