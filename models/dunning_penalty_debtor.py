"""The penalty engine's facts about the debtor: its terms, notice and insolvency.

Each invoice gets the terms the law gives its debtor (debtor_rules): a business the
policy's, a public body the ECB rate + 8 points for the whole delay, a consumer no
indemnity nor fees and legal interest from the formal notice only. Insolvency
proceedings stop the interest at the opening judgment (L622-28 C. com.).
"""

from odoo import api, models

from . import debtor_rules

# Income accounts of the French chart (PCG): 763100 "Revenus des créances
# commerciales" for the interest, 758100 "Indemnités et pénalités sur ventes" for the
# indemnity and the fees; never turnover (70x).
FR_INCOME_CODES = {"interest": "763100", "indemnity": "758100", "fee": "758100"}


class AccountDunningPenaltyEngine(models.AbstractModel):
    _inherit = "account.dunning.penalty.engine"

    @api.model
    def _terms(self, moves, policies):
        """{move: Terms} of each invoice's debtor under its policy."""
        types = self.env["res.partner"]._dunning_debtor_types(
            moves.commercial_partner_id
        )
        cache, result = {}, {}
        for move in moves:
            policy = policies.get(move)
            if not policy:
                continue
            debtor = types.get(move.commercial_partner_id.id) or debtor_rules.BUSINESS
            if (policy, debtor) not in cache:
                cache[policy, debtor] = policy._penalty_terms(debtor)
            result[move] = cache[policy, debtor]
        return result

    @api.model
    def _known(self, terms):
        """{series: known_until} of the series these terms read."""
        sources = {t.reference for t in terms if t.reference} | {
            t.floor for t in terms if t.floor
        }
        # sudo: published reference rates, read to compute what is due.
        return self.env["account.dunning.rate"].sudo()._known_until(sources)

    @api.model
    def _notice_dates(self, moves):
        """{item id: the date of the first formal notice sent that listed it once it
        was due}, as the trace records it.

        A consumer's legal interest runs from that date (C. civ. 1231-6, 1344-1). A
        notice sent before an instalment fell due does not put it on notice. Older
        traces without items count for every instalment of their invoices.
        """
        if not moves:
            return {}
        # sudo: the trace of the notices these invoices received.
        actions = (
            self.env["account.dunning.action"]
            .sudo()
            .search_fetch(
                [
                    ("move_ids", "in", moves.ids),
                    ("state", "=", "sent"),
                    ("level_id.level_type", "=", "formal_notice"),
                ],
                ["date", "move_ids", "move_line_ids"],
                order="date, id",
            )
        )
        result = {}
        for action in actions:
            listed = action.move_line_ids or action.move_ids.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            )
            for item in listed:
                if (item.date_maturity or item.date) <= action.date:
                    result.setdefault(item.id, action.date)
        return result

    @api.model
    def _insolvency_dates(self, moves):
        """{move: the opening judgment's date}, for invoices issued before it.

        Claims arising after the opening are paid at their due dates (L622-17 C.
        com.) and bear their penalties in full.
        """
        # sudo: whether the debtor is in proceedings, to stop the interest.
        entities = moves.sudo().commercial_partner_id
        dates = {entity.id: entity.dunning_insolvency_date for entity in entities}
        result = {}
        for move in moves:
            opened = dates.get(move.commercial_partner_id.id)
            if opened and (move.invoice_date or move.date) < opened:
                result[move] = opened
        return result

    @api.model
    def _indemnity_due(self, terms, instalments, opened_on):
        """The indemnity of one late invoice, in the policy's indemnity currency.

        None when proceedings forbid paying it at its due dates (L441-10 II): every
        late instalment fell due on or after the opening judgment.
        """
        if not terms or not terms.indemnity:
            return 0.0
        if opened_on and all(instalment.due >= opened_on for instalment in instalments):
            return 0.0
        return terms.indemnity

    @api.model
    def _income_account(self, company, policy, kind):
        """The income account of a penalty line: the policy's, else the French
        chart's 763100 / 758100, else an "other income" account: never turnover."""
        account = policy[f"penalty_{kind}_account_id"]
        if account:
            return account
        Account = self.env["account.account"].with_company(company)
        domain = Account._check_company_domain(company)
        code = FR_INCOME_CODES[kind]
        if company._dunning_legal_regime() == debtor_rules.FRANCE:
            account = Account.search(domain + [("code", "=", code)], limit=1)
        return account or Account.search(
            domain + [("account_type", "=", "income_other")], limit=1
        )
