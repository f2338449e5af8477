"""The dashboard's static files (``static/``) and its npm manifest; no Python code."""
