"""Alert notifiers: stdout JSON lines, a webhook (Slack-compatible), email over SMTP.

Notifiers are registered by name in ``NOTIFIERS``; :func:`build_notifiers` makes the ones a
config asks for. An alert is a plain JSON-able dict made by :func:`alert_payload`, stored in
the store before it is sent, so a resend after a crash sends the same thing.

Delivery is **at least once**: an alert is marked sent only after its notifier returns, so a
crash between the two sends it again on the next pass. Every alert carries an
``idempotency_key`` (derived from the finding's stable id, the same on every resend) so that
receivers can drop repeats: a JSON field on stdout and in the webhook body, an
``Idempotency-Key`` header on the webhook request, and the ``Message-ID`` (plus
``X-Drift-Idempotency-Key``) of the email.
"""

from __future__ import annotations

import html
import json
import os
import re
import smtplib
import sys
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Protocol

import httpx

from drift.config import Alerts, EmailSettings


class NotifyError(Exception):
    """An alert that could not be delivered (it stays unsent and is retried next run)."""


class Notifier(Protocol):
    """Delivers one alert; raises NotifyError on failure."""

    name: str

    def send(self, alert: Mapping[str, Any]) -> None: ...


def plain_finding(finding: Mapping[str, Any]) -> str:
    """The finding in plain words: what kind of drift, what was expected and found, why."""
    from drift.compare import PLAIN_NAMES

    type_ = str(finding.get("type", ""))
    words = PLAIN_NAMES.get(type_, type_.replace("_", " ").capitalize())
    parts = [f"{words} ({finding.get('severity')})"]
    if finding.get("expected") is not None or finding.get("found") is not None:
        parts.append(f"expected “{finding.get('expected')}”, found “{finding.get('found')}”")
    text = ": ".join(parts) + "."
    explanation = str(finding.get("explanation") or "").strip()
    return f"{text} {explanation}".strip()


def alert_payload(
    *, story: str, outlet: str, article_url: str | None, finding: Mapping[str, Any],
    report: Path | str, key: str, report_url: str | None = None,
) -> dict[str, Any]:
    """The alert for one new finding; ``key`` is the finding's stable id in the store (the
    idempotency key), ``report_url`` the report's absolute link when reports are served."""
    message = plain_finding(finding)
    span = finding.get("span")
    quote = span.get("text") if isinstance(span, Mapping) else None
    text = f"[drift] {story}: {outlet}: {message}"
    if quote:
        text += f" Passage: “{quote}”."
    text += f" Report: {report_url} ({report})" if report_url else f" Report: {report}"
    return {
        "idempotency_key": key,
        "text": text,
        "story": story,
        "outlet": outlet,
        "article": finding.get("article"),
        "url": article_url,
        "finding_id": finding.get("id"),
        "type": finding.get("type"),
        "severity": finding.get("severity"),
        "expected": finding.get("expected"),
        "found": finding.get("found"),
        "passage": quote,
        "message": message,
        "report": str(report),
        "report_url": report_url,
    }


def idempotency_key(alert: Mapping[str, Any]) -> str:
    """The alert's idempotency key (alerts stored before keys existed: their finding id)."""
    return str(alert.get("idempotency_key") or alert.get("finding_id") or "")


class StdoutNotifier:
    """One JSON object per line on stdout."""

    name = "stdout"

    def send(self, alert: Mapping[str, Any]) -> None:
        sys.stdout.write(json.dumps(dict(alert), ensure_ascii=False) + "\n")
        sys.stdout.flush()


class WebhookNotifier:
    """POST the alert as JSON (``text`` for Slack, plus the structured fields)."""

    name = "webhook"

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url
        self.timeout = timeout

    def send(self, alert: Mapping[str, Any]) -> None:
        try:
            resp = httpx.post(self.url, json=dict(alert), timeout=self.timeout,
                              headers={"Idempotency-Key": idempotency_key(alert)})
        except httpx.HTTPError as exc:
            raise NotifyError(f"webhook {self.url}: {type(exc).__name__}: {exc}") from exc
        if resp.status_code >= 300:
            raise NotifyError(f"webhook {self.url}: HTTP {resp.status_code}")


class EmailNotifier:
    """An email per alert: a plain-text part and an HTML part linking to the report."""

    name = "email"

    def __init__(self, settings: EmailSettings) -> None:
        self.settings = settings

    def message(self, alert: Mapping[str, Any]) -> EmailMessage:
        s = self.settings
        msg = EmailMessage()
        msg["Subject"] = f"[drift] {alert['story']}: {alert['outlet']}: {alert['type']}"
        msg["From"] = s.sender
        msg["To"] = ", ".join(s.to)
        key = idempotency_key(alert)
        domain = parseaddr(s.sender)[1].rpartition("@")[2] or "drift.invalid"
        msg["Message-ID"] = f"<drift.{re.sub(r'[^A-Za-z0-9.-]', '-', key)}@{domain}>"
        msg["X-Drift-Idempotency-Key"] = key
        report = str(alert["report"])
        url = alert.get("report_url")
        plain = (
            f"Story: {alert['story']}\nOutlet: {alert['outlet']}\n"
            f"Article: {alert.get('url') or alert.get('article')}\n\n{alert['message']}\n"
        )
        if alert.get("passage"):
            plain += f"\nPassage: {alert['passage']}\n"
        plain += f"\nReport: {url}\n({report})\n" if url else f"\nReport: {report}\n"
        msg.set_content(plain)
        link = str(url) if url else Path(report).resolve().as_uri()
        e = html.escape
        body = (
            f"<p><b>Story:</b> {e(str(alert['story']))}<br><b>Outlet:</b> "
            f"{e(str(alert['outlet']))}</p><p>{e(str(alert['message']))}</p>"
        )
        if alert.get("passage"):
            body += f"<blockquote>{e(str(alert['passage']))}</blockquote>"
        body += f'<p><a href="{e(link)}">Open the report</a> ({e(report)})</p>'
        msg.add_alternative(f"<html><body>{body}</body></html>", subtype="html")
        return msg

    def send(self, alert: Mapping[str, Any]) -> None:
        s = self.settings
        try:
            with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as smtp:
                if s.starttls:
                    smtp.starttls()
                if s.username:
                    smtp.login(s.username, os.environ.get(s.password_env or "", ""))
                smtp.send_message(self.message(alert))
        except (OSError, smtplib.SMTPException) as exc:
            raise NotifyError(f"email via {s.host}:{s.port}: {exc}") from exc


NOTIFIERS: dict[str, Callable[[Alerts], Notifier | None]] = {
    "stdout": lambda a: StdoutNotifier() if a.stdout else None,
    "webhook": lambda a: WebhookNotifier(a.webhook) if a.webhook else None,
    "email": lambda a: EmailNotifier(a.email) if a.email else None,
}


def build_notifiers(alerts: Alerts) -> dict[str, Notifier]:
    """The notifiers the config enables, by name."""
    out: dict[str, Notifier] = {}
    for name, make in NOTIFIERS.items():
        notifier = make(alerts)
        if notifier is not None:
            out[name] = notifier
    return out
