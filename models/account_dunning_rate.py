from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AccountDunningRate(models.Model):
    """A dated reference rate (ECB MRO, French legal rate, or any other series)."""

    _name = "account.dunning.rate"
    _description = "Dunning Reference Rate"
    _order = "source, date desc"
    _rec_name = "date"

    source = fields.Char(
        required=True,
        index=True,
        default="ecb_mro",
        help="Code of the rate series: ecb_mro (ECB main refinancing operations), "
        "fr_legal (French legal interest rate, professional creditors), or any other.",
    )
    date = fields.Date(required=True, help="Date from which the rate is in force.")
    rate = fields.Float(required=True, digits=(16, 4), help="Annual rate, in percent.")

    _sql_constraints = [
        ("source_date_unique", "UNIQUE(source, date)", "A series has one rate per date."),
    ]

    @api.constrains("rate")
    def _check_rate(self):
        for record in self:
            if record.rate < 0:
                raise ValidationError(_("A reference rate cannot be negative."))

    @api.model
    def _rates_by_source(self, sources):
        """{source: [(date, rate), ...] sorted by date}: what the computations read."""
        result = {source: [] for source in sources}
        for record in self.search_fetch([("source", "in", list(sources))], ["source", "date", "rate"], order="date"):
            result[record.source].append((record.date, record.rate))
        return result
