# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.2.0.0 -> 18.0.3.0.0: penalties by debtor type.

The partners' debtor type and the credit notes' nature are filled by their models'
``_auto_init`` in one statement each. Here, the shipped formal-notice levels become
of type ``formal_notice`` (a consumer's legal interest runs from that notice).
Idempotent: it only sets what is still a reminder.
"""

import logging

from odoo.tools import SQL

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
