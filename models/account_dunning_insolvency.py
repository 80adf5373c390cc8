# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Insolvency proceedings of a customer, as the creditor company records them.

From the opening judgment the customer is neither reminded (L622-21 C. com.) nor
billed penalties, its interest stops (L622-28) and it is blocked; its claim is
declared to the mandataire judiciaire within two months of the BODACC publication
(L622-24, R622-24). The engine's steps are in ``dunning_insolvency_engine``.
"""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from . import dunning_access, insolvency_rules

KINDS = [
    ("safeguard", "Safeguard"),
    ("receivership", "Receivership"),
    ("liquidation", "Liquidation"),
]
STATES = [
    ("open", "Open"),
    ("declared", "Claim Declared"),
    ("closed", "Closed"),
]
CLOSING_REASONS = [
    ("plan", "Safeguard or continuation plan adopted"),
    ("converted", "Converted into other proceedings"),
    ("lack_of_assets", "Closed for lack of assets"),
    ("debts_paid", "Closed, the debts paid"),
    ("overturned", "Judgment overturned"),
]
# Set by the buttons and the engine, never written directly.
ENGINE_FIELDS = (
    "state",
    "receivable_lost",
    "claim_deadline",
    "declaration_date",
    "declared_amount",
    "declaration_attachment_id",
    "declaration_action_id",
    "deadline_activity_id",
)
# What a closed proceedings still lets change: nothing of the proceedings.
CLOSED_WRITABLE = {"message_main_attachment_id"}


class AccountDunningInsolvency(models.Model):
    """Insolvency proceedings of a customer (procédure collective): sauvegarde,
    redressement or liquidation judiciaire."""

    _name = "account.dunning.insolvency"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Dunning Insolvency Proceedings"
    _order = "judgment_date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
        help="The debtor in proceedings: the commercial entity of the customer.",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Creditor",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(KINDS, required=True, tracking=True)
    judgment_date = fields.Date(
        required=True,
        tracking=True,
        help="Date of the opening judgment: from it, no reminder (L622-21 C. com.), "
        "no penalty billed, no interest (L622-28).",
    )
    court = fields.Char(
        tracking=True, help="The commercial court that opened the proceedings."
    )
    publication_date = fields.Date(
        string="BODACC Publication",
        tracking=True,
        help="Publication of the judgment in the BODACC: the claim deadline runs "
        "from it.",
    )
    administrator_id = fields.Many2one(
        "res.partner",
        string="Mandataire Judiciaire",
        tracking=True,
        help="The court-appointed creditors' representative (or the liquidator) "
        "to whom the claim is declared.",
    )
    claim_deadline = fields.Date(
        compute="_compute_claim_deadline",
        store=True,
        help="Two months from the BODACC publication (L622-24, R622-24 C. com.), "
        "four for a creditor outside metropolitan France. Empty until published.",
    )
    state = fields.Selection(
        STATES, required=True, default="open", tracking=True, index=True
    )
    closing_date = fields.Date(
        tracking=True, help="Date of the judgment closing the proceedings."
    )
    closing_reason = fields.Selection(CLOSING_REASONS, tracking=True)
    receivable_lost = fields.Boolean(
        compute="_compute_receivable_lost",
        store=True,
        help="A liquidation closed for lack of assets: the receivable is lost and "
        "can be written off.",
    )
    note = fields.Text()
    declaration_date = fields.Date(string="Claim Declared On", readonly=True)
    declared_amount = fields.Monetary(
        string="Amount Declared", readonly=True, currency_field="currency_id"
    )
    declaration_attachment_id = fields.Many2one(
        "ir.attachment", string="Claim Declaration", readonly=True, ondelete="set null"
    )
    declaration_action_id = fields.Many2one(
        "account.dunning.action",
        string="Declaration Trace",
        readonly=True,
        ondelete="set null",
    )
    deadline_activity_id = fields.Many2one(
        "mail.activity", string="Deadline Activity", readonly=True, ondelete="set null"
    )
    claim_lang = fields.Char(
        compute="_compute_claim_lang",
        help="The language of the claim declaration: French for a French creditor, "
        "else the mandataire's or the company's.",
    )
    move_ids = fields.Many2many(
        "account.move",
        compute="_compute_claim",
        string="Invoices Claimed",
        help="The customer's invoices issued before the judgment and open at its date.",
    )
    claim_amount = fields.Monetary(
        compute="_compute_claim",
        string="Amount to Declare",
        currency_field="currency_id",
        help="Amounts due at the judgment date, the interest to that date and the "
        "indemnities.",
    )

    # ------------------------------------------------------------ computes

    @api.depends("publication_date", "company_id.country_id")
    def _compute_claim_deadline(self):
        for record in self:
            record.claim_deadline = insolvency_rules.claim_deadline(
                record.publication_date,
                abroad=record.company_id.country_id.code not in (False, "FR"),
            )

    @api.depends("kind", "state", "closing_reason")
    def _compute_receivable_lost(self):
        for record in self:
            record.receivable_lost = (
                record.kind == "liquidation"
                and record.state == "closed"
                and record.closing_reason == "lack_of_assets"
            )

    @api.depends("company_id", "administrator_id.lang")
    def _compute_claim_lang(self):
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        for record in self:
            company = record.company_id
            lang = False
            if company.country_id.code == "FR" and "fr_FR" in installed:
                lang = "fr_FR"
            record.claim_lang = (
                lang
                or record.administrator_id.lang
                or company.partner_id.lang
                or self.env.lang
            )

    @api.depends_context("company")
    @api.depends("partner_id", "judgment_date")
    def _compute_claim(self):
        engine = self.env["account.dunning.insolvency.engine"]
        for record in self:
            if not record.id or not record.partner_id or not record.judgment_date:
                record.move_ids = False
                record.claim_amount = 0.0
                continue
            claim = engine._claim(record)
            record.move_ids = [
                fields.Command.set([line["move"].id for line in claim["lines"]])
            ]
            record.claim_amount = claim["total"]

    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for record in self:
            record.display_name = "%s - %s" % (
                record.partner_id.name or "",
                kinds.get(record.kind) or "",
            )

    def init(self):
        # One proceedings not closed per customer and creditor, whatever two users do
        # at the same time.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS account_dunning_insolvency_open_uniq"
                " ON account_dunning_insolvency (partner_id, company_id)"
                " WHERE state != 'closed'"
            )
        )

    # ------------------------------------------------------------ constraints

    @api.constrains("judgment_date", "publication_date", "closing_date", "state")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for record in self:
            if record.judgment_date > today:
                raise ValidationError(
                    _(
                        "The judgment date (%(date)s) is in the future: record the "
                        "proceedings once the judgment is given.",
                        date=record.judgment_date,
                    )
                )
            if record.publication_date and record.publication_date < (
                record.judgment_date
            ):
                raise ValidationError(
                    _(
                        "The BODACC publication (%(publication)s) cannot be before "
                        "the judgment (%(judgment)s).",
                        publication=record.publication_date,
                        judgment=record.judgment_date,
                    )
                )
            if record.publication_date and record.publication_date > today:
                raise ValidationError(
                    _("The BODACC publication date cannot be in the future.")
                )
            if record.closing_date and not (
                record.judgment_date <= record.closing_date <= today
            ):
                raise ValidationError(
                    _(
                        "The proceedings close between their judgment (%s) and today.",
                        record.judgment_date,
                    )
                )
            if record.state == "closed" and not (
                record.closing_date and record.closing_reason
            ):
                raise ValidationError(
                    _("Closed proceedings need their closing date and reason.")
                )

    @api.constrains("partner_id", "administrator_id")
    def _check_administrator(self):
        for record in self:
            if (
                record.administrator_id
                and record.administrator_id.commercial_partner_id
                == record.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    _("The mandataire judiciaire cannot be the debtor itself.")
                )

    def _check_no_other_open(self, keys):
        """``keys``: [(partner, company)] of proceedings to open; one not closed per
        customer and creditor (a unique index keeps it so under races)."""
        # sudo: whether another manager recorded them, whatever the user reads.
        others = self.sudo().search(
            [
                ("partner_id", "in", [partner.id for partner, _company in keys]),
                ("state", "!=", "closed"),
                ("id", "not in", self.ids),
            ]
        )
        taken = {(other.partner_id, other.company_id) for other in others}
        seen = set()
        for key in keys:
            if key in taken or key in seen:
                raise ValidationError(
                    _(
                        "%(customer)s is already in insolvency proceedings for "
                        "%(company)s: close them first (a conversion closes the "
                        "first proceedings and opens the next).",
                        customer=key[0].display_name,
                        company=key[1].name,
                    )
                )
            seen.add(key)

    # ------------------------------------------------------------ CRUD

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(
            "account_dunning.group_dunning_manager"
        ):
            raise AccessError(
                _("Only dunning managers can record insolvency proceedings.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        Partner, Company, keys = self.env["res.partner"], self.env["res.company"], []
        for vals in vals_list:
            dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
            partner = Partner.browse(vals.get("partner_id")).exists()
            if not partner:
                raise ValidationError(_("Choose the customer in proceedings."))
            # The proceedings are the debtor's: its commercial entity.
            partner = partner.commercial_partner_id
            vals["partner_id"] = partner.id
            # The company the record will have, a default of the context included.
            vals.setdefault(
                "company_id", self.default_get(["company_id"]).get("company_id")
            )
            company = (
                Company.browse(vals.get("company_id")).exists() or self.env.company
            )
            keys.append((partner, company))
        self._check_no_other_open(keys)
        records = super().create(vals_list)
        self.env["account.dunning.insolvency.engine"]._opened(records)
        return records

    def write(self, vals):
        if not self.env.su:
            self._check_manager()
            dunning_access.check_engine_fields(self, vals, ENGINE_FIELDS)
            for name in ("partner_id", "company_id"):
                if name in vals and any(
                    record[name].id != vals[name] for record in self
                ):
                    raise UserError(
                        _(
                            "Proceedings stay on their customer and creditor: record "
                            "other proceedings instead."
                        )
                    )
            if any(record.state == "closed" for record in self) and (
                set(vals) - CLOSED_WRITABLE
            ):
                raise UserError(_("Closed proceedings cannot be changed."))
        published = {
            record: record.publication_date
            for record in self
            if "publication_date" in vals
        }
        result = super().write(vals)
        engine = self.env["account.dunning.insolvency.engine"]
        if {"judgment_date", "state", "partner_id"} & set(vals):
            engine._sync_partners(self.partner_id)
            engine._check_blocks(self)
        changed = self.filtered(
            lambda record: record in published
            and record.publication_date != published[record]
        )
        if changed:
            engine._schedule_deadline(changed)
        if changed or {"judgment_date", "state"} & set(vals):
            engine._refresh_next_dates(self)
        return result

    def unlink(self):
        if not self.env.su:
            self._check_manager()
            if any(
                record.state != "open" or record.declaration_date for record in self
            ):
                raise UserError(
                    _(
                        "Only proceedings recorded by mistake, open and without a "
                        "declaration, can be deleted: close the others."
                    )
                )
        partners = self.partner_id
        companies = self.company_id
        self.deadline_activity_id.sudo().unlink()
        result = super().unlink()
        engine = self.env["account.dunning.insolvency.engine"]
        engine._sync_partners(partners, deleted=True)
        run_engine = self.env["account.dunning.run.engine"]
        for company in companies:
            engine._check_partner_blocks(partners, company)
            run_engine._refresh_next_action_dates(
                company, partners, fields.Date.context_today(self)
            )
        return result

    # ------------------------------------------------------------ actions

    def action_close(self):
        """Close the proceedings, with the closing date and reason filled in."""
        self._check_manager()
        self.check_access("write")
        for record in self:
            if record.state == "closed":
                raise UserError(_("These proceedings are already closed."))
            if not (record.closing_date and record.closing_reason):
                raise UserError(
                    _(
                        "Fill in the closing date and reason of the proceedings of "
                        "%s before closing them.",
                        record.partner_id.display_name,
                    )
                )
        self.env["account.dunning.insolvency.engine"]._close(self)
        return True

    def action_claim_declaration(self, send_by=None):
        """Print the declaration of claim (déclaration de créance) and send it to the
        mandataire: by email (``send_by='email'``, the default when the mandataire
        has an email address) or as a letter (``'letter'``: the PDF is returned to
        print). Traced; the proceedings become ``declared``."""
        self._check_manager()
        self.check_access("write")
        if send_by not in (None, "email", "letter"):
            raise UserError(_("Send the declaration by email or by letter."))
        for record in self:
            if record.state == "closed":
                raise UserError(_("Closed proceedings take no more declaration."))
            if not record.administrator_id:
                raise UserError(
                    _(
                        "Enter the mandataire judiciaire of the proceedings of %s: "
                        "the claim is declared to them.",
                        record.partner_id.display_name,
                    )
                )
            if send_by == "email" and not record.administrator_id.email:
                raise UserError(
                    _(
                        "The mandataire %s has no email address: send the "
                        "declaration by letter.",
                        record.administrator_id.display_name,
                    )
                )
        engine = self.env["account.dunning.insolvency.engine"]
        sent = engine._declare(self, send_by)
        letters = [
            attachment for channel, attachment in sent.values() if channel == "letter"
        ]
        if len(self) == 1 and letters:
            return {
                "type": "ir.actions.act_url",
                "url": f"/web/content/{letters[0].id}?download=true",
                "target": "self",
            }
        return True

    def action_declare_by_email(self):
        return self.action_claim_declaration("email")

    def action_declare_by_letter(self):
        return self.action_claim_declaration("letter")

    def action_print_claim(self):
        """The declaration as it stands, without sending nor tracing it."""
        self._check_manager()
        return self.env.ref(
            "account_dunning.action_report_dunning_claim"
        ).report_action(self)

    def action_view_moves(self):
        self.ensure_one()
        return self.move_ids._get_records_action(name=_("Invoices Claimed"))

    def _claim_report_values(self):
        """What the declaration prints (``account.dunning.insolvency.engine``)."""
        self.ensure_one()
        return self.env["account.dunning.insolvency.engine"]._report_values(self)

    def _get_report_base_filename(self):
        self.ensure_one()
        return _("Claim Declaration - %s", self.partner_id.name)
