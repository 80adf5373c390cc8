from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(
        self, modules, langs, overwrite=False, imported_module=False
    ):
        """Name the shipped dunning policies in a language installed after them."""
        super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if "account_dunning" not in modules or not self.env.registry.loaded:
            return
        companies = (
            self.env["res.company"].sudo().search([("dunning_policy_id", "!=", False)])
        )
        for company in companies:
            policy = company.dunning_policy_id
            # A policy renamed by its users is theirs: leave its translations alone.
            if policy.with_context(lang="en_US").name == "Standard dunning":
                company._dunning_translate_default_policy(policy, langs)
