from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_amount, sql

from . import dunning_access, dunning_rules

# The block, copied from a customer onto its contacts and addresses.
BLOCK_COLUMNS = (
    "dunning_blocked",
    "dunning_block_reason",
    "dunning_block_manual",
    "dunning_block_overdue",
    "dunning_block_oldest_invoice",
    "dunning_block_oldest_due",
)
# What the engine owns on a customer, stored per company: written by the runs, the
# blocking rules and the block / unblock actions, never directly by a user.
ENGINE_COLUMNS = (*BLOCK_COLUMNS, "dunning_next_action_date")
# ... and refused in create / write with the computed and x2many fields beside them
# (see dunning_access).
ENGINE_FIELDS = (
    *ENGINE_COLUMNS,
    "dunning_level_id",
    "dunning_last_date",
    "dunning_overdue_amount",
    "dunning_currency_id",
    "dunning_action_ids",
    "dunning_action_count",
    "dunning_block_ids",
    "dunning_portal_link_sent",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_policy_id = fields.Many2one(
        "account.dunning.policy",
        string="Dunning Policy",
        company_dependent=True,
        copy=False,
        groups="base.group_user",
        domain="[('company_id', '=', current_company_id)]",
        help="Leave empty to follow the company's default dunning policy. Only "
        "dunning managers choose a customer's policy.",
    )
    dunning_next_action_date = fields.Date(
        string="Next Dunning Action",
        company_dependent=True,
        copy=False,
        readonly=True,
        groups="base.group_user",
        help="When this customer's next dunning level becomes due.",
    )
    dunning_level_id = fields.Many2one(
        "account.dunning.level",
        string="Dunning Level",
        compute="_compute_dunning_status",
        groups="base.group_user",
        help="The highest level reached by the customer's open invoices.",
    )
    dunning_last_date = fields.Date(
        string="Last Reminder",
        compute="_compute_dunning_status",
        groups="base.group_user",
    )
    dunning_overdue_amount = fields.Monetary(
        string="Overdue Amount",
        compute="_compute_dunning_status",
        currency_field="dunning_currency_id",
        groups="base.group_user",
    )
    dunning_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_dunning_status",
        string="Dunning Currency",
        groups="base.group_user",
    )
    dunning_action_ids = fields.One2many(
        "account.dunning.action",
        "partner_id",
        string="Dunning Actions",
        readonly=True,
        groups="account_dunning.group_dunning_user",
    )
    dunning_action_count = fields.Integer(
        compute="_compute_dunning_action_count",
        groups="account_dunning.group_dunning_user",
    )

    # The block, per company, on the commercial entity and its contacts. Stored (the
    # company-dependent columns): confirming an order reads them, it recomputes nothing.
    dunning_blocked = fields.Boolean(
        string="Blocked For Unpaid Invoices",
        company_dependent=True,
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    dunning_block_reason = fields.Char(
        string="Block Reason",
        company_dependent=True,
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    dunning_block_manual = fields.Boolean(
        string="Blocked By Hand",
        company_dependent=True,
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    dunning_block_overdue = fields.Float(
        string="Overdue When Blocked",
        company_dependent=True,
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    dunning_block_oldest_invoice = fields.Char(
        string="Oldest Overdue Invoice",
        company_dependent=True,
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    dunning_block_oldest_due = fields.Date(
        string="Oldest Overdue Due Date",
        company_dependent=True,
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    dunning_block_ids = fields.One2many(
        "account.dunning.block",
        "partner_id",
        string="Block History",
        readonly=True,
        groups="base.group_user",
    )

    def _dunning_policy(self, company):
        """The dunning policy of this customer in ``company``: its own there, else the
        company's default."""
        return self.with_company(company).dunning_policy_id or company.dunning_policy_id

    def init(self):
        super().init()
        # Earlier versions let any id be written as a customer's policy: drop the
        # per-company values that are not a policy of that company (its default
        # policy applies), so that no run stops on them.
        if not sql.table_exists(self.env.cr, "account_dunning_policy"):
            return
        self.env.cr.execute(
            """
            UPDATE res_partner partner
               SET dunning_policy_id = NULLIF(kept.value, '{}'::jsonb)
              FROM (
                  SELECT customer.id,
                         COALESCE(
                             jsonb_object_agg(entry.key, entry.value)
                                 FILTER (WHERE policy.id IS NOT NULL),
                             '{}'::jsonb) AS value,
                         bool_or(policy.id IS NULL) AS has_invalid
                    FROM res_partner customer
              CROSS JOIN LATERAL jsonb_each(customer.dunning_policy_id) entry
               LEFT JOIN account_dunning_policy policy
                         ON jsonb_typeof(entry.value) = 'number'
                        AND policy.id = (entry.value #>> '{}')::numeric
                        AND policy.company_id::text = entry.key
                   WHERE jsonb_typeof(customer.dunning_policy_id) = 'object'
                GROUP BY customer.id
              ) kept
             WHERE partner.id = kept.id AND kept.has_invalid
            """
        )

    @api.constrains("dunning_policy_id")
    def _check_dunning_policy_id(self):
        """A customer's policy is one of the company it is written for."""
        company = self.env.company
        for partner in self:
            # sudo: reading the company of the policy id just written, whatever it
            # is, to refuse it; nothing is returned to the caller.
            policy = partner.sudo().dunning_policy_id
            if policy and (not policy.exists() or policy.company_id != company):
                raise ValidationError(
                    _(
                        "The dunning policy of %(customer)s must be a policy of "
                        "%(company)s.",
                        customer=partner.display_name,
                        company=company.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._dunning_check_write(vals)
        partners = super().create(vals_list)
        partners.filtered("parent_id")._dunning_inherit_block()
        return partners

    def write(self, vals):
        self._dunning_check_write(vals)
        return super().write(vals)

    def _dunning_check_write(self, vals):
        """Engine state is the engine's; a customer's policy is a manager's choice."""
        dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
        dunning_access.check_manager_fields(
            self,
            vals,
            ["dunning_policy_id"],
            _("Only dunning managers can choose the dunning policy of a customer."),
        )

    def _dunning_inherit_block(self):
        """Contacts carry the block of their customer, everywhere: a contact added to
        a blocked customer is blocked with it, one moved to another customer takes
        that customer's block (or none)."""
        if not self:
            return
        self.flush_recordset(["commercial_partner_id"])
        columns = BLOCK_COLUMNS
        self.env.execute_query(
            SQL(
                """
                UPDATE res_partner contact SET %s
                  FROM res_partner customer
                 WHERE contact.id IN %s
                   AND customer.id = contact.commercial_partner_id
                   AND customer.id != contact.id
                   AND (customer.dunning_blocked IS NOT NULL
                        OR contact.dunning_blocked IS NOT NULL)
                """,
                SQL(", ").join(
                    SQL(
                        "%s = customer.%s",
                        SQL.identifier(column),
                        SQL.identifier(column),
                    )
                    for column in columns
                ),
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(columns)

    @api.depends_context("company")
    def _compute_dunning_status(self):
        """Level, last reminder and overdue amount from the open receivable items."""
        company = self.env.company
        commercial = self.commercial_partner_id
        today = fields.Date.context_today(self)
        # sudo: the customer's own status, shown to whoever may read the customer.
        Item = self.env["account.move.line"].sudo()
        domain = self.env["account.dunning.eligibility"]._item_domain(
            company, partners=commercial
        )
        groups = (
            Item._read_group(
                domain,
                ["partner_id"],
                ["dunning_last_date:max", "dunning_level_id:array_agg"],
            )
            if commercial.ids
            else []
        )
        overdue = (
            self.env["account.dunning.eligibility"]._overdue_by_partner(
                company, commercial, today
            )
            if commercial.ids
            else {}
        )
        Level = self.env["account.dunning.level"]
        status = {
            partner.id: (
                dunning_rules.customer_level(Level.browse(filter(None, level_ids)))
                or Level,
                last_date,
            )
            for partner, last_date, level_ids in groups
        }
        for partner in self:
            customer_id = partner.commercial_partner_id.id
            level, last_date = status.get(customer_id, (Level, False))
            partner.dunning_level_id = level
            partner.dunning_last_date = last_date
            partner.dunning_overdue_amount = overdue.get(customer_id, 0.0)
            partner.dunning_currency_id = company.currency_id

    def _compute_dunning_action_count(self):
        commercial = self.commercial_partner_id
        counts = (
            dict(
                self.env["account.dunning.action"]._read_group(
                    [("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"]
                )
            )
            if commercial.ids
            else {}
        )
        for partner in self:
            partner.dunning_action_count = counts.get(partner.commercial_partner_id, 0)

    def _dunning_recipients(self):
        """Who receives the reminders, per customer id: the invoice contact, else the
        customer itself. One query for the whole batch."""
        contacts = self.search_fetch(
            [("parent_id", "in", self.ids), ("type", "=", "invoice")],
            ["parent_id", "email", "lang"],
            order="id",
        )
        recipients = {partner.id: partner for partner in self}
        for contact in reversed(contacts):
            recipients[contact.parent_id.id] = contact
        return recipients

    def action_dunning_bill_penalties(self):
        """Bill the penalties not yet claimed on this customer's late invoices."""
        self.ensure_one()
        self.env["account.move"]._dunning_check_may_bill()
        today = fields.Date.context_today(self)
        invoices = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("line_ids.date_maturity", "<", today),
            ]
        )
        late = self.env["account.dunning.penalty.engine"]._late_instalments(
            invoices, today
        )
        invoices = invoices.filtered(lambda move: move in late)
        if not invoices:
            raise UserError(_("%s has no invoice paid late.", self.display_name))
        return invoices.action_dunning_bill_penalties()

    # ------------------------------------------------------------------ blocking

    def action_dunning_block(self, reason):
        """Block the customer by hand; only a manager lifts it."""
        if not self.env.user.has_group("account_dunning.group_dunning_user"):
            raise AccessError(_("Only dunning users can block a customer."))
        self._dunning_block_by_hand(True, self._dunning_check_reason(reason))
        return True

    def action_dunning_unblock(self, reason):
        """Lift a block, automatic or manual; dunning managers only."""
        if not self.env.user.has_group("account_dunning.group_dunning_manager"):
            raise AccessError(_("Only dunning managers can unblock a customer."))
        self._dunning_block_by_hand(False, self._dunning_check_reason(reason))
        return True

    def _dunning_block_by_hand(self, blocked, reason):
        company = self.env.company
        engine = self.env["account.dunning.block.engine"]
        customers = self.commercial_partner_id
        snapshot = engine._snapshot(customers, company)
        engine._set_blocks(
            [
                (customer, blocked, reason, "manual", snapshot.get(customer.id))
                for customer in customers
            ],
            company,
        )

    @api.model
    def _dunning_check_reason(self, reason):
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                _("Give the reason for blocking or unblocking the customer.")
            )
        return reason

    def _dunning_block_snapshot(self, company):
        """Per customer: overdue amount, oldest overdue item, highest level."""
        return self.env["account.dunning.block.engine"]._snapshot(
            self.commercial_partner_id, company
        )

    def _dunning_check_block(self, company):
        """Apply the policy's blocking rules: block, or lift an automatic block."""
        self.env["account.dunning.block.engine"]._check(self, company)

    def _dunning_set_block(self, blocked, reason, mode, data):
        """Record a block or an unblock on the commercial entity and its contacts."""
        self.ensure_one()
        self.env["account.dunning.block.engine"]._set_blocks(
            [(self.commercial_partner_id, blocked, reason, mode, data)],
            self.env.company,
        )

    def _dunning_block_message(self):
        """Why orders of this customer cannot be confirmed, from the stored block."""
        partner = self.commercial_partner_id
        today = fields.Date.context_today(self)
        message = _(
            "%(customer)s is blocked for unpaid invoices: %(reason)s.",
            customer=partner.display_name,
            reason=partner.dunning_block_reason,
        )
        if partner.dunning_block_oldest_invoice:
            message += " " + _(
                "Overdue amount: %(amount)s. Oldest overdue invoice: %(invoice)s, "
                "%(days)s days late.",
                amount=format_amount(
                    self.env,
                    partner.dunning_block_overdue,
                    self.env.company.currency_id,
                ),
                invoice=partner.dunning_block_oldest_invoice,
                days=(today - partner.dunning_block_oldest_due).days,
            )
        return message

    def action_open_dunning_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account_dunning.account_dunning_action_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
