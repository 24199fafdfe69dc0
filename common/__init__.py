"""Helpers every app shares and that know nothing of any app: GOV.UK form fields and widgets,
paging, append-only models, prepared statements, private downloads, emailed links. Nothing
here imports a project app (an import-linter contract in pyproject.toml holds it to that)."""
