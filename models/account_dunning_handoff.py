# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A customer's file handed off to a collector: a collection agency, a commissaire
de justice (simplified procedure, L125-1 CPCE), the court (injonction de payer) or
a credit insurer."""

import secrets
import uuid

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from . import dunning_access

ROUTES = [
    ("agency", "Collection Agency"),
    ("simplified_procedure", "Simplified Procedure (Commissaire de Justice)"),
    ("injunction", "Injonction de Payer"),
    ("insurer", "Credit Insurer"),
]
STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("acknowledged", "Acknowledged"),
    ("recovered", "Recovered"),
    ("partly_recovered", "Partly Recovered"),
    ("returned", "Returned"),
    ("closed", "Closed"),
    ("failed", "Failed"),
]
# The states in which the invoices are in the collector's hands.
ACTIVE_STATES = ("sent", "acknowledged", "recovered", "partly_recovered")
# The states in which the invoices are free for another hand-off.
RELEASED_STATES = ("returned", "closed")
# Set by the buttons, the collector's calls and the engine, never written directly.
ENGINE_FIELDS = (
    "state",
    "failure_reason",
    "amount_principal",
    "amount_interest",
    "amount_indemnity",
    "amount_claimed",
    "amount_recovered",
    "status_token",
    "idempotency_key",
    "export_attachment_id",
    "sent_date",
    "collector_reference",
    "commission_move_id",
    "commission_booked",
    "amount_registered",
    "level_id",
)
# What a user may still change once the file left the draft (the commission's
# account until the commission is booked, with the recovered payment).
FREE_FIELDS = ("note", "expense_account_id")


class AccountDunningHandoff(models.Model):
    _name = "account.dunning.handoff"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Dunning Hand-off"
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    collector_id = fields.Many2one(
        "res.partner",
        string="Collector",
        required=True,
        index=True,
        domain=[("dunning_collector_type", "!=", False)],
        # Another company's collector (its API and token) is not this company's.
        check_company=True,
        tracking=True,
    )
    collector_type = fields.Selection(related="collector_id.dunning_collector_type")
    move_ids = fields.Many2many(
        "account.move",
        "account_dunning_handoff_move_rel",
        "handoff_id",
        "move_id",
        string="Invoices",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id), "
        "('payment_state', 'not in', ('paid', 'in_payment', 'reversed'))]",
    )
    date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True, index=True
    )
    route = fields.Selection(ROUTES, required=True, default="agency", tracking=True)
    state = fields.Selection(
        STATES,
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    failure_reason = fields.Char(readonly=True, copy=False)
    level_id = fields.Many2one(
        "account.dunning.level", string="Level", readonly=True, copy=False
    )
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, precompute=True
    )
    amount_principal = fields.Monetary(string="Principal", readonly=True, copy=False)
    amount_interest = fields.Monetary(string="Late Interest", readonly=True, copy=False)
    amount_indemnity = fields.Monetary(
        string="Recovery Indemnity", readonly=True, copy=False
    )
    amount_claimed = fields.Monetary(
        readonly=True,
        copy=False,
        help="Principal, late interest accrued to the hand-off's date and the "
        "recovery indemnities of the invoices.",
    )
    amount_recovered = fields.Monetary(readonly=True, copy=False, tracking=True)
    commission_rate = fields.Float(
        string="Commission (%)", digits=(5, 2), tracking=True
    )
    commission_amount = fields.Monetary(
        compute="_compute_commission_amount", store=True
    )
    commission_netted = fields.Boolean(
        default=True,
        help="The collector keeps its commission from what it recovered: the "
        "commission is booked as an expense when the payment is registered.",
    )
    expense_account_id = fields.Many2one(
        "account.account",
        string="Commission Account",
        check_company=True,
        help="The expense account of the commission when the company has no "
        "account 6226 (fees of collectors).",
    )
    commission_move_id = fields.Many2one(
        "account.move", string="Commission Entry", readonly=True, copy=False
    )
    commission_booked = fields.Monetary(
        readonly=True,
        copy=False,
        help="The commission booked so far, with the recovered payments.",
    )
    amount_registered = fields.Monetary(
        readonly=True,
        copy=False,
        help="What the collector recovered that is registered so far: the "
        "payments and the commission booked with them.",
    )
    status_token = fields.Char(
        readonly=True,
        copy=False,
        groups="account_dunning.group_dunning_manager",
        help="The secret the collector sends back with its status calls.",
    )
    idempotency_key = fields.Char(readonly=True, copy=False)
    export_attachment_id = fields.Many2one(
        "ir.attachment", string="File", readonly=True, copy=False
    )
    sent_date = fields.Date(string="Sent On", readonly=True, copy=False)
    collector_reference = fields.Char(readonly=True, copy=False)
    note = fields.Text()

    @api.depends("move_ids.currency_id", "company_id")
    def _compute_currency_id(self):
        for handoff in self:
            handoff.currency_id = (
                handoff.move_ids[:1].currency_id or handoff.company_id.currency_id
            )

    @api.depends("amount_recovered", "commission_rate", "currency_id")
    def _compute_commission_amount(self):
        for handoff in self:
            # 1,000.00 x 12 % = 120.00, rounded to the cent of the currency.
            handoff.commission_amount = handoff.currency_id.round(
                handoff.amount_recovered * handoff.commission_rate / 100.0
            )

    @api.depends("partner_id", "collector_id", "date")
    def _compute_display_name(self):
        for handoff in self:
            handoff.display_name = self.env._(
                "%(customer)s to %(collector)s (%(date)s)",
                customer=handoff.partner_id.display_name or "",
                collector=handoff.collector_id.display_name or "",
                date=handoff.date or "",
            )

    # ------------------------------------------------------------ onchange

    @api.onchange("partner_id", "company_id")
    def _onchange_partner_id(self):
        for handoff in self.filtered(lambda handoff: not handoff._origin):
            handoff.move_ids = self.env[
                "account.dunning.handoff.engine"
            ]._default_moves(handoff.partner_id, handoff.company_id or self.env.company)

    # ------------------------------------------------------------ CRUD

    def _check_user(self):
        if not self.env.su and not self.env.user.has_group(
            "account_dunning.group_dunning_user"
        ):
            raise AccessError(self.env._("Only dunning users can hand off invoices."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_user()
        engine = self.env["account.dunning.handoff.engine"]
        Partner = self.env["res.partner"]
        context = self.env.context
        for vals in vals_list:
            dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
            # The form's defaults (the buttons') are applied by ``super``: read here.
            partner = Partner.browse(
                vals.get("partner_id") or context.get("default_partner_id")
            ).commercial_partner_id
            vals["partner_id"] = partner.id
            company = self.env["res.company"].browse(
                vals.get("company_id")
                or context.get("default_company_id")
                or self.env.company.id
            )
            given = vals.get("move_ids") or context.get("default_move_ids")
            if partner and not given:
                vals["move_ids"] = [
                    fields.Command.set(engine._default_moves(partner, company).ids)
                ]
        handoffs = super().create(vals_list)
        engine._check(handoffs)
        # sudo: after the checks; the secrets and the claim are the engine's.
        for handoff in handoffs.sudo():
            handoff.write(
                {
                    "status_token": secrets.token_urlsafe(32),
                    "idempotency_key": str(uuid.uuid4()),
                    **engine._claim_totals(handoff),
                }
            )
        engine._check_amounts(handoffs)
        engine._created(handoffs)
        return handoffs

    def write(self, vals):
        if not self.env.su:
            self._check_user()
            dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
            if any(handoff.state != "draft" for handoff in self) and (
                set(vals) - set(FREE_FIELDS)
            ):
                raise UserError(
                    self.env._(
                        "A hand-off that left the draft cannot be changed: close it "
                        "and make another."
                    )
                )
            if "expense_account_id" in vals and any(
                handoff.commission_move_id for handoff in self
            ):
                raise UserError(
                    self.env._(
                        "The commission is booked: its account cannot be changed "
                        "(reverse the entry first)."
                    )
                )
        result = super().write(vals)
        if not self.env.su and set(vals) & {
            "move_ids",
            "partner_id",
            "company_id",
            "collector_id",
            "route",
            "date",
        }:
            engine = self.env["account.dunning.handoff.engine"]
            engine._check(self)
            for handoff in self:
                # sudo: the claim follows the invoices, computed by the engine.
                handoff.sudo().write(engine._claim_totals(handoff))
            engine._check_amounts(self)
        return result

    def unlink(self):
        if not self.env.su and any(handoff.state != "draft" for handoff in self):
            raise UserError(
                self.env._("Only draft hand-offs can be deleted: close the others.")
            )
        return super().unlink()

    # ------------------------------------------------------------ actions

    def _check_manager(self, message):
        if not self.env.su and not self.env.user.has_group(
            "account_dunning.group_dunning_manager"
        ):
            raise AccessError(message)

    def action_export(self):
        """The file as one ZIP, stored on the hand-off, and its download."""
        self.ensure_one()
        self._check_user()
        self.check_access("write")
        attachment = self.env["account.dunning.handoff.export"]._export(self)
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_send(self):
        """Post the file to the collector's API, or mark it sent after the export."""
        self._check_user()
        self.check_access("write")
        if any(handoff.state not in ("draft", "failed") for handoff in self):
            raise UserError(self.env._("Only draft or failed hand-offs can be sent."))
        engine = self.env["account.dunning.handoff.engine"]
        for handoff in self:
            engine._send(handoff)
        return True

    def action_close(self):
        self._check_manager(self.env._("Only dunning managers can close hand-offs."))
        self.check_access("write")
        if any(handoff.state == "closed" for handoff in self):
            raise UserError(self.env._("This hand-off is already closed."))
        self.env["account.dunning.handoff.engine"]._set_state(
            self, "closed", self.env._("Hand-off closed by %s.", self.env.user.name)
        )
        return True

    def action_register_recovered_payment(self):
        """Odoo's payment register on the invoices for what the collector paid,
        once its commission is booked when it keeps it."""
        self.ensure_one()
        self._check_user()
        self.check_access("write")
        return self.env["account.dunning.handoff.engine"]._recovered_payment_action(
            self
        )

    def action_open_invoices(self):
        self.ensure_one()
        return self.move_ids._get_records_action(name=self.env._("Invoices"))
