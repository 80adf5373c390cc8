"""The customer page's forms: a promise to pay, a dispute, a payment plan asked for.

Each route establishes the customer with ``_dunning_access`` (a bad or expired link
gets its 403 page), hands what was posted to ``account.dunning.portal``, and answers
with the page (303, ``done=...``), the page again with the form's message (400), or a
404 for an invoice that is not the customer's in this company.
"""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import MissingError
from odoo.http import request

from ..models import portal_form_rules
from .dunning_portal import PRIVATE_HEADERS, DunningPortal


def _text(values, name):
    """A posted text field (a file posted under its name is no text)."""
    value = values.get(name)
    return value if isinstance(value, str) else ""


class DunningPortalForms(DunningPortal):
    def _dunning_author(self, access):
        """Who speaks in the chatter: the portal user's own contact, else (a signed
        link) the customer."""
        user = request.env.user
        if not user._is_public() and (
            user.partner_id.commercial_partner_id == access.partner
        ):
            return user.partner_id
        return access.partner

    def _dunning_answer(self, access, form_name, form, call):
        try:
            _record, error = call()
        except MissingError:
            raise NotFound() from None
        if error:
            return self._dunning_render_errors(access, {form_name: error}, form)
        return request.redirect(access.url(done=form_name), code=303)

    @http.route(
        "/my/dues/promise",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def portal_my_dues_promise(self, access_token=None, company_id=None, **kw):
        """``date`` (YYYY-MM-DD), ``amount``, ``move_ids``: comma-separated ids, or
        the field repeated (one checkbox an invoice)."""
        access, response = self._dunning_access(access_token, company_id)
        if response:
            return response
        move_ids = request.httprequest.form.getlist("move_ids") or _text(kw, "move_ids")
        values = {
            "date": _text(kw, "date"),
            "amount": _text(kw, "amount"),
            "move_ids": move_ids,
        }
        try:
            checked = portal_form_rules.parse_ids(move_ids)
        except ValueError:
            checked = []
        return self._dunning_answer(
            access,
            "promise",
            {**values, "move_ids": checked},
            lambda: request.env["account.dunning.portal"]._portal_promise(
                access.partner, access.company, values, self._dunning_author(access)
            ),
        )

    @http.route(
        "/my/dues/dispute/<int:move_id>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def portal_my_dues_dispute(self, move_id, access_token=None, company_id=None, **kw):
        """GET: the dispute form of the invoice. POST: ``reason`` (a key of the
        dispute's reasons), ``description``, and a file ``attachment`` (optional)."""
        access, response = self._dunning_access(access_token, company_id)
        if response:
            return response
        Portal = request.env["account.dunning.portal"]
        if request.httprequest.method != "POST":
            return self._dunning_dispute_page(access, move_id)
        values = {
            "move_id": move_id,
            "reason": _text(kw, "reason"),
            "description": _text(kw, "description"),
        }
        upload = request.httprequest.files.get("attachment")
        try:
            _dispute, error = Portal._portal_dispute(
                access.partner,
                access.company,
                move_id,
                values,
                upload,
                self._dunning_author(access),
            )
        except MissingError:
            raise NotFound() from None
        if error:
            return self._dunning_dispute_page(access, move_id, error, values)
        return request.redirect(access.url(done="dispute"), code=303)

    def _dunning_dispute_page(self, access, move_id, error=None, form=None):
        """The dispute form of one invoice of the customer (404 for any other)."""
        try:
            values = request.env["account.dunning.portal"]._dispute_form_values(
                access.partner, access.company, move_id
            )
        except MissingError:
            raise NotFound() from None
        values.update(
            {
                "access": access,
                "page_name": "dunning_dues",
                "error": error,
                "form": form or {},
            }
        )
        return request.render(
            "account_dunning.portal_dues_dispute",
            values,
            status=400 if error else 200,
            headers=PRIVATE_HEADERS,
        )

    @http.route(
        "/my/dues/plan",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def portal_my_dues_plan(self, access_token=None, company_id=None, **kw):
        """``instalments`` (a whole number), ``first_date`` (YYYY-MM-DD)."""
        access, response = self._dunning_access(access_token, company_id)
        if response:
            return response
        values = {
            "instalments": _text(kw, "instalments"),
            "first_date": _text(kw, "first_date"),
        }
        return self._dunning_answer(
            access,
            "plan",
            values,
            lambda: request.env["account.dunning.portal"]._portal_plan(
                access.partner, access.company, values, self._dunning_author(access)
            ),
        )
