"""The points economy's back office: forms, views and viewsets for the catalogue,
redemptions and payouts, wallets and adjustments. Registered from
``rewards.wagtail_hooks``; calls the services of ``rewards``, never writes models
itself.
"""
