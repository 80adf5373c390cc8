from odoo import api, models

from .dunning_portal import REMINDER_CHANNELS, format_amount, format_date


class AccountDunningPortal(models.AbstractModel):
    """The customer's disputes, promises, plans and reminders on its page: the open
    ones and a year of closed ones, in the words the customer should read."""

    _inherit = "account.dunning.portal"

    @api.model
    def _labels(self, model, field):
        return dict(self.env[model]._fields[field]._description_selection(self.env))

    @api.model
    def _owner(self, record, show):
        return record.user_id.name if show and record.user_id else ""

    @api.model
    def _reminders(self, partner, company, since):
        actions = self.env["account.dunning.action"].search_fetch(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("channel", "in", REMINDER_CHANNELS),
                ("state", "=", "sent"),
                ("date", ">=", since),
            ],
            ["date", "channel", "level_id", "letter_attachment_id", "message_id"],
            order="date desc, id desc",
            limit=100,
        )
        channels = self._labels("account.dunning.action", "channel")
        return [
            {
                "id": action.id,
                "date": format_date(self.env, action.date),
                "channel": channels.get(action.channel, ""),
                "level": action.level_id.name or "",
                # A letter's PDF, an email's text: the SMS has no document.
                "has_document": bool(
                    action.letter_attachment_id
                    or (action.channel == "email" and action.message_id)
                ),
            }
            for action in actions
        ]

    @api.model
    def _recent(self, since, open_states):
        return ["|", ("state", "in", open_states), ("write_date", ">=", since)]

    @api.model
    def _disputes(self, partner, company, since):
        disputes = self.env["account.dunning.dispute"].search_fetch(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                *self._recent(since, ["open"]),
            ],
            [
                "move_id",
                "reason",
                "amount",
                "currency_id",
                "state",
                "date",
                "deadline",
                "resolution_note",
                "resolution_date",
                "user_id",
            ],
            order="date desc, id desc",
        )
        reasons = self._labels("account.dunning.dispute", "reason")
        states = self._labels("account.dunning.dispute", "state")
        show = company.dunning_portal_show_owner
        return [
            {
                "id": dispute.id,
                "invoice": dispute.move_id.name,
                "reason": reasons.get(dispute.reason, ""),
                "amount": format_amount(self.env, dispute.amount, dispute.currency_id),
                "state": dispute.state,
                "state_label": states.get(dispute.state, ""),
                "date": format_date(self.env, dispute.date),
                "deadline": format_date(self.env, dispute.deadline)
                if dispute.deadline
                else "",
                "resolution_note": dispute.resolution_note or ""
                if dispute.state != "open"
                else "",
                "resolution_date": format_date(self.env, dispute.resolution_date)
                if dispute.resolution_date
                else "",
                "owner": self._owner(dispute, show),
            }
            for dispute in disputes
        ]

    @api.model
    def _promises(self, partner, company, since):
        promises = self.env["account.dunning.promise"].search_fetch(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                *self._recent(since, ["open"]),
            ],
            ["date", "amount", "currency_id", "state", "move_ids", "user_id", "source"],
            order="date desc, id desc",
        )
        states = self._labels("account.dunning.promise", "state")
        show = company.dunning_portal_show_owner
        return [
            {
                "id": promise.id,
                "date": format_date(self.env, promise.date),
                "amount": format_amount(self.env, promise.amount, promise.currency_id),
                "invoices": ", ".join(promise.move_ids.mapped("name")),
                "state": promise.state,
                "state_label": states.get(promise.state, ""),
                "owner": self._owner(promise, show),
            }
            for promise in promises
        ]

    @api.model
    def _plans(self, partner, company, since):
        plans = self.env["account.dunning.plan"].search_fetch(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                *self._recent(since, ["draft", "active"]),
            ],
            ["name", "state", "amount_total", "currency_id", "line_ids", "user_id"],
            order="id desc",
        )
        states = self._labels("account.dunning.plan", "state")
        show = company.dunning_portal_show_owner
        return [
            {
                "id": plan.id,
                "name": plan.name,
                "state": plan.state,
                # A draft is the customer's request, waiting for our answer.
                "state_label": self.env._("Requested")
                if plan.state == "draft"
                else states.get(plan.state, ""),
                "amount": format_amount(self.env, plan.amount_total, plan.currency_id),
                "instalments": [
                    {
                        "date": format_date(self.env, line.date),
                        "amount": format_amount(
                            self.env, line.amount, plan.currency_id
                        ),
                        "paid": format_amount(
                            self.env, line.paid_amount, plan.currency_id
                        ),
                    }
                    for line in plan.line_ids.sorted("date")
                ],
                "owner": self._owner(plan, show),
            }
            for plan in plans
        ]
