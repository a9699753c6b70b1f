"""The one base of every error Debrief raises on purpose.

Its message is written for the person using the app or the command line; the CLI and the app each
translate a DebriefError into what they show in exactly one place. Anything that is not a DebriefError
is a bug and keeps its traceback.
"""

from __future__ import annotations

from pydantic import ValidationError


class DebriefError(Exception):
    """An error with a message meant for the user (not a traceback)."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


# Pydantic's validation errors as sentences an author understands, one per field.
FIELD_LABELS = {
    "header": "Header",
    "incident_id": "Incident ID",
    "title": "Title",
    "trigger": "What happened",
    "severity": "Severity",
    "times": "Key times",
    "started_at": "Started",
    "first_signal_at": "First signal",
    "detected_at": "Detected",
    "mitigated_at": "Mitigated",
    "impact_ended_at": "Customer impact ended",
    "resolved_at": "Resolved",
    "closed_at": "Closed",
    "impact": "Impact",
    "customers_affected": "Customers affected",
    "customers_affected_note": "How counted, or who",
    "revenue": "Revenue",
    "amount": "Amount",
    "currency": "Currency (ISO code)",
    "error_budget_burned_pct": "SLO error budget burned (%)",
    "timeline": "Timeline",
    "at": "Time (UTC)",
    "text": "Text",
    "kind": "Kind",
    "anchor": "Anchor",
    "source": "Source",
    "action_items": "Action items",
    "owner": "Owner",
    "due": "Due date",
    "priority": "Priority",
    "category": "Category",
    "status": "Status",
    "cancel_reason": "Reason for cancelling",
    "contacts": "Contacts",
    "name": "Name",
    "links": "Links",
    "url": "URL",
    "sign_offs": "Sign-offs",
    "went_well": "What went well",
    "went_wrong": "What went wrong",
    "contributing_factors": "Contributing factors",
    "lessons": "Lessons learned",
    "where_we_got_lucky": "Where we got lucky",
    "recurrences": "Recurrences",
    "interviews": "Interviews",
    "role": "Role",
    # The rest, as the wizard's steps label them.
    "summary": "Summary",
    "services": "Services affected",
    "failure_class": "Failure class",
    "tags": "Tags",
    "novel_failure_class": "New class of failure",
    "author_role": "Author (role)",
    "reviewer_roles": "Reviewers (roles)",
    "severity_changes": "Severity changes",
    "reason": "Reason",
    "description": "What customers and colleagues experienced",
    "customer_segments": "Customer segments",
    "internal_teams_blocked": "Internal teams blocked",
    "public_communication": "Public communication made",
    "slo": "Which SLO",
    "regulatory": "Regulatory and compliance",
    "regimes": "Regimes that may apply",
    "actor_role": "Who (role)",
    "observed": "What they observed",
    "did": "What they did",
    "knew": "What they knew then",
    "root_cause": "Root-cause analysis",
    "method": "Method used",
    "statement": "Statement",
    "tracker": "Ticket",
    "acceptance_criteria": "Acceptance criteria",
    "signed_at": "Signed at (UTC)",
}

_PLAIN = {
    "missing": "is required",
    "string_too_short": "cannot be empty",
    "string_too_long": "is too long (at most {max_length:,} characters)",
    "string_pattern_mismatch": "has characters that are not allowed here",
    "timezone_aware": "needs a time zone (for example 2026-03-04T10:15Z)",
    "datetime_from_date_parsing": "is not a date and time (use 2026-03-04 10:15)",
    "datetime_parsing": "is not a date and time (use 2026-03-04 10:15)",
    "date_from_datetime_parsing": "is not a date (use 2026-03-04)",
    "date_from_datetime_inexact": "is not a date (use 2026-03-04)",
    "date_parsing": "is not a date (use 2026-03-04)",
    "decimal_max_places": "can have at most {decimal_places} decimal places",
    "bool_parsing": "must be yes or no",
    "enum": "must be one of: {expected}",
    "extra_forbidden": "is not a field Debrief knows",
    "int_parsing": "must be a whole number",
    "decimal_parsing": "must be a number",
    "float_parsing": "must be a number",
    "greater_than_equal": "cannot be below {ge}",
    "less_than_equal": "cannot be above {le}",
}


def _label(loc: tuple) -> str:
    parts = []
    for piece in loc:
        if isinstance(piece, int):
            parts.append(f"row {piece + 1}")
        elif piece in FIELD_LABELS:
            parts.append(FIELD_LABELS[piece])
        elif not str(piece).startswith(("function-", "tagged-union")):
            parts.append(str(piece).replace("_", " "))
    return " › ".join(parts) or "Document"


def _plain_numbers(ctx: dict) -> dict:
    # A float field's bound arrives as 10000.0; authors should read 10000.
    return {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in ctx.items()}


def describe(error: ValidationError) -> list[str]:
    """One readable line per problem, naming the field the way the wizard labels it."""
    lines = []
    for item in error.errors():
        template = _PLAIN.get(item["type"])
        if item["type"] == "value_error":
            message = str(item["msg"]).removeprefix("Value error, ")
        elif template:
            message = template.format(**_plain_numbers(item.get("ctx") or {}))
        else:
            message = item["msg"]
        lines.append(f"{_label(item['loc'])}: {message}")
    return lines


class SettingsError(DebriefError, ValueError):
    """A setting (environment variable or command-line option) that cannot be used; the message names it."""
