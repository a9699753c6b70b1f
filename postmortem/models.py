"""The post-mortem document: ten sections plus an appendix, as pydantic v2 models.

Drafts are incomplete by nature, so almost every field may be empty here; what a finished
document needs is checked by the review rules, not by the model. The model refuses only what is
nonsense at any stage: wrong types, times out of order, a cancelled item with no reason.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

SCHEMA_VERSION = 1


def new_id() -> str:
    """A short random id for list items, stable across edits and reorders."""
    return uuid.uuid4().hex[:12]


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
# Control characters (ESC, NUL, ...) but tab and newline: written raw into Markdown sent to a terminal
# they would move the cursor or recolour it. Bidi overrides would make a title or ID read differently
# from what it is, so those fields lose them too. Checked once per string with one regex search.
_CONTROLS = dict.fromkeys([*range(0, 9), *range(11, 32), *range(127, 160)])
_BIDI = dict.fromkeys([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def without_controls(value: str, bidi: bool = False) -> str:
    """The text without control characters (a carriage return becomes a newline), and without bidi
    overrides if asked."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROLS)
    return value.translate(_BIDI) if bidi else value


def _plain(value: str) -> str:
    # Stripped again: removing a control character can uncover white space at either end.
    return without_controls(value).strip() if _UNWANTED.search(value) else value


def _plain_required(value: str) -> str:
    # A required field of nothing but control characters keeps a visible mark instead of becoming empty.
    return (_plain(value) or "\ufffd") if value else value


def _plain_no_bidi(value: str) -> str:
    return (without_controls(value, bidi=True).strip() or "\ufffd") if _UNWANTED.search(value) else value


# After the length limits in each Annotated, so pydantic's own error types (string_too_long) stay.
Plain, PlainRequired = AfterValidator(_plain), AfterValidator(_plain_required)
PlainNoBidi = AfterValidator(_plain_no_bidi)
ShortText = Annotated[str, Field(max_length=500), Plain]
LongText = Annotated[str, Field(max_length=100_000), Plain]


class Strict(BaseModel):
    """Base for every section: unknown keys are an error, so a wrong file is refused, not half-read."""

    # Frozen: stored documents are shared between reruns (storage caches parses); edits make copies.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class TriggerKind(StrEnum):
    OUTAGE = "outage"
    REGRESSION = "regression"
    MISSED_LAUNCH = "missed launch"
    FAILED_EXPERIMENT = "failed experiment"
    CUSTOMER_ESCALATION = "customer escalation"
    SECURITY = "security"
    DATA_LOSS = "data loss"
    NEAR_MISS = "near miss"


class Severity(StrEnum):
    SEV0 = "Sev0"
    SEV1 = "Sev1"
    SEV2 = "Sev2"
    SEV3 = "Sev3"
    SEV4 = "Sev4"
    NEAR_MISS = "Near miss"

    @property
    def rank(self) -> int:
        """0 is the most severe; a near miss ranks below Sev4 because nobody was affected."""
        return list(Severity).index(self)


class DocStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in review"
    FINAL = "final"
    PUBLISHED = "published"


class Anchor(StrEnum):
    TRIGGER = "trigger"
    FIRST_SIGNAL = "first signal"
    IMPACT_STARTED = "customer impact began"
    DETECTION = "detection"
    ESCALATION = "escalation"
    FIRST_MITIGATION = "first mitigation attempt"
    MITIGATED = "mitigated"  # customer impact brought under control, not merely the first attempt
    IMPACT_ENDED = "customer impact ended"
    RESOLUTION = "full resolution"
    CLOSED = "incident closed"


class EventKind(StrEnum):
    OBSERVATION = "observation"
    ACTION = "action"
    DECISION = "decision"
    COMMUNICATION = "communication"
    ALERT = "alert"
    CHANGE = "change"


class EventSource(StrEnum):
    LOG = "log"
    CHAT = "chat"
    INTERVIEW = "interview"
    ALERT = "alert"
    DASHBOARD = "dashboard"
    TICKET = "ticket"
    OTHER = "other"


class ActionCategory(StrEnum):
    PREVENT = "prevent"
    DETECT = "detect"
    MITIGATE = "mitigate"
    RESPOND = "respond"
    PROCESS = "process"


class Priority(StrEnum):
    P0 = "P0"
    P1 = "P1"
    P2 = "P2"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in progress"
    IN_REVIEW = "in review"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def is_closed(self) -> bool:
        return self in (ActionStatus.DONE, ActionStatus.CANCELLED)


class RcaMethod(StrEnum):
    FIVE_WHYS = "5 whys"
    CAUSAL_TREE = "causal tree"
    HYBRID = "hybrid"


class FactorCategory(StrEnum):
    CODE = "code"
    CONFIGURATION = "configuration"
    CAPACITY = "capacity"
    DEPENDENCY = "dependency"
    MONITORING = "monitoring"
    PROCESS = "process"
    DOCUMENTATION = "documentation"
    ORGANISATION = "organisation"
    EXTERNAL = "external"


class ContactKind(StrEnum):
    PERSON = "person"
    TEAM = "team"


class LinkKind(StrEnum):
    CHAT = "chat transcript"
    DASHBOARD = "dashboard"
    POSTMORTEM = "related post-mortem"
    RUNBOOK = "runbook"
    CHANGE = "triggering change"
    TICKET = "ticket"
    OTHER = "other"


class SignOffRole(StrEnum):
    AUTHOR = "author"
    INCIDENT_COMMANDER = "incident commander"
    TEAM_LEAD = "team lead"


# --- 1. Header -------------------------------------------------------------------------------


# Pairs of key times that must come in this order, with the sentence an author reads when they do not.
TIME_ORDER: tuple[tuple[str, str, str], ...] = (
    ("first_signal_at", "detected_at", "Detection cannot come before the first signal."),
    ("started_at", "impact_started_at", "Customer impact cannot begin before the incident started."),
    ("impact_started_at", "impact_ended_at", "Customer impact cannot end before it began."),
    ("started_at", "impact_ended_at", "Impact cannot end before the incident started."),
    ("unavailable_from", "unavailable_to", "Full unavailability cannot end before it began."),
    ("detected_at", "mitigated_at", "Mitigation cannot come before detection."),
    ("detected_at", "resolved_at", "Resolution cannot come before detection."),
    ("resolved_at", "closed_at", "The incident cannot close before it was resolved."),
)


class IncidentTimes(Strict):
    """The key moments of the incident, stored in UTC; postmortem.timeline derives every duration from them."""

    started_at: UtcDatetime | None = None  # the trigger: when the incident occurred
    first_signal_at: UtcDatetime | None = None
    impact_started_at: UtcDatetime | None = None  # the first moment a customer was affected
    detected_at: UtcDatetime | None = None
    first_mitigation_at: UtcDatetime | None = None  # the first attempt, whether or not it helped
    mitigated_at: UtcDatetime | None = None  # customer impact brought under control
    impact_ended_at: UtcDatetime | None = None
    resolved_at: UtcDatetime | None = None
    closed_at: UtcDatetime | None = None
    # Optional: the window in which the service was not available at all (a regulator's "downtime").
    unavailable_from: UtcDatetime | None = None
    unavailable_to: UtcDatetime | None = None
    # Names of the fields above the author only knows roughly; exports show them as "about 17:30".
    approximate: list[ShortText] = []

    @model_validator(mode="after")
    def _in_order(self) -> IncidentTimes:
        for earlier, later, message in TIME_ORDER:
            a, b = getattr(self, earlier), getattr(self, later)
            if a and b and b < a:
                raise ValueError(message)
        return self


class SeverityChange(Strict):
    """A recorded change of severity; lowering one needs a reason (see severity.change_severity)."""

    from_severity: Severity
    to_severity: Severity
    at: UtcDatetime
    reason: ShortText = ""


class Header(Strict):
    incident_id: Annotated[str, Field(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    title: Annotated[str, Field(min_length=1, max_length=200), PlainNoBidi]
    trigger: TriggerKind = TriggerKind.OUTAGE
    severity: Severity = Severity.SEV2
    severity_changes: list[SeverityChange] = []
    novel_failure_class: bool = False
    status: DocStatus = DocStatus.DRAFT
    services: list[ShortText] = []
    failure_class: ShortText = ""
    tags: list[ShortText] = []
    author_role: ShortText = ""
    reviewer_roles: list[ShortText] = []
    times: IncidentTimes = IncidentTimes()
    # Hostnames, service and team names the author keeps out of the public status-page document.
    internal_names: list[ShortText] = []


# --- 3. Impact -------------------------------------------------------------------------------


class Money(Strict):
    amount: Decimal = Field(ge=0, max_digits=18, decimal_places=2)
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"


RegulatoryAnswer = Annotated[str, Field(max_length=100_000)] | list[ShortText] | bool


class Regulatory(Strict):
    reportable: bool | None = None
    regimes: list[ShortText] = []
    notes: LongText = ""
    # The regime whose report the Regulatory report step fills (a key of postmortem.regimes), the report's
    # stage, and the author's answer per field code; pre-filled values are not stored, so they stay current.
    regime: ShortText = ""
    stage: ShortText = ""
    answers: dict[ShortText, RegulatoryAnswer] = {}


class Impact(Strict):
    description: LongText = ""
    customers_affected: int | None = Field(default=None, ge=0)
    # "All US Cloud customers" is an answer too: a count may be an estimate, and a note says how it was
    # reached or, with no count, who was affected. Both default empty, so older documents stay valid.
    customers_affected_estimated: bool = False
    customers_affected_note: ShortText = ""
    customer_segments: list[ShortText] = []
    revenue: Money | None = None
    error_budget_burned_pct: float | None = Field(default=None, ge=0, le=10_000)
    slo: ShortText = ""
    internal_teams_blocked: list[ShortText] = []
    public_communication: LongText = ""
    regulatory: Regulatory = Regulatory()
    # None: not stated. The regulator's "data losses" is filled only from this, never guessed.
    data_lost: bool | None = None


# --- 4. Timeline -----------------------------------------------------------------------------


class DecisionPoint(Strict):
    """What the people deciding had in front of them at that moment."""

    options: LongText = ""
    information_available: LongText = ""
    reversible: bool | None = None


class TimelineEvent(Strict):
    id: str = Field(default_factory=new_id)
    at: UtcDatetime
    text: LongText
    kind: EventKind = EventKind.OBSERVATION
    anchor: Anchor | None = None
    actor_role: ShortText = ""
    source: EventSource = EventSource.OTHER
    internal: bool = False
    decision: DecisionPoint | None = None
    # Where an imported event came from (a hash of its chat message), so importing the same
    # transcript again adds nothing twice. Empty for events typed by hand.
    origin_key: ShortText = ""


class InterviewRow(Strict):
    id: str = Field(default_factory=new_id)
    at: UtcDatetime | None = None
    observed: LongText = ""
    did: LongText = ""
    knew: LongText = ""
    merged_event_id: str | None = None


class Interview(Strict):
    """One conversation with one participant, recorded by role, never by name."""

    id: str = Field(default_factory=new_id)
    role: ShortText
    held_at: UtcDatetime | None = None
    notes: LongText = ""
    rows: list[InterviewRow] = []


# --- 5-7. Went well, went wrong, contributing factors ---------------------------------------


class Note(Strict):
    id: str = Field(default_factory=new_id)
    text: LongText
    group: ShortText = ""


class ContributingFactor(Strict):
    id: str = Field(default_factory=new_id)
    text: LongText
    category: FactorCategory = FactorCategory.PROCESS
    accepted_rationale: LongText = ""


# --- 8. Root-cause analysis ------------------------------------------------------------------


class WhyStep(Strict):
    id: str = Field(default_factory=new_id)
    question: LongText = ""
    answer: LongText = ""


class FiveWhys(Strict):
    problem: LongText = ""
    steps: list[WhyStep] = []
    stop_reason: LongText = ""


class NodeKind(StrEnum):
    OUTCOME = "outcome"
    ROOT_CAUSE = "root cause"
    CONTRIBUTING = "contributing factor"
    CONDITION = "condition"


class Relation(StrEnum):
    """How a node's children combine to produce it."""

    AND = "all of"
    OR = "any of"


class CausalNode(Strict):
    """One box of the causal tree; the root (no parent) is the outcome, every other node a factor."""

    id: str = Field(default_factory=new_id)
    parent_id: str | None = None
    text: LongText
    kind: NodeKind = NodeKind.CONTRIBUTING
    relation: Relation = Relation.AND
    notes: LongText = ""
    evidence: list[str] = []  # ids of the timeline events that show it
    factor_id: str | None = None  # the contributing factor (section 7) it stands for
    accepted_rationale: LongText = ""


class CausalTree(Strict):
    """Stored flat, each node naming its parent; postmortem.causal checks the shape and edits it."""

    nodes: list[CausalNode] = []

    @model_validator(mode="after")
    def _unique_ids(self) -> CausalTree:
        ids = [node.id for node in self.nodes]
        if len(ids) != len(set(ids)):
            raise ValueError("Two nodes of the causal tree share an id.")
        return self


class RootCauseAnalysis(Strict):
    method: RcaMethod | None = None
    five_whys: FiveWhys = FiveWhys()
    statement: LongText = ""
    causal_tree: CausalTree = CausalTree()


# --- 9. Action items -------------------------------------------------------------------------


class ActionItem(Strict):
    id: str = Field(default_factory=new_id)
    title: Annotated[str, Field(min_length=1, max_length=300), PlainNoBidi]
    owner: ShortText = ""
    due: date | None = None
    tracker: Annotated[str, Field(max_length=500), PlainNoBidi] = ""  # a ticket ID: no bidi overrides
    category: ActionCategory | None = None
    priority: Priority | None = None
    acceptance_criteria: LongText = ""
    status: ActionStatus = ActionStatus.OPEN
    cancel_reason: LongText = ""
    closed_at: UtcDatetime | None = None
    factor_ids: list[str] = []  # contributing factors or causal-tree nodes this item addresses
    # How the change reads for customers; empty keeps the item out of the public report (opt-in).
    public_text: LongText = ""

    @model_validator(mode="after")
    def _cancel_has_reason(self) -> ActionItem:
        if self.status is ActionStatus.CANCELLED and not self.cancel_reason:
            raise ValueError("A cancelled action item needs a written reason.")
        return self


# --- Appendix --------------------------------------------------------------------------------


class Contact(Strict):
    """The only place in the document where people are named."""

    id: str = Field(default_factory=new_id)
    name: Annotated[str, Field(min_length=1, max_length=200), PlainRequired]
    kind: ContactKind = ContactKind.PERSON
    role: ShortText = ""
    team: ShortText = ""
    contact: ShortText = ""


class Link(Strict):
    id: str = Field(default_factory=new_id)
    label: ShortText = ""
    url: Annotated[str, Field(min_length=1, max_length=2000)]
    kind: LinkKind = LinkKind.OTHER


class SignOff(Strict):
    id: str = Field(default_factory=new_id)
    role: SignOffRole
    name: Annotated[str, Field(min_length=1, max_length=200), PlainRequired]
    signed_at: UtcDatetime


class DismissedFinding(Strict):
    """A language finding the author kept on purpose, with the reason reviewers see."""

    key: Annotated[str, Field(min_length=1, max_length=2000)]  # postmortem.language.Finding.key
    rule: ShortText
    text: ShortText = ""
    reason: Annotated[str, Field(min_length=1, max_length=500), PlainRequired]
    by: ShortText = ""
    at: UtcDatetime


class AllspawCheck(Strict):
    """Would the role closest to the trigger feel this document represents their experience fairly?"""

    role: Annotated[str, Field(min_length=1, max_length=500), PlainRequired]
    fair: bool
    comment: LongText = ""
    by: ShortText = ""
    at: UtcDatetime


class Recurrence(Strict):
    """A later incident of the same kind, recorded on the earlier post-mortem instead of a new one."""

    id: str = Field(default_factory=new_id)
    incident_id: Annotated[str, Field(min_length=1, max_length=64), PlainNoBidi]
    occurred_on: date | None = None
    note: LongText = ""
    recorded_at: UtcDatetime | None = None


class ImportedText(Strict):
    """A part of an imported document that no section took, kept as written under its heading."""

    id: str = Field(default_factory=new_id)
    heading: ShortText = ""
    text: LongText


class PublicText(Strict):
    """Text written for customers, for the public report; nothing here is derived from internal text."""

    title: ShortText = ""  # the public report's title; the internal title stands in, redacted, while empty
    what_customers_saw: LongText = ""
    what_happened: LongText = ""  # what happened and why, without internal names
    what_to_do: LongText = ""  # what customers should do; required for security and data-loss incidents


# --- Evidence attached to the document (issue 18; the bytes live in storage.blobs) ------------


class AttachedTo(StrEnum):
    EVENT = "event"  # a timeline event, by id
    SECTION = "section"  # a section, by its field name (summary, impact, root_cause, …)
    FACTOR = "factor"  # a contributing factor, by id
    CAUSAL_BOX = "causal"  # a causal-tree box, by id


class Attachment(Strict):
    """One file's place in the document: the blob (by digest, never a copy), what it shows, where it
    belongs, and to whom it may go. Removing it from the list keeps it in the earlier versions."""

    id: str = Field(default_factory=new_id)
    digest: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]  # sha-256 of the stored bytes
    media_type: Annotated[
        str, Field(pattern=r"^(?:image/(?:png|jpeg|gif|webp)|application/pdf|text/(?:plain|csv))$")
    ]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    caption: LongText = ""
    alt: ShortText = ""  # what the image shows, for screen readers; the review asks for it
    size: int = Field(ge=0)
    width: int | None = Field(default=None, ge=1)
    height: int | None = Field(default=None, ge=1)
    target: AttachedTo = AttachedTo.SECTION
    target_id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")] = "appendix"
    position: int = Field(default=0, ge=0)  # order among the attachments of one target
    safe_for_public: bool = False
    safe_for_executives: bool = False

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


# --- The whole document ----------------------------------------------------------------------


class PostMortem(Strict):
    schema_version: int = SCHEMA_VERSION
    header: Header
    summary: LongText = ""
    # The summary in business terms for the executive brief; the summary stands in while it is empty.
    business_summary: LongText = ""
    impact: Impact = Impact()
    timeline: list[TimelineEvent] = []
    # What actually fixed it (as in the Google SRE template), for every audience's "how we fixed it".
    resolution: LongText = ""
    public: PublicText = PublicText()
    interviews: list[Interview] = []
    went_well: list[Note] = []
    went_wrong: list[Note] = []
    contributing_factors: list[ContributingFactor] = []
    root_cause: RootCauseAnalysis = RootCauseAnalysis()
    action_items: list[ActionItem] = []
    lessons: list[Note] = []
    where_we_got_lucky: list[Note] = []
    contacts: list[Contact] = []
    links: list[Link] = []
    sign_offs: list[SignOff] = []
    dismissed_findings: list[DismissedFinding] = []
    allspaw: AllspawCheck | None = None
    # Fields (paths such as "summary" or "root_cause.statement") the author keeps out of the public document.
    internal_fields: list[ShortText] = []
    # Later incidents of the same failure class on the same services (see postmortem.recurrence).
    recurrences: list[Recurrence] = []
    # Text from an imported Markdown post-mortem that mapped to no section (postmortem.mdimport).
    imported: list[ImportedText] = []
    # Files attached as evidence (screenshots, graphs, logs); see postmortem.evidence.
    attachments: list[Attachment] = []

    @field_validator(
        "timeline",
        "interviews",
        "went_well",
        "went_wrong",
        "contributing_factors",
        "action_items",
        "lessons",
        "where_we_got_lucky",
        "contacts",
        "links",
        "recurrences",
        "imported",
        "attachments",
    )
    @classmethod
    def _ids_unique(cls, items: list) -> list:
        # Ids are what references, merged interview rows and the action-item tracker hold on to.
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                raise ValueError(f"Two rows share the id {item.id!r}; each row needs its own.")
            seen.add(item.id)
        return items

    @field_validator("schema_version")
    @classmethod
    def _not_from_the_future(cls, version: int) -> int:
        if not 1 <= version <= SCHEMA_VERSION:
            raise ValueError(
                f"This document uses format version {version}; this Debrief reads versions "
                f"1 to {SCHEMA_VERSION}. Upgrade Debrief to open it."
            )
        return version

    @model_validator(mode="after")
    def _timeline_in_time_order(self) -> PostMortem:
        self.timeline.sort(key=lambda event: event.at)
        return self


def new_postmortem(incident_id: str, title: str, **header: object) -> PostMortem:
    """A blank draft with just enough to be stored."""
    return PostMortem(header=Header(incident_id=incident_id, title=title, **header))
