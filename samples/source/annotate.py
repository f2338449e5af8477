"""Helpers to write one annotation per document: what events it reports, which phrases are not events.

The field names are described in samples/README.md. Unknown values are None: an annotation never guesses.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TYPES = {
    "Air/drone strike": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Attack": "Violence against civilians",
    "Non-violent transfer of territory": "Strategic developments",
}
FIELDS = ["sub_type", "type", "location_text", "place", "admin1", "country", "date_start", "date_end",
          "date_text", "actor", "actor_text", "target", "target_text", "strikes", "engagements", "sorties",
          "effects", "killed", "injured", "civilians_killed", "children_killed", "speaker", "speaker_actor",
          "modality", "evidence", "incident"]

PLACES = {  # canonical name -> (country, admin1)
    "Abu Kamal": ("SY", "Deir ez-Zor"), "Raqqa": ("SY", "Raqqa"), "Deir ez-Zor": ("SY", "Deir ez-Zor"),
    "Mosul": ("IQ", "Nineveh"), "Qayyarah": ("IQ", "Nineveh"), "Bashir": ("IQ", "Kirkuk"),
    "Tal Afar": ("IQ", "Nineveh"), "Ramadi": ("IQ", "Anbar"), "Rutba": ("IQ", "Anbar"),
    "Kisik": ("IQ", "Nineveh"), "Sinjar": ("IQ", "Nineveh"), "Haditha": ("IQ", "Anbar"),
    "Rawa": ("IQ", "Anbar"), "Ain Issa": ("SY", "Raqqa"), "Hawija": ("IQ", "Kirkuk"),
    "Al-Qaim": ("IQ", "Anbar"), "Shaddadi": ("SY", "Al-Hasakah"), "Hit": ("IQ", "Anbar"),
    "Palmyra": ("SY", "Homs"), "Bartella": ("IQ", "Nineveh"), "Dabiq": ("SY", "Aleppo"),
    "Soran": ("SY", "Aleppo"), "Ihtimaliyah": ("SY", "Aleppo"), "Akhtarin": ("SY", "Aleppo"),
    "Talbiseh": ("SY", "Homs"), "Morek": ("SY", "Hama"), "Kafr Takharim": ("SY", "Idlib"),
    "al-Qaryatayn": ("SY", "Homs"), "Maarat al-Numan": ("SY", "Idlib"), "Tal Saman": ("SY", "Raqqa"),
    "al-Hisha": ("SY", "Raqqa"), "Gogjali": ("IQ", "Nineveh"), "Hanano": ("SY", "Aleppo"),
    "Jabal Badro": ("SY", "Aleppo"), "Sheikh Saeed": ("SY", "Aleppo"), "Bustan al-Qasr": ("SY", "Aleppo"),
    "al-Furqan": ("SY", "Aleppo"), "Salah al-Din": ("SY", "Aleppo"), "al-Tabni": ("SY", "Deir ez-Zor"),
    "Aleppo": ("SY", "Aleppo"), "Idlib": ("SY", "Idlib"), "al-Mayadin": ("SY", "Deir ez-Zor"),
    "Homs": ("SY", "Homs"), "Jisr al-Shughur": ("SY", "Idlib"), "Saraqib": ("SY", "Idlib"),
    "Badana": ("IQ", "Nineveh"), "Kani Harami": ("IQ", "Nineveh"), "Tarmiyah": ("IQ", "Baghdad"),
}
SPEAKER_ACTOR = {
    "CJTF-OIR": "Coalition", "coalition": "Coalition", "coalition spokesman": "Coalition",
    "Russian Ministry of Defence": "Russia", "Iraqi Ministry of Defence": "Iraqi security forces",
    "Joint Operations Command": "Iraqi security forces", "Iraqi military spokesman": "Iraqi security forces",
    "Iraqi air force officer": "Iraqi security forces", "@IraqJOC_en": "Iraqi security forces",
    "Turkish General Staff": "Turkey", "SANA": "Syrian government forces",
    "military source": "Syrian government forces", "Syrian army command": "Syrian government forces",
    "Hezbollah's military media unit": "Hezbollah", "SDF": "SDF", "SDF spokeswoman": "SDF",
    "@SDF_Press_EN": "SDF", "rebel officials": "Syrian opposition", "rebel spokesman": "Syrian opposition",
    "Abu Yasser al-Homsi": "Syrian opposition", "Syrian state media": "Syrian government forces",
}


def ev(sub_type, location_text, place, date_start, date_end=None, *, actor=None, actor_text=None,
       target=None, target_text=None, strikes=None, engagements=None, sorties=None, effects=(),
       killed=None, injured=None, civilians_killed=None, children_killed=None, speaker=None,
       modality="asserted", evidence, incident=None, date_text=None, **extra):
    country, admin1 = PLACES[place] if place else (extra.pop("country", None), None)
    d = {
        "sub_type": sub_type, "type": TYPES[sub_type], "location_text": location_text, "place": place,
        "admin1": admin1, "country": country, "date_start": date_start, "date_end": date_end or date_start,
        "date_text": date_text, "actor": actor, "actor_text": actor_text, "target": target,
        "target_text": target_text, "strikes": strikes, "engagements": engagements, "sorties": sorties,
        "effects": [{"verb": v, "count": c, "object": o} for v, c, o in effects],
        "killed": killed, "injured": injured, "civilians_killed": civilians_killed,
        "children_killed": children_killed, "speaker": speaker,
        "speaker_actor": SPEAKER_ACTOR.get(speaker) if speaker else None,
        "modality": modality, "evidence": evidence, "incident": incident,
    }
    if date_start is None:
        d["date_end"] = None
    d.update(extra)
    return d


def strike(loc, place, day, n, eng, effects, evidence, incident=None, *, day_end=None, date_text=None,
           target_text=None):
    """A coalition release line: the Coalition's own statement about its strikes on ISIS."""
    return ev("Air/drone strike", loc, place, day, day_end, actor="Coalition",
              actor_text="Coalition military forces", target="ISIS", target_text=target_text, strikes=n,
              engagements=eng, effects=effects,
              speaker="CJTF-OIR", modality="asserted", evidence=evidence, incident=incident,
              date_text=date_text)


def neg(country, day, evidence, day_end=None):
    return {"country": country, "date_start": day, "date_end": day_end or day, "evidence": evidence}


DOCS = []


def doc(file, published, kind, events=(), negatives=(), not_events=(), doc_index=None, summaries=(), **extra):
    d = {"file": file, "doc_index": doc_index, "published": published, "kind": kind,
         "events": list(events), "negatives": list(negatives), "not_events": list(not_events),
         "summaries": list(summaries)}
    d.update(extra)
    DOCS.append(d)
