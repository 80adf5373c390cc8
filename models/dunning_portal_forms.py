import psycopg2.errors

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import MissingError, UserError, ValidationError
from odoo.tools import SQL, format_date, plaintext2html
from odoo.tools.mimetypes import guess_mimetype

from . import portal_form_rules as rules
from .account_dunning_dispute import REASONS

# What the page keeps of a text the customer typed, at most (characters).
MAX_TEXT = 10000


class AccountDunningPortal(models.AbstractModel):
    """The customer page's forms: a promise to pay, a dispute, a payment plan asked
    for. Each reads what the customer typed, checks every id against the customer
    the controller established, and creates the record for that customer in
    superuser mode, where the record's own checks decide the business rules; a
    refusal creates nothing and comes back as the form's message."""

    _inherit = "account.dunning.portal"

    # ------------------------------------------------------------ helpers

    @api.model
    def _forms_env(self, company):
        """The environment the forms create in: superuser (as Odoo's website forms
        do), in the customer's company, the customer never made a follower."""
        # superuser: the controller established the customer (its own entity or a
        # valid signed link) and every id it sent is checked against it below.
        return (
            self.with_user(SUPERUSER_ID)
            .with_company(company)
            .with_context(mail_create_nosubscribe=True)
            .env
        )

    @api.model
    def _lock_customer(self, partner):
        """One form of a customer at a time: two requests at once (a double click)
        would each check the invoices free, then both hold them. The customer's row
        is locked until the transaction ends; the second waits, then sees the first."""
        self.env.execute_query(
            SQL(
                "SELECT id FROM res_partner WHERE id = %s FOR UPDATE",
                partner.commercial_partner_id.id,
            )
        )

    @api.model
    def _portal_owner(self, partner, company, first=None):
        """Who handles what the customer did on its page: ``first`` (users, e.g. the
        invoice's salesperson), the customer's salesperson, else the company's first
        dunning manager, else the administrator; an active internal user of the
        company, never the customer."""
        Users = self.env["res.users"]
        candidates = (
            (first or Users)
            | partner.user_id
            | self.env["account.dunning.hold.engine"]._first_manager(company)
            | (self.env.ref("base.user_admin", raise_if_not_found=False) or Users)
        )
        for user in candidates.sudo():
            if (
                user.active
                and not user.share
                and not user._is_superuser()
                and company in user.company_ids
            ):
                return user
        return Users

    @api.model
    def _pending_plans(self, partner, company):
        # sudo: the customer's own requests, not answered yet.
        return (
            self.env["account.dunning.plan"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "draft"),
                    ("source", "=", "portal"),
                ],
                limit=1,
            )
        )

    @api.model
    def _customer_moves(self, partner, company, ids):
        """The posted customer invoices ``ids`` of the customer in the company. Any
        other id (another customer's, another company's, none at all) is refused the
        same way, as if it did not exist: ``MissingError``."""
        if not ids:
            return self.env["account.move"]
        if not all(0 < move_id < 2**31 for move_id in ids):
            raise MissingError(self.env._("This invoice does not exist."))
        # sudo: restricted to the customer and the company just below.
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("id", "in", ids),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                    ("company_id", "=", company.id),
                ]
            )
        )
        if len(moves) != len(ids):
            raise MissingError(self.env._("This invoice does not exist."))
        return moves.sorted(lambda move: ids.index(move.id))

    @api.model
    def _read_date(self, value):
        if not (value or "").strip():
            raise ValidationError(self.env._("Choose a date."))
        try:
            return rules.parse_date(value)
        except ValueError:
            raise ValidationError(
                self.env._("“%s” is not a date.", str(value)[:40])
            ) from None

    @api.model
    def _read_amount(self, value):
        if not (value or "").strip():
            raise ValidationError(self.env._("Enter the amount."))
        try:
            return rules.parse_amount(value)
        except ValueError:
            raise ValidationError(
                self.env._("“%s” is not a number.", str(value)[:40])
            ) from None

    @api.model
    def _read_upload(self, company, upload):
        """``(name, content, mimetype)`` of the file attached, None without one."""
        if upload is None or not getattr(upload, "filename", None):
            return None
        name = rules.upload_name(upload.filename)[:200] or "attachment"
        limit_mb = company.dunning_portal_upload_mb or 10
        data = upload.read(limit_mb * 1024 * 1024 + 1)
        if len(data) > limit_mb * 1024 * 1024:
            raise ValidationError(
                self.env._(
                    "The file “%(name)s” is over %(limit)s MB: attach a smaller one.",
                    name=name,
                    limit=limit_mb,
                )
            )
        if not data:
            raise ValidationError(self.env._("The file “%s” is empty.", name))
        mimetype = rules.upload_type(name, guess_mimetype(data))
        if not mimetype:
            raise ValidationError(
                self.env._(
                    "The file “%s” cannot be attached: attach a PDF, an image (PNG, "
                    "JPEG, GIF, WebP), a text or CSV file, or an office document "
                    "(Word, Excel, OpenDocument).",
                    name,
                )
            )
        return name, data, mimetype

    @api.model
    def _error_text(self, error):
        return str(error.args[0]) if error.args else str(error)

    # ------------------------------------------------------------ the forms

    @api.model
    def _portal_promise(self, partner, company, values, author=None):
        """The customer promises to pay ``amount`` on ``date`` for ``move_ids``:
        ``(promise, False)``, or ``(nothing, message)`` when refused; ``MissingError``
        for an invoice that is not the customer's in the company."""
        env = self._forms_env(company)
        Promise = env["account.dunning.promise"]
        partner = partner.commercial_partner_id
        self._lock_customer(partner)
        try:
            ids = rules.parse_ids(values.get("move_ids"))
        except ValueError:
            raise MissingError(self.env._("This invoice does not exist.")) from None
        moves = self._customer_moves(partner, company, ids)
        try:
            if not moves:
                raise ValidationError(
                    self.env._("Choose the invoices you promise to pay.")
                )
            day = self._read_date(values.get("date"))
            amount = self._read_amount(values.get("amount"))
            if amount <= 0:
                # The model reads no amount as "all that is due": not the customer.
                raise ValidationError(
                    self.env._("The promised amount must be above zero.")
                )
            owner = self._portal_owner(partner, company)
            with env.cr.savepoint():
                promise = Promise.create(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "move_ids": [fields.Command.set(moves.ids)],
                        "date": day,
                        "amount": amount,
                        "source": "portal",
                        "user_id": owner.id,
                    }
                )
                promise.message_post(
                    body=self.env._("Promise made on the customer page."),
                    author_id=(author or partner).id,
                    subtype_xmlid="mail.mt_note",
                )
        except (UserError, ValidationError) as error:
            return Promise, self._error_text(error)
        return promise, False

    @api.model
    def _portal_dispute(self, partner, company, move_id, values, upload, author=None):
        """The customer disputes the invoice ``move_id`` for ``reason``, with a
        ``description`` and a file (``upload``: an object with ``filename`` and
        ``read``, Werkzeug's ``FileStorage``): ``(dispute, False)`` or
        ``(nothing, message)``; ``MissingError`` for an invoice not the customer's."""
        env = self._forms_env(company)
        Dispute = env["account.dunning.dispute"]
        partner = partner.commercial_partner_id
        self._lock_customer(partner)
        move = self._customer_moves(partner, company, [move_id])
        try:
            reason = values.get("reason")
            if reason not in dict(REASONS):
                raise ValidationError(self.env._("Choose the reason of your dispute."))
            description = (values.get("description") or "").strip()[:MAX_TEXT]
            upload = self._read_upload(company, upload)
            owner = self._portal_owner(partner, company, move.invoice_user_id)
            with env.cr.savepoint():
                dispute = Dispute.create(
                    {
                        "move_id": move.id,
                        "reason": reason,
                        "description": description,
                        "source": "portal",
                        "user_id": owner.id,
                    }
                )
                attachment = env["ir.attachment"]
                if upload:
                    name, data, mimetype = upload
                    attachment = attachment.create(
                        {
                            "name": name,
                            "raw": data,
                            "mimetype": mimetype,
                            "res_model": dispute._name,
                            "res_id": dispute.id,
                        }
                    )
                # The customer's own words in the dispute's chatter, for its owner.
                dispute.message_post(
                    body=plaintext2html(description)
                    if description
                    else self._labels(dispute._name, "reason")[reason],
                    author_id=(author or partner).id,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    attachment_ids=attachment.ids,
                )
        except (UserError, ValidationError) as error:
            return Dispute, self._error_text(error)
        except psycopg2.errors.UniqueViolation:
            # Two disputes of the invoice at once: the other one was first.
            return Dispute, self.env._(
                "The invoice %s is already under an open dispute.", move.name
            )
        return dispute, False

    @api.model
    def _portal_plan(self, partner, company, values, author=None):
        """The customer asks for its overdue invoices in ``instalments`` monthly
        instalments from ``first_date``: a draft plan for its owner to approve or
        refuse, ``(plan, False)``, or ``(nothing, message)``."""
        env = self._forms_env(company)
        Plan = env["account.dunning.plan"]
        partner = partner.commercial_partner_id
        self._lock_customer(partner)
        try:
            raw = values.get("instalments")
            try:
                count = rules.parse_int(raw)
            except ValueError:
                raise ValidationError(
                    self.env._(
                        "“%s” is not a number of instalments.", str(raw or "")[:40]
                    )
                ) from None
            first = self._read_date(values.get("first_date"))
            today = fields.Date.context_today(self)
            policy = partner._dunning_policy(company)
            max_days = rules.plan_max_first_days(policy.promise_max_days)
            error = rules.plan_bounds_error(count, first, today, max_days)
            if error:
                raise ValidationError(
                    {
                        "few": self.env._(
                            "A payment plan has at least %s instalments.",
                            rules.PLAN_MIN_INSTALMENTS,
                        ),
                        "many": self.env._(
                            "A payment plan asked for here has at most %s "
                            "instalments: contact us for a longer one.",
                            rules.PLAN_MAX_INSTALMENTS,
                        ),
                        "past": self.env._(
                            "The first instalment cannot be in the past."
                        ),
                        "far": self.env._(
                            "The first instalment cannot be more than %s days away.",
                            max_days,
                        ),
                    }[error]
                )
            if self._pending_plans(partner, company):
                raise ValidationError(
                    self.env._(
                        "We are reviewing your last request for a payment plan: we "
                        "will answer it by email."
                    )
                )
            # sudo (superuser env): the customer's own overdue invoices.
            moves = env["account.dunning.promise"]._default_moves(partner, company)
            moves = moves.filtered(lambda move: not move.dunning_hold)
            if not moves:
                raise ValidationError(
                    self.env._("You have no overdue invoice to pay in instalments.")
                )
            owner = self._portal_owner(partner, company)
            with env.cr.savepoint():
                plan = Plan.create(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "move_ids": [fields.Command.set(moves.ids)],
                        "source": "portal",
                        "user_id": owner.id,
                        **(
                            {"tolerance_days": policy.plan_tolerance_days}
                            if policy
                            else {}
                        ),
                    }
                )
                plan.action_fill_instalments(count, first)
                if plan._schedule_errors():
                    raise ValidationError(
                        self.env._(
                            "%s instalments would be too small: ask for fewer.", count
                        )
                    )
                text = self.env._(
                    "Payment plan asked for on the customer page: %(total)s in "
                    "%(count)s monthly instalments from %(first)s (%(invoices)s).",
                    total=plan.currency_id.format(plan.amount_total),
                    count=count,
                    first=format_date(self.env, first),
                    invoices=", ".join(moves.mapped("name")),
                )
                plan.message_post(
                    body=text,
                    author_id=(author or partner).id,
                    subtype_xmlid="mail.mt_note",
                )
                env["account.dunning.hold.engine"]._schedule_activity(
                    plan,
                    owner,
                    self.env._(
                        "Approve or refuse the payment plan asked for by %s",
                        partner.display_name,
                    ),
                    text,
                )
        except (UserError, ValidationError) as error:
            return Plan, self._error_text(error)
        return plan, False
