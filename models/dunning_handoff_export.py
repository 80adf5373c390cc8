# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The hand-off file: its data (one place for the PDF summary, the CSV and the
JSON posted to the collector) and the ZIP stored on the hand-off."""

import base64
import csv
import io
import re
import zipfile

from odoo import api, fields, models

REPORT = "account_dunning.action_report_dunning_handoff"
INVOICE_REPORT = "account.account_invoices"
REMINDER_CHANNELS = ("email", "letter", "sms", "call")
SCHEMA = "account_dunning.handoff/1"
# A cell a spreadsheet would read as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_name(name):
    """A file name inside the ZIP: no folder separators nor odd characters."""
    return re.sub(r"[^\w.\- ]+", "_", name or "").strip() or "file"


def csv_cell(value):
    text = "" if value is None or value is False else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


class AccountDunningHandoffExport(models.AbstractModel):
    _name = "account.dunning.handoff.export"
    _description = "Dunning: Hand-off File"

    @api.model
    def _status_url(self, handoff):
        base = handoff.get_base_url()
        return f"{base}/account_dunning/handoff/{handoff.id}/status"

    @api.model
    def _file_data(self, handoff):
        """Everything the file says, read as the engine after the caller's check."""
        # sudo: the file gathers the trace, the notices and the secret for the
        # collector, after the hand-off's buttons checked the user.
        handoff = handoff.sudo()
        moves = handoff.move_ids
        engine = self.env["account.dunning.handoff.engine"]
        claims = engine._claims(handoff, fields.Date.context_today(self))
        payments = []
        for move in moves:
            receivable = move.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            for partial in receivable.matched_credit_ids.sorted(
                lambda partial: (partial.credit_move_id.date, partial.id)
            ):
                credit = partial.credit_move_id
                payments.append(
                    {
                        "move": move,
                        "date": credit.date,
                        "reference": credit.move_id.name,
                        "amount": partial.debit_amount_currency,
                        "currency": move.currency_id,
                    }
                )
        actions = (
            self.env["account.dunning.action"]
            .sudo()
            .search(
                [
                    ("move_ids", "in", moves.ids),
                    ("channel", "in", REMINDER_CHANNELS),
                    ("state", "=", "sent"),
                ],
                order="date, id",
            )
        )
        channels = dict(actions._fields["channel"]._description_selection(self.env))
        reminders = [
            {
                "action": action,
                "date": action.date,
                "channel": action.channel,
                "channel_label": channels.get(action.channel),
                "level": action.level_id.name or "",
                "invoices": ", ".join((action.move_ids & moves).mapped("name")),
            }
            for action in actions
        ]
        notices = (
            self.env["account.dunning.notice"]
            .sudo()
            .search([("move_ids", "in", moves.ids)], order="date_sent, id")
        )
        currency = handoff.currency_id
        return {
            "handoff": handoff,
            "company": handoff.company_id,
            "partner": handoff.partner_id,
            "collector": handoff.collector_id,
            "currency": currency,
            "claims": claims,
            "total_principal": currency.round(sum(c["principal"] for c in claims)),
            "total_interest": currency.round(sum(c["interest"] for c in claims)),
            "total_indemnity": currency.round(sum(c["indemnity"] for c in claims)),
            "total": currency.round(sum(c["total"] for c in claims)),
            "payments": payments,
            "reminders": reminders,
            "notices": notices,
            "status_url": self._status_url(handoff),
            "status_token": handoff.status_token,
            "today": fields.Date.context_today(self),
        }

    # ------------------------------------------------------------ the ZIP

    @api.model
    def _csv(self, data):
        """One CSV: a row per invoice, payment and reminder."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(
            [
                "type",
                "invoice",
                "date",
                "due_date",
                "reference",
                "channel",
                "amount",
                "amount_due",
                "interest",
                "indemnity",
                "currency",
            ]
        )
        for claim in data["claims"]:
            move = claim["move"]
            writer.writerow(
                [
                    csv_cell(value)
                    for value in (
                        "invoice",
                        move.name,
                        move.invoice_date,
                        move.invoice_date_due,
                        move.ref,
                        "",
                        f"{move.amount_total:.2f}",
                        f"{claim['principal']:.2f}",
                        f"{claim['interest']:.2f}",
                        f"{claim['indemnity']:.2f}",
                        move.currency_id.name,
                    )
                ]
            )
        for payment in data["payments"]:
            writer.writerow(
                [
                    csv_cell(value)
                    for value in (
                        "payment",
                        payment["move"].name,
                        payment["date"],
                        "",
                        payment["reference"],
                        "",
                        f"{payment['amount']:.2f}",
                        "",
                        "",
                        "",
                        payment["currency"].name,
                    )
                ]
            )
        for reminder in data["reminders"]:
            writer.writerow(
                [
                    csv_cell(value)
                    for value in (
                        "reminder",
                        reminder["invoices"],
                        reminder["date"],
                        "",
                        reminder["level"],
                        reminder["channel"],
                        f"{reminder['action'].amount:.2f}",
                        "",
                        "",
                        "",
                        reminder["action"].currency_id.name,
                    )
                ]
            )
        return buffer.getvalue().encode("utf-8-sig")

    @api.model
    def _zip_files(self, handoff, data):
        """[(name, bytes)] of the ZIP."""
        Report = self.env["ir.actions.report"].sudo()
        summary, _kind = Report._render_qweb_pdf(REPORT, handoff.ids)
        files = [("summary.pdf", summary)]
        for claim in data["claims"]:
            move = claim["move"]
            pdf, _kind = Report._render_qweb_pdf(INVOICE_REPORT, move.ids)
            files.append((f"invoices/{safe_name(move.name)}.pdf", pdf))
        for notice in data["notices"]:
            key = safe_name(notice.tracking_number or str(notice.id))
            letter = notice.action_id.letter_attachment_id
            if letter:
                files.append((f"notices/{key}_notice.pdf", letter.raw))
            receipt = notice.receipt_attachment_id
            if receipt:
                extension = (
                    (receipt.name or "").rsplit(".", 1)[-1]
                    if "." in (receipt.name or "")
                    else "pdf"
                )
                files.append(
                    (f"notices/{key}_receipt.{safe_name(extension)}", receipt.raw)
                )
        files.append(("file.csv", self._csv(data)))
        return files

    @api.model
    def _export(self, handoff):
        """Build the ZIP, store it on the hand-off (replacing an older one)."""
        if handoff.state in ("draft", "failed"):
            # The file leaves now: every rule again (a judgment, a dispute or a
            # payment may have come since the draft was made).
            self.env["account.dunning.handoff.engine"]._check(handoff)
        data = self._file_data(handoff)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in self._zip_files(handoff, data):
                archive.writestr(name, content or b"")
        name = self.env._(
            "Hand-off %(customer)s %(date)s.zip",
            customer=safe_name(handoff.partner_id.name),
            date=handoff.date,
        )
        # sudo: the file is the engine's, attached to the hand-off.
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "raw": buffer.getvalue(),
                    "res_model": handoff._name,
                    "res_id": handoff.id,
                    "mimetype": "application/zip",
                }
            )
        )
        old = handoff.sudo().export_attachment_id
        handoff.sudo().export_attachment_id = attachment
        if old:
            old.unlink()
        engine = self.env["account.dunning.handoff.engine"]
        text = self.env._("File exported: %s.", name)
        if (
            handoff.state == "draft"
            and not handoff.collector_id.sudo().dunning_collector_url
        ):
            # A collector without an API gets the file by hand: it leaves now.
            engine._set_state(
                handoff,
                "sent",
                text,
                {"sent_date": fields.Date.context_today(self), "failure_reason": False},
            )
        else:
            engine._trace(handoff, {handoff: text})
        return attachment

    # ------------------------------------------------------------ the JSON

    @api.model
    def _party(self, partner):
        return {
            "name": partner.name or "",
            "vat": partner.vat or "",
            "company_registry": partner.company_registry or "",
            "street": partner.street or "",
            "street2": partner.street2 or "",
            "zip": partner.zip or "",
            "city": partner.city or "",
            "country": partner.country_id.code or "",
            "email": partner.email or "",
            "phone": partner.phone or "",
        }

    @api.model
    def _payload(self, handoff):
        """The JSON posted to the collector (schema in readme/ESCALATION_HANDOFF.md)."""
        data = self._file_data(handoff)
        handoff = handoff.sudo()
        attachment = handoff.export_attachment_id
        currency = data["currency"]
        return {
            "schema": SCHEMA,
            "handoff": {
                "id": handoff.id,
                "date": str(handoff.date),
                "route": handoff.route,
                "currency": currency.name,
                "amount_claimed": handoff.amount_claimed,
                "status_url": data["status_url"],
                "status_token": data["status_token"],
            },
            "creditor": {
                **self._party(data["company"].partner_id),
                "legal_form": "",
            },
            "debtor": {
                **self._party(data["partner"]),
                "ref": data["partner"].ref or "",
            },
            "claims": [
                {
                    "invoice": claim["move"].name,
                    "invoice_date": str(claim["move"].invoice_date),
                    "due_date": str(claim["move"].invoice_date_due),
                    "amount_total": claim["move"].amount_total,
                    "amount_due": claim["principal"],
                    "interest": claim["interest"],
                    "indemnity": claim["indemnity"],
                    "total": claim["total"],
                    "currency": claim["move"].currency_id.name,
                }
                for claim in data["claims"]
            ],
            "payments": [
                {
                    "invoice": payment["move"].name,
                    "date": str(payment["date"]),
                    "reference": payment["reference"] or "",
                    "amount": payment["amount"],
                }
                for payment in data["payments"]
            ],
            "reminders": [
                {
                    "date": str(reminder["date"]),
                    "channel": reminder["channel"],
                    "level": reminder["level"],
                    "invoices": reminder["invoices"],
                }
                for reminder in data["reminders"]
            ],
            "formal_notices": [
                {
                    "date_sent": notice.date_sent and str(notice.date_sent),
                    "tracking_number": notice.tracking_number or "",
                    "date_presented": notice.date_presented
                    and str(notice.date_presented),
                    "date_received": notice.date_received and str(notice.date_received),
                    "returned": notice.returned or None,
                    "invoices": [move.name for move in notice.move_ids],
                }
                for notice in data["notices"]
            ],
            "file": {
                "name": attachment.name,
                "mimetype": "application/zip",
                "content_base64": base64.b64encode(attachment.raw or b"").decode(),
            },
        }


class ReportDunningHandoff(models.AbstractModel):
    _name = "report.account_dunning.report_dunning_handoff"
    _description = "Dunning: Hand-off Summary"

    @api.model
    def _get_report_values(self, docids, data=None):
        # The report's own access: whoever may read the hand-offs.
        handoffs = self.env["account.dunning.handoff"].browse(docids)
        handoffs.check_access("read")
        export = self.env["account.dunning.handoff.export"]
        return {
            "doc_ids": docids,
            "doc_model": "account.dunning.handoff",
            "docs": handoffs.sudo(),
            "file_data": {
                handoff.id: export._file_data(handoff) for handoff in handoffs
            },
        }
