#!/usr/bin/env bash
# Evaluate the data files changed since a commit: one `dxcheck evaluate` per commune folder and
# month, each writing a JUnit result, an HTML report to print and a Markdown summary.
# Chạy dxcheck trên các tệp số liệu thay đổi kể từ một commit: mỗi xã, mỗi tháng một lần chạy.
#
#   bash dxcheck-changed.sh BASE_COMMIT [REPORT_DIR]        (REPORT_DIR defaults to reports/)
#
# Layout: each commune has a folder made by `dxcheck init` (its pack *.yaml, sources/ and
# mapping.yaml); its exports live below it, in month folders named YYYY-MM (du-lieu/2026-10/),
# whose name becomes --period. Extra options for every run go in DXCHECK_ARGS (e.g. "--strict").
# Exit code: the worst run's (0 every target met, 1 a target failed, 2 a run could not be done).
# Copy this file into the data repository (e.g. as ci/dxcheck-changed.sh); docs/ci.md explains it.
set -uo pipefail

base="${1:?usage: dxcheck-changed.sh BASE_COMMIT [REPORT_DIR]}"
reports="${2:-reports}"
mkdir -p "$reports"

# No usable base (a branch's first push, a shallow clone): compare with the empty tree, i.e. check
# every data file of the repository.
if ! git rev-parse --verify --quiet "${base}^{commit}" >/dev/null; then
  base="$(git hash-object -t tree /dev/null)"
fi

# The rule packs of a folder: its *.yaml/*.yml files except mapping*.yaml and dot-files.
packs_in() {
  local candidate
  for candidate in "$1"/*.yaml "$1"/*.yml; do
    [ -f "$candidate" ] || continue
    case "$(basename "$candidate")" in mapping*|.*) continue ;; esac
    printf '%s\n' "$candidate"
  done
}

# The commune folder of a data file: the nearest folder upwards that holds a rule pack.
commune_of() {
  local dir
  dir="$(dirname "$1")"
  while :; do
    if [ -n "$(packs_in "$dir")" ]; then
      printf '%s\n' "$dir"
      return 0
    fi
    [ "$dir" = "." ] || [ "$dir" = "/" ] && return 1
    dir="$(dirname "$dir")"
  done
}

worst=0
keys=()
declare -A members=()
while IFS= read -r -d '' file; do
  [ -f "$file" ] || continue
  if ! commune="$(commune_of "$file")"; then
    echo "dxcheck-changed: no rule pack (*.yaml) in a folder above $file; run dxcheck init there" >&2
    worst=2
    continue
  fi
  month="$(basename "$(dirname "$file")")"
  [[ "$month" =~ ^[0-9]{4}-[0-9]{2}$ ]] || month=""
  key="$commune|$month"
  [ -n "${members[$key]+set}" ] || keys+=("$key")
  members[$key]+="$file"$'\n'
done < <(git diff --name-only --diff-filter=ACMR -z "$base" HEAD -- \
           ':(icase)*.xlsx' ':(icase)*.xlsm' ':(icase)*.xls' ':(icase)*.ods' ':(icase)*.csv' ':(icase)*.parquet')

if [ "${#keys[@]}" -eq 0 ]; then
  echo "dxcheck-changed: no data file changed since $base"
  exit "$worst"
fi

for key in "${keys[@]}"; do
  commune="${key%|*}"
  month="${key##*|}"
  mapfile -t data <<< "${members[$key]%$'\n'}"
  rules=()
  while IFS= read -r pack; do rules+=(--rules "$pack"); done < <(packs_in "$commune")
  options=()
  [ -f "$commune/mapping.yaml" ] && options+=(--mapping "$commune/mapping.yaml")
  [ -n "$month" ] && options+=(--period "$month")
  name="$(printf '%s' "${commune#./}${month:+-$month}" | tr -c 'A-Za-z0-9._-' '-')"
  [ "$name" = "." ] && name="data"
  echo "== dxcheck: $commune ${month:-(every row)}: ${#data[@]} file(s)"
  # shellcheck disable=SC2086 # DXCHECK_ARGS is a list of options, split on purpose
  dxcheck evaluate "${data[@]}" "${rules[@]}" "${options[@]}" ${DXCHECK_ARGS:-} --no-timestamp \
    --output "$reports/$name.xml" --output "$reports/$name.html" --output "$reports/$name.md"
  status=$?
  [ -f "$reports/$name.md" ] && cat "$reports/$name.md"
  case "$status" in
    0) ;;
    1) [ "$worst" -lt 1 ] && worst=1 ;;
    *) worst=2 ;;
  esac
done
exit "$worst"
