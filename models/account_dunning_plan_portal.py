from odoo import api, fields, models
from odoo.exceptions import UserError

from . import dunning_access

APPROVED_TEMPLATE = "account_dunning.mail_template_dunning_plan_approved"
REFUSED_TEMPLATE = "account_dunning.mail_template_dunning_plan_refused"
# Set by the customer page and the refusal, never written directly.
PORTAL_FIELDS = ("source", "refusal_reason")


class AccountDunningPlan(models.Model):
    """A payment plan the customer asked for on its page: a draft that the finance
    team approves (``action_activate``) or refuses (``action_refuse``); either way
    the customer is told by email."""

    _inherit = "account.dunning.plan"

    source = fields.Selection(
        [("internal", "Internal"), ("portal", "Customer Page")],
        default="internal",
        required=True,
        readonly=True,
        copy=False,
        help="Customer Page: asked for by the customer on its page, for the finance "
        "team to approve or refuse.",
    )
    refusal_reason = fields.Text(
        readonly=True,
        copy=False,
        help="Why the customer's request was refused, as emailed to it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            dunning_access.check_engine_fields(self, vals, PORTAL_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        dunning_access.check_engine_fields(self, vals, PORTAL_FIELDS)
        return super().write(vals)

    # ------------------------------------------------------------ buttons

    def action_activate(self):
        """Activating a customer's request approves it: the customer is emailed
        the schedule."""
        requests = self.filtered(
            lambda plan: plan.source == "portal" and plan.state == "draft"
        )
        result = super().action_activate()
        requests._portal_answer(
            APPROVED_TEMPLATE, self.env._("Payment plan request approved.")
        )
        return result

    def action_refuse(self, reason=None):
        """Refuse customers' requests for a payment plan: closed as cancelled, the
        reason emailed to the customer."""
        self._check_user()
        self.check_access("write")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the payment plan is refused."))
        if any(plan.state != "draft" or plan.source != "portal" for plan in self):
            raise UserError(
                self.env._(
                    "Only a payment plan asked for by the customer and not answered "
                    "yet can be refused: cancel the others."
                )
            )
        # sudo: after the checks above; the state is the buttons' alone.
        self.sudo().write(
            {
                "state": "cancelled",
                "closed_date": fields.Date.context_today(self),
                "refusal_reason": reason,
            }
        )
        self._portal_answer(
            REFUSED_TEMPLATE,
            self.env._("Payment plan request refused: %s", reason),
        )
        return True

    def action_open_refuse_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse the Payment Plan"),
            "res_model": "account.dunning.plan.refuse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    def _portal_answer(self, template_ref, text):
        """Close the owner's to-do with ``text`` and email the customer's invoice
        address the answer (the template), logged in the plan's chatter."""
        # sudo: called after the buttons' checks; the to-do may be another user's.
        for plan in self.sudo():
            if plan.activity_ids:
                plan.activity_ids.action_feedback(feedback=text)
            else:
                plan.message_post(body=text, subtype_xmlid="mail.mt_note")
            plan.message_post_with_source(
                template_ref,
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
            )
