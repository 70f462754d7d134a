# Records of this app are added here; each registers its access rule in access_rules.py.
