from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from whyno.brief.brief import load_prospect, make_brief
from whyno.brief.profile import load_profile
from whyno.cli import app
from whyno.errors import InputError
from whyno.store import Store

PROFILE = Path(__file__).resolve().parents[2] / "src" / "whyno" / "demo" / "larkspur_profile.yaml"
SCARCITY = re.compile(
    r"\b(today only|last chance|limited|expires?|hurry|only \d+ left|deadline)\b", re.I
)


def _traced(brief, profile) -> None:  # type: ignore[no-untyped-def]
    """Every reason, option, question and talk track comes from a profile entry, in its words."""
    texts = {
        e.id: e
        for e in (
            *profile.for_rules,
            *profile.not_for,
            *profile.limitations,
            *profile.competitors,
            *profile.price,
        )
    }
    for item in [*brief.reasons, *brief.better_options, *brief.questions, *brief.talk_tracks]:
        assert item.source in profile.ids, item
        entry = texts[item.source]
        words = getattr(entry, "description", None) or getattr(entry, "better_for", "")
        assert words.lower() in item.text.lower(), (item.text, words)
        assert not SCARCITY.search(item.text), item.text


def test_a_fit_prospect() -> None:
    profile = load_profile(PROFILE)
    brief = make_brief(
        profile,
        {
            "name": "Summit HVAC",
            "industry": "HVAC",
            "size": "51-200",
            "needs": ["dispatch board"],
            "notes": "tired of paper work orders",
        },
    )
    assert brief.verdict == "fit"
    assert brief.reasons == []
    assert {q.source for q in brief.questions} == {
        "lim.offline",
        "lim.spanish",
        "lim.fleet",
        "price.model",
    }
    _traced(brief, profile)


def test_a_not_fit_prospect_with_every_reason_traced() -> None:
    profile = load_profile(PROFILE)
    brief = make_brief(
        profile,
        {
            "name": "Tiny Drains",
            "industry": "Plumbing",
            "size": "1-10",
            "needs": ["SAP integration"],
            "notes": "Most of our crew prefers their own language. Jobs are in basements.",
        },
    )
    assert brief.verdict == "not a fit"
    sources = [r.source for r in brief.reasons]
    assert sources[0] == "not.tiny"  # strongest first
    assert {"not.tiny", "for.size", "lim.offline", "comp.servicegrid"} <= set(sources)
    assert [o.text.split(":")[0] for o in brief.better_options] == ["Dispatchly", "ServiceGrid"]
    assert len(brief.talk_tracks) == 9
    assert {t.style for t in brief.talk_tracks} == {"detached", "hint", "empathetic"}
    _traced(brief, profile)


def test_notes_match_limitations_by_meaning() -> None:
    profile = load_profile(PROFILE)
    brief = make_brief(
        profile,
        {
            "name": "X",
            "industry": "HVAC",
            "size": "11-50",
            "notes": "We need to see where every one of our trucks is, live.",
        },
    )
    [reason] = [r for r in brief.reasons if r.source == "lim.fleet"]
    assert reason.strength == "possible" and "similarity" in reason.evidence


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("product: X\nlimitations:\n  - {id: a}\n", "'description' is required"),
        ("product: X\nnot_for:\n  - {id: a, field: size, description: d}\n", "'in' must list"),
        (
            "product: X\nlimitations:\n  - {id: a, description: d}\n  - {id: a, description: e}\n",
            "used twice",
        ),
        ("product: X\nprice:\n  - {id: p, description: d, colour: red}\n", "unknown key(s) colour"),
        ("nothing: here\n", "expected a mapping with at least 'product'"),
    ],
)
def test_bad_profiles_are_refused_clearly(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_profile(path)
    assert message in str(caught.value) and "profile.yaml" in str(caught.value)


def test_prospect_files_and_accounts(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"name": "J", "size": "1-10"}), encoding="utf-8")
    assert load_prospect(str(path))["size"] == "1-10"
    with pytest.raises(InputError, match="no such prospect file"):
        load_prospect(str(tmp_path / "missing.yaml"))
    from whyno.nos.entry import NoEntry, log_no

    log_no(
        store,
        NoEntry(
            deal="d",
            account="Acme",
            industry="HVAC",
            size="11-50",
            reason="no offline mode for the crews",
        ),
    )
    prospect = load_prospect("acme", store)
    assert (prospect["name"], prospect["industry"]) == ("Acme", "HVAC")
    assert "offline" in prospect["notes"]


def test_brief_cli_json(db_url: str, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "name: Riverbend\nindustry: Plumbing\nsize: '11-50'\nnotes: crews work in basements\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["--db", db_url, "brief", str(path), "--profile", str(PROFILE), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"] == "risky" and data["reasons"][0]["source"] == "lim.offline"
