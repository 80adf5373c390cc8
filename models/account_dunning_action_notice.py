# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a formal notice letter states, in the reader's language.

A formal notice (mise en demeure, art. 1344 C. civ.) names the creditor and the
debtor, each invoice claimed with its amount due, the late-payment interest accrued
to the letter's date and the fixed indemnity for recovery costs (L441-10 and D441-5
C. com.; a consumer owes no indemnity and its legal interest runs from the notice,
C. civ. 1231-6 and 1344-1), the days left to pay and what follows if they pass. The
letter's template prints these values only: every text is translated here.
"""

from collections import defaultdict

from odoo import models

from . import debtor_rules


class AccountDunningAction(models.Model):
    _inherit = "account.dunning.action"

    def _formal_notice_values(self):
        """The letter of a formal notice, as plain values for its template (texts in
        the language of the environment)."""
        self.ensure_one()
        _ = self.env._
        # sudo: the letter of a trace line the reader may print: its company, its
        # customer's identity and invoices, and the policy's terms.
        action = self.sudo()
        company = action.company_id
        debtor = action.partner_id.commercial_partner_id
        shared = action._report_shared()
        amount = shared["amount"]
        date_format = shared["date_format"]
        found = action._penalty_terms()
        regime, debtor_type = (found[0], found[1]) if found else (None, None)
        consumer = debtor_type == debtor_rules.CONSUMER
        items = action._report_items()
        interest_by_item, indemnity_by_move, provisional = action._penalties_by_item(
            items
        )
        disputed_by_item = self.env["account.dunning.hold.engine"]._disputed_by_item(
            items
        )
        names = action._instalment_names(items)
        lines = []
        totals = defaultdict(
            lambda: {"principal": 0.0, "interest": 0.0, "indemnity": 0.0}
        )
        indemnity_count = defaultdict(int)
        for item in items:
            move, currency = item.move_id, item.currency_id
            claimed = item.amount_residual_currency - disputed_by_item.get(item.id, 0.0)
            interest = interest_by_item.get(item.id, 0.0)
            indemnity = indemnity_by_move.pop(move.id, 0.0)
            totals[currency]["principal"] += claimed
            totals[currency]["interest"] += interest
            totals[currency]["indemnity"] += indemnity
            if indemnity:
                indemnity_count[currency] += 1
            lines.append(
                {
                    "name": names[item.id],
                    "invoice_date": move.invoice_date.strftime(date_format),
                    "date_due": item.date_maturity.strftime(date_format),
                    "amount_total": amount(item.amount_currency, currency),
                    "amount_residual": amount(claimed, currency),
                    "interest": amount(interest, currency)
                    + (" " + _("(provisional)") if item.id in provisional else ""),
                    "indemnity": amount(indemnity, currency),
                }
            )
        show_interest = any(t["interest"] for t in totals.values()) or (
            found and found[2].mode != "none" and not consumer
        )
        show_indemnity = any(t["indemnity"] for t in totals.values())
        letter_date = action.date.strftime(date_format)
        total_lines = []
        for currency, total in sorted(totals.items(), key=lambda kv: kv[0].name):
            claimed = total["principal"] + total["interest"] + total["indemnity"]
            total_lines.append(
                {
                    "principal": amount(total["principal"], currency),
                    "interest": amount(total["interest"], currency),
                    "indemnity": amount(total["indemnity"], currency),
                    "indemnity_count": indemnity_count[currency],
                    "total": amount(claimed, currency),
                }
            )
        notice_days = action.level_id.notice_days or 8
        france = regime == debtor_rules.FRANCE
        articles = self.env["account.move"]._dunning_law_articles(
            regime, debtor_type, True, True
        )
        if consumer:
            legal_basis = (
                _(
                    "Legal basis: articles 1344, 1344-1 and 1231-6 of the French "
                    "Civil Code."
                )
                if france
                else _("Legal basis: the contract and the law applicable to it.")
            )
            penalty_sentence = _(
                "No indemnity for recovery costs is claimed from you. Late-payment "
                "interest at the legal rate runs on the sums due from the date of this "
                "formal notice."
            )
        else:
            legal_basis = (
                _(
                    "Legal basis: article 1344 of the French Civil Code; %s.",
                    articles,
                )
                if france and articles
                else _("Legal basis: our terms of sale and the law applicable to them.")
            )
            sentences = []
            if show_interest:
                sentences.append(
                    _(
                        "Late-payment penalties have run since the day after each due "
                        "date; they are stated accrued to %(date)s and keep running "
                        "until payment.",
                        date=letter_date,
                    )
                )
            if show_indemnity:
                sentences.append(
                    _(
                        "A fixed indemnity for recovery costs is due for each invoice "
                        "paid late."
                    )
                )
            penalty_sentence = " ".join(sentences)
        bank = company.partner_id.bank_ids[:1]
        labels = {
            "title": _("Formal notice to pay"),
            "registered": _("Registered letter with acknowledgement of receipt"),
            "creditor": _("Creditor"),
            "debtor": _("Debtor"),
            "registry": _("SIREN/SIRET: %s"),
            "vat": _("VAT number: %s"),
            "subject": _("Subject: %s", action.level_id.name or _("Formal notice")),
            "place_date": (
                f"{company.city}, {letter_date}" if company.city else letter_date
            ),
            "salutation": _("Dear Sir or Madam,"),
            "intro": _(
                "Despite our previous reminders, the invoices listed below remain "
                "unpaid. By this letter, we formally give you notice to pay the sums "
                "below."
            ),
            "col_invoice": _("Invoice number"),
            "col_date": _("Invoice date"),
            "col_due": _("Due on"),
            "col_amount": _("Invoice amount"),
            "col_residual": _("Amount still due"),
            "col_interest": _("Interest to %s", letter_date),
            "col_indemnity": _("Recovery costs indemnity"),
            "principal": _("Principal"),
            "interest": _("Late-payment interest accrued to %s", letter_date),
            "indemnity": _("Fixed indemnity for recovery costs"),
            "total": _("Total claimed"),
            "deadline": _(
                "We require payment of the total claimed within %s days of your "
                "receipt of this letter.",
                notice_days,
            ),
            "consequences": _(
                "Failing payment within this period, we will hand the claim over to a "
                "collection agency or a commissaire de justice, or apply to the court "
                "for an order to pay (injonction de payer), without further notice; "
                "the costs of the proceedings will be at your charge."
            ),
            "bank": bank
            and _(
                "Payment by bank transfer to the account %s, quoting the invoice "
                "numbers.",
                bank.acc_number,
            ),
            "closing": _("Yours faithfully, for %s", company.name),
        }
        return {
            "company": company,
            "debtor": debtor,
            "creditor_lines": [
                line
                for line in (
                    company.dunning_legal_form,
                    company.company_registry
                    and labels["registry"] % company.company_registry,
                    "siret" in company._fields
                    and company.siret
                    and company.siret != company.company_registry
                    and labels["registry"] % company.siret,
                    company.vat and labels["vat"] % company.vat,
                )
                if line
            ],
            "debtor_lines": [
                line
                for line in (
                    debtor.company_registry
                    and labels["registry"] % debtor.company_registry,
                    debtor.vat and labels["vat"] % debtor.vat,
                )
                if line
            ],
            "consumer": consumer,
            "lines": lines,
            "totals": total_lines,
            "show_interest": bool(show_interest),
            "show_indemnity": show_indemnity,
            "legal_basis": legal_basis,
            "penalty_sentence": penalty_sentence,
            "notice_days": notice_days,
            "labels": labels,
        }
