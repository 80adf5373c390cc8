from datetime import timedelta

from odoo.tests import freeze_time, tagged

from .common import TODAY, DunningCommon
from .test_dunning_legal_mentions import _text

DUE = TODAY - timedelta(days=20)
FR_CLAIM = (
    "We will then claim late-payment penalties and the fixed compensation for "
    "recovery costs of 40.00 € per invoice (articles L441-10 and D441-5 of the "
    "French Commercial Code)."
)
FR_NOTE = (
    "Late-payment penalties run from the day after each due date without any "
    "reminder being needed (article L441-10 of the French Commercial Code). A fixed "
    "indemnity of 40.00 € for recovery costs is due for each invoice paid late "
    "(articles L441-10 and D441-5 of the French Commercial Code). They are shown as "
    "accrued on the date of this reminder."
)
# What a consumer never reads.
B2B = ("recovery costs", "Recovery indemnity", "40.00 €", "L441", "D441")


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningReminderWording(DunningCommon):
    """Reminders and letters word the penalties for the debtor and the country."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consumer = cls._customer("Jeanne Martin", is_company=False)
        cls.notice_template = cls.env.ref(
            "account_dunning.mail_template_dunning_formal_notice"
        )
        cls.last_template = cls.env.ref(
            "account_dunning.mail_template_dunning_reminder_3"
        )

    def _reminders(self, template=None, letter=False):
        """{customer: the text of its email (or letter)} at the first level."""
        self.assertEqual(self.consumer.dunning_debtor_type, "consumer")
        self.assertEqual(self.customer.dunning_debtor_type, "business")
        self.level_1.sudo().write(
            {
                "show_penalties": True,
                "channel_email": not letter,
                "channel_letter": letter,
                "mail_template_id": template.id if template else False,
            }
        )
        for partner in (self.customer, self.consumer):
            self._invoice(partner, 250.0, DUE)
        run = self._run(TODAY)
        texts = {}
        for partner in (self.customer, self.consumer):
            action = self._sent(run, partner)
            self.assertEqual(len(action), 1, run.action_ids.mapped("reason"))
            raw = (
                action.letter_attachment_id.raw if letter else action.mail_id.body_html
            )
            texts[partner] = _text(raw)
        return texts

    def test_formal_notice(self):
        texts = self._reminders(self.notice_template)
        business, consumer = texts[self.customer], texts[self.consumer]
        self.assertIn(FR_CLAIM, business)
        self.assertIn(FR_NOTE, business)
        self.assertIn("Recovery indemnity", business)
        self.assertIn("without further notice.", consumer)
        for b2b in B2B:
            self.assertNotIn(b2b, consumer)
        self.assertNotIn("Late interest", consumer, "the consumer owes none")

    def test_formal_notice_claiming_interest_from_consumers(self):
        self.policy.sudo().interest_consumer = True
        consumer = self._reminders(self.notice_template)[self.consumer]
        self.assertIn(
            "We will then claim late-payment interest at the legal rate from the "
            "formal notice (article 1231-6 of the French Civil Code).",
            consumer,
        )
        self.assertIn(
            "Late-payment interest at the legal rate runs from the date of the "
            "formal notice (article 1231-6 of the French Civil Code).",
            consumer,
        )
        self.assertIn("Late interest", consumer)
        for b2b in B2B:
            self.assertNotIn(b2b, consumer)

    def test_last_reminder(self):
        texts = self._reminders(self.last_template)
        self.assertIn(
            "Our terms of sale provide for late-payment penalties and the fixed "
            "compensation for recovery costs of 40.00 € per invoice, which may be "
            "applied.",
            texts[self.customer],
        )
        self.assertIn("within eight days.", texts[self.consumer])
        for b2b in B2B:
            self.assertNotIn(b2b, texts[self.consumer])

    def test_letters(self):
        texts = self._reminders(letter=True)
        self.assertIn(FR_NOTE, texts[self.customer])
        for b2b in B2B:
            self.assertNotIn(b2b, texts[self.consumer])

    def test_company_elsewhere_in_the_eu(self):
        self.change_company_country(self.company, self.env.ref("base.de"))
        self.policy.write(self.company._dunning_default_penalty_vals())
        business = self._reminders(self.notice_template)[self.customer]
        self.assertIn(
            "We will then claim late-payment penalties and the fixed compensation for "
            "recovery costs of 40.00 € per invoice.",
            business,
        )
        self.assertIn(
            "Late-payment penalties run from the day after each due date without any "
            "reminder being needed. A fixed indemnity of 40.00 € for recovery costs "
            "is due for each invoice paid late.",
            business,
        )
        for french in ("L441", "D441", "French"):
            self.assertNotIn(french, business)
