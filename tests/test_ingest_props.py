"""Properties: whatever bytes arrive, a reader returns Documents or raises DocumentError, nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strikewatch.errors import DocumentError
from strikewatch.ingest import read_bytes, read_text
from strikewatch.ingest.dateline import find_dateline
from strikewatch.records import Document

CONTENT_TYPES = st.sampled_from([None, "text/plain", "text/html", "application/pdf",
                                 "application/octet-stream"])
MARKUP = st.lists(st.sampled_from(["<p>", "</p>", "<div class='comment' id='comment-1'>", "</div>",
                                   "<li class=comment>", "<time datetime='2017-02-30'>", "<script>", "&amp;",
                                   "Shelling hit the town.", " ", "\n", "<!--", "-->", "<html>", "<body>",
                                   "<ol class='children'>", "%PDF-", "\x00", "é", "قصف"]), max_size=60)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(result: list[Document]) -> None:
    assert result, "a reader returns at least one Document or raises"
    for doc in result:
        assert isinstance(doc, Document) and doc.text.strip() and doc.id
        assert doc.text == doc.text.strip()


@SETTINGS
@given(data=st.binary(max_size=3000), content_type=CONTENT_TYPES)
def test_any_bytes(data: bytes, content_type: str | None) -> None:
    try:
        _check(read_bytes(data, source="fuzz", content_type=content_type))
    except DocumentError as exc:
        assert exc.source == "fuzz" and exc.message


@SETTINGS
@given(parts=MARKUP, content_type=st.sampled_from([None, "text/html", "text/plain"]))
def test_any_markup(parts: list[str], content_type: str | None) -> None:
    text = "".join(parts)
    try:
        result = read_text(text, source="fuzz", content_type=content_type)
    except DocumentError:
        return
    _check(result)
    if content_type == "text/html":
        for doc in result:
            assert "<p>" not in doc.text and "<div" not in doc.text


@SETTINGS
@given(text=st.text(max_size=400))
def test_dateline_never_raises(text: str) -> None:
    found = find_dateline(text)
    assert found is None or found.date.year >= 1990
