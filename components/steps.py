"""The wizard's steps, in order: one place that the navigation, the stepper and Back/Next read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    script: str
    section: str | None  # key in postmortem.completeness.SECTIONS, None for Review/Export


STEPS = (
    Step("header", "Header", "pages/01_header.py", "header"),
    Step("summary", "Summary", "pages/02_summary.py", "summary"),
    Step("impact", "Impact", "pages/03_impact.py", "impact"),
    Step("timeline", "Timeline", "pages/04_timeline.py", "timeline"),
    Step("went-well", "What went well", "pages/05_went_well.py", "went_well"),
    Step("went-wrong", "What went wrong", "pages/06_went_wrong.py", "went_wrong"),
    Step("factors", "Contributing factors", "pages/07_factors.py", "factors"),
    Step("root-cause", "Root cause", "pages/08_root_cause.py", "root_cause"),
    Step("actions", "Action items", "pages/09_actions.py", "action_items"),
    Step("lessons", "Lessons learned", "pages/10_lessons.py", "lessons"),
    Step("appendix", "People and links", "pages/11_appendix.py", "appendix"),
    Step("regulatory", "Regulatory report", "pages/14_regulatory.py", None),
    Step("review", "Review", "pages/12_review.py", None),
    Step("export", "Export", "pages/13_export.py", None),
)


def by_slug(slug: str) -> Step:
    return next(step for step in STEPS if step.slug == slug)


def neighbours(slug: str) -> tuple[Step | None, Step | None]:
    index = [step.slug for step in STEPS].index(slug)
    before = STEPS[index - 1] if index > 0 else None
    after = STEPS[index + 1] if index + 1 < len(STEPS) else None
    return before, after


@dataclass(frozen=True)
class TeamPage:
    """A page about all post-mortems at once (archive, tracker, ...), linked from every sidebar."""

    slug: str
    title: str
    script: str
    icon: str
    needs: str = ""  # a storage.access.Permission value the sidebar link asks for; the page checks again


# File names keep the URL the same in both of Streamlit's page modes (pages/20_archive.py → /archive).
TEAM_PAGES: tuple[TeamPage, ...] = (
    TeamPage("archive", "Archive", "pages/20_archive.py", ":material/search:"),
    TeamPage("tracker", "Action items", "pages/21_tracker.py", ":material/task_alt:"),
    TeamPage("learning", "Learning", "pages/22_learning.py", ":material/insights:"),
    TeamPage("import", "Import Markdown", "pages/23_import.py", ":material/upload_file:", needs="edit"),
    TeamPage("admin", "Admin", "pages/30_admin.py", ":material/admin_panel_settings:", needs="admin"),
    TeamPage("notifications", "My notifications", "pages/31_notifications.py", ":material/notifications:"),
)

# Home answers at the app's root (a function page, components/home.py) and here, at /home, for old links.
HOME_BOOKMARK = "pages/00_home.py"
