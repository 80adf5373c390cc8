# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The signed link of the customer page, as plain functions, with a keyed hash."""

import hashlib
import hmac
from datetime import date
from unittest.mock import patch

from odoo.tests import BaseCase, tagged

from ..models import portal_rules
from ..models.portal_rules import EXPIRED, TAMPERED, VALID

KEY = b"a test key, not the database secret"
EXPIRY = date(2024, 7, 31)


def sign(message):
    return hmac.new(KEY, message.encode(), hashlib.sha256).hexdigest()


def other_sign(message):
    return hmac.new(b"another key", message.encode(), hashlib.sha256).hexdigest()


@tagged("post_install", "-at_install")
class TestPortalRules(BaseCase):
    def setUp(self):
        super().setUp()
        self.token = portal_rules.make_token(sign, 42, 3, EXPIRY)

    def _read(self, token, today=date(2024, 7, 1), signer=sign):
        return portal_rules.read_token(signer, token, today)

    def test_token_shape(self):
        partner, company, day, signature = self.token.split("-")
        self.assertEqual((partner, company, day), ("42", "3", "20240731"))
        self.assertEqual(signature, sign("42:3:20240731"))
        self.assertEqual(len(signature), 64)

    def test_valid_until_the_expiry_day_included(self):
        self.assertEqual(self._read(self.token), (VALID, 42, 3, EXPIRY))
        self.assertEqual(self._read(self.token, EXPIRY), (VALID, 42, 3, EXPIRY))

    def test_expired_the_day_after(self):
        self.assertEqual(
            self._read(self.token, date(2024, 8, 1)), (EXPIRED, 42, 3, EXPIRY)
        )
        self.assertEqual(
            self._read(self.token, date(2025, 1, 1)), (EXPIRED, 42, 3, EXPIRY)
        )

    def test_each_part_changed_is_tampered(self):
        partner, company, day, signature = self.token.split("-")
        for forged in (
            f"43-{company}-{day}-{signature}",
            f"{partner}-4-{day}-{signature}",
            f"{partner}-{company}-20240801-{signature}",
            f"{partner}-{company}-20991231-{signature}",
            # Same numbers written otherwise: not the token we made.
            f"042-{company}-{day}-{signature}",
            f"{partner}-03-{day}-{signature}",
            f"+42-{company}-{day}-{signature}",
        ):
            with self.subTest(forged=forged):
                self.assertEqual(self._read(forged), (TAMPERED, None, None, None))

    def test_signature_changed_is_tampered(self):
        partner, company, day, signature = self.token.split("-")
        flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
        for forged in (
            f"{partner}-{company}-{day}-{flipped}",
            f"{partner}-{company}-{day}-{signature[:-1]}",
            f"{partner}-{company}-{day}-{signature}0",
            f"{partner}-{company}-{day}-{signature.upper()}",
            f"{partner}-{company}-{day}-{sign('42:3:20240801')}",
            # Signed with another key (another database).
            portal_rules.make_token(other_sign, 42, 3, EXPIRY),
        ):
            with self.subTest(forged=forged):
                self.assertEqual(self._read(forged), (TAMPERED, None, None, None))
        # An expired day does not make a forged signature "expired": tampered.
        self.assertEqual(
            self._read(f"{partner}-{company}-{day}-{flipped}", date(2024, 9, 1))[0],
            TAMPERED,
        )

    def test_wrong_shapes_are_tampered(self):
        for forged in (
            None,
            "",
            "-",
            "---",
            "42-3-20240731",
            f"42-3-20240731-{'a' * 64}-extra",
            f"{self.token} ",
            f" {self.token}",
            f"{self.token}\n",
            self.token.replace("-", "_"),
            f"42-3-2024731-{'a' * 64}",
            f"42-3-202407310-{'a' * 64}",
            f"0-3-20240731-{'a' * 64}",
            f"42-0-20240731-{'a' * 64}",
            f"-42-3-20240731-{'a' * 64}",
            f"42.0-3-20240731-{'a' * 64}",
            f"42-3-20240731-{'g' * 64}",
            f"42-3-20240731-{'a' * 129}",
            # Digits that are not ASCII: "²" makes int() fail, "١" reads as 1.
            f"4²-3-20240731-{'a' * 64}",
            f"١-3-20240731-{'a' * 64}",
            f"42-3-٢٠٢٤٠٧٣١-{'a' * 64}",
            ["42", "3"],
            42,
            b"42-3-20240731-aa",
        ):
            with self.subTest(forged=forged):
                self.assertIsNone(portal_rules.parse_token(forged))
                self.assertEqual(self._read(forged), (TAMPERED, None, None, None))

    def test_huge_ids_are_tampered(self):
        for partner, company in (
            (2**31, 3),
            (42, 2**31),
            (10**10, 3),
            (10**30, 3),
            (42, 10**30),
        ):
            with self.subTest(partner=partner, company=company):
                token = portal_rules.make_token(sign, partner, company, EXPIRY)
                self.assertIsNone(portal_rules.parse_token(token))
                self.assertEqual(self._read(token), (TAMPERED, None, None, None))
        # The largest id PostgreSQL stores is fine.
        token = portal_rules.make_token(sign, 2**31 - 1, 3, EXPIRY)
        self.assertEqual(self._read(token)[:2], (VALID, 2**31 - 1))

    def test_bad_dates_are_tampered(self):
        for day in ("20240230", "20241301", "20240000", "00000101", "20240732"):
            with self.subTest(day=day):
                token = f"42-3-{day}-{sign(f'42:3:{day}')}"
                self.assertIsNone(portal_rules.parse_token(token))
                self.assertEqual(self._read(token), (TAMPERED, None, None, None))
        # A leap day is a day.
        token = portal_rules.make_token(sign, 42, 3, date(2028, 2, 29))
        self.assertEqual(self._read(token)[0], VALID)

    def test_parse_trusts_nothing(self):
        # Parsing reads the numbers of any well-shaped token, signed or not: the
        # signature is read_token's to check.
        forged = f"42-3-20240731-{'a' * 64}"
        self.assertEqual(portal_rules.parse_token(forged), (42, 3, EXPIRY))
        self.assertEqual(self._read(forged)[0], TAMPERED)

    def test_signature_compared_in_constant_time(self):
        calls = []
        compare = hmac.compare_digest

        def spy(left, right):
            calls.append((left, right))
            return compare(left, right)

        with patch.object(portal_rules._hmac, "compare_digest", spy):
            self.assertEqual(self._read(self.token)[0], VALID)
            partner, company, day, signature = self.token.split("-")
            forged = f"{partner}-{company}-{day}-{'0' * 64}"
            self.assertEqual(self._read(forged)[0], TAMPERED)
        self.assertEqual(
            calls,
            [
                (self.token.encode(), self.token.encode()),
                (self.token.encode(), forged.encode()),
            ],
        )

    def test_message_is_what_is_signed(self):
        self.assertEqual(portal_rules.message(42, 3, EXPIRY), "42:3:20240731")
        # The same link for another customer or company signs another message.
        self.assertNotEqual(
            portal_rules.make_token(sign, 42, 3, EXPIRY).split("-")[3],
            portal_rules.make_token(sign, 423, 3, EXPIRY).split("-")[3],
        )
