# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""How Odoo 18 matches payments and credit notes with an invoice's receivable
lines, as plain arithmetic on cents (for the fast SQL copy).

- Each payment or credit note is one ``reconcile()`` of its receivable line with
  the invoice's receivable lines still open: Odoo sorts them by due date, so the
  earliest instalment is settled first, then the next with what is left.
- A partial reconcile takes the smaller residual of the two lines, in the invoice
  currency and in company currency.
- Odoo makes a full reconcile when every line given to that ``reconcile()`` call,
  and every line already matched with one of them, is settled. Paying only the
  first instalment therefore makes none (the second instalment was given too);
  paying the last one makes one with that instalment and its payment alone.
- The matching number of a line is its full reconcile's id, else ``P`` and the
  smallest partial id among the lines matched together.
"""

NEXT, REST, FIXED = "next", "rest", "fixed"


def cents(amount):
    return int(round(amount * 100))


def match_invoice(debits, credits):
    """Match credits with an invoice's receivable lines.

    :param debits: [(balance, amount_currency)] in cents, the invoice's receivable
        lines in due date order
    :param credits: [(kind, (balance, amount_currency) or None)] in the order they
        are reconciled: NEXT pays the earliest open line, REST all that is open,
        FIXED the amounts given
    :return: dict with
        ``debit_residuals`` [(balance, amount_currency)] after all credits,
        ``credit_amounts`` [(balance, amount_currency)] of each credit,
        ``partials`` [(debit index, credit index, balance, amount_currency)] in
        creation order,
        ``debit_group`` / ``credit_group`` index of the matched group of each line
        (None: never matched), ``group_full`` whether each group has a full
        reconcile, ``group_first_partial`` the index of its first partial,
        ``edges`` the partials where a line was settled in one currency only
        (expected 0: the copy values payments at the invoice's rate)
    """
    residuals = [list(debit) for debit in debits]
    nodes = _Nodes()
    partials, credit_amounts, settled_nodes = [], [], set()
    edges = 0
    for j, (kind, amounts) in enumerate(credits):
        open_lines = [i for i, res in enumerate(residuals) if res[0] or res[1]]
        if kind == NEXT:
            left = list(residuals[open_lines[0]])
        elif kind == REST:
            left = [sum(residuals[i][k] for i in open_lines) for k in (0, 1)]
        else:
            left = list(amounts)
        credit_amounts.append(tuple(left))
        for i in open_lines:
            if not left[1]:
                break
            res = residuals[i]
            take_cur = min(res[1], left[1])
            take_bal = min(res[0], left[0])
            edges += (take_cur == res[1]) != (take_bal == res[0])
            edges += (take_cur == left[1]) != (take_bal == left[0])
            res[0] -= take_bal
            res[1] -= take_cur
            left[0] -= take_bal
            left[1] -= take_cur
            partials.append((i, j, take_bal, take_cur))
            nodes.union(("d", i), ("c", j))
        if left[0] or left[1]:
            raise ValueError("credit %d is larger than the invoice's residual" % j)
        given = [("c", j)] + [("d", i) for i in open_lines]
        involved = nodes.connected(given)
        if all(not any(residuals[key[1]]) for key in involved if key[0] == "d"):
            settled_nodes.update(involved)
    return _result(residuals, credit_amounts, partials, nodes, settled_nodes, edges)


def _result(residuals, credit_amounts, partials, nodes, settled_nodes, edges):
    group_of_root, group_full, group_first_partial = {}, [], []
    for index, (i, _j, _bal, _cur) in enumerate(partials):
        root = nodes.find(("d", i))
        if root not in group_of_root:
            group_of_root[root] = len(group_full)
            group_full.append(("d", i) in settled_nodes)
            group_first_partial.append(index)

    def group(key):
        return group_of_root.get(nodes.find(key)) if key in nodes.parent else None

    return {
        "debit_residuals": [tuple(res) for res in residuals],
        "credit_amounts": credit_amounts,
        "partials": partials,
        "debit_group": [group(("d", i)) for i in range(len(residuals))],
        "credit_group": [group(("c", j)) for j in range(len(credit_amounts))],
        "group_full": group_full,
        "group_first_partial": group_first_partial,
        "edges": edges,
    }


class _Nodes:
    """Union-find over the matched lines ("d", index) and ("c", index)."""

    def __init__(self):
        self.parent = {}

    def find(self, key):
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a, b):
        self.parent[self.find(a)] = self.find(b)

    def connected(self, keys):
        """keys and every line matched, directly or not, with one of them."""
        roots = {self.find(key) for key in keys}
        return set(keys) | {key for key in self.parent if self.find(key) in roots}
