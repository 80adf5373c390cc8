# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from . import dunning_access, notice_rules

RETURNED = [
    ("refused", "Refused"),
    ("unclaimed", "Unclaimed"),
    ("wrong_address", "Wrong Address"),
]
STATES = [
    ("to_send", "To Send"),
    ("sent", "Sent"),
    ("received", "Received"),
    ("returned", "Returned"),
    ("expired", "Expired"),
]
# Set by the run's execution and the daily step, never written directly.
ENGINE_FIELDS = ("state", "deadline", "date_expired", "action_id", "level_id", "date")
# What the execution recorded: the letter's customer, invoices and days.
RECORDED_FIELDS = ("partner_id", "company_id", "move_ids", "notice_days")
# The proof, recorded by dunning users (the wizard or the form).
PROOF_FIELDS = (
    "date_sent",
    "tracking_number",
    "date_presented",
    "date_received",
    "returned",
    "receipt_attachment_id",
)


class AccountDunningNotice(models.Model):
    """A formal notice (mise en demeure) sent by registered letter with
    acknowledgement of receipt, and its proof."""

    _name = "account.dunning.notice"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Dunning Formal Notice"
    _order = "date_sent desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    move_ids = fields.Many2many(
        "account.move",
        "account_dunning_notice_move_rel",
        "notice_id",
        "move_id",
        string="Invoices",
        check_company=True,
    )
    action_id = fields.Many2one(
        "account.dunning.action",
        string="Trace Line",
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    level_id = fields.Many2one("account.dunning.level", string="Level", readonly=True)
    date = fields.Date(
        string="Letter Date",
        required=True,
        readonly=True,
        default=fields.Date.context_today,
        help="The date of the letter: the day of the dunning run that made it.",
    )
    notice_days = fields.Integer(string="Days to Pay", default=8)
    date_sent = fields.Date(string="Sent On", tracking=True)
    tracking_number = fields.Char(
        tracking=True,
        copy=False,
        index="btree_not_null",
        help="The registered letter's number: La Poste's 1A followed by 11 digits, "
        "or an international number such as RR123456785FR.",
    )
    date_presented = fields.Date(string="First Presented On", tracking=True)
    date_received = fields.Date(string="Received On", tracking=True)
    returned = fields.Selection(RETURNED, tracking=True)
    receipt_attachment_id = fields.Many2one(
        "ir.attachment", string="Acknowledgement of Receipt", copy=False
    )
    deadline = fields.Date(
        string="Deadline to Pay",
        compute="_compute_deadline",
        store=True,
        tracking=True,
        help="The first presentation of the letter (else its receipt) plus the days "
        "to pay. The next level waits for it.",
    )
    date_expired = fields.Date(
        string="Expired On",
        readonly=True,
        copy=False,
        help="The day the deadline was found passed with invoices still due.",
    )
    state = fields.Selection(
        STATES,
        required=True,
        default="to_send",
        tracking=True,
        index=True,
        compute="_compute_state",
        store=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_residual = fields.Monetary(
        string="Amount Due", compute="_compute_amount_residual"
    )

    _sql_constraints = [
        (
            "tracking_number_company_uniq",
            "UNIQUE(company_id, tracking_number)",
            "This tracking number is already recorded on another formal notice.",
        ),
    ]

    @api.depends("date_presented", "date_received", "notice_days")
    def _compute_deadline(self):
        for notice in self:
            notice.deadline = notice_rules.deadline(
                notice.date_presented, notice.date_received, notice.notice_days
            )

    @api.depends(
        "date_sent", "tracking_number", "date_received", "returned", "date_expired"
    )
    def _compute_state(self):
        for notice in self:
            notice.state = notice_rules.state(
                notice.date_sent,
                notice.tracking_number,
                notice.date_received,
                notice.returned,
                notice.date_expired,
            )

    @api.depends("move_ids.amount_residual_signed")
    def _compute_amount_residual(self):
        for notice in self:
            notice.amount_residual = sum(
                notice.move_ids.mapped("amount_residual_signed")
            )

    @api.depends("partner_id", "date", "tracking_number")
    def _compute_display_name(self):
        for notice in self:
            # computed outside the call: the translation extractor reads its strings
            number = f" ({notice.tracking_number})" if notice.tracking_number else ""
            notice.display_name = _(
                "Formal notice %(customer)s %(date)s%(number)s",
                customer=notice.partner_id.display_name or "",
                date=notice.date or "",
                number=number,
            )

    # ------------------------------------------------------------ checks

    @api.constrains(
        "date_sent", "date_presented", "date_received", "tracking_number", "date"
    )
    def _check_proof(self):
        today = fields.Date.context_today(self)
        for notice in self:
            errors = notice._proof_errors(
                {name: notice[name] for name in PROOF_FIELDS}, today
            )
            if errors:
                raise ValidationError("\n".join(errors))

    @api.constrains("notice_days")
    def _check_notice_days(self):
        for notice in self:
            if notice.notice_days < 1:
                raise ValidationError(_("A formal notice gives at least 1 day to pay."))

    @api.constrains("receipt_attachment_id")
    def _check_receipt_attachment(self):
        for notice in self:
            # sudo: where the file is attached, whoever may read it.
            attachment = notice.receipt_attachment_id.sudo()
            if attachment and (
                attachment.res_model != notice._name or attachment.res_id != notice.id
            ):
                raise ValidationError(
                    _(
                        "The acknowledgement of receipt must be a file attached to "
                        "this formal notice."
                    )
                )

    def _proof_errors(self, values, today):
        """The messages of what is wrong in ``values`` (the proof's fields), for the
        form, the wizard and the CSV import alike."""
        self.ensure_one()
        messages = []
        number = values.get("tracking_number")
        error = number and notice_rules.tracking_error(number)
        if error == notice_rules.BAD_CHECK:
            messages.append(
                self.env._(
                    "The tracking number %s has a wrong check digit: check it on "
                    "the registered letter's receipt.",
                    number,
                )
            )
        elif error:
            messages.append(
                self.env._(
                    "The tracking number %s is not a registered letter's number: "
                    "La Poste's are 1A followed by 11 digits (1A 012 345 6789 0), "
                    "or two letters, 9 digits and the country (RR123456785FR).",
                    number,
                )
            )
        if number and not error and self._number_taken(number):
            messages.append(
                self.env._(
                    "The tracking number %s is already recorded on another formal "
                    "notice.",
                    number,
                )
            )
        labels = {
            "date_sent": self.env._("sending date"),
            "date_presented": self.env._("first presentation date"),
            "date_received": self.env._("receipt date"),
        }
        for name, error in notice_rules.date_errors(
            self.date,
            values.get("date_sent"),
            values.get("date_presented"),
            values.get("date_received"),
            today,
        ):
            label = labels[name]
            messages.append(
                {
                    notice_rules.DATE_FUTURE: self.env._(
                        "The %s cannot be in the future.", label
                    ),
                    notice_rules.DATE_BEFORE_LETTER: self.env._(
                        "The sending date cannot be before the letter's date (%s).",
                        self.date,
                    ),
                    notice_rules.DATE_NOT_SENT: self.env._(
                        "Record the sending date before the %s.", label
                    ),
                    notice_rules.DATE_BEFORE_SENT: self.env._(
                        "The %s cannot be before the sending date.", label
                    ),
                    notice_rules.DATE_RECEIVED_BEFORE_PRESENTED: self.env._(
                        "The receipt date cannot be before the first presentation."
                    ),
                }[error]
            )
        return messages

    def _number_taken(self, number):
        """Whether another notice of the company has this tracking number."""
        self.ensure_one()
        # sudo: only whether the number is taken, over notices the user may not read.
        return bool(
            self.sudo().search_count(
                [
                    ("company_id", "=", self.company_id.id),
                    ("tracking_number", "=", number),
                    ("id", "!=", self.id or 0),
                ],
                limit=1,
            )
        )

    def _refuse_taken_number(self, number):
        """Refuse, before the database does, a number another notice has."""
        for notice in self:
            if notice._number_taken(number):
                raise ValidationError(
                    _(
                        "The tracking number %s is already recorded on another "
                        "formal notice.",
                        number,
                    )
                )

    def _check_user(self):
        if not self.env.su and not self.env.user.has_group(
            "account_dunning.group_dunning_user"
        ):
            raise AccessError(_("Only dunning users can record formal notices."))

    # ------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._check_user()
            for vals in vals_list:
                dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
            # A notice records a letter the run sent: made by hand it would be a
            # forged proof, and would hold its invoices from their next level.
            raise AccessError(
                _(
                    "Formal notices are made by the dunning run when it sends a "
                    "formal notice: record the registered letter on that notice."
                )
            )
        for vals in vals_list:
            if vals.get("tracking_number"):
                vals["tracking_number"] = notice_rules.normalize_tracking(
                    vals["tracking_number"]
                )
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                self.new({"company_id": company.id})._refuse_taken_number(
                    vals["tracking_number"]
                )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("tracking_number"):
            vals = dict(
                vals,
                tracking_number=notice_rules.normalize_tracking(
                    vals["tracking_number"]
                ),
            )
        if not self.env.su:
            self._check_user()
            self.check_access("write")
            dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
            if dunning_access.changed_fields(self, vals, RECORDED_FIELDS):
                raise UserError(
                    _(
                        "The customer, the invoices and the days to pay of a formal "
                        "notice are those of the letter sent: they cannot be changed."
                    )
                )
        if vals.get("tracking_number"):
            if len(self) > 1:
                raise ValidationError(
                    _("A tracking number belongs to one formal notice only.")
                )
            self._refuse_taken_number(vals["tracking_number"])
        result = super().write(vals)
        if set(vals) & set(PROOF_FIELDS):
            self._proof_changed()
        return result

    def unlink(self):
        if not self.env.su and not self.env.user.has_group(
            "account_dunning.group_dunning_manager"
        ):
            raise AccessError(_("Only dunning managers can delete formal notices."))
        if not self.env.su and any(notice.state != "to_send" for notice in self):
            raise UserError(
                _("A formal notice that was sent is part of the trace: keep it.")
            )
        return super().unlink()

    # ------------------------------------------------------------ actions

    def action_open_letter(self):
        """The letter sent, as the trace line recorded it."""
        self.ensure_one()
        attachment = self._letter_attachment()
        if attachment:
            return {
                "type": "ir.actions.act_url",
                "url": f"/web/content/{attachment.id}?download=true",
                "target": "self",
            }
        if not self.action_id:
            raise UserError(_("This formal notice has no letter in the trace."))
        return self.env.ref(
            "account_dunning.action_report_dunning_letter"
        ).report_action(self.action_id)

    def action_record_proof(self):
        """The wizard that records tracking numbers and dates of these notices."""
        return {
            "type": "ir.actions.act_window",
            "name": _("Record Registered Letters"),
            "res_model": "account.dunning.notice.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    # ------------------------------------------------------------ business

    def _letter_attachment(self):
        """The PDF of the letter sent (an ir.attachment, maybe empty): the trace line's
        letter, else the letter of the same customer, level and day."""
        self.ensure_one()
        self.check_access("read")
        # sudo: the trace's letter of a notice the user may read.
        action = self.sudo().action_id
        if action.letter_attachment_id:
            return action.letter_attachment_id
        letter = (
            self.env["account.dunning.action"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("level_id", "=", action.level_id.id or self.level_id.id),
                    ("date", "=", self.date),
                    ("channel", "=", "letter"),
                    ("letter_attachment_id", "!=", False),
                ],
                limit=1,
            )
        )
        return letter.letter_attachment_id

    def _proof_changed(self):
        """After a date changed: the expiry and the customers' next action dates."""
        today = fields.Date.context_today(self)
        self.env["account.dunning.notice.engine"]._update_expiry(self, today)
        self.env["account.dunning.hold.engine"]._refresh_next_dates(self)
