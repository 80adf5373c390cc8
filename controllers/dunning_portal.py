"""The customer page: ``/my/dues`` and what it links to.

Who is reading is established here, once, by ``_dunning_access``: a portal user reads
its own commercial entity; anyone else needs a valid signed link (``access_token``),
which names one customer and one company. Every value shown and every record created
goes through ``account.dunning.portal``, in superuser mode, for that customer only.
"""

from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import http
from odoo.http import request
from odoo.tools import format_date

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models import portal_rules
from ..models.dunning_portal import REMINDER_CHANNELS

# A page of a customer's account: kept by no shared cache, and its address (which may
# hold a signed link) not sent to other sites as the referrer.
PRIVATE_HEADERS = [("Cache-Control", "no-store"), ("Referrer-Policy", "same-origin")]


class DunningAccess:
    """The customer a request acts for, and how it proved it."""

    def __init__(self, partner, company, companies, token=None):
        self.partner = partner
        self.company = company
        self.companies = companies
        self.token = token

    def params(self, **extra):
        """What every link and form of the page carries to stay on this customer."""
        params = (
            {"access_token": self.token}
            if self.token
            else {"company_id": self.company.id}
        )
        return {**params, **{key: value for key, value in extra.items() if value}}

    def url(self, path="/my/dues", **extra):
        return f"{path}?{url_encode(self.params(**extra))}"


class DunningPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "dunning_due_count" in counters:
            partner = request.env.user.partner_id.commercial_partner_id
            values["dunning_due_count"] = request.env[
                "account.dunning.portal"
            ]._due_count(partner)
        return values

    # ------------------------------------------------------------ who is reading

    def _dunning_access(self, access_token=None, company_id=None):
        """``(access, None)`` for the customer the request may act for, or
        ``(None, response)``: the login page, the page of a bad link, or a 404 for a
        company the customer has nothing with."""
        Portal = request.env["account.dunning.portal"]
        if access_token:
            status, partner, company, expiry = Portal._read_token(access_token)
            if status != portal_rules.VALID:
                return None, self._dunning_link_error(status, expiry, access_token)
            # A visitor of a signed link reads the page in the customer's language.
            if request.env.user._is_public() and partner.lang:
                installed = dict(request.env["res.lang"].get_installed())
                if partner.lang in installed:
                    request.update_context(lang=partner.lang)
            return DunningAccess(partner, company, company, access_token), None
        user = request.env.user
        if user._is_public():
            return None, request.redirect(
                "/web/login?%s"
                % url_encode({"redirect": request.httprequest.full_path})
            )
        # sudo: the user's own commercial entity (a portal user may not read it all).
        partner = user.partner_id.sudo().commercial_partner_id
        companies = Portal._companies(partner)
        if company_id:
            company = self._dunning_company(partner, companies, company_id)
        else:
            # The portal user's own company first, else the first with dues.
            company = (
                (companies & user.company_id.sudo())
                or companies[:1]
                or user.company_id.sudo()
            )
        return DunningAccess(partner, company, companies | company), None

    def _dunning_company(self, partner, companies, company_id):
        """The company asked for, if the customer has (or had) invoices there: one
        whose invoices are all paid still opens; another is not found."""
        company_id = str(company_id or "")
        if not (
            company_id.isascii()
            and company_id.isdigit()
            and 0 < int(company_id) <= portal_rules.MAX_ID
        ):
            raise NotFound()
        company = companies.filtered(lambda company: company.id == int(company_id))
        if not company:
            company = request.env["res.company"].sudo().browse(int(company_id)).exists()
            if not company or not request.env["account.dunning.portal"]._known_in(
                partner, company
            ):
                raise NotFound()
        return company

    def _dunning_link_error(self, status, expiry, token):
        return request.render(
            "account_dunning.portal_dues_link_error",
            {
                "status": status,
                "expiry": format_date(request.env, expiry) if expiry else "",
                "access_token": token,
                "page_name": "dunning_dues",
            },
            status=403,
            headers=PRIVATE_HEADERS,
        )

    # ------------------------------------------------------------ the page

    def _dunning_page_values(self, access, **extra):
        values = self._prepare_portal_layout_values()
        values.update(
            request.env["account.dunning.portal"]._page_values(
                access.partner, access.company
            )
        )
        values.update(
            {
                "page_name": "dunning_dues",
                "access": access,
                "companies": access.companies,
                "done": extra.pop("done", None),
                "errors": extra.pop("errors", {}),
                "form": extra.pop("form", {}),
            }
        )
        values.update(extra)
        return values

    @http.route(
        "/my/dues",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def portal_my_dues(self, access_token=None, company_id=None, done=None, **kw):
        access, response = self._dunning_access(access_token, company_id)
        if response:
            return response
        return request.render(
            "account_dunning.portal_my_dues",
            self._dunning_page_values(access, done=done),
            headers=PRIVATE_HEADERS,
        )

    def _dunning_render_errors(self, access, errors, form):
        """The page again, with the form's values and its messages (nothing saved)."""
        return request.render(
            "account_dunning.portal_my_dues",
            self._dunning_page_values(access, errors=errors, form=form),
            status=400,
            headers=PRIVATE_HEADERS,
        )

    # ------------------------------------------------------------ reminders

    @http.route(
        "/my/dues/reminder/<int:action_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def portal_my_dues_reminder(
        self, action_id, access_token=None, company_id=None, **kw
    ):
        """A reminder the customer received: the letter's PDF, the email's text."""
        if not 0 < action_id <= portal_rules.MAX_ID:
            raise NotFound()
        access, response = self._dunning_access(access_token, company_id)
        if response:
            return response
        # sudo: restricted to the customer's own reminders just below.
        action = (
            request.env["account.dunning.action"]
            .sudo()
            .search(
                [
                    ("id", "=", action_id),
                    ("partner_id", "=", access.partner.id),
                    ("company_id", "=", access.company.id),
                    ("state", "=", "sent"),
                    ("channel", "in", REMINDER_CHANNELS),
                ]
            )
        )
        if not action:
            raise NotFound()
        if action.letter_attachment_id:
            attachment = action.letter_attachment_id
            return request.make_response(
                attachment.raw or b"",
                headers=[
                    ("Content-Type", attachment.mimetype or "application/pdf"),
                    ("Content-Disposition", http.content_disposition(attachment.name)),
                    ("X-Content-Type-Options", "nosniff"),
                    *PRIVATE_HEADERS,
                ],
            )
        if action.channel == "email" and action.message_id:
            return request.render(
                "account_dunning.portal_dues_reminder",
                {
                    "action": action,
                    "access": access,
                    # The copy kept in the chatter: without the invoices' tokens.
                    "body": action.message_id.body,
                    "page_name": "dunning_dues",
                },
                headers=PRIVATE_HEADERS,
            )
        raise NotFound()

    # ------------------------------------------------------------ fresh links

    @http.route(
        "/my/dues/link",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def portal_my_dues_link(self, access_token=None, **kw):
        """Send a fresh link to the invoice address of the customer an expired link
        names: to its own address only, once an hour; the answer is the same whether
        or not the customer exists. Only a link we signed names its customer: the
        ids of a tampered one are anyone's choice (writing to every customer)."""
        Portal = request.env["account.dunning.portal"]
        status, partner, company, _expiry = Portal._read_token(access_token)
        if status != portal_rules.TAMPERED:
            Portal._send_fresh_link(partner.id, company.id)
        elif isinstance(kw.get("email"), str) and kw["email"].strip():
            # A damaged link names no one: the customer gives the address we invoice
            # it at, and the link goes there (to that address only).
            Portal._send_fresh_link_to(kw["email"])
        return request.render(
            "account_dunning.portal_dues_link_sent", {"page_name": "dunning_dues"}
        )
