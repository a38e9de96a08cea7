#!/bin/sh
# heady agent installer. Every heady manager serves this script, with its own URL filled in, so one command
# on a new machine (no internet needed, only the manager) adds it to the cluster:
#
#   curl -fsSL http://<manager>:7070/install/agent.sh | sudo sh -s -- --token <join token>
#
# It installs Java 17 when missing, a `heady` system user, /opt/heady/heady.jar (from the manager, checksum
# verified), /opt/heady/launcher/, /etc/heady/agent.env and the heady-agent service (systemd, or launchd on
# macOS), starts it and waits until the node is active. Re-running it upgrades in place and keeps the node's
# id and settings; --uninstall removes what it added. Run with --help for the flags; SETUP.md has the story.
set -eu

# The manager rewrites the next line when it serves this script (GET /install/agent.sh).
SERVED_MANAGER_URL=''

usage() {
  cat <<'EOF'
usage: install-agent.sh --token <join token> [options]

  --token TOKEN          the cluster's join token (manager: <data-dir>/join.token); or env HEADY_TOKEN;
                         optional on a re-run (the installed one is kept)
  --manager URL          the manager (default: the manager that served this script)
  --name NAME            human name of this node (default: the host name)
  --node-id ID           stable node id, [A-Za-z0-9._-]{1,64} (default: kept, else the host name)
  --label K=V            operator label, repeatable (replaces the installed labels)
  --transport T          eventbus (LAN, tailnet; default) or http (behind a tunnel)
  --tunnel-url URL       this node's public URL when behind a tunnel (with --transport http)
  --max-concurrent N     task slots (default 0: from the tier formula)
  --port PORT            the node API port (default 7700)
  --cluster-host ADDR    the address the manager reaches this node on (default: the Tailscale address, else
                         the source address of the route to the manager)
  --jar FILE             install this heady.jar instead of downloading it from the manager
  --wait SEC             how long to wait for the manager and for the node to be active (default 60)
  --no-start             install and enable the service, but do not start it now
  --uninstall            remove the service, the settings, /opt/heady and the heady user
  --keep-user            with --uninstall: keep the heady user
  --dry-run              print every action instead of running system commands; writes nothing unless --root
  --root DIR             write the files under DIR instead of / (tests, packaging); system commands
                         (useradd, systemctl, package managers) are only printed
  -h, --help             this help
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
MANAGER=''
NAME=''
NODE_ID=''
LABELS=''
LABELS_SET=no
TRANSPORT=''
TUNNEL_URL=''
TUNNEL_SET=no
MAX_CONCURRENT=''
PORT=''
CLUSTER_HOST=''
JAR_FILE=''
WAIT_SEC=60
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
    --token) need "$@"; TOKEN=$2; shift 2 ;;
    --manager) need "$@"; MANAGER=$2; shift 2 ;;
    --name) need "$@"; NAME=$2; shift 2 ;;
    --node-id) need "$@"; NODE_ID=$2; shift 2 ;;
    --label) need "$@"; LABELS=${LABELS:+$LABELS,}$2; LABELS_SET=yes; shift 2 ;;
    --transport) need "$@"; TRANSPORT=$2; shift 2 ;;
    --tunnel-url) need "$@"; TUNNEL_URL=$2; TUNNEL_SET=yes; shift 2 ;;
    --max-concurrent) need "$@"; MAX_CONCURRENT=$2; shift 2 ;;
    --port) need "$@"; PORT=$2; shift 2 ;;
    --cluster-host) need "$@"; CLUSTER_HOST=$2; shift 2 ;;
    --jar) need "$@"; JAR_FILE=$2; shift 2 ;;
    --wait) need "$@"; WAIT_SEC=$2; shift 2 ;;
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
# Every setting, from flags or from the previous install, is checked before anything is written.
validate_settings() {
  check --token "$TOKEN" '[A-Za-z0-9._~+/=-]{16,512}' 'expected the join token from the manager (16+ characters)'
  check --manager "$MANAGER" "$URL_RE" 'expected http://host:port'
  check --node-id "$NODE_ID" '[A-Za-z0-9._-]{1,64}' 'expected [A-Za-z0-9._-]{1,64}'
  check --name "$NAME" '[A-Za-z0-9 ._()@+:,-]{1,128}' 'letters, digits, spaces and ._()@+:,- only'
  check --label "$LABELS" '[A-Za-z0-9._/-]+=[A-Za-z0-9._:/@+-]*(,[A-Za-z0-9._/-]+=[A-Za-z0-9._:/@+-]*)*' \
    'expected key=value (letters, digits, ._:/@+-)'
  check --transport "$TRANSPORT" 'eventbus|http' 'expected eventbus or http'
  check --tunnel-url "$TUNNEL_URL" "$URL_RE" 'expected https://host[:port][/path]'
  check --max-concurrent "$MAX_CONCURRENT" '[0-9]{1,4}' 'expected a number'
  check --port "$PORT" '[0-9]{1,5}' 'expected a port number'
  check --cluster-host "$CLUSTER_HOST" '[A-Za-z0-9.:-]{1,253}' 'expected an address or host name'
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

# json_str KEY FILE: a string field of a flat JSON answer (heady's answers have no spaces after colons).
json_str() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" "$2" | head -n 1; }
json_raw() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" "$2" | head -n 1; }

# curl_token URL OUT: GET with the join token (passed on stdin, not in argv); prints the HTTP status.
curl_token() {
  printf 'header = "Authorization: Bearer %s"\n' "$TOKEN" |
    curl -sS --connect-timeout 5 --max-time 10 -K - -o "$2" -w '%{http_code}' "$1" 2>/dev/null || true
}

# fetch PATH DEST: download $MANAGER$PATH and check it against the X-Checksum-Sha256 header the manager sends.
fetch() {
  curl -fsS --connect-timeout 10 --retry 3 -D "$STAGE/headers" -o "$2" "$MANAGER$1" ||
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
    run systemctl daemon-reload || true
  fi
  remove "$ENV_FILE"
  remove /var/lib/heady/agent
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
  say "heady agent removed."
}

preflight() {
  step "Checking the manager at $MANAGER"
  command -v curl >/dev/null 2>&1 || die "curl is needed (apt-get install curl / dnf install curl)"
  deadline=$(($(date +%s) + WAIT_SEC))
  while :; do
    code=$(curl_token "$MANAGER/api/cluster/join" "$STAGE/join.json")
    case $code in
      200) break ;;
      401) die "the manager refused the token (401): use the join token, from <data-dir>/join.token on the manager (sudo cat /var/lib/heady/join.token)" ;;
      403) die "that is the admin token (403): agents need the join token, from <data-dir>/join.token on the manager" ;;
    esac
    if [ "$(date +%s)" -ge "$deadline" ]; then
      die "cannot reach the manager at $MANAGER/api/cluster/join within $WAIT_SEC s (last answer: ${code:-none}); check the URL, the manager (systemctl status heady-manager) and the firewall (port ${MANAGER##*:})"
    fi
    sleep 1
  done
  say "  cluster '$(json_str cluster_name "$STAGE/join.json")', manager $(json_str manager_host "$STAGE/join.json"), heady $(json_str version "$STAGE/join.json")"
}

download() {
  step "Downloading heady from the manager"
  mkdir -p "$STAGE/launcher"
  if [ -n "$JAR_FILE" ]; then
    cp "$JAR_FILE" "$STAGE/heady.jar"
    say "  heady.jar from $JAR_FILE (sha256 $(sha256 "$STAGE/heady.jar"))"
  else
    fetch /install/heady.jar "$STAGE/heady.jar"
    curl -fsS --connect-timeout 10 -o "$STAGE/heady.jar.sha256" "$MANAGER/install/heady.jar.sha256" ||
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
      '^(HEADY_NODE_ID|HEADY_NODE_NAME|HEADY_MANAGER_URL|HEADY_TOKEN|HEADY_TRANSPORT|HEADY_TUNNEL_URL|HEADY_LABELS|HEADY_CLUSTER_HOST|HEADY_MAX_CONCURRENT|HEADY_PORT|HEADY_DATA_DIR|HEADY_CONF_DIR)=' ||
      true)
  fi
  {
    say "# heady agent settings: read by the heady-agent service; install-agent.sh re-runs keep them."
    say "# Every setting is also a flag: /opt/heady/launcher/heady agent --help lists them all."
    kv HEADY_NODE_ID "$NODE_ID"
    kv HEADY_NODE_NAME "$NAME"
    kv HEADY_MANAGER_URL "$MANAGER"
    kv HEADY_TOKEN "$TOKEN"
    kv HEADY_TRANSPORT "$TRANSPORT"
    kv HEADY_TUNNEL_URL "$TUNNEL_URL"
    kv HEADY_LABELS "$LABELS"
    kv HEADY_CLUSTER_HOST "$CLUSTER_HOST"
    kv HEADY_MAX_CONCURRENT "$MAX_CONCURRENT"
    kv HEADY_PORT "$PORT"
    kv HEADY_DATA_DIR /var/lib/heady/agent
    kv HEADY_CONF_DIR /etc/heady
    if [ -n "$kept" ]; then
      say "# Kept from the previous install:"
      say "$kept"
    fi
  } >"$STAGE/agent.env"
  # why: the join token is a secret. systemd reads the file as root; launchd runs the agent as heady.
  owner=root:heady
  [ "$OS_KIND" != macos ] || owner=heady:heady
  put "$STAGE/agent.env" "$ENV_FILE" 0600 "$owner"
}

write_plist() {
  cat >"$STAGE/io.heady.agent.plist" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>io.heady.agent</string>
  <key>ProgramArguments</key>
  <array>
    <string>/bin/sh</string><string>-c</string>
    <string>set -a; . /etc/heady/agent.env; set +a; exec /opt/heady/launcher/heady agent</string>
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

install_service() {
  if [ "$OS_KIND" = macos ]; then
    step "Installing the launchd daemon io.heady.agent"
    write_plist
    mkdirp /var/log/heady 0750 heady:heady
    put "$STAGE/io.heady.agent.plist" "$PLIST" 0644 root:wheel
    run launchctl bootout system/io.heady.agent 2>/dev/null || true
    if [ "$NO_START" = yes ]; then
      say "  not started (--no-start): sudo launchctl bootstrap system $PLIST"
    else
      run launchctl bootstrap system "$PLIST"
    fi
    return
  fi
  step "Installing the systemd unit heady-agent.service"
  put "$STAGE/heady-agent.service" "$UNIT" 0644 root:root
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
  fi
}

await_node() {
  if [ "$SYSTEM" = no ] || [ "$NO_START" = yes ]; then
    step "Not started; the manager answers:"
    code=$(curl_token "$MANAGER/api/cluster/join" "$STAGE/join.json")
    [ "$code" = 200 ] || die "GET $MANAGER/api/cluster/join answered $code"
    say "  $(cat "$STAGE/join.json")"
    say "  node $NODE_ID will join cluster '$(json_str cluster_name "$STAGE/join.json")' when the service starts"
    return
  fi
  step "Waiting up to $WAIT_SEC s for node $NODE_ID to become active"
  deadline=$(($(date +%s) + WAIT_SEC))
  while :; do
    code=$(curl_token "http://127.0.0.1:${PORT:-7700}/api/node/health" "$STAGE/health.json")
    if [ "$code" = 200 ] && [ "$(json_raw registered "$STAGE/health.json")" = true ] &&
      [ "$(json_str status "$STAGE/health.json")" = active ]; then
      break
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      logs="journalctl -u heady-agent -n 50"
      [ "$OS_KIND" != macos ] || logs="tail -n 50 /var/log/heady/agent.log"
      die "installed, but node $NODE_ID was not active after $WAIT_SEC s (status: $(json_str status "$STAGE/health.json" 2>/dev/null || echo unknown)); see: $logs, and TROUBLESHOOTING.md"
    fi
    sleep 1
  done
  say "  node $NODE_ID is active: tier $(json_str tier "$STAGE/health.json"), $(json_raw cpu_cores "$STAGE/health.json") cores, $(json_raw ram_gb "$STAGE/health.json") GB RAM, transport $TRANSPORT"
}

# ---- main ----------------------------------------------------------------------------------------------
# why: everything runs from one function called on the last line: with `curl ... | sh` the script arrives
# on stdin, and the shell must have read all of it before any command runs that might read stdin too.
main() {
  detect_platform
  if [ "$SYSTEM" = yes ] && [ "$(id -u)" -ne 0 ]; then
    die "run it as root: curl -fsSL <manager>/install/agent.sh | sudo sh -s -- --token <join token> (or --dry-run)"
  fi
  mode=install
  [ "$DRY_RUN" = no ] || mode="dry run"
  [ -z "$ROOT" ] || mode="$mode under $ROOT"
  say "heady agent installer ($mode): $OS_NAME, $ARCH"

  if [ "$UNINSTALL" = yes ]; then
    uninstall
    exit 0
  fi

  # Settings not given on the command line are kept from the previous install (an upgrade changes nothing).
  previous=$(p "$ENV_FILE")
  if [ -r "$previous" ]; then
    say "  upgrading in place: keeping the settings in $ENV_FILE that are not given on the command line"
    [ -n "$TOKEN" ] || TOKEN=$(env_get HEADY_TOKEN "$previous")
    [ -n "$MANAGER" ] || MANAGER=$(env_get HEADY_MANAGER_URL "$previous")
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
  [ -n "$TOKEN" ] || die "--token is required: the join token, from <data-dir>/join.token on the manager"
  [ -n "$NODE_ID" ] || NODE_ID=$(default_node_id)
  [ -n "$NAME" ] || NAME=$NODE_ID
  [ -n "$TRANSPORT" ] || TRANSPORT=eventbus
  [ -n "$MAX_CONCURRENT" ] || MAX_CONCURRENT=0
  [ -n "$PORT" ] || PORT=7700
  validate_settings
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
  install_files
  write_env
  install_service
  await_node
  say "Done. Settings: $ENV_FILE; logs: journalctl -u heady-agent -f; remove: re-run with --uninstall."
}

main
