from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from . import dunning_access, penalty_rules
from .account_dunning_rate import ECB_SOURCE

# What the refresh writes, and no one else (dunning_access.check_engine_fields).
ENGINE_FIELDS = ("refresh_date", "refresh_error")
# Fixed once the series exists: the rates and the refresh find it by its code.
FIXED_FIELDS = ("code", "periodicity")
# The daily refresh downloads in the first days of a half-year until the rate in
# force on its first day is known, and otherwise once the last success is this old.
REFRESH_WINDOW_DAYS = 7
REFRESH_MAX_AGE_DAYS = 30
REFRESH_ERROR_SIZE = 300


def half_year_end(day):
    """30 June or 31 December of the half-year containing ``day``."""
    return date(day.year, 6, 30) if day.month <= 6 else date(day.year, 12, 31)


def refresh_due(today, known_until, last_success):
    """Whether the daily refresh of a series downloads on ``today``.

    ``known_until``: the last day the series knows (None: nothing known);
    ``last_success``: the day of the last successful refresh (None: never, or the
    last try failed, which is then tried again the next day).
    """
    start = penalty_rules.half_year_start(today)
    if (today - start).days < REFRESH_WINDOW_DAYS and (
        not known_until or known_until < start
    ):
        return True
    return last_success is None or (today - last_success).days >= REFRESH_MAX_AGE_DAYS


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
        string="Last Refresh",
        readonly=True,
        help="When the series was last refreshed from its source (by the daily "
        "cron or by Refresh Now), successfully or not.",
    )
    refresh_error = fields.Char(
        readonly=True,
        help="Why the last automatic refresh failed (empty when it succeeded).",
    )
    rate_ids = fields.Many2many(
        "account.dunning.rate",
        compute="_compute_rates",
        help="The rates of the series (the rates whose source is its code).",
    )
    rate_count = fields.Integer(compute="_compute_rates")
    latest_rate = fields.Float(
        digits=(16, 4), compute="_compute_rates", help="The rate dated last."
    )
    latest_rate_date = fields.Date(compute="_compute_rates")
    stale = fields.Boolean(
        compute="_compute_stale",
        help="The rate of the current half-year is not known yet: its interest is "
        "provisional.",
    )
    stale_warning = fields.Text(compute="_compute_stale")

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "A rate series has one record per code."),
    ]

    @api.depends("code")
    def _compute_rates(self):
        rates = self.env["account.dunning.rate"].search_fetch(
            [("source", "in", [code for code in self.mapped("code") if code])],
            ["source", "date", "rate"],
            order="date desc",
        )
        by_source = rates.grouped("source")
        Rate = self.env["account.dunning.rate"]
        for series in self:
            series_rates = by_source.get(series.code, Rate)
            latest = series_rates[:1]
            series.rate_ids = series_rates
            series.rate_count = len(series_rates)
            series.latest_rate = latest.rate
            series.latest_rate_date = latest.date

    @api.depends("known_until", "refresh_error", "name")
    @api.depends_context("tz", "lang")
    def _compute_stale(self):
        today = fields.Date.context_today(self)
        for series in self:
            series.stale_warning = series._stale_warning(today)
            series.stale = bool(series.stale_warning)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
        if not self.env.su and dunning_access.changed_fields(self, vals, FIXED_FIELDS):
            raise UserError(
                self.env._(
                    "The code and the periodicity of a rate series are set when it "
                    "is created: the rates and the refresh find the series by them."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------- actions

    def action_open_rates(self):
        """The rates of the series, where a manager enters a new one."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_dunning.account_dunning_rate_action"
        )
        action.update(
            {
                "name": self.name,
                "domain": [("source", "=", self.code)],
                "context": {"default_source": self.code},
            }
        )
        return action

    def action_refresh_now(self):
        """Download the ECB rates now, whatever the schedule (managers only)."""
        self.ensure_one()
        if not self.env.user.has_group("account_dunning.group_dunning_manager"):
            raise AccessError(
                self.env._("Only dunning managers can refresh the reference rates.")
            )
        if self.code != ECB_SOURCE:
            raise UserError(
                self.env._(
                    "%(series)s has no automatic refresh: enter its rates by hand.",
                    series=self.name,
                )
            )
        added = self.env["account.dunning.rate"]._ecb_refresh()
        if added is None:
            message = self.env._("A refresh is already running: try again later.")
        elif self.refresh_error:
            message = self.env._(
                "The refresh failed: %(error)s. The rates already known are kept.",
                error=self.refresh_error,
            )
        else:
            message = self.env._("Refreshed: %(count)s new rate(s).", count=added)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.name,
                "message": message,
                "type": "warning" if added is None or self.refresh_error else "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------ business methods

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
    def _series(self, code):
        """The series of ``code`` (empty when it has no record)."""
        return self.search([("code", "=", code)], limit=1)

    @api.model
    def _extend_known(self, code, rate_dates):
        """Entering a half-year series' rate makes its half-year known."""
        series = self.sudo().search([("code", "=", code)], limit=1)
        if series.periodicity != "half_year" or not rate_dates:
            return
        until = half_year_end(max(rate_dates))
        if not series.known_until or series.known_until < until:
            series.known_until = until

    @api.model
    def _stale_warnings(self, on_date):
        """The readable warnings of the series whose half-year of ``on_date`` is
        not known yet (its interest is provisional), in the order of the codes."""
        return [
            warning
            for warning in (
                series._stale_warning(on_date) for series in self.search([])
            )
            if warning
        ]

    def _stale_warning(self, on_date):
        """The warning of this series on ``on_date``, or "" when it is known.

        A series without ``known_until`` is not tracked (as for the penalties).
        """
        self.ensure_one()
        if not self.known_until or self._half_year_known(self.known_until, on_date):
            return ""
        values = {
            "series": self.name,
            "half_year": self._half_year_label(on_date),
            "known_until": format_date(self.env, self.known_until),
        }
        if self.code != ECB_SOURCE:
            return self.env._(
                "The %(series)s for %(half_year)s is not yet entered (known until "
                "%(known_until)s): interest for later days is provisional.",
                **values,
            )
        warning = self.env._(
            "The %(series)s for %(half_year)s is not yet refreshed (known until "
            "%(known_until)s): interest for later days is provisional.",
            **values,
        )
        if self.refresh_error:
            warning += " " + self.env._(
                "The last refresh failed: %(error)s.", error=self.refresh_error
            )
        return warning

    def _refresh_due(self, today):
        """Whether the daily refresh of this series downloads on ``today``."""
        if not self:
            return True
        self.ensure_one()
        last_success = None
        if self.refresh_date and not self.refresh_error:
            last_success = fields.Datetime.context_timestamp(
                self, self.refresh_date
            ).date()
        return refresh_due(today, self.known_until or None, last_success)

    def _refresh_lock(self):
        """Lock the series for a refresh; False when another refresh holds it."""
        if not self:
            return True
        self.ensure_one()
        return bool(
            self.env.execute_query(
                SQL(
                    "SELECT id FROM account_dunning_rate_series WHERE id = %s "
                    "FOR UPDATE SKIP LOCKED",
                    self.id,
                )
            )
        )

    def _record_refresh(self, error=None):
        """Record the outcome of a refresh: a success knows every change in force
        up to today (a day known already stays known); a failure keeps what is
        known and says why."""
        if error:
            error = " ".join(error.split())
            if len(error) > REFRESH_ERROR_SIZE:
                error = error[: REFRESH_ERROR_SIZE - 1] + "…"
        today = fields.Date.context_today(self)
        for series in self:
            values = {
                "refresh_date": fields.Datetime.now(),
                "refresh_error": error or False,
            }
            if not error and (not series.known_until or series.known_until < today):
                values["known_until"] = today
            # sudo: the refresh's outcome is written by the refresh alone (engine
            # fields); its callers are the cron and a manager's checked action.
            series.sudo().write(values)

    @staticmethod
    def _half_year_known(known_until, day):
        """Whether the rate of the half-year of ``day`` is published."""
        return known_until is None or (
            bool(known_until) and penalty_rules.half_year_start(day) <= known_until
        )

    @api.model
    def _half_year_label(self, day):
        """ "2026 H2", in the reader's language ("2026 S2" in French)."""
        start = penalty_rules.half_year_start(day)
        return self.env._(
            "%(year)s H%(half)s", year=start.year, half=1 if start.month == 1 else 2
        )

    @staticmethod
    def _next_half_year(day):
        return half_year_end(day) + timedelta(days=1)
