"""The late-payment mentions of a customer invoice (L441-9 C. com.), computed once for
the printed invoice and the e-invoice notes.

A company in France prints the French wording and articles; elsewhere in the EU the
mentions are neutral (directive 2011/7/EU); outside the EU there are none unless the
policy claims interest or an indemnity. A consumer's invoice carries no B2B mention.
"""

from collections import namedtuple
from datetime import timedelta

from odoo import _, api, models
from odoo.tools import format_amount, format_date
from odoo.tools.misc import formatLang

from . import debtor_rules

# key: what the mention states (due_date, penalties, indemnity, discount); code: its
# subject code in an e-invoice note (BT-21, UNTDID 4451), empty when the structured
# invoice carries the fact in a field of its own (the due date is BT-9).
Mention = namedtuple("Mention", "key code text")

PENALTIES_CODE = "PMD"
INDEMNITY_CODE = "PMT"
DISCOUNT_CODE = "AAB"


class AccountMove(models.Model):
    _inherit = "account.move"

    def _dunning_legal_mentions(self):
        """The invoice's late-payment mentions, in print order: a list of Mention."""
        self.ensure_one()
        if self.move_type != "out_invoice":
            return []
        # sudo: the terms printed on an invoice are read for whoever may read the
        # invoice (a portal customer, a user without dunning rights).
        move = self.sudo()
        policy = move._dunning_policy()
        if not policy:
            return []
        regime = move.company_id._dunning_legal_regime()
        if (
            regime == debtor_rules.OTHER
            and policy.interest_mode == "none"
            and not policy.indemnity_amount
        ):
            return []
        debtor = move.commercial_partner_id.dunning_debtor_type or debtor_rules.BUSINESS
        mentions = []
        if move.invoice_date_due:
            mentions.append(
                Mention(
                    "due_date",
                    "",
                    _(
                        "Payment due date: %s",
                        format_date(self.env, move.invoice_date_due),
                    ),
                )
            )
        if debtor != debtor_rules.CONSUMER:
            terms = move._dunning_mention_terms(policy, regime, debtor)
            if terms.mode != "none":
                mentions.append(
                    Mention(
                        "penalties",
                        PENALTIES_CODE,
                        move._dunning_penalty_mention(policy, terms, regime, debtor),
                    )
                )
            is_penalty_invoice = move.id in self.env[
                "account.dunning.penalty.engine"
            ]._penalty_invoice_ids(move)
            amount, currency = move._dunning_mention_indemnity(policy, terms, regime)
            if amount and not is_penalty_invoice:
                mentions.append(
                    Mention(
                        "indemnity",
                        INDEMNITY_CODE,
                        move._dunning_indemnity_mention(
                            format_amount(self.env, amount, currency), regime, debtor
                        ),
                    )
                )
        mentions.append(
            Mention("discount", DISCOUNT_CODE, self._dunning_discount_mention())
        )
        return mentions

    def _dunning_edi_notes(self):
        """[(subject code, text)] of the mentions an e-invoice carries as notes."""
        self.ensure_one()
        return [
            (mention.code, mention.text)
            for mention in self._dunning_legal_mentions()
            if mention.code
        ]

    # ------------------------------------------------------------------ facts

    def _dunning_mention_day(self):
        """The first day of penalties: the day after the due date."""
        due = self.invoice_date_due or self.invoice_date
        return due + timedelta(days=1) if due else None

    @api.model
    def _dunning_mention_terms(self, policy, regime, debtor):
        """The terms the mention states. A French invoice states a rate even when the
        policy claims none, the mention being mandatory: 3 x the legal rate for a
        business, the public procurement rate for a public body."""
        terms = policy._penalty_terms(debtor)
        if terms.mode != "none" or regime != debtor_rules.FRANCE:
            return terms
        if debtor == debtor_rules.PUBLIC_BODY:
            # The law's terms for public bodies, with interest claimed.
            return terms._replace(mode="reference")
        return terms._replace(
            mode="fixed",
            fixed_rate=0.0,
            floor_multiple=debtor_rules.FR_FLOOR_MULTIPLE,
            floor=debtor_rules.FR_LEGAL_SERIES,
        )

    @api.model
    def _dunning_mention_indemnity(self, policy, terms, regime):
        """(amount, currency) of the indemnity the mention states: the policy's, or
        in France the law's 40 EUR, which the mention states even when the policy
        claims none (L441-9); (0.0, None) for none."""
        if terms.indemnity:
            return terms.indemnity, policy.indemnity_currency_id
        if regime == debtor_rules.FRANCE:
            return debtor_rules.LEGAL_INDEMNITY, self.env.ref("base.EUR")
        return 0.0, None

    def _dunning_mention_rate(self, policy, terms):
        """(rate on the day after the due date or None, whether it is provisional)."""
        day = self._dunning_mention_day()
        if not day:
            return None, False
        rates = self._dunning_rates()
        rate = policy._terms_rate_function(terms, rates)(day)
        known = self.env["account.dunning.rate.series"]._known_until(
            [source for source in (terms.reference, terms.floor) if source]
        )
        provisional = policy._terms_provisional_function(terms, known)(day)
        return rate, provisional

    # ------------------------------------------------------------------ texts

    def _dunning_number(self, value, digits=2):
        return formatLang(self.env, value, digits=digits)

    @api.model
    def _dunning_law_articles(self, regime, debtor, interest=True, indemnity=True):
        """The articles a French text cites for what it states ('' elsewhere)."""
        if regime != debtor_rules.FRANCE:
            return ""
        if debtor == debtor_rules.CONSUMER:
            return _("article 1231-6 of the French Civil Code") if interest else ""
        if debtor == debtor_rules.PUBLIC_BODY:
            if interest and indemnity:
                return _(
                    "articles L2192-13, R2192-31 and D2192-35 of the French Public "
                    "Procurement Code"
                )
            if interest:
                return _(
                    "articles L2192-13 and R2192-31 of the French Public Procurement "
                    "Code"
                )
            return _(
                "articles L2192-13 and D2192-35 of the French Public Procurement Code"
            )
        if indemnity:
            return _("articles L441-10 and D441-5 of the French Commercial Code")
        return _("article L441-10 of the French Commercial Code")

    def _dunning_penalty_mention(self, policy, terms, regime, debtor):
        number = self._dunning_number
        legal_minimum = terms.mode == "fixed" and not terms.fixed_rate
        if legal_minimum:
            what = _("three times the legal interest rate")
        elif terms.mode == "fixed":
            what = _("%s%% per year", number(terms.fixed_rate))
        elif terms.reference == debtor_rules.ECB_SERIES:
            what = _(
                "the European Central Bank's main refinancing rate plus %s points",
                number(terms.margin),
            )
        else:
            what = _("the reference rate plus %s points", number(terms.margin))
        floor = (
            regime == debtor_rules.FRANCE and terms.floor_multiple and not legal_minimum
        )
        if floor:
            what = _(
                "%(terms)s, never less than %(multiple)s times the legal interest rate",
                terms=what,
                multiple=number(
                    terms.floor_multiple, 0 if terms.floor_multiple.is_integer() else 2
                ),
            )
        rate, provisional = self._dunning_mention_rate(policy, terms)
        if rate is not None and (terms.mode != "fixed" or floor or legal_minimum):
            if provisional:
                rate_text = _(
                    "provisionally %s%% per year: the rate of the day after the due "
                    "date is not published yet",
                    number(rate),
                )
            else:
                rate_text = _(
                    "%s%% per year on the day after the due date", number(rate)
                )
            what = f"{what} ({rate_text})"
        articles = self._dunning_law_articles(regime, debtor, indemnity=False)
        if articles:
            return _(
                "Late payment penalties: %(terms)s, due from the day after the due "
                "date without a reminder being needed (%(articles)s).",
                terms=what,
                articles=articles,
            )
        return _(
            "Late payment penalties: %s, due from the day after the due date without "
            "a reminder being needed.",
            what,
        )

    def _dunning_indemnity_mention(self, amount_text, regime, debtor):
        articles = self._dunning_law_articles(regime, debtor, interest=False)
        if articles:
            return _(
                "A fixed indemnity of %(amount)s for recovery costs is due for any "
                "payment after the due date (%(articles)s).",
                amount=amount_text,
                articles=articles,
            )
        return _(
            "A fixed indemnity of %s for recovery costs is due for any payment after "
            "the due date.",
            amount_text,
        )

    def _dunning_discount_mention(self):
        term = self.invoice_payment_term_id
        if not term.early_discount:
            return _("No discount for early payment.")
        percentage = self._dunning_number(term.discount_percentage)
        if self.invoice_date:
            return _(
                "Early payment discount: %(percentage)s%% if paid by %(date)s.",
                percentage=percentage,
                date=format_date(
                    self.env, term._get_last_discount_date(self.invoice_date)
                ),
            )
        return _(
            "Early payment discount: %(percentage)s%% if paid within %(days)s days.",
            percentage=percentage,
            days=term.discount_days,
        )
