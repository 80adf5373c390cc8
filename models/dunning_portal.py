from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL, misc

from . import portal_rules

SCOPE = "account_dunning.portal"
# What the customer page lists of the past: this many days of closed records.
HISTORY_DAYS = 365
REMINDER_CHANNELS = ("email", "letter", "sms")


class AccountDunningPortal(models.AbstractModel):
    """The customer page (``/my/dues``): its signed links and its values.

    Every method takes the customer (a commercial entity) and the company the caller
    has already established (the portal user's own entity, or a valid signed link):
    they read in superuser mode, restricted to that entity and company.
    """

    _name = "account.dunning.portal"
    _description = "Dunning: Customer Page"

    # ------------------------------------------------------------ signed links

    @api.model
    def _sign(self, message):
        # sudo: the database secret keys the signature; it is never returned.
        return misc.hmac(self.env(su=True), SCOPE, message)

    @api.model
    def _make_token(self, partner, company, expiry=None):
        partner = partner.commercial_partner_id
        expiry = expiry or (
            fields.Date.context_today(self)
            + timedelta(days=company.dunning_portal_link_days or 30)
        )
        return portal_rules.make_token(self._sign, partner.id, company.id, expiry)

    @api.model
    def _read_token(self, token):
        """``(status, partner, company, expiry)`` of a signed link's token; the
        records are empty unless the signature is right."""
        status, partner_id, company_id, expiry = portal_rules.read_token(
            self._sign, token, fields.Date.context_today(self)
        )
        Partner, Company = (
            self.env["res.partner"].sudo(),
            self.env["res.company"].sudo(),
        )
        partner = Partner.browse(partner_id).exists() if partner_id else Partner
        company = Company.browse(company_id).exists() if company_id else Company
        if status != portal_rules.TAMPERED and not (partner and company):
            # A customer merged or deleted since: the link opens nothing.
            status = portal_rules.TAMPERED
        if partner and partner != partner.commercial_partner_id:
            status = portal_rules.TAMPERED
        return status, partner, company, expiry

    @api.model
    def _url(self, partner, company, recipient=None):
        """The link of the reminders: the page itself for a recipient with a portal
        account of the customer, else a signed link."""
        base = company.get_base_url()
        partner = partner.commercial_partner_id
        # sudo: whether the recipient has a portal account, to choose the link.
        users = (
            (recipient or partner)
            .sudo()
            .user_ids.filtered(lambda user: user.active and user._is_portal())
        )
        if users and recipient and recipient.commercial_partner_id == partner:
            return f"{base}/my/dues?company_id={company.id}"
        token = self._make_token(partner, company)
        return f"{base}/my/dues?access_token={token}"

    # ------------------------------------------------------------ companies

    @api.model
    def _companies(self, partner):
        """The companies where the customer has open receivables, by name."""
        # sudo: the entity's items, whatever the reader's companies.
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(self._item_domain(partner), ["company_id"])
        )
        return (
            self.env["res.company"]
            .sudo()
            .union(*(company for (company,) in groups))
            .sorted("name")
        )

    @api.model
    def _item_domain(self, partner, company=None):
        domain = [
            ("partner_id", "=", partner.commercial_partner_id.id),
            ("parent_state", "=", "posted"),
            ("account_type", "=", "asset_receivable"),
            ("move_id.move_type", "=", "out_invoice"),
            ("reconciled", "=", False),
            ("amount_residual_currency", ">", 0),
        ]
        if company:
            domain.append(("company_id", "=", company.id))
        return domain

    @api.model
    def _due_count(self, partner):
        """How many open invoice instalments the customer has, all companies."""
        # sudo: counted for the portal card of the customer's own entity.
        return (
            self.env["account.move.line"]
            .sudo()
            .search_count(self._item_domain(partner))
        )

    @api.model
    def _known_in(self, partner, company):
        """Whether the customer ever had a posted invoice of ``company``: the page
        of a company whose invoices are all paid still opens (after a payment),
        that of a company the customer has nothing with does not."""
        return company in self._invoiced_by(partner)

    @api.model
    def _send_fresh_link_to(self, email):
        """A fresh link for each customer whose invoice address is ``email``, in each
        of our companies it was invoiced by (``_send_fresh_link``'s limits): the
        answer of a damaged link, whose ids cannot be trusted. Nothing is said of
        whether the address is known."""
        email = (email or "").strip()
        if "@" not in email or len(email) > 254:
            return 0
        # sudo: the partners with that address, to write to it only.
        contacts = (
            self.env["res.partner"]
            .sudo()
            .search([("email", "=ilike", email)], limit=20)
        )
        sent = 0
        for entity in contacts.commercial_partner_id:
            address = self._link_address(entity)
            if (address.email or "").strip().lower() != email.lower():
                continue
            for company in self._invoiced_by(entity):
                sent += bool(self._send_fresh_link(entity.id, company.id))
        return sent

    @api.model
    def _invoiced_by(self, partner):
        """Our companies that invoiced the customer (posted invoices)."""
        # sudo: the entity's invoices, whatever the reader's companies.
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                ],
                ["company_id"],
            )
        )
        return self.env["res.company"].sudo().union(*(company for (company,) in groups))

    @api.model
    def _link_address(self, partner):
        """Where a customer's fresh link goes: its invoice contact, else (that
        contact has no email) the entity's own address."""
        invoice = partner.browse(partner.address_get(["invoice"])["invoice"])
        return invoice if invoice.email else partner

    @api.model
    def _send_fresh_link(self, partner_id, company_id):
        """Email a fresh signed link to the invoice address of the customer, at most
        once an hour; False when nothing was sent (unknown customer, not one of the
        company's, no address, too soon)."""
        # sudo: the customer named by a link, to write to its own invoice address
        # only (never to the requester), and the sending time that limits it.
        partner = self.env["res.partner"].sudo().browse(partner_id).exists()
        company = self.env["res.company"].sudo().browse(company_id).exists()
        if not partner or not company or partner != partner.commercial_partner_id:
            return False
        if not self._known_in(partner, company):
            return False
        address = self._link_address(partner)
        if not address.email:
            return False
        # One statement takes the hour's slot: two requests at once send one link.
        taken = self.env.execute_query(
            SQL(
                """
                UPDATE res_partner SET dunning_portal_link_sent = %(now)s
                 WHERE id = %(id)s
                   AND (dunning_portal_link_sent IS NULL
                        OR dunning_portal_link_sent <= %(before)s)
             RETURNING id
                """,
                now=fields.Datetime.now(),
                before=fields.Datetime.now() - timedelta(hours=1),
                id=partner.id,
            )
        )
        partner.invalidate_recordset(["dunning_portal_link_sent"])
        if not taken:
            return False
        template = self.env.ref("account_dunning.mail_template_dunning_portal_link")
        email_values = {"recipient_ids": [Command.set(address.ids)]}
        if company.email:
            email_values["email_from"] = company.email_formatted
        template.sudo().with_company(company).with_context(
            dunning_portal_url=self._url(partner, company),
            dunning_company_name=company.name,
        ).send_mail(
            partner.id,
            email_values=email_values,
            email_layout_xmlid="mail.mail_notification_light",
        )
        return True


def _formats(env):
    """The reader's date format and amount formatter, read once per transaction: the
    page formats thousands of dates and amounts (``odoo.tools.format_date`` and
    ``format_amount`` look the language up on every call)."""
    key = ("account_dunning.portal.formats", env.lang)
    formats = env.cr.cache.get(key)
    if formats is None:
        shared = env["account.dunning.action"]._report_shared()
        formats = env.cr.cache[key] = (shared["date_format"], shared["amount"])
    return formats


def format_date(env, value):
    """As ``odoo.tools.format_date`` (the language's numeric date format)."""
    return value.strftime(_formats(env)[0]) if value else ""


def format_amount(env, amount, currency):
    """As ``odoo.tools.format_amount``."""
    return _formats(env)[1](amount, currency)
