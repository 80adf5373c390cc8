from . import account_dunning_exclusion_wizard
