"""ingest stage: files, directories, web pages and feeds in, ``records.Document`` out.

Bad input never raises out of ``read_paths``: each unreadable document is yielded as a
``DocumentError`` in its place and the batch goes on.
"""

from strikewatch.errors import DocumentError
from strikewatch.ingest.files import DEFAULT_MAX_BYTES, read_bytes, read_file, read_paths, read_text

__all__ = ["DEFAULT_MAX_BYTES", "DocumentError", "read_bytes", "read_file", "read_paths", "read_text"]
