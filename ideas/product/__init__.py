"""The product team's tools: shortlists, scoring, the evaluation page, promotion
into R&D and shipping, exports (CSV, XLSX, JSON) and their back-office screens.

May import the core of ``ideas`` and the site-wide ``cocreate`` helpers; never
``ideas.moderation`` or ``ideas.integrations``, nor ``rewards`` or
``cocreate.notifications``.
"""
