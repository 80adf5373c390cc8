from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from . import dunning_access

# Set by the engine (kept on reconciliation, broken by the daily action).
ENGINE_FIELDS = (
    "state",
    "paid_amount",
    "residual_start",
    "closed_date",
    "grace_until",
    "currency_id",
    "reconcile_mark",
)


class AccountDunningPromise(models.Model):
    """A customer's promise to pay: its invoices are not reminded until its date plus
    the policy's grace days; kept when paid, broken (and escalated) when not."""

    _name = "account.dunning.promise"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Dunning Promise to Pay"
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
    move_ids = fields.Many2many(
        "account.move",
        "account_dunning_promise_move_rel",
        "promise_id",
        "move_id",
        string="Invoices",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id), "
        "('payment_state', 'not in', ('paid', 'in_payment', 'reversed'))]",
        help="The invoices the customer promises to pay: by default all its overdue "
        "ones.",
    )
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, precompute=True
    )
    amount = fields.Monetary(
        string="Promised Amount", tracking=True, help="By default the amount due."
    )
    date = fields.Date(string="Promised Date", required=True, tracking=True)
    grace_until = fields.Date(
        string="Paid By",
        compute="_compute_grace_until",
        store=True,
        help="The promised date plus the policy's grace days: the reminders wait "
        "until that day.",
    )
    source = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "Email"),
            ("letter", "Letter"),
            ("portal", "Portal"),
            ("other", "Other"),
        ],
        default="phone",
        required=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Owner", default=lambda self: self.env.user, tracking=True
    )
    note = fields.Text()
    state = fields.Selection(
        [
            ("open", "Open"),
            ("kept", "Kept"),
            ("broken", "Broken"),
            ("cancelled", "Cancelled"),
        ],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    paid_amount = fields.Monetary(
        readonly=True,
        copy=False,
        help="What was paid on the invoices since the promise (when it was kept or "
        "broken; until then, as of the last payment).",
    )
    residual_start = fields.Monetary(
        string="Amount Due When Promised", readonly=True, copy=False
    )
    closed_date = fields.Date(readonly=True, copy=False)
    # The last reconciliation when the promise was made: the payments after it count.
    reconcile_mark = fields.Integer(readonly=True, copy=False)

    @api.depends("move_ids.currency_id", "company_id")
    def _compute_currency_id(self):
        for promise in self:
            promise.currency_id = (
                promise.move_ids[:1].currency_id or promise.company_id.currency_id
            )

    @api.depends("date", "partner_id", "company_id")
    def _compute_grace_until(self):
        for promise in self:
            policy = promise.partner_id._dunning_policy(promise.company_id)
            promise.grace_until = promise.date and fields.Date.add(
                promise.date, days=policy.promise_grace_days
            )

    @api.depends("partner_id", "date", "amount")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = _(
                "%(customer)s: %(amount)s on %(date)s",
                customer=promise.partner_id.display_name or "",
                amount=promise.currency_id.format(promise.amount or 0.0),
                date=promise.date or "",
            )

    # ------------------------------------------------------------ checks

    def _check_user(self):
        if not self.env.su and not self.env.user.has_group(
            "account_dunning.group_dunning_user"
        ):
            raise AccessError(_("Only dunning users can record promises to pay."))

    @api.model
    def _default_moves(self, partner, company):
        """The customer's overdue invoices, not under a promise or a plan."""
        items = self.env["account.move.line"].search_fetch(
            self.env["account.dunning.eligibility"]._item_domain(
                company,
                partners=partner.commercial_partner_id,
                overdue_on=fields.Date.context_today(self),
            ),
            ["move_id"],
        )
        return items.move_id.filtered(
            lambda move: move.dunning_hold not in ("promise", "plan")
        )

    def _check_promise(self):
        """Every rule of a promise to pay, each with its own message."""
        today = fields.Date.context_today(self)
        for promise in self:
            policy = promise.partner_id._dunning_policy(promise.company_id)
            if promise.date < today:
                raise ValidationError(_("The promised date cannot be in the past."))
            max_days = policy.promise_max_days
            if max_days and (promise.date - today).days > max_days:
                raise ValidationError(
                    _(
                        "The promised date cannot be more than %s days away: offer "
                        "a payment plan instead.",
                        max_days,
                    )
                )
            moves = promise.move_ids
            if not moves:
                raise ValidationError(
                    _("Choose the invoices the customer promises to pay.")
                )
            self.env["account.dunning.hold.engine"]._check_holdable(
                moves, promise.partner_id, promise.company_id, promise
            )
            if len(moves.currency_id) > 1:
                raise ValidationError(
                    _("A promise covers invoices in one currency: record one each.")
                )
            currency = promise.currency_id
            due = sum(moves.mapped("amount_residual"))
            if currency.compare_amounts(promise.amount, 0) <= 0:
                raise ValidationError(_("The promised amount must be above zero."))
            if currency.compare_amounts(promise.amount, due) > 0:
                raise ValidationError(
                    _(
                        "The promised amount (%(amount)s) cannot be above the amount "
                        "due on its invoices (%(due)s).",
                        amount=currency.format(promise.amount),
                        due=currency.format(due),
                    )
                )

    @api.onchange("partner_id", "company_id")
    def _onchange_partner_id(self):
        # The form lists what ``create`` would take: the customer's overdue invoices.
        for promise in self.filtered(lambda promise: not promise._origin):
            promise.move_ids = promise._default_moves(
                promise.partner_id, promise.company_id or self.env.company
            )

    @api.onchange("move_ids")
    def _onchange_move_ids(self):
        for promise in self.filtered(lambda promise: not promise._origin):
            promise.amount = sum(promise.move_ids.mapped("amount_residual"))

    # ------------------------------------------------------------ create

    @api.model_create_multi
    def create(self, vals_list):
        self._check_user()
        Partner = self.env["res.partner"]
        for vals in vals_list:
            if not self.env.su:
                dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
            partner = Partner.browse(vals.get("partner_id")).commercial_partner_id
            vals["partner_id"] = partner.id
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            if not vals.get("move_ids") and partner:
                vals["move_ids"] = [
                    fields.Command.set(self._default_moves(partner, company).ids)
                ]
        promises = super().create(vals_list)
        for promise in promises:
            if not promise.amount:
                promise.amount = sum(promise.move_ids.mapped("amount_residual"))
        promises._check_promise()
        # sudo: after the checks; what was due when promised is the engine's.
        mark = self.env["account.dunning.penalty.engine"]._reconcile_mark()
        for promise in promises:
            promise.sudo().write(
                {
                    "residual_start": sum(promise.move_ids.mapped("amount_residual")),
                    "reconcile_mark": mark,
                }
            )
        self.env["account.dunning.hold.engine"]._promise_opened(promises)
        return promises

    def write(self, vals):
        if not self.env.su:
            self._check_user()
            dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
            if any(promise.state != "open" for promise in self) and (
                set(vals) - {"note"}
            ):
                raise UserError(_("A closed promise cannot be changed."))
            if {"move_ids", "partner_id", "company_id"} & set(vals):
                # What was paid since is measured on the invoices promised.
                raise UserError(
                    _(
                        "The invoices of a promise cannot be changed: cancel it and "
                        "record another."
                    )
                )
        result = super().write(vals)
        if not self.env.su and {"date", "amount"} & set(vals):
            self._check_promise()
            engine = self.env["account.dunning.hold.engine"]
            # A lower amount may be paid already.
            engine._check_promises(self, fields.Date.context_today(self))
            engine._refresh_next_dates(self)
        return result

    def unlink(self):
        if not self.env.su:
            raise UserError(
                _("Promises are part of the trace: cancel them instead of deleting.")
            )
        return super().unlink()

    def action_cancel(self):
        if not self.env.su and not self.env.user.has_group(
            "account_dunning.group_dunning_manager"
        ):
            raise AccessError(_("Only dunning managers can cancel promises to pay."))
        self.check_access("write")
        if any(promise.state != "open" for promise in self):
            raise UserError(_("Only open promises can be cancelled."))
        self.env["account.dunning.hold.engine"]._close_promises(self, "cancelled")
        return True
