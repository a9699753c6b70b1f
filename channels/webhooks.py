"""Notices as JSON posted to Slack and Microsoft Teams incoming webhooks, or to any JSON webhook.

Slack incoming webhooks take {"text": …} with mrkdwn links written <url|label>
(https://api.slack.com/messaging/webhooks). Teams webhooks made with Workflows take a message
whose attachment is an Adaptive Card
(https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using).
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from postmortem.notices import Notice

TIMEOUT_SECONDS = 20


def _slack_escape(text: str) -> str:
    # Slack reads &, < and > as markup; escaped, user text cannot make links or mentions.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack(notice: Notice, to: str = "") -> dict[str, Any]:
    lead = f"For {_slack_escape(to)}: " if to else ""
    return {
        "text": f"{lead}*{_slack_escape(notice.subject)}*\n{_slack_escape(notice.body)}\n"
        f"<{notice.link}|Open in Debrief>"
    }


def teams(notice: Notice, to: str = "") -> dict[str, Any]:
    card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.4",
        "body": [
            {"type": "TextBlock", "text": notice.subject, "weight": "Bolder", "wrap": True},
            *([{"type": "TextBlock", "text": f"For {to}", "isSubtle": True, "wrap": True}] if to else []),
            {"type": "TextBlock", "text": notice.body, "wrap": True},
        ],
        "actions": [{"type": "Action.OpenUrl", "title": "Open in Debrief", "url": notice.link}],
    }
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}
        ],
    }


def generic(notice: Notice, to: str = "") -> dict[str, Any]:
    return {
        "key": notice.key,
        "kind": notice.kind.value,
        "subject": notice.subject,
        "text": notice.body,
        "link": notice.link,
        "to": to or None,
    }


PAYLOADS = {"slack": slack, "teams": teams, "webhook": generic}


def post(url: str, payload: dict[str, Any]) -> None:
    """POST the payload as JSON; a non-2xx answer or a network error raises for the retry table."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "Debrief"},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        response.read()
