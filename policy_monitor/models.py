# Records of this app are added here; each registers its access rule in access_rules.py.
from policy_monitor.dataset_models import *  # noqa: F401,F403
