from psycopg2.extras import Json

from odoo import models
from odoo.tools import SQL

from ..models.res_partner import ENGINE_COLUMNS


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_reference_fields(self, src_partners, dst_partner):
        """The dunning state is the engine's: a merge does not copy it.

        Odoo merges the company-dependent values of the contacts merged away into
        the one that stays, in SQL, column by column: a block would be copied
        without its rule, or mixed with the one already there. The contact that
        stays keeps its own state; its blocks are checked again now that it has the
        others' invoices (the foreign keys, the block history included, were moved
        just before); a block set by hand on a contact merged away is set by hand on
        it too, with its history; and the orders it received are checked again.
        """
        states = self._dunning_engine_states(src_partners | dst_partner)
        result = super()._update_reference_fields(src_partners, dst_partner)
        # sudo: the wizard checked that the user may merge these contacts; this
        # restores the state the engine had given to each of them, nothing more.
        self._dunning_restore_engine_states(
            {dst_partner.id: states[dst_partner.id]}
            | dict.fromkeys(src_partners.ids, dict.fromkeys(ENGINE_COLUMNS))
        )
        customer = dst_partner.commercial_partner_id.sudo()
        for company in self.env["res.company"].sudo().search([]):
            key = str(company.id)
            reasons = [
                (states[partner.id]["dunning_block_reason"] or {}).get(key) or ""
                for partner in src_partners
                if (states[partner.id]["dunning_block_manual"] or {}).get(key)
            ]
            partner = customer.with_company(company)
            if reasons and not partner.dunning_block_manual:
                partner._dunning_set_block(
                    True,
                    self.env._("%(reason)s (merged contact)", reason=reasons[0]),
                    "manual",
                    partner._dunning_block_snapshot(company).get(partner.id),
                )
            else:
                partner._dunning_check_block(company)
        members = customer.with_context(active_test=False).search(
            [("id", "child_of", customer.id), ("id", "!=", customer.id)]
        )
        members._dunning_inherit_block()
        self._dunning_recompute_orders(customer)
        return result

    def _dunning_engine_states(self, partners):
        """{partner id: {column: {company: value}}}, as stored (JSON per column)."""
        rows = self.env.execute_query_dict(
            SQL(
                "SELECT id, %s FROM res_partner WHERE id IN %s",
                SQL(", ").join(SQL.identifier(column) for column in ENGINE_COLUMNS),
                tuple(partners.ids),
            )
        )
        return {row.pop("id"): row for row in rows}

    def _dunning_restore_engine_states(self, states):
        self.env["res.partner"].flush_model(ENGINE_COLUMNS)
        for partner_id, columns in states.items():
            self.env.execute_query(
                SQL(
                    "UPDATE res_partner SET %s WHERE id = %s",
                    SQL(", ").join(
                        SQL(
                            "%s = %s",
                            SQL.identifier(column),
                            Json(value) if value is not None else None,
                        )
                        for column, value in columns.items()
                    ),
                    partner_id,
                )
            )
        self.env["res.partner"].invalidate_model(ENGINE_COLUMNS)

    def _dunning_recompute_orders(self, customer):
        """The orders moved to the customer in SQL: their block flag anew."""
        Order = self.env["sale.order"].sudo()
        orders = Order.search(
            [
                "|",
                ("partner_id", "child_of", customer.id),
                ("partner_invoice_id", "child_of", customer.id),
            ]
        )
        self.env.add_to_compute(Order._fields["dunning_partner_blocked"], orders)
