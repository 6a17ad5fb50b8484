#!/bin/sh
# omsd postinstall. deb: "configure" and the version upgraded from (empty on
# a first install); rpm: 1 on install, 2 on upgrade.
set -e
case "$1" in
configure) [ -z "$2" ] && first=1 || first=0 ;;
1) first=1 ;;
2) first=0 ;;
*) exit 0 ;;
esac

# The omsd user and group, and the state and runtime directories.
if command -v systemd-sysusers >/dev/null 2>&1; then
	systemd-sysusers /usr/lib/sysusers.d/omsd.conf
else
	getent group omsd >/dev/null || groupadd --system omsd
	getent passwd omsd >/dev/null || useradd --system --gid omsd --home-dir /var/lib/omsd \
		--no-create-home --shell /usr/sbin/nologin --comment "omsd output management daemon" omsd
fi
if command -v systemd-tmpfiles >/dev/null 2>&1; then
	systemd-tmpfiles --create /usr/lib/tmpfiles.d/omsd.conf
else
	install -d -o omsd -g omsd -m 0750 /var/lib/omsd /var/lib/omsd/hot /run/omsd
	install -d -o omsd -g omsd -m 2770 /var/lib/omsd/hot/default /var/lib/omsd/hot/afp
fi

# The configuration may come to hold passwords: readable by omsd, not by
# everyone. Only on a first install: an operator's later choice stays.
if [ "$first" = 1 ]; then
	chgrp omsd /etc/omsd/omsd.yaml
	chmod 0640 /etc/omsd/omsd.yaml
fi

[ -d /run/systemd/system ] || exit 0
systemctl daemon-reload || true
if [ "$first" = 1 ]; then
	systemctl enable omsd.service || true
	systemctl start omsd.service || echo "omsd: the service did not start; see journalctl -u omsd" >&2
	exit 0
fi
# An upgrade restarts the running service only once the new binary has
# checked the configuration; otherwise the old one keeps running.
if /usr/bin/omsd config check /etc/omsd/omsd.yaml >/dev/null; then
	systemctl try-restart omsd.service || echo "omsd: the restart failed; see journalctl -u omsd" >&2
else
	echo "omsd: /etc/omsd/omsd.yaml does not pass this version's check (omsd config check /etc/omsd/omsd.yaml);" \
		"the running omsd was not restarted: fix the file, then systemctl restart omsd" >&2
fi
