#!/usr/bin/env bash
# Edgeplane database backups, run by the chart's backup CronJob (templates/backup/) with
# the image's pg_dump/pg_restore (any Postgres image; bash and coreutils or busybox).
#
#   pg-backup.sh backup                dump DATABASE_URL into BACKUP_DIR (custom format),
#                                      then keep only the newest BACKUP_RETENTION dumps
#   pg-backup.sh list                  the dumps, newest first
#   pg-backup.sh restore [FILE|latest] restore a dump into DATABASE_URL, replacing the
#                                      objects it contains, in one transaction
#
# The action defaults to $BACKUP_ACTION and the restore source to $RESTORE_FROM, so a Job
# made from the CronJob restores with only its environment changed (k8s/README.md, Restore).
set -euo pipefail
export LC_ALL=C

BACKUP_DIR=${BACKUP_DIR:-/backups}
BACKUP_RETENTION=${BACKUP_RETENTION:-30}
PREFIX=edgeplane-

log() { printf '%s pg-backup: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
fail() {
  log "error: $*"
  exit 1
}

# Names carry a UTC timestamp, so name order is time order (file times do not survive copies).
dumps() {
  local files=("$BACKUP_DIR/$PREFIX"*.dump)
  [[ -e ${files[0]} ]] || return 0
  printf '%s\n' "${files[@]##*/}" | sort -r
}

backup() {
  [[ $BACKUP_RETENTION =~ ^[1-9][0-9]*$ ]] || fail "BACKUP_RETENTION must be a whole number above 0, not '$BACKUP_RETENTION'"
  mkdir -p "$BACKUP_DIR"
  local name partial
  name="$PREFIX$(date -u +%Y%m%dT%H%M%SZ).dump"
  # Names have a one-second resolution: a second backup within it waits for the next one.
  while [[ -e $BACKUP_DIR/$name ]]; do
    sleep 1
    name="$PREFIX$(date -u +%Y%m%dT%H%M%SZ).dump"
  done
  partial="$BACKUP_DIR/.$name.partial"
  # A failed or interrupted dump leaves nothing that could pass for a backup. The path is
  # expanded now: when errexit fires, this function's locals are gone before the trap runs.
  # shellcheck disable=SC2064
  trap "rm -f -- $(printf '%q' "$partial")" EXIT
  log "dumping to $name"
  pg_dump --format=custom --compress=6 --dbname="$DATABASE_URL" --file="$partial"
  # A dump pg_restore cannot read is no backup: check its table of contents before keeping it.
  pg_restore --list "$partial" >/dev/null
  mv -- "$partial" "$BACKUP_DIR/$name"
  trap - EXIT
  log "wrote $name ($(wc -c <"$BACKUP_DIR/$name") bytes)"
  prune
}

# Only after a good dump: a failing database must never cost the backups already made.
prune() {
  local kept=0 name
  while IFS= read -r name; do
    kept=$((kept + 1))
    if ((kept > BACKUP_RETENTION)); then
      rm -f -- "$BACKUP_DIR/$name"
      log "removed $name (retention: $BACKUP_RETENTION)"
    fi
  done < <(dumps)
}

restore() {
  local file=${1:-${RESTORE_FROM:-latest}}
  if [[ $file == latest ]]; then
    file=$(dumps | sed -n 1p)
    [[ -n $file ]] || fail "no dumps in $BACKUP_DIR"
  fi
  [[ $file == */* ]] || file="$BACKUP_DIR/$file"
  [[ -f $file ]] || fail "$file: no such dump"
  log "restoring ${file##*/}"
  # --clean --if-exists replaces what the dump contains; one transaction, so a failure leaves
  # the database as it was. Owners and grants are the restoring user's (roles differ between servers).
  pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
    --dbname="$DATABASE_URL" "$file"
  log "restored ${file##*/}"
}

action=${1:-${BACKUP_ACTION:-backup}}
[[ $# -gt 0 ]] && shift
case $action in
  backup | restore) : "${DATABASE_URL:?DATABASE_URL is required}" ;;
esac
case $action in
  backup) backup ;;
  list) dumps ;;
  restore) restore "$@" ;;
  *) fail "unknown action '$action' (backup, list or restore)" ;;
esac
