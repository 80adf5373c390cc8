from . import account_dunning_invoice_wizard
from . import account_dunning_exclusion_wizard
from . import account_dunning_waiver_wizard
from . import account_dunning_block_wizard
from . import account_dunning_aging_wizard
from . import base_partner_merge_automatic_wizard
from . import account_dunning_recovery_cost_wizard
from . import account_dunning_dispute_resolve_wizard
