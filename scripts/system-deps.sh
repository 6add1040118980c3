#!/usr/bin/env bash
# Debian/Ubuntu packages the full test suite needs beyond Python:
#   chromium             - browser test of the query page, report screenshots
#   libpango-1.0-0,
#   libpangoft2-1.0-0    - WeasyPrint (PDF reports)
#   libharfbuzz-subset0  - WeasyPrint font subsetting
#   fonts-dejavu-core,
#   fonts-noto-color-emoji - fonts with wide Unicode and emoji coverage for PDFs
#   postgresql           - the second storage backend's tests: scripts/pg-test-server.sh
#                          runs a throwaway server from its binaries
# Installs only what is missing. Uses sudo when not run as root.
set -euo pipefail
wanted=(chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-color-emoji postgresql)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present (${wanted[*]})"
  exit 0
fi
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
echo "system packages: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
