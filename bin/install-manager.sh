#!/bin/sh
# heady manager installer. Run it from a heady checkout or release folder (beside target/heady.jar or
# heady.jar, launcher/ and systemd/):
#
#   sudo bin/install-manager.sh [--with-redis]
#
# It installs Java 17 when missing, a `heady` system user, /opt/heady/heady.jar, /opt/heady/launcher/,
# /etc/heady/manager.env and the heady-manager service (systemd, or launchd on macOS), with its data and tokens
# in /var/lib/heady; optionally Redis as the durable store (append-only, a generated password, bound to
# 127.0.0.1). It starts the manager, waits until it is ready and prints the one command that adds an agent.
# Re-running it upgrades in place and keeps the settings; --uninstall removes what it added (the data only
# with --purge). The helpers below are the same as in install-agent.sh, which must stay a single file.
set -eu

usage() {
  cat <<'EOF'
usage: install-manager.sh [options]

  --with-redis           install Redis and use it as the store (durable: survives manager restarts)
  --store URL            the store: memory (default) or redis://:password@host:port/db
  --port PORT            the manager's HTTP port (default 7070)
  --advertise-url URL    the URL agents and installers reach the manager on (default: from each request)
  --cluster-host ADDR    the address agents reach the manager's cluster port on (default: auto)
  --cluster-name NAME    Hazelcast cluster name (default heady)
  --join-token-file FILE file holding the join token that enrolls new nodes (default: generated into
                         /var/lib/heady/join.token, where it can be rotated)
  --admin-token-file FILE
                         file holding the admin token (default: generated into /var/lib/heady/admin.token)
  --join-token T, --admin-token T
                         the same, given on the command line (discouraged: every local user can read it in ps)
  --jar FILE             the heady.jar to install (default: beside this script, or target/heady.jar)
  --wait SEC             how long to wait for the manager to be ready (default 60)
  --no-start             install and enable the service, but do not start it now
  --uninstall            remove the service, the settings, /opt/heady and the heady user (keeps the data)
  --purge                with --uninstall: also remove the data and tokens in /var/lib/heady
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

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
top=$(dirname -- "$here")

# ---- arguments -----------------------------------------------------------------------------------------
STORE=''
WITH_REDIS=no
PORT=''
ADVERTISE_URL=''
CLUSTER_HOST=''
CLUSTER_NAME=''
JOIN_TOKEN=''
ADMIN_TOKEN=''
ON_ARGV=''
JAR_FILE=''
WAIT_SEC=60
NO_START=no
UNINSTALL=no
PURGE=no
KEEP_USER=no
DRY_RUN=no
ROOT=/

# read_secret FLAG FILE: the token in FILE, without surrounding white space.
read_secret() {
  [ -f "$2" ] || die "$1 $2: no such file"
  [ -r "$2" ] || die "$1 $2: cannot read it (run the installer as root: sudo)"
  secret=$(tr -d ' \t\r\n' <"$2")
  [ -n "$secret" ] || die "$1 $2: empty"
  printf '%s\n' "$secret"
}

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
    --store) need "$@"; STORE=$2; shift 2 ;;
    --with-redis) WITH_REDIS=yes; shift ;;
    --port) need "$@"; PORT=$2; shift 2 ;;
    --advertise-url) need "$@"; ADVERTISE_URL=$2; shift 2 ;;
    --cluster-host) need "$@"; CLUSTER_HOST=$2; shift 2 ;;
    --cluster-name) need "$@"; CLUSTER_NAME=$2; shift 2 ;;
    --join-token) need "$@"; JOIN_TOKEN=$2; ON_ARGV="$ON_ARGV $1"; shift 2 ;;
    --admin-token) need "$@"; ADMIN_TOKEN=$2; ON_ARGV="$ON_ARGV $1"; shift 2 ;;
    --join-token-file) need "$@"; JOIN_TOKEN=$(read_secret "$1" "$2"); shift 2 ;;
    --admin-token-file) need "$@"; ADMIN_TOKEN=$(read_secret "$1" "$2"); shift 2 ;;
    --jar) need "$@"; JAR_FILE=$2; shift 2 ;;
    --wait) need "$@"; WAIT_SEC=$2; shift 2 ;;
    --root) need "$@"; ROOT=$2; shift 2 ;;
    --no-start) NO_START=yes; shift ;;
    --uninstall) UNINSTALL=yes; shift ;;
    --purge) PURGE=yes; shift ;;
    --keep-user) KEEP_USER=yes; shift ;;
    --dry-run) DRY_RUN=yes; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

matches() { # matches VALUE ERE: the whole value matches the extended regular expression
  printf '%s\n' "$1" | grep -Eq "^($2)\$" && [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ]
}
check() { # check NAME VALUE ERE WHAT
  [ -z "$2" ] || matches "$2" "$3" || die "$1 '$2' is not valid: $4"
}
URL_RE='https?://[A-Za-z0-9._~-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?|https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?'
validate_settings() {
  check --store "$STORE" 'memory|rediss?://[A-Za-z0-9._~:@%/-]+' 'expected memory or redis://:password@host:port/db'
  check --port "$PORT" '[0-9]{1,5}' 'expected a port number'
  check --advertise-url "$ADVERTISE_URL" "$URL_RE" 'expected http://host:port'
  check --cluster-host "$CLUSTER_HOST" '[A-Za-z0-9.:-]{1,253}' 'expected an address or host name'
  check --cluster-name "$CLUSTER_NAME" '[A-Za-z0-9._-]{1,64}' 'expected [A-Za-z0-9._-]{1,64}'
  # why: a token is never echoed in an error, even a wrong one
  [ -z "$JOIN_TOKEN" ] || matches "$JOIN_TOKEN" '[A-Za-z0-9._~+/=-]{16,512}' ||
    die "the join token (--join-token or --join-token-file) is not valid: 16+ characters of A-Za-z0-9._~+/=-"
  [ -z "$ADMIN_TOKEN" ] || matches "$ADMIN_TOKEN" '[A-Za-z0-9._~+/=-]{16,512}' ||
    die "the admin token (--admin-token or --admin-token-file) is not valid: 16+ characters of A-Za-z0-9._~+/=-"
}
check --wait "$WAIT_SEC" '[0-9]{1,4}' 'expected seconds'
case $ROOT in
  /*) ;;
  *) die "--root must be an absolute path" ;;
esac
ROOT=${ROOT%/}

SYSTEM=yes
WRITE=yes
if [ "$DRY_RUN" = yes ] || [ -n "$ROOT" ]; then
  SYSTEM=no
fi
if [ "$DRY_RUN" = yes ] && [ -z "$ROOT" ]; then
  WRITE=no
fi

p() { printf '%s%s' "$ROOT" "$1"; } # a path on the target system

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
  ARCH=$(uname -m)
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

put() { # put SRC DEST MODE OWNER
  dest=$(p "$2")
  say "  + install -m $3 $2 ($4)"
  [ "$WRITE" = yes ] || return 0
  mkdir -p "$(dirname "$dest")"
  cp "$1" "$dest.new.$$"
  chmod "$3" "$dest.new.$$"
  mv -f "$dest.new.$$" "$dest"
  [ "$SYSTEM" = no ] || chown "$4" "$dest"
}

mkdirp() { # mkdirp DIR MODE OWNER
  say "  + mkdir -m $2 $1 ($3)"
  [ "$WRITE" = yes ] || return 0
  mkdir -p "$(p "$1")"
  chmod "$2" "$(p "$1")"
  [ "$SYSTEM" = no ] || chown "$3" "$(p "$1")"
}

remove() { # remove PATH
  if [ -e "$(p "$1")" ] || [ -L "$(p "$1")" ]; then
    say "  + rm -rf $1"
    [ "$WRITE" = no ] || rm -rf -- "$(p "$1")"
  fi
}

env_get() { # env_get KEY FILE
  [ -f "$2" ] || return 0
  sed -n "s/^$1=//p" "$2" | tail -n 1 | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'\$/\1/"
}

# This machine's address for the agent one-liner: Tailscale's when tailscale0 exists, else the source
# address of the default route (nothing is sent), else 127.0.0.1.
lan_address() {
  a=''
  if command -v ip >/dev/null 2>&1; then
    a=$(ip -4 -o addr show dev tailscale0 2>/dev/null | awk '{ split($4, x, "/"); print x[1]; exit }')
    [ -n "$a" ] || a=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([^ ]*\).*/\1/p' | head -n 1)
  elif [ "$OS_KIND" = macos ]; then
    a=$(ipconfig getifaddr en0 2>/dev/null || true)
  fi
  echo "${a:-127.0.0.1}"
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

# ---- the steps -----------------------------------------------------------------------------------------
ENV_FILE=/etc/heady/manager.env
UNIT=/etc/systemd/system/heady-manager.service
PLIST=/Library/LaunchDaemons/io.heady.manager.plist
CLI_LINK=/usr/local/bin/heady
LAUNCHER_FILES='heady agent.options agent-small.options manager.options cli.options'

agent_installed() {
  [ -e "$(p /etc/heady/agent.env)" ] || [ -e "$(p /etc/systemd/system/heady-agent.service)" ] ||
    [ -e "$(p /Library/LaunchDaemons/io.heady.agent.plist)" ]
}

uninstall() {
  step "Removing the heady manager"
  if [ "$OS_KIND" = macos ]; then
    run launchctl bootout system/io.heady.manager || true
    remove "$PLIST"
  elif [ "$SYSTEM" = no ] || command -v systemctl >/dev/null 2>&1; then
    run systemctl disable --now heady-manager.service || true
    remove "$UNIT"
    run systemctl daemon-reload || true
  fi
  remove "$ENV_FILE"
  if [ "$PURGE" = yes ]; then
    if agent_installed; then
      for f in "$(p /var/lib/heady)"/* "$(p /var/lib/heady)"/.[!.]*; do
        case $f in
          */agent | *'/*' | *'/.[!.]*') ;;
          *) remove "${f#"$ROOT"}" ;;
        esac
      done
    else
      remove /var/lib/heady
    fi
  else
    say "  kept the data and tokens in /var/lib/heady (--purge removes them)"
  fi
  if agent_installed; then
    say "  kept /opt/heady and the heady user: the heady agent is installed here too"
  else
    if [ -L "$(p "$CLI_LINK")" ]; then
      remove "$CLI_LINK"
    fi
    remove /opt/heady
    remove /var/log/heady
    if [ -d "$(p /etc/heady)" ] && [ -z "$(ls -A "$(p /etc/heady)")" ]; then
      remove /etc/heady
    fi
    if [ "$KEEP_USER" = yes ] || [ "$PURGE" = no ]; then
      # why: the kept data belongs to the heady user; a new user with another uid could not read it.
      say "  kept the heady user$([ "$KEEP_USER" = yes ] && echo ' (--keep-user)' || echo ', who owns the kept data')"
    elif [ "$OS_KIND" = macos ]; then
      run dscl . -delete /Users/heady || true
      run dscl . -delete /Groups/heady || true
    elif [ "$SYSTEM" = no ] || id heady >/dev/null 2>&1; then
      run userdel heady
    fi
  fi
  if [ -f "$(p /etc/redis/heady.conf)" ]; then
    say "  Redis was left installed and configured (/etc/redis/heady.conf); remove it with your package manager"
  fi
  say "heady manager removed."
}

stage_files() {
  step "Collecting heady"
  if [ -z "$JAR_FILE" ]; then
    for candidate in "$top/heady.jar" "$top/target/heady.jar" "$here/heady.jar"; do
      if [ -f "$candidate" ]; then
        JAR_FILE=$candidate
        break
      fi
    done
  fi
  if [ -z "$JAR_FILE" ] || [ ! -f "$JAR_FILE" ]; then
    die "no heady.jar beside this script or in target/: build it (mvn -B package -DskipTests) or pass --jar FILE"
  fi
  mkdir -p "$STAGE/launcher"
  cp "$JAR_FILE" "$STAGE/heady.jar"
  say "  heady.jar from $JAR_FILE (sha256 $(sha256 "$STAGE/heady.jar"))"
  for f in $LAUNCHER_FILES; do
    [ -f "$top/launcher/$f" ] || die "no $top/launcher/$f: run this script from a heady checkout or release"
    cp "$top/launcher/$f" "$STAGE/launcher/$f"
  done
  if [ "$OS_KIND" != macos ]; then
    [ -f "$top/systemd/heady-manager.service" ] || die "no $top/systemd/heady-manager.service"
    cp "$top/systemd/heady-manager.service" "$STAGE/heady-manager.service"
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
      run apt-get install -y "$pkg" || die "could not install $pkg; install Java 17+ yourself and re-run"
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

ensure_user() {
  step "Creating the heady system user"
  if [ "$SYSTEM" = yes ] && id heady >/dev/null 2>&1; then
    say "  heady exists"
    return
  fi
  if [ "$OS_KIND" = macos ]; then
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

# Redis as the store: append-only persistence, a generated password, loopback only. Settings go into a file
# of their own, included last by the distribution's redis.conf, so a package upgrade does not lose them.
setup_redis() {
  step "Installing and configuring Redis (append-only, password, 127.0.0.1 only)"
  case $OS_KIND in
    debian) run apt-get install -y redis-server || die "could not install redis-server" ;;
    fedora) run dnf install -y redis || die "could not install redis" ;;
    arch) run pacman -S --noconfirm --needed redis || die "could not install redis" ;;
    *) die "--with-redis: install Redis yourself on $OS_NAME (brew install redis) and pass --store redis://:<password>@127.0.0.1:6379/0" ;;
  esac
  main=/etc/redis/redis.conf
  for candidate in /etc/redis/redis.conf /etc/redis.conf /etc/valkey/valkey.conf; do
    if [ -f "$(p "$candidate")" ]; then
      main=$candidate
      break
    fi
  done
  conf=$(dirname "$main")/heady.conf
  pass=''
  if [ -f "$(p "$conf")" ]; then
    pass=$(sed -n 's/^requirepass //p' "$(p "$conf")" | head -n 1)
  fi
  if [ -z "$pass" ]; then
    pass=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
  fi
  owner=root:root
  if [ "$SYSTEM" = yes ] && [ -f "$main" ]; then
    owner=$(stat -c %U:%G "$main" 2>/dev/null || echo root:root)
  fi
  {
    say "# Written by heady's install-manager.sh: Redis as the heady manager's store."
    say "bind 127.0.0.1"
    say "protected-mode yes"
    say "port 6379"
    say "appendonly yes"
    say "appendfsync always"
    say "requirepass $pass"
  } >"$STAGE/heady.conf"
  put "$STAGE/heady.conf" "$conf" 0640 "$owner"
  if [ -f "$(p "$main")" ] && grep -qx "include $conf" "$(p "$main")"; then
    say "  $main already includes $conf"
  else
    say "  + append 'include $conf' to $main"
    if [ "$WRITE" = yes ] && [ -f "$(p "$main")" ]; then
      printf '\n# heady: its own settings, last so that they win\ninclude %s\n' "$conf" >>"$(p "$main")"
    fi
  fi
  service=redis-server
  if [ "$SYSTEM" = yes ]; then
    for candidate in redis-server redis valkey; do
      if systemctl cat "$candidate.service" >/dev/null 2>&1; then
        service=$candidate
        break
      fi
    done
  fi
  run systemctl enable "$service.service"
  run systemctl restart "$service.service"
  if [ "$SYSTEM" = yes ]; then
    deadline=$(($(date +%s) + WAIT_SEC))
    until [ "$(REDISCLI_AUTH=$pass redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; do
      [ "$(date +%s)" -lt "$deadline" ] || die "Redis did not answer PING within $WAIT_SEC s: journalctl -u $service"
      sleep 1
    done
    say "  Redis answers on 127.0.0.1:6379"
  fi
  STORE="redis://:$pass@127.0.0.1:6379/0"
}

kv() { printf '%s="%s"\n' "$1" "$2"; }

write_env() {
  step "Writing $ENV_FILE"
  kept=''
  if [ -f "$(p "$ENV_FILE")" ]; then
    kept=$(grep -E '^[A-Z][A-Z0-9_]*=' "$(p "$ENV_FILE")" | grep -Ev \
      '^(HEADY_PORT|HEADY_DATA_DIR|HEADY_CONF_DIR|HEADY_STORE|HEADY_ADVERTISE_URL|HEADY_CLUSTER_HOST|HEADY_CLUSTER_NAME|HEADY_JOIN_TOKEN|HEADY_ADMIN_TOKEN)=' ||
      true)
  fi
  {
    say "# heady manager settings: read by the heady-manager service; install-manager.sh re-runs keep them."
    say "# Every setting is also a flag: /opt/heady/launcher/heady manager --help lists them all."
    kv HEADY_PORT "$PORT"
    kv HEADY_DATA_DIR /var/lib/heady
    kv HEADY_CONF_DIR /etc/heady
    kv HEADY_STORE "$STORE"
    [ -z "$ADVERTISE_URL" ] || kv HEADY_ADVERTISE_URL "$ADVERTISE_URL"
    [ -z "$CLUSTER_HOST" ] || kv HEADY_CLUSTER_HOST "$CLUSTER_HOST"
    [ -z "$CLUSTER_NAME" ] || kv HEADY_CLUSTER_NAME "$CLUSTER_NAME"
    [ -z "$JOIN_TOKEN" ] || kv HEADY_JOIN_TOKEN "$JOIN_TOKEN"
    [ -z "$ADMIN_TOKEN" ] || kv HEADY_ADMIN_TOKEN "$ADMIN_TOKEN"
    if [ -n "$kept" ]; then
      say "# Kept from the previous install:"
      say "$kept"
    fi
  } >"$STAGE/manager.env"
  owner=root:heady
  [ "$OS_KIND" != macos ] || owner=heady:heady
  put "$STAGE/manager.env" "$ENV_FILE" 0600 "$owner"
}

install_service() {
  if [ "$OS_KIND" = macos ]; then
    step "Installing the launchd daemon io.heady.manager"
    sed -e 's/io\.heady\.agent/io.heady.manager/' -e 's#/etc/heady/agent\.env#/etc/heady/manager.env#' \
      -e 's#launcher/heady agent#launcher/heady manager#' -e 's#heady/agent\.log#heady/manager.log#g' \
      -e 's#<integer>330</integer>#<integer>90</integer>#' >"$STAGE/io.heady.manager.plist" <<'EOF'
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
    mkdirp /var/log/heady 0750 heady:heady
    put "$STAGE/io.heady.manager.plist" "$PLIST" 0644 root:wheel
    run launchctl bootout system/io.heady.manager 2>/dev/null || true
    if [ "$NO_START" = yes ]; then
      say "  not started (--no-start): sudo launchctl bootstrap system $PLIST"
    else
      run launchctl bootstrap system "$PLIST"
    fi
    return
  fi
  step "Installing the systemd unit heady-manager.service"
  put "$STAGE/heady-manager.service" "$UNIT" 0644 root:root
  if [ "$SYSTEM" = yes ] && ! command -v systemctl >/dev/null 2>&1; then
    warn "no systemctl here: start the manager yourself: /opt/heady/launcher/heady manager (with $ENV_FILE in its environment)"
    return
  fi
  run systemctl daemon-reload
  run systemctl enable heady-manager.service
  if [ "$NO_START" = yes ]; then
    say "  not started (--no-start): sudo systemctl start heady-manager"
  else
    run systemctl restart heady-manager.service
  fi
}

await_ready() {
  url=${ADVERTISE_URL:-http://$(lan_address):$PORT}
  if [ "$SYSTEM" = no ] || [ "$NO_START" = yes ]; then
    step "Not started"
    say "  once it runs, add a machine with (it asks for the join token: sudo cat /var/lib/heady/join.token here):"
    say "  curl -fsSL $url/install/agent.sh | sudo sh"
    return
  fi
  step "Waiting up to $WAIT_SEC s for the manager to be ready"
  deadline=$(($(date +%s) + WAIT_SEC))
  until curl -fsS --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/health/ready" 2>/dev/null; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      logs="journalctl -u heady-manager -n 50"
      [ "$OS_KIND" != macos ] || logs="tail -n 50 /var/log/heady/manager.log"
      die "installed, but the manager was not ready after $WAIT_SEC s; see: $logs, curl -s http://127.0.0.1:$PORT/health/ready, and TROUBLESHOOTING.md"
    fi
    sleep 1
  done
  say "  the manager is ready at $url (store: ${STORE%%:*})"
  say "  admin token (CLI, dashboard, API): sudo cat /var/lib/heady/admin.token"
  if [ -n "$JOIN_TOKEN" ]; then
    say "  join token (enrolls a new node once): the one you gave (HEADY_JOIN_TOKEN in $ENV_FILE)"
  else
    say "  join token (enrolls a new node once): sudo cat /var/lib/heady/join.token"
  fi
  say ""
  say "Add a machine to the cluster (run this on it; it asks for the join token, or give it"
  say "--token-file FILE after 'sh -s --'):"
  say "  curl -fsSL $url/install/agent.sh | sudo sh"
}

# ---- main ----------------------------------------------------------------------------------------------
# why: everything runs from one function called on the last line: with `curl ... | sh` the script arrives
# on stdin, and the shell must have read all of it before any command runs that might read stdin too.
main() {
  detect_platform
  if [ "$SYSTEM" = yes ] && [ "$(id -u)" -ne 0 ]; then
    die "run it as root: sudo $0 ... (or --dry-run)"
  fi
  mode=install
  [ "$DRY_RUN" = no ] || mode="dry run"
  [ -z "$ROOT" ] || mode="$mode under $ROOT"
  say "heady manager installer ($mode): $OS_NAME, $ARCH"

  if [ "$UNINSTALL" = yes ]; then
    uninstall
    exit 0
  fi

  previous=$(p "$ENV_FILE")
  if [ -r "$previous" ]; then
    say "  upgrading in place: keeping the settings in $ENV_FILE that are not given on the command line"
    [ -n "$PORT" ] || PORT=$(env_get HEADY_PORT "$previous")
    [ -n "$STORE" ] || [ "$WITH_REDIS" = yes ] || STORE=$(env_get HEADY_STORE "$previous")
    [ -n "$ADVERTISE_URL" ] || ADVERTISE_URL=$(env_get HEADY_ADVERTISE_URL "$previous")
    [ -n "$CLUSTER_HOST" ] || CLUSTER_HOST=$(env_get HEADY_CLUSTER_HOST "$previous")
    [ -n "$CLUSTER_NAME" ] || CLUSTER_NAME=$(env_get HEADY_CLUSTER_NAME "$previous")
    [ -n "$JOIN_TOKEN" ] || JOIN_TOKEN=$(env_get HEADY_JOIN_TOKEN "$previous")
    [ -n "$ADMIN_TOKEN" ] || ADMIN_TOKEN=$(env_get HEADY_ADMIN_TOKEN "$previous")
  fi
  [ -n "$PORT" ] || PORT=7070
  [ -n "$STORE" ] || STORE=memory
  ADVERTISE_URL=${ADVERTISE_URL%/}
  validate_settings
  for flag in $ON_ARGV; do
    warn "$flag puts a secret on this installer's command line, where every local user can read it (ps); use $flag-file FILE"
  done
  [ "$WITH_REDIS" = no ] || [ "$STORE" = memory ] || die "--with-redis and --store: pick one"
  [ -z "$JOIN_TOKEN" ] || [ "$JOIN_TOKEN" != "$ADMIN_TOKEN" ] || die "--join-token and --admin-token must differ"

  STAGE=$(mktemp -d "${TMPDIR:-/tmp}/heady-install.XXXXXX")
  trap 'rm -rf "$STAGE"' EXIT INT TERM

  stage_files
  ensure_java
  ensure_user
  install_files
  [ "$WITH_REDIS" = no ] || setup_redis
  write_env
  install_service
  await_ready
  say "Done. Settings: $ENV_FILE; data: /var/lib/heady; logs: journalctl -u heady-manager -f; remove: --uninstall."
}

main
