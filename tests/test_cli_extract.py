"""`strikewatch extract`: the real installed command, its JSON validated against the contract."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

NULL_STR = {"type": ["string", "null"]}
NULL_INT = {"type": ["integer", "null"]}
NULL_NUM = {"type": ["number", "null"]}

EVENT_SCHEMA = {
    "type": "object",
    "required": [
        "id",
        "doc_id",
        "type",
        "sub_type",
        "date",
        "actor",
        "target",
        "location",
        "quantities",
        "effects",
        "fatalities",
        "claim",
        "evidence",
    ],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "doc_id": {"type": "string", "minLength": 1},
        "type": {
            "enum": [
                "Explosions/Remote violence",
                "Battles",
                "Violence against civilians",
                "Strategic developments",
                "Protests",
                "Riots",
            ]
        },
        "sub_type": {"type": "string", "minLength": 1},
        "date": {
            "type": "object",
            "required": ["start", "end", "precision", "text"],
            "properties": {
                "start": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                "end": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                "precision": {"enum": ["day", "range", "week", "month", "year", None]},
                "text": NULL_STR,
            },
        },
        "actor": {
            "type": "object",
            "required": ["text", "name", "country"],
            "properties": {"text": NULL_STR, "name": NULL_STR, "country": NULL_STR},
        },
        "target": {
            "type": "object",
            "required": ["text", "name"],
            "properties": {"text": NULL_STR, "name": NULL_STR},
        },
        "location": {
            "type": "object",
            "required": ["text", "name", "country", "admin1", "lat", "lon", "precision", "gazetteer_id"],
            "properties": {
                "text": NULL_STR,
                "name": NULL_STR,
                "country": NULL_STR,
                "admin1": NULL_STR,
                "lat": NULL_NUM,
                "lon": NULL_NUM,
                "precision": {"enum": [1, 2, 3, None]},
                "gazetteer_id": NULL_STR,
            },
        },
        "quantities": {
            "type": "object",
            "required": ["strikes", "engagements", "sorties"],
            "properties": {"strikes": NULL_INT, "engagements": NULL_INT, "sorties": NULL_INT},
        },
        "effects": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["verb", "count", "object"],
                "properties": {"verb": {"type": "string"}, "count": NULL_INT, "object": {"type": "string"}},
            },
        },
        "fatalities": {
            "type": "object",
            "required": ["killed", "injured", "civilians_killed", "children_killed", "whose"],
            "properties": {
                "killed": NULL_INT,
                "injured": NULL_INT,
                "civilians_killed": NULL_INT,
                "children_killed": NULL_INT,
                "whose": NULL_STR,
            },
        },
        "claim": {
            "type": "object",
            "required": ["speaker", "modality"],
            "properties": {
                "speaker": NULL_STR,
                "modality": {"enum": ["asserted", "claimed", "reported", "denied", "disputed"]},
            },
        },
        "evidence": {
            "type": "object",
            "required": ["sentence", "start", "end"],
            "properties": {
                "sentence": {"type": "string", "minLength": 1},
                "start": {"type": "integer", "minimum": 0},
                "end": {"type": "integer", "minimum": 0},
            },
        },
    },
}

OUTPUT_SCHEMA = {
    "type": "object",
    "required": ["documents"],
    "properties": {
        "documents": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "published", "outlet", "events"],
                "properties": {
                    "id": {"type": "string"},
                    "published": NULL_STR,
                    "outlet": NULL_STR,
                    "events": {"type": "array", "items": EVENT_SCHEMA},
                    "negatives": {"type": "array"},
                },
            },
        }
    },
}

RELEASE = """April 12, 2017
FOR IMMEDIATE RELEASE
SOUTHWEST ASIA -- On April 11, Coalition military forces conducted 4 strikes against ISIS in Syria and Iraq.
Syria
* Near Tabqa, three strikes consisting of five engagements destroyed an ISIS boat and two fighting positions.
Iraq
* Near Baaj, one strike struck an ISIS tactical unit.
There were no reported strikes in Iraq on April 10.
"""

NEWS = (
    "Turkish jets struck YPG positions near Tal Rifaat on Tuesday, killing six fighters, the Turkish "
    "General Staff said. Kurdish officials called the account groundless.\n"
)


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    (tmp_path / "release.txt").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "news.txt").write_text(NEWS, encoding="utf-8")
    return tmp_path


def test_json_output_matches_the_contract(cli, reports: Path):
    """With the gazetteer: the places of the release lines get coordinates."""
    result = cli(
        "extract",
        str(reports / "release.txt"),
        str(reports / "news.txt"),
        "--published",
        "2017-04-12",
        "--outlet",
        "Test Desk",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, OUTPUT_SCHEMA)
    docs = data["documents"]
    assert len(docs) == 2
    release = next(d for d in docs if any(e["quantities"]["strikes"] for e in d["events"]))
    assert release["published"] == "2017-04-12" and release["outlet"] == "Test Desk"
    assert [
        (e["location"]["text"], e["location"]["country"], e["quantities"]["strikes"], e["date"]["start"])
        for e in release["events"]
    ] == [("Near Tabqa", "SY", 3, "2017-04-11"), ("Near Baaj", "IQ", 1, "2017-04-11")]
    assert release["events"][0]["quantities"]["engagements"] == 5
    assert release["negatives"][0]["country"] == "IQ"
    assert release["events"][0]["location"]["lat"] is not None
    text = RELEASE
    for ev in release["events"]:
        assert ev["doc_id"] == release["id"]
        assert text[ev["evidence"]["start"] : ev["evidence"]["end"]] == ev["evidence"]["sentence"]


def test_jsonl_gives_one_event_per_line_with_doc_id(cli, reports: Path):
    result = cli("extract", str(reports), "--format", "jsonl", "--published", "2017-04-12", "--no-geocode")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(lines) == 3
    for ev in lines:
        jsonschema.validate(ev, EVENT_SCHEMA)
    turkish = next(e for e in lines if e["actor"]["name"] == "Turkey")
    assert turkish["target"]["name"] == "SDF" and turkish["date"]["start"] == "2017-04-11"
    assert turkish["fatalities"]["killed"] == 6
    assert turkish["claim"]["modality"] in ("claimed", "disputed")


def test_same_document_gets_the_same_ids(cli, reports: Path):
    args = (
        "extract",
        str(reports / "news.txt"),
        "--format",
        "jsonl",
        "--published",
        "2017-04-12",
        "--no-geocode",
    )
    a = cli(*args)
    b = cli(*args)
    assert a.stdout == b.stdout and a.stdout


def test_jsonl_input_keeps_its_ids(cli, tmp_path: Path):
    path = tmp_path / "posts.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "post-77",
                "text": "Shelling hit the Salah al-Din district of Aleppo this "
                "morning, three people injured.",
                "published": "2016-11-21",
                "outlet": "@citizen",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    result = cli("extract", str(path), "--no-geocode")
    assert result.returncode == 0, result.stderr
    [doc] = json.loads(result.stdout)["documents"]
    assert doc["id"] == "post-77" and doc["published"] == "2016-11-21"
    assert [e["sub_type"] for e in doc["events"]] == ["Shelling/artillery/missile attack"]


def test_bad_documents_are_reported_and_the_batch_goes_on(cli, reports: Path):
    (reports / "empty.txt").write_text("", encoding="utf-8")
    (reports / "binary.pdf").write_bytes(b"%PDF-1.4\n\x00\x01\x02 truncated")
    result = cli("extract", str(reports), "--format", "jsonl", "--no-geocode")
    assert result.returncode == 0
    errors = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(errors) == 2 and all(x.startswith("strikewatch: ") for x in errors)
    assert "Traceback" not in result.stderr
    assert result.stdout.strip()


def test_nothing_readable_exits_non_zero(cli, tmp_path: Path):
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    result = cli("extract", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"), "--no-geocode")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("strikewatch: no document could be read")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--published", "12/04/2017"], "--published"),
        (["--format", "xml"], "--format"),
        (["--kind", "rumour"], "kind"),
    ],
)
def test_user_mistakes_are_one_sentence(cli, reports: Path, args, words):
    result = cli("extract", str(reports / "news.txt"), "--no-geocode", *args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and words in lines[0]


def test_places_lists_every_mentioned_place_geocoded_or_null(cli, tmp_path: Path):
    path = tmp_path / "story.txt"
    path.write_text(
        "Government aircraft struck the town of Saraqib in Idlib province on Tuesday, a monitor said. "
        "Fighting went on near Aleppo, where a clinic was damaged. The town was hit again at night.",
        encoding="utf-8",
    )
    result = cli("extract", str(path), "--published", "2016-03-16", "--places")
    assert result.returncode == 0, result.stderr
    [doc] = json.loads(result.stdout)["documents"]
    text = path.read_text(encoding="utf-8")
    by_name = {p["name"]: p for p in doc["places"]}
    for p in doc["places"]:
        assert text[p["start"] : p["end"]] == p["text"]  # document offsets, traceable to the source
    saraqib = by_name["Saraqib"]["location"]
    assert saraqib["country"] == "SY" and saraqib["admin1"] == "Idlib" and saraqib["lat"] is not None
    assert by_name["Aleppo"]["location"]["precision"] == 2  # "near" Aleppo
    # common nouns are mentions without a guessed point
    assert by_name["a clinic"]["location"] is None and by_name["The town"]["location"] is None
    plain = json.loads(cli("extract", str(path), "--published", "2016-03-16").stdout)["documents"][0]
    assert "places" not in plain and plain["events"] == doc["events"]


def test_places_need_the_json_format(cli, tmp_path: Path):
    path = tmp_path / "story.txt"
    path.write_text("Shelling hit Douma on Monday.", encoding="utf-8")
    result = cli("extract", str(path), "--format", "jsonl", "--places")
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.strip().count("\n") == 0 and "--places" in result.stderr
