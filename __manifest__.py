# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Dunning (Receivables Collection)",
    "summary": "Graduated payment reminders, scheduled dunning runs and a full trace "
    "of every collection action",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/account-dunning/account_dunning",
    "author": "account_dunning contributors",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": ["account", "sale_management", "mail", "sms", "portal"],
    "data": [
        "security/account_dunning_security.xml",
        "security/ir.model.access.csv",
        "data/mail_template_data.xml",
        "data/sms_template_data.xml",
        "data/ir_cron_data.xml",
        "data/account_dunning_rate_data.xml",
        "data/ir_cron_rate_data.xml",
        "reports/dunning_letter_report.xml",
        "views/account_dunning_policy_views.xml",
        "views/account_dunning_run_views.xml",
        "views/account_dunning_action_views.xml",
        "views/account_dunning_rate_views.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "wizards/account_dunning_exclusion_wizard_views.xml",
        "views/account_dunning_menus.xml",
    ],
    "demo": ["demo/account_dunning_demo.xml"],
    "assets": {
        "web.assets_tests": ["account_dunning/static/src/tours/*.js"],
    },
    "post_init_hook": "post_init_hook",
}
