# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .account_dunning_handoff import ROUTES


class AccountDunningLevel(models.Model):
    """A level of type hand-off gives the customer's file to its collector."""

    _inherit = "account.dunning.level"

    channel_handoff = fields.Boolean(
        string="Hand-off",
        compute="_compute_channel_handoff",
        store=True,
        readonly=False,
        help="The run prepares a hand-off of the customer's overdue invoices to "
        "the level's collector. No email nor letter goes to the customer unless "
        "those channels are ticked too.",
    )
    handoff_collector_id = fields.Many2one(
        "res.partner",
        string="Collector",
        domain=[("dunning_collector_type", "!=", False)],
    )
    handoff_route = fields.Selection(ROUTES, string="Route", default="agency")
    handoff_commission_rate = fields.Float(string="Commission (%)", digits=(5, 2))
    handoff_account_id = fields.Many2one(
        "account.account",
        string="Commission Account",
        help="The expense account of the collector's commission when the company "
        "has no account 6226.",
    )

    @api.model
    def _selection_fallback_channel(self):
        # The collector is no way to reach the customer instead of an email.
        return [
            (code, label)
            for code, label in super()._selection_fallback_channel()
            if code != "handoff"
        ]

    @api.depends("level_type")
    def _compute_channel_handoff(self):
        for level in self:
            level.channel_handoff = level.level_type == "handoff"

    @api.constrains("channel_email", "channel_letter", "channel_sms", "channel_call")
    def _check_channels(self):
        # A hand-off level may reach the collector alone.
        return super(
            AccountDunningLevel, self.filtered(lambda level: not level.channel_handoff)
        )._check_channels()

    @api.constrains(
        "level_type", "channel_handoff", "handoff_collector_id", "handoff_route"
    )
    def _check_handoff(self):
        for level in self:
            if level.channel_handoff and level.level_type != "handoff":
                raise ValidationError(
                    self.env._(
                        "Only a level of type hand-off hands files off (level “%s”).",
                        level.name,
                    )
                )
            if level.level_type == "handoff" and not level.handoff_collector_id:
                raise ValidationError(
                    self.env._(
                        "The hand-off level “%s” needs its collector.", level.name
                    )
                )
            if level.level_type == "handoff" and not level.handoff_route:
                raise ValidationError(
                    self.env._("The hand-off level “%s” needs its route.", level.name)
                )
            if not 0 <= level.handoff_commission_rate <= 100:
                raise ValidationError(
                    self.env._("The commission rate must be between 0 and 100 %.")
                )
