from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._dunning_check_blocked_customers()
        partials._dunning_check_holds()
        return partials

    def unlink(self):
        moves = (self.debit_move_id | self.credit_move_id).move_id
        result = super().unlink()
        # sudo: the engine follows what the invoices still owe.
        self.env["account.dunning.hold.engine"].sudo()._on_payments(moves.sudo())
        return result

    def _dunning_check_holds(self):
        """After payments: promises kept, instalments paid, whole disputes."""
        moves = (self.debit_move_id | self.credit_move_id).move_id
        # sudo: the engine follows what the invoices still owe.
        self.env["account.dunning.hold.engine"].sudo()._on_payments(moves.sudo())

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
