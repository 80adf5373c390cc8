# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.2.0.0 -> 18.0.3.0.0: penalties by debtor type.

The partners' debtor type and the credit notes' nature are filled by their models'
``_auto_init`` in one statement each. Here, the shipped formal-notice levels become
of type ``formal_notice`` (a consumer's legal interest runs from that notice), and the
rate refresh runs daily. Idempotent: it only sets what is still as before.
"""

import logging

from odoo.tools import SQL

from odoo.addons.account_dunning.models import debtor_rules

_logger = logging.getLogger("odoo.addons.account_dunning.migrations.18.0.3.0.0")


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE account_dunning_level level
               SET level_type = 'formal_notice'
              FROM ir_model_data data
             WHERE data.module = 'account_dunning'
               AND data.name = 'mail_template_dunning_formal_notice'
               AND data.model = 'mail.template'
               AND level.mail_template_id = data.res_id
               AND level.level_type = 'reminder'
            """
        )
    )
    _logger.info("%s formal-notice level(s) typed as such", cr.rowcount)
    # The rate refresh becomes daily (it downloads only on the first days of a
    # half-year or after a month): its record is not updated by the data file.
    cr.execute(
        SQL(
            """
            UPDATE ir_cron cron
               SET interval_type = 'days'
              FROM ir_model_data data
             WHERE data.module = 'account_dunning'
               AND data.name = 'ir_cron_dunning_rate_refresh'
               AND cron.id = data.res_id
               AND cron.interval_type = 'months'
               AND cron.interval_number = 1
            """
        )
    )
    _logger.info("rate refresh made daily: %s", bool(cr.rowcount))
    # Claims billed before the upgrade are revised only by payments and credit notes
    # reconciled after it (never by the new rules applied to their past days).
    cr.execute(
        """
        UPDATE account_dunning_penalty
           SET reconcile_mark = (SELECT COALESCE(MAX(id), 0)
                                   FROM account_partial_reconcile)
         WHERE reconcile_mark IS NULL
        """
    )
    _logger.info("%s claim(s) marked", cr.rowcount)
    # The flat indemnity is the law's 40 EUR (or none) for companies in France and
    # the EU: another amount left by an older version becomes 40 EUR.
    cr.execute(
        SQL(
            """
            UPDATE account_dunning_policy policy
               SET indemnity_amount = 40.0,
                   indemnity_currency_id = (SELECT id FROM res_currency
                                             WHERE name = 'EUR')
              FROM res_company company
              JOIN res_partner partner ON partner.id = company.partner_id
              JOIN res_country country
                ON country.id = COALESCE(company.account_fiscal_country_id,
                                         partner.country_id)
             WHERE policy.company_id = company.id
               AND country.code IN %s
               AND COALESCE(policy.indemnity_amount, 0) NOT IN (0, 40)
            """,
            tuple(sorted(debtor_rules.EU_COUNTRIES | debtor_rules.FRENCH_COUNTRIES)),
        )
    )
    _logger.info("%s policy indemnity(ies) set to the legal 40 EUR", cr.rowcount)
