from datetime import timedelta

from odoo.tests import freeze_time, tagged

from .common import TODAY, DunningCommon

DUE = TODAY - timedelta(days=20)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningChannels(DunningCommon):
    def test_letter_sms_and_call(self):
        salesman = self.env["res.users"].search([("login", "=", "dunning_manager")])
        self.customer.write({"mobile": "+33 6 12 34 56 78", "user_id": salesman.id})
        self.level_1.sudo().write(
            {"channel_letter": True, "channel_sms": True, "channel_call": True}
        )
        invoice = self._invoice(self.customer, 250.0, DUE)
        run = self._run(TODAY)
        actions = {action.channel: action for action in run.sudo().action_ids}
        self.assertEqual(set(actions), {"email", "letter", "sms", "call"})
        self.assertTrue(
            all(action.state == "sent" for action in actions.values()),
            run.action_ids.mapped("reason"),
        )
        letter = actions["letter"].letter_attachment_id
        self.assertTrue(letter.raw)
        self.assertIn(invoice.name.encode(), letter.raw, "the letter lists the invoice")
        self.assertEqual(letter.res_model, "res.partner")
        sms = self.env["sms.sms"].search(
            [("mail_message_id", "=", actions["sms"].message_id.id)]
        )
        self.assertEqual(len(sms), 1)
        self.assertIn("invoice", sms.body)
        activity = actions["call"].activity_id
        self.assertEqual(activity.user_id, salesman)
        self.assertEqual(activity.res_id, self.customer.id)
        self.assertIn(invoice.name, str(activity.note))
        self.assertEqual(invoice.dunning_level_id, self.level_1)

    def test_failing_channels_are_traced(self):
        self.level_1.sudo().write({"channel_sms": True, "channel_call": True})
        invoice = self._invoice(self.customer, 250.0, DUE)
        run = self._run(TODAY)
        by_channel = {action.channel: action for action in run.action_ids}
        self.assertEqual(by_channel["email"].state, "sent")
        self.assertEqual(by_channel["sms"].state, "failed")
        self.assertIn("No mobile", by_channel["sms"].reason)
        self.assertEqual(by_channel["call"].state, "failed")
        self.assertIn("salesperson", by_channel["call"].reason)
        self.assertEqual(
            invoice.dunning_level_id, self.level_1, "one channel reached the customer"
        )

    def test_no_channel_reaches_the_customer(self):
        # Neither an email address nor a postal address for the fallback letter.
        silent = self._customer("Silent", email=False, street=False, city=False)
        invoice = self._invoice(silent, 250.0, DUE)
        run = self._run(TODAY)
        self.assertEqual(
            [(action.channel, action.state) for action in run.action_ids.sorted("id")],
            [("email", "failed"), ("letter", "failed")],
        )
        self.assertIn("No postal address", run.action_ids.sorted("id")[-1].reason)
        self.assertFalse(invoice.dunning_level_id, "retried at the next run")
        self.assertEqual(run.line_ids.state, "skipped")
