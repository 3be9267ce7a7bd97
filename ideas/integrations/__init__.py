"""What connects the idea domain to other systems: the REST API (django-ninja,
``/api/v1/``), webhooks (payloads, signing, delivery with retries, their tasks) and
their back-office screens.

May import the core of ``ideas``, ``ideas.product`` (the API's writes call its
services) and the site-wide ``cocreate`` helpers; never ``rewards`` or
``cocreate.notifications``. Nothing outside this package imports it but the URL
configuration, the app's ready() and the back-office hooks.
"""
