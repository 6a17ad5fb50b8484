#!/usr/bin/env bash
# E-mail benchmark: N pieces (default 10,000), each e-mailed by omsd as its
# own PDF over STARTTLS (certificate verified, AUTH) to a local mailpit,
# against Postfix's smtp-source sending N messages of the same size over
# one session to a second mailpit (smtp-source has no TLS, so plain SMTP:
# the reference is an upper bound). Reports messages per second and the
# CPU time of omsd and of each mailpit.
#
#   bench/email/run.sh [N] [CONNECTIONS]   (omsd's email.connections, default 1)
#
# Needs: go, openssl, curl, apt-get (smtp-source from the postfix package,
# extracted with dpkg-deb -x; nothing is installed).
set -euo pipefail
N=${1:-10000}
CONNS=${2:-1}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d /tmp/omsd-bench-email.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$W"' EXIT
for t in openssl curl dpkg-deb apt-get; do
  command -v $t >/dev/null || { echo "missing $t"; exit 1; }
done

cd "$ROOT"
go build -o "$W/omsd" ./cmd/omsd
go build -o "$W/omsctl" ./cmd/omsctl
(cd tools && GOWORK=off GOFLAGS=-mod=mod go build -o "$W/mailpit" github.com/axllent/mailpit)
mkdir -p "$W/in" && go run ./bench/email/gen -n "$N" "$W/in"
(cd "$W" && apt-get download postfix >/dev/null 2>&1 && dpkg-deb -x postfix_*.deb pf)
SMTP_SOURCE="env LD_LIBRARY_PATH=$W/pf/usr/lib/postfix $W/pf/usr/sbin/smtp-source"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$W/key.pem" -out "$W/cert.pem" 2>/dev/null

port() { echo $((20000 + RANDOM % 20000)); }
cpu() { # utime+stime of pid $1 in seconds
  awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$1/stat"
}
total() { curl -s "http://127.0.0.1:$1/api/v1/messages?limit=1" | sed -n 's/.*"total":\([0-9]*\).*/\1/p'; }
wait_total() { # api port, n
  until [ "$(total "$1")" -ge "$2" ] 2>/dev/null; do sleep 0.2; done
}
start_mailpit() { # name smtp api [tls]
  local extra=()
  [ "${4:-}" = tls ] && extra=(--smtp-tls-cert "$W/cert.pem" --smtp-tls-key "$W/key.pem" --smtp-require-starttls --smtp-auth-accept-any)
  "$W/mailpit" --smtp "127.0.0.1:$2" --listen "127.0.0.1:$3" --smtp-disable-rdns --disable-version-check \
    --database "$W/$1.db" --max 0 "${extra[@]}" > "$W/$1.log" 2>&1 &
  echo $! > "$W/$1.pid"
  until curl -s -o /dev/null "http://127.0.0.1:$3/readyz"; do sleep 0.1; done
}

# omsd over STARTTLS.
S1=$(port); A1=$(port)
start_mailpit tls "$S1" "$A1" tls
cat > "$W/omsd.yaml" <<YAML
version: 1
state_dir: $W/omsd-data
log: {format: json, level: warn}
printers:
  - {name: out, driver: file, file: {dir: out}}
workflows:
  - name: mail
    printer: out
    pieces: {method: sidecar}
    channels:
      email:
        host: localhost
        port: $S1
        ca_file: $W/cert.pem
        username: omsd
        password: bench
        from: "Statements <noreply@bank.test>"
        subject: "Your statement {{.Meta.account}}"
        text: "Dear customer, your statement {{.Meta.account}} is attached."
        attachment: "statement-{{.Meta.account}}.pdf"
        connections: $CONNS
hot_folders:
  - {dir: hot, workflow: mail, scan_interval: 100ms}
YAML
"$W/omsd" --config "$W/omsd.yaml" > "$W/omsd.log" 2>&1 &
OMSD=$!
until "$W/omsctl" --socket "$W/omsd-data/omsd.sock" status >/dev/null 2>&1; do sleep 0.1; done
mkdir -p "$W/omsd-data/hot"
C0=$(cpu $OMSD); M0=$(cpu "$(cat "$W/tls.pid")"); T0=$(date +%s.%N)
cp "$W/in/run.json" "$W/omsd-data/hot/" && cp "$W/in/run.pdf" "$W/omsd-data/hot/"
wait_total "$A1" "$N"
T1=$(date +%s.%N); C1=$(cpu $OMSD); M1=$(cpu "$(cat "$W/tls.pid")")
SIZE=$(curl -s "http://127.0.0.1:$A1/api/v1/messages?limit=50" | grep -o '"Size":[0-9]*' | cut -d: -f2 | awk '{s+=$1} END {printf "%d", s/NR}')
kill $OMSD; wait $OMSD 2>/dev/null || true

# smtp-source, plain SMTP, one session, messages of the same size.
S2=$(port); A2=$(port)
start_mailpit plain "$S2" "$A2"
M2=$(cpu "$(cat "$W/plain.pid")"); T2=$(date +%s.%N)
$SMTP_SOURCE -s 1 -m "$N" -l "$SIZE" -f noreply@bank.test -t c1@example.com "127.0.0.1:$S2"
wait_total "$A2" "$N"
T3=$(date +%s.%N); M3=$(cpu "$(cat "$W/plain.pid")")

awk -v n="$N" -v conns="$CONNS" -v size="$SIZE" -v t0="$T0" -v t1="$T1" -v c="$(echo "$C1 - $C0" | bc)" -v m="$(echo "$M1 - $M0" | bc)" \
    -v t2="$T2" -v t3="$T3" -v m2="$(echo "$M3 - $M2" | bc)" 'BEGIN {
  printf "| sender | messages | bytes each | wall s | messages/s | sender CPU s | mailpit CPU s |\n|---|---|---|---|---|---|---|\n"
  printf "| omsd, STARTTLS + AUTH, one piece PDF each (analysis included), %d connection(s) | %d | %d | %.1f | %.0f | %.1f | %.1f |\n", conns, n, size, t1-t0, n/(t1-t0), c, m
  printf "| smtp-source -s 1, plain SMTP | %d | %d | %.1f | %.0f | - | %.1f |\n", n, size, t3-t2, n/(t3-t2), m2
}'
