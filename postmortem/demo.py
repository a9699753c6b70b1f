"""Three complete, blameless example post-mortems, written for Debrief, to explore the app with.

Narrative text names roles, never people; names appear only in contacts, owners and sign-offs.
Every row gets a stable id, so the examples are the same on every load.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from postmortem.models import PostMortem
from postmortem.timeline import times_from_anchors


def demo_documents() -> list[PostMortem]:
    """The three example post-mortems: a Sev1 outage, a Sev2 failed experiment, a Sev3 missed launch."""
    builders = (_checkout_pool, _pricing_experiment, _mobile_launch)
    docs = [_finish(build(), prefix) for build, prefix in zip(builders, "abc", strict=True)]
    return [_with_checkout_tree(docs[0]), *docs[1:]]


def _with_checkout_tree(doc: PostMortem) -> PostMortem:
    """The Sev1 demo's causal tree: three branches over the contributing factors, each leaf linked
    to its factor (and so to the action items that address it), the outside condition accepted."""
    rows = [
        ("t-0", None, "Checkout returned HTTP 500 to 18,400 requests for 31 minutes", "outcome", None, ""),
        (
            "t-1",
            "t-0",
            "The shared orders pool had no free connection for 31 minutes",
            "contributing factor",
            None,
            "",
        ),
        (
            "t-1a",
            "t-1",
            "The retry wrapper's timeout branch returns before releasing its connection",
            "root cause",
            "a-f1",
            "",
        ),
        (
            "t-1b",
            "t-1",
            "One shared pool of 200 connections, with no per-user limit",
            "contributing factor",
            "a-f2",
            "",
        ),
        (
            "t-1c",
            "t-1",
            "The payment provider's status API timed out about 130 times",
            "condition",
            "a-f4",
            "Provider timeouts will happen again; the fixes to connection release and pool limits make them "
            "harmless to checkout.",
        ),
        (
            "t-2",
            "t-0",
            "The first page came 14 minutes after the pool saturated",
            "contributing factor",
            None,
            "",
        ),
        (
            "t-2a",
            "t-2",
            "Pool wait time and saturation are graphed but have no alert",
            "contributing factor",
            "a-f3",
            "",
        ),
        (
            "t-3",
            "t-0",
            "Mitigation took 19 minutes once responders were paged",
            "contributing factor",
            None,
            "",
        ),
        (
            "t-3a",
            "t-3",
            "The checkout 5xx runbook does not cover the shared pool or its batch jobs",
            "contributing factor",
            "a-f5",
            "",
        ),
    ]
    nodes = [
        {
            "id": node_id,
            "parent_id": parent,
            "text": text,
            "kind": kind,
            "factor_id": factor,
            "accepted_rationale": accepted,
        }
        for node_id, parent, text, kind, factor, accepted in rows
    ]
    data = doc.model_dump(mode="json")
    data["root_cause"]["causal_tree"] = {"nodes": nodes}
    return PostMortem.model_validate(data)


# --- Helpers --------------------------------------------------------------------------------


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _event(
    at: str,
    text: str,
    kind: str = "observation",
    source: str = "log",
    actor: str = "",
    anchor: str | None = None,
    decision: dict | None = None,
) -> dict[str, Any]:
    return {
        "at": _utc(at),
        "text": text,
        "kind": kind,
        "source": source,
        "actor_role": actor,
        "anchor": anchor,
        "decision": decision,
    }


def _decision(options: str, known: str, reversible: bool = True) -> dict[str, Any]:
    return {"options": options, "information_available": known, "reversible": reversible}


def _row(at: str, observed: str, did: str, knew: str) -> dict[str, Any]:
    return {"at": _utc(at), "observed": observed, "did": did, "knew": knew}


def _notes(*items: str | tuple[str, str]) -> list[dict[str, str]]:
    return [{"group": i[0], "text": i[1]} if isinstance(i, tuple) else {"text": i} for i in items]


def _person(name: str, role: str, team: str, contact: str) -> dict[str, str]:
    return {"name": name, "kind": "person", "role": role, "team": team, "contact": contact}


def _team(name: str, role: str, contact: str) -> dict[str, str]:
    return {"name": name, "kind": "team", "role": role, "team": name, "contact": contact}


def _action(
    title: str,
    owner: str,
    due: str,
    tracker: str,
    category: str,
    priority: str,
    criteria: str,
    factors: list[str],
    status: str = "open",
    closed_at: str | None = None,
) -> dict[str, Any]:
    return {
        "title": title,
        "owner": owner,
        "due": due,
        "tracker": tracker,
        "category": category,
        "priority": priority,
        "acceptance_criteria": criteria,
        "factor_ids": factors,
        "status": status,
        "closed_at": _utc(closed_at) if closed_at else None,
    }


def _whys(problem: str, steps: list[tuple[str, str]], stop: str) -> dict[str, Any]:
    return {
        "problem": problem,
        "steps": [{"question": q, "answer": a} for q, a in steps],
        "stop_reason": stop,
    }


def _finish(data: dict[str, Any], prefix: str) -> PostMortem:
    """Validate, fill the header's key times from the timeline anchors, and make every row id stable."""
    doc = PostMortem.model_validate(data)
    doc = doc.model_copy(update={"header": doc.header.model_copy(update={"times": times_from_anchors(doc)})})
    dumped = doc.model_dump()
    _stable_ids(dumped, prefix, "")
    return PostMortem.model_validate(dumped)


def _stable_ids(value: Any, prefix: str, path: str) -> None:
    """Replace the random ids rows got with ids from their place; ids written here (a-f1) stay."""
    if isinstance(value, dict):
        for key, item in value.items():
            _stable_ids(item, prefix, f"{path}-{key}" if path else key)
    elif isinstance(value, list):
        for n, item in enumerate(value, start=1):
            if isinstance(item, dict) and "id" in item and not item["id"].startswith(f"{prefix}-"):
                item["id"] = f"{prefix}-{path}-{n}"
            _stable_ids(item, prefix, f"{path}{n}")


# --- (a) Sev1: checkout errors from connection-pool exhaustion ---------------------------------


def _checkout_pool() -> dict[str, Any]:
    return {
        "header": {
            "incident_id": "INC-2026-0101",
            "title": "Checkout API returned errors for 31 minutes after the orders connection pool ran out",
            "trigger": "outage",
            "severity": "Sev1",
            "status": "final",
            "novel_failure_class": False,
            "severity_changes": [
                {
                    "from_severity": "Sev2",
                    "to_severity": "Sev1",
                    "at": _utc("2026-03-10 14:09"),
                    "reason": "Every checkout attempt was failing, on web and mobile.",
                }
            ],
            "services": ["checkout-api", "order-reconciliation job", "orders database pooler"],
            "failure_class": "Resource exhaustion: shared connection pool",
            "tags": ["database", "connection pool", "batch jobs", "checkout"],
            "author_role": "Batch-jobs engineer",
            "reviewer_roles": [
                "Database reliability lead",
                "Checkout engineering manager",
                "Incident commander",
            ],
            # Every checkout failed from the pool running out until its connections came back (the summary).
            "times": {
                "unavailable_from": _utc("2026-03-10 14:02"),
                "unavailable_to": _utc("2026-03-10 14:33"),
            },
        },
        "summary": (
            "On 10 March 2026 between 14:02 and 14:33 UTC, the checkout API returned HTTP 500 errors for "
            "18,400 checkout attempts from web and mobile customers in every region. The shared connection "
            "pool in front of the orders database had run out of connections: a reconciliation batch job, "
            "released the day before, kept a connection checked out each time the payment provider timed "
            "out, and the provider timed out about 130 times in 14 minutes. Customer impact ended when the "
            "database on-call engineer paused the job and ended its idle sessions; the job was then rolled "
            "back to its previous version and re-run without duplicate records. The durable fix releases "
            "connections on every exit path, limits each database user's share of the pool, and pages on "
            "pool saturation."
        ),
        "impact": {
            "description": (
                "Every checkout attempt that needed a database connection between 14:02 and 14:33 UTC ended "
                "on an error page; browsing, search and carts kept working. About 62 % of affected customers "
                "completed their order within 24 hours. No card was charged for a failed checkout, because "
                "payment is taken only after the order is written."
            ),
            "customers_affected": 9200,
            "customer_segments": ["Web checkout, all regions", "Mobile app checkout, all regions"],
            "revenue": {"amount": "41500.00", "currency": "USD"},
            "error_budget_burned_pct": 78,
            "slo": "Checkout availability 99.95 % over 30 days",
            "internal_teams_blocked": [
                "Customer support (640 contacts about failed payments)",
                "Finance (daily reconciliation report 3 hours late)",
            ],
            "public_communication": "Status page: investigating at 14:12, monitoring at 14:40, resolved at 16:45 UTC.",
            "regulatory": {
                "reportable": False,
                "regimes": [],
                "notes": "No personal or card data was exposed or lost; legal confirmed no duty to notify.",
            },
            "data_lost": False,
        },
        "business_summary": (
            "For 31 minutes on 10 March, no customer could complete a purchase; 9,200 customers were affected and "
            "about 41,500 USD of orders did not happen that day. No payment or personal data was lost. A change "
            "to a nightly accounting job used up a resource that checkout shares with it. The changes that stop "
            "this happening again are under way; the two most important are done or nearly done."
        ),
        "resolution": (
            "Customer impact ended when the database on-call engineer paused the reconciliation job and ended "
            "its idle database sessions, which gave the connections back to checkout. The job was then rolled "
            "back to its previous version, re-run without duplicate records, and re-enabled with a limit of 40 "
            "connections."
        ),
        "public": {
            "title": "Checkout was unavailable for 31 minutes on 10 March",
            "what_customers_saw": (
                "Between 14:02 and 14:33 UTC on 10 March, checking out on the website and in the mobile app "
                "ended on an error page. Browsing, search and carts kept working. No card was charged for a "
                "checkout that failed."
            ),
            "what_happened": (
                "A background job released the day before kept hold of shared database capacity each time one "
                "of our payment partners was slow to answer. Once that capacity was used up, checkout could not "
                "save new orders. We stopped the job, which freed the capacity, and then returned it to its "
                "earlier version."
            ),
            "what_to_do": "Nothing: orders that failed were not charged, and you can place them again.",
        },
        "timeline": [
            _event(
                "2026-03-09 16:20",
                "Version 2.14 of the order-reconciliation job is deployed; it adds a retry "
                "wrapper around payment-provider status calls.",
                "change",
                "log",
                "Batch-jobs engineer",
            ),
            _event(
                "2026-03-10 13:48",
                "The payment provider's status API starts timing out. Each timeout takes the "
                "new wrapper's error path, which returns without releasing its database connection.",
                anchor="trigger",
            ),
            _event(
                "2026-03-10 13:57",
                "Pool wait time on the orders database pooler rises above 50 ms at "
                "the 99th percentile. The metric is on a dashboard and has no alert.",
                source="dashboard",
                anchor="first signal",
            ),
            _event(
                "2026-03-10 14:02",
                "All 200 server connections of the shared pool are in use. Checkout "
                "API requests wait 2 seconds for a connection, time out and return HTTP 500.",
                anchor="customer impact began",
            ),
            _event(
                "2026-03-10 14:05",
                "The checkout 5xx-rate alert (above 5 % for 3 minutes) pages the checkout on-call engineer.",
                "alert",
                "alert",
                "Checkout on-call engineer",
                "detection",
            ),
            _event(
                "2026-03-10 14:07",
                "The page is acknowledged, an incident channel is opened and the "
                "incident is declared as Sev2.",
                "communication",
                "chat",
                "Checkout on-call engineer",
            ),
            _event(
                "2026-03-10 14:09",
                "With every checkout failing, the severity is raised to Sev1 and the "
                "incident commander and the database on-call engineer are paged.",
                "communication",
                "chat",
                "Checkout on-call engineer",
                "escalation",
            ),
            _event(
                "2026-03-10 14:12",
                "Status page updated: elevated errors at checkout, investigation under way.",
                "communication",
                "ticket",
                "Support lead",
            ),
            _event(
                "2026-03-10 14:14",
                "Checkout API logs show 'timeout acquiring connection' on every pod; "
                "there was no checkout deploy that day.",
                source="log",
                actor="Checkout on-call engineer",
            ),
            _event(
                "2026-03-10 14:17",
                "The pooler shows 200 of 200 connections in use; 130 belong to the "
                "reconciliation job's database user and sit idle in transaction.",
                source="dashboard",
                actor="Database on-call engineer",
            ),
            _event(
                "2026-03-10 14:21",
                "Rolling restart of the checkout API pods, the runbook's first step for connection errors.",
                "action",
                "chat",
                "Checkout on-call engineer",
                "first mitigation attempt",
            ),
            _event(
                "2026-03-10 14:25",
                "Errors dip to 20 % during the restart and climb back to 60 % as restarted "
                "pods queue for the same saturated pool.",
                source="dashboard",
                actor="Incident commander",
            ),
            _event(
                "2026-03-10 14:27",
                "Decision to pause the reconciliation job and end its idle database sessions.",
                "decision",
                "chat",
                "Incident commander",
                decision=_decision(
                    "Raise the pooler limit from 200 to 260 connections; pause the reconciliation job and "
                    "end its idle sessions; fail the orders database over to its replica.",
                    "The job's database user held 130 of 200 connections, and the job had been released "
                    "the day before. The batch-jobs on-call engineer confirmed in the channel that the "
                    "job is idempotent. Why the connections stayed open was not yet known, and a higher "
                    "limit risked overloading the database itself.",
                ),
            ),
            _event(
                "2026-03-10 14:29",
                "The reconciliation job's schedule is paused.",
                "action",
                "chat",
                "Database on-call engineer",
            ),
            _event(
                "2026-03-10 14:31",
                "The 130 idle-in-transaction sessions of the job's database user are "
                "ended; their open transactions roll back.",
                "action",
                "log",
                "Database on-call engineer",
                "mitigated",
            ),
            _event(
                "2026-03-10 14:33",
                "Pool usage falls to 74 of 200 connections and the checkout 5xx rate drops below 0.5 %.",
                source="dashboard",
                anchor="customer impact ended",
            ),
            _event(
                "2026-03-10 14:40",
                "Status page moved to monitoring.",
                "communication",
                "ticket",
                "Support lead",
            ),
            _event(
                "2026-03-10 14:52",
                "The retry wrapper in version 2.14 acquires connections by hand, and "
                "its timeout branch returns before the release call.",
                source="interview",
                actor="Batch-jobs on-call engineer",
            ),
            _event(
                "2026-03-10 15:20",
                "Decision to roll the job back to version 2.13 rather than patch 2.14 during the incident.",
                "decision",
                "chat",
                "Incident commander",
                decision=_decision(
                    "Roll back to 2.13; ship a patched 2.15 that releases the connection in a finally "
                    "block; keep the job paused until the next day.",
                    "Version 2.13 had run for six weeks with no connection growth. A patch would need "
                    "review and a test for the timeout path, which did not exist yet. Finance needed the "
                    "reconciliation report by 18:00 UTC.",
                ),
            ),
            _event(
                "2026-03-10 15:35",
                "Order-reconciliation 2.13 is deployed.",
                "change",
                "log",
                "Batch-jobs on-call engineer",
            ),
            _event(
                "2026-03-10 16:10",
                "The job re-runs the 13:00-14:30 window with a cap of 20 connections; "
                "it completes in 18 minutes with no duplicate records.",
                "action",
                "log",
                "Batch-jobs on-call engineer",
            ),
            _event(
                "2026-03-10 16:45",
                "The job's schedule is re-enabled with a 40-connection limit for its "
                "database user on the pooler; the status page is marked resolved.",
                "action",
                "ticket",
                "Incident commander",
                "full resolution",
            ),
            _event(
                "2026-03-11 09:00",
                "After 16 hours of normal pool usage the incident is closed.",
                "communication",
                "ticket",
                "Incident commander",
                "incident closed",
            ),
        ],
        "interviews": [
            {
                "role": "Checkout on-call engineer",
                "held_at": _utc("2026-03-11 10:00"),
                "rows": [
                    _row(
                        "2026-03-10 14:07",
                        "A page for 5xx above 5 %; errors on every checkout pod.",
                        "Opened the incident channel and declared a Sev2.",
                        "There had been no checkout deploy that day.",
                    ),
                    _row(
                        "2026-03-10 14:21",
                        "Connection acquire timeouts in the logs of every pod.",
                        "Started a rolling restart, expecting stuck connections inside the pods.",
                        "The runbook lists a restart first for connection errors; nothing yet pointed to other "
                        "clients of the pool.",
                    ),
                ],
            },
            {
                "role": "Database on-call engineer",
                "held_at": _utc("2026-03-11 11:00"),
                "rows": [
                    _row(
                        "2026-03-10 14:17",
                        "200 of 200 connections in use, 130 of them idle in transaction.",
                        "Posted the per-user breakdown in the channel.",
                        "The reconciliation job had a release the day before.",
                    ),
                    _row(
                        "2026-03-10 14:31",
                        "The job's schedule was paused.",
                        "Ended the idle sessions.",
                        "The job's owners had confirmed that it is idempotent.",
                    ),
                ],
            },
        ],
        "went_well": _notes(
            (
                "detection",
                "The checkout 5xx alert paged 3 minutes after the first failed request (14:02 to 14:05 UTC).",
            ),
            (
                "tooling",
                (
                    "The pooler dashboard breaks connections down by database user, which pointed at "
                    "the reconciliation job 3 minutes after the database on-call engineer joined."
                ),
            ),
            (
                "communication",
                (
                    "The first status page update went out 7 minutes after detection, and support "
                    "had a reply template 5 minutes later."
                ),
            ),
            (
                "recovery",
                (
                    "The reconciliation job is idempotent, so ending its sessions mid-run and "
                    "re-running the window left no duplicate or missing records."
                ),
            ),
            (
                "team behaviour",
                (
                    "The incident commander posted a summary every 10 minutes; the four people "
                    "who joined after 14:20 needed no catch-up."
                ),
            ),
        ),
        "went_wrong": _notes(
            "Pool saturation had no alert: the first signal at 13:57 was visible only on a dashboard, 8 "
            "minutes before the page.",
            "Batch jobs and the checkout API share one pooler pool with no per-user limit, so one client's "
            "leak took every connection.",
            "The retry wrapper's timeout branch had no test; the job's tests stub the payment provider with "
            "instant successes.",
            "The checkout 5xx runbook starts with a pod restart and does not mention the shared pool, so the "
            "first mitigation treated a symptom and took 6 minutes.",
            "The review checklist for batch jobs covers business rules but not how connections are released "
            "on error paths.",
        ),
        "contributing_factors": [
            {
                "id": "a-f1",
                "category": "code",
                "text": "The retry wrapper acquires connections by hand, and "
                "its timeout branch returns before releasing them.",
            },
            {
                "id": "a-f2",
                "category": "configuration",
                "text": "The orders database pooler has one shared pool of "
                "200 connections with no per-user limit.",
            },
            {
                "id": "a-f3",
                "category": "monitoring",
                "text": "Pool wait time and pool saturation are on a dashboard but have no alert.",
            },
            {
                "id": "a-f4",
                "category": "external",
                "text": "The payment provider's status API timed out about 130 "
                "times between 13:48 and 14:02 UTC.",
                "accepted_rationale": "Provider timeouts happen a few times a "
                "quarter and are outside our control; we treat them as an input and change how our code reacts to "
                "them (A1, A2) rather than the provider.",
            },
            {
                "id": "a-f5",
                "category": "documentation",
                "text": "The checkout 5xx runbook does not mention the "
                "shared pool or the batch jobs that use it.",
            },
        ],
        "root_cause": {
            "method": "hybrid",
            "five_whys": _whys(
                "Checkout returned HTTP 500 to 18,400 requests between 14:02 and 14:33 UTC.",
                [
                    (
                        "Why did checkout return errors?",
                        (
                            "The checkout API could not get a database connection "
                            "within its 2-second acquire timeout."
                        ),
                    ),
                    (
                        "Why could it not get a connection?",
                        (
                            "All 200 server connections of the shared orders "
                            "pool were in use; 130 were held idle in transaction by the reconciliation job."
                        ),
                    ),
                    (
                        "Why did the job hold 130 idle connections?",
                        (
                            "Each payment-provider timeout took an error path "
                            "in the new retry wrapper that returned before releasing its connection."
                        ),
                    ),
                    (
                        "Why did that error path keep the connection?",
                        (
                            "The wrapper acquires connections by hand instead "
                            "of through the context manager used elsewhere in the job."
                        ),
                    ),
                    (
                        "Why did no test catch it?",
                        (
                            "The job's tests stub the payment provider with instant "
                            "successes; the batch repository has no fault-injection fixture for provider timeouts."
                        ),
                    ),
                ],
                "Actionable: a fault-injection test and a release on every exit path (A1) end this chain. "
                "The shared pool and the missing alert are parallel conditions, covered by A2, A3 and A5.",
            ),
            "statement": (
                "Three conditions lined up: an error path that kept connections, a pool shared without "
                "per-client limits, and no alert on pool saturation. Without any one of them, the provider's "
                "timeouts would not have become a 31-minute checkout outage."
            ),
        },
        "action_items": [
            _action(
                "Release database connections on every exit path of the reconciliation retry wrapper",
                "Priya Raman",
                "2026-03-20",
                "BATCH-812",
                "prevent",
                "P0",
                "A fault-injection test makes the payment provider time out 500 times in a row and asserts that "
                "zero connections remain checked out afterwards; the test runs in the job's CI.",
                ["a-f1"],
                "done",
                "2026-03-18 15:00",
            )
            | {
                "public_text": (
                    "We fixed the defect that kept database connections busy, and we now test that case "
                    "automatically."
                )
            },
            _action(
                "Limit each database user's share of the orders pooler",
                "Tomás Ortega",
                "2026-03-24",
                "DBA-377",
                "prevent",
                "P0",
                "The pooler caps the reconciliation user at 40 server connections and other batch users "
                "at 20 each; a load test that opens 100 connections as the reconciliation user gets at "
                "most 40 while checkout's connection wait stays under 50 ms at the 99th percentile.",
                ["a-f2"],
                "in progress",
            )
            | {"public_text": ("Background jobs can no longer take the capacity that checkout needs.")},
            _action(
                "Page the database on-call when pool wait exceeds 100 ms at p99 for 2 minutes",
                "Aisha Bello",
                "2026-04-03",
                "OBS-1290",
                "detect",
                "P1",
                "The alert rule is in the alerting repository, and a game day that saturates a staging "
                "pool pages the database on-call within 3 minutes.",
                ["a-f3"],
            )
            | {"public_text": ("We are adding an alert that warns us before this capacity runs out.")},
            _action(
                "Add a shared-pool section to the checkout 5xx runbook",
                "Marco Silva",
                "2026-04-03",
                "SRE-455",
                "mitigate",
                "P1",
                "The section lists the query that shows connections per database user and the command "
                "that pauses batch schedules; in a tabletop drill two on-call engineers reach the pause "
                "step within 10 minutes.",
                ["a-f5"],
            ),
            _action(
                "Alert when one database user holds more than 20 connections idle in transaction for "
                "over 60 seconds",
                "Aisha Bello",
                "2026-05-29",
                "OBS-1291",
                "detect",
                "P2",
                "A staging job that leaves 25 connections idle in transaction triggers the alert within "
                "2 minutes, and the alert names the database user.",
                ["a-f1", "a-f3"],
            ),
            _action(
                "Add error-path connection handling to the review checklist for orders-database code",
                "Jonas Weber",
                "2026-06-05",
                "ENG-2044",
                "process",
                "P2",
                "The item is in the review template, and the next 10 reviews of orders-database code "
                "record it as checked.",
                ["a-f1"],
            ),
        ],
        "lessons": _notes(
            "A shared resource without per-client limits turns one client's bug into everyone's outage; the "
            "limits belong with the sharing.",
            "Rarely taken error paths are where resource leaks hide, and fault injection exercises them "
            "before production does.",
            "Our runbook started from the component showing the errors; starting from its shared "
            "dependencies found the cause faster.",
        ),
        "where_we_got_lucky": _notes(
            "The provider's timeouts stopped at 14:40 on their own; a longer provider problem would have "
            "kept the job leaking connections after any restart.",
            "It happened on a Tuesday afternoon UTC, when both the database on-call engineer and the "
            "batch-jobs team were at work.",
            "The job's next scheduled run was at 17:00 UTC, after the rollback, so no second run started on "
            "version 2.14.",
        ),
        "contacts": [
            _person("Priya Raman", "Batch-jobs engineer", "Batch jobs", "priya.raman@example.com"),
            _person(
                "Tomás Ortega", "Database reliability engineer", "Data platform", "tomas.ortega@example.com"
            ),
            _person("Aisha Bello", "Observability engineer", "SRE", "aisha.bello@example.com"),
            _person("Marco Silva", "Incident commander", "SRE", "marco.silva@example.com"),
            _person("Jonas Weber", "Engineering manager", "Checkout", "jonas.weber@example.com"),
            _team("Checkout on-call", "On-call rotation", "#checkout-oncall"),
        ],
        "links": [
            {
                "kind": "chat transcript",
                "label": "Incident channel",
                "url": "https://chat.example.com/archives/inc-2026-0101",
            },
            {
                "kind": "dashboard",
                "label": "Orders pooler",
                "url": "https://grafana.example.com/d/orders-pool",
            },
            {
                "kind": "runbook",
                "label": "Checkout 5xx",
                "url": "https://wiki.example.com/runbooks/checkout-5xx",
            },
            {
                "kind": "triggering change",
                "label": "order-reconciliation 2.14",
                "url": "https://git.example.com/batch/order-reconciliation/pull/1187",
            },
            {
                "kind": "ticket",
                "label": "Incident ticket",
                "url": "https://tracker.example.com/browse/INC-2026-0101",
            },
        ],
        "sign_offs": [
            {"role": "author", "name": "Priya Raman", "signed_at": _utc("2026-03-13 15:00")},
            {"role": "incident commander", "name": "Marco Silva", "signed_at": _utc("2026-03-16 11:00")},
            {"role": "team lead", "name": "Jonas Weber", "signed_at": _utc("2026-03-16 11:30")},
        ],
    }


# --- (b) Sev2: a pricing experiment that lowered sign-ups --------------------------------------


def _pricing_experiment() -> dict[str, Any]:
    return {
        "header": {
            "incident_id": "INC-2026-0102",
            "title": "Pricing experiment showed annual prices as monthly in four currencies for 24 hours",
            "trigger": "failed experiment",
            "severity": "Sev2",
            "status": "in review",
            "novel_failure_class": False,
            "services": ["plan page (web)", "experiment platform", "CDN"],
            "failure_class": "Experiment variant defect: localisation",
            "tags": ["experiment", "pricing", "localisation", "guardrails"],
            "author_role": "Pricing product manager",
            "reviewer_roles": ["Experimentation lead", "Storefront engineering manager"],
            # Visitors saw the variant from the moment of the ramp, a row already marked as the trigger.
            "times": {"impact_started_at": _utc("2026-04-14 09:00")},
        },
        "resolution": (
            "The experiment was switched off with the platform's kill switch and the plan pages were purged "
            "from the CDN cache, so every visitor saw the correct prices again. The template defect was then "
            "fixed with a rendering test for each supported currency."
        ),
        "public": {
            "title": "Plan prices shown as yearly amounts in four currencies for 24 hours",
            "what_customers_saw": (
                "Some visitors paying in euros, pounds, Canadian dollars or Australian dollars saw the yearly "
                "price of a plan where the monthly price belongs. Checkout always showed and charged the "
                "correct price."
            ),
            "what_happened": (
                "We were testing a new layout for the plans page. For prices in currencies other than US "
                "dollars, the new layout put the yearly amount in the monthly slot, and our checks on the "
                "test ran once a day, so it took until the next morning to notice."
            ),
        },
        "summary": (
            "From 09:00 UTC on 14 April 2026 until 08:55 UTC the next day, a pricing experiment showed "
            "visitors paying in euros, pounds, Canadian dollars and Australian dollars their annual price in "
            "the slot meant for the monthly price. About 46,000 new visitors saw the variant, and its "
            "trial-start rate fell 31 % below the control group, an estimated 650 fewer trial starts. The "
            "experiment was stopped with the platform's kill switch and a CDN purge once the daily health "
            "report showed the drop. The durable fix adds a per-currency rendering test for pricing "
            "variants, hourly guardrails that pause an experiment on their own, and a kill switch that "
            "purges cached variant pages."
        ),
        "impact": {
            "description": (
                "Visitors in the variant saw, for example, EUR 108 per month for a plan that costs EUR 9 per "
                "month. Checkout always showed and charged the correct price, so nobody paid a wrong amount. "
                "The trial-start rate in the variant was 3.1 % against 4.5 % in control across the four "
                "currencies; visitors paying in US dollars saw correct prices."
            ),
            "customers_affected": 46300,
            "customer_segments": ["New web visitors paying in EUR, GBP, CAD or AUD"],
            "revenue": {"amount": "58000.00", "currency": "USD"},
            "slo": "No SLO covers experiment quality",
            "internal_teams_blocked": [
                "Customer support (74 chats about prices)",
                "Pricing team (experiments paused for two weeks)",
            ],
            "public_communication": "No status page post; support sent a corrected-price message to 212 "
            "visitors who had contacted support or started a sign-up.",
            "regulatory": {
                "reportable": False,
                "regimes": ["EU consumer protection (price indication)"],
                "notes": "Legal reviewed the price-indication rules in the affected markets: because "
                "checkout showed and charged the correct price, no notification was required.",
            },
        },
        "timeline": [
            _event(
                "2026-04-13 15:30",
                "Experiment PRC-77 (annual-plan anchor layout) passes launch review; the "
                "review screenshots are in US dollars.",
                "change",
                "ticket",
                "Pricing product manager",
            ),
            _event(
                "2026-04-14 09:00",
                "PRC-77 is ramped to 20 % of new visitors in all markets.",
                "change",
                "log",
                "Experimentation engineer",
                "trigger",
            ),
            _event(
                "2026-04-14 09:40",
                "On the real-time experiment dashboard, trial starts for non-dollar "
                "visitors in the variant run 38 % below control. Guardrails are evaluated once a day.",
                source="dashboard",
                anchor="first signal",
            ),
            _event(
                "2026-04-14 11:15",
                "First chat from a visitor asking why the monthly plan costs EUR 108.",
                "communication",
                "ticket",
                "Support agent",
            ),
            _event(
                "2026-04-14 14:30",
                "Two more chats about the same price; they are tagged 'pricing "
                "question', a tag with no route to the team running pricing experiments.",
                source="ticket",
                actor="Support agent",
            ),
            _event(
                "2026-04-15 08:05",
                "The daily experiment health report shows variant conversion 31 % "
                "below control; the analyst raises it in the pricing channel.",
                source="dashboard",
                actor="Growth data analyst",
                anchor="detection",
            ),
            _event(
                "2026-04-15 08:20",
                "Split by currency, the drop appears only in EUR, GBP, CAD and AUD; visitors "
                "paying in US dollars convert as in control.",
                source="chat",
                actor="Growth data analyst",
            ),
            _event(
                "2026-04-15 08:32",
                "Decision to stop the experiment in all markets.",
                "decision",
                "chat",
                "Pricing product manager",
                decision=_decision(
                    "Stop PRC-77 everywhere; exclude the four affected currencies and keep the rest "
                    "running; keep running until the planned sample size.",
                    "The drop was limited to four currencies and its cause was unknown. Stopping would "
                    "cost a day of sample, and the kill switch can restart the experiment at any time. "
                    "Support had three chats about a wrong monthly price.",
                ),
            ),
            _event(
                "2026-04-15 08:35",
                "Incident declared as Sev2; the web on-call engineer is paged.",
                "communication",
                "chat",
                "Pricing product manager",
                "escalation",
            ),
            _event(
                "2026-04-15 08:41",
                "PRC-77 allocation set to 0 % with the experiment platform's kill switch.",
                "action",
                "log",
                "Experimentation engineer",
                "first mitigation attempt",
            ),
            _event(
                "2026-04-15 08:44",
                "CDN logs show variant pages still served from cache, which keeps plan pages for 30 minutes.",
                source="log",
                actor="Web on-call engineer",
            ),
            _event(
                "2026-04-15 08:52",
                "Plan-page paths purged from the CDN cache.",
                "action",
                "log",
                "Web on-call engineer",
            ),
            _event(
                "2026-04-15 08:55",
                "Variant traffic drops to zero; every visitor sees control prices.",
                source="dashboard",
                anchor="customer impact ended",
            ),
            _event(
                "2026-04-15 09:30",
                "Reproduced locally: for currencies other than US dollars, the variant "
                "template reads the annual amount into the monthly price slot.",
                source="interview",
                actor="Web engineer",
            ),
            _event(
                "2026-04-15 10:10",
                "A corrected-price message goes to 212 visitors who had contacted support or "
                "started a sign-up during the experiment.",
                "communication",
                "ticket",
                "Support lead",
            ),
            _event(
                "2026-04-15 11:00",
                "Decision to keep PRC-77 off until hourly guardrails and the cache purge exist.",
                "decision",
                "chat",
                "Experimentation lead",
                decision=_decision(
                    "Relaunch PRC-77 as soon as the template fix ships; keep it off until hourly "
                    "guardrails and the cache purge exist.",
                    "The template fix was small and tested, but the same detection gap applied to every "
                    "other experiment. The pricing roadmap allowed a two-week pause.",
                ),
            ),
            _event(
                "2026-04-15 13:40",
                "Template fix merged with a rendering test for each supported currency.",
                "change",
                "log",
                "Web engineer",
            ),
            _event(
                "2026-04-15 15:10",
                "Fix deployed to production; the experiment stays at 0 % pending review.",
                "change",
                "log",
                "Web engineer",
                "full resolution",
            ),
            _event(
                "2026-04-17 10:00",
                "Incident closed at the weekly pricing review.",
                "communication",
                "ticket",
                "Experimentation lead",
                "incident closed",
            ),
        ],
        "interviews": [
            {
                "role": "Growth data analyst",
                "held_at": _utc("2026-04-16 10:00"),
                "rows": [
                    _row(
                        "2026-04-15 08:05",
                        "Variant conversion 31 % below control in the daily report.",
                        "Posted the chart in the pricing channel and tagged the experiment owner.",
                        "The daily report is the only place guardrails are evaluated; a single day's dip can be noise.",
                    ),
                    _row(
                        "2026-04-15 08:20",
                        "The drop was confined to four currencies.",
                        "Shared the currency split.",
                        "A drop in some currencies only pointed at rendering rather than price sensitivity.",
                    ),
                ],
            },
            {
                "role": "Support agent",
                "held_at": _utc("2026-04-16 14:00"),
                "rows": [
                    _row(
                        "2026-04-14 11:15",
                        "A visitor quoted EUR 108 per month.",
                        "Replied with the correct price from the billing page and tagged the chat 'pricing question'.",
                        "Price questions are common, and the support tools do not show which experiments are live.",
                    ),
                ],
            },
        ],
        "went_well": _notes(
            (
                "mitigation",
                "Once decided, the kill switch set the experiment to 0 % within 9 minutes, without a deploy.",
            ),
            (
                "containment",
                (
                    "Checkout reads prices from the billing service, so every customer who signed "
                    "up was charged the correct amount."
                ),
            ),
            (
                "detection",
                (
                    "The currency split in the daily report narrowed the cause to localisation 15 "
                    "minutes after detection."
                ),
            ),
            (
                "communication",
                "Support sent a corrected-price message to 212 visitors 2 hours after detection.",
            ),
        ),
        "went_wrong": _notes(
            "Conversion guardrails are evaluated once a day, so a 38 % drop visible at 09:40 was acted on 22 hours "
            "later.",
            "The launch checklist asks for screenshots in one currency, so the variant was reviewed in US dollars "
            "only.",
            "Support chats tagged 'pricing question' have no route to the team running a pricing experiment.",
            "Cached variant pages stayed live for up to 30 minutes after the kill switch, because the switch "
            "does not purge the CDN.",
        ),
        "contributing_factors": [
            {
                "id": "b-f1",
                "category": "code",
                "text": "The variant template reads the annual amount into "
                "the monthly slot for every currency other than US dollars.",
            },
            {
                "id": "b-f2",
                "category": "process",
                "text": "The launch checklist requires screenshots in one currency only.",
            },
            {
                "id": "b-f3",
                "category": "monitoring",
                "text": "Experiment guardrails are evaluated once a day, with no automatic pause.",
            },
            {
                "id": "b-f4",
                "category": "organisation",
                "text": "Support signals about prices have no path to "
                "the owners of live pricing experiments.",
            },
            {
                "id": "b-f5",
                "category": "configuration",
                "text": "The CDN caches plan pages for 30 minutes and the kill switch does not purge them.",
            },
        ],
        "root_cause": {
            "method": "5 whys",
            "five_whys": _whys(
                "Sign-ups from non-dollar visitors in the PRC-77 variant fell 31 % for 24 hours.",
                [
                    (
                        "Why did sign-ups fall?",
                        (
                            "The variant showed the annual price where the monthly price "
                            "belongs, so plans looked twelve times more expensive."
                        ),
                    ),
                    (
                        "Why did it show the annual price?",
                        (
                            "The variant template reads the annual amount for "
                            "currencies other than US dollars; the control template uses the localised monthly amount."
                        ),
                    ),
                    (
                        "Why did review not catch it?",
                        (
                            "Launch review looks at screenshots in US dollars only, "
                            "and no automated test rendered variants in other currencies."
                        ),
                    ),
                    (
                        "Why did it run for 24 hours?",
                        (
                            "Guardrails are evaluated in a daily report, and nothing "
                            "pauses an experiment on its own."
                        ),
                    ),
                    (
                        "Why is evaluation daily?",
                        (
                            "The guardrail job was built for weekly decisions on long "
                            "experiments, before pricing experiments moved onto the platform."
                        ),
                    ),
                ],
                "Steps 3 to 5 each name a control we can add and test (A1, A2, A5); the template defect "
                "itself is fixed.",
            ),
            "statement": (
                "A localisation defect in one template met a review that looked at one currency and guardrails "
                "that run once a day. Either control alone would have stopped the drop within hours."
            ),
        },
        "action_items": [
            _action(
                "Evaluate conversion guardrails hourly and pause an experiment automatically",
                "Lena Fischer",
                "2026-04-28",
                "EXP-310",
                "detect",
                "P0",
                "An experiment whose primary conversion falls more than 15 % below control at 95 % "
                "confidence is paused within 2 hours; a replay of PRC-77's traffic in staging triggers "
                "the pause and posts it to the pricing channel.",
                ["b-f3"],
                "in progress",
            )
            | {"public_text": ("A test that lowers sign-ups is now paused within hours, not the next day.")},
            _action(
                "Render every pricing variant in each supported currency in CI",
                "Daniel Okafor",
                "2026-05-12",
                "WEB-2231",
                "prevent",
                "P1",
                "CI renders plan-page variants in USD, EUR, GBP, CAD and AUD and fails when the monthly slot "
                "differs from the localised monthly amount.",
                ["b-f1", "b-f2"],
                "done",
                "2026-04-24 16:00",
            )
            | {"public_text": "Every version of the plans page is now checked in every currency we offer."},
            _action(
                "Make the kill switch purge cached experiment pages",
                "Hana Kobayashi",
                "2026-05-12",
                "WEB-2232",
                "mitigate",
                "P1",
                "In staging, setting an experiment to 0 % serves control to 100 % of requests within 2 minutes.",
                ["b-f5"],
            ),
            _action(
                "Route 'pricing question' chats to the experiment owner while a pricing experiment is live",
                "Marta Nowak",
                "2026-06-30",
                "SUP-118",
                "respond",
                "P2",
                "A test chat with that tag posts to the pricing channel within 5 minutes while an "
                "experiment is live, and does not post when none is.",
                ["b-f4"],
            ),
            _action(
                "Add a multi-currency review to the experiment launch checklist",
                "Lena Fischer",
                "2026-06-30",
                "EXP-311",
                "process",
                "P2",
                "The checklist requires screenshots in five currencies, and the next three pricing "
                "experiments have them attached before ramp-up.",
                ["b-f2"],
            ),
        ],
        "lessons": _notes(
            "A guardrail is only as fast as its evaluation schedule; daily checks suit weekly decisions, not "
            "pricing changes.",
            "Support sees what customers see before any dashboard does; its signals need a route to whoever "
            "is changing the product.",
            "Experiments are releases, and they need the same review across locales as any release.",
        ),
        "where_we_got_lucky": _notes(
            "The ramp stayed at 20 %; the plan was to raise it to 50 % on the second day, which would have "
            "more than doubled the visitors affected.",
            "Checkout and billing take prices from the billing service, not from the plan page, so no "
            "customer was charged a wrong price.",
        ),
        "contacts": [
            _person("Samir Haddad", "Pricing product manager", "Pricing", "samir.haddad@example.com"),
            _person("Lena Fischer", "Experimentation lead", "Growth", "lena.fischer@example.com"),
            _person("Daniel Okafor", "Web engineer", "Storefront", "daniel.okafor@example.com"),
            _person("Hana Kobayashi", "Web on-call engineer", "Web platform", "hana.kobayashi@example.com"),
            _person("Marta Nowak", "Support lead", "Customer support", "marta.nowak@example.com"),
            _team("Growth analytics", "Experiment reporting", "#growth-analytics"),
        ],
        "links": [
            {
                "kind": "chat transcript",
                "label": "Pricing channel thread",
                "url": "https://chat.example.com/archives/inc-2026-0102",
            },
            {"kind": "dashboard", "label": "PRC-77 results", "url": "https://experiments.example.com/prc-77"},
            {
                "kind": "triggering change",
                "label": "Variant template",
                "url": "https://git.example.com/storefront/web/pull/4410",
            },
            {
                "kind": "runbook",
                "label": "Experiment kill switch",
                "url": "https://wiki.example.com/runbooks/experiment-kill-switch",
            },
            {
                "kind": "ticket",
                "label": "Incident ticket",
                "url": "https://tracker.example.com/browse/INC-2026-0102",
            },
        ],
        "sign_offs": [
            {"role": "author", "name": "Samir Haddad", "signed_at": _utc("2026-04-21 16:00")},
        ],
    }


# --- (c) Sev3, new class of failure: a missed mobile launch ------------------------------------


def _mobile_launch() -> dict[str, Any]:
    return {
        "header": {
            "incident_id": "INC-2026-0103",
            "title": "Mobile 5.0 launch slipped by 13 hours after app review rejected the iOS build",
            "trigger": "missed launch",
            "severity": "Sev3",
            "status": "final",
            "novel_failure_class": True,
            "services": ["iOS app", "Android app", "release pipeline", "campaign email"],
            "failure_class": "Launch coordination: store review",
            "tags": ["mobile", "release", "app review", "launch"],
            "author_role": "Mobile release manager",
            "reviewer_roles": ["Mobile engineering lead", "Marketing operations lead"],
        },
        "resolution": (
            "The app's build was given the privacy declaration its analytics library needs, resubmitted with "
            "an expedited review request, and released on both stores once approved; the held campaign emails "
            "went out the next day."
        ),
        "public": {
            "title": "Version 5.0 of the mobile app arrived 19 hours after it was announced",
            "what_customers_saw": (
                "Subscribers in Asia-Pacific received an email announcing version 5.0 of the mobile app about 19 "
                "hours before it was available in the stores. The app itself kept working."
            ),
            "what_happened": (
                "The app store's review turned down our new version because a privacy declaration was missing "
                "from it. We added the declaration and asked for a faster review, but the announcement email "
                "had already gone out."
            ),
        },
        "summary": (
            "Version 5.0 of the mobile app was planned to launch on both stores at 14:00 UTC on 19 May 2026, "
            "together with an email campaign. App review rejected the iOS build that morning because a "
            "third-party analytics SDK, upgraded the week before, uses an API that needs a declared reason "
            "in the app's privacy manifest. The team paused the remaining campaign emails, fixed the "
            "manifest and released both platforms at 03:10 UTC on 20 May after an expedited review, but "
            "140,000 subscribers in Asia-Pacific had already received an email announcing features they "
            "could not get for 19 hours. The durable fix makes the release pipeline fail on privacy-manifest "
            "warnings and sends launch emails only once both stores show the release as live."
        ),
        "impact": {
            "description": (
                "No existing feature stopped working. 140,000 email subscribers in Asia-Pacific received the 08:00 "
                "UTC campaign email announcing version 5.0 while it was not yet available; 860 of them contacted "
                "support, and the iOS app received 37 one-star reviews mentioning the missing update. A press "
                "embargo lifted at 14:00 UTC, with articles linking to a release that was not out yet."
            ),
            "customers_affected": 140000,
            "customer_segments": ["Asia-Pacific email subscribers", "iOS and Android users looking for 5.0"],
            "internal_teams_blocked": [
                "Marketing (campaign moved by a day)",
                ("Partnerships (press briefing rescheduled)"),
                "Customer support (860 contacts)",
            ],
            "public_communication": "Social post at 10:15 UTC and an in-app banner in Asia-Pacific saying "
            "the update would arrive within a day.",
            "regulatory": {"reportable": False, "notes": "No personal data involved."},
        },
        "timeline": [
            _event(
                "2026-05-11 10:00",
                "The analytics SDK is upgraded from 9.1 to 9.2 in the iOS app; its changelog "
                "lists the new API use under internal changes.",
                "change",
                "log",
                "iOS engineer",
            ),
            _event(
                "2026-05-15 17:00",
                "Code freeze for 5.0; the launch plan schedules store submission for 18 May "
                "and launch for 19 May at 14:00 UTC.",
                "communication",
                "ticket",
                "Mobile release manager",
            ),
            _event(
                "2026-05-18 16:10",
                "iOS build 512 is submitted to app review, 22 hours before the planned launch.",
                "change",
                "log",
                "Mobile release manager",
                "trigger",
            ),
            _event(
                "2026-05-18 16:25",
                "The upload tool warns that the privacy manifest lacks a declared "
                "reason for an API used by the analytics SDK. The pipeline treats warnings as "
                "informational and passes.",
                anchor="first signal",
            ),
            _event(
                "2026-05-18 16:40",
                "The Android 5.0 build is approved and staged at 0 % rollout for 14:00 UTC.",
                "action",
                "ticket",
                "Android engineer",
            ),
            _event(
                "2026-05-19 06:50",
                "App review rejects build 512 over the missing privacy-manifest "
                "reason; the notice goes to the release mailbox.",
                "alert",
                "ticket",
            ),
            _event(
                "2026-05-19 08:00",
                "The campaign email goes to the Asia-Pacific segment (140,000 "
                "subscribers) on schedule, announcing 5.0 as available today.",
                "communication",
                "log",
                "Marketing operations specialist",
                "customer impact began",
            ),
            _event(
                "2026-05-19 09:12",
                "The rejection notice is read at the start of the working day in Europe.",
                "observation",
                "ticket",
                "Mobile release manager",
                "detection",
            ),
            _event(
                "2026-05-19 09:30",
                "Incident declared as Sev3 and marked as a new class of failure; the mobile "
                "engineering lead and marketing operations join the channel.",
                "communication",
                "chat",
                "Mobile release manager",
                "escalation",
            ),
            _event(
                "2026-05-19 09:40",
                "Decision to hold both platforms and the remaining emails until iOS is approved.",
                "decision",
                "chat",
                "Mobile engineering lead",
                decision=_decision(
                    "Launch Android at 14:00 UTC and iOS when approved; hold both platforms and the "
                    "campaign; launch both with the analytics SDK removed.",
                    "The fix was estimated at two to three hours. Expedited reviews that month took 12 to 30 "
                    "hours. The email promised both platforms, and its next segment (1.06 million subscribers) "
                    "was due at 13:00 UTC. Removing the SDK would also remove the 5.0 funnel analytics.",
                ),
            ),
            _event(
                "2026-05-19 09:48",
                "The 13:00 UTC email segments are paused and the press contacts are "
                "told the launch moves by a day.",
                "action",
                "log",
                "Marketing operations specialist",
                "first mitigation attempt",
            ),
            _event(
                "2026-05-19 10:05",
                "The API is traced to analytics SDK 9.2; the vendor ships a manifest "
                "file that the app build did not include.",
                source="interview",
                actor="iOS engineer",
            ),
            _event(
                "2026-05-19 10:15",
                "Social post and in-app banner in Asia-Pacific: the update arrives within a day.",
                "communication",
                "chat",
                "Social media lead",
            ),
            _event(
                "2026-05-19 10:50",
                "Build 513 adds the SDK's privacy manifest; the upload tool reports no warnings.",
                "change",
                "log",
                "iOS engineer",
            ),
            _event(
                "2026-05-19 11:20",
                "Build 513 is submitted with an expedited review request that "
                "explains the launch commitment.",
                "action",
                "ticket",
                "Mobile release manager",
            ),
            _event(
                "2026-05-19 14:00",
                "The press embargo lifts; two articles link to store pages that still show version 4.9.",
                source="other",
                actor="Partnerships manager",
            ),
            _event("2026-05-20 02:40", "App review approves build 513.", "alert", "ticket"),
            _event(
                "2026-05-20 03:10",
                "Version 5.0 is released on both stores at 100 %; the Asia-Pacific "
                "banner is replaced with the launch message.",
                "action",
                "log",
                "Mobile release manager",
                "customer impact ended",
            ),
            _event(
                "2026-05-20 13:00",
                "The rescheduled campaign email goes to the remaining 1.06 million subscribers.",
                "communication",
                "log",
                "Marketing operations specialist",
            ),
            _event(
                "2026-05-20 15:00",
                "Crash-free sessions have held at 99.8 % for 12 hours on both "
                "platforms and the campaign is complete; the launch is declared done.",
                source="dashboard",
                actor="Mobile engineering lead",
                anchor="full resolution",
            ),
            _event(
                "2026-05-21 10:00",
                "Incident closed at the release retrospective.",
                "communication",
                "ticket",
                "Mobile release manager",
                "incident closed",
            ),
        ],
        "interviews": [
            {
                "role": "Mobile release manager",
                "held_at": _utc("2026-05-21 11:00"),
                "rows": [
                    _row(
                        "2026-05-18 16:25",
                        "The pipeline finished green.",
                        "Submitted the build for review.",
                        "Upload warnings had appeared in earlier releases without a rejection.",
                    ),
                    _row(
                        "2026-05-19 09:12",
                        "The rejection notice in the release mailbox.",
                        "Declared an incident and brought in the engineering lead and marketing.",
                        "The Asia-Pacific email had gone out at 08:00 UTC.",
                    ),
                ],
            },
            {
                "role": "iOS engineer",
                "held_at": _utc("2026-05-21 14:00"),
                "rows": [
                    _row(
                        "2026-05-11 10:00",
                        "The SDK 9.2 changelog listed performance and internal changes.",
                        "Upgraded the SDK; all tests passed.",
                        "Nothing in the changelog mentioned privacy manifests.",
                    ),
                ],
            },
        ],
        "went_well": _notes(
            (
                "decision-making",
                (
                    "The hold decision came 28 minutes after the rejection notice was read, "
                    "before the 13:00 UTC segment to 1.06 million subscribers."
                ),
            ),
            (
                "mitigation",
                "The manifest fix went from diagnosis to a clean build in 45 minutes (10:05 to 10:50 UTC).",
            ),
            (
                "communication",
                (
                    "Support, social and partnerships shared one message within an hour of detection, "
                    "and the in-app banner cut new support contacts from 210 to 40 per hour."
                ),
            ),
            (
                "recovery",
                (
                    "The expedited review request explained the launch commitment and was approved in "
                    "15 hours 20 minutes."
                ),
            ),
        ),
        "went_wrong": _notes(
            "The launch plan left 22 hours between store submission and launch, while review times that "
            "month ranged from 12 to 30 hours.",
            "Upload-tool warnings do not fail the release pipeline and are not routed to anyone.",
            "Campaign emails are scheduled by clock time, not by release state, so an email went out for a "
            "release that was not live.",
            "Rejection notices arrive in a mailbox read during European working hours; the notice waited 2 "
            "hours 22 minutes, and the Asia-Pacific email went out in that window.",
        ),
        "contributing_factors": [
            {
                "id": "c-f1",
                "category": "dependency",
                "text": "Analytics SDK 9.2 uses an API that needs a declared "
                "reason in the privacy manifest; its changelog listed the change as internal.",
                "accepted_rationale": "Vendor changelogs are outside our control; instead of depending on them "
                "we add our own check to the pipeline (A1) and a monthly policy review (A5).",
            },
            {
                "id": "c-f2",
                "category": "process",
                "text": "The launch plan had no buffer for store review times of up to 30 hours.",
            },
            {
                "id": "c-f3",
                "category": "monitoring",
                "text": "Upload-tool warnings pass the release pipeline and reach nobody.",
            },
            {
                "id": "c-f4",
                "category": "process",
                "text": "Campaign emails are scheduled by clock time with no link to the release being live.",
            },
            {
                "id": "c-f5",
                "category": "monitoring",
                "text": "Rejection notices go to a mailbox read in working "
                "hours, not to the release channel.",
            },
        ],
        "root_cause": {
            "method": "5 whys",
            "five_whys": _whys(
                "Version 5.0 launched 13 hours late, after an email had announced it to 140,000 subscribers.",
                [
                    (
                        "Why did the launch slip?",
                        (
                            "App review rejected the iOS build on the launch morning, and "
                            "the fixed build needed a second review."
                        ),
                    ),
                    (
                        "Why was it rejected?",
                        (
                            "Analytics SDK 9.2 uses an API that needs a declared reason, and "
                            "the app's privacy manifest did not declare it."
                        ),
                    ),
                    (
                        "Why did the build go out without the declaration?",
                        (
                            "The upload tool's warning about it does "
                            "not fail the pipeline and is not shown to anyone after the run."
                        ),
                    ),
                    (
                        "Why does that warning not fail the pipeline?",
                        (
                            "The pipeline was set up when upload warnings "
                            "were advisory; privacy-manifest warnings later became rejection reasons, and the pipeline's "
                            "rules stayed as they were."
                        ),
                    ),
                    (
                        "Why did the rules stay as they were?",
                        (
                            "No role is responsible for checking store policy "
                            "changes against the pipeline; store announcements arrive on a mailing list without an owner."
                        ),
                    ),
                ],
                "Actionable: a failing check (A1) and an owner for store policy changes (A5) end this chain. The "
                "missing schedule buffer and the clock-based email are parallel conditions, covered by A2 and A3.",
            ),
            "statement": (
                "Three conditions combined: a vendor SDK change that needed a manifest declaration, a "
                "pipeline that let the related warning pass, and a launch plan whose submission date and "
                "email schedule assumed a first-time approval. Without any one of them the launch would have "
                "kept its date, or the announcement would have waited for the release."
            ),
        },
        "action_items": [
            _action(
                "Fail the iOS release pipeline on privacy-manifest warnings from the upload tool",
                "Ravi Menon",
                "2026-06-12",
                "MOB-904",
                "prevent",
                "P1",
                "A test build that uses a required-reason API without a declaration fails the pipeline "
                "and prints the warning; the same build with the declaration passes.",
                ["c-f3"],
            )
            | {"public_text": ("Our release checks now stop a build that the app store would turn down.")},
            _action(
                "Submit store builds at least 4 business days before a public launch",
                "Claire Dubois",
                "2026-06-19",
                "REL-77",
                "process",
                "P1",
                "The launch checklist template has a dated 'submitted for review' step 4 business days "
                "before launch, and the next two launches record it.",
                ["c-f2"],
            ),
            _action(
                "Send launch emails only when both stores show the release as live",
                "Kenji Sato",
                "2026-06-19",
                "MKT-1502",
                "prevent",
                "P1",
                "In staging, a campaign linked to a release that is not live on both stores does not "
                "send, and posts the reason to the launch channel.",
                ["c-f4"],
            )
            | {"public_text": ("We announce a new version only once it is available in both app stores.")},
            _action(
                "Post app review status changes to the mobile release channel",
                "Ravi Menon",
                "2026-08-14",
                "MOB-905",
                "detect",
                "P2",
                "Status changes of a test submission, including a rejection, appear in the channel "
                "within 5 minutes.",
                ["c-f5"],
            ),
            _action(
                "Review store policy announcements against the pipeline checks every month",
                "Claire Dubois",
                "2026-08-14",
                "REL-78",
                "process",
                "P2",
                "A recurring ticket exists with the release manager as owner, and the first two reviews "
                "are recorded with any pipeline changes they led to.",
                ["c-f3"],
            ),
            _action(
                "Write a 'launch is slipping' playbook naming who handles email, social, support and partners",
                "Ana Costa",
                "2026-08-28",
                "REL-79",
                "respond",
                "P2",
                "Marketing, support and partnerships leads have reviewed the playbook, and a tabletop "
                "run of this incident finishes in 30 minutes.",
                ["c-f4"],
            ),
        ],
        "lessons": _notes(
            "A launch date that depends on a third party's review needs slack at least as large as that "
            "party's slowest normal response.",
            "Announcements are part of the release: gating them on the release being live matters as much as "
            "the build passing its tests.",
            "Advisory warnings turn into hard failures as platform rules change; warnings need an owner who "
            "re-checks them.",
        ),
        "where_we_got_lucky": _notes(
            "Expedited review approved the fixed build overnight; standard review that week was taking up to 30 "
            "hours.",
            "Only the Asia-Pacific segment had been sent; the remaining 1.06 million emails were still "
            "scheduled and could be paused.",
        ),
        "contacts": [
            _person("Claire Dubois", "Mobile release manager", "Mobile", "claire.dubois@example.com"),
            _person("Ravi Menon", "iOS engineer", "Mobile", "ravi.menon@example.com"),
            _person("Ana Costa", "Mobile engineering lead", "Mobile", "ana.costa@example.com"),
            _person("Kenji Sato", "Marketing operations lead", "Marketing", "kenji.sato@example.com"),
            _team("Mobile release", "Release coordination", "#mobile-release"),
        ],
        "links": [
            {
                "kind": "chat transcript",
                "label": "Launch channel",
                "url": "https://chat.example.com/archives/inc-2026-0103",
            },
            {
                "kind": "triggering change",
                "label": "Analytics SDK 9.2 upgrade",
                "url": "https://git.example.com/mobile/ios-app/pull/2291",
            },
            {"kind": "dashboard", "label": "Release 5.0 health", "url": "https://releases.example.com/5.0"},
            {
                "kind": "runbook",
                "label": "Mobile release checklist",
                "url": "https://wiki.example.com/runbooks/mobile-release-checklist",
            },
            {
                "kind": "ticket",
                "label": "Incident ticket",
                "url": "https://tracker.example.com/browse/INC-2026-0103",
            },
        ],
        "sign_offs": [
            {"role": "author", "name": "Claire Dubois", "signed_at": _utc("2026-05-22 12:00")},
            {"role": "team lead", "name": "Ana Costa", "signed_at": _utc("2026-05-26 09:30")},
        ],
    }
