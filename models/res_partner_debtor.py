from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, sql

from . import debtor_rules, dunning_access

DEBTOR_TYPES = [
    (debtor_rules.BUSINESS, "Business"),
    (debtor_rules.CONSUMER, "Consumer"),
    (debtor_rules.PUBLIC_BODY, "Public Body"),
]
PUBLIC_BODY_TAG = "account_dunning.partner_category_public_body"
# Chosen by dunning managers only.
MANAGER_FIELDS = (
    "dunning_debtor_type",
    "dunning_debtor_type_set",
    "dunning_insolvency_date",
)


class ResPartner(models.Model):
    """Who the debtor is, for the penalties the law allows against it."""

    _inherit = "res.partner"

    dunning_debtor_type = fields.Selection(
        DEBTOR_TYPES,
        string="Debtor Type",
        compute="_compute_dunning_debtor_type",
        inverse="_inverse_dunning_debtor_type",
        store=True,
        readonly=False,
        copy=False,
        groups="base.group_user",
        help="Business: late interest from the day after the due date and the 40 EUR "
        "indemnity (L441-10, D441-5 C. com.). Public body: the ECB rate of the "
        "half-year the delay started + 8 points and the 40 EUR indemnity (L2192-13, "
        "D2192-35 CCP). Consumer: no indemnity nor fees, legal interest from the "
        "formal notice only (C. civ. 1231-6, 1344-1). Computed from the customer "
        "(a company is a business; an individual with a VAT number or a SIRET too; "
        "the Public Body tag makes a public body); dunning managers may set it.",
    )
    dunning_debtor_type_set = fields.Selection(
        DEBTOR_TYPES,
        string="Debtor Type Set By Hand",
        copy=False,
        groups="base.group_user",
    )
    dunning_insolvency_date = fields.Date(
        string="Insolvency Proceedings Opened On",
        copy=False,
        tracking=True,
        groups="base.group_user",
        help="Date of the judgment opening safeguard, reorganisation or liquidation "
        "proceedings: no late interest runs after it (L622-28 C. com.), and no "
        "indemnity is due on invoices falling due from that date. Kept by the "
        "customer's insolvency proceedings once one is recorded (the earliest "
        "judgment of those not closed); set by hand only for a customer without.",
    )
    dunning_insolvency_ids = fields.One2many(
        "account.dunning.insolvency",
        "partner_id",
        string="Insolvency Proceedings",
        groups="account_dunning.group_dunning_user",
    )
    dunning_insolvency_count = fields.Integer(
        compute="_compute_dunning_insolvency_count",
        groups="account_dunning.group_dunning_user",
    )

    def _auto_init(self):
        """Fill the debtor type of existing partners in one statement: the ORM would
        compute it partner by partner on a big database."""
        cr = self.env.cr
        created = not sql.column_exists(cr, "res_partner", "dunning_debtor_type")
        if created:
            sql.create_column(cr, "res_partner", "dunning_debtor_type", "varchar")
        result = super()._auto_init()
        if created:
            siret = (
                SQL("OR COALESCE(TRIM(c.siret), '') != ''")
                if sql.column_exists(cr, "res_partner", "siret")
                else SQL("")
            )
            cr.execute(
                SQL(
                    """
                    UPDATE res_partner p
                       SET dunning_debtor_type = CASE
                           WHEN c.is_company OR COALESCE(TRIM(c.vat), '') != ''
                             OR COALESCE(TRIM(c.company_registry), '') != '' %s
                           THEN 'business' ELSE 'consumer' END
                      FROM res_partner c
                     WHERE c.id = COALESCE(p.commercial_partner_id, p.id)
                    """,
                    siret,
                )
            )
        return result

    def _compute_dunning_insolvency_count(self):
        groups = self.env["account.dunning.insolvency"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)],
            ["partner_id"],
            ["__count"],
        )
        counts = {partner: count for partner, count in groups}
        for partner in self:
            partner.dunning_insolvency_count = counts.get(
                partner.commercial_partner_id, 0
            )

    def _dunning_debtor_depends(self):
        names = self._dunning_debtor_inputs()
        return [
            "commercial_partner_id",
            "commercial_partner_id.dunning_debtor_type_set",
            *(f"commercial_partner_id.{name}" for name in names),
        ]

    @api.depends(lambda self: self._dunning_debtor_depends())
    def _compute_dunning_debtor_type(self):
        public_tag = self.env.ref(PUBLIC_BODY_TAG, raise_if_not_found=False)
        for partner in self:
            entity = partner.commercial_partner_id or partner
            partner.dunning_debtor_type = entity.dunning_debtor_type_set or (
                debtor_rules.debtor_type(
                    entity.is_company,
                    entity.vat,
                    entity.company_registry
                    or ("siret" in entity._fields and entity.siret),
                    bool(public_tag and public_tag in entity.category_id),
                )
            )

    def _inverse_dunning_debtor_type(self):
        # A type set on a contact is its customer's: kept on the commercial entity.
        for partner in self:
            entity = partner.commercial_partner_id or partner
            entity.dunning_debtor_type_set = partner.dunning_debtor_type

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._dunning_check_debtor_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._dunning_check_debtor_write(vals)
        if "dunning_insolvency_date" in vals and not self.env.su:
            self._dunning_check_insolvency_write(vals["dunning_insolvency_date"])
        if self.env.su or not set(vals) & set(self._dunning_debtor_inputs()):
            return super().write(vals)
        if self.env.user.has_group("account_dunning.group_dunning_manager"):
            return super().write(vals)
        # A change of what the type is computed from, by someone who may not set the
        # type, keeps the type: the penalties a customer owes change only by a
        # dunning manager's decision.
        entities = self.sudo().filtered(
            lambda partner: partner.is_company or not partner.parent_id
        )
        before = {entity: entity.dunning_debtor_type for entity in entities}
        result = super().write(vals)
        for entity, debtor in before.items():
            if debtor and entity.dunning_debtor_type != debtor:
                # sudo: the manager-only field keeps the type the user could not set.
                entity.dunning_debtor_type_set = debtor
        return result

    def _dunning_debtor_inputs(self):
        names = ["is_company", "vat", "company_registry", "category_id"]
        if "siret" in self._fields:
            names.append("siret")
        return names

    def _dunning_check_debtor_write(self, vals):
        dunning_access.check_manager_fields(
            self,
            vals,
            MANAGER_FIELDS,
            _(
                "Only dunning managers can set a customer's debtor type or its "
                "insolvency proceedings."
            ),
        )

    def _dunning_check_insolvency_write(self, value):
        """Once a customer has insolvency proceedings, its date is theirs: a change
        by hand is refused (the same value written back passes)."""
        value = fields.Date.to_date(value)
        changed = self.filtered(
            lambda partner: partner.dunning_insolvency_date != value
        ).commercial_partner_id
        if not changed:
            return
        # sudo: whether proceedings exist, in any company of the debtor's creditors.
        recorded = (
            self.env["account.dunning.insolvency"]
            .sudo()
            .search(
                [("partner_id", "in", changed.ids)],
                limit=1,
            )
        )
        if recorded:
            raise UserError(
                _(
                    "The insolvency date of %s comes from its insolvency proceedings: "
                    "change the judgment there, or close them.",
                    recorded.partner_id.display_name,
                )
            )

    def action_dunning_view_insolvency(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_dunning.account_dunning_insolvency_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    @api.model
    def _dunning_debtor_types(self, partners):
        """{commercial partner id: debtor type}, read as the engine (sudo)."""
        # sudo: the penalty rules read who the debtor is, whoever computes them.
        entities = partners.sudo().commercial_partner_id
        return {entity.id: entity.dunning_debtor_type for entity in entities}
