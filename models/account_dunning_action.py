import base64
import logging
import re
from collections import defaultdict

import psycopg2
from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_amount

_logger = logging.getLogger(__name__)

LETTER_REPORT = "account_dunning.action_report_dunning_letter"
# The access token of a portal link: the email to the customer carries it, the copy
# kept in the customer's chatter (read by every employee) does not.
ACCESS_TOKEN_RE = re.compile(r"(\?|&amp;|&)access_token=[^&\"'\s<>#]*(&amp;|&)?")


class AccountDunningAction(models.Model):
    """The trace: one line per customer, level and channel of every dunning action."""

    _name = "account.dunning.action"
    _inherit = ["account.dunning.history.mixin"]
    _description = "Dunning Action"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    run_id = fields.Many2one("account.dunning.run", ondelete="set null", index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    recipient_id = fields.Many2one("res.partner", string="Recipient")
    level_id = fields.Many2one("account.dunning.level", ondelete="set null", index=True)
    move_ids = fields.Many2many(
        "account.move",
        "account_dunning_action_move_rel",
        "action_id",
        "move_id",
        string="Invoices",
        help="The open overdue invoices the communication lists.",
    )
    advanced_move_ids = fields.Many2many(
        "account.move",
        "account_dunning_action_advanced_move_rel",
        "action_id",
        "move_id",
        string="Invoices Moved To This Level",
    )
    channel = fields.Selection(
        [
            ("email", "Email"),
            ("letter", "Letter"),
            ("sms", "SMS"),
            ("call", "Phone Call"),
            ("penalty", "Penalty Invoice"),
            ("waiver", "Penalty Waiver"),
        ],
        required=True,
    )
    state = fields.Selection(
        [
            ("to_review", "To Review"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("skipped", "Skipped"),
        ],
        required=True,
        index=True,
    )
    reason = fields.Char()
    date = fields.Date(required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        help="Amount due of the listed invoices, in company currency."
    )
    mail_id = fields.Many2one("mail.mail", string="Email", ondelete="set null")
    message_id = fields.Many2one("mail.message", string="Message", ondelete="set null")
    activity_id = fields.Many2one(
        "mail.activity", string="Activity", ondelete="set null"
    )
    letter_attachment_id = fields.Many2one(
        "ir.attachment", string="Letter", ondelete="set null"
    )
    reviewed_by_id = fields.Many2one("res.users", string="Reviewed By")
    penalty_move_id = fields.Many2one(
        "account.move", string="Penalty Invoice", ondelete="set null"
    )
    # Its payment links carry the invoices' access tokens: for the emails (rendered
    # by the engine) and the users who may read the invoices, no one else.
    report_table_html = fields.Html(
        string="Invoice Table",
        compute="_compute_report_table_html",
        sanitize=False,
        groups="account.group_account_invoice",
        help="The table of invoices every reminder shows, in the reader's language.",
    )

    @api.depends_context("lang")
    def _compute_report_table_html(self):
        # A view is compiled once and cached; an email template body is compiled again
        # for every record. Rendering the table here keeps the templates simple enough
        # for the mail composer's fast path.
        qweb = self.env["ir.qweb"]
        for action in self:
            action.report_table_html = qweb._render(
                "account_dunning.dunning_invoice_table",
                {"action": action, "show_payment_links": True},
            )

    @api.model
    def mail_allowed_qweb_expressions(self):
        return super().mail_allowed_qweb_expressions() + (
            "object.recipient_id.name",
            "object.company_id.name",
            "object.level_id.name",
            "object.report_table_html",
        )

    # --------------------------------------------------------------- review

    def _check_reviewer(self):
        """Reviews are for dunning users of the actions' companies."""
        if not self.env.user.has_group("account_dunning.group_dunning_user"):
            raise AccessError(_("Only dunning users can review reminders."))
        self.check_access("read")

    def action_send_reviewed(self):
        """Send communications that waited for a review, as the run would have."""
        self._check_reviewer()
        to_send = self.filtered(
            lambda action: action.state == "to_review"
            and action.run_id.state in ("computed", "done")
        )
        if not to_send:
            raise UserError(_("Only actions waiting for a review can be sent."))
        for run, actions in to_send.grouped("run_id").items():
            # sudo: after the review check; the run's proposals wait with the actions.
            actions._waiting_lines().sudo().write({"state": "pending"})
            run.with_company(run.company_id)._execute_customers(
                actions.partner_id.ids, reviewed=actions
            )
        return True

    def action_reject_review(self):
        self._check_reviewer()
        to_reject = self.filtered(lambda action: action.state == "to_review")
        if not to_reject:
            raise UserError(_("Only actions waiting for a review can be rejected."))
        reason = _("Rejected at review by %s.", self.env.user.name)
        # sudo: after the review check; proposals and trace are the engine's.
        to_reject._waiting_lines().sudo().write({"state": "skipped", "reason": reason})
        to_reject.sudo().write(
            {"state": "skipped", "reason": reason, "reviewed_by_id": self.env.uid}
        )
        return True

    def _waiting_lines(self):
        """The run proposals that these actions waiting for a review stand for."""
        keys = {(action.run_id, action.partner_id) for action in self}
        return self.run_id.line_ids.filtered(
            lambda line: line.state == "to_review"
            and (line.run_id, line.partner_id) in keys
        )

    def action_open_letter(self):
        self.ensure_one()
        return self.env.ref(LETTER_REPORT).report_action(self)

    # ------------------------------------------------------- what they list

    def _get_report_lines(self):
        """The invoices a communication lists, as plain values for templates.

        Private: it gives each invoice an access token and returns its payment link.
        """
        self.ensure_one()
        self.move_ids._portal_ensure_tokens()
        base_url = self.get_base_url()
        date_format = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        date_format = date_format.date_format if date_format else "%m/%d/%Y"
        penalties = self._penalties_by_move() if self.level_id.show_penalties else {}
        lines = []
        for move in self.move_ids.sorted(lambda m: (m.invoice_date_due, m.name)):
            interest, indemnity = penalties.get(move, (0.0, 0.0))
            lines.append(
                {
                    "move": move,
                    "name": move.name,
                    "invoice_date": move.invoice_date.strftime(date_format),
                    "date_due": move.invoice_date_due.strftime(date_format),
                    "days_late": (self.date - move.invoice_date_due).days,
                    "amount_total": format_amount(
                        self.env, move.amount_total, move.currency_id
                    ),
                    "amount_residual": format_amount(
                        self.env, move.amount_residual, move.currency_id
                    ),
                    "level": move.dunning_level_id.name or "",
                    "payment_url": f"{base_url}{move.access_url}"
                    f"?access_token={move.access_token}",
                    "interest": format_amount(self.env, interest, move.currency_id),
                    "indemnity": format_amount(self.env, indemnity, move.currency_id),
                    # Raw values, for the totals.
                    "currency": move.currency_id,
                    "residual_value": move.amount_residual,
                    "penalty_value": interest + indemnity,
                }
            )
        return lines

    def _penalties_by_move(self):
        """{invoice: (interest accrued, indemnity)} on the action's date."""
        rates = self.move_ids._dunning_rates()
        return {
            move: (
                sum(
                    line.amount
                    for line in move._dunning_interest_lines(self.date, rates)
                ),
                move._dunning_indemnity_due(self.date),
            )
            for move in self.move_ids
        }

    def _get_totals_by_currency(self, lines=None):
        """Amounts due per currency: a customer may owe in several currencies.

        ``lines`` are the report lines already computed, so that penalties are not
        computed twice for one reminder.
        """
        self.ensure_one()
        totals = defaultdict(lambda: [0.0, 0.0])
        for line in lines if lines is not None else self._get_report_lines():
            totals[line["currency"]][0] += line["residual_value"]
            totals[line["currency"]][1] += line["penalty_value"]
        return [
            {
                "currency": currency,
                "amount": format_amount(self.env, amount, currency),
                "penalties": format_amount(self.env, penalty, currency),
            }
            for currency, (amount, penalty) in sorted(
                totals.items(), key=lambda item: item[0].name
            )
        ]

    # ------------------------------------------------------------- channels

    def _check_channel_requirements(self):
        """Mark failed, with the reason, the actions that cannot reach the customer."""
        failures = defaultdict(lambda: self.browse())
        for action in self:
            reason = action._channel_failure_reason()
            if reason:
                failures[reason] |= action
        for reason, actions in failures.items():
            actions.write({"state": "failed", "reason": reason})

    def _channel_failure_reason(self):
        self.ensure_one()
        recipient = self.recipient_id or self.partner_id
        if self.channel == "email" and not recipient.email:
            return _("No email address for %s.", recipient.display_name)
        if self.channel == "sms" and not (recipient.mobile or recipient.phone):
            return _("No mobile or phone number for %s.", recipient.display_name)
        if self.channel == "letter" and not (recipient.street or recipient.city):
            return _("No postal address for %s.", recipient.display_name)
        if self.channel == "call" and not self._call_user():
            return _(
                "No one to call the customer: set a salesperson or a user on the level."
            )
        return False

    def _call_user(self):
        return self.level_id.call_user_id or self.partner_id.user_id

    def _dispatch(self):
        """Produce what each sent action stands for, channel by channel, in batches."""
        by_channel = self.grouped("channel")
        self.move_ids._portal_ensure_tokens()
        for channel, method in (
            ("email", "_send_emails"),
            ("letter", "_print_letters"),
            ("sms", "_send_sms"),
            ("call", "_schedule_calls"),
        ):
            actions = by_channel.get(channel)
            if not actions:
                continue
            try:
                with self.env.cr.savepoint():
                    getattr(actions, method)()
            except psycopg2.OperationalError:
                # A concurrent update or a lost connection is not the channel's
                # failure: the whole batch rolls back and is done again.
                raise
            except Exception as error:  # noqa: BLE001 - one channel's failure must not stop the run
                _logger.exception("Dunning: the %s channel failed", channel)
                actions.write({"state": "failed", "reason": str(error)[:500]})

    def _send_emails(self):
        """Render each level's template for all its actions at once; queue emails."""
        author = self.env.user.partner_id
        comment = self.env.ref("mail.mt_comment")
        links = []
        for level, actions in self.grouped("level_id").items():
            template = level.mail_template_id.sudo()
            rendered = template._generate_template(
                actions.ids,
                ["subject", "body_html", "email_from", "reply_to", "mail_server_id"],
            )
            vals_list = []
            for action in actions:
                values = rendered[action.id]
                vals_list.append(
                    {
                        "subject": values.get("subject"),
                        "body_html": values.get("body_html"),
                        # The copy in the chatter, without the access tokens.
                        "body": self._without_access_tokens(values.get("body_html")),
                        "email_from": values.get("email_from")
                        or action.company_id.email_formatted,
                        "reply_to": values.get("reply_to"),
                        "mail_server_id": values.get("mail_server_id"),
                        "recipient_ids": [fields.Command.link(action.recipient_id.id)],
                        "model": "res.partner",
                        "res_id": action.partner_id.id,
                        "record_name": action.partner_id.display_name,
                        "message_type": "email_outgoing",
                        "subtype_id": comment.id,
                        "author_id": author.id,
                        "auto_delete": False,
                        "is_notification": True,
                    }
                )
            mails = self.env["mail.mail"].sudo().create(vals_list)
            links.extend(
                zip(actions.ids, mails.ids, mails.mail_message_id.ids, strict=True)
            )
        self._link_records("mail_id", "message_id", links)

    @api.model
    def _without_access_tokens(self, html):
        """The HTML of an email with the access tokens taken out of its links."""
        if not html:
            return html
        return Markup(ACCESS_TOKEN_RE.sub(_token_free, str(html)))

    def _link_records(self, mail_field, message_field, links):
        """Store what the actions produced, in one statement (thousands of rows)."""
        if not links:
            return
        self.flush_recordset()
        action_ids, mail_ids, message_ids = (
            list(column) for column in zip(*links, strict=True)
        )
        self.env.execute_query(
            SQL(
                """
                UPDATE account_dunning_action action
                   SET %(mail_field)s = data.mail_id,
                       %(message_field)s = data.message_id
                  FROM unnest(%(actions)s::int[], %(mails)s::int[], %(messages)s::int[])
                       AS data(action_id, mail_id, message_id)
                 WHERE action.id = data.action_id
                """,
                mail_field=SQL.identifier(mail_field),
                message_field=SQL.identifier(message_field),
                actions=action_ids,
                mails=mail_ids,
                messages=message_ids,
            )
        )
        self.invalidate_recordset([mail_field, message_field])

    def _print_letters(self):
        """Render one PDF letter per customer; attach it to the trace and chatter."""
        report = self.env["ir.actions.report"].sudo()
        for action in self:
            pdf, _report_type = report._render_qweb_pdf(
                LETTER_REPORT, res_ids=action.ids
            )
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": _(
                            "Reminder %(customer)s %(date)s.pdf",
                            customer=action.partner_id.display_name,
                            date=action.date,
                        ),
                        "datas": base64.b64encode(pdf),
                        "res_model": "res.partner",
                        "res_id": action.partner_id.id,
                        "mimetype": "application/pdf",
                    }
                )
            )
            message = action.partner_id.sudo().message_post(
                body=_(
                    "Dunning letter (%s) generated, to print and post.",
                    action.level_id.name,
                ),
                attachment_ids=attachment.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            action.write(
                {"letter_attachment_id": attachment.id, "message_id": message.id}
            )

    def _send_sms(self):
        """Queue one SMS per customer from the level's SMS template."""
        for level, actions in self.grouped("level_id").items():
            template = level.sms_template_id or self.env.ref(
                "account_dunning.sms_template_dunning"
            )
            bodies = template.sudo()._render_field(
                "body", actions.ids, compute_lang=True
            )
            for action in actions:
                recipient = action.recipient_id or action.partner_id
                message = action.partner_id.sudo()._message_sms(
                    bodies[action.id],
                    partner_ids=recipient.ids,
                    sms_numbers=[recipient.mobile or recipient.phone],
                )
                action.message_id = message

    def _schedule_calls(self):
        """Plan a phone-call activity for the level's user or the salesperson."""
        call_type = self.env.ref("mail.mail_activity_data_call")
        vals_list = []
        for action in self:
            vals_list.append(
                {
                    "activity_type_id": call_type.id,
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": action.partner_id.id,
                    "user_id": action._call_user().id,
                    "date_deadline": action.date,
                    "summary": _("Dunning call: %s", action.level_id.name),
                    "note": action._call_note(),
                }
            )
        activities = self.env["mail.activity"].sudo().create(vals_list)
        for action, activity in zip(self, activities, strict=True):
            action.activity_id = activity

    def _call_note(self):
        self.ensure_one()
        items = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(invoice)s: %(residual)s due, %(days)s days late",
                invoice=line["name"],
                residual=line["amount_residual"],
                days=line["days_late"],
            )
            for line in self._get_report_lines()
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (
            escape(
                _("Call %s about these overdue invoices:", self.partner_id.display_name)
            ),
            items,
        )


def _token_free(match):
    """Drop ``access_token=...`` from a query string, keeping the other parameters."""
    separator, following = match.group(1), match.group(2)
    return separator if following else ""
