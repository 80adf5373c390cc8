# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import clean_context

# The write-down rate proposed: the whole amount for a customer in liquidation.
LIQUIDATION_RATE = 100.0
DEFAULT_RATE = 50.0


class AccountDunningDoubtfulWizard(models.TransientModel):
    """Mark invoices doubtful: a rate per invoice and one reason."""

    _name = "account.dunning.doubtful.wizard"
    _description = "Mark Receivables Doubtful"

    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    line_ids = fields.One2many(
        "account.dunning.doubtful.wizard.line", "wizard_id", string="Write-Downs"
    )
    mode = fields.Selection(
        [("doubtful", "Mark Doubtful"), ("write_off", "Write Off")],
        required=True,
        default="doubtful",
    )
    reason = fields.Char(
        required=True,
        help="Why the receivables became doubtful: it goes on the entries and in "
        "the trace.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        move_ids = context.get("default_move_ids") or (
            context.get("active_ids")
            if context.get("active_model") == "account.move"
            else []
        )
        if move_ids and isinstance(move_ids[0], list | tuple):
            # a list of commands
            move_ids = [i for command in move_ids for i in command[2] or []]
        moves = self.env["account.move"].browse(move_ids).exists()
        if "move_ids" in fields_list:
            values["move_ids"] = [Command.set(moves.ids)]
        if "line_ids" in fields_list:
            values["line_ids"] = [
                Command.create({"move_id": move.id, "rate": self._default_rate(move)})
                for move in moves
            ]
        return values

    @api.model
    def _default_rate(self, move):
        """100 % for a customer in liquidation (proceedings not closed), else 50 %."""
        # sudo: whether the customer is in liquidation, for the proposed rate only.
        liquidation = (
            self.env["account.dunning.insolvency"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "=", move.commercial_partner_id.id),
                    ("company_id", "=", move.company_id.id),
                    ("kind", "=", "liquidation"),
                    ("state", "!=", "closed"),
                ],
                limit=1,
            )
        )
        return LIQUIDATION_RATE if liquidation else DEFAULT_RATE

    @api.onchange("move_ids")
    def _onchange_move_ids(self):
        kept = self.line_ids.filtered(lambda line: line.move_id in self.move_ids)
        new = self.move_ids - kept.move_id
        self.line_ids = [Command.set(kept.ids)] + [
            Command.create({"move_id": move.id, "rate": self._default_rate(move)})
            for move in new
        ]

    def action_confirm(self):
        self.ensure_one()
        # the wizard's defaults are not the entries' and credit notes' defaults
        self = self.with_env(self.env(context=clean_context(self.env.context)))
        if not self.line_ids:
            raise UserError(self.env._("Choose the invoices that became doubtful."))
        moves = self.line_ids.move_id
        if self.mode == "write_off":
            moves.action_write_off(self.reason)
            return {"type": "ir.actions.act_window_close"}
        moves._dunning_check_doubtful_manager()
        self.env["account.dunning.doubtful.engine"]._mark_doubtful(
            {line.move_id: line.rate for line in self.line_ids}, self.reason
        )
        return {"type": "ir.actions.act_window_close"}


class AccountDunningDoubtfulWizardLine(models.TransientModel):
    _name = "account.dunning.doubtful.wizard.line"
    _description = "Mark Receivables Doubtful: Invoice"

    wizard_id = fields.Many2one(
        "account.dunning.doubtful.wizard", required=True, ondelete="cascade"
    )
    move_id = fields.Many2one("account.move", string="Invoice", required=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id")
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_residual = fields.Monetary(related="move_id.amount_residual")
    rate = fields.Float(
        string="Write-Down (%)",
        digits=(5, 2),
        help="The share of the amount due excluding VAT written down, 0 to 100.",
    )
