"""The statement of account (relevé de compte) of a customer for a period.

Per currency, in the currency of the documents (``amount_currency`` of the receivable
lines, which is the company currency amount for lines in the company currency): the
opening balance, the period's movements with a running balance, the closing balance
and the items still open at the end of the period. Read from the company's receivable
accounts, posted entries of the customer's commercial entity only, in a fixed number of
queries whatever the number of lines.
"""

from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

# The longest period a statement covers.
MAX_YEARS = 5

# What read_period() refuses.
MISSING = "missing"
MALFORMED = "malformed"
REVERSED = "reversed"
TOO_LONG = "too_long"
FUTURE = "future"


def read_period(raw_from, raw_to, today):
    """``(date_from, date_to, error)`` of a period given as ISO strings; ``error`` is
    one of the constants above (the dates are then None), or None."""
    if not raw_from or not raw_to:
        return None, None, MISSING
    try:
        date_from = fields.Date.to_date(raw_from)
        date_to = fields.Date.to_date(raw_to)
    except (TypeError, ValueError):
        return None, None, MALFORMED
    if not isinstance(date_from, date) or not isinstance(date_to, date):
        return None, None, MALFORMED
    if date_from > date_to:
        return None, None, REVERSED
    if date_to > today:
        return None, None, FUTURE
    if date_from < date_to - relativedelta(years=MAX_YEARS):
        return None, None, TOO_LONG
    return date_from, date_to, None


class ReportDunningStatement(models.AbstractModel):
    """The values of ``account_dunning.report_dunning_statement``.

    ``data`` carries the period (``date_from``, ``date_to``: ISO dates; the current
    year to today when absent); the company is the environment's. The reader's access
    rights apply: the customer page calls it in superuser mode once it has established
    the customer (see ``controllers/dunning_portal_statement.py``).
    """

    _name = "report.account_dunning.report_dunning_statement"
    _description = "Dunning: Statement of Account"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        today = fields.Date.context_today(self)
        date_to = fields.Date.to_date(data.get("date_to")) or today
        date_from = fields.Date.to_date(data.get("date_from")) or date_to.replace(
            month=1, day=1
        )
        company = self.env.company
        partners = self.env["res.partner"].browse(docids).commercial_partner_id
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": company,
            "date_from": date_from,
            "date_to": date_to,
            "today": today,
            "statements": self._statements(partners, company, date_from, date_to),
        }

    # ------------------------------------------------------------ the figures

    @api.model
    def _base_domain(self, partners, company):
        """The entries a statement reads: posted, on the company's receivable
        accounts, of the customers' commercial entities."""
        return [
            ("partner_id", "in", partners.commercial_partner_id.ids),
            ("company_id", "=", company.id),
            ("parent_state", "=", "posted"),
            ("account_type", "=", "asset_receivable"),
        ]

    @api.model
    def _statements(self, partners, company, date_from, date_to):
        """{partner id: [section per currency, by currency name]}; a section is
        ``{"currency", "opening", "lines", "debit", "credit", "closing", "items",
        "items_total"}`` (lines and items as built by ``_movements`` and
        ``_open_items``); a currency with nothing to show has no section."""
        domain = self._base_domain(partners, company)
        Line = self.env["account.move.line"]
        opening = {
            (partner.id, currency): amount
            for partner, currency, amount in Line._read_group(
                [*domain, ("date", "<", date_from)],
                ["partner_id", "currency_id"],
                ["amount_currency:sum"],
            )
        }
        lines = Line.search_fetch(
            [*domain, ("date", ">=", date_from), ("date", "<=", date_to)],
            ["date", "move_id", "partner_id", "currency_id", "amount_currency"],
            order="date, move_name, id",
        )
        items = self._open_lines(domain, date_to)
        (lines.move_id | items.move_id).fetch(
            ["name", "ref", "move_type", "origin_payment_id", "statement_line_id"]
        )
        movements = self._movements(lines)
        open_items = self._open_items(items, date_to)
        keys = set(movements) | set(open_items)
        keys |= {key for key, amount in opening.items() if key[1].round(amount)}
        statements = {partner.id: [] for partner in partners}
        for key in sorted(keys, key=lambda key: (key[0], key[1].name)):
            currency = key[1]
            section = self._section(
                currency,
                opening.get(key, 0.0),
                movements.get(key, []),
                open_items.get(key, []),
            )
            statements[key[0]].append(section)
        return statements

    @api.model
    def _section(self, currency, opening, lines, items):
        balance = opening = currency.round(opening)
        for line in lines:
            balance = currency.round(balance + line["debit"] - line["credit"])
            line["balance"] = balance
        debit = currency.round(sum(line["debit"] for line in lines))
        credit = currency.round(sum(line["credit"] for line in lines))
        return {
            "currency": currency,
            "opening": opening,
            "lines": lines,
            "debit": debit,
            "credit": credit,
            # opening + debits - credits: the running balance's last value.
            "closing": currency.round(opening + debit - credit),
            "items": items,
            "items_total": currency.round(sum(item["amount_due"] for item in items)),
        }

    @api.model
    def _kinds(self, partners):
        """{partner id: {kind: its name in the customer's language}}."""
        by_lang = {
            lang: self.with_context(lang=lang)._kind_names()
            for lang in set(partners.mapped("lang"))
        }
        return {partner.id: by_lang[partner.lang] for partner in partners}

    @api.model
    def _kind_names(self):
        return {
            "out_invoice": self.env._("Invoice"),
            "out_receipt": self.env._("Sales receipt"),
            "out_refund": self.env._("Credit note"),
            "payment": self.env._("Payment"),
            "entry": self.env._("Other entry"),
        }

    @api.model
    def _kind(self, move):
        """The key of ``_kind_names()`` that names the entry."""
        if move.origin_payment_id or move.statement_line_id:
            return "payment"
        if move.move_type in ("out_invoice", "out_receipt", "out_refund"):
            return move.move_type
        return "entry"

    @api.model
    def _movements(self, lines):
        """{(partner id, currency): [movement]} in date order: one per entry and
        currency (an invoice in instalments is one line), its debits and credits
        apart; entries of no amount in that currency (exchange differences) left
        out."""
        kinds_of = self._kinds(lines.partner_id)
        grouped = defaultdict(dict)
        for line in lines:
            currency = line.currency_id
            by_move = grouped[(line.partner_id.id, currency)]
            amounts = by_move.setdefault(line.move_id, [line.date, 0.0, 0.0])
            amount = line.amount_currency
            amounts[1 if amount > 0 else 2] += abs(amount)
        result = {}
        for (partner_id, currency), by_move in grouped.items():
            kinds, rows = kinds_of[partner_id], []
            for move, (on_date, debit, credit) in by_move.items():
                debit, credit = currency.round(debit), currency.round(credit)
                if not debit and not credit:
                    continue
                kind = self._kind(move)
                # An invoice's or a payment's reference is the customer's; an
                # other entry's is ours (internal): not shown.
                reference = move.ref if kind != "entry" else ""
                rows.append(
                    {
                        "move_id": move.id,
                        "date": on_date,
                        "number": move.name,
                        "kind": kinds[kind],
                        "reference": reference or "",
                        "debit": debit,
                        "credit": credit,
                        # Filled by _section().
                        "balance": 0.0,
                    }
                )
            if rows:
                result[(partner_id, currency)] = rows
        return result

    @api.model
    def _open_lines(self, domain, date_to):
        """The receivable lines dated up to ``date_to`` not settled on that day:
        unreconciled now, or matched with an entry dated later."""
        return self.env["account.move.line"].search_fetch(
            [
                *domain,
                ("date", "<=", date_to),
                "|",
                "|",
                ("reconciled", "=", False),
                ("matched_debit_ids.max_date", ">", date_to),
                ("matched_credit_ids.max_date", ">", date_to),
            ],
            [
                "date",
                "date_maturity",
                "move_id",
                "partner_id",
                "currency_id",
                "amount_currency",
            ],
            order="date_maturity, move_name, id",
        )

    @api.model
    def _residuals_on(self, items, date_to):
        """{line id: what remained of it on ``date_to``}: its amount less the
        matchings dated up to that day (two grouped queries)."""
        Partial = self.env["account.partial.reconcile"]
        matched = defaultdict(float)
        for line, amount in Partial._read_group(
            [("debit_move_id", "in", items.ids), ("max_date", "<=", date_to)],
            ["debit_move_id"],
            ["debit_amount_currency:sum"],
        ):
            matched[line.id] -= amount
        for line, amount in Partial._read_group(
            [("credit_move_id", "in", items.ids), ("max_date", "<=", date_to)],
            ["credit_move_id"],
            ["credit_amount_currency:sum"],
        ):
            matched[line.id] += amount
        return {item.id: item.amount_currency + matched[item.id] for item in items}

    @api.model
    def _open_items(self, items, date_to):
        """{(partner id, currency): [open item]} on ``date_to``, by due date: an
        invoice's instalments apart, credits (unapplied payments, open credit notes)
        negative."""
        residuals = self._residuals_on(items, date_to)
        names = self.env["account.dunning.action"]._instalment_names(items)
        kinds_of = self._kinds(items.partner_id)
        result = defaultdict(list)
        for item in items:
            currency, kinds = item.currency_id, kinds_of[item.partner_id.id]
            due = currency.round(residuals[item.id])
            if not due:
                continue
            date_due = item.date_maturity or item.date
            result[(item.partner_id.id, currency)].append(
                {
                    "move_id": item.move_id.id,
                    "number": names[item.id],
                    "kind": kinds[self._kind(item.move_id)],
                    "date": item.date,
                    "date_due": date_due,
                    "days_late": max((date_to - date_due).days, 0) if due > 0 else 0,
                    "amount": currency.round(item.amount_currency),
                    "amount_due": due,
                }
            )
        return dict(result)
