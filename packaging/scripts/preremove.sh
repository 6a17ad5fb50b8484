#!/bin/sh
# omsd preremove. deb: "remove" (or "upgrade"); rpm: 0 on removal, 1 on
# upgrade. A removal stops the service; the spool (/var/lib/omsd) and the
# configuration stay, so a reinstall carries on with the jobs left.
set -e
case "$1" in
remove | 0) ;;
*) exit 0 ;;
esac
[ -d /run/systemd/system ] || exit 0
systemctl disable --now omsd.service || true
