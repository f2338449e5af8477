"""Write samples/annotations.jsonl, samples/incidents.json and samples/control.json from the hand-written
annotations in this folder, after checking every quoted phrase against the report it names.

Run it after changing a report or an annotation:  python samples/source/build.py
It exits non-zero (and writes nothing) when a quoted phrase cannot be found in its document, so an edited
report cannot silently drift away from what its annotation says.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import annotate
import blog_and_social  # noqa: F401 - each of these modules adds its documents to annotate.DOCS
import expectations
import make_pdf
import news  # noqa: F401
import releases  # noqa: F401
import statements  # noqa: F401

ROOT = annotate.ROOT
SHORT = {"Air/drone strike": "strike", "Shelling/artillery/missile attack": "shelling",
         "Suicide bomb": "suicide", "Armed clash": "clash", "Government regains territory": "regain",
         "Non-state actor overtakes territory": "overtake", "Non-violent transfer of territory": "transfer",
         "Attack": "attack", "Remote explosive/landmine/IED": "ied"}


def plain_text(path: str, doc_index: int | None) -> str:
    """The document's words as a reader sees them: tags dropped, entities decoded, spaces collapsed.

    For a blog page, doc_index 0 is the article (the page before the comments) and k the k-th comment;
    for a .jsonl file, doc_index is the line number from 0.
    """
    if path.endswith(".pdf"):  # the PDF's text layer is written from this text by make_pdf.py
        return re.sub(r"\s+", " ", make_pdf.TEXTS[Path(path).stem])
    raw = (ROOT / path).read_text(encoding="utf-8")
    if path.endswith(".jsonl"):
        return json.loads(raw.splitlines()[doc_index or 0])["text"]
    if path.endswith(".html"):
        if doc_index:
            raw = re.findall(r'<article class="comment".*?</article>', raw, re.S)[doc_index - 1]
        elif doc_index == 0:
            raw = raw.split('<div id="comments"')[0]
        raw = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    return re.sub(r"\s+", " ", raw)


def slug(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "unplaced").lower()).strip("-")


def add_title(doc: dict) -> None:
    """A web page's headline, so a scorer can tell a headline's event (it repeats the lead) from a new one."""
    if doc["file"].endswith(".html") and not doc["doc_index"] and "title" not in doc:
        raw = (ROOT / doc["file"]).read_text(encoding="utf-8")
        found = re.search(r"<h1[^>]*>(.*?)</h1>", raw, re.S)
        if found:
            doc["title"] = html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def check(doc: dict, problems: list[str]) -> None:
    """Every evidence, place, date, summary, negative and not-event phrase must occur in the document."""
    text = plain_text(doc["file"], doc["doc_index"])
    where = f'{doc["file"]}#{doc["doc_index"]}'
    for event in doc["events"]:
        if event["evidence"] not in text:
            problems.append(f"{where}: evidence not found: {event['evidence']!r}")
        if event["location_text"] and event["location_text"] not in text:
            problems.append(f"{where}: location_text not found: {event['location_text']!r}")
        if event["date_text"] and event["date_text"].lower() not in text.lower():
            problems.append(f"{where}: date_text not found: {event['date_text']!r}")
    for phrase in doc["not_events"] + doc["summaries"] + [n["evidence"] for n in doc["negatives"]]:
        if phrase not in text:
            problems.append(f"{where}: phrase not found: {phrase!r}")


def incident_members(docs: list[dict]) -> dict[str, list[dict]]:
    """Group events by incident key; an event without a key is an incident of its own."""
    members: dict[str, list[dict]] = defaultdict(list)
    for doc in docs:
        for i, event in enumerate(doc["events"]):
            if event["incident"] is None:
                event["incident"] = f"{slug(event['place'])}-{event['date_start'] or 'undated'}-" \
                                    f"{SHORT[event['sub_type']]}"
            members[event["incident"]].append({
                "file": doc["file"], "doc_index": doc["doc_index"], "event_index": i,
                "optional": bool(event.get("optional")), "speaker": event["speaker"],
                "modality": event["modality"]})
    return members


def incidents_json(members: dict[str, list[dict]]) -> dict:
    out = []
    for key, ms in sorted(members.items()):
        known = expectations.INCIDENTS.get(key, {})
        docs = sorted({m["file"] if m["doc_index"] is None else f'{m["file"]}#{m["doc_index"]}' for m in ms})
        single = len(docs) == 1
        out.append({"key": key, "summary": known.get("summary"), "members": ms, "documents": docs,
                    "contested": known.get("contested", False),
                    "grade": known.get("grade", "weak" if single else None),
                    "why": known.get("why", "a single document" if single else None),
                    "contradictions": known.get("contradictions", []), "copies": known.get("copies", [])})
    apart = [{"a": a, "b": b, "why": why} for a, b, why in expectations.KEEP_APART]
    return {"incidents": out, "keep_apart": apart}


def main() -> int:
    docs = annotate.DOCS
    problems: list[str] = []
    for doc in docs:
        add_title(doc)
        check(doc, problems)
    members = incident_members(docs)
    named = list(expectations.INCIDENTS) + [k for pair in expectations.KEEP_APART for k in pair[:2]]
    named += [k for place in expectations.CONTROL for period in place["timeline"]
              for k in period["incidents"]]
    problems += [f"expectations name an unknown incident: {k}" for k in named if k not in members]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    with (ROOT / "annotations.jsonl").open("w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    (ROOT / "incidents.json").write_text(
        json.dumps(incidents_json(members), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (ROOT / "control.json").write_text(
        json.dumps({"places": expectations.CONTROL}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    multi = sum(1 for ms in members.values() if len({(m["file"], m["doc_index"]) for m in ms}) > 1)
    print(f"{len(docs)} documents, {sum(len(d['events']) for d in docs)} events, {len(members)} incidents "
          f"({multi} reported by more than one document)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
