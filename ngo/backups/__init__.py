"""Backups that restore: `manage.py backup` writes one archive holding the database,
the private files and a manifest; `manage.py restore` checks it and restores it into
an empty database (see README, "Backups and restore")."""
