from odoo import _, api, fields, models
from odoo.exceptions import UserError

from . import dunning_access


class AccountDunningRunLine(models.Model):
    """An instalment a run proposes to move to its next level; one may untick it."""

    _name = "account.dunning.run.line"
    _description = "Dunning Run Proposal"
    _order = "run_id, partner_id, level_delay desc, invoice_date_due, id"

    run_id = fields.Many2one(
        "account.dunning.run", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Instalment",
        ondelete="cascade",
        index="btree_not_null",
        help="The receivable journal item (instalment) the proposal moves.",
    )
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="cascade", index=True
    )
    level_id = fields.Many2one(
        "account.dunning.level", required=True, ondelete="cascade"
    )
    level_delay = fields.Integer(related="level_id.delay", store=True)
    debtor_type = fields.Selection(
        related="partner_id.dunning_debtor_type", string="Debtor Type"
    )
    previous_level_id = fields.Many2one("account.dunning.level", ondelete="set null")
    invoice_date_due = fields.Date(string="Due Date")
    days_late = fields.Integer()
    currency_id = fields.Many2one("res.currency", required=True)
    amount_residual = fields.Monetary(string="Amount Due")
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    amount_residual_company = fields.Monetary(
        string="Amount Due (Company Currency)", currency_field="company_currency_id"
    )
    selected = fields.Boolean(
        default=True, help="Untick to leave this invoice out of the run."
    )
    state = fields.Selection(
        [
            ("pending", "To Send"),
            ("to_review", "To Review"),
            ("done", "Sent"),
            ("skipped", "Skipped"),
        ],
        default="pending",
        required=True,
        index=True,
    )
    reason = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        # The run inserts its proposals itself (set-based SQL); none is made by hand.
        dunning_access.check_append_only(self)
        return super().create(vals_list)

    def write(self, vals):
        """A person only ticks or unticks a proposal still to send."""
        if not self.env.su:
            dunning_access.check_engine_fields(
                self, vals, set(self._fields) - {"selected"}
            )
            if "selected" in vals and any(line.state != "pending" for line in self):
                raise UserError(
                    _("Only proposals still to send can be ticked or unticked.")
                )
        return super().write(vals)

    def unlink(self):
        dunning_access.check_append_only(self)
        return super().unlink()

    def _filter_still_due(self, on_date):
        """The lines whose instalment is still open and at the level the run found it
        at: read for the whole batch at once (prefetch)."""

        def still_due(line):
            item = line.move_line_id
            return (
                item.parent_state == "posted"
                and not item.reconciled
                and item.currency_id.compare_amounts(item.amount_residual_currency, 0)
                > 0
                and not item.move_id.dunning_excluded
                and item.dunning_level_id == line.previous_level_id
                and not (item.dunning_last_date and item.dunning_last_date >= on_date)
            )

        return self.filtered(still_due)
