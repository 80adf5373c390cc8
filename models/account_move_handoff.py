# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, sql

from . import dunning_access


class AccountMove(models.Model):
    _inherit = "account.move"

    # Stored for the run's candidate query, the filters and the API; set by the
    # engine (``account.dunning.handoff.engine._sync_moves``) when a hand-off leaves
    # the draft, comes back, fails or closes.
    dunning_handed_off = fields.Boolean(
        string="Handed Off",
        readonly=True,
        copy=False,
        default=False,
        groups="base.group_user",
        help="The invoice is in a collector's hands: the run no longer reminds it; "
        "blocking stays and the penalties keep accruing.",
    )
    dunning_handoff_ids = fields.Many2many(
        "account.dunning.handoff",
        "account_dunning_handoff_move_rel",
        "move_id",
        "handoff_id",
        string="Hand-offs",
        readonly=True,
        copy=False,
        groups="account_dunning.group_dunning_user",
    )

    def _auto_init(self):
        """The column with its default in one statement: instant on a big table, and
        never NULL, which the run's negated hold domain needs (NOT (NULL) is NULL)."""
        cr = self.env.cr
        if not sql.column_exists(cr, "account_move", "dunning_handed_off"):
            cr.execute(
                SQL(
                    "ALTER TABLE account_move ADD COLUMN dunning_handed_off boolean "
                    "DEFAULT FALSE"
                )
            )
        result = super()._auto_init()
        # The few invoices handed off, for the run's hold: a partial index.
        sql.create_index(
            cr,
            "account_move_dunning_handed_off_index",
            "account_move",
            ["id"],
            where="dunning_handed_off",
        )
        return result

    def _dunning_check_write(self, vals):
        result = super()._dunning_check_write(vals)
        # The invoices of a hand-off change through the hand-off, which checks
        # them (customer, company, dispute, state): never from the invoice's side.
        dunning_access.check_engine_fields(
            self, vals, ("dunning_handed_off", "dunning_handoff_ids")
        )
        return result

    def action_dunning_handoff(self):
        """A hand-off of the selected invoices of one customer, in a dialog."""
        partners = self.commercial_partner_id
        if len(partners) != 1:
            raise UserError(
                self.env._("Select the invoices of one customer to hand them off.")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand Off"),
            "res_model": "account.dunning.handoff",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": partners.id,
                "default_company_id": self[:1].company_id.id,
                "default_move_ids": [fields.Command.set(self.ids)],
            },
        }

    def action_dunning_view_handoffs(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_dunning.account_dunning_handoff_action"
        )
        action["domain"] = [("move_ids", "in", self.ids)]
        return action
