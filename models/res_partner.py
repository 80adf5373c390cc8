from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_policy_id = fields.Many2one(
        "account.dunning.policy",
        string="Dunning Policy",
        company_dependent=True,
        domain="[('company_id', '=', current_company_id)]",
        help="Leave empty to follow the company's default dunning policy.",
    )
    dunning_next_action_date = fields.Date(
        string="Next Dunning Action",
        company_dependent=True,
        help="When this customer's next dunning level becomes due.",
    )
    dunning_level_id = fields.Many2one(
        "account.dunning.level",
        string="Dunning Level",
        compute="_compute_dunning_status",
        help="The highest level reached by the customer's open invoices.",
    )
    dunning_last_date = fields.Date(
        string="Last Reminder", compute="_compute_dunning_status"
    )
    dunning_overdue_amount = fields.Monetary(
        string="Overdue Amount",
        compute="_compute_dunning_status",
        currency_field="dunning_currency_id",
    )
    dunning_currency_id = fields.Many2one(
        "res.currency", compute="_compute_dunning_status", string="Dunning Currency"
    )
    dunning_action_ids = fields.One2many(
        "account.dunning.action", "partner_id", string="Dunning Actions"
    )
    dunning_action_count = fields.Integer(compute="_compute_dunning_action_count")

    @api.depends_context("company")
    def _compute_dunning_status(self):
        """Level, last reminder and overdue amount from the open invoices."""
        company = self.env.company
        commercial = self.commercial_partner_id
        today = fields.Date.context_today(self)
        groups = (
            self.env["account.move"]._read_group(
                self.env["account.move"]._dunning_open_domain(commercial, company),
                ["commercial_partner_id"],
                ["dunning_last_date:max", "id:array_agg"],
            )
            if commercial.ids
            else []
        )
        status = {}
        for partner, last_date, move_ids in groups:
            moves = self.env["account.move"].browse(move_ids)
            levels = moves.dunning_level_id
            overdue = moves.filtered(
                lambda move: move.invoice_date_due and move.invoice_date_due < today
            )
            status[partner.id] = (
                levels.sorted(lambda level: (level.delay, level.id))[-1:],
                last_date,
                sum(overdue.mapped("amount_residual_signed")),
            )
        for partner in self:
            level, last_date, overdue = status.get(
                partner.commercial_partner_id.id,
                (self.env["account.dunning.level"], False, 0.0),
            )
            partner.dunning_level_id = level
            partner.dunning_last_date = last_date
            partner.dunning_overdue_amount = overdue
            partner.dunning_currency_id = company.currency_id

    def _compute_dunning_action_count(self):
        commercial = self.commercial_partner_id
        counts = (
            dict(
                self.env["account.dunning.action"]._read_group(
                    [("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"]
                )
            )
            if commercial.ids
            else {}
        )
        for partner in self:
            partner.dunning_action_count = counts.get(partner.commercial_partner_id, 0)

    def _dunning_recipients(self):
        """Who receives the reminders, per customer id: the invoice contact, else the
        customer itself. One query for the whole batch."""
        contacts = self.search_fetch(
            [("parent_id", "in", self.ids), ("type", "=", "invoice")],
            ["parent_id", "email", "lang"],
            order="id",
        )
        recipients = {partner.id: partner for partner in self}
        for contact in reversed(contacts):
            recipients[contact.parent_id.id] = contact
        return recipients

    def action_dunning_bill_penalties(self):
        """Bill the penalties not yet claimed on this customer's late invoices."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        invoices = (
            self.env["account.move"]
            .search(
                [
                    ("commercial_partner_id", "=", self.commercial_partner_id.id),
                    ("company_id", "=", self.env.company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("invoice_date_due", "<", today),
                ]
            )
            .filtered(lambda move: move._dunning_is_late(today))
        )
        if not invoices:
            raise UserError(_("%s has no invoice paid late.", self.display_name))
        return invoices.action_dunning_bill_penalties()

    def action_open_dunning_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_dunning.account_dunning_action_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
