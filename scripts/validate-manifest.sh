#!/usr/bin/env bash
# Validate manifest.xml against Microsoft's Office add-in manifest schemas (offline).
# The schemas live beside the project in ../shared/office-manifest-xsd (not part of a user's clone);
# pass another folder as $1. Needs xmllint (Debian: libxml2-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
XSD_DIR="${1:-../shared/office-manifest-xsd}"
if [ ! -f "$XSD_DIR/OfficeAppManifestV1_1.xsd" ]; then
  echo "Manifest schemas not found in $XSD_DIR" >&2
  exit 2
fi
xmllint --noout --schema "$XSD_DIR/OfficeAppManifestV1_1.xsd" manifest.xml
