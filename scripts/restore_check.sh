#!/usr/bin/env bash
# Prove that a backup restores into a working Cocreate (docs/operations.md).
#
#   scripts/restore_check.sh                     make a small site, dump it, restore it
#   scripts/restore_check.sh DUMP [MEDIA_COPY [PRIVATE_MEDIA_COPY]]
#                                                restore a real dump (pg_dump -Fc) and,
#                                                if given, check its media copies
#                                                (MEDIA_ROOT, PRIVATE_MEDIA_ROOT)
#
# DATABASE_URL names the PostgreSQL server and a role that may create databases;
# the database it names is left alone: the check creates two scratch databases,
# cocreate_restore_src_<pid> and cocreate_restore_<pid>, and drops them when it
# ends, whatever happens. Exits non-zero when anything fails: the restore, a
# migration missing from (or failing on) the dump, the ledger audit, the idea
# counters, a row count that differs from the source, or a media file missing.
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL server to check on}"
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
DUMP=${1:-}
MEDIA_COPY=${2:-}
PRIVATE_MEDIA_COPY=${3:-}

# Another database on the same server, same role, password and options.
url_for() {
    "$PY" -c 'import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' \
        "$DATABASE_URL" "$1"
}

SOURCE=cocreate_restore_src_$$
TARGET=cocreate_restore_$$
MAINTENANCE=$(url_for "${MAINTENANCE_DB:-postgres}")
WORK=$(mktemp -d /tmp/cocreate-restore-XXXXXX)
created=()

cleanup() {
    for name in "${created[@]}"; do
        dropdb --if-exists --force --maintenance-db="$MAINTENANCE" "$name" || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '== %s\n' "$*"; }

# manage.py on one scratch database: no Redis (nothing to publish to), media in
# the scratch folder, never the site's own.
manage() {
    local database=$1
    shift
    env -u REDIS_URL DATABASE_URL="$(url_for "$database")" \
        MEDIA_ROOT="${MEDIA_ROOT_FOR_CHECK:-$WORK/media}" \
        PRIVATE_MEDIA_ROOT="${PRIVATE_MEDIA_ROOT_FOR_CHECK:-$WORK/private-media}" \
        DEBUG=true "$PY" manage.py "$@"
}

# Every model's row count, one "label count" a line, to compare two databases.
row_counts() {
    manage "$1" shell --no-imports -c '
from django.apps import apps
for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
    if model._meta.managed and not model._meta.proxy:
        print(model._meta.label, model._default_manager.count())'
}

if [[ -z "$DUMP" ]]; then
    step "a small site in $SOURCE"
    mkdir -p "$WORK/media" "$WORK/private-media"
    createdb --maintenance-db="$MAINTENANCE" "$SOURCE"
    created+=("$SOURCE")
    manage "$SOURCE" migrate --noinput --verbosity 0
    manage "$SOURCE" seed_demo --ideas 12 --supports 40 >/dev/null
    # The order of docs/operations.md: the database first, then the media.
    step "pg_dump --format=custom"
    DUMP=$WORK/cocreate.dump
    pg_dump --format=custom --file="$DUMP" --dbname="$(url_for "$SOURCE")"
    cp -R "$WORK/media" "$WORK/media-copy"
    cp -R "$WORK/private-media" "$WORK/private-media-copy"
    MEDIA_COPY=$WORK/media-copy
    PRIVATE_MEDIA_COPY=$WORK/private-media-copy
    row_counts "$SOURCE" >"$WORK/source-counts"
fi

step "pg_restore into $TARGET"
createdb --maintenance-db="$MAINTENANCE" "$TARGET"
created+=("$TARGET")
pg_restore --no-owner --no-privileges --exit-on-error \
    --dbname="$(url_for "$TARGET")" "$DUMP"

if [[ -f "$WORK/source-counts" ]]; then
    step "every migration is in the dump"
    manage "$TARGET" migrate --check --noinput >/dev/null
else
    # A backup of older code is migrated forward, as a restore would be.
    step "migrate the restored copy to this code"
    manage "$TARGET" migrate --noinput --verbosity 0
fi

if [[ -f "$WORK/source-counts" ]]; then
    step "the same rows as the source"
    row_counts "$TARGET" >"$WORK/target-counts"
    diff "$WORK/source-counts" "$WORK/target-counts"
fi

step "rewards_audit"
manage "$TARGET" rewards_audit

step "recount_ideas --check"
manage "$TARGET" recount_ideas --check

if [[ -n "$MEDIA_COPY" ]]; then
    step "every file the database names is in $MEDIA_COPY or ${PRIVATE_MEDIA_COPY:-(no private copy)}"
    MEDIA_ROOT_FOR_CHECK=$MEDIA_COPY \
    PRIVATE_MEDIA_ROOT_FOR_CHECK=${PRIVATE_MEDIA_COPY:-$WORK/no-private-copy} \
        manage "$TARGET" shell --no-imports -c '
import sys
from django.apps import apps
from django.db.models import FileField
names = set()
for model in apps.get_models():
    for field in model._meta.get_fields():
        if isinstance(field, FileField):
            rows = model._default_manager.exclude(**{field.name: ""})
            # Each field its own storage: idea images are private files.
            names.update(
                (field.storage, name)
                for name in rows.values_list(field.name, flat=True)
            )
missing = sorted(n for storage, n in names if not storage.exists(n))
for name in missing:
    print("missing:", name, file=sys.stderr)
print(f"{len(names)} files named, {len(missing)} missing")
sys.exit(1 if missing else 0)'
fi

step "the backup restores"
