# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The insolvency engine: what recording, publishing, declaring and closing
proceedings do to the customer (its insolvency date, its block, the deadline's
activity, the trace), and the claim declared.

The records' buttons check the user is a dunning manager who may write them, then
call these steps, which write the engine-owned state in superuser mode.
"""

from datetime import timedelta

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.tools import format_date

CLAIM_REPORT = "account_dunning.action_report_dunning_claim"
CLAIM_TEMPLATE = "account_dunning.mail_template_dunning_claim"
# The credit manager's activity falls due this many days before the claim deadline.
DEADLINE_NOTICE_DAYS = 7


class AccountDunningInsolvencyEngine(models.AbstractModel):
    _name = "account.dunning.insolvency.engine"
    _description = "Dunning: Insolvency Proceedings Engine"

    # ------------------------------------------------------------ the customer

    @api.model
    def _sync_partners(self, partners, deleted=False):
        """The customers' ``dunning_insolvency_date``: the earliest judgment of their
        proceedings not closed, False when all are closed. A customer without any
        proceedings keeps the date a manager wrote by hand (issue 4), but when its
        last proceedings were just deleted (``deleted``: recorded by mistake)."""
        partners = partners.commercial_partner_id
        if not partners:
            return
        # sudo: the proceedings of every creditor company: the debtor's status.
        Insolvency = self.env["account.dunning.insolvency"].sudo()
        Insolvency.flush_model()
        recorded = {
            partner.id
            for (partner,) in Insolvency._read_group(
                [("partner_id", "in", partners.ids)], ["partner_id"]
            )
        }
        opened = dict(
            (partner.id, judgment)
            for partner, judgment in Insolvency._read_group(
                [("partner_id", "in", partners.ids), ("state", "!=", "closed")],
                ["partner_id"],
                ["judgment_date:min"],
            )
        )
        for partner in partners.sudo():
            if partner.id not in recorded and not deleted:
                continue
            date = opened.get(partner.id) or False
            if partner.dunning_insolvency_date != date:
                # sudo: the engine keeps the date in step with the proceedings.
                partner.write({"dunning_insolvency_date": date})

    @api.model
    def _check_blocks(self, records):
        for company, group in records.grouped("company_id").items():
            self._check_partner_blocks(group.partner_id, company)

    @api.model
    def _check_partner_blocks(self, partners, company):
        self.env["account.dunning.block.engine"]._check(partners, company)

    @api.model
    def _refresh_next_dates(self, records):
        """The customers' next action dates: none while in proceedings, but the
        claim to declare."""
        engine = self.env["account.dunning.run.engine"]
        today = fields.Date.context_today(self)
        for company, group in records.grouped("company_id").items():
            engine._refresh_next_action_dates(company, group.partner_id, today)

    @api.model
    def _credit_manager(self, record):
        """Who declares the claim: the customer's policy's escalation user, else the
        first dunning manager of the company, else who recorded the proceedings."""
        partner = record.partner_id.with_company(record.company_id).sudo()
        policy = partner.dunning_policy_id or record.company_id.sudo().dunning_policy_id
        if policy.dispute_manager_id:
            return policy.dispute_manager_id
        group = self.env.ref("account_dunning.group_dunning_manager")
        managers = group.sudo().users.filtered(
            lambda user: not user.share
            and user.active
            and not user._is_superuser()
            and record.company_id in user.company_ids
        )
        return managers.sorted("id")[:1] or record.create_uid or self.env.user

    # ------------------------------------------------------------ steps

    @api.model
    def _opened(self, records):
        self._sync_partners(records.partner_id)
        self._check_blocks(records)
        self._schedule_deadline(records.filtered("publication_date"))
        self._refresh_next_dates(records)
        kinds = dict(records._fields["kind"]._description_selection(self.env))
        self._trace(
            records,
            {
                record: self.env._(
                    "%(kind)s opened by the judgment of %(date)s%(court)s: no "
                    "reminder nor penalty from that date (L622-21, L622-28 C. com.).",
                    kind=kinds[record.kind],
                    date=format_date(self.env, record.judgment_date),
                    court=f" ({record.court})" if record.court else "",
                )
                for record in records
            },
        )

    @api.model
    def _close(self, records):
        # sudo: after the button's manager and write checks; the state is the engine's.
        records.sudo().write({"state": "closed"})
        reasons = dict(
            records._fields["closing_reason"]._description_selection(self.env)
        )
        texts = {
            record: self.env._(
                "Insolvency proceedings closed on %(date)s: %(reason)s.",
                date=format_date(self.env, record.closing_date),
                reason=reasons[record.closing_reason],
            )
            for record in records
        }
        for record in records:
            # sudo: the deadline's to-do is done with the proceedings.
            record.deadline_activity_id.sudo().action_feedback(feedback=texts[record])
        self._trace(records, texts)
        self._refresh_next_dates(records)

    @api.model
    def _schedule_deadline(self, records):
        """The credit manager's activity, due ``DEADLINE_NOTICE_DAYS`` before the
        claim deadline: created once, moved when the publication date changes."""
        for record in records.sudo():
            activity = record.deadline_activity_id
            if record.state == "closed":
                continue
            if not record.claim_deadline:
                if activity:
                    activity.unlink()
                continue
            due = record.claim_deadline - timedelta(days=DEADLINE_NOTICE_DAYS)
            summary = self.env._(
                "Declare the claim to the mandataire by %s",
                format_date(self.env, record.claim_deadline),
            )
            if activity:
                activity.write({"date_deadline": due, "summary": summary})
                continue
            if record.state == "declared":
                continue
            # sudo: the activity is given to the credit manager by the engine.
            activity = record.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=due,
                summary=summary,
                note=self.env._(
                    "The claim against %(customer)s must reach the mandataire "
                    "judiciaire within two months of the BODACC publication of "
                    "%(publication)s (L622-24, R622-24 C. com.), or it is barred "
                    "(L622-26).",
                    customer=record.partner_id.display_name,
                    publication=format_date(self.env, record.publication_date),
                ),
                user_id=self._credit_manager(record).id,
            )
            record.deadline_activity_id = activity

    @api.model
    def _trace(self, records, reason_by_record, vals_by_record=None):
        """A trace line (channel ``insolvency``) and a chatter note on the customer
        per record."""
        today = fields.Date.context_today(self)
        vals_by_record = vals_by_record or {}
        vals_list = [
            {
                "company_id": record.company_id.id,
                "partner_id": record.partner_id.id,
                "insolvency_id": record.id,
                "channel": "insolvency",
                "state": "sent",
                "reason": reason_by_record[record],
                "date": today,
                **vals_by_record.get(record, {}),
            }
            for record in records
        ]
        # sudo: the trace is append-only, written by the engine after the checks.
        actions = self.env["account.dunning.action"].sudo().create(vals_list)
        bodies = {}
        for record in records:
            bodies[record.partner_id.id] = bodies.get(
                record.partner_id.id, Markup("")
            ) + (Markup("<p>%s</p>") % escape(reason_by_record[record]))
        # sudo: notes in the customer's chatter, written by the engine.
        records.partner_id.sudo()._message_log_batch(bodies)
        return dict(zip(records, actions, strict=True))

    # ------------------------------------------------------------ the claim

    @api.model
    def _siren(self, partner):
        """The French company number (SIREN, 9 digits) of a partner: from its SIRET
        or company registry, else from its French VAT number."""
        partner = partner.commercial_partner_id
        for value in (
            "siret" in partner._fields and partner.siret,
            partner.company_registry,
        ):
            digits = "".join(char for char in (value or "") if char.isdigit())
            if len(digits) in (9, 14):
                return digits[:9]
        vat = (partner.vat or "").replace(" ", "").upper()
        if vat.startswith("FR") and len(vat) == 13 and vat[4:].isdigit():
            return vat[4:]
        return False

    @api.model
    def _due_at(self, moves, on_date):
        """{move: amount due on ``on_date``, invoice currency}: the amount due now,
        with what was applied to it after that date added back."""
        result = {}
        for move in moves:
            items = move.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            )
            later = sum(
                partial.debit_amount_currency
                for item in items
                for partial in item.matched_credit_ids
                if partial.max_date > on_date
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
        yet billed); the total in company currency; the supporting documents."""
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
        unbilled = self.env["account.dunning.penalty.engine"]._unbilled(moves, judgment)
        empty = {"lines": [], "provisional": [], "indemnity": 0.0}
        lines, total = [], 0.0
        for move in moves:
            penalties = unbilled.get(move, empty)
            currency = move.currency_id
            interest = currency.round(
                sum(
                    line.amount
                    for line in penalties["lines"] + penalties["provisional"]
                )
            )
            indemnity = currency.round(penalties["indemnity"])
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
