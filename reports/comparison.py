"""Comparing two drafts of a report: each draft as plain lines per section, and the lines
removed and added between them (difflib), section by section."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from reports.drafting import OVERALL_LABELS, SECTION_TITLES, Attendance


def _lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def _rows(rows, render) -> list[str]:
    return [line for row in rows for line in render(row)]


def document_lines(content: dict) -> list[tuple[str, list[str]]]:
    """The draft as (section heading, lines), in the order the report reads."""
    views = content.get("views") or {}
    overall = content.get("overall") or {}
    return [
        ("Who was there", [f"{r['name']} ({r['role']}): {Attendance.LABELS.get(r['status'], '')}"
                           + (f". {r['note']}" if r.get("note") else "")
                           for r in content.get("attendance", [])]),
        ("The child's and family's views",
         _lines(views.get("family")) + [f"In their own words: {line}"
                                        for line in _lines(views.get("child"))]),
        ("Progress on each outcome", _rows(content.get("progress", []), lambda r: [
            f"Outcome {r['number']}: {r['outcome']}", *_lines(r["text"])])),
        ("Advice from each agency", _rows(content.get("advice", []), lambda r: [
            f"{r['who']} (version {r['version']})", *_lines(r["summary"])])),
        ("What was discussed", _rows(content.get("notes", []), lambda r: [
            r["title"], *_lines(r["text"])])),
        ("Actions agreed", [f"{r['what']}. Who: {r['who']}. By: {r['due_on'] or 'no date'}"
                            for r in content.get("actions", [])]),
        ("Recommended changes to the plan", _rows(
            [(letter, title, content.get("changes", {}).get(letter, ""))
             for letter, title in SECTION_TITLES.items()],
            lambda r: [f"Section {r[0]}: {r[1]}", *_lines(r[2])] if r[2] else [])),
        ("Overall recommendation",
         ([OVERALL_LABELS[overall["choice"]]] if overall.get("choice") else [])
         + _lines(overall.get("text")) + ([f"Agreed by: {overall['agreed_by']}"]
                                          if overall.get("agreed_by") else [])),
        ("Differences of view", [f"{r['who']} ({r['about']}): {r['text']}"
                                 for r in content.get("disagreements", [])]),
        ("Comments on the draft", [f"{r['who']}: {r['text']}"
                                   for r in content.get("comments", [])]),
    ]


@dataclass(frozen=True)
class Line:
    change: str  # "same", "removed" or "added"
    text: str


@dataclass(frozen=True)
class SectionChange:
    heading: str
    lines: list[Line]


def compare(older: dict, newer: dict) -> list[SectionChange]:
    """The sections that differ between two drafts, each with its lines marked."""
    changed = []
    for (heading, before), (_, after) in zip(document_lines(older), document_lines(newer),
                                             strict=True):
        if before == after:
            continue
        lines = []
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                lines += [Line("same", text) for text in before[a1:a2]]
                continue
            lines += [Line("removed", text) for text in before[a1:a2]]
            lines += [Line("added", text) for text in after[b1:b2]]
        changed.append(SectionChange(heading, lines))
    return changed
