from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare

from . import dunning_access

REASONS = [
    ("quality", "Quality"),
    ("delivery", "Delivery"),
    ("price", "Price"),
    ("quantity", "Quantity"),
    ("missing_document", "Missing Document"),
    ("duplicate", "Duplicate Invoice"),
    ("already_paid", "Already Paid"),
    ("other", "Other"),
]
# Set by the opening and the resolution buttons, never written directly.
ENGINE_FIELDS = (
    "state",
    "resolution_date",
    "credit_note_id",
    "date",
    "deadline_notified",
    "partner_id",
    "company_id",
    "state_sequence",
    "resolution_days",
)


class AccountDunningDispute(models.Model):
    """A customer's dispute of one invoice: while open, the disputed part is neither
    reminded nor billed penalties."""

    _name = "account.dunning.dispute"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Dunning Dispute"
    _order = "state_sequence, deadline, id desc"
    _check_company_auto = True

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'not in', ('paid', 'in_payment', 'reversed'))]",
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        index=True,
        precompute=True,
    )
    company_id = fields.Many2one(
        related="move_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    invoice_amount_residual = fields.Monetary(
        related="move_id.amount_residual", string="Invoice Amount Due"
    )
    reason = fields.Selection(REASONS, required=True, tracking=True)
    amount = fields.Monetary(
        string="Disputed Amount",
        tracking=True,
        help="The part of the invoice the customer disputes (by default its whole "
        "amount due); the rest stays in dunning.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        tracking=True,
        index=True,
        help="Who solves the dispute: by default the invoice's salesperson.",
    )
    date = fields.Date(
        string="Opened On",
        default=fields.Date.context_today,
        readonly=True,
        copy=False,
    )
    deadline = fields.Date(
        tracking=True,
        help="The date by which the dispute should be solved: the opening date plus "
        "the policy's days for its reason.",
    )
    description = fields.Text()
    state = fields.Selection(
        [
            ("open", "Open"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    resolution_note = fields.Text(tracking=True, copy=False)
    resolution_date = fields.Date(readonly=True, copy=False)
    credit_note_id = fields.Many2one(
        "account.move", string="Credit Note", readonly=True, copy=False, index=True
    )
    is_late = fields.Boolean(
        string="Past Deadline",
        compute="_compute_is_late",
        search="_search_is_late",
    )
    deadline_notified = fields.Boolean(readonly=True, copy=False)
    resolution_days = fields.Integer(
        string="Days to Resolve", compute="_compute_resolution_days", store=True
    )

    @api.depends("move_id.commercial_partner_id")
    def _compute_partner_id(self):
        for dispute in self:
            dispute.partner_id = dispute.move_id.commercial_partner_id

    @api.depends("state")
    def _compute_state_sequence(self):
        for dispute in self:
            dispute.state_sequence = 0 if dispute.state == "open" else 1

    @api.depends("resolution_date", "date")
    def _compute_resolution_days(self):
        for dispute in self:
            dispute.resolution_days = (
                (dispute.resolution_date - dispute.date).days
                if dispute.resolution_date and dispute.date
                else 0
            )

    @api.depends("deadline", "state")
    @api.depends_context("date")
    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for dispute in self:
            dispute.is_late = bool(
                dispute.state == "open"
                and dispute.deadline
                and dispute.deadline < today
            )

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Operation not supported"))
        late = [
            ("state", "=", "open"),
            ("deadline", "<", fields.Date.context_today(self)),
        ]
        return late if (operator == "=") == value else ["!", "&", *late]

    @api.depends("move_id.name", "reason")
    def _compute_display_name(self):
        labels = dict(self._fields["reason"]._description_selection(self.env))
        for dispute in self:
            dispute.display_name = _(
                "Dispute on %(invoice)s (%(reason)s)",
                invoice=dispute.move_id.name or "",
                reason=labels.get(dispute.reason, ""),
            )

    @api.onchange("move_id")
    def _onchange_move_id(self):
        # The form shows what ``create`` would take: the invoice's whole amount due.
        for dispute in self:
            if dispute.move_id and not dispute.amount:
                dispute.amount = dispute.move_id.amount_residual

    def init(self):
        # One open dispute per invoice, whatever two users do at the same time.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS account_dunning_dispute_open_uniq"
                " ON account_dunning_dispute (move_id) WHERE state = 'open'"
            )
        )

    # ------------------------------------------------------------ checks

    def _check_user(self):
        if not self.env.su and not self.env.user.has_group(
            "account_dunning.group_dunning_user"
        ):
            raise AccessError(_("Only dunning users can open and resolve disputes."))

    @api.model
    def _check_disputable(self, move, amount):
        """A posted customer invoice with an amount due, disputed for a part of it."""
        if move.move_type != "out_invoice":
            raise ValidationError(
                _("Only customer invoices can be disputed, not %s.", move.display_name)
            )
        if move.state != "posted":
            raise ValidationError(
                _(
                    "The invoice %s is not posted: only posted invoices can be "
                    "disputed.",
                    move.display_name,
                )
            )
        currency = move.currency_id
        if move.payment_state in ("paid", "in_payment", "reversed") or (
            currency.compare_amounts(move.amount_residual, 0) <= 0
        ):
            raise ValidationError(
                _("The invoice %s has nothing left to pay.", move.display_name)
            )
        if currency.compare_amounts(amount, 0) <= 0:
            raise ValidationError(_("The disputed amount must be above zero."))
        if currency.compare_amounts(amount, move.amount_residual) > 0:
            raise ValidationError(
                _(
                    "The disputed amount (%(amount)s) cannot be above the amount due "
                    "on %(invoice)s (%(due)s).",
                    amount=currency.format(amount),
                    invoice=move.display_name,
                    due=currency.format(move.amount_residual),
                )
            )

    @api.model
    def _check_no_open_dispute(self, moves):
        """One open dispute per invoice (a unique index keeps it so under races);
        ``moves``: a list, an invoice twice in it is refused."""
        # sudo: whether someone else's dispute is open on the invoice.
        taken = (
            self.sudo()
            .search(
                [("move_id", "in", [move.id for move in moves]), ("state", "=", "open")]
            )
            .move_id
        )
        seen = self.env["account.move"]
        for move in moves:
            if move in taken or move in seen:
                raise ValidationError(
                    _("The invoice %s is already under an open dispute.", move.name)
                )
            seen |= move

    # ------------------------------------------------------------ create

    @api.model_create_multi
    def create(self, vals_list):
        self._check_user()
        if not self.env.su:
            for vals in vals_list:
                dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
        Move, moves = self.env["account.move"], []
        for vals in vals_list:
            move = Move.browse(vals.get("move_id")).exists()
            if not move:
                raise ValidationError(_("Choose the invoice the customer disputes."))
            # The user must be able to read the invoice disputed.
            move.check_access("read")
            vals.setdefault("amount", move.amount_residual)
            self._check_disputable(move, vals["amount"])
            moves.append(move)
            if not vals.get("user_id"):
                vals["user_id"] = move.invoice_user_id.id or self.env.uid
            if not vals.get("deadline"):
                opened = fields.Date.context_today(self)
                policy = move._dunning_policy()
                vals["deadline"] = fields.Date.add(
                    opened, days=policy._dispute_days(vals.get("reason"))
                )
        self._check_no_open_dispute(moves)
        disputes = super().create(vals_list)
        self.env["account.dunning.hold.engine"]._dispute_opened(disputes)
        return disputes

    def write(self, vals):
        if not self.env.su:
            self._check_user()
            dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
            if "move_id" in vals and any(
                dispute.move_id.id != vals["move_id"] for dispute in self
            ):
                raise UserError(
                    _("A dispute stays on its invoice: cancel it and open another.")
                )
            if any(dispute.state != "open" for dispute in self) and (
                set(vals) - {"description", "resolution_note"}
            ):
                raise UserError(_("A closed dispute cannot be changed."))
        if "amount" in vals:
            for dispute in self:
                self._check_disputable(dispute.move_id, vals["amount"])
        result = super().write(vals)
        if "amount" in vals:
            engine = self.env["account.dunning.hold.engine"]
            engine._sync_moves(self.move_id)
            engine._refresh_next_dates(self)
        return result

    def unlink(self):
        if not self.env.su:
            raise UserError(
                _("Disputes are part of the trace: cancel them instead of deleting.")
            )
        return super().unlink()

    # ------------------------------------------------------------ resolution

    def _check_open(self):
        self._check_user()
        self.check_access("write")
        closed = self.filtered(lambda dispute: dispute.state != "open")
        if closed:
            raise UserError(
                _(
                    "The dispute “%s” is already closed: it cannot be resolved again.",
                    closed[0].display_name,
                )
            )

    def action_accept(self, credit_note=False):
        """The customer is right: close the dispute, with a draft credit note for the
        disputed amount when ``credit_note``."""
        self._check_open()
        if credit_note and not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(_("Only invoicing users can create credit notes."))
        for dispute in self:
            vals = {"state": "accepted", "resolution_date": self._today()}
            if credit_note:
                vals["credit_note_id"] = dispute._create_credit_note().id
            # sudo: after the checks above; the state is the buttons' alone.
            dispute.sudo().write(vals)
        self.env["account.dunning.hold.engine"]._dispute_closed(self)
        return True

    def action_reject(self, note=None):
        """The customer's claim is rejected: dunning resumes after the grace days."""
        self._check_open()
        note = (note or "").strip() or (self.resolution_note or "").strip()
        if not note:
            raise UserError(_("Say why the customer's claim is rejected."))
        # sudo: after the checks above; the state is the buttons' alone.
        self.sudo().write(
            {
                "state": "rejected",
                "resolution_note": note,
                "resolution_date": self._today(),
            }
        )
        self.env["account.dunning.hold.engine"]._dispute_closed(self)
        return True

    def action_cancel(self):
        """Opened by mistake: dunning managers cancel it, dunning resumes at once."""
        if not self.env.su and not self.env.user.has_group(
            "account_dunning.group_dunning_manager"
        ):
            raise AccessError(_("Only dunning managers can cancel disputes."))
        self._check_open()
        # sudo: after the manager check; the state is the buttons' alone.
        self.sudo().write({"state": "cancelled", "resolution_date": self._today()})
        self.env["account.dunning.hold.engine"]._dispute_closed(self)
        return True

    def action_open_accept_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Accept the Dispute"),
            "res_model": "account.dunning.dispute.resolve.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_dispute_id": self.id, "default_decision": "accept"},
        }

    def action_open_reject_wizard(self):
        action = self.action_open_accept_wizard()
        action["name"] = _("Reject the Dispute")
        action["context"]["default_decision"] = "reject"
        return action

    def action_open_credit_note(self):
        self.ensure_one()
        return self.credit_note_id._get_records_action()

    def _today(self):
        return fields.Date.context_today(self)

    def _create_credit_note(self):
        """A draft credit note of the disputed amount, the invoice's lines pro rata."""
        self.ensure_one()
        move = self.move_id
        ratio = self.amount / move.amount_total if move.amount_total else 0.0
        lines = move.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        refund = (
            self.env["account.move"]
            .with_company(move.company_id)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": move.partner_id.id,
                    "journal_id": move.journal_id.id,
                    "currency_id": move.currency_id.id,
                    "invoice_date": self._today(),
                    "reversed_entry_id": move.id,
                    "invoice_origin": move.name,
                    "ref": _("Dispute on %s", move.name),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": line.product_id.id,
                                "name": line.name,
                                "quantity": line.quantity,
                                "product_uom_id": line.product_uom_id.id,
                                "price_unit": line.price_unit * ratio,
                                "discount": line.discount,
                                "tax_ids": [Command.set(line.tax_ids.ids)],
                                "account_id": line.account_id.id,
                                "analytic_distribution": line.analytic_distribution,
                            }
                        )
                        for line in lines
                    ],
                }
            )
        )
        # Rounding pro rata may leave a cent: the first line takes it.
        gap = self.amount - refund.amount_total
        if refund.invoice_line_ids and float_compare(
            gap, 0.0, precision_rounding=move.currency_id.rounding
        ):
            first = refund.invoice_line_ids[0]
            taxes = first.tax_ids.compute_all(1.0, move.currency_id)
            per_unit = taxes["total_included"] or 1.0
            first.price_unit += gap / (per_unit * (first.quantity or 1.0))
        return refund
