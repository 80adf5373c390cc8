# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# ruff: noqa: E501 - long SQL statements
"""Set-based invariants over every journal entry of the database: each query
counts the offenders (0 expected), whatever made the entries (ORM or SQL copy)."""

RECEIVABLE_LINES = """
    SELECT l.* FROM account_move_line l
      JOIN account_account a ON a.id = l.account_id
     WHERE a.account_type = 'asset_receivable'
"""

# For each invoice or credit note with payment terms: its receivable lines in due
# date order next to the terms' lines in their order, with the share and due
# date each line should have (NULL: a delay these checks do not compute).
INSTALMENTS_QUERY = (
    """
    CREATE TEMP TABLE gen_check_instalments AS
    WITH rec AS (
        SELECT l.move_id, l.balance, l.amount_currency, l.date_maturity,
               l.amount_residual, l.amount_residual_currency,
               ROW_NUMBER() OVER (PARTITION BY l.move_id ORDER BY l.date_maturity, l.id) n,
               COUNT(*) OVER (PARTITION BY l.move_id) lines
          FROM ("""
    + RECEIVABLE_LINES
    + """) l
    ), term AS (
        SELECT payment_id, value_amount,
               CASE delay_type
                    WHEN 'days_after' THEN 0
                    WHEN 'days_end_of_month_on_the' THEN
                         CASE WHEN days_next_month = '0' THEN 1 END
               END eom, nb_days,
               ROW_NUMBER() OVER (PARTITION BY payment_id ORDER BY id) n,
               COUNT(*) OVER (PARTITION BY payment_id) lines
          FROM account_payment_term_line WHERE value = 'percent'
    )
    SELECT m.id move_id, r.n, r.lines, t.lines term_lines, r.balance, r.amount_currency,
           r.amount_residual, r.amount_residual_currency, r.date_maturity,
           CASE t.eom
                WHEN 0 THEN m.invoice_date + t.nb_days
                WHEN 1 THEN (date_trunc('month', m.invoice_date + t.nb_days)
                             + interval '1 month - 1 day')::date
           END expected_due,
           ROUND(m.amount_total_signed * t.value_amount / 100, 2) expected_balance,
           ROUND(m.amount_total_in_currency_signed * t.value_amount / 100, 2) expected_amount
      FROM account_move m
      JOIN rec r ON r.move_id = m.id
      LEFT JOIN term t ON t.payment_id = m.invoice_payment_term_id AND t.n = r.n
     WHERE m.move_type IN ('out_invoice', 'out_refund') AND m.state = 'posted'
       AND m.invoice_payment_term_id IS NOT NULL
"""
)

CHECKS = {
    "unbalanced_moves": """
        SELECT COUNT(*) FROM (
            SELECT move_id FROM account_move_line GROUP BY move_id
            HAVING SUM(balance) <> 0 OR SUM(debit) <> SUM(credit)) x""",
    "debit_credit_vs_balance": """
        SELECT COUNT(*) FROM account_move_line
         WHERE debit <> GREATEST(balance, 0) OR credit <> GREATEST(-balance, 0)""",
    "line_residual_vs_partials": """
        SELECT COUNT(*) FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
          LEFT JOIN (SELECT debit_move_id lid, SUM(amount) a, SUM(debit_amount_currency) ac
                       FROM account_partial_reconcile GROUP BY 1) d ON d.lid = l.id
          LEFT JOIN (SELECT credit_move_id lid, SUM(amount) a, SUM(credit_amount_currency) ac
                       FROM account_partial_reconcile GROUP BY 1) c ON c.lid = l.id
         WHERE a.reconcile AND (
               l.amount_residual <> l.balance - COALESCE(d.a, 0) + COALESCE(c.a, 0)
            OR l.amount_residual_currency
               <> l.amount_currency - COALESCE(d.ac, 0) + COALESCE(c.ac, 0)
            OR l.reconciled <> (l.amount_residual = 0 AND l.amount_residual_currency = 0))""",
    # the due date of an invoice is its last instalment's
    "move_totals_vs_receivable_lines": """
        SELECT COUNT(*) FROM account_move m
          JOIN (SELECT l.move_id, SUM(l.amount_residual) r, SUM(l.amount_residual_currency) rc,
                       SUM(l.balance) b, SUM(l.amount_currency) bc, MAX(l.date_maturity) due
                  FROM ("""
    + RECEIVABLE_LINES
    + """) l GROUP BY 1) x ON x.move_id = m.id
         WHERE m.move_type IN ('out_invoice', 'out_refund') AND (
               ABS(x.r) <> ABS(m.amount_residual_signed) OR ABS(x.rc) <> m.amount_residual
            OR ABS(x.b) <> ABS(m.amount_total_signed) OR ABS(x.bc) <> m.amount_total
            OR x.due <> m.invoice_date_due)""",
    # one receivable line per line of the payment terms (one without terms)
    "receivable_lines_vs_terms": """
        SELECT COUNT(*) FROM (SELECT DISTINCT move_id FROM gen_check_instalments i WHERE lines IS DISTINCT FROM term_lines) x""",
    "receivable_lines_without_terms": """
        SELECT COUNT(*) FROM (
            SELECT m.id FROM account_move m JOIN ("""
    + RECEIVABLE_LINES
    + """) l ON l.move_id = m.id
             WHERE m.move_type IN ('out_invoice', 'out_refund') AND m.state = 'posted'
               AND m.invoice_payment_term_id IS NULL
             GROUP BY m.id HAVING COUNT(*) <> 1 OR MAX(l.date_maturity) <> m.invoice_date_due) x""",
    # each instalment due on its date, with its share (the last one takes the rest)
    "instalment_due_dates": """
        SELECT COUNT(*) FROM gen_check_instalments i WHERE expected_due IS NOT NULL AND date_maturity <> expected_due""",
    "instalment_amounts": """
        SELECT COUNT(*) FROM gen_check_instalments i WHERE n < lines AND (balance <> expected_balance
                             OR amount_currency <> expected_amount)""",
    # the earliest instalments are settled first
    "instalments_settled_out_of_order": """
        SELECT COUNT(*) FROM gen_check_instalments later
          JOIN gen_check_instalments earlier ON earlier.move_id = later.move_id AND earlier.n < later.n
         WHERE later.amount_residual_currency <> later.amount_currency
           AND earlier.amount_residual_currency <> 0""",
    "payment_state_vs_residual": """
        SELECT COUNT(*) FROM account_move m
         WHERE m.move_type = 'out_invoice' AND m.state = 'posted' AND (
               (m.amount_residual = 0) <> (m.payment_state IN ('paid', 'in_payment', 'reversed'))
            OR (m.amount_residual = m.amount_total) <> (m.payment_state = 'not_paid'))""",
    # lines matched together share one number: the full reconcile's id, else P and
    # the smallest id of the partials between them
    "matching_numbers": """
        SELECT COUNT(*) FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
         WHERE a.reconcile AND (
               (l.matching_number IS NULL) <> (NOT EXISTS (
                    SELECT 1 FROM account_partial_reconcile p
                     WHERE p.debit_move_id = l.id OR p.credit_move_id = l.id))
            OR (l.full_reconcile_id IS NOT NULL
                AND (l.matching_number IS DISTINCT FROM l.full_reconcile_id::text
                     OR l.amount_residual <> 0 OR l.amount_residual_currency <> 0))
            OR (l.full_reconcile_id IS NULL AND left(l.matching_number, 1) <> 'P'))""",
    "partial_matching_numbers": """
        SELECT COUNT(*) FROM (
            SELECT l.matching_number, MIN(p.id) first_partial
              FROM account_move_line l
              JOIN account_partial_reconcile p
                ON p.debit_move_id = l.id OR p.credit_move_id = l.id
             WHERE left(l.matching_number, 1) = 'P' GROUP BY 1) x
         WHERE x.matching_number <> 'P' || x.first_partial""",
    "partials_across_matching_numbers": """
        SELECT COUNT(*) FROM account_partial_reconcile p
          JOIN account_move_line d ON d.id = p.debit_move_id
          JOIN account_move_line c ON c.id = p.credit_move_id
         WHERE d.matching_number IS DISTINCT FROM c.matching_number
            OR p.full_reconcile_id IS DISTINCT FROM d.full_reconcile_id
            OR p.full_reconcile_id IS DISTINCT FROM c.full_reconcile_id""",
    "duplicate_names": """
        SELECT COUNT(*) FROM (SELECT name, journal_id FROM account_move WHERE state = 'posted'
                               GROUP BY 1, 2 HAVING COUNT(*) > 1) x""",
    "line_vs_move_fields": """
        SELECT COUNT(*) FROM account_move_line l JOIN account_move m ON m.id = l.move_id
         WHERE (m.move_type IN ('out_invoice', 'out_refund') OR m.origin_payment_id IS NOT NULL)
           AND (l.partner_id IS DISTINCT FROM m.commercial_partner_id
                OR l.parent_state <> m.state OR l.date <> m.date OR l.journal_id <> m.journal_id
                OR l.move_name <> m.name OR l.company_id <> m.company_id)""",
    "commercial_partner": """
        SELECT COUNT(*) FROM account_move m JOIN res_partner p ON p.id = m.partner_id
         WHERE m.commercial_partner_id <> p.commercial_partner_id""",
}


def sql_checks(cr):
    """{check: number of offenders} over all journal entries."""
    cr.execute("DROP TABLE IF EXISTS gen_check_instalments")
    cr.execute(INSTALMENTS_QUERY)
    cr.execute("CREATE INDEX ON gen_check_instalments (move_id, n)")
    result = {}
    for name, query in CHECKS.items():
        cr.execute(query)
        result[name] = cr.fetchone()[0]
    return result
