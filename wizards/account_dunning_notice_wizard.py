# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import csv
import io

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models import notice_rules
from ..models.account_dunning_notice import RETURNED

CSV_COLUMNS = (
    "tracking_number",
    "date_sent",
    "date_presented",
    "date_received",
    "returned",
)
DATE_COLUMNS = ("date_sent", "date_presented", "date_received")
# At most this many bad rows are listed in the error (the count says the rest).
MAX_LISTED = 50


class AccountDunningNoticeWizard(models.TransientModel):
    """Record the registered letters' numbers and dates: one by one for the notices
    selected, or for many at once from a CSV file (La Poste's tracking export)."""

    _name = "account.dunning.notice.wizard"
    _description = "Dunning: Record Registered Letters"

    import_mode = fields.Selection(
        [("lines", "Notice by Notice"), ("csv", "CSV File")],
        required=True,
        default="lines",
    )
    line_ids = fields.One2many(
        "account.dunning.notice.wizard.line", "wizard_id", string="Notices"
    )
    csv_file = fields.Binary(
        string="CSV File",
        help="Columns: tracking_number, date_sent, date_presented, date_received, "
        "returned; a header row; separated by ; or ,; dates as 2024-07-01 or "
        "01/07/2024; returned: refused, unclaimed, wrong_address or empty.",
    )
    csv_filename = fields.Char()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if (
            "line_ids" in fields_list
            and context.get("active_model") == "account.dunning.notice"
            and context.get("active_ids")
        ):
            notices = self.env["account.dunning.notice"].browse(context["active_ids"])
            values["line_ids"] = [
                Command.create(
                    {
                        "notice_id": notice.id,
                        "tracking_number": notice.tracking_number,
                        "date_sent": notice.date_sent,
                        "date_presented": notice.date_presented,
                        "date_received": notice.date_received,
                        "returned": notice.returned,
                    }
                )
                for notice in notices.exists()
            ]
        return values

    def _check_user(self):
        if not self.env.user.has_group("account_dunning.group_dunning_user"):
            raise AccessError(
                _("Only dunning users can record the formal notices' letters.")
            )

    def action_apply(self):
        """Record everything or nothing: every bad row or line is listed."""
        self.ensure_one()
        self._check_user()
        if self.import_mode == "csv":
            updates = self._csv_updates()
        else:
            updates = self._line_updates()
        for notice, vals in updates:
            notice.write(vals)
        return {"type": "ir.actions.act_window_close"}

    # ------------------------------------------------------------ one by one

    def _line_updates(self):
        """[(notice, vals)] of the lines; UserError listing every bad one."""
        errors, updates = [], []
        seen = {}
        today = fields.Date.context_today(self)
        for rank, line in enumerate(self.line_ids, start=1):
            notice = line.notice_id
            notice.check_access("write")
            vals = {
                "tracking_number": notice_rules.normalize_tracking(line.tracking_number)
                or False,
                "date_sent": line.date_sent,
                "date_presented": line.date_presented,
                "date_received": line.date_received,
                "returned": line.returned or False,
            }
            messages = notice._proof_errors(vals, today)
            number = vals["tracking_number"]
            if number and seen.setdefault(number, notice) != notice:
                messages.append(
                    self.env._("The tracking number %s is given twice.", number)
                )
            if messages:
                errors.append((notice.display_name or str(rank), messages))
                continue
            if line.receipt_file:
                attachment = self.env["ir.attachment"].create(
                    {
                        "name": line.receipt_filename
                        or self.env._("Acknowledgement of receipt %s", number or ""),
                        "datas": line.receipt_file,
                        "res_model": notice._name,
                        "res_id": notice.id,
                    }
                )
                vals["receipt_attachment_id"] = attachment.id
            updates.append((notice, vals))
        if errors:
            raise UserError(
                self.env._("Nothing was recorded:")
                + "\n"
                + "\n".join(
                    f"- {name}: {' '.join(messages)}" for name, messages in errors
                )
            )
        return updates

    # ------------------------------------------------------------ CSV

    def _csv_rows(self):
        """[(row number, {column: text})] of the file, the header being row 1."""
        if not self.csv_file:
            raise UserError(_("Choose the CSV file to import."))
        raw = base64.b64decode(self.csv_file)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        first_line = text.split("\n", 1)[0]
        reader = csv.reader(
            io.StringIO(text), delimiter=notice_rules.sniff_delimiter(first_line)
        )
        rows = list(reader)
        if not rows:
            raise UserError(_("The CSV file is empty."))
        header = [cell.strip().lower() for cell in rows[0]]
        missing = [column for column in CSV_COLUMNS if column not in header]
        if missing:
            raise UserError(
                _(
                    "The CSV file misses the columns %(missing)s: its header row must "
                    "be %(columns)s.",
                    missing=", ".join(missing),
                    columns=", ".join(CSV_COLUMNS),
                )
            )
        return [
            (number, dict(zip(header, [cell.strip() for cell in row], strict=False)))
            for number, row in enumerate(rows[1:], start=2)
            if any(cell.strip() for cell in row)
        ]

    def _csv_updates(self):
        """[(notice, vals)] of the CSV rows; UserError listing every bad row."""
        rows = self._csv_rows()
        if not rows:
            raise UserError(_("The CSV file has no rows under its header."))
        numbers = [
            notice_rules.normalize_tracking(values.get("tracking_number"))
            for _number, values in rows
        ]
        # The user's notices (record rules: their companies) by number.
        notices = self.env["account.dunning.notice"].search(
            [("tracking_number", "in", [number for number in numbers if number])]
        )
        by_number = {notice.tracking_number: notice for notice in notices}
        returned_codes = {code for code, _label in RETURNED}
        today = fields.Date.context_today(self)
        errors, updates, seen = [], [], {}
        for (row_number, values), number in zip(rows, numbers, strict=True):
            messages = []
            if not number:
                messages.append(self.env._("no tracking number"))
            elif notice_rules.tracking_error(number):
                messages.append(
                    self.env._(
                        "%s is not a registered letter's number",
                        values["tracking_number"],
                    )
                )
            elif number not in by_number:
                messages.append(
                    self.env._("no formal notice has the tracking number %s", number)
                )
            elif number in seen:
                messages.append(
                    self.env._(
                        "the number %(number)s is on row %(row)s already",
                        number=number,
                        row=seen[number],
                    )
                )
            seen.setdefault(number, row_number)
            vals = {}
            for column in DATE_COLUMNS:
                try:
                    vals[column] = notice_rules.parse_date(values.get(column))
                except ValueError:
                    messages.append(
                        self.env._(
                            "%(column)s: %(value)s is not a date (2024-07-01 or "
                            "01/07/2024)",
                            column=column,
                            value=values.get(column),
                        )
                    )
            returned = (values.get("returned") or "").strip().lower()
            if returned and returned not in returned_codes:
                messages.append(
                    self.env._(
                        "returned: %s is none of refused, unclaimed, wrong_address",
                        values.get("returned"),
                    )
                )
            notice = by_number.get(number)
            if notice and not messages:
                notice.check_access("write")
                merged = {
                    "tracking_number": number,
                    # An empty cell keeps what the notice has.
                    **{
                        column: vals[column] or notice[column]
                        for column in DATE_COLUMNS
                    },
                    "returned": returned or notice.returned or False,
                }
                messages += [
                    message.rstrip(".")
                    for message in notice._proof_errors(merged, today)
                ]
                updates.append((notice, merged))
            if messages:
                errors.append((row_number, messages))
        if errors:
            listed = errors[:MAX_LISTED]
            lines = [
                self.env._(
                    "Row %(row)s: %(reasons)s.",
                    row=row_number,
                    reasons="; ".join(messages),
                )
                for row_number, messages in listed
            ]
            if len(errors) > MAX_LISTED:
                lines.append(
                    self.env._("… and %s more bad rows.", len(errors) - MAX_LISTED)
                )
            raise UserError(
                self.env._(
                    "Nothing was imported: %s rows of the file are wrong.", len(errors)
                )
                + "\n"
                + "\n".join(lines)
            )
        return updates
