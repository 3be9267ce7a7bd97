"""The demo: a brand's site that looks lived in, seeded by ``manage.py seed_demo``.

One module per part, called in order by the command: ``pages`` (the brand's pages,
categories and campaigns), ``members``, ``ideas`` and ``activity`` (the ideas and
their history: pictures, tags, supports, follows, comments), ``rewards`` (the
catalogue and redemptions) with ``points`` (what that history earned),
``brand_team``, ``product_team`` and ``panel``, then ``translations`` (the pages
in the other language). Every choice comes from a seeded random.Random, one per
part, so two empty databases seeded alike hold the same content, and each part is
skipped when it is already there.

Each part's texts are its English constants; ``seed_demo --language fr`` takes
the constants of the same names from ``content_fr`` instead, so the French demo
runs the same code, draws and volumes. The English demo has a few French-speaking
members, who write their ideas and comments in French.
"""
