"""Prompts that help an author remember and interview, grouped, in Debrief's own words."""

from __future__ import annotations

# Interview prompts for the timeline worksheet: one conversation per person who acted.
INTERVIEW_PROMPTS: dict[str, tuple[str, ...]] = {
    "Detection and awareness": (
        "What was the first thing you noticed that seemed off, and where did you see it?",
        "At that moment, what did you think was going on?",
        "Which signals (pages, dashboards, messages) reached you, and which arrived later than you would have liked?",
        "How sure were you that something was wrong, and what changed that?",
    ),
    "Decisions": (
        "What options did you see at that point?",
        "What information did you have when you chose, and what was missing?",
        "What made the option you took look like the sensible one?",
        "Was the step easy to undo? Did that change how you approached it?",
        "Who else did you check with, and what did they add?",
    ),
    "Actions": (
        "Walk me through what you did, in order, with rough times if you have them.",
        "Which tools, runbooks or commands did you reach for, and did they behave as you expected?",
        "What did you try that did not help, and how did you find out?",
    ),
    "Reflection": (
        "What surprised you most?",
        "What part of the system made this harder than it needed to be?",
        "What helped you most that we should keep or spread?",
        "If a colleague were on call for the same thing tomorrow, what would you tell them?",
        "Is there anything about this incident that has not been asked yet?",
        "How do you feel about how this incident has been described so far?",
    ),
}

# Prompts for "What went well": good entries are concrete, with minutes and numbers.
WENT_WELL_PROMPTS: dict[str, tuple[str, ...]] = {
    "Detection": (
        "Which alert or check caught the problem, and how soon after it began?",
        "Did a dashboard make the cause visible quickly? Which panel?",
        "Did someone outside the on-call rotation spot it and raise it fast?",
        "Did monitoring that was added after an earlier incident pay off here?",
    ),
    "Communication": (
        "Was the incident channel opened quickly, with a clear lead?",
        "Did status updates go out on a steady rhythm? How often?",
        "Did customer-facing teams have accurate words to share in time?",
        "Did handovers between people or shifts keep everyone informed?",
    ),
    "Decision-making": (
        "Which decision, made with the information at hand, limited the damage?",
        "Did someone choose a reversible step first, buying time to learn more?",
        "Was escalation quick and free of friction?",
    ),
    "Tooling": (
        "Which tool or script saved minutes? Roughly how many?",
        "Did a runbook exist for this, and did it work as written?",
        "Did deploy or rollback tooling behave as expected under pressure?",
    ),
    "Mitigation": (
        "What stopped customer impact, and how long did it take once chosen?",
        "Did a feature flag, kill switch or traffic shift work as designed?",
        "Was a workaround found that kept customers going?",
    ),
    "Containment": (
        "What kept the blast radius small (isolation, rate limits, bulkheads)?",
        "Which neighbouring systems stayed healthy, and why?",
    ),
    "Team behaviour": (
        "Who stepped in to help without being asked, and with what?",
        "Did people state what they were about to do before doing it?",
        "Was the tone calm and focused on the system rather than on people?",
        "Did anyone protect the responders' focus, for example by fielding questions?",
    ),
    "Recovery": (
        "Did the system recover cleanly once the cause was removed?",
        "Was data reconciled or backfilled without loss?",
        "How quickly did follow-up work get captured as tickets?",
    ),
}


def count(groups: dict[str, tuple[str, ...]]) -> int:
    return sum(len(prompts) for prompts in groups.values())
