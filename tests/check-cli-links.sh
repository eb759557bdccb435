#!/bin/sh
# check-cli-links.sh — the command-line tool links no toolkit: neither GTK
# nor libadwaita (nor GDK or graphene) is among the libraries it needs.
# TAP output. SPDX-License-Identifier: GPL-3.0-or-later
cli=$1
echo "1..2"
needed=$(readelf -d "$cli" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
if [ -z "$needed" ]; then
  echo "not ok 1 - readelf lists what $cli needs"
  echo "not ok 2 - no toolkit # not checked"
  exit 0
fi
echo "ok 1 - readelf lists what $cli needs"
toolkit=$(printf '%s\n' "$needed" | grep -E '^lib(gtk-4|adwaita-1|graphene-1\.0|gdk_pixbuf-2\.0)\.so' || true)
if [ -n "$toolkit" ]; then
  echo "not ok 2 - no toolkit; it needs: $(echo $toolkit)"
else
  echo "ok 2 - no toolkit among: $(echo $needed)"
fi
