"""The national category lists, as a table the measures' SQL can join to.

A breakdown whose national list is known (type of risk, location, source, outcome, sex,
ethnicity group, primary support reason group ...) must show a category with no cases as 0,
not leave it out: a missing row reads as "not collected", and a comparison or a published
table would silently drop the category. The lists live in the case-list specifications
(`spec/safeguarding.yaml`, `spec/dols.yaml`); this module puts them in the temporary table
`category_lists(list, category, position)` before the measures run, so that SQL joins to
them set-based instead of repeating the lists.

`list` is `<spec>.<List>` for a list's values (`safeguarding.Type_of_Risk`) and
`<spec>.<List>.group` for the national groups its values map to
(`safeguarding.Ethnicity.group`: White, Mixed / Multiple, ...), the group default included.
"""

from __future__ import annotations

import duckdb

from openasc.spec import load_spec

SPECS = ("safeguarding", "dols")


def category_rows() -> list[tuple[str, str, int]]:
    """(list, category, position) for every list of the case-list specifications."""
    rows: list[tuple[str, str, int]] = []
    for name in SPECS:
        for list_name, vl in load_spec(name).lists.items():
            rows += [(f"{name}.{list_name}", v, i) for i, v in enumerate(vl.values)]
            groups = list(dict.fromkeys([*vl.groups.values(),
                                         *([vl.group_default] if vl.group_default else [])]))
            rows += [(f"{name}.{list_name}.group", g, i) for i, g in enumerate(groups)]
    return rows


def register(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the temporary table `category_lists` on this connection."""
    con.execute("CREATE OR REPLACE TEMP TABLE category_lists (list VARCHAR, category VARCHAR, "
                "position INTEGER)")
    rows = category_rows()
    con.execute("INSERT INTO category_lists SELECT unnest(?::VARCHAR[]), "
                "unnest(?::VARCHAR[]), unnest(?::INTEGER[])",
                [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]])
