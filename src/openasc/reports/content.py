"""The human-written parts of a report, read from a content folder.

Forewords, case studies and the self-assessment's strengths are written by people; budget,
workforce and survey figures come from systems the warehouse does not hold. Both live in a
folder of Markdown files with YAML front matter and small CSV/YAML files, so that the
council edits text, not templates. `openasc report init-content DIR` writes a commented
example of each. Without a folder, reports print placeholder text marked as a draft.
"""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup
from rich.console import Console

from openasc.errors import OpenascError, UnreadableInput

TEXT_SECTIONS = ("foreword", "vision", "achievements", "complaints", "next-steps")
PLACEHOLDER_TITLES = {
    "foreword": "Foreword",
    "vision": "Our vision and priorities",
    "achievements": "What we achieved this year",
    "complaints": "Complaints and compliments",
    "next-steps": "What we will do next",
}
def _examples() -> Path:
    return Path(str(resources.files("openasc.reports").joinpath("templates", "content")))


_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.S)
_md = MarkdownIt("commonmark", {"html": False})


@dataclass(frozen=True)
class Text:
    """One human-written section: its title, its body as HTML, and the file it came from."""

    key: str
    title: str
    html: Markup
    source: str
    draft: bool = False
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Content:
    folder: Path | None
    texts: dict[str, Text] = field(default_factory=dict)
    case_studies: list[Text] = field(default_factory=list)
    budget: list[dict[str, Any]] = field(default_factory=list)
    workforce: dict[str, Any] | None = None
    survey: dict[str, Any] | None = None
    themes: dict[int, Text] = field(default_factory=dict)
    statements: dict[str, Text] = field(default_factory=dict)
    plan: list[dict[str, str]] = field(default_factory=list)


def markdown(text: str, shift: int = 2) -> Markup:
    """Markdown to HTML with raw HTML disabled; headings moved down `shift` levels so that
    a writer's '# Heading' never competes with the report's own h1 and h2."""
    html = _md.render(text)

    def move(m: re.Match[str]) -> str:
        return f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}"
    return Markup(re.sub(r"<(/?)h([1-6])", move, html))


def read_markdown(path: Path, folder: Path) -> tuple[dict[str, Any], str]:
    try:
        raw = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(f"{path}: cannot be read as UTF-8 text ({exc}).") from exc
    m = _FRONT.match(raw)
    if not m:
        return {}, raw
    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        raise OpenascError(f"{path}: the front matter between the --- lines is not valid "
                           f"YAML ({exc}).") from exc
    if not isinstance(meta, dict):
        raise OpenascError(f"{path}: the front matter must be YAML keys and values "
                           "(e.g. 'title: Foreword').")
    return meta, m.group(2)


def _line(text: str) -> str:
    """A line of text compared with the template's: list markers, emphasis and spacing go."""
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", text)
    return " ".join(text.replace("*", "").replace("_", " ").split()).lower()


def _lines(body: str, meta: dict[str, Any]) -> set[str]:
    """The lines a writer wrote: the body's lines and the items of front-matter lists."""
    items = [str(i) for v in meta.values() if isinstance(v, list) for i in v]
    return {x for x in map(_line, body.splitlines() + items) if len(x) >= 12}


@cache
def template_lines() -> frozenset[str]:
    """Every line of example text and every example list item that `report init-content`
    writes: a document that still prints one of them is not ready to publish."""
    out: set[str] = set()
    for path in _examples().rglob("*.md"):
        meta, body = read_markdown(path, path.parent)
        out |= _lines(body, {k: v for k, v in meta.items() if k != "signed_by"})
    return frozenset(out)


def _text(key: str, path: Path, folder: Path) -> Text:
    meta, body = read_markdown(path, folder)
    title = str(meta.get("title") or PLACEHOLDER_TITLES.get(key, path.stem.replace("-", " ")
                                                              .capitalize()))
    unedited = bool(_lines(body, meta) & template_lines()) or meta.get("signed_by") == \
        _template_signatures()
    return Text(key=key, title=title, html=markdown(body), source=str(path.relative_to(folder)),
                draft=unedited, meta=meta)


@cache
def _template_signatures() -> list[Any]:
    meta, _ = read_markdown(_examples() / "foreword.md", _examples())
    return list(meta.get("signed_by") or [])


def _case_study(path: Path, folder: Path) -> Text:
    """A case study is a real person's story: print it only with their consent or with
    their name changed (reports.md §1, item 12)."""
    text = _text("case-study", path, folder)
    if text.meta.get("consent") is not True and text.meta.get("name_changed") is not True:
        raise OpenascError(
            f"{path}: this case study has neither 'consent: true' nor 'name_changed: true' in "
            "its front matter. A case study may be published only when the person agreed to "
            "it or their name has been changed; add the one that is true, or remove the file."
        )
    return text


def _yaml_file(path: Path) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(path.read_text("utf-8")) or {}
    except yaml.YAMLError as exc:
        raise OpenascError(f"{path}: is not valid YAML ({exc}).") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(f"{path}: cannot be read ({exc}).") from exc
    items = doc.get("items") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise OpenascError(f"{path}: expected 'year:' and a list 'items:' (see the example "
                           "written by `openasc report init-content`).")
    return doc


def _check_items(path: Path, doc: dict[str, Any], label: str, number: str) -> None:
    for i, item in enumerate(doc["items"], start=1):
        if not isinstance(item, dict) or label not in item:
            raise OpenascError(f"{path}: item {i} has no '{label}'; expected '{label}:' and "
                               f"'{number}:'.")
        if not isinstance(item.get(number), (int, float)) or isinstance(item.get(number), bool):
            raise OpenascError(f"{path}: item {i} ('{item[label]}'), field '{number}': "
                               f"expected a number, found {item.get(number)!r}.")


def _budget(path: Path) -> list[dict[str, Any]]:
    try:
        rows = list(csv.DictReader(path.read_text("utf-8-sig").splitlines()))
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(f"{path}: cannot be read as a UTF-8 CSV file ({exc}).") from exc
    out = []
    for n, r in enumerate(rows, start=2):
        if set(r) != {"year", "category", "amount_gbp"}:
            raise OpenascError(f"{path}: expected the header year,category,amount_gbp.")
        try:
            amount = float(r["amount_gbp"].replace(",", ""))
        except ValueError:
            raise OpenascError(f"{path}: row {n}, field amount_gbp: {r['amount_gbp']!r} is "
                               "not a number; expected pounds, e.g. 1250000.") from None
        category = r["category"].strip()
        out.append({"year": r["year"].strip(), "category": category, "amount_gbp": amount,
                    "row": n, "placeholder": amount == 0 and category in _template_zeros(
                        "budget.csv")})
    return out


@cache
def _template_zeros(name: str) -> frozenset[str]:
    """The labels to which the template gives a placeholder value of 0: a 0 still beside
    one of them is the template's, not the council's figure."""
    path = _examples() / name
    if name.endswith(".csv"):
        rows = csv.DictReader(path.read_text("utf-8").splitlines())
        return frozenset(r["category"] for r in rows if float(r["amount_gbp"]) == 0)
    items = (yaml.safe_load(path.read_text("utf-8")) or {}).get("items") or []
    return frozenset(str(i.get("label") or i.get("question")) for i in items
                     if (i.get("value") if "value" in i else i.get("percent")) == 0)


def _mark_placeholders(doc: dict[str, Any], name: str, label: str, number: str) -> None:
    for item in doc["items"]:
        item["placeholder"] = item[number] == 0 and str(item[label]) in _template_zeros(name)


def load_content(folder: Path | None) -> Content:
    """Read a content folder; every part is optional. None gives draft placeholders."""
    if folder is None:
        return placeholder_content()
    if not folder.is_dir():
        raise UnreadableInput(f"--content {folder}: there is no such folder. Create one with "
                              f"`openasc report init-content {folder}`.")
    content = Content(folder=folder)
    for key in TEXT_SECTIONS:
        path = folder / f"{key}.md"
        if path.is_file():
            content.texts[key] = _text(key, path, folder)
    for path in sorted((folder / "case-studies").glob("*.md")):
        content.case_studies.append(_case_study(path, folder))
    if (folder / "budget.csv").is_file():
        content.budget = _budget(folder / "budget.csv")
    if (folder / "workforce.yaml").is_file():
        content.workforce = _yaml_file(folder / "workforce.yaml")
        _check_items(folder / "workforce.yaml", content.workforce, "label", "value")
        _mark_placeholders(content.workforce, "workforce.yaml", "label", "value")
    if (folder / "survey.yaml").is_file():
        content.survey = _yaml_file(folder / "survey.yaml")
        _check_items(folder / "survey.yaml", content.survey, "question", "percent")
        _mark_placeholders(content.survey, "survey.yaml", "question", "percent")
    sa = folder / "self-assessment"
    for n in range(1, 5):
        if (sa / f"theme-{n}.md").is_file():
            content.themes[n] = _text(f"theme-{n}", sa / f"theme-{n}.md", folder)
    for path in sorted(sa.glob("*.md")):
        if not path.stem.startswith("theme-"):
            content.statements[path.stem] = _text(path.stem, path, folder)
    if (sa / "improvement-plan.csv").is_file():
        try:
            content.plan = list(csv.DictReader(
                (sa / "improvement-plan.csv").read_text("utf-8-sig").splitlines()))
        except (OSError, UnicodeDecodeError) as exc:
            raise UnreadableInput(f"{sa / 'improvement-plan.csv'}: cannot be read ({exc}).") \
                from exc
    return content


@cache
def _template_plan() -> tuple[dict[str, str], ...]:
    text = (_examples() / "self-assessment" / "improvement-plan.csv").read_text("utf-8")
    return tuple(csv.DictReader(text.splitlines()))


def template_plan_row(row: dict[str, str]) -> bool:
    """Whether an improvement-plan row is still the template's example row."""
    return any(all((row.get(k) or "").strip() == v for k, v in ex.items())
               for ex in _template_plan())


# Printed in the document, so in the reader's words: how to replace it is said on the console.
PLACEHOLDER_TEXT = "*Draft: this section is still to be written by the council.*"


def placeholder_content() -> Content:
    """Built-in text, clearly marked as a draft to be replaced, for a report with no folder."""
    content = Content(folder=None)
    for key, title in PLACEHOLDER_TITLES.items():
        content.texts[key] = Text(key=key, title=title,
                                  html=markdown(PLACEHOLDER_TEXT),
                                  source="built-in placeholder", draft=True)
    return content




def init_content_command(folder: Path, console: Console) -> list[Path]:
    """Write a commented example of every human-written section and input file.

    Refuses to overwrite a file already there: the folder holds a council's own words.
    """
    src = _examples()
    files = sorted(p for p in src.rglob("*") if p.is_file())
    clashes = [folder / p.relative_to(src) for p in files if (folder / p.relative_to(src)).exists()]
    if clashes:
        raise OpenascError(f"{clashes[0]}: already exists; init-content does not overwrite "
                           "a council's own text. Choose a new folder or remove the file.")
    written = []
    for p in files:
        dest = folder / p.relative_to(src)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(p, dest)
        written.append(dest)
    console.print(f"Wrote {len(written)} example files to {folder}. Edit them, then run "
                  f"`openasc report local-account --content {folder} ...`.")
    return written
