from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_promise_kept_count = fields.Integer(
        string="Promises Kept",
        compute="_compute_dunning_arrangements",
        groups="account_dunning.group_dunning_user",
        help="Promises to pay kept in the last 12 months.",
    )
    dunning_promise_broken_count = fields.Integer(
        string="Promises Broken",
        compute="_compute_dunning_arrangements",
        groups="account_dunning.group_dunning_user",
        help="Promises to pay broken in the last 12 months.",
    )
    dunning_dispute_open_count = fields.Integer(
        string="Open Disputes",
        compute="_compute_dunning_arrangements",
        groups="account_dunning.group_dunning_user",
    )
    dunning_promise_open_count = fields.Integer(
        string="Open Promises",
        compute="_compute_dunning_arrangements",
        groups="account_dunning.group_dunning_user",
    )
    dunning_plan_active_count = fields.Integer(
        string="Active Plans",
        compute="_compute_dunning_arrangements",
        groups="account_dunning.group_dunning_user",
    )

    @api.depends_context("company")
    def _compute_dunning_arrangements(self):
        partners = self.commercial_partner_id
        company = self.env.company
        since = fields.Date.context_today(self) - relativedelta(months=12)
        domain = [("partner_id", "in", partners.ids), ("company_id", "=", company.id)]
        promises = self.env["account.dunning.promise"]._read_group(
            [
                *domain,
                "|",
                ("state", "=", "open"),
                ("closed_date", ">=", since),
            ],
            ["partner_id", "state"],
            ["__count"],
        )
        counts = {(partner.id, state): count for partner, state, count in promises}
        disputes = dict(
            self.env["account.dunning.dispute"]._read_group(
                [*domain, ("state", "=", "open")], ["partner_id"], ["__count"]
            )
        )
        plans = dict(
            self.env["account.dunning.plan"]._read_group(
                [*domain, ("state", "=", "active")], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.dunning_promise_kept_count = counts.get((commercial.id, "kept"), 0)
            partner.dunning_promise_broken_count = counts.get(
                (commercial.id, "broken"), 0
            )
            partner.dunning_promise_open_count = counts.get((commercial.id, "open"), 0)
            partner.dunning_dispute_open_count = disputes.get(commercial, 0)
            partner.dunning_plan_active_count = plans.get(commercial, 0)

    def _dunning_list_action(self, xmlid, defaults=None):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(xmlid)
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = (
            {"default_partner_id": partner.id} if defaults is None else defaults
        )
        return action

    def action_dunning_view_disputes(self):
        # A dispute's customer is its invoice's (set by the engine): no default.
        return self._dunning_list_action(
            "account_dunning.account_dunning_dispute_action",
            defaults={"search_default_open": 1},
        )

    def action_dunning_view_promises(self):
        return self._dunning_list_action(
            "account_dunning.account_dunning_promise_action"
        )

    def action_dunning_view_plans(self):
        return self._dunning_list_action("account_dunning.account_dunning_plan_action")

    def action_dunning_record_promise(self):
        """The promise form for this customer, in a dialog."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Record a Promise to Pay"),
            "res_model": "account.dunning.promise",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_dunning_new_plan(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("New Payment Plan"),
            "res_model": "account.dunning.plan",
            "view_mode": "form",
            "target": "current",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }
