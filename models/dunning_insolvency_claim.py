# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The claim declared in insolvency proceedings (déclaration de créance, L622-24 and
R622-23 C. com.): the amounts due at the judgment, the interest to it and the
indemnity, the supporting documents; rendered, sent to the mandataire and traced."""

from odoo import Command, api, fields, models

from . import insolvency_rules

CLAIM_REPORT = "account_dunning.action_report_dunning_claim"
CLAIM_TEMPLATE = "account_dunning.mail_template_dunning_claim"


class AccountDunningInsolvencyEngine(models.AbstractModel):
    _inherit = "account.dunning.insolvency.engine"

    @api.model
    def _report_values(self, record):
        """What the declaration prints: the claim, its totals per kind in company
        currency, the parties' SIREN and the date of the declaration."""
        claim = self._claim(record)
        company, judgment = record.company_id, record.judgment_date

        def total(key):
            return company.currency_id.round(
                sum(
                    line["currency"]._convert(
                        line[key], company.currency_id, company, judgment
                    )
                    for line in claim["lines"]
                )
            )

        return {
            **claim,
            "interest": total("interest"),
            "indemnity": total("indemnity"),
            "creditor_siren": self._siren(company.partner_id),
            "debtor_siren": self._siren(record.partner_id),
            "date": fields.Date.context_today(self),
        }

    @api.model
    def _siren(self, partner):
        """The SIREN of a partner: from its SIRET, company registry or VAT number."""
        partner = partner.commercial_partner_id
        return insolvency_rules.siren(
            "siret" in partner._fields and partner.siret,
            partner.company_registry,
            partner.vat,
        )

    @api.model
    def _due_at(self, moves, on_date):
        """{move: amount due on ``on_date``, invoice currency}: the amount due now,
        with what was applied to it after that date added back. A credit note
        correcting the invoice is never added back, whatever its date: nothing was
        ever owed on the corrected part (as for the interest, ``_reduction_date``)."""

        def added_back(partial):
            refund = partial.credit_move_id.move_id
            if (
                refund.move_type == "out_refund"
                and refund.dunning_credit_note_kind == "correction"
            ):
                return False
            return partial.max_date > on_date

        result = {}
        for move in moves:
            items = move.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            )
            later = sum(
                partial.debit_amount_currency
                for item in items
                for partial in item.matched_credit_ids
                if added_back(partial)
            )
            result[move] = move.currency_id.round(
                sum(items.mapped("amount_residual_currency")) + later
            )
        return result

    @api.model
    def _claim(self, record):
        """What the creditor declares, in plain values: per invoice issued before
        the judgment and open at its date, the amount due at that date, the
        interest to that date and the indemnity (the penalty engine's figures, not
        yet billed before the judgment); the total in company currency; the
        supporting documents."""
        company, judgment = record.company_id, record.judgment_date
        # sudo: the engine reads the customer's invoices; the caller checked rights.
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("commercial_partner_id", "=", record.partner_id.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("invoice_date", "<", judgment),
                ],
                order="invoice_date, name, id",
            )
        )
        due = self._due_at(moves, judgment)
        moves = moves.filtered(
            lambda move: move.currency_id.compare_amounts(due[move], 0) > 0
        )
        unbilled = self._unbilled_at(moves, judgment)
        lines, total = [], 0.0
        for move in moves:
            interest, indemnity = unbilled.get(move, (0.0, 0.0))
            currency = move.currency_id
            interest = currency.round(interest)
            indemnity = currency.round(indemnity)
            amount = currency.round(due[move] + interest + indemnity)
            lines.append(
                {
                    "move": move,
                    "currency": currency,
                    "due": due[move],
                    "interest": interest,
                    "indemnity": indemnity,
                    "total": amount,
                }
            )
            total += currency._convert(amount, company.currency_id, company, judgment)
        return {
            "lines": lines,
            "principal": company.currency_id.round(
                sum(
                    line["currency"]._convert(
                        line["due"], company.currency_id, company, judgment
                    )
                    for line in lines
                )
            ),
            "total": company.currency_id.round(total),
            "notices": self._notices(record, moves),
        }

    @api.model
    def _unbilled_at(self, moves, judgment):
        """{move: (interest to the judgment, indemnity)} not yet claimed by a
        penalty invoice of before the judgment (those are declared as invoices) nor
        waived. A penalty invoice dated from the judgment on is not declared (it
        was billed before the proceedings were recorded): its interest to the
        judgment and its indemnity are declared on their invoice."""
        engine = self.env["account.dunning.penalty.engine"]

        def declared(claim):
            billed = claim.revised_claim_id if claim.kind == "revision" else claim
            if billed.kind == "waiver":
                return True
            invoice = billed.penalty_move_id
            return bool(invoice) and (invoice.invoice_date or invoice.date) < judgment

        # sudo: what was already claimed, so that nothing is declared twice.
        claims = moves.sudo().dunning_penalty_ids.filtered(
            lambda claim: claim.in_force and declared(claim)
        )
        claims_by_move = claims.grouped("move_id")
        covered = {
            move.with_env(self.env): max(
                filter(None, group.mapped("interest_until")), default=None
            )
            for move, group in claims_by_move.items()
        }
        result = {}
        for move, (lines, indemnity) in engine._penalties(
            moves, judgment, start_after=covered
        ).items():
            move_claims = claims_by_move.get(move.sudo(), claims.browse())
            result[move] = (
                sum(line.amount for line in lines),
                0.0 if any(move_claims.mapped("indemnity")) else indemnity,
            )
        return result

    @api.model
    def _notices(self, record, moves):
        """The formal notices sent on these invoices: [{date, tracking, received}]."""
        if not moves:
            return []
        # sudo: the engine reads the notices and the trace of these invoices.
        notices = (
            self.env["account.dunning.notice"]
            .sudo()
            .search(
                [
                    ("company_id", "=", record.company_id.id),
                    ("move_ids", "in", moves.ids),
                    ("date_sent", "!=", False),
                ],
                order="date_sent, id",
            )
        )
        result = [
            {
                "date": notice.date_sent,
                "tracking": notice.tracking_number,
                "received": notice.date_received,
            }
            for notice in notices
        ]
        actions = (
            self.env["account.dunning.action"]
            .sudo()
            .search(
                [
                    ("company_id", "=", record.company_id.id),
                    ("move_ids", "in", moves.ids),
                    ("state", "=", "sent"),
                    ("level_id.level_type", "=", "formal_notice"),
                    ("id", "not in", notices.action_id.ids),
                ],
                order="date, id",
            )
        )
        result += [
            {"date": action.date, "tracking": False, "received": False}
            for action in actions
        ]
        return sorted(result, key=lambda notice: notice["date"])

    @api.model
    def _declare(self, records, send_by):
        """Render each declaration, send it by email or keep it as a letter, trace
        it; {record: (channel, attachment)}."""
        today = fields.Date.context_today(self)
        result, texts, extra = {}, {}, {}
        template = self.env.ref(CLAIM_TEMPLATE)
        for record in records:
            channel = send_by or (
                "email" if record.administrator_id.email else "letter"
            )
            claim = self._claim(record)
            pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(
                CLAIM_REPORT, record.ids
            )
            # sudo: the declaration is kept on the proceedings, by the engine.
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": f"{record._get_report_base_filename()}.pdf",
                        "raw": pdf,
                        "res_model": record._name,
                        "res_id": record.id,
                        "mimetype": "application/pdf",
                    }
                )
            )
            mail = self.env["mail.mail"]
            if channel == "email":
                # sudo: the shipped template, sent after the manager's check.
                mail = mail.browse(
                    template.sudo().send_mail(
                        record.id,
                        email_values={"attachment_ids": [Command.link(attachment.id)]},
                    )
                )
            amount = record.currency_id.format(claim["total"])
            texts[record] = (
                self.env._(
                    "Claim of %(amount)s declared to %(administrator)s by email.",
                    amount=amount,
                    administrator=record.administrator_id.display_name,
                )
                if channel == "email"
                else self.env._(
                    "Claim of %(amount)s declared to %(administrator)s by letter.",
                    amount=amount,
                    administrator=record.administrator_id.display_name,
                )
            )
            extra[record] = {
                "recipient_id": record.administrator_id.id,
                "move_ids": [Command.set([line["move"].id for line in claim["lines"]])],
                "amount": claim["total"],
                "mail_id": mail.id,
                "letter_attachment_id": attachment.id,
                "reason": texts[record],
            }
            result[record] = (channel, attachment)
        actions = self._trace(records, texts, extra)
        for record in records:
            # sudo: after the button's checks; the declaration's state is the engine's.
            record.sudo().write(
                {
                    "state": "declared",
                    "declaration_date": today,
                    "declared_amount": extra[record]["amount"],
                    "declaration_attachment_id": result[record][1].id,
                    "declaration_action_id": actions[record].id,
                }
            )
            record.sudo().deadline_activity_id.action_feedback(feedback=texts[record])
        self._refresh_next_dates(records)
        return result
