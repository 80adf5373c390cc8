import uuid

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, sql

from . import dunning_access, dunning_rules

# Written by the runs and the penalty billing only (see dunning_access).
ENGINE_FIELDS = (
    "dunning_level_id",
    "dunning_last_date",
    "dunning_action_ids",
    "dunning_penalty_ids",
)
# Written by dunning managers (the exclusion wizard) only.
EXCLUSION_FIELDS = ("dunning_excluded", "dunning_exclusion_reason")


class AccountMove(models.Model):
    _inherit = "account.move"

    # The highest level and latest reminder of the invoice's receivable items (the
    # unit of dunning), stored for the filters, the lists and the API.
    dunning_level_id = fields.Many2one(
        "account.dunning.level",
        string="Dunning Level",
        compute="_compute_dunning_state",
        store=True,
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        help="The highest dunning level reached by the invoice's instalments.",
    )
    dunning_last_date = fields.Date(
        string="Last Reminder",
        compute="_compute_dunning_state",
        store=True,
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Date of the last reminder that moved one of its instalments.",
    )
    # No default: the column stays empty on existing rows, so installing is instant.
    dunning_excluded = fields.Boolean(
        string="Excluded From Dunning",
        copy=False,
        tracking=True,
        groups="base.group_user",
    )
    dunning_exclusion_reason = fields.Char(
        copy=False, tracking=True, groups="base.group_user"
    )
    dunning_action_ids = fields.Many2many(
        "account.dunning.action",
        "account_dunning_action_move_rel",
        "move_id",
        "action_id",
        string="Reminders",
        readonly=True,
        copy=False,
        groups="account_dunning.group_dunning_user",
    )
    dunning_action_count = fields.Integer(
        compute="_compute_dunning_action_count",
        groups="account_dunning.group_dunning_user",
    )
    dunning_partner_blocked = fields.Boolean(
        string="Customer Blocked",
        compute="_compute_dunning_partner_blocked",
        groups="base.group_user",
    )
    dunning_partner_block_reason = fields.Char(
        compute="_compute_dunning_partner_blocked", groups="base.group_user"
    )
    dunning_interest_amount = fields.Monetary(
        string="Late Interest",
        compute="_compute_dunning_penalties",
        groups="base.group_user",
        help="Late-payment interest accrued as of today, in the invoice currency.",
    )
    dunning_indemnity_amount = fields.Monetary(
        string="Recovery Indemnity",
        compute="_compute_dunning_penalties",
        groups="base.group_user",
        help="The flat indemnity for recovery costs due on this late invoice.",
    )
    dunning_interest_detail_html = fields.Html(
        string="Interest Detail",
        compute="_compute_dunning_penalties",
        sanitize=False,
        groups="base.group_user",
    )
    dunning_penalty_ids = fields.One2many(
        "account.dunning.penalty",
        "move_id",
        string="Penalty Claims",
        readonly=True,
        groups="account_dunning.group_dunning_user",
    )

    def _auto_init(self):
        """Create the invoice's level and date empty: at install no item has a level,
        and the ORM would otherwise compute them entry by entry on a big database."""
        cr = self.env.cr
        if not sql.column_exists(cr, "account_move", "dunning_level_id"):
            sql.create_column(cr, "account_move", "dunning_level_id", "int4")
        if not sql.column_exists(cr, "account_move", "dunning_last_date"):
            sql.create_column(cr, "account_move", "dunning_last_date", "date")
        return super()._auto_init()

    @api.depends("line_ids.dunning_level_id", "line_ids.dunning_last_date")
    def _compute_dunning_state(self):
        for move in self:
            items = move.line_ids.filtered("dunning_level_id")
            move.dunning_level_id = dunning_rules.customer_level(items.dunning_level_id)
            move.dunning_last_date = max(
                (item.dunning_last_date for item in items if item.dunning_last_date),
                default=False,
            )

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

    @api.depends("commercial_partner_id", "company_id", "move_type")
    def _compute_dunning_partner_blocked(self):
        for move in self:
            # sudo: the block of the invoice's own customer, shown on the invoice to
            # whoever may read it; only the flag and the reason are read.
            partner = move.commercial_partner_id.with_company(move.company_id).sudo()
            blocked = move.is_sale_document() and partner.dunning_blocked
            move.dunning_partner_blocked = blocked
            move.dunning_partner_block_reason = (
                partner.dunning_block_reason if blocked else False
            )

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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._dunning_check_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._dunning_check_write(vals)
        return super().write(vals)

    def _dunning_check_write(self, vals):
        """Levels and claims are the engine's; exclusions are the managers'."""
        dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
        dunning_access.check_manager_fields(
            self,
            vals,
            EXCLUSION_FIELDS,
            _("Only dunning managers can exclude invoices from dunning."),
        )
        dunning_access.check_manager_fields(
            self,
            vals,
            ["dunning_credit_note_kind"],
            _(
                "Only dunning managers can change the nature of a credit note: it "
                "decides from when it cuts the late interest."
            ),
        )

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
