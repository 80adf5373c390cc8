from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_portal_link_days = fields.Integer(
        string="Customer Page Link Validity (days)",
        default=30,
        help="How long the signed link of the reminders opens the customer page for a "
        "recipient without a portal account.",
    )
    dunning_portal_show_owner = fields.Boolean(
        string="Show Owners on the Customer Page",
        help="Show the customer who handles its disputes, promises and plans.",
    )
    dunning_portal_upload_mb = fields.Integer(
        string="Customer Page Attachment Limit (MB)",
        default=10,
        help="The largest file a customer may attach to a dispute on its page.",
    )

    _sql_constraints = [
        (
            "dunning_portal_link_days_positive",
            "CHECK (dunning_portal_link_days > 0)",
            "The links to the customer page must be valid at least one day.",
        ),
        (
            "dunning_portal_upload_mb_positive",
            "CHECK (dunning_portal_upload_mb > 0)",
            "The attachment limit of the customer page must be above zero.",
        ),
    ]
