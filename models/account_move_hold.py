from odoo import _, fields, models

from . import dunning_access, hold_rules

# Written by the dispute, promise and plan buttons through the engine alone.
HOLD_ENGINE_FIELDS = ("dunning_resume_date", "dunning_escalate")


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_dispute_ids = fields.One2many(
        "account.dunning.dispute",
        "move_id",
        string="Disputes",
        readonly=True,
        groups="account_dunning.group_dunning_user",
    )
    dunning_promise_ids = fields.Many2many(
        "account.dunning.promise",
        "account_dunning_promise_move_rel",
        "move_id",
        "promise_id",
        string="Promises to Pay",
        readonly=True,
        copy=False,
        groups="account_dunning.group_dunning_user",
    )
    dunning_plan_ids = fields.Many2many(
        "account.dunning.plan",
        "account_dunning_plan_move_rel",
        "move_id",
        "plan_id",
        string="Payment Plans",
        readonly=True,
        copy=False,
        groups="account_dunning.group_dunning_user",
    )
    # Stored for the run's candidate query, the filters and the API; set by the
    # engine (``account.dunning.hold.engine._sync_moves``) when a dispute, a promise
    # or a plan opens or closes, and when a payment changes an invoice's amount due.
    dunning_disputed = fields.Boolean(
        string="Disputed",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The invoice is under an open dispute.",
    )
    dunning_disputed_amount = fields.Monetary(
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The part of the invoice under an open dispute: not reminded, no "
        "penalties billed on it.",
    )
    dunning_hold = fields.Selection(
        [
            (hold_rules.DISPUTE, "Disputed"),
            (hold_rules.PROMISE, "Promise to Pay"),
            (hold_rules.PLAN, "Payment Plan"),
        ],
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        help="Why the invoice is out of the reminder ladder: disputed in full, under "
        "an open promise to pay, or in an active payment plan.",
    )
    dunning_resume_date = fields.Date(
        string="Dunning Resumes On",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="No reminder before that day: the grace days after a dispute was "
        "resolved.",
    )
    dunning_escalate = fields.Boolean(
        string="Escalate",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="A promise or a plan was broken: the next level is due at the next run, "
        "without its minimum days.",
    )

    def _dunning_check_write(self, vals):
        result = super()._dunning_check_write(vals)
        dunning_access.check_engine_fields(
            self,
            vals,
            (
                *HOLD_ENGINE_FIELDS,
                "dunning_disputed",
                "dunning_disputed_amount",
                "dunning_hold",
            ),
        )
        return result

    # ------------------------------------------------------------ buttons

    def action_dunning_open_dispute(self):
        """The dispute form, for this invoice, in a dialog."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Open a Dispute"),
            "res_model": "account.dunning.dispute",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    def action_dunning_view_disputes(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_dunning.account_dunning_dispute_action"
        )
        action["domain"] = [("move_id", "=", self.id)]
        action["context"] = {"default_move_id": self.id}
        return action
