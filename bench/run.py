"""The benchmark: server time per request for Keywork's busiest pages, at scale.

    python bench/run.py --people 10000 --db sqlite      (make bench runs both databases)
    python bench/run.py --people 100000 --db postgres

For each page it measures, in-process through Django's test client, the time per
request (median and 95th percentile over --requests requests after a warm-up), the SQL
queries the page makes, and the limit: the same SQL run straight on the database cursor.
It builds the organisation with `seed_scale` the first time a tier is asked for, in a
database of the tier's own, writes JSON to bench/results/ and prints a table."""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
# Two sync workers per core: while one waits on the database, the other has the core.
WORKERS = 4


def database_url(db: str, people: int) -> str:
    if db == "sqlite":
        (ROOT / "var").mkdir(exist_ok=True)
        return f"sqlite:///{ROOT / 'var' / f'bench-{people}.sqlite3'}"
    base = os.environ.get("PG_BENCH_URL", "postgres://postgres@127.0.0.1:5432")
    name = f"keywork_bench_{people}"
    subprocess.run(  # noqa: S603 - a database of the tier's own, made once
        ["psql", f"{base}/postgres", "-Atqc", f"CREATE DATABASE {name}"],  # noqa: S607
        capture_output=True,
        check=False,
    )
    return f"{base}/{name}"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = database_url(args.db, args.people)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keywork.settings")
    os.environ["KEYWORK_ENV"] = "dev"
    os.environ["DEBUG"] = "false"
    # The test client's host. Not setup_test_environment(): it makes every template
    # render copy its context for inspection, which a server does not do.
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from keywork.organisations.models import Organisation

    call_command("migrate", verbosity=0)
    name = f"Scale {args.people:,}"
    seeded = False
    if not Organisation.objects.filter(name=name).exists():
        started = time.perf_counter()
        call_command("seed_scale", people=args.people, name=name)
        print(f"Seeded in {time.perf_counter() - started:,.0f} s")
        seeded = True
    org = Organisation.objects.get(name=name)
    with connection.cursor() as cursor:
        # Up-to-date statistics, as a maintained database has; on PostgreSQL, after the
        # bulk load, the visibility map too (autovacuum would get there in its own time).
        if seeded and connection.vendor == "postgresql":
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")
    pages = build_pages(org)

    from keywork.testing.personas import signed_in_client

    clients = [signed_in_client(user) for _, user, _ in pages]
    for (label, _, url), client in zip(pages, clients, strict=True):
        for _ in range(3):
            assert client.get(url).status_code == 200, (label, url)
    # Round by round, a request to each page in turn: on a shared machine a slow spell
    # then falls on every page alike, not on whichever was being timed.
    times = {label: [] for label, _, _ in pages}
    for _ in range(args.requests):
        for (label, _, url), client in zip(pages, clients, strict=True):
            started = time.perf_counter()
            response = client.get(url)
            times[label].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200

    rows = []
    for (label, _, url), client in zip(pages, clients, strict=True):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        # A server-side cursor's query is logged as its DECLARE; replay the query itself.
        sql = [
            re.sub(r'^DECLARE "?\w+"? .*?CURSOR (?:WITH(?:OUT)? HOLD )?FOR ', "", q["sql"])
            for q in queries.captured_queries
        ]
        raw = []
        for _ in range(max(5, args.requests // 4)):
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for statement in sql:
                    if statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "CLOSE")):
                        continue
                    cursor.execute(statement)
                    if cursor.description:
                        cursor.fetchall()
            raw.append((time.perf_counter() - started) * 1000)
        rows.append(
            {
                "page": label,
                "median_ms": round(statistics.median(times[label]), 1),
                "p95_ms": round(p95(times[label]), 1),
                "queries": len(sql),
                "raw_sql_ms": round(statistics.median(raw), 1),
            }
        )
        print(f"  {label}: {rows[-1]['median_ms']} ms median", flush=True)

    http_rows, throughput = over_http(pages, args.requests)
    for row, timed in zip(rows, http_rows, strict=True):
        row.update(timed)

    result = {
        "people": args.people,
        "database": args.db,
        "requests_per_page": args.requests,
        "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "counts": counts(org),
        "pages": rows,
        "my_caseload_per_second": throughput,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{args.db}-{args.people}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print_table(result)
    print(f"Written to {out.relative_to(ROOT)}")
    return 0


def over_http(pages, requests: int) -> tuple[list[dict], dict]:
    """The same pages over HTTP from gunicorn, and My caseload under load from a load
    tool in a process of its own."""
    import http.client
    import socket

    from django.conf import settings

    from keywork.testing.personas import signed_in_client

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "keywork.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=dict(os.environ),
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        rows = []
        cookie_for = {}
        for label, user, url in pages:
            if user.pk not in cookie_for:
                client = signed_in_client(user)
                cookie_for[user.pk] = (
                    f"{settings.SESSION_COOKIE_NAME}="
                    f"{client.cookies[settings.SESSION_COOKIE_NAME].value}"
                )
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            times = []
            for n in range(requests + 3):
                started = time.perf_counter()
                connection.request("GET", url, headers={"Cookie": cookie_for[user.pk]})
                response = connection.getresponse()
                response.read()
                assert response.status == 200, (label, response.status)
                if n >= 3:
                    times.append((time.perf_counter() - started) * 1000)
            connection.close()
            rows.append(
                {
                    "http_median_ms": round(statistics.median(times), 1),
                    "http_p95_ms": round(p95(times), 1),
                }
            )
        label, user, url = pages[0]
        throughput = {
            "page": label,
            **under_load(f"http://127.0.0.1:{port}{url}", cookie_for[user.pk]),
        }
        throughput["gunicorn_workers"] = WORKERS
        # The floor under the same load: a signed-in page that shows almost nothing.
        from django.urls import reverse

        floor = under_load(
            f"http://127.0.0.1:{port}{reverse('accounts:account')}", cookie_for[user.pk]
        )
        throughput["account_page_per_second"] = floor["per_second"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows, throughput


def under_load(url: str, cookie: str, seconds: int = 10, connections: int = 8) -> dict:
    """Pages a second from wrk (written in C, so it takes little of the two cores from
    the server) where it is installed, else from bench/load.py."""
    if wrk := shutil.which("wrk"):
        out = subprocess.run(  # noqa: S603 - the load tool, in a process of its own
            [wrk, "-t", "1", "-c", str(connections), "-d", f"{seconds}s"]
            + ["-H", f"Cookie: {cookie}", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        answered = int(re.search(r"(\d+) requests in", out).group(1))
        failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        failed = int(failed.group(1)) if failed else 0
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        return {
            "tool": "wrk",
            # Only the pages that came back whole count.
            "per_second": round(rate * (answered - failed) / max(1, answered), 1),
            "answered": answered,
            "failed": failed,
            "seconds": seconds,
            "concurrency": connections,
        }
    out = subprocess.run(  # noqa: S603 - the load tool, in a process of its own
        [sys.executable, str(ROOT / "bench" / "load.py"), url, cookie]
        + ["--seconds", str(seconds), "--concurrency", str(connections)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    per_second, answered, failed, elapsed = out.split()
    return {
        "tool": "bench/load.py",
        "per_second": float(per_second),
        "answered": int(answered),
        "failed": int(failed),
        "seconds": float(elapsed),
        "concurrency": connections,
    }


def build_pages(org):
    """The pages to time, as seen by the users who see the most on them."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from keywork.accounts.models import Role, User
    from keywork.people.models import Episode
    from keywork.planning.models import SupportPlan

    worker = (
        User.objects.filter(organisation=org, memberships__role=Role.SUPPORT_WORKER)
        .annotate(open=Count("key_work_episodes", filter=Q(key_work_episodes__end_date=None)))
        .order_by("-open", "pk")
        .first()
    )
    team = worker.memberships.get().team
    senior = User.objects.get(
        organisation=org, memberships__role=Role.SENIOR_PRACTITIONER, memberships__team=team
    )
    busiest = (
        Episode.objects.filter(key_worker=worker, end_date=None)
        .annotate(notes=Count("file_notes"))
        .order_by("-notes", "pk")
        .first()
    )
    person_id = busiest.person_id
    plan = SupportPlan.objects.get(episode=busiest)
    # A common word: two of seed_scale's sentences hold it, so about half of all notes do.
    word = "housing"
    return [
        ("My caseload", worker, reverse("people:my_caseload")),
        ("Team caseload", senior, reverse("people:team_caseload", args=[team.pk])),
        ("Person's page", worker, reverse("people:person", args=[person_id])),
        ("Timeline", worker, reverse("timeline:timeline", args=[person_id])),
        ("Note list", worker, reverse("notes:note_list", args=[person_id])),
        ("Note search", worker, reverse("notes:search") + f"?q={word}"),
        ("People search", worker, reverse("people:search") + f"?q={busiest.person.last_name}"),
        ("Plan page", worker, reverse("planning:plan", args=[plan.pk])),
        *_notice_and_involvement_pages(org, team, senior),
        *_events_pages(team, worker),
        *_oncall_pages(team, senior),
        *_training_pages(org),
    ]


def _training_pages(org) -> list:
    """The organisation's training matrix: every member of staff by every course."""
    from django.urls import reverse

    from keywork.accounts.models import Role, User

    admin = User.objects.filter(organisation=org, memberships__role=Role.ADMINISTRATOR).first()
    return [("Training matrix", admin, reverse("training:matrix"))] if admin else []


def _oncall_pages(team, senior) -> list:
    """ "On call now" for whoever is first on call now for the senior's service, and the
    service's morning handover for the senior."""
    from django.urls import reverse
    from django.utils import timezone

    from keywork.oncall.models import Shift

    service = team.services.first()
    now = timezone.now()
    shift = (
        Shift.objects.filter(
            rota__services=service, line="first", starts_at__lte=now, ends_at__gt=now
        )
        .select_related("worker")
        .first()
    )
    pages = [("Handover", senior, reverse("oncall:handover", args=[service.pk]))]
    if shift is not None:
        pages.append(("On call now", shift.worker, reverse("oncall:home")))
    return pages


def _events_pages(team, worker) -> list:
    """The worker's service's events page, and the register of its fullest session of
    the last week."""
    from datetime import timedelta

    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    from keywork.events.models import Session

    service = team.services.first()
    now = timezone.now()
    fullest = (
        Session.objects.filter(
            event__services=service, starts_at__lt=now, starts_at__gte=now - timedelta(days=8)
        )
        .annotate(people=Count("sign_ups"))
        .order_by("-people", "pk")
        .first()
    )
    pages = [("Events page", worker, reverse("events:service", args=[service.pk]))]
    if fullest is not None:
        pages.append(("Register", worker, reverse("events:register", args=[fullest.pk])))
    return pages


def _notice_and_involvement_pages(org, team, senior) -> list:
    """A notice to everyone the senior's service supports (who had it, who has not), the
    round of doors of its biggest house, a residents' meeting and the figures by quarter."""
    from django.db.models import Count
    from django.urls import reverse

    from keywork.accounts.models import Role, User
    from keywork.housing.models import Property
    from keywork.involvement.models import InvolvementSession
    from keywork.notices.models import Notice

    service = team.services.first()
    pages = []
    notice = Notice.objects.filter(service=service).order_by("-published_on", "pk").last()
    if notice is not None:
        pages.append(("Notice", senior, reverse("notices:notice", args=[notice.pk])))
    house = (
        Property.objects.filter(organisation=org)
        .annotate(units_count=Count("units"))
        .order_by("-units_count", "pk")
        .first()
    )
    if house is not None:
        manager = User.objects.filter(
            organisation=org,
            memberships__role=Role.SENIOR_PRACTITIONER,
            memberships__team__services=house.service,
        ).first()
        pages.append(("Round of doors", manager, reverse("notices:round", args=[house.pk])))
    meeting = (
        InvolvementSession.objects.filter(service=service)
        .annotate(people=Count("participants"))
        .order_by("-people", "-held_on", "pk")
        .first()
    )
    if meeting is not None:
        pages.append(("Meeting", senior, reverse("involvement:session", args=[meeting.pk])))
        lead = User.objects.filter(
            organisation=org, memberships__role=Role.LEAD_MANAGER, memberships__team=team
        ).first()
        pages.append(("Involvement", lead, reverse("involvement:figures", args=[service.pk])))
    return pages


def counts(org) -> dict:
    from keywork.notes.models import FileNote
    from keywork.people.models import Person

    return {
        "people": Person.objects.filter(organisation=org).count(),
        "file_notes": FileNote.objects.filter(organisation=org).count(),
    }


def print_table(result: dict) -> None:
    print(
        f"\n{result['database']}, {result['people']:,} people, "
        f"{result['counts']['file_notes']:,} file notes, "
        f"{result['requests_per_page']} requests a page"
    )
    print(
        f"{'Page':<16}{'Median ms':>11}{'p95 ms':>9}{'HTTP median':>13}{'HTTP p95':>10}"
        f"{'Queries':>9}{'Raw SQL ms':>12}"
    )
    for row in result["pages"]:
        print(
            f"{row['page']:<16}{row['median_ms']:>11}{row['p95_ms']:>9}"
            f"{row['http_median_ms']:>13}{row['http_p95_ms']:>10}"
            f"{row['queries']:>9}{row['raw_sql_ms']:>12}"
        )
    load = result["my_caseload_per_second"]
    print(
        f"My caseload under load (gunicorn, {load['gunicorn_workers']} workers, "
        f"{load['concurrency']} connections from {load['tool']}): "
        f"{load['per_second']} pages a second; the account page, "
        f"{load['account_page_per_second']}"
    )


if __name__ == "__main__":
    sys.exit(main())
