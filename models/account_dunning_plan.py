from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from . import dunning_access, hold_rules

# Set by the buttons and the engine (allocation of payments, breaking).
ENGINE_FIELDS = (
    "state",
    "amount_total",
    "penalty_move_ids",
    "closed_date",
    "currency_id",
)
PLAN_REPORT = "account_dunning.action_report_dunning_plan"


class AccountDunningPlan(models.Model):
    """A payment plan (échéancier): its invoices leave the ladder for instalments."""

    _name = "account.dunning.plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Dunning Payment Plan"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default=lambda self: _("New")
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    move_ids = fields.Many2many(
        "account.move",
        "account_dunning_plan_move_rel",
        "plan_id",
        "move_id",
        string="Invoices",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id), "
        "('payment_state', 'not in', ('paid', 'in_payment', 'reversed'))]",
    )
    penalty_move_ids = fields.Many2many(
        "account.move",
        "account_dunning_plan_penalty_move_rel",
        "plan_id",
        "move_id",
        string="Penalty Invoices",
        readonly=True,
        help="The penalty invoices billed when the plan was activated, part of it.",
    )
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, precompute=True
    )
    include_penalties = fields.Boolean(
        help="Bill the late interest and the indemnity due on the activation day and "
        "add them to the plan.",
    )
    amount_due = fields.Monetary(
        compute="_compute_amounts",
        help="What its invoices (and penalty invoices) still owe.",
    )
    amount_total = fields.Monetary(
        string="Total",
        readonly=True,
        copy=False,
        help="What the plan schedules: its invoices' amount due when made, plus the "
        "penalties billed when asked.",
    )
    paid_amount = fields.Monetary(compute="_compute_amounts")
    line_ids = fields.One2many(
        "account.dunning.plan.line", "plan_id", string="Instalments", copy=False
    )
    instalment_count = fields.Integer(compute="_compute_amounts")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("done", "Done"),
            ("broken", "Broken"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    tolerance_days = fields.Integer(
        default=15,
        tracking=True,
        help="An instalment unpaid this many days after its date breaks the plan.",
    )
    user_id = fields.Many2one(
        "res.users", string="Owner", default=lambda self: self.env.user, tracking=True
    )
    note = fields.Text()
    closed_date = fields.Date(readonly=True, copy=False)

    _sql_constraints = [
        (
            "tolerance_days_positive",
            "CHECK (tolerance_days >= 0)",
            "The tolerance of a payment plan cannot be negative.",
        )
    ]

    @api.depends("move_ids.currency_id", "company_id")
    def _compute_currency_id(self):
        for plan in self:
            plan.currency_id = (
                plan.move_ids[:1].currency_id or plan.company_id.currency_id
            )

    @api.depends(
        "move_ids.amount_residual",
        "penalty_move_ids.amount_residual",
        "line_ids.paid_amount",
        "amount_total",
        "state",
    )
    def _compute_amounts(self):
        for plan in self:
            plan.amount_due = sum(
                (plan.move_ids | plan.penalty_move_ids).mapped("amount_residual")
            )
            plan.paid_amount = sum(plan.line_ids.mapped("paid_amount"))
            plan.instalment_count = len(plan.line_ids)

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        # The form lists what ``create`` would take: the customer's overdue invoices.
        for plan in self.filtered(lambda plan: not plan._origin):
            plan.move_ids = self.env["account.dunning.promise"]._default_moves(
                plan.partner_id, plan.company_id or self.env.company
            )

    # ------------------------------------------------------------ checks

    def _check_user(self):
        if not self.env.su and not self.env.user.has_group(
            "account_dunning.group_dunning_user"
        ):
            raise AccessError(_("Only dunning users can make payment plans."))

    def _check_draft(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(_("Only a draft payment plan can be changed."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_user()
        for vals in vals_list:
            if not self.env.su:
                dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        plans = super().create(vals_list)
        for plan in plans:
            if not plan.move_ids:
                plan.move_ids = self.env["account.dunning.promise"]._default_moves(
                    plan.partner_id, plan.company_id
                )
            plan.name = self.env["ir.sequence"].sudo().next_by_code(
                "account.dunning.plan"
            ) or _("Plan %s", plan.id)
        plans._check_moves()
        plans._refresh_draft_total()
        return plans

    def write(self, vals):
        if not self.env.su:
            self._check_user()
            dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
            if set(vals) - {"note", "user_id", "tolerance_days"}:
                self._check_draft()
            if "tolerance_days" in vals and any(
                plan.state != "draft" and plan.tolerance_days != vals["tolerance_days"]
                for plan in self
            ):
                dunning_access.check_manager_fields(
                    self,
                    vals,
                    ["tolerance_days"],
                    _(
                        "Only dunning managers can change the tolerance of a plan in "
                        "force."
                    ),
                )
        result = super().write(vals)
        if not self.env.su and {"move_ids", "partner_id"} & set(vals):
            self._check_moves()
            self._refresh_draft_total()
        return result

    def unlink(self):
        if not self.env.su and any(plan.state != "draft" for plan in self):
            raise UserError(
                _("Only draft payment plans can be deleted: cancel the others.")
            )
        return super().unlink()

    def _check_moves(self):
        for plan in self:
            if not plan.move_ids:
                raise ValidationError(_("Choose the invoices of the payment plan."))
            if len(plan.move_ids.currency_id) > 1:
                raise ValidationError(
                    _("A payment plan covers invoices in one currency: make one each.")
                )
            self.env["account.dunning.hold.engine"]._check_holdable(
                plan.move_ids, plan.partner_id, plan.company_id, plan
            )

    def _refresh_draft_total(self):
        """A draft's total: its invoices' amount due (penalties: at activation)."""
        for plan in self.filtered(lambda plan: plan.state == "draft"):
            # sudo: the total follows the invoices; only the engine writes it.
            plan.sudo().amount_total = sum(plan.move_ids.mapped("amount_residual"))

    # ------------------------------------------------------------ instalments

    def action_fill_instalments(
        self, count=None, first_date=None, period=None, every_days=None
    ):
        """Replace the instalments by ``count`` equal ones from ``first_date``, every
        month or every ``every_days`` days; the last one takes the rounding."""
        self.ensure_one()
        self._check_user()
        self._check_draft()
        first_date = fields.Date.to_date(first_date) or (
            fields.Date.add(fields.Date.context_today(self), months=1)
        )
        period = period or hold_rules.MONTHLY
        every_days = every_days or 30
        if not count or count < 1:
            raise ValidationError(_("A payment plan has at least one instalment."))
        if period == hold_rules.DAYS and every_days < 1:
            raise ValidationError(_("The instalments must be at least a day apart."))
        total = self._expected_total()
        currency = self.currency_id
        cents = round(total / currency.rounding)
        schedule = hold_rules.schedule(cents, count, first_date, period, every_days)
        self.line_ids = [Command.clear()] + [
            Command.create({"date": day, "amount": amount * currency.rounding})
            for day, amount in schedule
        ]
        return True

    def _expected_total(self):
        """The total the instalments must add up to (penalties included if asked)."""
        self.ensure_one()
        total = sum(self.move_ids.mapped("amount_residual"))
        if self.include_penalties:
            total += self.env["account.dunning.hold.engine"]._plan_penalties_due(self)
        return self.currency_id.round(total)

    def _schedule_errors(self):
        self.ensure_one()
        currency = self.currency_id
        lines = self.line_ids.sorted(lambda line: (line.date, line.id))
        instalments = [
            (line.date, round(line.amount / currency.rounding)) for line in lines
        ]
        total = round(self._expected_total() / currency.rounding)
        return hold_rules.schedule_errors(
            instalments, total, fields.Date.context_today(self)
        )

    # ------------------------------------------------------------ buttons

    def action_activate(self):
        """Check the schedule, bill the penalties if asked, take the invoices out of
        their ladder."""
        self._check_user()
        self.check_access("write")
        self._check_draft()
        messages = {
            "empty": _("Add the instalments of the plan."),
            "amount": _("Every instalment must be above zero."),
            "total": _("The instalments must add up to the plan's total, to the cent."),
            "order": _("The instalment dates must increase."),
            "past": _("The first instalment cannot be in the past."),
        }
        # One by one: two plans of the batch on one invoice, the second is refused.
        for plan in self:
            plan._check_moves()
            errors = plan._schedule_errors()
            if errors:
                raise ValidationError(
                    "\n".join(str(messages[error]) for error in errors)
                )
            self.env["account.dunning.hold.engine"]._activate_plans(plan)
        return True

    def action_cancel(self):
        if not self.env.su and not self.env.user.has_group(
            "account_dunning.group_dunning_manager"
        ):
            raise AccessError(_("Only dunning managers can cancel payment plans."))
        self.check_access("write")
        if any(plan.state not in ("draft", "active") for plan in self):
            raise UserError(_("Only draft or active payment plans can be cancelled."))
        self.env["account.dunning.hold.engine"]._close_plans(self, "cancelled")
        return True

    def action_print(self):
        return self.env.ref(PLAN_REPORT).report_action(self)

    def action_send(self):
        """The plan's email with its PDF, from the composer."""
        self.ensure_one()
        template = self.env.ref("account_dunning.mail_template_dunning_plan")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }

    def _get_report_base_filename(self):
        self.ensure_one()
        return _("Payment Plan %s", self.name)
