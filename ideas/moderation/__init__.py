"""The brand team's tools: reports, the moderation queue, hiding and restoring,
approving what waits, merging duplicates, official answers and status changes from
the site, members' records and the back office's moderation screens.

May import the core of ``ideas`` (models, events, permissions, workflow) and the
site-wide ``cocreate`` helpers; never ``ideas.product`` or ``ideas.integrations``,
nor ``rewards`` or ``cocreate.notifications``.
"""
