"""The arithmetic a table states: rows that add up to a total row, columns that add up to a
total column, shares that add up to 100%, and each share against the counts beside it.

Every comparison allows for the rounding the figures were printed with (each figure may be
off by half its last digit, or by half the stated rounding: 2.5 when counts are rounded to
the nearest 5), so a finding means the arithmetic cannot hold whatever the unrounded
figures were. A column with a suppressed cell ([c]) can only be bounded.
"""

from __future__ import annotations

import re
from dataclasses import replace

from openasc.check.cells import Cell, is_total, read_cell
from openasc.check.claims import fmt
from openasc.check.model import Draft, Finding, Table

# Notes saying that rows overlap (one person under several categories): no total to check.
MULTI = ("more than one", "multiple categor", "counted under", "counted in more")
NOT_SUMMED = re.compile(r"\brate\b|\bper\b|%|percent|proportion|average|mean|median", re.I)
# A row that is a part of the row above ("of which: ...", "- nursing"), not another part.
PART_OF_ROW = re.compile(r"^\s*(?:of which|of whom|including|incl?\.?\b|[-–—•*])", re.I)


def check_tables(draft: Draft, round_to: int) -> list[Finding]:
    out = []
    blocks = draft.blocks
    for i, block in enumerate(blocks):
        if not isinstance(block, Table) or not block.rows:
            continue
        near = " ".join(getattr(b, "text", "") for b in blocks[max(0, i - 1):i + 2]).lower()
        if any(m in (near + " " + block.caption.lower()) for m in MULTI):
            continue  # the draft says the rows overlap: they need not add up
        grid = [[read_cell(c, round_to) for c in row] for row in block.rows]
        sums = _row_totals(block, grid) + _column_totals(block, grid)
        if round_to == 1 and "rounding" in near:
            # rounded by an amount the draft does not state: holds only if they are exact
            sums = [replace(f, severity="warning", working=f.working + " The draft says its "
                            "figures are rounded but not to what: this holds if they are "
                            "exact.") for f in sums]
        out += sums
        out += _shares(block, grid)
        out += _share_columns(block, grid)
    return out


def _name(table: Table) -> str:
    return f"'{table.caption}'" if table.caption else "the table"


def _col_name(table: Table, c: int) -> str:
    head = table.header[-1] if table.header else []
    return f"'{head[c]}'" if c < len(head) and head[c] else f"column {c + 1}"


def _adds_up(parts: list[Cell], total: Cell) -> tuple[bool, str] | None:
    """None when the cells cannot be added (words, mixed kinds); else whether they can add
    up to the total within rounding, and the working."""
    if total.value is None or not parts:
        return None
    if total.kind == "rate" or total.kind == "percent" and total.value != 100:
        return None  # rates, and percentages of different wholes, do not add up
    shown = [p for p in parts if not p.suppressed]
    if any(p.value is None or p.kind != total.kind for p in shown) or not shown:
        return None
    got = sum(p.value for p in shown)  # type: ignore[misc]
    # shares of a whole total exactly 100%, however the shares were rounded
    whole = total.kind == "percent" and total.value == 100
    slack = sum(p.half for p in shown) + (0 if whole else total.half) + 1e-9
    sums = " + ".join(p.text for p in shown)
    if len(shown) < len(parts):  # suppressed cells are at least 0: only an upper bound
        ok = got - slack <= total.value
        return ok, (f"the figures shown add up to {fmt(got)} ({sums}) without the "
                    f"{len(parts) - len(shown)} suppressed, more than the total "
                    f"{total.text}")
    ok = abs(got - total.value) <= slack
    diff = got - total.value
    rounding = (f"beyond the rounding of the figures (at most {fmt(slack)} either way)"
                if slack > 1e-6 else "and whole counts are exact")
    return ok, (f"{sums} = {fmt(got)}, but the total says {total.text}: "
                f"{fmt(abs(diff))} {'more' if diff > 0 else 'less'} than the total, {rounding}")


def _column_totals(table: Table, grid: list[list[Cell]]) -> list[Finding]:
    out, start = [], 0
    for r, row in enumerate(table.rows):
        if not row or not is_total(row[0]):
            continue
        parts_rows = [g for g in grid[start:r] if g and not is_total(g[0].text)
                      and not PART_OF_ROW.match(g[0].text)]
        start = r + 1
        if len(parts_rows) < 2:
            continue
        head = table.header[-1] if table.header else []
        for c in range(1, len(row)):
            if c < len(head) and NOT_SUMMED.search(head[c]) and grid[r][c].value != 100:
                continue  # a column of rates, averages or percentages of different wholes
            parts = [g[c] for g in parts_rows if c < len(g)]
            if len(parts) < len(parts_rows):
                continue
            res = _adds_up(parts, grid[r][c])
            if res and not res[0]:
                check = "percent_sum" if grid[r][c].kind == "percent" else "table_total"
                out.append(Finding(
                    "error", check, table.where.with_cell(f"row '{row[0]}', "
                                                          f"{_col_name(table, c)}"),
                    f"{_name(table)}: {', '.join(p.text for p in parts)}; {row[0]} "
                    f"{grid[r][c].text}",
                    f"In {_col_name(table, c)} the rows above '{row[0]}': {res[1]}."))
    return out


def _row_totals(table: Table, grid: list[list[Cell]]) -> list[Finding]:
    head = table.header[-1] if table.header else []
    tcols = [c for c, h in enumerate(head) if c > 0 and is_total(h)]
    if len(tcols) != 1:
        return []
    t = tcols[0]
    skip = ("%", "share", "rate", "per ", "percent", "proportion", "average", "mean")
    cols = [c for c, h in enumerate(head) if 0 < c < t and not any(s in h.lower() for s in skip)]
    out = []
    for r, row in enumerate(grid):
        if t >= len(row) or len(cols) < 2:
            continue
        res = _adds_up([row[c] for c in cols if c < len(row)], row[t])
        if res and not res[0]:
            label = table.rows[r][0]
            out.append(Finding(
                "error", "table_total", table.where.with_cell(f"row '{label}', '{head[t]}'"),
                f"{_name(table)}: {label} … {head[t]} {row[t].text}",
                f"Across row '{label}': {res[1]}."))
    return out


def _shares(table: Table, grid: list[list[Cell]]) -> list[Finding]:
    """Each percentage against its count ÷ the total row's count (the count column to its
    left), when the total row shows the count the shares are of."""
    out = []
    totals = [r for r, row in enumerate(table.rows) if row and is_total(row[0])]
    if len(totals) != 1:
        return []
    tr = grid[totals[0]]
    for c in range(2, len(tr)):
        if tr[c].kind != "percent" or tr[c - 1].kind != "count" or tr[c - 1].value is None:
            continue
        if tr[c].value is not None and abs(tr[c].value - 100) > tr[c].half + 1:
            continue  # not shares of this total
        total = tr[c - 1]
        for r, row in enumerate(grid[:totals[0]]):
            if c >= len(row) or row[c].kind != "percent" or row[c - 1].kind != "count":
                continue
            n, p = row[c - 1], row[c]
            low = (n.value - n.half) / (total.value + total.half) * 100  # type: ignore[operator]
            high = (n.value + n.half) / max(total.value - total.half, 1e-9) * 100  # type: ignore[operator]
            if p.value + p.half < low - 1e-9 or p.value - p.half > high + 1e-9:  # type: ignore[operator]
                label = table.rows[r][0]
                out.append(Finding(
                    "error", "percent_of_counts",
                    table.where.with_cell(f"row '{label}', {_col_name(table, c)}"),
                    f"{_name(table)}: {label} {n.text} {p.text}",
                    f"{n.text} of the total {total.text} is {fmt(n.value / total.value * 100)}%"  # type: ignore[operator]
                    f" (between {low:.2f}% and {high:.2f}% allowing for rounding); the table "
                    f"says {p.text}."))
    return out


SHARE_HEAD = ("share", "% of", "per cent of", "percentage of", "proportion of", "distribution")


def _share_columns(table: Table, grid: list[list[Cell]]) -> list[Finding]:
    """A column headed as shares of one whole ("Share of requests") with no total row should
    still add up to about 100%; a warning, as the rows may not be the whole."""
    head = table.header[-1] if table.header else []
    if any(row and is_total(row[0]) for row in table.rows):
        return []
    out = []
    for c, h in enumerate(head):
        if c == 0 or not any(s in h.lower() for s in SHARE_HEAD):
            continue
        cells = [g[c] for g in grid if c < len(g)]
        if len(cells) < 2 or any(x.kind != "percent" for x in cells):
            continue
        got = sum(x.value for x in cells)  # type: ignore[misc]
        slack = sum(x.half for x in cells) + 1e-9
        if abs(got - 100) > slack:
            out.append(Finding(
                "warning", "percent_sum", table.where.with_cell(f"'{h}'"),
                f"{_name(table)}: {h}: " + ", ".join(x.text for x in cells),
                f"The shares in '{h}' add up to {fmt(got)}%, not 100% (allowing "
                f"{fmt(slack)} for rounding); that holds only if the rows are not the whole."))
    return out
