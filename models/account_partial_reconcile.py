from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._dunning_check_blocked_customers()
        return partials

    def _dunning_check_blocked_customers(self):
        """Lift the automatic blocks that a payment just settled, without waiting."""
        lines = self.debit_move_id | self.credit_move_id
        for company in lines.company_id:
            partners = (
                lines.filtered(lambda line, c=company: line.company_id == c)
                .partner_id.commercial_partner_id.with_company(company)
                .sudo()
            )
            blocked = partners.filtered("dunning_blocked")
            if blocked:
                blocked._dunning_check_block(company)
