"""The customer page's statement of account: ``/my/dues/statement`` (a PDF)."""

from odoo import fields, http
from odoo.http import request

from odoo.addons.account_dunning.controllers.dunning_portal import (
    PRIVATE_HEADERS,
    DunningPortal,
)

from ..models import dunning_statement

STATEMENT_REPORT = "account_dunning.action_report_dunning_statement"


class DunningPortalStatement(DunningPortal):
    def _dunning_statement_error(self, error):
        """The message of a period ``dunning_statement.read_period`` refused, in the
        reader's language."""
        env = request.env
        if error == dunning_statement.MISSING:
            return env._("Choose the first and the last day of the period.")
        if error == dunning_statement.MALFORMED:
            return env._("These dates are not valid dates.")
        if error == dunning_statement.REVERSED:
            return env._("The period must start before it ends.")
        if error == dunning_statement.FUTURE:
            return env._("The period cannot end after today.")
        return env._(
            "A statement covers %(years)s years at most: choose a shorter period.",
            years=dunning_statement.MAX_YEARS,
        )

    @http.route(
        "/my/dues/statement",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def portal_my_dues_statement(
        self, date_from=None, date_to=None, access_token=None, company_id=None, **kw
    ):
        """The statement of the customer the request acts for (never one named by
        another parameter) for the period, in the customer's language."""
        access, response = self._dunning_access(access_token, company_id)
        if response:
            return response
        date_from, date_to, error = dunning_statement.read_period(
            date_from, date_to, fields.Date.context_today(request.env.user)
        )
        if error:
            return self._dunning_render_errors(
                access, {"statement": self._dunning_statement_error(error)}, {}
            )
        partner = access.partner.commercial_partner_id
        lang = partner.lang or request.env.lang
        # sudo: the customer and the company were established by _dunning_access just
        # above; the report reads that entity's entries in that company only.
        Report = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(access.company)
            .with_context(lang=lang)
        )
        content, report_type = Report._render_qweb_pdf(
            STATEMENT_REPORT,
            partner.ids,
            data={
                "date_from": fields.Date.to_string(date_from),
                "date_to": fields.Date.to_string(date_to),
            },
        )
        filename = Report.env._(
            "Statement - %(customer)s - %(date_from)s - %(date_to)s.pdf",
            customer=partner.name,
            date_from=fields.Date.to_string(date_from),
            date_to=fields.Date.to_string(date_to),
        )
        # Outside a PDF (in tests, Odoo renders reports as HTML) the HTML as it is.
        content_type = (
            "application/pdf" if report_type == "pdf" else "text/html; charset=utf-8"
        )
        return request.make_response(
            content,
            headers=[
                ("Content-Type", content_type),
                ("Content-Length", len(content)),
                ("Content-Disposition", http.content_disposition(filename)),
                ("X-Content-Type-Options", "nosniff"),
                *PRIVATE_HEADERS,
            ],
        )
