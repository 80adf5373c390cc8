import ast
import re
from collections import defaultdict

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount
from odoo.tools.misc import get_lang

from odoo.addons.base.models.res_lang import intersperse

LETTER_REPORT = "account_dunning.action_report_dunning_letter"
# The access token of a portal link: the email to the customer carries it, the copy
# kept in the customer's chatter (read by every employee) does not.
# An inline style attribute, dropped from the chatter copy of an email.
STYLE_RE = re.compile(r"""\sstyle=("[^"]*"|'[^']*')""")
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
    move_line_ids = fields.Many2many(
        "account.move.line",
        "account_dunning_action_move_line_rel",
        "action_id",
        "move_line_id",
        string="Instalments",
        help="The open overdue instalments (receivable items) the communication lists.",
    )
    advanced_move_line_ids = fields.Many2many(
        "account.move.line",
        "account_dunning_action_advanced_move_line_rel",
        "action_id",
        "move_line_id",
        string="Instalments Moved To This Level",
    )
    is_fallback = fields.Boolean(
        string="Fallback",
        help="Sent on the level's fallback channel, because a channel of the level "
        "could not reach the customer.",
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
            ("dispute", "Dispute"),
            ("promise", "Promise to Pay"),
            ("plan", "Payment Plan"),
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
        # What every table of the batch shares: read once, not once per reminder.
        shared = self._report_shared()
        shared["names"] = self._instalment_names(self.move_line_ids)
        for action in self:
            action.report_table_html = qweb._render(
                "account_dunning.dunning_invoice_table",
                {
                    "action": action,
                    "show_payment_links": True,
                    "report_lines": action._get_report_lines(shared),
                },
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
        # A customer's reminder is one: its other channels waiting with it go too.
        keys = {(action.run_id, action.partner_id) for action in to_send}
        to_send |= to_send.run_id.action_ids.filtered(
            lambda action: action.state == "to_review"
            and (action.run_id, action.partner_id) in keys
        )
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

    def _report_items(self):
        """The instalments listed, by due date (older traces: their invoices')."""
        self.ensure_one()
        items = self.move_line_ids or self.move_ids.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        return items.sorted(lambda item: (item.date_maturity, item.move_name, item.id))

    @api.model
    def _report_shared(self):
        """The base URL, date format and amount formatter of the reader's language."""
        lang = self.env["res.lang"]._get_data(code=get_lang(self.env).code)
        grouping = ast.literal_eval(lang.grouping)
        formats = {}

        def amount(value, currency):
            # As odoo.tools.format_amount and res.lang.format, with the language's
            # separators read once for the batch instead of once per amount.
            if currency not in formats:
                symbol = currency.symbol or ""
                before = currency.position == "before"
                formats[currency] = (
                    f"%.{currency.decimal_places}f",
                    f"{symbol}\N{NO-BREAK SPACE}" if before else "",
                    "" if before else f"\N{NO-BREAK SPACE}{symbol}",
                )
            fmt, pre, post = formats[currency]
            parts = (fmt % currency.round(value)).split(".")
            parts[0] = intersperse(parts[0], grouping, lang.thousands_sep or "")[0]
            text = (
                lang.decimal_point.join(parts)
                .replace(" ", "\N{NO-BREAK SPACE}")
                .replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
            )
            return f"{pre}{text}{post}"

        return {
            "base_url": self[:1].get_base_url(),
            "date_format": lang.date_format or "%m/%d/%Y",
            "amount": amount,
        }

    def _get_report_lines(self, shared=None):
        """The instalments a communication lists, as plain values for templates.

        One line per overdue instalment: invoice number (with the instalment's rank
        when the invoice has several), its due date and the amount due on it.
        Private: it gives each invoice an access token and returns its payment link.
        """
        self.ensure_one()
        shared = shared or self._report_shared()
        items = self._report_items()
        items.move_id._portal_ensure_tokens()
        date_format, amount = shared["date_format"], shared["amount"]
        show = self.level_id.show_penalties
        interest_by_item, indemnity_by_move, provisional = (
            self._penalties_by_item(items) if show else ({}, {}, set())
        )
        advanced = set(self.advanced_move_line_ids.ids)
        # A partly disputed invoice: the disputed part is shown, not claimed.
        disputed_by_item = self.env["account.dunning.hold.engine"]._disputed_by_item(
            items
        )
        names = shared.get("names", {})
        if not set(items.ids) <= set(names):
            names = self._instalment_names(items)
        lines = []
        for item in items:
            move, currency = item.move_id, item.currency_id
            interest = interest_by_item.get(item.id, 0.0)
            indemnity = indemnity_by_move.pop(move.id, 0.0)
            level = self.level_id if item.id in advanced else item.dunning_level_id
            disputed = disputed_by_item.get(item.id, 0.0)
            claimed = item.amount_residual_currency - disputed
            lines.append(
                {
                    "move": move,
                    "item": item,
                    "name": names[item.id],
                    "invoice_date": move.invoice_date.strftime(date_format),
                    "date_due": item.date_maturity.strftime(date_format),
                    "days_late": (self.date - item.date_maturity).days,
                    "amount_total": amount(item.amount_currency, currency),
                    "amount_residual": amount(claimed, currency),
                    "disputed": amount(disputed, currency) if disputed else "",
                    "level": level.name or "",
                    "payment_url": f"{shared['base_url']}{move.access_url}"
                    f"?access_token={move.access_token}",
                    # A figure computed with a rate not published yet says so.
                    "interest": (
                        amount(interest, currency)
                        + (
                            " " + self.env._("(provisional)")
                            if item.id in provisional
                            else ""
                        )
                    )
                    if show
                    else "",
                    "indemnity": amount(indemnity, currency) if show else "",
                    # Raw values, for the totals.
                    "currency": currency,
                    "residual_value": claimed,
                    "penalty_value": interest + indemnity,
                }
            )
        return lines

    @api.model
    def _instalment_names(self, items):
        """{item id: invoice number}, with "(2/3)" when paid in instalments."""
        names = {}
        # Only invoices on terms of several instalments have ranks to show.
        for move in items.move_id.filtered(
            lambda move: len(move.invoice_payment_term_id.line_ids) > 1
        ):
            instalments = sorted(
                (line.date_maturity, line.id)
                for line in move.line_ids
                if line.display_type == "payment_term"
            )
            for rank, (_due, line_id) in enumerate(instalments, start=1):
                names[line_id] = (
                    f"{move.name} ({rank}/{len(instalments)})"
                    if len(instalments) > 1
                    else move.name
                )
        return {item.id: names.get(item.id, item.move_id.name) for item in items}

    def _penalties_by_item(self, items):
        """({item id: interest}, {invoice id: indemnity}, {item ids whose interest is
        provisional}) on the action's date, not yet claimed: the days a penalty
        invoice billed or a waiver forgave are not claimed again."""
        return self.env["account.dunning.penalty.engine"]._unclaimed_amounts(
            items, self.date
        )

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

    @api.model
    def _chatter_copy(self, html):
        """The copy of an email kept in the customer's chatter: without the access
        tokens of its links, and without the inline styles the email client needs
        (the chatter styles the table by its classes); lighter to store and clean."""
        if not html:
            return html
        return Markup(STYLE_RE.sub("", str(self._without_access_tokens(html))))

    @api.model
    def _without_access_tokens(self, html):
        """The HTML of an email with the access tokens taken out of its links."""
        if not html:
            return html
        return Markup(ACCESS_TOKEN_RE.sub(_token_free, str(html)))

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
