# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The run and the hand-offs: invoices handed off since the compute are skipped;
the hand-off channel of a level prepares the hand-off."""

from odoo import api, fields, models


class AccountDunningRunEngine(models.AbstractModel):
    _inherit = "account.dunning.run.engine"

    @api.model
    def _skip_held_items(self, run, lines):
        held = super()._skip_held_items(run, lines)
        handed = (lines - held).filtered(lambda line: line.move_id.dunning_handed_off)
        handed.write(
            {
                "state": "skipped",
                "reason": self.env._(
                    "Handed off to a collector since the run was computed."
                ),
            }
        )
        return held | handed


class AccountDunningDispatch(models.AbstractModel):
    _inherit = "account.dunning.dispatch"

    @api.model
    def _channel_registry(self):
        return {
            **super()._channel_registry(),
            "handoff": {
                "sequence": 50,
                "level_field": "channel_handoff",
                "failure": "_handoff_failure",
                "send": "_handoff_send",
            },
        }

    @api.model
    def _handoff_failure(self, recipient, partner, level):
        if not level.handoff_collector_id:
            return self.env._("The hand-off level has no collector.")
        # sudo: the engine reads the insolvency date for every user.
        opened = partner.sudo().dunning_insolvency_date
        if opened and opened <= fields.Date.context_today(self):
            return self.env._(
                "The customer is in insolvency proceedings since %s: no hand-off.",
                opened,
            )
        return False

    @api.model
    def _handoff_send(self, actions):
        self.env["account.dunning.handoff.engine"]._from_actions(actions)
