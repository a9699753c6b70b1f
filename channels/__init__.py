"""Sending notices: e-mail over SMTP, Slack and Microsoft Teams incoming webhooks, a generic JSON
webhook. Beside exports/, but with I/O; the domain (postmortem/notices.py) decides what is sent."""
