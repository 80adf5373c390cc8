"""The dispatch of the trace: a registry of channels, each sending a batch.

A channel is one entry of ``_channel_registry``: the level field that turns it on, the
method that says why it cannot reach a customer (or nothing), and the method that sends
a batch of trace lines. Another module adds a channel with one entry, the matching
``selection_add`` on ``account.dunning.action.channel`` and a field on the level, as
Odoo's invoice sending methods are extended.
"""

import logging

import psycopg2

from odoo import Command, _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, config
from odoo.tools.pdf import PdfReadError

_logger = logging.getLogger(__name__)

LETTER_REPORT = "account_dunning.action_report_dunning_letter"


class AccountDunningDispatch(models.AbstractModel):
    _name = "account.dunning.dispatch"
    _description = "Dunning: Dispatch"

    @api.model
    def _channel_registry(self):
        """{channel: entry}, in the order the channels of a level are executed."""
        return {
            "email": {
                "sequence": 10,
                "level_field": "channel_email",
                "failure": "_email_failure",
                "send": "_email_send",
            },
            "letter": {
                "sequence": 20,
                "level_field": "channel_letter",
                "failure": "_letter_failure",
                "send": "_letter_send",
            },
            "sms": {
                "sequence": 30,
                "level_field": "channel_sms",
                "failure": "_sms_failure",
                "send": "_sms_send",
            },
            "call": {
                "sequence": 40,
                "level_field": "channel_call",
                "failure": "_call_failure",
                "send": "_call_send",
            },
        }

    @api.model
    def _channels_in_order(self):
        registry = self._channel_registry()
        return sorted(registry, key=lambda code: registry[code]["sequence"])

    @api.model
    def _failure_reason(self, channel, recipient, partner, level):
        """Why the channel cannot reach the customer, or False."""
        entry = self._channel_registry()[channel]
        return getattr(self, entry["failure"])(recipient, partner, level)

    @api.model
    def _dispatch(self, actions):
        """Produce what each sent action stands for, channel by channel, in batches.

        A channel that fails marks its batch failed with the error; the others go on.
        """
        if not actions:
            return
        actions.move_ids._portal_ensure_tokens()
        by_channel = actions.grouped("channel")
        registry = self._channel_registry()
        for channel in self._channels_in_order():
            batch = by_channel.get(channel)
            if not batch:
                continue
            try:
                with self.env.cr.savepoint():
                    getattr(self, registry[channel]["send"])(batch)
            except psycopg2.OperationalError:
                # A concurrent update or a lost connection is not the channel's
                # failure: the whole batch rolls back and is done again.
                raise
            except Exception as error:  # noqa: BLE001 - one channel's failure must not stop the run
                _logger.exception("Dunning: the %s channel failed", channel)
                batch.write({"state": "failed", "reason": str(error)[:500]})

    # ------------------------------------------------------------------ email

    @api.model
    def _email_failure(self, recipient, partner, level):
        if not recipient.email:
            return _("No email address for %s.", recipient.display_name)
        return False

    @api.model
    def _email_send(self, actions):
        """Render each level's template for all its actions at once; queue emails."""
        author = self.env.user.partner_id
        comment = self.env.ref("mail.mt_comment")
        links = []
        for level, level_actions in actions.grouped("level_id").items():
            rendered = level.mail_template_id.sudo()._generate_template(
                level_actions.ids,
                ["subject", "body_html", "email_from", "reply_to", "mail_server_id"],
            )
            vals_list = []
            for action in level_actions:
                values = rendered[action.id]
                vals_list.append(
                    {
                        "subject": values.get("subject"),
                        "body_html": values.get("body_html"),
                        # The copy in the chatter, without the access tokens.
                        "body": actions._chatter_copy(values.get("body_html")),
                        "email_from": values.get("email_from")
                        or action.company_id.email_formatted,
                        "reply_to": values.get("reply_to"),
                        "mail_server_id": values.get("mail_server_id"),
                        "recipient_ids": [Command.link(action.recipient_id.id)],
                        "model": "res.partner",
                        "res_id": action.partner_id.id,
                        "record_name": action.partner_id.display_name,
                        "message_type": "email_outgoing",
                        "subtype_id": comment.id,
                        "author_id": author.id,
                        "auto_delete": False,
                        "is_notification": True,
                    }
                )
            mails = self.env["mail.mail"].sudo().create(vals_list)
            links.extend(
                zip(
                    level_actions.ids, mails.mail_message_id.ids, mails.ids, strict=True
                )
            )
        self._link(actions, links, "mail_id")

    @api.model
    def _link(self, actions, links, other_field=None):
        """Store what the actions produced, in one statement (thousands of rows).

        ``links``: (action id, message id[, id of ``other_field``]).
        """
        if not links:
            return
        actions.flush_recordset()
        columns = list(zip(*links, strict=True))
        other = other_field and SQL(", %s = data.other_id", SQL.identifier(other_field))
        self.env.execute_query(
            SQL(
                """
                UPDATE account_dunning_action action
                   SET message_id = data.message_id %(other)s
                  FROM unnest(%(actions)s::int[], %(messages)s::int[],
                              %(others)s::int[])
                       AS data(action_id, message_id, other_id)
                 WHERE action.id = data.action_id
                """,
                other=other or SQL(),
                actions=list(columns[0]),
                messages=list(columns[1]),
                others=list(columns[2]) if other_field else [None] * len(links),
            )
        )
        actions.invalidate_recordset(["message_id", other_field or "message_id"])

    # ----------------------------------------------------------------- letter

    @api.model
    def _letter_failure(self, recipient, partner, level):
        if not (recipient.street or recipient.city):
            return _("No postal address for %s.", recipient.display_name)
        return False

    @api.model
    def _letter_pdfs(self, actions):
        """{action id: PDF bytes}: one wkhtmltopdf pass for the whole batch.

        Odoo splits the document per letter; when it cannot (a letter of several
        pages without outline), the letters are rendered one by one.
        """
        report = self.env["ir.actions.report"].sudo()
        if (config["test_enable"] or config["test_file"]) and not self.env.context.get(
            "force_report_rendering"
        ):
            # As Odoo's own rendering in tests: HTML, no wkhtmltopdf (which would
            # wait for the test server's assets).
            return {
                action.id: report._render_qweb_pdf(LETTER_REPORT, res_ids=action.ids)[0]
                for action in actions
            }
        try:
            streams = report._render_qweb_pdf_prepare_streams(
                LETTER_REPORT, {}, res_ids=actions.ids
            )
        except (UserError, PdfReadError) as error:
            # wkhtmltopdf gave nothing for the batch (its assets unreachable, from a
            # shell without the HTTP server): each letter on its own, as Odoo prints.
            _logger.warning("Dunning: letters rendered one by one (%s)", error)
            streams = {}
        if set(streams) == set(actions.ids) and all(
            stream["stream"] and stream["stream"].getbuffer().nbytes
            for stream in streams.values()
        ):
            return {res_id: streams[res_id]["stream"].getvalue() for res_id in streams}
        return {
            action.id: report._render_qweb_pdf(LETTER_REPORT, res_ids=action.ids)[0]
            for action in actions
        }

    @api.model
    def _letter_send(self, actions):
        """Render the letters in one batch; attach each to the trace and chatter."""
        pdfs = self._letter_pdfs(actions)
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": self.env._(
                            "Reminder %(customer)s %(date)s.pdf",
                            customer=action.partner_id.display_name,
                            date=action.date,
                        ),
                        "raw": pdfs[action.id],
                        "res_model": "res.partner",
                        "res_id": action.partner_id.id,
                        "mimetype": "application/pdf",
                    }
                    for action in actions
                ]
            )
        )
        note = self.env.ref("mail.mt_note")
        author = self.env.user.partner_id
        messages = (
            self.env["mail.message"]
            .sudo()
            .create(
                [
                    {
                        "model": "res.partner",
                        "res_id": action.partner_id.id,
                        "body": self.env._(
                            "Dunning letter (%s) generated, to print and post.",
                            action.level_id.name,
                        ),
                        "message_type": "comment",
                        "subtype_id": note.id,
                        "is_internal": True,
                        "author_id": author.id,
                        "attachment_ids": [Command.set(attachment.ids)],
                    }
                    for action, attachment in zip(actions, attachments, strict=True)
                ]
            )
        )
        self._link(
            actions,
            list(zip(actions.ids, messages.ids, attachments.ids, strict=True)),
            "letter_attachment_id",
        )

    # -------------------------------------------------------------------- sms

    @api.model
    def _sms_failure(self, recipient, partner, level):
        if not (recipient.mobile or recipient.phone):
            return _("No mobile or phone number for %s.", recipient.display_name)
        return False

    @api.model
    def _sms_send(self, actions):
        """Queue the SMS in Odoo's mass mode: bodies, messages and SMS in batches."""
        links = []
        for level, level_actions in actions.grouped("level_id").items():
            template = level.sms_template_id or self.env.ref(
                "account_dunning.sms_template_dunning"
            )
            bodies = template.sudo()._render_field(
                "body", level_actions.ids, compute_lang=True
            )
            partners = level_actions.partner_id.sudo()
            messages = partners._message_log_batch(
                {action.partner_id.id: bodies[action.id] for action in level_actions},
                message_type="sms",
            )
            message_of = dict(zip(partners.ids, messages.ids, strict=True))
            sms_vals = []
            for action in level_actions:
                recipient = action.recipient_id or action.partner_id
                number = recipient.mobile or recipient.phone
                sms_vals.append(
                    {
                        "body": bodies[action.id],
                        "partner_id": recipient.id,
                        "number": recipient._phone_format(number=number) or number,
                        "state": "outgoing",
                        "mail_message_id": message_of[action.partner_id.id],
                    }
                )
            self.env["sms.sms"].sudo().create(sms_vals)
            links += [
                (action.id, message_of[action.partner_id.id])
                for action in level_actions
            ]
        self._link(actions, links)

    # ------------------------------------------------------------------- call

    @api.model
    def _call_failure(self, recipient, partner, level):
        if not self._call_user(level, partner):
            return _(
                "No one to call the customer: set a salesperson or a user on the level."
            )
        return False

    @api.model
    def _call_user(self, level, partner):
        """Who calls: the level's user, else the customer's salesperson."""
        return level.call_user_id or partner.user_id

    @api.model
    def _call_send(self, actions):
        """Plan a phone-call activity for the level's user or the salesperson."""
        call_type = self.env.ref("mail.mail_activity_data_call")
        model_id = self.env["ir.model"]._get_id("res.partner")
        activities = (
            self.env["mail.activity"]
            .sudo()
            .create(
                [
                    {
                        "activity_type_id": call_type.id,
                        "res_model_id": model_id,
                        "res_id": action.partner_id.id,
                        "user_id": self._call_user(
                            action.level_id, action.partner_id
                        ).id,
                        "date_deadline": action.date,
                        "summary": self.env._("Dunning call: %s", action.level_id.name),
                        "note": action._call_note(),
                    }
                    for action in actions
                ]
            )
        )
        for action, activity in zip(actions, activities, strict=True):
            action.activity_id = activity
