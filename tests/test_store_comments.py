"""A blog page's reader comments are documents of their own, even though they share the page's URL."""

from __future__ import annotations

from pathlib import Path

from strikewatch.ingest import read_paths
from strikewatch.pipeline import ingest
from strikewatch.store import Store
from strikewatch.store.urls import canonical_url, identity_url

REPORTS = Path(__file__).resolve().parent.parent / "samples" / "reports"
BLOG = REPORTS / "2016-11-23_ceasefire-notebook-tanker-trucks.html"


def test_comment_anchor_is_part_of_a_comments_identity() -> None:
    page = "https://Blog.example/2016/11/trucks/?utm_source=x#comment-3"
    assert canonical_url(page) == "https://blog.example/2016/11/trucks"
    assert identity_url(page, parent_id=None) == "https://blog.example/2016/11/trucks"
    assert identity_url(page, parent_id="d123") == "https://blog.example/2016/11/trucks#comment-3"


def test_blog_comments_are_stored_beside_their_article(sqlite_url: str) -> None:
    docs = [d for d in read_paths([BLOG]) if not isinstance(d, Exception)]
    comments = [d for d in docs if d.kind == "comment"]
    assert comments, "the sample blog page has reader comments"
    with Store(sqlite_url) as store:
        summary = ingest(store, docs)
        assert summary.documents_failed == 0
        for c in comments:
            stored = store.document(c.id)
            assert stored is not None and stored["kind"] == "comment"
            assert stored["parent_id"] == c.parent_id
        again = ingest(store, docs)
        assert again.documents_new == 0 and again.documents_unchanged == len(docs)
