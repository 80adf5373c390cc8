from odoo import api, fields, models

from . import debtor_rules


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_policy_id = fields.Many2one(
        "account.dunning.policy",
        string="Default Dunning Policy",
        domain="[('company_id', '=', id)]",
        help="The dunning policy of the customers that have none of their own.",
    )

    def _dunning_legal_regime(self):
        """'fr', 'eu' or 'other': whose late-payment law the company's defaults,
        penalties and mentions follow (see debtor_rules)."""
        self.ensure_one()
        return debtor_rules.legal_regime(
            self.account_fiscal_country_id.code or self.country_id.code
        )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._dunning_ensure_default_policy()
        return companies

    def _dunning_ensure_default_policy(self):
        """Give each company without one the shipped policy and its five levels."""
        for company in self.filtered(lambda company: not company.dunning_policy_id):
            policy = (
                self.env["account.dunning.policy"]
                .sudo()
                .create(company._dunning_default_policy_vals())
            )
            company.sudo().dunning_policy_id = policy
            company._dunning_translate_default_policy(policy)

    def _dunning_translate_default_policy(self, policy, langs=None):
        """Name the shipped policy and its levels in every active language."""
        levels = policy.level_ids.sorted("sequence")
        if langs is None:
            langs = [code for code, _name in self.env["res.lang"].get_installed()]
        for code in langs:
            if code == "en_US":
                continue
            names = self.with_context(lang=code)._dunning_default_names()
            policy.update_field_translations("name", {code: names["policy"]})
            for level, name in zip(levels, names["levels"], strict=False):
                level.update_field_translations("name", {code: name})

    def _dunning_default_names(self):
        return {
            "policy": self.env._("Standard dunning"),
            "levels": [
                self.env._("Courtesy reminder"),
                self.env._("First reminder"),
                self.env._("Second reminder"),
                self.env._("Last reminder"),
                self.env._("Formal notice"),
            ],
        }

    def _dunning_default_penalty_vals(self):
        """The law's default penalty terms for the company's country: France's
        (ECB + 10 points, 40 EUR), the directive's elsewhere in the EU (ECB + 8
        points, 40 EUR), none outside the EU until configured."""
        regime = self._dunning_legal_regime()
        if regime == debtor_rules.OTHER:
            return {"interest_mode": "none", "indemnity_amount": 0.0}
        return {
            "interest_mode": "reference",
            "interest_rate_source": debtor_rules.ECB_SERIES,
            "interest_margin": debtor_rules.FR_BUSINESS_MARGIN
            if regime == debtor_rules.FRANCE
            else debtor_rules.EU_MARGIN,
            "indemnity_amount": debtor_rules.LEGAL_INDEMNITY,
        }

    def _dunning_default_policy_vals(self):
        self.ensure_one()

        def template(xmlid):
            return self.env.ref(f"account_dunning.{xmlid}", raise_if_not_found=False)

        names = self.with_context(lang="en_US")._dunning_default_names()
        levels = [
            # (delay, email template, letter, call)
            (-5, "mail_template_dunning_courtesy", False, False),
            (7, "mail_template_dunning_reminder_1", False, False),
            (15, "mail_template_dunning_reminder_2", False, False),
            (30, "mail_template_dunning_reminder_3", False, True),
            (45, "mail_template_dunning_formal_notice", True, False),
        ]
        return {
            "name": names["policy"],
            "company_id": self.id,
            **self._dunning_default_penalty_vals(),
            "level_ids": [
                fields.Command.create(
                    {
                        "sequence": index * 10,
                        "name": name,
                        "delay": delay,
                        "channel_email": bool(template(xmlid)),
                        "mail_template_id": template(xmlid).id
                        if template(xmlid)
                        else False,
                        "channel_letter": letter or not template(xmlid),
                        "channel_call": call,
                        # A customer without an email address gets the letter.
                        "fallback_channel": "letter"
                        if template(xmlid) and not letter
                        else False,
                        "manual_review": letter,
                        "level_type": "formal_notice" if letter else "reminder",
                        "show_penalties": letter,
                    }
                )
                for index, (name, (delay, xmlid, letter, call)) in enumerate(
                    zip(names["levels"], levels, strict=True), start=1
                )
            ],
        }
