# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Realistic receivables data generator for account_dunning.

Run inside an Odoo shell (``env`` is provided by ``odoo shell``)::

    DUNNING_GEN_CUSTOMERS=40 DUNNING_GEN_INVOICES=300 DUNNING_GEN_MODE=demo \
        odoo shell -d DB --no-http < scripts/generate_data.py

Environment variables:

``DUNNING_GEN_CUSTOMERS``   number of customers (commercial partners), default 40
``DUNNING_GEN_INVOICES``    number of customer invoices, default 300
``DUNNING_GEN_MODE``        ``demo`` (everything through the ORM, default) or
                            ``fast`` (a handful of ORM-made template invoices,
                            payments and reconciliations replicated with
                            set-based SQL; meant for 10k-590k invoices)
``DUNNING_GEN_SEED``        random seed, default 42
``DUNNING_GEN_OPEN_RATIO``  share of invoices left (partly) open, default 0.25
                            in demo mode and 0.6 in fast mode
``DUNNING_GEN_CHECK``       number of invoices re-computed through the ORM to
                            check the consistency of the data, default 300
``DUNNING_GEN_STRICT``      1 to fail (exit code 1) when a consistency check fails
``DUNNING_GEN_PROGRESS_FD`` a file descriptor (number) that receives a compact
                            progress (scripts/demo.sh passes its terminal)
``DUNNING_GEN_HOLDS``       fast mode: the share of the invoices generated put on
                            hold (disputed, promised, in a payment plan), default 0;
                            scripts/bench.py passes 0.05 (``dunning_gen/fast_holds``)

About 10 to 15 % of the invoices are on instalment terms (30 % now and 70 % at 60
days, or three instalments at 30, 60 and 90 days): one receivable journal item per
instalment, each with its due date. The main company is turned into "Atelier
Dubois SAS" (France, EUR) before any journal entry is created. If the company has
no chart of accounts, the French one (``l10n_fr_account``, template code ``fr``)
is loaded; otherwise the installed chart is used. The script commits itself and
ends with one ``GENERATE key=value ...`` line.

The code is the package ``scripts/dunning_gen`` (see its ``__init__``); this file
only finds it: ``odoo shell`` runs the file from its standard input, where
``__file__`` is not set.
"""

import os
import sys


def _scripts_dir():
    """The folder holding dunning_gen: this file's, read from the standard input
    it is fed on, else the installed addon's scripts folder, else ./scripts."""
    candidates = []
    if "__file__" in globals():
        candidates.append(os.path.dirname(os.path.abspath(__file__)))
    try:
        candidates.append(os.path.dirname(os.readlink("/proc/self/fd/0")))
    except OSError:
        pass
    try:
        from odoo.modules.module import get_module_path

        addon = get_module_path("account_dunning")
        if addon:
            candidates.append(os.path.join(addon, "scripts"))
    except ImportError:
        pass
    candidates.append(os.path.join(os.getcwd(), "scripts"))
    for folder in candidates:
        if os.path.isfile(os.path.join(folder, "dunning_gen", "__init__.py")):
            return folder
    raise SystemExit("generate_data: dunning_gen not found (tried %s)" % candidates)


sys.path.insert(0, _scripts_dir())
from dunning_gen.main import run  # noqa: E402 - needs the path set above

run(env)  # noqa: F821 - provided by odoo shell
