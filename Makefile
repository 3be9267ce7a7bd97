# Cocreate: `make demo` runs the site with demo content, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint format bench browsers clean lock wheel-check messages

LOCK := requirements.lock
LOCK_TOOLS := $(VENV)-lock

# Install exactly what the lock pins (hash-checked), then the project itself.
# pip check fails when pyproject.toml asks for something the lock lacks: run
# `make lock` then.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

# Re-pin every dependency (with the dev extra) from pyproject.toml, for all
# platforms, at the lowest Python we support; uv comes from PyPI in its own venv.
lock:
	$(PYTHON) -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/python -m pip install --quiet "uv>=0.8"
	$(LOCK_TOOLS)/bin/uv pip compile pyproject.toml --extra dev --universal \
		--python-version 3.11 --generate-hashes --no-header --quiet -o $(LOCK)

# `make demo DEMO_LANGUAGE=fr`: the demo written in French, on a site whose default
# language is French, in a database of its own (db.fr.sqlite3, or SQLITE_NAME) so
# it sits beside the English one.
DEMO_LANGUAGE ?= en
ifneq ($(DEMO_LANGUAGE),en)
DEMO_ENV := LANGUAGE_CODE=$(DEMO_LANGUAGE) SQLITE_NAME=$(or $(SQLITE_NAME),db.$(DEMO_LANGUAGE).sqlite3)
DEMO_SEED_ARGS := --language $(DEMO_LANGUAGE)
endif

demo: $(STAMP)
	DEBUG=true $(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(DEMO_ENV) $(BIN)/python manage.py seed_demo $(DEMO_SEED_ARGS)
	@echo "Cocreate runs on http://127.0.0.1:$(PORT)/ (member@example.com / cocreate-demo)"
	DEBUG=true $(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Browser journeys run in a process of their own, after the rest: their
# serialized rollback flushes the database without recreating the permissions and
# content types that the other transactional tests' flushes recreate.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not e2e" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -p no:xdist -m e2e $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not e2e and not slow" $(PYTEST_ARGS)

# Extract new strings into locale/fr/LC_MESSAGES/django.po and rebuild its .mo
# (GNU gettext's xgettext, msgmerge and msgfmt); docs/translation.md says more.
messages: $(STAMP)
	DEBUG=true $(BIN)/python manage.py update_catalogue

# The services and selectors that mypy checks ([tool.mypy] in pyproject.toml
# types them strictly); named as modules, since `cocreate` is the folder site/.
MYPY_MODULES := \
	ideas.posting ideas.voting ideas.discussion ideas.following ideas.workflow \
	ideas.lifecycle ideas.counters ideas.selectors ideas.screening ideas.ranking \
	ideas.moderation.services ideas.moderation.merging \
	ideas.product.shortlists ideas.product.scoring ideas.product.rnd \
	ideas.product.exports ideas.product.evaluation \
	ideas.integrations.webhooks ideas.integrations.delivery ideas.integrations.tasks \
	rewards.earning rewards.rules rewards.ledger rewards.redemptions rewards.payouts \
	rewards.vouchers rewards.wallets rewards.levels rewards.achievements \
	rewards.selectors rewards.audit rewards.notices rewards.iban \
	cocreate.members.types cocreate.members.services cocreate.members.sanctions \
	cocreate.members.selectors cocreate.members.permissions cocreate.members.roles \
	cocreate.members.staff_security cocreate.members.receivers cocreate.members.middleware \
	cocreate.notifications.services cocreate.notifications.tasks \
	cocreate.notifications.audiences cocreate.images cocreate.spreadsheets \
	cocreate.text cocreate.security cocreate.money cocreate.i18n \
	cocreate.params ideas.moderation.standing cocreate.outages \
	ideas.models.access \
	cocreate.privacy.registry cocreate.privacy.exports cocreate.privacy.erasure \
	cocreate.privacy.account_data cocreate.privacy.names \
	ideas.privacy rewards.privacy cocreate.notifications.privacy cocreate.worker.privacy \
	cocreate.members.consents cocreate.retention \
	cocreate.uploads cocreate.private_media cocreate.catalogue \
	ideas.trending ideas.paging ideas.page_cache

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	@mkdir -p .mypy-path && ln -sfn ../site .mypy-path/cocreate
	DEBUG=true $(BIN)/mypy $(addprefix -m ,$(MYPY_MODULES))

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# On PostgreSQL (DATABASE_URL): seed a scratch database, dump it, restore it into
# another and check the copy (docs/operations.md). `make restore-check
# DUMP=night.dump MEDIA=/backup/media PRIVATE_MEDIA=/backup/private-media` checks a
# real backup instead.
.PHONY: restore-check
restore-check: $(STAMP)
	PYTHON=$(BIN)/python scripts/restore_check.sh $(DUMP) $(MEDIA) $(PRIVATE_MEDIA)

bench: $(STAMP)
	$(BIN)/python -m pytest tests/load -p no:xdist -s $(PYTEST_ARGS)

# Granian serving the production settings on PostgreSQL + Redis, page by page
# beside a hello view, then supports at a target rate and the audit after
# (docs/performance.md). Seeds BENCH_DATABASE (cocreate_bench) when it lacks the
# size asked: `make bench-http BENCH_IDEAS=10000 BENCH_SUPPORTS=50000` is quick;
# the default is the brand's scale, 100,000 ideas and 1,000,000 supports.
.PHONY: bench-http
bench-http: $(STAMP)
	$(BIN)/python tests/load/http_bench.py

# Live updates: two daphne processes on a small database of their own (livebench)
# and Redis db 7, 500 sockets on one idea's page and 40 list pages, supports at
# 10/s, delivery latency, server closes, and what Redis holds once all sockets
# left (docs/performance.md). LIVE_LAYER=core|pubsub, LIVE_SOCKETS, LIVE_RATE...
.PHONY: bench-live
bench-live: $(STAMP)
	$(BIN)/python tests/load/live_bench.py

# Build the wheel, install it (with the locked dependencies) in a fresh venv
# outside the tree, and run Django's checks on it from the tree's root, where the
# installed package reads templates/ and static/ (COCREATE_BASE_DIR).
WHEEL_CHECK := $(shell mktemp -u /tmp/cocreate-wheel-XXXXXX)
wheel-check: $(STAMP)
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir $(WHEEL_CHECK)/dist .
	$(PYTHON) -m venv $(WHEEL_CHECK)/venv
	$(WHEEL_CHECK)/venv/bin/python -m pip install --quiet -r $(LOCK)
	$(WHEEL_CHECK)/venv/bin/python -m pip install --quiet --no-deps $(WHEEL_CHECK)/dist/*.whl
	cd $(WHEEL_CHECK) && DEBUG=true DJANGO_SETTINGS_MODULE=cocreate.settings \
		COCREATE_BASE_DIR=$(CURDIR) venv/bin/python -c \
		"import django, ideas; django.setup(); \
		from django.template.loader import get_template; \
		from django.core.management import call_command; \
		assert 'site-packages' in ideas.__file__, ideas.__file__; \
		get_template('base.html'); get_template('ideas/campaign_page.html'); \
		call_command('check'); call_command('makemigrations', '--check', '--dry-run')"
	rm -rf $(WHEEL_CHECK) build

clean:
	rm -rf $(VENV) $(LOCK_TOOLS) .mypy-path .mypy_cache db.sqlite3 db.sqlite3-* .test-db*.sqlite3* media staticfiles
