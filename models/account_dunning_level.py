from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .dunning_rules import default_min_days_since_previous


class AccountDunningLevel(models.Model):
    _name = "account.dunning.level"
    _description = "Dunning Level"
    _order = "policy_id, sequence, delay, id"

    policy_id = fields.Many2one(
        "account.dunning.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(related="policy_id.active")
    delay = fields.Integer(
        required=True,
        help="Days after the due date at which this level is reached; a negative "
        "delay makes a courtesy reminder sent before the due date.",
    )
    min_days_since_previous = fields.Integer(
        string="Minimum Days Since Previous Level",
        compute="_compute_min_days_since_previous",
        store=True,
        readonly=False,
        help="Days that must have passed since the previous level was sent. Defaults "
        "to the difference between the two delays.",
    )
    level_type = fields.Selection(
        [
            ("reminder", "Reminder"),
            ("formal_notice", "Formal Notice"),
            ("handoff", "Hand-off"),
        ],
        string="Type",
        required=True,
        default="reminder",
        help="A formal notice (mise en demeure, C. civ. 1344) puts the debtor on "
        "notice: a consumer's legal interest runs from its date (C. civ. 1231-6, "
        "1344-1). A hand-off gives the customer's file to a collector (agency, "
        "commissaire de justice, court).",
    )
    notice_days = fields.Integer(
        string="Days to Pay After Receipt",
        default=8,
        help="A formal notice gives the debtor these days to pay, counted from the "
        "letter's first presentation (else its receipt); the next level waits for "
        "that deadline instead of a number of days.",
    )
    channel_email = fields.Boolean(string="Email", default=True)
    channel_letter = fields.Boolean(string="Letter")
    channel_sms = fields.Boolean(string="SMS")
    channel_call = fields.Boolean(string="Phone Call")
    fallback_channel = fields.Selection(
        selection="_selection_fallback_channel",
        help="Used instead of a channel of the level that cannot reach the customer: "
        "a customer without an email address gets the letter instead.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "account.dunning.action")],
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        domain=[("model", "=", "account.dunning.action")],
    )
    call_user_id = fields.Many2one(
        "res.users",
        string="Call Assigned To",
        help="Who gets the phone-call activity; when empty, the customer's "
        "salesperson.",
    )
    min_amount = fields.Monetary(
        string="Minimum Overdue Amount",
        currency_field="company_currency_id",
        help="Customers whose overdue amount (company currency) is below this amount "
        "are not reminded at this level.",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    manual_review = fields.Boolean(
        help="Communications at this level wait for a person to review and send them."
    )
    fee_amount = fields.Monetary(
        string="Fee",
        currency_field="company_currency_id",
        help="A fee added to each invoice that reaches this level, billed with the "
        "penalties.",
    )
    show_penalties = fields.Boolean(
        help="The reminders of this level show the late interest accrued and the "
        "recovery indemnity of each invoice.",
    )
    letter_note = fields.Html(
        string="Letter Text",
        translate=True,
        help="Text printed on the letter above the list of invoices.",
    )

    @api.model
    def _selection_fallback_channel(self):
        """The channels of the registry, with the trace's labels."""
        labels = dict(
            self.env["account.dunning.action"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        return [
            (code, labels.get(code, code))
            for code in self.env["account.dunning.dispatch"]._channels_in_order()
        ]

    @api.depends("delay", "sequence", "policy_id.level_ids.delay")
    def _compute_min_days_since_previous(self):
        for level in self:
            siblings = level.policy_id.level_ids.sorted(
                lambda lvl: (lvl.sequence, lvl.delay)
            )
            previous = siblings.filtered(
                lambda lvl, delay=level.delay: lvl.delay < delay
            )[-1:]
            level.min_days_since_previous = default_min_days_since_previous(
                previous.delay if previous else None, level.delay
            )

    @api.constrains("delay", "sequence", "policy_id")
    def _check_delays(self):
        self.policy_id._check_level_delays()

    @api.constrains("notice_days")
    def _check_notice_days(self):
        for level in self:
            if level.notice_days < 1:
                raise ValidationError(
                    _(
                        "The days to pay of the formal notice “%s” must be at least 1.",
                        level.name,
                    )
                )

    @api.constrains("channel_email", "channel_letter", "channel_sms", "channel_call")
    def _check_channels(self):
        for level in self:
            if not (
                level.channel_email
                or level.channel_letter
                or level.channel_sms
                or level.channel_call
            ):
                raise ValidationError(
                    _("The dunning level “%s” needs at least one channel.", level.name)
                )

    @api.constrains("channel_email", "mail_template_id")
    def _check_mail_template(self):
        for level in self:
            if level.channel_email and not level.mail_template_id:
                raise ValidationError(
                    _(
                        "The dunning level “%s” sends emails: choose its email "
                        "template.",
                        level.name,
                    )
                )
            if (
                level.mail_template_id
                and level.mail_template_id.model != "account.dunning.action"
            ):
                raise ValidationError(
                    _(
                        "The email template of a dunning level must apply to dunning "
                        "actions."
                    )
                )

    @api.constrains("sms_template_id")
    def _check_sms_template(self):
        for level in self:
            template = level.sms_template_id
            if template and template.model != "account.dunning.action":
                raise ValidationError(
                    _(
                        "The SMS template of a dunning level must apply to dunning "
                        "actions."
                    )
                )

    @api.constrains("min_amount", "min_days_since_previous", "fee_amount")
    def _check_positive(self):
        for level in self:
            if level.min_amount < 0:
                raise ValidationError(
                    _(
                        "The minimum overdue amount of the level “%s” cannot be "
                        "negative.",
                        level.name,
                    )
                )
            if level.fee_amount < 0:
                raise ValidationError(
                    _("The fee of the level “%s” cannot be negative.", level.name)
                )
            if level.min_days_since_previous < 0:
                raise ValidationError(
                    _(
                        "The minimum days since the previous level of “%s” cannot "
                        "be negative.",
                        level.name,
                    )
                )

    def _channels(self):
        """The channels of this level, in the order they are executed."""
        self.ensure_one()
        registry = self.env["account.dunning.dispatch"]._channel_registry()
        return [
            channel
            for channel in self.env["account.dunning.dispatch"]._channels_in_order()
            if self[registry[channel]["level_field"]]
        ]
