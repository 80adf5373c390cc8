# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Doubtful and lost receivables on the invoice: the buttons and the state they
leave. The entries are booked by ``account.dunning.doubtful.engine``."""

from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError

from . import dunning_access

# Written by the doubtful buttons through the engine alone.
DOUBTFUL_ENGINE_FIELDS = (
    "dunning_doubtful",
    "dunning_doubtful_date",
    "dunning_doubtful_rate",
    "dunning_doubtful_reason",
    "dunning_doubtful_amount",
    "dunning_writedown_amount",
    "dunning_writedown_reversed",
    "dunning_doubtful_entry_id",
    "dunning_writedown_entry_id",
    "dunning_doubtful_move_ids",
    "dunning_written_off",
    "dunning_writeoff_date",
    "dunning_writeoff_amount",
    "dunning_writeoff_reason",
    "dunning_writeoff_refund_id",
    "dunning_writeoff_move_ids",
)


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_doubtful = fields.Boolean(
        string="Doubtful",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        help="The amount due was moved to the doubtful receivables account (416).",
    )
    dunning_doubtful_date = fields.Date(
        string="Doubtful Since", readonly=True, copy=False, groups="base.group_user"
    )
    dunning_doubtful_rate = fields.Float(
        string="Write-Down Rate (%)",
        readonly=True,
        copy=False,
        digits=(5, 2),
        groups="base.group_user",
    )
    dunning_doubtful_reason = fields.Char(
        string="Doubtful Reason", readonly=True, copy=False, groups="base.group_user"
    )
    dunning_doubtful_amount = fields.Monetary(
        string="Doubtful Amount",
        currency_field="company_currency_id",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The amount due moved to 416, in company currency.",
    )
    dunning_writedown_amount = fields.Monetary(
        string="Write-Down",
        currency_field="company_currency_id",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The write-down booked: the amount due excluding VAT x the rate.",
    )
    dunning_writedown_reversed = fields.Monetary(
        string="Write-Down Reversed",
        currency_field="company_currency_id",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    dunning_doubtful_entry_id = fields.Many2one(
        "account.move",
        string="Doubtful Transfer",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
    )
    dunning_writedown_entry_id = fields.Many2one(
        "account.move",
        string="Write-Down Entry",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    dunning_doubtful_move_ids = fields.Many2many(
        "account.move",
        "account_move_dunning_doubtful_rel",
        "invoice_id",
        "entry_id",
        string="Doubtful Entries",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Every entry booked for the doubtful receivable: transfer to 416, "
        "write-down, transfers back with the payments, write-down reversals, "
        "write-off, and their reversals.",
    )
    dunning_written_off = fields.Boolean(
        string="Written Off",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The receivable was lost: written off with a credit note for its VAT.",
    )
    dunning_writeoff_date = fields.Date(
        string="Written Off On", readonly=True, copy=False, groups="base.group_user"
    )
    dunning_writeoff_amount = fields.Monetary(
        string="Amount Written Off",
        currency_field="company_currency_id",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The amount written off, taxes included, in company currency.",
    )
    dunning_writeoff_reason = fields.Char(
        string="Write-Off Reason", readonly=True, copy=False, groups="base.group_user"
    )
    dunning_writeoff_refund_id = fields.Many2one(
        "account.move",
        string="Write-Off Credit Note",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    dunning_writeoff_move_ids = fields.Many2many(
        "account.move",
        "account_move_dunning_writeoff_rel",
        "invoice_id",
        "entry_id",
        string="Write-Off Entries",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )

    def _dunning_check_write(self, vals):
        result = super()._dunning_check_write(vals)
        dunning_access.check_engine_fields(self, vals, DOUBTFUL_ENGINE_FIELDS)
        return result

    # ------------------------------------------------------------ credit notes
    def _dunning_doubtful_open(self):
        return self.filtered(
            lambda move: move.dunning_doubtful and not move.dunning_written_off
        )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # A credit note of a doubtful invoice: its invoice's 411 item is matched
        # with the transfer to 416, so Odoo leaves the credit note open on 411; it
        # is settled through 416 as a payment is (the write-off's own credit note
        # is settled by the write-off).
        refunds = posted.filtered(
            lambda move: move.move_type == "out_refund"
            and move.reversed_entry_id._dunning_doubtful_open()
            and move.reversed_entry_id.dunning_writeoff_refund_id != move
        )
        engine = self.env["account.dunning.doubtful.engine"]
        for refund in refunds:
            engine._settle(
                refund.reversed_entry_id, engine._open_receivable_lines(refund)
            )
        return posted

    def _reverse_moves(self, default_values_list=None, cancel=False):
        doubtful = self._dunning_doubtful_open()
        if not cancel or not doubtful:
            return super()._reverse_moves(default_values_list, cancel=cancel)
        # Odoo's cancel would unmatch a doubtful invoice from its transfer to 416,
        # leaving both open: its credit note is posted instead and settled through
        # 416 (see _post).
        default_values_list = default_values_list or [{} for _move in self]
        reversals = self.env["account.move"]
        for move, values in zip(self, default_values_list, strict=True):
            if move in doubtful:
                reversal = super(AccountMove, move)._reverse_moves([values])
                reversal._post(soft=False)
            else:
                reversal = super(AccountMove, move)._reverse_moves(
                    [values], cancel=True
                )
            reversals |= reversal
        return reversals

    def _check_draftable(self):
        super()._check_draftable()
        # A reset to draft (or a cancel) removes the matching: the invoice would
        # leave its transfer to 416 open, an entry of the engine its counterpart.
        if not self:
            return
        blocked = self.filtered(
            lambda move: move.dunning_doubtful or move.dunning_written_off
        )
        # sudo: which invoices the entries were booked for, whatever the user reads.
        Move = self.env["account.move"].sudo()
        owners = Move.search(
            [
                "|",
                ("dunning_doubtful_move_ids", "in", self.ids),
                ("dunning_writeoff_move_ids", "in", self.ids),
            ]
        )
        blocked |= self & (
            owners.dunning_doubtful_move_ids | owners.dunning_writeoff_move_ids
        ).sudo(False)
        if blocked:
            raise UserError(
                _(
                    "%s belongs to a doubtful or written-off receivable: undo it "
                    "from the invoice (Undo Doubtful / Undo Write-Off) instead of "
                    "resetting it to draft.",
                    ", ".join(blocked.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------ checks
    def _dunning_check_doubtful_manager(self):
        if not self.env.su and not self.env.user.has_group(
            "account_dunning.group_dunning_manager"
        ):
            raise AccessError(
                _(
                    "Only dunning managers can mark receivables doubtful, write them "
                    "off or undo it."
                )
            )
        if not self.env.su and not self.env.user.has_group(
            "account.group_account_invoice"
        ):
            raise AccessError(
                _("Only invoicing users can book the entries of doubtful receivables.")
            )
        # The invoices must be the user's to change (company rules included).
        self.check_access("write")

    # ------------------------------------------------------------ actions
    def action_mark_doubtful(self, rate, reason=None):
        """Move the amount due of each invoice to 416 and write it down at ``rate``
        percent of its amount excluding VAT (dunning managers)."""
        self._dunning_check_doubtful_manager()
        engine = self.env["account.dunning.doubtful.engine"]
        engine._mark_doubtful({move: rate for move in self}, reason)
        return True

    def action_write_off(self, reason):
        """The receivable is lost: its amount due excluding VAT to 654, its VAT
        recovered through a credit note, the write-down reversed."""
        self._dunning_check_doubtful_manager()
        self.env["account.dunning.doubtful.engine"]._write_off(self, reason)
        return True

    def action_undo_doubtful(self):
        """Reverse the transfer to 416 and the write-down: the invoice is open again."""
        self._dunning_check_doubtful_manager()
        self.env["account.dunning.doubtful.engine"]._undo_doubtful(self)
        return True

    def action_undo_write_off(self):
        """Reverse the write-off's credit note and entries."""
        self._dunning_check_doubtful_manager()
        self.env["account.dunning.doubtful.engine"]._undo_write_off(self)
        return True

    def action_open_doubtful_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Mark Doubtful"),
            "res_model": "account.dunning.doubtful.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    def _dunning_doubtful_dialog(self):
        """The doubtful-receivable dialog on those of these invoices still due and not
        doubtful yet, from a hand-off or insolvency proceedings."""
        moves = self.filtered(
            lambda move: move.state == "posted"
            and move.move_type == "out_invoice"
            and not move.currency_id.is_zero(move.amount_residual)
            and not move.dunning_doubtful
        )
        if not moves:
            raise UserError(_("None of these invoices is still due and not doubtful."))
        return moves.action_open_doubtful_wizard()

    def action_open_doubtful_entries(self):
        self.ensure_one()
        entries = self.dunning_doubtful_move_ids | self.dunning_writeoff_move_ids
        return {
            "type": "ir.actions.act_window",
            "name": _("Doubtful Entries"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", entries.ids)],
            "context": {"create": False},
        }
