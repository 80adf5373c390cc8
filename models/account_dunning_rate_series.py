from datetime import date, timedelta

from odoo import api, fields, models

from . import penalty_rules


def half_year_end(day):
    """30 June or 31 December of the half-year containing ``day``."""
    return date(day.year, 6, 30) if day.month <= 6 else date(day.year, 12, 31)


class AccountDunningRateSeries(models.Model):
    """A series of dated reference rates, and until when it is known.

    A half-year's rate is read on 1 January or 1 July; it is known when that day is
    on or before ``known_until``. Days of a half-year not yet known are computed with
    the last known rate and marked provisional, never forward-filled silently.
    """

    _name = "account.dunning.rate.series"
    _description = "Dunning Reference Rate Series"
    _order = "code"
    _rec_name = "name"

    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True)
    periodicity = fields.Selection(
        [
            ("change", "Dated changes"),
            ("half_year", "One rate per half-year"),
        ],
        required=True,
        default="change",
        help="Dated changes: each rate is in force from its date until the next "
        "(the ECB rate); known up to the last refresh. One rate per half-year: "
        "published before the half-year starts (the French legal rate); entering "
        "a half-year's rate makes that half-year known.",
    )
    known_until = fields.Date(
        help="The last day whose rate in force is known. A half-year whose first "
        "day is after it has no published rate yet: its interest is provisional.",
    )
    refresh_date = fields.Datetime(
        string="Last Refresh", readonly=True, help="The last automatic refresh tried."
    )
    refresh_error = fields.Char(
        string="Refresh Error",
        readonly=True,
        help="Why the last automatic refresh failed (empty when it succeeded).",
    )

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "A rate series has one record per code."),
    ]

    @api.model
    def _known_until(self, codes):
        """{code: the last known day, or None for a series without a record}."""
        # sudo: whether a published rate is known, read to compute what is due.
        records = self.sudo().search_fetch(
            [("code", "in", list(codes))], ["code", "known_until"]
        )
        known = {record.code: record.known_until or None for record in records}
        return {code: known.get(code) for code in codes}

    @api.model
    def _extend_known(self, code, rate_dates):
        """Entering a half-year series' rate makes its half-year known."""
        series = self.sudo().search([("code", "=", code)], limit=1)
        if series.periodicity != "half_year" or not rate_dates:
            return
        until = half_year_end(max(rate_dates))
        if not series.known_until or series.known_until < until:
            series.known_until = until

    @staticmethod
    def _half_year_known(known_until, day):
        """Whether the rate of the half-year of ``day`` is published."""
        return known_until is None or (
            bool(known_until) and penalty_rules.half_year_start(day) <= known_until
        )

    @staticmethod
    def _half_year_label(day):
        start = penalty_rules.half_year_start(day)
        return f"{start.year} H{1 if start.month == 1 else 2}"

    @staticmethod
    def _next_half_year(day):
        return half_year_end(day) + timedelta(days=1)
