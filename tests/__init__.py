from . import test_dunning_rules
from . import test_dunning_config
from . import test_dunning_run
from . import test_dunning_channels
from . import test_dunning_cron
from . import test_dunning_security
from . import test_dunning_tour
from . import test_dunning_rate_client
