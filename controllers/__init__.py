from . import handoff_status
from . import dunning_portal
from . import dunning_portal_forms
from . import dunning_portal_payment
from . import dunning_portal_statement
