"""The customer's side of the demo: a portal account for one demo customer that owes
something overdue and was reminded, and the demo payment provider enabled in test mode
(when payment_demo is installed), so that the customer page can be tried at once:
pay, promise, dispute, ask for a plan, download a statement."""

from odoo import Command

PORTAL_LOGIN = "portal"
PORTAL_PASSWORD = "portal"


def setup_portal(env, company, today):
    """Create (once) the portal user of the demo; return printable lines."""
    lines = []
    users = env["res.users"].with_context(active_test=False)
    user = users.search([("login", "=", PORTAL_LOGIN)], limit=1)
    if not user:
        entity = _customer(env, company, today)
        if not entity:
            return ["no overdue customer found: no portal user created"]
        contact = env["res.partner"].create(
            {
                "name": f"Comptabilité {entity.name}",
                "parent_id": entity.id,
                "type": "invoice",
                "email": f"compta.{entity.id}@example.com",
                "lang": entity.lang or env.lang,
            }
        )
        user = users.create(
            {
                "name": contact.name,
                "login": PORTAL_LOGIN,
                "password": PORTAL_PASSWORD,
                "partner_id": contact.id,
                "groups_id": [Command.set([env.ref("base.group_portal").id])],
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
            }
        )
    entity = user.partner_id.commercial_partner_id
    lines.append(
        f"portal user {PORTAL_LOGIN} / {PORTAL_PASSWORD} for {entity.name} "
        f"(its page: /my/dues)"
    )
    provider = env.ref("payment.payment_provider_demo", raise_if_not_found=False)
    if provider and provider.module_id.state == "installed":
        provider.write(
            {"state": "test", "is_published": True, "company_id": company.id}
        )
        lines.append("demo payment provider enabled (test mode)")
    return lines


def _customer(env, company, today):
    """The customer with the most overdue instalments already reminded, not under a
    hold: its page shows reminders, penalties and something to pay."""
    groups = env["account.move.line"]._read_group(
        [
            ("company_id", "=", company.id),
            ("account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
            ("move_id.move_type", "=", "out_invoice"),
            ("date_maturity", "<", today),
            ("dunning_level_id", "!=", False),
            ("move_id.dunning_hold", "=", False),
            ("partner_id.user_ids", "=", False),
        ],
        ["partner_id"],
        ["__count"],
        order="__count desc",
        limit=1,
    )
    return groups[0][0] if groups else env["res.partner"]
