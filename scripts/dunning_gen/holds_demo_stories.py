# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's stories of disputes, promises to pay and payment plans (days counted
back from the demo's today T; see holds_demo for how they are played)."""

from odoo import Command

from .holds_demo import HoldDays


class HoldStories(HoldDays):
    """Five disputes, three promises to pay, three payment plans."""

    def _stories(self):
        self._disputes()
        self._promises()
        self._plans()

    # ------------------------------------------------------------ disputes

    def _dispute(self, move, reason, amount, description, user=None):
        Dispute = self.as_user(
            self.env["account.dunning.dispute"], user or self.owner(move)
        )
        vals = {"move_id": move.id, "reason": reason, "description": description}
        if amount is not None:
            vals["amount"] = amount
        return Dispute.create(vals)

    def _disputes(self):
        stories = self.stories
        late = self.pick("dispute past its deadline", 40)
        if late:
            self.at(
                40,
                "dispute (quality, in full) on %s, left past its deadline" % late.name,
                lambda: stories.setdefault(
                    "dispute_late",
                    self._dispute(
                        late,
                        "quality",
                        None,
                        "Le client signale des finitions non conformes (vernis "
                        "écaillé sur deux façades) et refuse de régler avant la "
                        "reprise en atelier.",
                    ),
                ),
            )
        partial = self.pick("partial dispute", 6)
        if partial:
            amount = self.company.currency_id.round(partial.amount_residual * 0.3)
            self.at(
                6,
                "dispute (quantity, %.2f of %.2f) on %s"
                % (amount, partial.amount_residual, partial.name),
                lambda: self._dispute(
                    partial,
                    "quantity",
                    amount,
                    "Livraison incomplète : 3 éléments sur 10 manquants selon le bon "
                    "de livraison signé ; le reste de la facture n'est pas contesté.",
                ),
            )
        delivery = self.pick("dispute in its delay", 3)
        if delivery:
            self.at(
                3,
                "dispute (delivery, in full) on %s" % delivery.name,
                lambda: self._dispute(
                    delivery,
                    "delivery",
                    None,
                    "Marchandise livrée avec 12 jours de retard sur la date "
                    "convenue ; le client demande un geste commercial.",
                ),
            )
        self._resolved_disputes()

    def _resolved_disputes(self):
        stories = self.stories
        rejected = self.pick("rejected dispute", 35)
        if rejected:
            self.at(
                35,
                "dispute (already paid) on %s" % rejected.name,
                lambda: stories.setdefault(
                    "rejected",
                    self._dispute(
                        rejected,
                        "already_paid",
                        None,
                        "Le client affirme avoir réglé par virement le mois dernier.",
                    ),
                ),
            )
            self.at(
                27,
                "dispute on %s rejected" % rejected.name,
                lambda: self.as_user(stories["rejected"]).action_reject(
                    "Aucun virement correspondant sur nos relevés bancaires ; le "
                    "client n'a pas fourni d'avis d'opéré. La relance reprend."
                ),
            )
        accepted = self.pick("accepted dispute", 33)
        if accepted:
            amount = self._discount(accepted, 0.15)
            self.at(
                33,
                "dispute (price, %.2f) on %s" % (amount, accepted.name),
                lambda: stories.setdefault(
                    "accepted",
                    self._dispute(
                        accepted,
                        "price",
                        amount,
                        "Remise de 15 % prévue au devis non appliquée sur la facture.",
                    ),
                ),
            )
            self.at(
                24,
                "dispute on %s accepted, credit note posted and matched"
                % accepted.name,
                lambda: self._accept(stories["accepted"]),
            )

    @staticmethod
    def _discount(move, rate):
        """A discount of ``rate`` on each line of the invoice, taxes included, to
        the cent a credit note of its lines can reach."""
        currency = move.currency_id
        total = 0.0
        for line in move.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        ):
            price = currency.round(line.price_unit * rate)
            total += line.tax_ids.compute_all(price, currency, line.quantity)[
                "total_included"
            ]
        return currency.round(total)

    def _accept(self, dispute):
        self.as_user(dispute).action_accept(credit_note=True)
        refund = self.as_user(dispute.credit_note_id)
        refund.action_post()
        (refund | dispute.move_id).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
            and not line.reconciled
        ).reconcile()

    # ------------------------------------------------------------ promises

    def _promise(self, moves, date, source, note, amount=None):
        vals = {
            "partner_id": moves.commercial_partner_id.id,
            "company_id": self.company.id,
            "move_ids": [Command.set(moves.ids)],
            "date": date,
            "source": source,
            "note": note,
        }
        if amount:
            vals["amount"] = amount
        Promise = self.as_user(self.env["account.dunning.promise"], self.owner(moves))
        return Promise.create(vals)

    def _promises(self):
        kept = self.pick("kept promise", 26, 2)
        if kept:
            self.at(
                26,
                "promise to pay %s on T-16 (email)" % ", ".join(kept.mapped("name")),
                lambda: self._promise(
                    kept,
                    self.day(16),
                    "email",
                    "Le comptable s'engage par courriel à régler les deux factures "
                    "au 15 du mois.",
                ),
            )
            self.at(
                17,
                "transfer of %s: promise kept" % ", ".join(kept.mapped("name")),
                lambda: self.pay(kept, sum(kept.mapped("amount_residual")), "VIR SEPA"),
            )
        broken = self.pick("broken promise", 22)
        if broken:
            self.at(
                22,
                "promise to pay %s on T-12 (phone), never paid" % broken.name,
                lambda: self._promise(
                    broken,
                    self.day(12),
                    "phone",
                    "Le gérant promet un virement dès l'encaissement d'un chantier.",
                ),
            )
        promised = self.pick("open promise", 4, 2)
        if promised:
            self.at(
                4,
                "promise to pay %s on T+10 (phone)"
                % ", ".join(promised.mapped("name")),
                lambda: self._promise(
                    promised,
                    self.day(-10),
                    "phone",
                    "Règlement promis par téléphone après la clôture mensuelle.",
                ),
            )

    # ------------------------------------------------------------ plans

    def _plan(self, moves, count, first, every_days, note):
        Plan = self.as_user(self.env["account.dunning.plan"])
        plan = Plan.create(
            {
                "partner_id": moves.commercial_partner_id.id,
                "company_id": self.company.id,
                "move_ids": [Command.set(moves.ids)],
                "note": note,
            }
        )
        plan.action_fill_instalments(
            count=count,
            first_date=self.day(first),
            period="days" if every_days else "monthly",
            every_days=every_days or 30,
        )
        plan.action_activate()
        return plan

    def _instalment(self, key, rank):
        """Pay the plan's instalment of that rank (0: the first)."""
        plan = self.stories[key]
        line = plan.line_ids.sorted(lambda line: (line.date, line.id))[rank]
        self.pay(plan.move_ids, line.amount - line.paid_amount, "VIR %s" % plan.name)

    def _plans(self):
        stories = self.stories
        done = self.pick("plan paid in full", 100)
        if done:
            self.at(
                100,
                "payment plan of %s in 2 instalments (T-90, T-60)" % done.name,
                lambda: stories.setdefault(
                    "done",
                    self._plan(done, 2, 90, 30, "Échéancier accordé après la relance."),
                ),
            )
            self.at(89, "first instalment paid", lambda: self._instalment("done", 0))
            self.at(
                58,
                "last instalment paid: plan done",
                lambda: self._instalment("done", 1),
            )
        late = self.pick("plan with a late instalment", 45, 2)
        if late:
            self.at(
                45,
                "payment plan of %s in 3 instalments (T-40, T-10, T+20)"
                % ", ".join(late.mapped("name")),
                lambda: stories.setdefault(
                    "plan_late",
                    self._plan(
                        late,
                        3,
                        40,
                        30,
                        "Difficultés de trésorerie passagères : trois versements "
                        "mensuels acceptés par la direction.",
                    ),
                ),
            )
            self.at(
                41, "first instalment paid", lambda: self._instalment("plan_late", 0)
            )
        track = self.pick("plan on track", 20, 2)
        if track:
            self.at(
                20,
                "payment plan of %s in 4 monthly instalments from T-10"
                % ", ".join(track.mapped("name")),
                lambda: stories.setdefault(
                    "track",
                    self._plan(
                        track,
                        4,
                        10,
                        0,
                        "Échéancier mensuel signé par le client (prélèvement le 10).",
                    ),
                ),
            )
            self.at(11, "first instalment paid", lambda: self._instalment("track", 0))
