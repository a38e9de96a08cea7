#!/bin/sh
# heady agent installer. Every heady manager serves this script, with its own URL filled in, so one command
# on a new machine (no internet needed, only the manager) adds it to the cluster:
#
#   curl -fsSL http://<manager>:7070/install/agent.sh | sudo sh                 (asks for the join token)
#   curl -fsSL http://<manager>:7070/install/agent.sh | sudo sh -s -- --token-file ./join.token
#
# It installs Java 17 when missing, a `heady` system user and, on Linux, the `heady-task` user tasks run as,
# /opt/heady/heady.jar (from the manager, checksum verified), /opt/heady/launcher/, /etc/heady/agent.env and the
# heady-agent service (systemd, or launchd on macOS), starts it and waits until the node is active. The join token never appears on a command line: it
# is read from a file or the terminal, kept in a root-only file only until the node has enrolled, then
# deleted (an enrolled node holds its own credential). Re-running it upgrades in place, keeps the node's id
# and settings and needs no token; --uninstall removes what it added. --help lists the flags; SETUP.md has
# the story.
set -eu

# The manager rewrites the next line when it serves this script (GET /install/agent.sh).
SERVED_MANAGER_URL=''

usage() {
  cat <<'EOF'
usage: install-agent.sh [--token-file FILE] [options]

  --token-file FILE      file holding the cluster's join token (on the manager: <data-dir>/join.token,
                         sudo cat /var/lib/heady/join.token); - reads standard input; or env HEADY_TOKEN_FILE.
                         Without it, the installer asks for the token on the terminal (not echoed). Not
                         needed on a re-run: an enrolled node holds its own credential
  --token TOKEN          the join token itself (discouraged: a command line is visible to every local user
                         in ps); or env HEADY_TOKEN
  --manager URL          the manager (default: the manager that served this script)
  --manager-fingerprint FP
                         SHA-256 fingerprint (AB:CD:...) of the manager's self-signed HTTPS certificate, as
                         the manager prints it at start: downloads happen only over a connection that
                         presents it, and the agent pins it too (kept on re-runs)
  --name NAME            human name of this node (default: env HEADY_NODE_NAME, else kept, else the node id)
  --node-id ID           stable node id, [A-Za-z0-9._-]{1,64} (default: env HEADY_NODE_ID, else kept, else
                         the host name)
  --label K=V            operator label, repeatable (replaces the installed labels)
  --transport T          eventbus (LAN, tailnet; default) or http (behind a tunnel)
  --tunnel-url URL       this node's public URL when behind a tunnel (with --transport http); or env
                         HEADY_TUNNEL_URL (set and empty clears a kept one)
  --max-concurrent N     task slots (default 0: from the tier formula)
  --agent-user USER      root (default on Linux: the agent runs each task as the unprivileged heady-task user,
                         which cannot read the node's key or other tasks' logs) or heady (the agent and its
                         tasks run as heady; no user switch). Kept on re-runs. macOS: always heady
  --port PORT            the node API port (default 7700)
  --cluster-host ADDR    the address the manager reaches this node on (default: the Tailscale address, else
                         the source address of the route to the manager)
  --jar FILE             install this heady.jar instead of downloading it from the manager
  --wait SEC             how long to wait for the manager and for the node to be active (default 60; 600
                         when the manager makes new nodes wait for an operator's approval)
  --no-start             install and enable the service, but do not start it now
  --uninstall            remove the service, the settings, /opt/heady and the heady and heady-task users
  --keep-user            with --uninstall: keep the heady and heady-task users
  --dry-run              print every action instead of running system commands; writes nothing unless --root
  --root DIR             write the files under DIR instead of / (tests, packaging); system commands
                         (useradd, systemctl, package managers) are only printed. Without --no-start it then
                         waits, as a real install does, for an agent started from that layout to be active
  -h, --help             this help

Environment: HEADY_NODE_ID, HEADY_NODE_NAME and HEADY_TUNNEL_URL stand for --node-id, --name and --tunnel-url
(a flag wins). sudo drops the caller's environment, so put them after sudo:
  curl -fsSL <manager>/install/agent.sh | sudo HEADY_NODE_ID=ryzen9-mini HEADY_NODE_NAME='Ryzen 9' sh
EOF
}

say() { printf '%s\n' "$*"; }
step() { printf '==> %s\n' "$*"; }
warn() { printf 'heady-install: warning: %s\n' "$*" >&2; }
die() {
  printf 'heady-install: %s\n' "$*" >&2
  exit 1
}

# ---- arguments -----------------------------------------------------------------------------------------
TOKEN=${HEADY_TOKEN:-}
TOKEN_ON_ARGV=no
TOKEN_FILE=${HEADY_TOKEN_FILE:-}
MANAGER=''
FINGERPRINT=''
# why: the seed's setup script takes the node's id, name and tunnel URL from the environment
# (HEADY_NODE_ID=ryzen9-mini HEADY_NODE_NAME="Ryzen 9 Powerhouse" ./setup); a flag still wins over them
NAME=${HEADY_NODE_NAME:-}
NODE_ID=${HEADY_NODE_ID:-}
NAME_FROM=${HEADY_NODE_NAME:+HEADY_NODE_NAME}
NODE_ID_FROM=${HEADY_NODE_ID:+HEADY_NODE_ID}
LABELS=''
LABELS_SET=no
TRANSPORT=''
TUNNEL_URL=${HEADY_TUNNEL_URL:-}
TUNNEL_FROM=${HEADY_TUNNEL_URL:+HEADY_TUNNEL_URL}
TUNNEL_SET=no
[ -z "${HEADY_TUNNEL_URL+set}" ] || TUNNEL_SET=yes
MAX_CONCURRENT=''
AGENT_USER=''
PORT=''
CLUSTER_HOST=''
JAR_FILE=''
WAIT_SEC=60
WAIT_SET=no
NO_START=no
UNINSTALL=no
KEEP_USER=no
DRY_RUN=no
ROOT=/

need() {
  [ "$#" -ge 2 ] || die "$1 needs a value (see --help)"
}
while [ "$#" -gt 0 ]; do
  case $1 in
    --*=*)
      arg=$1
      shift
      set -- "${arg%%=*}" "${arg#*=}" "$@"
      continue
      ;;
    --token) need "$@"; TOKEN=$2; TOKEN_ON_ARGV=yes; shift 2 ;;
    --token-file) need "$@"; TOKEN_FILE=$2; shift 2 ;;
    --manager) need "$@"; MANAGER=$2; shift 2 ;;
    --manager-fingerprint) need "$@"; FINGERPRINT=$2; shift 2 ;;
    --name) need "$@"; NAME=$2; NAME_FROM=''; shift 2 ;;
    --node-id) need "$@"; NODE_ID=$2; NODE_ID_FROM=''; shift 2 ;;
    --label) need "$@"; LABELS=${LABELS:+$LABELS,}$2; LABELS_SET=yes; shift 2 ;;
    --transport) need "$@"; TRANSPORT=$2; shift 2 ;;
    --tunnel-url) need "$@"; TUNNEL_URL=$2; TUNNEL_SET=yes; TUNNEL_FROM=''; shift 2 ;;
    --max-concurrent) need "$@"; MAX_CONCURRENT=$2; shift 2 ;;
    --agent-user) need "$@"; AGENT_USER=$2; shift 2 ;;
    --port) need "$@"; PORT=$2; shift 2 ;;
    --cluster-host) need "$@"; CLUSTER_HOST=$2; shift 2 ;;
    --jar) need "$@"; JAR_FILE=$2; shift 2 ;;
    --wait) need "$@"; WAIT_SEC=$2; WAIT_SET=yes; shift 2 ;;
    --root) need "$@"; ROOT=$2; shift 2 ;;
    --no-start) NO_START=yes; shift ;;
    --uninstall) UNINSTALL=yes; shift ;;
    --keep-user) KEEP_USER=yes; shift ;;
    --dry-run) DRY_RUN=yes; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

# ---- validation: every value ends up in a file that systemd and sh read, so only plain characters pass --
matches() { # matches VALUE ERE: the whole value matches the extended regular expression
  printf '%s\n' "$1" | grep -Eq "^($2)\$" && [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ]
}
check() { # check NAME VALUE ERE WHAT
  [ -z "$2" ] || matches "$2" "$3" || die "$1 '$2' is not valid: $4"
}
URL_RE='https?://[A-Za-z0-9._~-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?|https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?'
# normalize_fingerprint FP: AB:CD:... (upper case, colon separated) from what an operator pasted (any case,
# colons or none, an optional sha256: or "SHA256 Fingerprint=" prefix); nothing when it is not 64 hex digits.
normalize_fingerprint() {
  hex=$(printf '%s\n' "$1" | sed -e 's/^.*=//' -e 's/^[Ss][Hh][Aa]256://' | tr -d ': ' | tr 'abcdef' 'ABCDEF')
  matches "$hex" '[0-9A-F]{64}' || return 0
  printf '%s\n' "$hex" | sed -e 's/\(..\)/\1:/g' -e 's/:$//'
}
# Every setting, from flags or from the previous install, is checked before anything is written.
validate_settings() {
  check --manager "$MANAGER" "$URL_RE" 'expected http://host:port'
  check "--node-id${NODE_ID_FROM:+ (from env $NODE_ID_FROM)}" "$NODE_ID" '[A-Za-z0-9._-]{1,64}' 'expected [A-Za-z0-9._-]{1,64}'
  check "--name${NAME_FROM:+ (from env $NAME_FROM)}" "$NAME" '[A-Za-z0-9 ._()@+:,-]{1,128}' 'letters, digits, spaces and ._()@+:,- only'
  check --label "$LABELS" '[A-Za-z0-9._/-]+=[A-Za-z0-9._:/@+-]*(,[A-Za-z0-9._/-]+=[A-Za-z0-9._:/@+-]*)*' \
    'expected key=value (letters, digits, ._:/@+-)'
  check --transport "$TRANSPORT" 'eventbus|http' 'expected eventbus or http'
  check "--tunnel-url${TUNNEL_FROM:+ (from env $TUNNEL_FROM)}" "$TUNNEL_URL" "$URL_RE" 'expected https://host[:port][/path]'
  check --max-concurrent "$MAX_CONCURRENT" '[0-9]{1,4}' 'expected a number'
  check --agent-user "$AGENT_USER" 'root|heady' 'expected root (tasks run as heady-task) or heady (no user switch)'
  check --port "$PORT" '[0-9]{1,5}' 'expected a port number'
  check --cluster-host "$CLUSTER_HOST" '[A-Za-z0-9.:-]{1,253}' 'expected an address or host name'
  if [ -n "$FINGERPRINT" ]; then
    pinned=$(normalize_fingerprint "$FINGERPRINT")
    [ -n "$pinned" ] || die "--manager-fingerprint '$FINGERPRINT' is not valid: expected the SHA-256 fingerprint the manager prints at start (64 hex digits, AB:CD:...)"
    FINGERPRINT=$pinned
    case $MANAGER in
      https://*) ;;
      *) die "--manager-fingerprint pins an HTTPS certificate, but the manager URL $MANAGER is not https://" ;;
    esac
  fi
}
check --wait "$WAIT_SEC" '[0-9]{1,4}' 'expected seconds'
[ -z "$JAR_FILE" ] || [ -f "$JAR_FILE" ] || die "--jar $JAR_FILE: no such file"
case $ROOT in
  /*) ;;
  *) die "--root must be an absolute path" ;;
esac
ROOT=${ROOT%/}

# Three modes: a real install (system commands run), a staged root (files under ROOT, commands printed) and a
# plain dry run (nothing written, everything printed).
SYSTEM=yes
WRITE=yes
if [ "$DRY_RUN" = yes ] || [ -n "$ROOT" ]; then
  SYSTEM=no
fi
if [ "$DRY_RUN" = yes ] && [ -z "$ROOT" ]; then
  WRITE=no
fi

p() { printf '%s%s' "$ROOT" "$1"; } # a path on the target system

# show ARGS...: the words as a shell would need them typed.
show() {
  shown=''
  for word in "$@"; do
    case $word in
      '' | *[!A-Za-z0-9._/:=@%+,-]*) word="'$word'" ;;
    esac
    shown="$shown $word"
  done
  printf '%s' "${shown# }"
}

# run CMD...: a system command: run it, or print it when this is not a real install.
run() {
  if [ "$SYSTEM" = yes ]; then
    say "  + $(show "$@")"
    "$@" </dev/null
  else
    say "  [dry-run] $(show "$@")"
  fi
}

# ---- platform ------------------------------------------------------------------------------------------
detect_platform() {
  OS_KIND=unknown
  OS_NAME=$(uname -s)
  if [ "$OS_NAME" = Darwin ]; then
    OS_KIND=macos
    OS_NAME="macOS $(sw_vers -productVersion 2>/dev/null || echo '?')"
  else
    release=/etc/os-release
    if [ -n "$ROOT" ] && [ -f "$(p /etc/os-release)" ]; then
      release=$(p /etc/os-release)
    fi
    if [ -f "$release" ]; then
      os_id=$(sed -n 's/^ID=//p' "$release" | tr -d '"' | head -n 1)
      os_like=$(sed -n 's/^ID_LIKE=//p' "$release" | tr -d '"' | head -n 1)
      OS_NAME=$(sed -n 's/^PRETTY_NAME=//p' "$release" | tr -d '"' | head -n 1)
      for id in $os_id $os_like; do
        case $id in
          debian | ubuntu | raspbian) OS_KIND=debian; break ;;
          fedora | rhel | centos) OS_KIND=fedora; break ;;
          arch | archarm | manjaro) OS_KIND=arch; break ;;
        esac
      done
    fi
  fi
  machine=$(uname -m)
  case $machine in
    x86_64 | amd64) ARCH=x86_64 ;;
    aarch64 | arm64) ARCH=aarch64 ;;
    armv7l | armv7* | armv8l) ARCH=armv7l ;;
    *) ARCH=$machine; warn "architecture $machine is untested; heady needs a Java 17 for it" ;;
  esac
}

# ---- small helpers -------------------------------------------------------------------------------------
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  fi
}

# json_str KEY FILE: a string field of a flat JSON document (compact or pretty printed).
json_str() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p" "$2" | head -n 1; }
json_raw() { sed -n "s/.*\"$1\" *: *\([^,}\" ]*\).*/\1/p" "$2" | head -n 1; }

# mcurl ARGS...: curl to the manager; with --manager-fingerprint only over a connection that presents the
# pinned certificate's key (see pin_manager).
PIN=''
mcurl() {
  if [ -n "$PIN" ]; then
    curl -k --pinnedpubkey "sha256//$PIN" "$@"
  else
    curl "$@"
  fi
}

# curl_token URL OUT: GET with the join token (handed to curl on stdin, never in argv); prints the HTTP
# status (000: no answer).
curl_token() {
  printf 'header = "Authorization: Bearer %s"\n' "$TOKEN" |
    mcurl -sS --connect-timeout 5 --max-time 10 -K - -o "$2" -w '%{http_code}' "$1" 2>/dev/null || true
}

# fetch PATH DEST: download $MANAGER$PATH and check it against the X-Checksum-Sha256 header the manager sends.
fetch() {
  mcurl -fsS --connect-timeout 10 --retry 3 -D "$STAGE/headers" -o "$2" "$MANAGER$1" ||
    die "could not download $MANAGER$1"
  want=$(tr -d '\r' <"$STAGE/headers" | tr '[:upper:]' '[:lower:]' |
    sed -n 's/^x-checksum-sha256: *\([0-9a-f]\{64\}\).*/\1/p' | tail -n 1)
  [ -n "$want" ] || die "$MANAGER$1 came without an X-Checksum-Sha256 header: is $MANAGER a heady manager?"
  got=$(sha256 "$2")
  [ "$got" = "$want" ] || die "$MANAGER$1 is corrupt: sha256 $got, the manager says $want"
}

# put SRC DEST MODE OWNER: install a file on the target, atomically (a running JVM keeps its old jar).
put() {
  dest=$(p "$2")
  say "  + install -m $3 $2 ($4)"
  [ "$WRITE" = yes ] || return 0
  mkdir -p "$(dirname "$dest")"
  cp "$1" "$dest.new.$$"
  chmod "$3" "$dest.new.$$"
  mv -f "$dest.new.$$" "$dest"
  [ "$SYSTEM" = no ] || chown "$4" "$dest"
}

# mkdirp DIR MODE OWNER
mkdirp() {
  say "  + mkdir -m $2 $1 ($3)"
  [ "$WRITE" = yes ] || return 0
  mkdir -p "$(p "$1")"
  chmod "$2" "$(p "$1")"
  [ "$SYSTEM" = no ] || chown "$3" "$(p "$1")"
}

# remove PATH: rm -rf on the target, printed.
remove() {
  if [ -e "$(p "$1")" ] || [ -L "$(p "$1")" ]; then
    say "  + rm -rf $1"
    [ "$WRITE" = no ] || rm -rf -- "$(p "$1")"
  fi
}

# env_get KEY FILE: a value from an env file, without its quotes.
env_get() {
  [ -f "$2" ] || return 0
  sed -n "s/^$1=//p" "$2" | tail -n 1 | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'\$/\1/"
}

is_local_address() {
  if command -v ip >/dev/null 2>&1; then
    ip -o addr show 2>/dev/null | grep -Fq " $1/"
  else
    ifconfig 2>/dev/null | grep -Fq " $1 "
  fi
}

# The address the manager can reach this node on: the Tailscale one when tailscale0 exists, else the source
# address of the route to the manager; "auto" (the agent works it out) when neither can be found.
pick_cluster_host() {
  if command -v ip >/dev/null 2>&1 && ip link show tailscale0 >/dev/null 2>&1; then
    a=$(ip -4 -o addr show dev tailscale0 2>/dev/null | awk '{ split($4, x, "/"); print x[1]; exit }')
    if [ -n "$a" ]; then
      echo "$a"
      return
    fi
  fi
  host=$(printf '%s\n' "$MANAGER" | sed -e 's#^[a-z]*://##' -e 's#/.*##' -e 's#^\[\(.*\)\].*#\1#' -e 's#:[0-9]*$##')
  case $host in
    localhost) host=127.0.0.1 ;;
  esac
  if ! matches "$host" '[0-9.]+|[0-9A-Fa-f:]+'; then
    host=$(getent ahostsv4 "$host" 2>/dev/null | awk '{ print $1; exit }' || true)
  fi
  a=''
  if [ -n "$host" ] && command -v ip >/dev/null 2>&1; then
    a=$(ip route get "$host" 2>/dev/null | sed -n 's/.* src \([^ ]*\).*/\1/p' | head -n 1)
  elif [ -n "$host" ] && [ "$OS_KIND" = macos ]; then
    ifname=$(route -n get "$host" 2>/dev/null | awk '/interface:/ { print $2 }')
    [ -z "$ifname" ] || a=$(ipconfig getifaddr "$ifname" 2>/dev/null || true)
  fi
  echo "${a:-auto}"
}

default_node_id() {
  h=$(uname -n | cut -d. -f1 | tr -c 'A-Za-z0-9._\n-' '-' | cut -c1-64)
  case $h in
    '' | localhost | raspberrypi | ubuntu | debian | fedora | archlinux | alarm | dietpi)
      # why: many Raspberry Pis are all called raspberrypi; two nodes must not share an id.
      suffix=$(cut -c1-6 /etc/machine-id 2>/dev/null || true)
      h=${h:-node}${suffix:+-$suffix}
      ;;
  esac
  echo "$h"
}

# ---- the steps -----------------------------------------------------------------------------------------
ENV_FILE=/etc/heady/agent.env
UNIT=/etc/systemd/system/heady-agent.service
PLIST=/Library/LaunchDaemons/io.heady.agent.plist
CLI_LINK=/usr/local/bin/heady
LAUNCHER_FILES='heady agent.options agent-small.options manager.options cli.options'
# The agent's data (the node's key and credential, task logs): its own folder, 0700, owned by the agent's user.
AGENT_DATA=/var/lib/heady-agent
# Where installs before the task user kept it; moved on upgrade.
OLD_AGENT_DATA=/var/lib/heady/agent
# The task user: tasks of a root agent run as it; its home is empty and its own.
TASK_USER=heady-task
TASK_HOME=/var/lib/heady-task
# The join token lives here only until the node has enrolled; the drop-in hands it to the service meanwhile.
TOKEN_PATH=/etc/heady/join.token
DROPIN_DIR=/etc/systemd/system/heady-agent.service.d
DROPIN=$DROPIN_DIR/enroll.conf
# With --agent-user heady: the agent (and its tasks) run as heady instead of root.
USER_DROPIN=$DROPIN_DIR/user.conf

manager_installed() {
  [ -e "$(p /etc/heady/manager.env)" ] || [ -e "$(p /etc/systemd/system/heady-manager.service)" ] ||
    [ -e "$(p /Library/LaunchDaemons/io.heady.manager.plist)" ]
}

uninstall() {
  step "Removing the heady agent"
  if [ "$OS_KIND" = macos ]; then
    run launchctl bootout system/io.heady.agent || true
    remove "$PLIST"
  elif [ "$SYSTEM" = no ] || command -v systemctl >/dev/null 2>&1; then
    run systemctl disable --now heady-agent.service || true
    remove "$UNIT"
    remove "$DROPIN_DIR"
    run systemctl daemon-reload || true
  fi
  remove "$ENV_FILE"
  remove "$TOKEN_PATH"
  remove "$AGENT_DATA"
  remove "$OLD_AGENT_DATA"
  remove "$TASK_HOME"
  # why: only the agent's tasks run as heady-task; a manager on this machine does not need it
  if [ "$KEEP_USER" = yes ]; then
    say "  kept the $TASK_USER user (--keep-user)"
  elif [ "$OS_KIND" != macos ] && { [ "$SYSTEM" = no ] || id "$TASK_USER" >/dev/null 2>&1; }; then
    run userdel "$TASK_USER"
  fi
  if manager_installed; then
    say "  kept /opt/heady, /var/lib/heady and the heady user: the heady manager is installed here too"
  else
    if [ -L "$(p "$CLI_LINK")" ]; then
      remove "$CLI_LINK"
    fi
    remove /opt/heady
    remove /var/lib/heady
    remove /var/log/heady
    if [ -d "$(p /etc/heady)" ] && [ -z "$(ls -A "$(p /etc/heady)")" ]; then
      remove /etc/heady
    fi
    if [ "$KEEP_USER" = yes ]; then
      say "  kept the heady user (--keep-user)"
    elif [ "$OS_KIND" = macos ]; then
      run dscl . -delete /Users/heady || true
      run dscl . -delete /Groups/heady || true
    elif [ "$SYSTEM" = no ] || id heady >/dev/null 2>&1; then
      run userdel heady
    fi
  fi
  say "heady agent removed. On the manager, revoke its credential too: heady nodes revoke ${NODE_ID:-<node id>}"
}

# The manager must answer before anything is installed. Its certificate is checked (pin_manager) before the
# join token is sent anywhere; then the token itself (GET /api/cluster/enroll): a wrong or rotated one stops
# the installer here, before anything is written.
preflight() {
  step "Checking the manager at $MANAGER"
  command -v curl >/dev/null 2>&1 || die "curl is needed (apt-get install curl / dnf install curl)"
  deadline=$(($(date +%s) + WAIT_SEC))
  while :; do
    rc=0
    reach "$MANAGER/health/live" >"$STAGE/reach.code" 2>"$STAGE/reach.err" || rc=$?
    case $rc in
      0) break ;; # any HTTP answer will do: /health may be closed (401)
      51 | 60)
        die "this machine does not trust the manager's HTTPS certificate ($(head -n 1 "$STAGE/reach.err")): if the manager uses a self-signed one, pass --manager-fingerprint with the SHA-256 fingerprint it prints at start"
        ;;
    esac
    if [ "$(date +%s)" -ge "$deadline" ]; then
      die "cannot reach the manager at $MANAGER within $WAIT_SEC s ($(head -n 1 "$STAGE/reach.err")); check the URL, the manager (systemctl status heady-manager) and the firewall (port ${MANAGER##*:})"
    fi
    sleep 1
  done
  pin_manager
  if [ -z "$TOKEN" ]; then
    say "  node $NODE_ID is enrolled (it holds its own credential): no join token needed"
    return
  fi
  while :; do
    code=$(curl_token "$MANAGER/api/cluster/enroll" "$STAGE/enroll.json")
    case $code in
      200) break ;;
      401) die "the manager refused the join token (401): it is not this cluster's current join token (a rotated one enrolls nothing). Use the current one: on the manager, sudo cat /var/lib/heady/join.token (or heady token show --join)" ;;
      403) die "that is a person's token (403), not the join token: agents enroll with <data-dir>/join.token on the manager (sudo cat /var/lib/heady/join.token)" ;;
      404) die "$MANAGER has no GET /api/cluster/enroll: it runs an older heady; upgrade the manager first" ;;
    esac
    if [ "$(date +%s)" -ge "$deadline" ]; then
      die "the manager at $MANAGER did not accept the join token within $WAIT_SEC s (GET /api/cluster/enroll answered ${code:-nothing})"
    fi
    sleep 1
  done
  CLUSTER=$(json_str cluster_name "$STAGE/enroll.json")
  APPROVE=$(json_raw approve_nodes "$STAGE/enroll.json")
  say "  cluster '$CLUSTER', heady $(json_str version "$STAGE/enroll.json"); the join token is valid"
  if [ "$APPROVE" = true ]; then
    say "  this cluster makes new nodes wait for an operator's approval (--approve-nodes)"
    [ "$WAIT_SET" = yes ] || WAIT_SEC=600
  fi
}

# reach URL: whether anything answers there, without a token; prints the HTTP status. Exit status: curl's.
reach() {
  if [ -n "$FINGERPRINT" ]; then
    # why: no secret is sent and nothing is kept; the certificate is checked right after (pin_manager)
    curl -sS -k --connect-timeout 5 --max-time 10 -o /dev/null -w '%{http_code}' "$1"
  else
    curl -sS --connect-timeout 5 --max-time 10 -o /dev/null -w '%{http_code}' "$1"
  fi
}

# why: a self-signed manager certificate seldom names the address an installer uses (an IP address, a
# tunnel's name), so giving it to curl as the only trusted CA (--cacert) fails on the host name check.
# Instead: read the certificate the manager presents (openssl s_client), compare its SHA-256 fingerprint with
# the pin, then pin that certificate's public key on every transfer (curl --pinnedpubkey, which curl checks
# on each connection before it sends or receives anything, so a certificate swapped after this check is
# refused too); -k only turns off the CA and host name checks that the pin replaces. Checking curl's own
# %{certs} of each transfer would need curl 7.88 or newer (Debian 12, not 11; not every macOS).
pin_manager() {
  [ -n "$FINGERPRINT" ] || return 0
  command -v openssl >/dev/null 2>&1 ||
    die "--manager-fingerprint needs the openssl command (apt-get install openssl / dnf install openssl)"
  hostport=${MANAGER#https://}
  hostport=${hostport%%/*}
  case $hostport in
    *\]) hostport=$hostport:443 ;;
    \[*) ;;
    *:*) ;;
    *) hostport=$hostport:443 ;;
  esac
  host=${hostport%:*}
  if matches "$host" '[0-9.]+|\[[0-9A-Fa-f:.]+\]'; then
    openssl s_client -connect "$hostport" </dev/null 2>/dev/null | openssl x509 -outform PEM \
      >"$STAGE/manager.pem" 2>/dev/null || true
  else
    openssl s_client -connect "$hostport" -servername "$host" </dev/null 2>/dev/null | openssl x509 -outform PEM \
      >"$STAGE/manager.pem" 2>/dev/null || true
  fi
  [ -s "$STAGE/manager.pem" ] || die "could not read the TLS certificate of the manager at $hostport (openssl s_client)"
  seen=$(normalize_fingerprint "$(openssl x509 -in "$STAGE/manager.pem" -noout -fingerprint -sha256)")
  if [ "$seen" != "$FINGERPRINT" ]; then
    die "refusing to download from $MANAGER: its certificate's SHA-256 fingerprint is ${seen:-unreadable}, not the pinned $FINGERPRINT (--manager-fingerprint). Compare with the fingerprint the manager printed at start; a different one means another server answers at that address"
  fi
  PIN=$(openssl x509 -in "$STAGE/manager.pem" -noout -pubkey | openssl pkey -pubin -outform DER |
    openssl dgst -sha256 -binary | openssl base64 -A)
  matches "$PIN" '[A-Za-z0-9+/]{43}=' || die "could not take the public key of the manager's certificate (openssl)"
  say "  the manager's certificate has the pinned SHA-256 fingerprint; every download is pinned to its key"
}

download() {
  step "Downloading heady from the manager"
  mkdir -p "$STAGE/launcher"
  if [ -n "$JAR_FILE" ]; then
    cp "$JAR_FILE" "$STAGE/heady.jar"
    say "  heady.jar from $JAR_FILE (sha256 $(sha256 "$STAGE/heady.jar"))"
  else
    fetch /install/heady.jar "$STAGE/heady.jar"
    mcurl -fsS --connect-timeout 10 -o "$STAGE/heady.jar.sha256" "$MANAGER/install/heady.jar.sha256" ||
      die "could not download $MANAGER/install/heady.jar.sha256"
    want=$(cut -d' ' -f1 <"$STAGE/heady.jar.sha256")
    got=$(sha256 "$STAGE/heady.jar")
    [ "$got" = "$want" ] || die "heady.jar is corrupt: sha256 $got, heady.jar.sha256 says $want"
    say "  heady.jar sha256 $got (verified)"
  fi
  for f in $LAUNCHER_FILES; do
    fetch "/install/launcher/$f" "$STAGE/launcher/$f"
  done
  if [ "$OS_KIND" != macos ]; then
    fetch /install/systemd/heady-agent.service "$STAGE/heady-agent.service"
  fi
}

ensure_java() {
  step "Checking for Java 17 or newer"
  if found=$(sh "$STAGE/launcher/heady" --check-java 2>/dev/null); then
    say "  $found"
    return
  fi
  say "  none found; installing a headless Java runtime"
  case $OS_KIND in
    debian)
      pkg=openjdk-17-jre-headless
      if [ "$SYSTEM" = yes ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-cache show "$pkg" >/dev/null 2>&1 || run apt-get update -qq || true
        # why: Debian 13 and later ship only newer OpenJDKs; heady runs on any Java 17 or newer.
        for candidate in openjdk-17-jre-headless openjdk-21-jre-headless default-jre-headless; do
          if apt-cache show "$candidate" >/dev/null 2>&1; then
            pkg=$candidate
            break
          fi
        done
      fi
      run apt-get install -y "$pkg" || die "could not install $pkg (no internet or mirror? install Java 17+ yourself and re-run)"
      ;;
    fedora)
      run dnf install -y java-17-openjdk-headless || run dnf install -y java-21-openjdk-headless ||
        die "could not install a Java runtime with dnf; install Java 17+ yourself and re-run"
      ;;
    arch)
      run pacman -S --noconfirm --needed jre17-openjdk-headless ||
        die "could not install jre17-openjdk-headless; install Java 17+ yourself and re-run"
      ;;
    macos)
      die "no Java 17+ on this Mac: install one (brew install openjdk@17, or the Temurin 17 pkg from adoptium.net) and re-run"
      ;;
    *)
      die "no Java 17+ here and no known package manager ($OS_NAME): install Java 17+ yourself and re-run"
      ;;
  esac
  if [ "$SYSTEM" = yes ]; then
    found=$(sh "$STAGE/launcher/heady" --check-java) || die "Java was installed but the launcher cannot find it"
    say "  $found"
  fi
}

nologin_shell() {
  for s in /usr/sbin/nologin /sbin/nologin /usr/bin/nologin; do
    if [ -x "$s" ]; then
      echo "$s"
      return
    fi
  done
  echo /bin/false
}

ensure_user() {
  step "Creating the heady system user"
  if [ "$SYSTEM" = yes ] && id heady >/dev/null 2>&1; then
    say "  heady exists"
    return
  fi
  if [ "$OS_KIND" = macos ]; then
    # why: macOS has no useradd; daemons get a hidden account with a uid below 500.
    uid=$(dscl . -list /Users UniqueID 2>/dev/null | awk '{ u[$2] = 1 } END { for (i = 401; i < 500; i++) if (!(i in u)) { print i; exit } }')
    uid=${uid:-401}
    run dscl . -create /Groups/heady PrimaryGroupID "$uid"
    run dscl . -create /Users/heady UniqueID "$uid"
    run dscl . -create /Users/heady PrimaryGroupID "$uid"
    run dscl . -create /Users/heady UserShell /usr/bin/false
    run dscl . -create /Users/heady NFSHomeDirectory /var/lib/heady
    run dscl . -create /Users/heady IsHidden 1
  elif [ "$SYSTEM" = yes ] && getent group heady >/dev/null 2>&1; then
    run useradd --system --gid heady --home-dir /var/lib/heady --no-create-home --shell "$(nologin_shell)" \
      --comment 'heady compute cluster' heady
  else
    run useradd --system --user-group --home-dir /var/lib/heady --no-create-home --shell "$(nologin_shell)" \
      --comment 'heady compute cluster' heady
  fi
}

# The user tasks run as when the agent runs as root: a system user with no login shell and an empty home of
# its own (builds keep their caches there). It cannot read the agent's data (0700, the agent's user).
ensure_task_user() {
  if [ "$AGENT_USER" = heady ]; then
    step "Tasks run as heady (--agent-user heady): no task user"
    return
  fi
  step "Creating the $TASK_USER user that tasks run as"
  if [ "$SYSTEM" = yes ] && id "$TASK_USER" >/dev/null 2>&1; then
    say "  $TASK_USER exists"
  elif [ "$SYSTEM" = yes ] && getent group "$TASK_USER" >/dev/null 2>&1; then
    run useradd --system --gid "$TASK_USER" --home-dir "$TASK_HOME" --no-create-home --shell "$(nologin_shell)" \
      --comment 'heady tasks' "$TASK_USER"
  else
    run useradd --system --user-group --home-dir "$TASK_HOME" --no-create-home --shell "$(nologin_shell)" \
      --comment 'heady tasks' "$TASK_USER"
  fi
  mkdirp "$TASK_HOME" 0700 "$TASK_USER:$TASK_USER"
}

# The agent's data dir, 0700 and its user's alone (the task user cannot read the node's key or the logs of
# other tasks). An install from before the task user kept it in /var/lib/heady/agent: it moves, with the
# node's credential, so the node keeps its identity.
install_data_dir() {
  step "Preparing the agent's data in $AGENT_DATA"
  owner=root:root
  [ "$AGENT_USER" != heady ] || owner=heady:heady
  if [ -d "$(p "$OLD_AGENT_DATA")" ] && [ ! -e "$(p "$AGENT_DATA")" ]; then
    # why: the running agent would write new task logs into the old place; it is restarted below anyway
    if [ "$OS_KIND" = macos ]; then
      run launchctl bootout system/io.heady.agent || true
    elif [ "$SYSTEM" = no ] || command -v systemctl >/dev/null 2>&1; then
      run systemctl stop heady-agent.service || true
    fi
    say "  + mv $OLD_AGENT_DATA $AGENT_DATA (the node keeps its key and credential)"
    if [ "$WRITE" = yes ]; then
      mkdir -p "$(dirname "$(p "$AGENT_DATA")")"
      mv "$(p "$OLD_AGENT_DATA")" "$(p "$AGENT_DATA")"
    fi
    run chown -R "$owner" "$AGENT_DATA"
  fi
  mkdirp "$AGENT_DATA" 0700 "$owner"
}

install_files() {
  step "Installing heady into /opt/heady"
  mkdirp /opt/heady 0755 root:root
  mkdirp /opt/heady/launcher 0755 root:root
  put "$STAGE/heady.jar" /opt/heady/heady.jar 0644 root:root
  for f in $LAUNCHER_FILES; do
    mode=0644
    [ "$f" != heady ] || mode=0755
    put "$STAGE/launcher/$f" "/opt/heady/launcher/$f" "$mode" root:root
  done
  mkdirp /etc/heady 0750 root:heady
  mkdirp /var/lib/heady 0750 heady:heady
  if [ ! -e "$(p "$CLI_LINK")" ] || [ -L "$(p "$CLI_LINK")" ]; then
    say "  + ln -sf /opt/heady/launcher/heady $CLI_LINK"
    if [ "$WRITE" = yes ]; then
      mkdir -p "$(p /usr/local/bin)"
      ln -sf /opt/heady/launcher/heady "$(p "$CLI_LINK")"
    fi
  else
    warn "$CLI_LINK exists and is not a link; not replacing it"
  fi
}

kv() { printf '%s="%s"\n' "$1" "$2"; }

write_env() {
  step "Writing $ENV_FILE"
  kept=''
  if [ -f "$(p "$ENV_FILE")" ]; then
    kept=$(grep -E '^[A-Z][A-Z0-9_]*=' "$(p "$ENV_FILE")" | grep -Ev \
      '^(HEADY_NODE_ID|HEADY_NODE_NAME|HEADY_MANAGER_URL|HEADY_MANAGER_FINGERPRINT|HEADY_TOKEN|HEADY_TOKEN_FILE|HEADY_TRANSPORT|HEADY_TUNNEL_URL|HEADY_LABELS|HEADY_CLUSTER_HOST|HEADY_MAX_CONCURRENT|HEADY_PORT|HEADY_DATA_DIR|HEADY_CONF_DIR)=' ||
      true)
  fi
  {
    say "# heady agent settings: read by the heady-agent service; install-agent.sh re-runs keep them."
    say "# Every setting is also a flag: /opt/heady/launcher/heady agent --help lists them all."
    kv HEADY_NODE_ID "$NODE_ID"
    kv HEADY_NODE_NAME "$NAME"
    kv HEADY_MANAGER_URL "$MANAGER"
    kv HEADY_MANAGER_FINGERPRINT "$FINGERPRINT"
    kv HEADY_TRANSPORT "$TRANSPORT"
    kv HEADY_TUNNEL_URL "$TUNNEL_URL"
    kv HEADY_LABELS "$LABELS"
    kv HEADY_CLUSTER_HOST "$CLUSTER_HOST"
    kv HEADY_MAX_CONCURRENT "$MAX_CONCURRENT"
    kv HEADY_PORT "$PORT"
    kv HEADY_DATA_DIR "$AGENT_DATA"
    kv HEADY_CONF_DIR /etc/heady
    if [ -n "$kept" ]; then
      say "# Kept from the previous install:"
      say "$kept"
    fi
  } >"$STAGE/agent.env"
  # why: no secret is in it any more, but it says where the manager is and what the node may be asked to do;
  # systemd reads it as root, launchd runs the agent as heady.
  owner=root:heady
  [ "$OS_KIND" != macos ] || owner=heady:heady
  put "$STAGE/agent.env" "$ENV_FILE" 0600 "$owner"
}

# write_plist yes|no: the launchd job, with or without the agent's --token-file (only until it has enrolled).
write_plist() {
  command='exec /opt/heady/launcher/heady agent'
  [ "$1" = no ] || command="$command --token-file=$TOKEN_PATH"
  cat >"$STAGE/io.heady.agent.plist" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>io.heady.agent</string>
  <key>ProgramArguments</key>
  <array>
    <string>/bin/sh</string><string>-c</string>
    <string>set -a; . /etc/heady/agent.env; set +a; $command</string>
  </array>
  <key>UserName</key><string>heady</string>
  <key>GroupName</key><string>heady</string>
  <key>WorkingDirectory</key><string>/var/lib/heady</string>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><true/>
  <key>ThrottleInterval</key><integer>5</integer>
  <key>ExitTimeOut</key><integer>330</integer>
  <key>StandardOutPath</key><string>/var/log/heady/agent.log</string>
  <key>StandardErrorPath</key><string>/var/log/heady/agent.log</string>
</dict>
</plist>
EOF
}

# Whether systemd can hand the service a root-only file (LoadCredential=, systemd 247 and newer).
has_credentials() {
  [ "$SYSTEM" = yes ] || return 0
  v=$(systemctl --version 2>/dev/null | sed -n '1s/^systemd \([0-9][0-9]*\).*/\1/p')
  [ -n "$v" ] && [ "$v" -ge 247 ]
}

# The join token, for the agent's first start only: in a root-only file that the service hands to the
# agent, never in the env file or on a command line (the agent's argv carries only a path). Deleted, with the
# service's reference to it, once the node is active (forget_token).
store_token() {
  step "Keeping the join token until the node has enrolled"
  (umask 077 && printf '%s\n' "$TOKEN" >"$STAGE/join.token")
  if [ "$OS_KIND" = macos ]; then
    # why: launchd starts the agent as heady and cannot hand it a file only root may read
    put "$STAGE/join.token" "$TOKEN_PATH" 0600 heady:heady
    return
  fi
  if has_credentials; then
    put "$STAGE/join.token" "$TOKEN_PATH" 0600 root:root
    cat >"$STAGE/enroll.conf" <<EOF
# Written by install-agent.sh while this node enrolls. It deletes this file and $TOKEN_PATH once the
# node is active: an enrolled node holds its own credential and needs no join token.
[Service]
# why: systemd reads the root-only token file and gives the agent a private copy; the agent's command line
# carries only that copy's path.
LoadCredential=join-token:$TOKEN_PATH
ExecStart=
ExecStart=/opt/heady/launcher/heady agent --token-file=\${CREDENTIALS_DIRECTORY}/join-token
EOF
  else
    # why: systemd before 247 has no LoadCredential=, so the agent reads the file itself (as root, or as heady)
    if [ "$AGENT_USER" = heady ]; then
      put "$STAGE/join.token" "$TOKEN_PATH" 0640 root:heady
    else
      put "$STAGE/join.token" "$TOKEN_PATH" 0600 root:root
    fi
    cat >"$STAGE/enroll.conf" <<EOF
# Written by install-agent.sh while this node enrolls. It deletes this file and $TOKEN_PATH once the
# node is active: an enrolled node holds its own credential and needs no join token.
[Service]
ExecStart=
ExecStart=/opt/heady/launcher/heady agent --token-file=$TOKEN_PATH
EOF
  fi
  put "$STAGE/enroll.conf" "$DROPIN" 0644 root:root
}

# Deletes the join token and the service's reference to it (the drop-in, or the plist's --token-file).
forget_token() {
  [ -e "$(p "$TOKEN_PATH")" ] || [ -e "$(p "$DROPIN")" ] || return 0
  remove "$TOKEN_PATH"
  if [ "$OS_KIND" = macos ]; then
    write_plist no
    put "$STAGE/io.heady.agent.plist" "$PLIST" 0644 root:wheel
  elif [ -e "$(p "$DROPIN")" ]; then
    remove "$DROPIN"
    if [ "$WRITE" = yes ] && [ -d "$(p "$DROPIN_DIR")" ] && [ -z "$(ls -A "$(p "$DROPIN_DIR")")" ]; then
      rmdir "$(p "$DROPIN_DIR")"
    fi
    # why: the running agent keeps going; its next start simply has no --token-file
    if [ "$SYSTEM" = no ] || command -v systemctl >/dev/null 2>&1; then
      run systemctl daemon-reload
    fi
  fi
}

install_service() {
  STARTED=no
  if [ "$OS_KIND" = macos ]; then
    step "Installing the launchd daemon io.heady.agent"
    with_token=no
    [ -z "$TOKEN" ] || with_token=yes
    write_plist "$with_token"
    mkdirp /var/log/heady 0750 heady:heady
    put "$STAGE/io.heady.agent.plist" "$PLIST" 0644 root:wheel
    run launchctl bootout system/io.heady.agent 2>/dev/null || true
    if [ "$NO_START" = yes ]; then
      say "  not started (--no-start): sudo launchctl bootstrap system $PLIST"
    else
      run launchctl bootstrap system "$PLIST"
      started
    fi
    return
  fi
  step "Installing the systemd unit heady-agent.service"
  put "$STAGE/heady-agent.service" "$UNIT" 0644 root:root
  if [ "$AGENT_USER" = heady ]; then
    cat >"$STAGE/user.conf" <<EOF
# Written by install-agent.sh --agent-user heady: the agent runs as heady, not root, so it cannot switch users
# and its tasks run as heady too (they can read the node's key and other tasks' logs: SECURITY.md). Re-run the
# installer with --agent-user root to remove this file.
[Service]
User=heady
Group=heady
# why: heady's home, where tasks keep caches; the unit's /var/lib/heady-task exists only for root agents
WorkingDirectory=/var/lib/heady
EOF
    put "$STAGE/user.conf" "$USER_DROPIN" 0644 root:root
  else
    remove "$USER_DROPIN"
  fi
  if [ "$SYSTEM" = yes ] && ! command -v systemctl >/dev/null 2>&1; then
    warn "no systemctl here: start the agent yourself: /opt/heady/launcher/heady agent (with $ENV_FILE in its environment)"
    return
  fi
  run systemctl daemon-reload
  run systemctl enable heady-agent.service
  if [ "$NO_START" = yes ]; then
    say "  not started (--no-start): sudo systemctl start heady-agent"
  else
    # why: restart, not start: a re-run is an upgrade and must load the new jar and settings.
    run systemctl restart heady-agent.service
    started
  fi
}

# Marks when the service (re)started: only a status file written after it counts (an old one may say
# active from before the upgrade).
started() {
  STARTED=yes
  touch "$STAGE/started"
}

# Waits for the node's own word, <data-dir>/agent-status.json, which the agent writes when it registers and
# when its status changes (pending_approval while it waits for an operator). It runs as root on this machine,
# so it needs neither the manager nor the node API.
await_node() {
  if [ "$STARTED" = no ] || [ "$WRITE" = no ]; then
    step "Not started"
    if [ -n "$TOKEN" ]; then
      say "  node $NODE_ID will enroll in cluster '$CLUSTER' when the service starts"
      say "  the join token stays in $TOKEN_PATH until the node has enrolled; once it is active, re-run this installer (no token needed) to delete it"
    else
      say "  node $NODE_ID will rejoin the cluster when the service starts"
    fi
    return
  fi
  status=$(p "$AGENT_DATA/agent-status.json")
  step "Waiting up to $WAIT_SEC s for node $NODE_ID to become active"
  deadline=$(($(date +%s) + WAIT_SEC))
  told=no
  st=''
  while :; do
    if [ -f "$status" ] && [ -n "$(find "$status" -newer "$STAGE/started" 2>/dev/null)" ] &&
      cp "$status" "$STAGE/status.json" 2>/dev/null; then
      st=$(json_str status "$STAGE/status.json")
      case $st in
        active)
          [ "$(json_raw registered "$STAGE/status.json")" != true ] || break
          ;;
        pending_approval)
          if [ "$told" = no ]; then
            say "  node $NODE_ID waits for an operator's approval. On the manager, check its key fingerprint and approve it:"
            say "    heady nodes approve $NODE_ID"
            say "    (key fingerprint $(json_str fingerprint "$STAGE/status.json"))"
            told=yes
          fi
          ;;
        enroll_refused | needs_join_token)
          die "node $NODE_ID could not enroll: $(json_str message "$STAGE/status.json")"
          ;;
      esac
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      if [ "$st" = pending_approval ]; then
        warn "node $NODE_ID is installed and still waits for approval after $WAIT_SEC s: heady nodes approve $NODE_ID on the manager. It enrolls by itself once approved; then re-run this installer (no token needed) to delete the join token from $TOKEN_PATH"
        PENDING=yes
        return
      fi
      logs="journalctl -u heady-agent -n 50"
      [ "$OS_KIND" != macos ] || logs="tail -n 50 /var/log/heady/agent.log"
      die "installed, but node $NODE_ID was not active after $WAIT_SEC s (status: ${st:-none yet}); see: $logs, and TROUBLESHOOTING.md"
    fi
    sleep 1
  done
  say "  node $NODE_ID is active: tier $(json_str tier "$STAGE/status.json"), transport $TRANSPORT"
  if [ -n "$TOKEN" ]; then
    step "Deleting the join token"
    forget_token
    say "  node $NODE_ID has enrolled and holds its own credential, so it no longer needs the join token:"
    say "  deleted $TOKEN_PATH and the service's reference to it"
  fi
}

# ---- the join token ------------------------------------------------------------------------------------
# Whether this node has enrolled: the agent keeps its own credential in <data-dir>/identity/<node id>/.
enrolled() {
  for data in "$AGENT_DATA" "$OLD_AGENT_DATA"; do
    d=$(p "$data/identity/$NODE_ID")
    ok=yes
    for f in key.pem cert.pem ca.pem manager.pem managers-ca.pem; do
      [ -f "$d/$f" ] || ok=no
    done
    [ "$ok" = no ] || return 0
  done
  return 1
}

# The join token, from (first found): --token-file or HEADY_TOKEN_FILE; --token or HEADY_TOKEN; then, when the
# node has not enrolled yet, the one a previous run kept until it would, or an old install's agent.env; else
# the terminal. An enrolled node needs none.
resolve_token() {
  TOKEN_SOURCE=''
  if [ -n "$TOKEN_FILE" ]; then
    if [ "$TOKEN_FILE" = - ]; then
      TOKEN=$(cat)
      TOKEN_SOURCE='standard input'
    else
      [ -f "$TOKEN_FILE" ] || die "--token-file $TOKEN_FILE: no such file"
      [ -r "$TOKEN_FILE" ] || die "--token-file $TOKEN_FILE: cannot read it (run the installer as root: sudo)"
      TOKEN=$(cat -- "$TOKEN_FILE")
      TOKEN_SOURCE=$TOKEN_FILE
    fi
    TOKEN=$(printf '%s' "$TOKEN" | tr -d ' \t\r\n')
    [ -n "$TOKEN" ] || die "--token-file $TOKEN_FILE: empty; it should hold the join token (on the manager: sudo cat /var/lib/heady/join.token)"
  elif [ -n "$TOKEN" ]; then
    TOKEN_SOURCE=--token
    [ "$TOKEN_ON_ARGV" = yes ] || TOKEN_SOURCE=HEADY_TOKEN
    if [ "$TOKEN_ON_ARGV" = yes ]; then
      warn "--token puts the join token on this installer's command line, where every local user can read it (ps); use --token-file FILE, or no flag to be asked for it"
    fi
  elif enrolled; then
    return 0
  elif [ -r "$(p "$TOKEN_PATH")" ]; then
    TOKEN=$(tr -d ' \t\r\n' <"$(p "$TOKEN_PATH")")
    TOKEN_SOURCE="$TOKEN_PATH (kept by the previous run until the node enrolls)"
  elif [ -n "${LEGACY_TOKEN:-}" ]; then
    TOKEN=$LEGACY_TOKEN
    TOKEN_SOURCE="the previous $ENV_FILE"
    say "  moving the join token out of $ENV_FILE: it is kept only until the node has enrolled"
  elif ! ask_token; then
    die "no join token: this node has not enrolled yet. Give it once with --token-file FILE (on the manager: sudo cat /var/lib/heady/join.token), or run the installer from a terminal to be asked for it"
  fi
  if ! matches "$TOKEN" '[A-Za-z0-9._~+/=-]{16,512}'; then
    die "the join token from $TOKEN_SOURCE is not valid: expected the join token from the manager (16+ characters of A-Za-z0-9._~+/=-)"
  fi
}

# Asks for the join token on the terminal, without echo; fails when there is no terminal.
ask_token() {
  # why: /dev/tty is the person's terminal even inside `curl ... | sudo sh`, whose standard input is the script
  (: </dev/tty) 2>/dev/null || return 1
  saved=$(stty -g </dev/tty 2>/dev/null || true)
  trap 'stty "$saved" </dev/tty 2>/dev/null; exit 130' INT TERM
  # why: echo off before the prompt shows, so nothing typed as soon as it appears is echoed
  stty -echo </dev/tty 2>/dev/null || true
  printf 'Join token for this node (on the manager: sudo cat /var/lib/heady/join.token; not shown as you type): ' >/dev/tty
  IFS= read -r TOKEN </dev/tty || TOKEN=''
  if [ -n "$saved" ]; then
    stty "$saved" </dev/tty 2>/dev/null || true
  else
    stty echo </dev/tty 2>/dev/null || true
  fi
  trap - INT TERM
  printf '\n' >/dev/tty
  TOKEN=$(printf '%s' "$TOKEN" | tr -d ' \t\r\n')
  TOKEN_SOURCE='the terminal'
  [ -n "$TOKEN" ] || die "no join token typed"
}

# ---- main ----------------------------------------------------------------------------------------------
# why: everything runs from one function called on the last line: with `curl ... | sh` the script arrives
# on stdin, and the shell must have read all of it before any command runs that might read stdin too.
main() {
  detect_platform
  if [ "$SYSTEM" = yes ] && [ "$(id -u)" -ne 0 ]; then
    die "run it as root: curl -fsSL <manager>/install/agent.sh | sudo sh (or --dry-run)"
  fi
  mode=install
  [ "$DRY_RUN" = no ] || mode="dry run"
  [ -z "$ROOT" ] || mode="$mode under $ROOT"
  say "heady agent installer ($mode): $OS_NAME, $ARCH"

  if [ "$UNINSTALL" = yes ]; then
    [ -n "$NODE_ID" ] || NODE_ID=$(env_get HEADY_NODE_ID "$(p "$ENV_FILE")")
    uninstall
    exit 0
  fi

  # Settings not given on the command line are kept from the previous install (an upgrade changes nothing).
  previous=$(p "$ENV_FILE")
  if [ -r "$previous" ]; then
    say "  upgrading in place: keeping the settings in $ENV_FILE that are not given on the command line"
    # why: installs before heady enrolled its nodes kept the join token in the env file; it moves out
    LEGACY_TOKEN=$(env_get HEADY_TOKEN "$previous")
    [ -n "$MANAGER" ] || MANAGER=$(env_get HEADY_MANAGER_URL "$previous")
    [ -n "$FINGERPRINT" ] || FINGERPRINT=$(env_get HEADY_MANAGER_FINGERPRINT "$previous")
    [ -n "$NODE_ID" ] || NODE_ID=$(env_get HEADY_NODE_ID "$previous")
    [ -n "$NAME" ] || NAME=$(env_get HEADY_NODE_NAME "$previous")
    [ "$LABELS_SET" = yes ] || LABELS=$(env_get HEADY_LABELS "$previous")
    [ -n "$TRANSPORT" ] || TRANSPORT=$(env_get HEADY_TRANSPORT "$previous")
    [ "$TUNNEL_SET" = yes ] || TUNNEL_URL=$(env_get HEADY_TUNNEL_URL "$previous")
    [ -n "$MAX_CONCURRENT" ] || MAX_CONCURRENT=$(env_get HEADY_MAX_CONCURRENT "$previous")
    [ -n "$PORT" ] || PORT=$(env_get HEADY_PORT "$previous")
    if [ -z "$CLUSTER_HOST" ]; then
      # why: keep an address the operator pinned, unless this machine no longer has it (a new DHCP lease).
      old=$(env_get HEADY_CLUSTER_HOST "$previous")
      if [ -n "$old" ] && [ "$old" != auto ] && is_local_address "$old"; then
        CLUSTER_HOST=$old
      fi
    fi
  fi
  [ -n "$MANAGER" ] || MANAGER=$SERVED_MANAGER_URL
  [ -n "$MANAGER" ] || die "--manager URL is required (the copy a manager serves at /install/agent.sh knows it)"
  MANAGER=${MANAGER%/}
  [ -n "$NODE_ID" ] || NODE_ID=$(default_node_id)
  [ -n "$NAME" ] || NAME=$NODE_ID
  [ -n "$TRANSPORT" ] || TRANSPORT=eventbus
  [ -n "$MAX_CONCURRENT" ] || MAX_CONCURRENT=0
  [ -n "$PORT" ] || PORT=7700
  if [ -z "$AGENT_USER" ]; then
    # why: the choice lives in the drop-in it leads to; a re-run keeps it
    AGENT_USER=root
    [ ! -e "$(p "$USER_DROPIN")" ] || AGENT_USER=heady
  fi
  validate_settings
  if [ "$OS_KIND" = macos ]; then
    [ "$AGENT_USER" = heady ] ||
      say "  macOS: the agent runs as heady and its tasks run as heady too (no task user; see SECURITY.md)"
    AGENT_USER=heady
  fi
  resolve_token
  if [ "$TRANSPORT" = http ] && [ -z "$TUNNEL_URL" ]; then
    warn "--transport http without --tunnel-url: the manager can only reach this node if $NODE_ID:$PORT resolves"
  fi

  STAGE=$(mktemp -d "${TMPDIR:-/tmp}/heady-install.XXXXXX")
  trap 'rm -rf "$STAGE"' EXIT INT TERM

  preflight
  [ -n "$CLUSTER_HOST" ] || CLUSTER_HOST=$(pick_cluster_host)
  say "  this node: id $NODE_ID, name '$NAME', reachable at $CLUSTER_HOST, transport $TRANSPORT"
  download
  ensure_java
  ensure_user
  ensure_task_user
  install_files
  install_data_dir
  write_env
  if [ -n "$TOKEN" ]; then
    store_token
  else
    forget_token # a token a previous run kept while the node was not enrolled yet
  fi
  install_service
  PENDING=no
  await_node
  logs="journalctl -u heady-agent -f"
  [ "$OS_KIND" != macos ] || logs="tail -f /var/log/heady/agent.log"
  if [ "$PENDING" = yes ]; then
    say "Installed; waiting for approval. Settings: $ENV_FILE; logs: $logs; remove: re-run with --uninstall."
  else
    say "Done. Settings: $ENV_FILE; logs: $logs; remove: re-run with --uninstall."
  fi
}

main
