"""Near-copies: republished and lightly rewritten stories are found; different stories are not."""

from __future__ import annotations

from strikewatch.fuse.copies import (
    Signature,
    band_keys,
    containment,
    find_copy,
    is_copy,
    resemblance,
    signature,
)

ORIGINAL = (
    "Warplanes struck a fuel depot on the eastern edge of Tal Hamra early on Tuesday, residents said, "
    "setting off fires that burned for hours. A local monitoring group said four guards were killed and two "
    "tanker trucks destroyed. The group said the aircraft approached from the south and made two passes "
    "before turning back toward the river. No side has yet claimed the raid, and the ministry did not "
    "answer calls."
)
REWRITE = (
    "WIRE - Warplanes struck a fuel depot on the eastern edge of Tal Hamra early on Tuesday, residents said, "
    "setting off fires that burned for hours. A local monitoring group said four guards were killed and two "
    "tanker trucks were destroyed. The group said the aircraft approached from the south and made two passes "
    "before turning back toward the river. No side has yet claimed the raid."
)
QUOTED = (
    "Our correspondent adds context below. " + ORIGINAL + " The depot had changed hands twice this year, "
    "and traders in the town say fuel prices have doubled since the spring, as convoys from the east stopped."
)
OTHER = (
    "Shelling hit the northern quarter of Kafr Example on Sunday evening, a doctor at the field clinic said. "
    "Three people were wounded and a water tank was damaged. Government artillery positions on the hills "
    "west of the town have fired on the quarter several times this month, according to the council."
)


def test_a_rewrite_and_a_quotation_are_copies_and_another_story_is_not():
    candidates = {"orig": signature(ORIGINAL), "other": signature(OTHER)}
    assert find_copy(REWRITE, candidates) == "orig"
    assert find_copy(QUOTED, candidates) == "orig"
    assert find_copy(OTHER + " Updated at noon.", {"orig": signature(ORIGINAL)}) is None
    assert resemblance(signature(REWRITE), signature(ORIGINAL)) > 0.6
    assert containment(signature(ORIGINAL), signature(QUOTED)) > 0.8
    assert resemblance(signature(OTHER), signature(ORIGINAL)) < 0.2


def test_signature_is_compact_stable_and_round_trips():
    sig = signature(ORIGINAL)
    raw = sig.to_bytes()
    assert len(raw) == 4 + 64 * 4
    assert Signature.from_bytes(raw) == sig == signature(ORIGINAL)
    assert Signature.from_hex(sig.to_hex()) == sig
    # candidates may be stored bytes or raw text
    assert find_copy(REWRITE, [("a", raw)]) == "a"
    assert find_copy(REWRITE, [("t", ORIGINAL)]) == "t"
    # whitespace and case do not matter
    assert signature(ORIGINAL.upper().replace(" ", "  ")) == sig


def test_band_keys_let_copies_meet():
    a, b, c = (band_keys(signature(t)) for t in (ORIGINAL, REWRITE, OTHER))
    assert set(a) & set(b)
    assert not set(a) & set(c)
    assert len(a) == 16


def test_short_and_empty_texts():
    assert not is_copy(signature(""), signature(""))
    assert find_copy("Strike near the bridge.", {"x": signature("Strike near the bridge.")}) == "x"
    assert find_copy("Strike near the bridge.", {"x": signature("Shelling near the mill.")}) is None
