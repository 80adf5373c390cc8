from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import sql

from . import debtor_rules


class AccountMove(models.Model):
    """Late-payment penalties of an invoice: computed, billed, revised, waived."""

    _inherit = "account.move"

    dunning_credit_note_kind = fields.Selection(
        [
            ("correction", "Correction of the invoice"),
            ("commercial", "Commercial gesture or return"),
        ],
        string="Credit Note Nature",
        compute="_compute_dunning_credit_note_kind",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
        groups="base.group_user",
        help="A correction (the invoice was wrong: a reversal of it) cuts the late "
        "interest base from the invoice's due date, since nothing was owed on the "
        "corrected part; a commercial gesture or a return counts from the credit "
        "note's date, as a payment.",
    )
    dunning_penalty_provisional = fields.Boolean(
        string="Provisional Penalties",
        compute="_compute_dunning_penalties",
        groups="base.group_user",
        help="Part of the interest is computed with the last known rate: the rate "
        "of a half-year is not published yet. Those days cannot be billed.",
    )

    def _auto_init(self):
        """Fill the nature of existing credit notes in one statement."""
        cr = self.env.cr
        created = not sql.column_exists(cr, "account_move", "dunning_credit_note_kind")
        if created:
            sql.create_column(cr, "account_move", "dunning_credit_note_kind", "varchar")
            cr.execute(
                """
                UPDATE account_move
                   SET dunning_credit_note_kind = CASE
                       WHEN reversed_entry_id IS NOT NULL THEN 'correction'
                       ELSE 'commercial' END
                 WHERE move_type = 'out_refund'
                """
            )
        return super()._auto_init()

    @api.depends("move_type", "reversed_entry_id")
    def _compute_dunning_credit_note_kind(self):
        for move in self:
            if move.move_type != "out_refund":
                move.dunning_credit_note_kind = False
            elif not move.dunning_credit_note_kind or move.reversed_entry_id:
                move.dunning_credit_note_kind = (
                    "correction" if move.reversed_entry_id else "commercial"
                )

    # ---------------------------------------------------------------- penalties

    def _dunning_policy(self):
        self.ensure_one()
        return self.commercial_partner_id._dunning_policy(self.company_id)

    def _dunning_rates(self):
        """The dated rate series the policies of these invoices read, in one query."""
        engine = self.env["account.dunning.penalty.engine"]
        policies = self.env["account.dunning.policy"].union(
            *engine._policies(self).values()
        )
        return engine._rates(policies)

    def dunning_interest_detail(self, date=None):
        """The interest detail lines up to ``date`` (default today), as plain data.

        One line per period and instalment, sorted by date.
        """
        self.ensure_one()
        on_date = fields.Date.to_date(date) or fields.Date.context_today(self)
        penalties = self.env["account.dunning.penalty.engine"]._penalties(self, on_date)
        lines = penalties.get(self, ([], 0.0))[0]
        return [line._asdict() for line in lines]

    @api.depends_context("company")
    def _compute_dunning_penalties(self):
        today = fields.Date.context_today(self)
        penalties = self.env["account.dunning.penalty.engine"]._penalties(
            self.filtered("id"), today
        )
        for move in self:
            lines, indemnity = penalties.get(move, ([], 0.0))
            move.dunning_penalty_provisional = any(line.provisional for line in lines)
            move.dunning_interest_amount = sum(line.amount for line in lines)
            move.dunning_indemnity_amount = indemnity if move in penalties else 0.0
            move.dunning_interest_detail_html = (
                move._dunning_detail_html(lines) if move in penalties else False
            )

    def _dunning_detail_html(self, lines):
        return self.env["ir.qweb"]._render(
            "account_dunning.interest_detail_table", {"move": self, "lines": lines}
        )

    def _dunning_check_billable(self):
        late = self.env["account.dunning.penalty.engine"]._late_instalments(
            self, fields.Date.context_today(self)
        )
        for move in self:
            if move.move_type != "out_invoice":
                raise UserError(
                    _(
                        "Late-payment penalties are billed on customer invoices only "
                        "(%s).",
                        move.display_name,
                    )
                )
            if move.state != "posted":
                raise UserError(
                    _(
                        "The invoice %s is not posted: it has no penalties.",
                        move.display_name,
                    )
                )
            if move not in late:
                raise UserError(
                    _(
                        "The invoice %s was not paid late: it has no penalties.",
                        move.display_name,
                    )
                )

    @api.model
    def _dunning_check_may_bill(self):
        """Billing penalties creates and posts invoices: invoicing users only."""
        user = self.env.user
        if not (
            user.has_group("account_dunning.group_dunning_user")
            and user.has_group("account.group_account_invoice")
        ):
            raise AccessError(
                _(
                    "Only users who may create invoices (Invoicing / Billing) can "
                    "bill late-payment penalties."
                )
            )

    def action_dunning_bill_penalties(self):
        """Bill the interest, indemnity and fees of these invoices not yet claimed."""
        self._dunning_check_may_bill()
        self._dunning_check_billable()
        held = self.filtered(
            lambda move: move.dunning_disputed or move.dunning_hold == "plan"
        )
        if held and held == self:
            raise UserError(
                _(
                    "The penalties of %s wait: the invoice is disputed or in a payment "
                    "plan.",
                    held[0].display_name,
                )
            )
        today = fields.Date.context_today(self)
        engine = self.env["account.dunning.penalty.engine"]
        penalty_moves = self._dunning_bill_penalties(today)
        if not penalty_moves:
            provisional = [
                line
                for due in engine._unbilled(self, today).values()
                for line in due["provisional"]
            ]
            if provisional:
                first = min(line.date_from for line in provisional)
                raise UserError(
                    _(
                        "The interest from %(date)s is provisional: the rate of "
                        "%(half_year)s is not published yet. It can be billed once "
                        "the rate is entered (Dunning > Configuration > Reference "
                        "Rates).",
                        date=first,
                        half_year=self.env[
                            "account.dunning.rate.series"
                        ]._half_year_label(first),
                    )
                )
            raise UserError(_("These invoices have no penalties left to bill."))
        return penalty_moves._get_records_action(name=_("Penalty Invoices"))

    def action_dunning_revise_penalties(self):
        """Credit the interest billed on these invoices that a payment or a credit
        note registered later made undue: one penalty credit note per customer."""
        self._dunning_check_may_bill()
        invoices = self.filtered(lambda move: move.move_type == "out_invoice")
        refunds = self.env["account.dunning.penalty.engine"]._revise(
            invoices, fields.Date.context_today(self)
        )
        if not refunds:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": _(
                        "Nothing to revise: the interest billed is still all due."
                    ),
                    "sticky": False,
                },
            }
        return refunds._get_records_action(name=_("Penalty Credit Notes"))

    def action_dunning_bill_recovery_costs(self, amount, reason):
        """Bill recovery costs above the flat indemnity, on justification (L441-10 II
        C. com.): a dunning manager, with the reason. Never to a consumer (L111-8
        CPCE: without an enforceable title, recovery costs stay with the creditor)."""
        self.ensure_one()
        if not self.env.user.has_group("account_dunning.group_dunning_manager"):
            raise AccessError(
                _("Only dunning managers can bill justified recovery costs.")
            )
        self._dunning_check_may_bill()
        self._dunning_check_billable()
        if not (reason or "").strip():
            raise UserError(
                _("Give the justification of the recovery costs (what was spent).")
            )
        if (
            not isinstance(amount, int | float)
            or self.currency_id.compare_amounts(amount, 0) <= 0
        ):
            raise UserError(_("The recovery costs must be a positive amount."))
        debtor = self.env["res.partner"]._dunning_debtor_types(
            self.commercial_partner_id
        )
        if debtor.get(self.commercial_partner_id.id) == debtor_rules.CONSUMER:
            raise UserError(
                _(
                    "Recovery costs cannot be charged to a consumer without an "
                    "enforceable title: they stay with the creditor (art. L111-8 "
                    "CPCE)."
                )
            )
        engine = self.env["account.dunning.penalty.engine"]
        if engine._insolvency_dates(self):
            raise UserError(
                _(
                    "The customer is in insolvency proceedings: the claim is declared "
                    "to the court-appointed representative, not billed."
                )
            )
        # Only the costs above the flat indemnity (L441-10 II; directive art. 6(3)).
        amount = self.currency_id.round(amount)
        indemnity = self._dunning_indemnity_claimable()
        extra = self.currency_id.round(amount - indemnity)
        if self.currency_id.compare_amounts(extra, 0) <= 0:
            raise UserError(
                _(
                    "These costs (%(costs)s) do not exceed the fixed indemnity of "
                    "%(indemnity)s due on the invoice: nothing more can be claimed.",
                    costs=amount,
                    indemnity=indemnity,
                )
            )
        penalty_move = engine._bill_recovery_costs(
            self, amount, extra, indemnity, reason.strip()
        )
        return penalty_move._get_records_action(name=_("Penalty Invoices"))

    def _dunning_indemnity_claimable(self):
        """The flat indemnity of this late invoice: billed, or due."""
        self.ensure_one()
        # sudo: what the claims already took, to deduct it from the costs.
        claims = self.sudo().dunning_penalty_ids.filtered(
            lambda claim: claim.in_force and claim.indemnity
        )
        if claims:
            return sum(claims.mapped("indemnity_amount"))
        _late, _by_item, indemnities = self.env[
            "account.dunning.penalty.engine"
        ]._penalties_by_item(self, fields.Date.context_today(self))
        return indemnities.get(self, 0.0)

    def _dunning_detail_text(self, lines):
        """The interest detail lines as text, one line per period."""
        return "\n".join(
            self.env._(
                "%(start)s - %(end)s: %(days)s days x %(base)s x %(rate)s %% "
                "= %(amount)s",
                start=line.date_from,
                end=line.date_to,
                days=line.days,
                base=line.base,
                rate=line.rate,
                amount=line.amount,
            )
            for line in lines
        )

    def _dunning_bill_penalties(self, on_date):
        """Bill the penalties of these invoices (see the penalty engine)."""
        return self.env["account.dunning.penalty.engine"]._bill(self, on_date)

    def _dunning_penalty_lines(self, due, policy, accounts=None):
        """Invoice line values and the claim of one invoice's penalties."""
        self.ensure_one()
        if accounts is None:
            engine = self.env["account.dunning.penalty.engine"]
            accounts = {
                kind: engine._income_account(self.company_id, policy, kind)
                for kind in ("interest", "indemnity", "fee")
            }
        lines, interest = due["lines"], sum(line.amount for line in due["lines"])
        line_vals = []

        def add(label, amount, account):
            line_vals.append(
                self.env["account.dunning.penalty.engine"]._penalty_line_vals(
                    label, amount, account
                )
            )

        if lines:
            detail = self._dunning_detail_text(lines)
            add(
                _(
                    "Late interest on %(invoice)s\n%(detail)s",
                    invoice=self.name,
                    detail=detail,
                ),
                interest,
                accounts["interest"],
            )
        if due["indemnity"]:
            french = self.company_id._dunning_legal_regime() == debtor_rules.FRANCE
            # sudo: which law the indemnity line cites depends on the debtor.
            public = (
                self.commercial_partner_id.sudo().dunning_debtor_type
                == debtor_rules.PUBLIC_BODY
            )
            if french and public:
                label = _(
                    "Fixed indemnity for recovery costs on %s (art. L2192-13 and "
                    "D2192-35 CCP)",
                    self.name,
                )
            elif french:
                label = _(
                    "Fixed indemnity for recovery costs on %s (art. L441-10 C. com.)",
                    self.name,
                )
            else:
                label = _("Fixed indemnity for recovery costs on %s", self.name)
            add(
                label,
                due["indemnity"],
                accounts["indemnity"],
            )
        if due["fee"]:
            add(
                _("Dunning fees on %s", self.name),
                due["fee"],
                accounts["fee"],
            )
        claim = {
            "move_id": self.id,
            "kind": "bill",
            "interest_from": min(line.date_from for line in lines) if lines else False,
            # Instalments' lines overlap: the last day is the latest end, whichever
            # line starts last.
            "interest_until": max(line.date_to for line in lines) if lines else False,
            "interest_amount": interest,
            "indemnity": bool(due["indemnity"]),
            "indemnity_amount": due["indemnity"],
            "fee_amount": due["fee"],
            "detail": "\n".join(vals["name"] for vals in line_vals),
        }
        return line_vals, claim

    def action_dunning_waive_penalties(self, reason):
        """Waive what is left of these invoices' penalties, for a traced reason."""
        if not self.env.user.has_group("account_dunning.group_dunning_manager"):
            raise AccessError(_("Only dunning managers can waive penalties."))
        if not (reason or "").strip():
            raise UserError(_("Give the reason for waiving the penalties."))
        self.env["account.dunning.penalty.engine"]._waive(self, reason.strip())
        return True
