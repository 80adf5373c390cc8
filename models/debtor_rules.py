"""Who the debtor is and which late-payment terms the law gives for it: plain rules.

- Business (French C. com. L441-10 II, D441-5): the policy's terms (ECB rate of the
  half-year + 10 points, or a contractual rate never below 3 x the legal rate of the
  half-year), the 40 EUR indemnity per invoice, the level fees; from the day after
  the due date.
- Public body (French commande publique L2192-13, R2192-31, D2192-35 CCP): the ECB
  rate in force on the first day of the half-year in which the interest started,
  + 8 points, for the whole delay; the 40 EUR indemnity; no level fees.
- Consumer (C. civ. 1231-6, 1344-1; CPCE L111-8): no indemnity and no fees; interest
  only if the policy claims it, at the legal rate ("autres cas": the creditor is a
  professional), and only from the formal notice. Outside France, none: the directive
  does not cover consumers.

French rules apply to companies in France; a company elsewhere in the EU gets the
directive 2011/7/EU defaults (reference rate + 8 points, 40 EUR); outside the EU,
only what its policy sets.
"""

from collections import namedtuple

BUSINESS = "business"
CONSUMER = "consumer"
PUBLIC_BODY = "public_body"

FRANCE = "fr"
EU = "eu"
OTHER = "other"

# Metropolitan France and the overseas departments, which Odoo lists as countries.
FRENCH_COUNTRIES = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT"})
# The member states of the European Union (directive 2011/7/EU).
EU_COUNTRIES = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR",
        "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO",
        "SE", "SI", "SK",
    }
)  # fmt: skip

# The flat indemnity for recovery costs (D441-5 C. com.; directive art. 6): 40 EUR.
LEGAL_INDEMNITY = 40.0
# Points over the ECB rate: French businesses (L441-10 II), public bodies
# (D2192-35 CCP) and the directive's statutory interest (art. 2(6)).
FR_BUSINESS_MARGIN = 10.0
PUBLIC_BODY_MARGIN = 8.0
EU_MARGIN = 8.0
# A contractual rate is never below 3 x the legal rate (L441-10 II).
FR_FLOOR_MULTIPLE = 3.0
ECB_SERIES = "ecb_mro"
FR_LEGAL_SERIES = "fr_legal"

# The terms applied to one debtor: how the rate is found, from when it runs, and what
# else is claimed.
# mode: 'none', 'fixed' or 'reference'; half_years: 'split' or 'start';
# from_notice: the interest runs from the formal notice, not from the due date.
Terms = namedtuple(
    "Terms",
    "mode fixed_rate margin reference floor_multiple floor half_years basis "
    "from_notice indemnity fees",
)


def legal_regime(country_code):
    """'fr', 'eu' or 'other': which law's defaults a company of that country gets."""
    code = (country_code or "").upper()
    if code in FRENCH_COUNTRIES:
        return FRANCE
    if code in EU_COUNTRIES:
        return EU
    return OTHER


def debtor_type(is_company, vat, siret, public_body):
    """The default type of a debtor from what its record says.

    A partner tagged as a public body is one; a company is a business; an individual
    is a consumer unless it has a VAT number or a SIRET (a sole trader).
    """
    if public_body:
        return PUBLIC_BODY
    if is_company or (vat or "").strip() or (siret or "").strip():
        return BUSINESS
    return CONSUMER


def penalty_terms(regime, debtor, policy):
    """The Terms for a debtor of type ``debtor`` under a policy (a Terms holding the
    policy's own settings, ``from_notice`` meaning "claim interest from consumers")."""
    claims_interest = policy.mode != "none"
    if regime != OTHER:
        # The flat indemnity is the law's 40 EUR, or none (D441-5; directive art. 6).
        policy = policy._replace(indemnity=LEGAL_INDEMNITY if policy.indemnity else 0.0)
    if debtor == CONSUMER:
        # No indemnity nor fees (L111-8 CPCE); in France, interest at the legal rate
        # from the formal notice, if the policy claims it. Elsewhere the directive
        # does not cover consumers and their law differs (BGB 288: base + 5): none.
        if regime != FRANCE or not (claims_interest and policy.from_notice):
            return policy._replace(mode="none", indemnity=0.0, fees=False)
        return Terms(
            "reference", 0.0, 0.0, FR_LEGAL_SERIES, 0.0, "", "split",
            policy.basis, True, 0.0, False,
        )  # fmt: skip
    if debtor == PUBLIC_BODY:
        if regime == FRANCE:
            return Terms(
                "reference" if claims_interest else "none", 0.0, PUBLIC_BODY_MARGIN,
                ECB_SERIES, 0.0, "", "start", policy.basis, False,
                policy.indemnity, False,
            )  # fmt: skip
        return policy._replace(from_notice=False, fees=False)
    terms = policy._replace(from_notice=False)
    # The floor binds a contractual rate: a fixed one, or another margin or series
    # than the law's default (ECB + 10 points).
    contractual = terms.mode == "fixed" or (
        terms.mode == "reference"
        and (terms.reference != ECB_SERIES or terms.margin != FR_BUSINESS_MARGIN)
    )
    if regime == FRANCE and contractual:
        terms = terms._replace(
            floor_multiple=max(terms.floor_multiple, FR_FLOOR_MULTIPLE),
            floor=terms.floor or FR_LEGAL_SERIES,
        )
    return terms


def legal_minimum_rate(legal_rate):
    """The lowest contractual rate L441-10 II allows: 3 x the legal rate."""
    return round(FR_FLOOR_MULTIPLE * legal_rate, 4)
