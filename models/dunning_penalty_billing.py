"""Billing the penalties: one penalty invoice per customer and currency, the claims
that record what each invoice billed, waivers, and the trace."""

from collections import defaultdict

from odoo import Command, _, api, fields, models


class AccountDunningPenaltyEngine(models.AbstractModel):
    _inherit = "account.dunning.penalty.engine"

    # ----------------------------------------------------------------- billing

    @api.model
    def _bill_at_level(self, actions, on_date):
        """Bill the penalties of customers who reached their policy's billing level.

        As any penalty billing, with the rights of who executes the run: the
        scheduled action, or a user who may create invoices.
        """
        to_bill = self.env["account.move"]
        for action in actions:
            policy = action.level_id.policy_id
            if (
                policy.penalty_bill_level_id
                and policy.penalty_bill_level_id == action.level_id
            ):
                to_bill |= action.move_ids
        if to_bill:
            if not self.env.su:
                self.env["account.move"]._dunning_check_may_bill()
            self._bill(to_bill, on_date)

    @api.model
    def _bill(self, moves, on_date):
        """Create and post one penalty invoice per customer and currency.

        The penalty invoices are created with the caller's rights: a user's, checked
        by ``_dunning_check_may_bill``, or the engine's when a level bills them.
        """
        self._revise(moves, on_date)
        # A disputed invoice's penalties wait for the outcome (the interest keeps
        # accruing: a rejected dispute loses nothing); a plan's are in its total.
        moves = moves.filtered(
            lambda move: not move.dunning_disputed and move.dunning_hold != "plan"
        )
        unbilled = self._unbilled(moves, on_date)
        groups = defaultdict(lambda: self.env["account.move"])
        for move, due in unbilled.items():
            if due["lines"] or due["indemnity"] or due["fee"]:
                groups[
                    move.company_id, move.commercial_partner_id, move.currency_id
                ] |= move
        penalty_moves = self.env["account.move"]
        for (company, partner, currency), group in groups.items():
            penalty_move = self._bill_group(
                company, partner, currency, group, unbilled, on_date
            )
            penalty_moves |= penalty_move
        return penalty_moves

    @api.model
    def _bill_group(self, company, partner, currency, moves, unbilled, on_date):
        """One penalty invoice for these invoices, unless under the minimum."""
        policy = moves[0]._dunning_policy()
        line_vals, claim_vals = [], []
        accounts = {
            kind: self._income_account(company, policy, kind)
            for kind in ("interest", "indemnity", "fee")
        }
        for move in moves:
            move_lines, move_claim = move._dunning_penalty_lines(
                unbilled[move], policy, accounts
            )
            line_vals += move_lines
            claim_vals.append(move_claim)
        total = sum(vals["price_unit"] for vals in line_vals)
        in_company = currency._convert(total, company.currency_id, company, on_date)
        if (
            company.currency_id.compare_amounts(in_company, policy.penalty_min_amount)
            < 0
        ):
            return self.env["account.move"]
        # Lines without an account of the policy take the sale journal's income
        # account, set here once: Odoo would look one up for each line.
        journal = self._sale_journal(company, currency)
        if journal.default_account_id:
            for vals in line_vals:
                vals.setdefault("account_id", journal.default_account_id.id)
        self._set_analytic_distribution(line_vals, company, partner)
        penalty_move = self.env["account.move"].create(
            {
                **({"journal_id": journal.id} if journal else {}),
                "move_type": "out_invoice",
                "company_id": company.id,
                "partner_id": partner.id,
                "currency_id": currency.id,
                # Issued today, for the days up to on_date: never backdated.
                "invoice_date": fields.Date.context_today(self),
                "invoice_origin": ", ".join(move.name for move in moves),
                "invoice_line_ids": [Command.create(vals) for vals in line_vals],
            }
        )
        penalty_move.action_post()
        mark = self._reconcile_mark()
        for vals in claim_vals:
            vals["penalty_move_id"] = penalty_move.id
            vals["reconcile_mark"] = mark
        # sudo: the claims are the engine's record of what this invoice billed.
        self.env["account.dunning.penalty"].sudo().create(claim_vals)
        self._trace(
            moves, "penalty", _("Penalty invoice %s", penalty_move.name), penalty_move
        )
        return penalty_move

    @api.model
    def _penalty_line_vals(self, label, amount, account):
        """One line of a penalty invoice or credit note: no tax (penalties are
        damages, outside the scope of VAT)."""
        vals = {
            "name": label,
            "quantity": 1,
            "price_unit": amount,
            "tax_ids": [Command.clear()],
        }
        if account:
            vals["account_id"] = account.id
        return vals

    @api.model
    def _reconcile_mark(self):
        """The last partial reconciliation so far: what a claim was billed after."""
        self.env["account.partial.reconcile"].flush_model()
        self.env.cr.execute(
            "SELECT COALESCE(MAX(id), 0) FROM account_partial_reconcile"
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _set_analytic_distribution(self, line_vals, company, partner):
        """The analytic distribution models' share of each line, as Odoo applies it
        to a line without product, looked up once per account (not once per line)."""
        Account = self.env["account.account"]
        cache = {}
        for vals in line_vals:
            if "account_id" not in vals or "analytic_distribution" in vals:
                continue
            if vals["account_id"] not in cache:
                cache[vals["account_id"]] = self.env[
                    "account.analytic.distribution.model"
                ]._get_distribution(
                    {
                        "product_id": False,
                        "product_categ_id": False,
                        "partner_id": partner.id,
                        "partner_category_id": partner.category_id.ids,
                        "account_prefix": Account.browse(vals["account_id"]).code,
                        "company_id": company.id,
                    }
                )
            vals["analytic_distribution"] = cache[vals["account_id"]] or False

    @api.model
    def _sale_journal(self, company, currency):
        """The sale journal Odoo would take for an invoice in this currency."""
        Journal = self.env["account.journal"]
        domain = [*Journal._check_company_domain(company), ("type", "=", "sale")]
        journal = Journal.browse()
        if currency != company.currency_id:
            journal = Journal.search(
                domain + [("currency_id", "=", currency.id)], limit=1
            )
        return journal or Journal.search(domain, limit=1)

    @api.model
    def _waive(self, moves, reason):
        """Waive what is left of these invoices' penalties (checks done by caller)."""
        today = fields.Date.context_today(self)
        unbilled = self._unbilled(moves, today)
        instalments = self._instalments(moves)
        claims = []
        for move in moves:
            due = unbilled.get(
                move, {"lines": [], "provisional": [], "indemnity": 0.0, "fee": 0.0}
            )
            paid = [instalment.paid_on for instalment in instalments[move]]
            paid_on = max(paid) if paid and all(paid) else None
            claims.append(
                {
                    "move_id": move.id,
                    "kind": "waiver",
                    "interest_until": min(paid_on, today) if paid_on else today,
                    # Provisional days are waived too: the waiver covers up to today.
                    "interest_amount": sum(
                        line.amount for line in due["lines"] + due["provisional"]
                    ),
                    "indemnity": True,
                    "indemnity_amount": due["indemnity"],
                    "fee_amount": due["fee"],
                    "reason": reason,
                }
            )
        # sudo: after the caller's manager check; the claims are the engine's record.
        self.env["account.dunning.penalty"].sudo().create(claims)
        self._trace(moves, "waiver", _("Penalties waived: %s", reason))

    @api.model
    def _trace(self, moves, channel, reason, penalty_move=None):
        """A trace line per customer for a penalty invoice or a waiver."""
        # sudo: the trace is append-only, written by the engine after the checks
        # of the billing and waiver actions.
        self.env["account.dunning.action"].sudo().create(
            [
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "channel": channel,
                    "state": "sent",
                    "reason": reason,
                    "date": fields.Date.context_today(self),
                    "move_ids": [Command.set(group.ids)],
                    "penalty_move_id": penalty_move.id if penalty_move else False,
                    "amount": sum(group.mapped("amount_residual_signed")),
                }
                for (company, partner), group in moves.grouped(
                    lambda move: (move.company_id, move.commercial_partner_id)
                ).items()
            ]
        )

    @api.model
    def _bill_recovery_costs(self, move, costs, amount, indemnity, reason):
        """A penalty invoice for the recovery costs ``costs`` incurred, above the flat
        indemnity: ``amount`` = costs - indemnity, claimed on justification
        (L441-10 II C. com.); checks done by the caller."""
        company, partner = move.company_id, move.commercial_partner_id
        policy = move._dunning_policy()
        vals = self._penalty_line_vals(
            _(
                "Recovery costs on %(invoice)s above the fixed indemnity "
                "(%(costs)s incurred - %(indemnity)s), on justification: %(reason)s",
                invoice=move.name,
                costs=costs,
                indemnity=indemnity,
                reason=reason,
            ),
            amount,
            self._income_account(company, policy, "indemnity"),
        )
        self._set_analytic_distribution([vals], company, partner)
        journal = self._sale_journal(company, move.currency_id)
        penalty_move = self.env["account.move"].create(
            {
                **({"journal_id": journal.id} if journal else {}),
                "move_type": "out_invoice",
                "company_id": company.id,
                "partner_id": partner.id,
                "currency_id": move.currency_id.id,
                "invoice_date": fields.Date.context_today(self),
                "invoice_origin": move.name,
                "invoice_line_ids": [Command.create(vals)],
            }
        )
        penalty_move.action_post()
        # sudo: after the caller's manager check; the claim is the engine's record.
        self.env["account.dunning.penalty"].sudo().create(
            {
                "move_id": move.id,
                "penalty_move_id": penalty_move.id,
                "kind": "bill",
                "recovery_cost_amount": amount,
                "reason": reason,
                "detail": vals["name"],
            }
        )
        self._trace(
            move, "penalty", _("Penalty invoice %s", penalty_move.name), penalty_move
        )
        return penalty_move
