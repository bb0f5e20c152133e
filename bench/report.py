"""The benchmark's results as Markdown for README.md: a table for each tier that has been
run (bench/results/*.json), then the targets, each with what was measured.

    python bench/report.py
"""

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
TIERS = [("sqlite", 10_000), ("postgres", 10_000), ("postgres", 100_000), ("postgres", 1_000_000)]
NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
QUICK_PAGES = ("My caseload", "Person's page", "Timeline", "Note list")


def load(db: str, people: int) -> dict | None:
    path = RESULTS / f"{db}-{people}.json"
    return json.loads(path.read_text()) if path.exists() else None


def tier_table(result: dict) -> list[str]:
    load_figures = result["my_caseload_per_second"]
    lines = [
        f"**{NAMES[result['database']]}, {result['people']:,} people, "
        f"{result['counts']['file_notes']:,} file notes** ({result['requests_per_page']} "
        f"requests a page, run {result['ran_at'][:10]})",
        "",
        "| Page | Median / p95 ms | HTTP median / p95 ms | Queries | Raw SQL ms | Page ÷ raw SQL |",
        "|---|---|---|---|---|---|",
    ]
    for row in result["pages"]:
        ratio = row["median_ms"] / row["raw_sql_ms"] if row["raw_sql_ms"] else float("inf")
        lines.append(
            f"| {row['page']} | {row['median_ms']} / {row['p95_ms']} | "
            f"{row['http_median_ms']} / {row['http_p95_ms']} | {row['queries']} | "
            f"{row['raw_sql_ms']} | {ratio:.1f} |"
        )
    lines += [
        "",
        f"My caseload under load: **{load_figures['per_second']} pages a second** "
        f"(gunicorn, {load_figures['gunicorn_workers']} workers; {load_figures['tool']}, "
        f"{load_figures['concurrency']} connections, {load_figures['seconds']:g} s; "
        f"{load_figures['failed']} failed). The account page, a signed-in page that shows "
        f"almost nothing, under the same load: "
        f"{load_figures.get('account_page_per_second', 'not measured')} pages a second.",
        "",
    ]
    return lines


def targets(big: dict, small: dict | None) -> list[str]:
    pages = {row["page"]: row for row in big["pages"]}
    base = {row["page"]: row for row in small["pages"]} if small else {}
    lines = [
        f"**Targets, PostgreSQL, {big['people']:,} people**",
        "",
        "| Target | Measured | Met |",
        "|---|---|---|",
    ]

    def add(target: str, measured: str, met: bool) -> None:
        lines.append(f"| {target} | {measured} | {'yes' if met else '**no**'} |")

    for name in QUICK_PAGES:
        row = pages[name]
        add(
            f"{name}: median ≤ 50 ms, p95 ≤ 150 ms",
            f"{row['median_ms']} / {row['p95_ms']} ms",
            row["median_ms"] <= 50 and row["p95_ms"] <= 150,
        )
    search = pages["Note search"]
    add("Note search: p95 ≤ 300 ms", f"{search['p95_ms']} ms", search["p95_ms"] <= 300)
    for name, row in pages.items():
        if name in base:
            ratio = row["median_ms"] / base[name]["median_ms"]
            add(
                f"{name}: at most 1.5 × its time at {small['people']:,} people",
                f"{ratio:.2f} × ({base[name]['median_ms']} → {row['median_ms']} ms)",
                ratio <= 1.5,
            )
    for name, row in pages.items():
        ratio = row["median_ms"] / row["raw_sql_ms"] if row["raw_sql_ms"] else float("inf")
        add(
            f"{name}: at most 3 × its raw SQL",
            f"{ratio:.1f} × ({row['raw_sql_ms']} → {row['median_ms']} ms)",
            ratio <= 3,
        )
    per_second = big["my_caseload_per_second"]["per_second"]
    floor = big["my_caseload_per_second"].get("account_page_per_second")
    add(
        "My caseload: ≥ 300 pages a second",
        f"{per_second}" + (f" (the account page: {floor})" if floor else ""),
        per_second >= 300,
    )
    return [*lines, ""]


def main() -> int:
    results = {tier: load(*tier) for tier in TIERS}
    lines = []
    for result in results.values():
        if result:
            lines += tier_table(result)
    biggest = next((results[t] for t in reversed(TIERS) if t[0] == "postgres" and results[t]), None)
    if biggest:
        smallest = results[("postgres", 10_000)]
        lines += targets(biggest, smallest if smallest is not biggest else None)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
