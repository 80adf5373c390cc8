# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The insolvency engine: what recording, publishing, declaring and closing
proceedings do to the customer (its insolvency date, its block, the deadline's
activity, the trace); the claim declared is in ``dunning_insolvency_claim``.

The records' buttons check the user is a dunning manager who may write them, then
call these steps, which write the engine-owned state in superuser mode.
"""

from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import format_date

from . import insolvency_rules


class AccountDunningInsolvencyEngine(models.AbstractModel):
    _name = "account.dunning.insolvency.engine"
    _description = "Dunning: Insolvency Proceedings Engine"

    # ------------------------------------------------------------ the customer

    @api.model
    def _sync_partners(self, partners, deleted=False):
        """The customers' ``dunning_insolvency_date``: the earliest judgment of their
        proceedings not closed, False when all are closed. Proceedings converted
        into those (closed as ``converted`` on or after their judgment) are the same
        collective procedure: the date is the first opening judgment of the chain
        (the interest stays stopped from it, L622-28, L641-3). A customer without
        any proceedings keeps the date a manager wrote by hand (issue 4), but when
        its last proceedings were just deleted (``deleted``: recorded by
        mistake)."""
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
        converted = defaultdict(list)
        for record in Insolvency.search_fetch(
            [
                ("partner_id", "in", list(opened)),
                ("state", "=", "closed"),
                ("closing_reason", "=", "converted"),
            ],
            ["partner_id", "judgment_date", "closing_date"],
            order="judgment_date desc, id",
        ):
            converted[record.partner_id.id].append(
                (record.judgment_date, record.closing_date)
            )
        for partner_id, chain in converted.items():
            # Newest first: each conversion closed when the next opened.
            for judgment, closing in chain:
                if judgment < opened[partner_id] <= closing:
                    opened[partner_id] = judgment
        changes = defaultdict(lambda: self.env["res.partner"].sudo())
        for partner in partners.sudo():
            if partner.id not in recorded and not deleted:
                continue
            date = opened.get(partner.id) or False
            if partner.dunning_insolvency_date != date:
                changes[date] |= partner
        for date, group in changes.items():
            # sudo: the engine keeps the date in step with the proceedings.
            group.write({"dunning_insolvency_date": date})

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
        return (
            self.env["account.dunning.hold.engine"]._first_manager(record.company_id)
            or record.create_uid
            or self.env.user
        )

    # ------------------------------------------------------------ steps

    @api.model
    def _court_suffix(self, record):
        """' (court)' after the judgment, when the court is known."""
        return f" ({record.court})" if record.court else ""

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
                    court=self._court_suffix(record),
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
            due = record.claim_deadline - timedelta(
                days=insolvency_rules.DEADLINE_NOTICE_DAYS
            )
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
        """A trace line (channel ``insolvency``) and a chatter note on the
        proceedings per record."""
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
        # The notes go on the proceedings, not on the customer: a contact shared by
        # every company and read by salesmen must not tell one creditor's claim.
        bodies = {
            record.id: Markup("<p>%s</p>") % escape(reason_by_record[record])
            for record in records
        }
        # sudo: notes in the proceedings' chatter, written by the engine.
        records.sudo()._message_log_batch(bodies)
        return dict(zip(records, actions, strict=True))
