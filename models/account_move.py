import uuid

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_level_id = fields.Many2one(
        "account.dunning.level",
        string="Dunning Level",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The last dunning level executed for this invoice.",
    )
    dunning_last_date = fields.Date(
        string="Last Reminder",
        readonly=True,
        copy=False,
        help="Date of the last reminder sent.",
    )
    # No default: the column stays empty on existing rows, so installing is instant.
    dunning_excluded = fields.Boolean(
        string="Excluded From Dunning", copy=False, tracking=True
    )
    dunning_exclusion_reason = fields.Char(copy=False, tracking=True)
    dunning_action_ids = fields.Many2many(
        "account.dunning.action",
        "account_dunning_action_move_rel",
        "move_id",
        "action_id",
        string="Reminders",
        readonly=True,
        copy=False,
    )
    dunning_action_count = fields.Integer(compute="_compute_dunning_action_count")

    @api.depends("dunning_action_ids")
    def _compute_dunning_action_count(self):
        counts = (
            dict(
                self.env["account.dunning.action"]._read_group(
                    [("move_ids", "in", self.ids)], ["move_ids"], ["__count"]
                )
            )
            if self.ids
            else {}
        )
        for move in self:
            move.dunning_action_count = counts.get(move, 0)

    @api.constrains("dunning_excluded", "dunning_exclusion_reason")
    def _check_dunning_exclusion_reason(self):
        for move in self:
            if (
                move.dunning_excluded
                and not (move.dunning_exclusion_reason or "").strip()
            ):
                raise ValidationError(
                    _(
                        "Give a reason to exclude the invoice %s from dunning.",
                        move.display_name,
                    )
                )

    def write(self, vals):
        if {"dunning_excluded", "dunning_exclusion_reason"} & set(vals) and not (
            self.env.su
            or self.env.user.has_group("account_dunning.group_dunning_manager")
        ):
            raise AccessError(
                _("Only dunning managers can exclude invoices from dunning.")
            )
        return super().write(vals)

    @api.model
    def _dunning_open_domain(self, partners, company):
        """The open invoices of these customers that the dunning looks at.

        The run's candidate query (SQL, for speed) applies the same conditions.
        """
        return [
            ("commercial_partner_id", "in", partners.ids),
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("amount_residual", ">", 0),
            ("dunning_excluded", "!=", True),
        ]

    def action_open_dunning_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_dunning.account_dunning_action_action"
        )
        action["domain"] = [("move_ids", "in", self.ids)]
        action["context"] = {}
        return action

    def _portal_ensure_tokens(self):
        """Give every move an access token in one statement, for the payment links."""
        missing = self.filtered(lambda move: not move.access_token)
        if not missing:
            return
        self.env.execute_query(
            SQL(
                """
                UPDATE account_move move SET access_token = data.token
                  FROM unnest(%s::int[], %s::varchar[]) AS data(move_id, token)
                 WHERE move.id = data.move_id AND move.access_token IS NULL
                """,
                missing.ids,
                [str(uuid.uuid4()) for _move in missing],
            )
        )
        missing.invalidate_recordset(["access_token"])
