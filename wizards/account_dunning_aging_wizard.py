# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import csv
import io

from odoo import api, fields, models
from odoo.tools.misc import xlsxwriter

from ..models import aging_rules

CHOICES_ALL_YES_NO = [("yes", "Yes"), ("no", "No")]
# The yes / no filters (empty: any), as get_aging's boolean filters.
YES_NO_FILTERS = ("blocked", "excluded", "disputed", "promised", "in_plan", "doubtful")


class AccountDunningAgingWizard(models.TransientModel):
    """Options of the aged balance: open it in the views, print or export it."""

    _name = "account.dunning.aging.wizard"
    _description = "Aged Receivable Balance Options"

    date = fields.Date(string="As Of", required=True, default=fields.Date.context_today)
    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        required=True,
        default=lambda self: self.env.companies,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    buckets = fields.Char(
        string="Ranges",
        required=True,
        default="30,60,90,120",
        help="Last day of each range of days past due, separated by commas: "
        "30,60,90,120 gives 1-30, 31-60, 61-90, 91-120 and over 120.",
    )
    group_by = fields.Selection(
        [
            ("partner", "Customer"),
            ("user", "Salesperson"),
            ("category", "Customer Tag"),
            ("country", "Country"),
        ],
        required=True,
        default="partner",
    )
    by_currency = fields.Boolean(
        string="Show Invoice Currencies",
        help="Also show the amounts in each invoice currency.",
    )
    partner_ids = fields.Many2many("res.partner", string="Customers")
    category_ids = fields.Many2many("res.partner.category", string="Customer Tags")
    user_ids = fields.Many2many("res.users", string="Salespeople")
    level_ids = fields.Many2many("account.dunning.level", string="Dunning Levels")
    blocked = fields.Selection(CHOICES_ALL_YES_NO, string="Blocked Customers")
    excluded = fields.Selection(CHOICES_ALL_YES_NO, string="Excluded Invoices")
    disputed = fields.Selection(
        CHOICES_ALL_YES_NO,
        string="Disputed Invoices",
        help="Invoices under an open dispute, in full or in part.",
    )
    promised = fields.Selection(
        CHOICES_ALL_YES_NO,
        string="Promised Invoices",
        help="Invoices under an open promise to pay.",
    )
    in_plan = fields.Selection(
        CHOICES_ALL_YES_NO,
        string="Invoices in a Plan",
        help="Invoices and penalty invoices of an active payment plan.",
    )
    doubtful = fields.Selection(
        CHOICES_ALL_YES_NO,
        string="Doubtful Receivables",
        help="Yes: only the doubtful receivables (account 416); No: without them.",
    )
    lang = fields.Selection(
        selection="_selection_lang",
        string="Language",
        default=lambda self: self.env.lang,
        help="Language of the printed report.",
    )
    export_file = fields.Binary(readonly=True, attachment=False)
    export_filename = fields.Char(readonly=True)

    @api.model
    def _selection_lang(self):
        return self.env["res.lang"].get_installed()

    @api.constrains("buckets")
    def _check_buckets(self):
        for wizard in self:
            self.env["account.dunning.aging"]._aging_limits(wizard.buckets)

    # -------------------------------------------------------------- helpers
    def _aging_filters(self):
        self.ensure_one()
        filters = {
            "partner_ids": self.partner_ids.ids,
            "category_ids": self.category_ids.ids,
            "user_ids": self.user_ids.ids,
            "level_ids": self.level_ids.ids,
        }
        filters = {key: ids for key, ids in filters.items() if ids}
        for name in YES_NO_FILTERS:
            if self[name]:
                filters[name] = self[name] == "yes"
        return filters

    def _aging_filter_labels(self):
        """The filters chosen, as (label, value) texts for the PDF and the XLSX."""
        self.ensure_one()
        if self.lang and self.lang != self.env.lang:
            return self.with_context(lang=self.lang)._aging_filter_labels()
        labels = []
        for name in ("partner_ids", "category_ids", "user_ids", "level_ids"):
            if self[name]:
                labels.append(
                    (
                        self._fields[name].get_description(self.env)["string"],
                        ", ".join(self[name].mapped("display_name")),
                    )
                )
        for name in YES_NO_FILTERS:
            if self[name]:
                field = self._fields[name]
                choices = dict(field._description_selection(self.env))
                labels.append(
                    (field.get_description(self.env)["string"], choices[self[name]])
                )
        return labels

    def _aging_domain(self):
        """The same filters as a domain on the journal items of the aged balance."""
        self.ensure_one()
        domain = [("company_id", "in", self.company_ids.ids)]
        for name, field in (
            ("partner_ids", "partner_id"),
            ("user_ids", "user_id"),
            ("level_ids", "level_id"),
        ):
            if self[name]:
                domain.append((field, "in", self[name].ids))
        if self.category_ids:
            domain.append(("partner_id.category_id", "in", self.category_ids.ids))
        for name in ("blocked", "excluded", "doubtful"):
            if self[name]:
                domain.append((name, "=", self[name] == "yes"))
        held = {
            "disputed": [("dunning_disputed", "=", True)],
            "promised": [("dunning_promise_ids", "any", [("state", "=", "open")])],
            # the engine holds the invoices and penalty invoices of an active plan
            # as 'plan' (a plan wins over the other holds): get_aging's in_plan
            "in_plan": [("dunning_hold", "=", "plan")],
        }
        for name, move_domain in held.items():
            if self[name]:
                operator = "any" if self[name] == "yes" else "not any"
                domain.append(("move_id", operator, move_domain))
        return domain

    def _aging_report_data(self):
        """Everything the PDF and the exports show, from one get_aging call."""
        self.ensure_one()
        if self.lang and self.lang != self.env.lang:
            return self.with_context(lang=self.lang)._aging_report_data()
        aging = self.env["account.dunning.aging"]
        rows = aging.get_aging(
            self.date,
            self.company_ids.ids,
            group_by=self.group_by,
            buckets=self.buckets,
            filters=self._aging_filters(),
            by_currency=self.by_currency,
        )
        limits = aging._aging_limits(self.buckets)
        totals = []
        for currency_id in sorted({row["currency_id"] for row in rows}):
            currency = self.env["res.currency"].browse(currency_id)
            total = aging_rules.sum_rows(
                [row for row in rows if row["currency_id"] == currency_id],
                len(limits) + 2,
            )
            totals.append(
                {"currency": currency, **aging._aging_rounded(total, currency)}
            )
        return {
            # the doubtful column when there is something to show in it
            "show_doubtful": self.doubtful == "yes"
            or any(row.get("doubtful") for row in rows),
            "labels": aging._aging_bucket_labels(limits),
            "rows": rows,
            "totals": totals,
            "currencies": {
                currency.id: currency
                for currency in self.env["res.currency"].browse(
                    {row["currency_id"] for row in rows}
                    | {
                        sub["currency_id"]
                        for row in rows
                        for sub in row.get("currencies", [])
                    }
                )
            },
            "group_label": dict(
                self._fields["group_by"]._description_selection(self.env)
            )[self.group_by],
        }

    def _aging_table(self):
        """Header and rows of the exports: plain values, no formulas."""
        data = self._aging_report_data()
        doubtful = data["show_doubtful"]

        def extra(values):
            return [values.get("doubtful", 0.0)] if doubtful else []

        header = [
            data["group_label"],
            self.env._("Currency"),
            *data["labels"],
            self.env._("Unapplied"),
            *([self.env._("Doubtful")] if doubtful else []),
            self.env._("Total"),
        ]
        lines = []
        for row in data["rows"]:
            currency = data["currencies"][row["currency_id"]]
            lines.append(
                [
                    row["name"],
                    currency.name,
                    *row["buckets"],
                    row["unapplied"],
                    *extra(row),
                    row["total"],
                ]
            )
            for sub in row.get("currencies", []):
                lines.append(
                    [
                        "  " + row["name"],
                        sub["currency"],
                        *sub["buckets"],
                        sub["unapplied"],
                        *extra(sub),
                        sub["total"],
                    ]
                )
        for total in data["totals"]:
            lines.append(
                [
                    self.env._("Total"),
                    total["currency"].name,
                    *total["buckets"],
                    total["unapplied"],
                    *extra(total),
                    total["total"],
                ]
            )
        return header, lines

    def _aging_file_stem(self):
        return "aged_balance_%s" % fields.Date.to_string(self.date)

    def _download(self, content, extension):
        self.write(
            {
                "export_file": base64.b64encode(content),
                "export_filename": "%s.%s" % (self._aging_file_stem(), extension),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": "/web/content/?model=%s&id=%s&field=export_file"
            "&filename_field=export_filename&download=true" % (self._name, self.id),
        }

    # -------------------------------------------------------------- actions
    def action_open_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_dunning.account_dunning_aging_line_action"
        )
        action["name"] = self.env._(
            "Aged Balance as of %(date)s",
            date=fields.Date.to_string(self.date),
        )
        action["domain"] = self._aging_domain()
        action["context"] = {
            "aging_date": fields.Date.to_string(self.date),
            "aging_buckets": self.buckets,
            "allowed_company_ids": self.company_ids.ids,
            "group_by": [
                {
                    "user": "user_id",
                    "category": "category_id",
                    "country": "country_id",
                }.get(self.group_by, "partner_id")
            ],
        }
        return action

    def action_print(self):
        self.ensure_one()
        return (
            self.env.ref("account_dunning.action_report_dunning_aging")
            .with_context(lang=self.lang)
            .report_action(self)
        )

    def action_export_xlsx(self):
        self.ensure_one()
        header, lines = self._aging_table()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Aged Balance")[:31])
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        # write_string everywhere text goes: xlsxwriter's write() would store a
        # customer named "=HYPERLINK(...)" as a live formula.
        sheet.write_string(0, 0, self.env._("Aged Receivable Balance"), bold)
        sheet.write_string(1, 0, self.env._("As of"))
        sheet.write_string(1, 1, fields.Date.to_string(self.date))
        sheet.write_string(2, 0, self.env._("Companies"))
        sheet.write_string(2, 1, ", ".join(self.company_ids.mapped("name")))
        filters = self._aging_filter_labels()
        if filters:
            sheet.write_string(3, 0, self.env._("Filters"))
            sheet.write_string(
                3, 1, "; ".join("%s: %s" % (label, value) for label, value in filters)
            )
        for column, title in enumerate(header):
            sheet.write_string(4, column, title, bold)
        for offset, line in enumerate(lines, start=5):
            for column, text in enumerate(line[:2]):
                sheet.write_string(offset, column, text or "")
            for column, value in enumerate(line[2:], start=2):
                sheet.write_number(offset, column, value, money)
        sheet.set_column(0, 0, 40)
        sheet.set_column(2, len(header), 14)
        workbook.close()
        return self._download(output.getvalue(), "xlsx")

    def action_export_csv(self):
        self.ensure_one()
        header, lines = self._aging_table()
        output = io.StringIO()
        writer = csv.writer(output)
        writer.writerow([aging_rules.spreadsheet_text(title) for title in header])
        for line in lines:
            writer.writerow(
                [aging_rules.spreadsheet_text(text) for text in line[:2]]
                + ["%.2f" % value for value in line[2:]]
            )
        return self._download(output.getvalue().encode("utf-8-sig"), "csv")
