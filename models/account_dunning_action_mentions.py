"""What the reminders and letters say of the penalties, worded for the debtor and the
law of the company's country: a consumer never reads of the recovery indemnity nor of
B2B articles; the French articles are cited by companies in France only."""

from odoo import _, api, fields, models
from odoo.tools import format_amount

from . import debtor_rules


class AccountDunningAction(models.Model):
    _inherit = "account.dunning.action"

    penalty_warning_text = fields.Char(
        compute="_compute_penalty_texts",
        help="The sentence of a last reminder on the penalties that may be applied.",
    )
    penalty_claim_text = fields.Char(
        compute="_compute_penalty_texts",
        help="The sentence of a formal notice on the penalties that will be claimed.",
    )

    @api.depends_context("lang")
    @api.depends("partner_id", "company_id", "level_id")
    def _compute_penalty_texts(self):
        for action in self:
            texts = action._penalty_texts()
            action.penalty_warning_text = texts["warning"]
            action.penalty_claim_text = texts["claim"]

    @api.model
    def mail_allowed_qweb_expressions(self):
        return super().mail_allowed_qweb_expressions() + (
            "object.penalty_warning_text",
            "object.penalty_claim_text",
        )

    def _penalty_terms(self):
        """(regime, debtor type, Terms, indemnity currency) of the reminded customer,
        or None without a policy."""
        self.ensure_one()
        # sudo: the debtor's type and the policy's terms, read to word the reminder.
        action = self.sudo()
        partner = action.partner_id.commercial_partner_id
        policy = action.level_id.policy_id or partner._dunning_policy(action.company_id)
        if not policy:
            return None
        debtor = partner.dunning_debtor_type or debtor_rules.BUSINESS
        return (
            action.company_id._dunning_legal_regime(),
            debtor,
            policy._penalty_terms(debtor),
            policy.indemnity_currency_id,
        )

    def _penalty_texts(self):
        """{'warning', 'claim', 'note': the sentences ('' when nothing is due),
        'interest', 'indemnity': whether they are due from the customer}."""
        self.ensure_one()
        texts = {"warning": "", "claim": "", "note": "", "interest": False}
        found = self._penalty_terms()
        if not found:
            return dict(texts, indemnity=False)
        regime, debtor, terms, currency = found
        interest, indemnity = terms.mode != "none", bool(terms.indemnity)
        texts.update(interest=interest, indemnity=indemnity)
        if not (interest or indemnity):
            return texts
        consumer = debtor == debtor_rules.CONSUMER
        amount = format_amount(self.env, terms.indemnity, currency)
        articles = self.env["account.move"]._dunning_law_articles(
            regime, debtor, interest, indemnity
        )
        if consumer:
            what = (
                _("late-payment interest at the legal rate from the formal notice")
                if regime == debtor_rules.FRANCE
                else _("late-payment interest from the formal notice")
            )
            texts["warning"] = _("We may claim %s.", what)
        else:
            if interest and indemnity:
                what = _(
                    "late-payment penalties and the fixed compensation for recovery "
                    "costs of %s per invoice",
                    amount,
                )
            elif interest:
                what = _("late-payment penalties")
            else:
                what = _(
                    "the fixed compensation for recovery costs of %s per invoice",
                    amount,
                )
            texts["warning"] = _(
                "Our terms of sale provide for %s, which may be applied.", what
            )
        texts["claim"] = (
            _(
                "We will then claim %(what)s (%(articles)s).",
                what=what,
                articles=articles,
            )
            if articles
            else _("We will then claim %s.", what)
        )
        texts["note"] = " ".join(
            self._penalty_note_sentences(regime, debtor, terms, amount)
        )
        return texts

    def _penalty_note_sentences(self, regime, debtor, terms, amount):
        """The note under a table of invoices that shows the penalties."""
        Move = self.env["account.move"]
        sentences = []
        if terms.mode != "none":
            articles = Move._dunning_law_articles(regime, debtor, indemnity=False)
            if debtor == debtor_rules.CONSUMER and articles:
                sentences.append(
                    _(
                        "Late-payment interest at the legal rate runs from the date "
                        "of the formal notice (%s).",
                        articles,
                    )
                )
            elif debtor == debtor_rules.CONSUMER:
                sentences.append(
                    _("Late-payment interest runs from the date of the formal notice.")
                )
            elif articles:
                sentences.append(
                    _(
                        "Late-payment penalties run from the day after each due date "
                        "without any reminder being needed (%s).",
                        articles,
                    )
                )
            else:
                sentences.append(
                    _(
                        "Late-payment penalties run from the day after each due date "
                        "without any reminder being needed."
                    )
                )
        if terms.indemnity:
            articles = Move._dunning_law_articles(regime, debtor, interest=False)
            sentences.append(
                _(
                    "A fixed indemnity of %(amount)s for recovery costs is due for "
                    "each invoice paid late (%(articles)s).",
                    amount=amount,
                    articles=articles,
                )
                if articles
                else _(
                    "A fixed indemnity of %s for recovery costs is due for each "
                    "invoice paid late.",
                    amount,
                )
            )
        if sentences:
            sentences.append(
                _("They are shown as accrued on the date of this reminder.")
            )
        return sentences
