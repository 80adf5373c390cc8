from . import handoff_status
