#!/usr/bin/env bash
# Builds jbits's packages from what Maven staged (run by jbits-dist's pom, phase package, profile dist):
#   target/jbits_<version>_amd64.deb          (dpkg-deb; /usr/bin/jbits, /usr/lib/jbits, man pages, completion,
#                                              systemd units, /etc/jbits/serve.conf, /usr/share/doc/jbits/copyright)
#   target/jbits-<version>-linux-x64.tar.gz   (tar; jbits-<version>/bin/jbits runs from wherever it is unpacked)
# Both carry a Java runtime made by jlink from the modules jdeps finds in the jars, and a digest manifest
# (manifest.sha256, sha256sum's format) of every file they install, which 'jbits doctor' checks.
# Usage: package.sh PROJECT_VERSION JAVA_HOME MODULE_DIR TARGET_DIR
set -euo pipefail
project_version=$1 jdk=$2 module=$3 target=$4
version=${project_version%-SNAPSHOT}   # a Debian version has no -SNAPSHOT; 0.1.0-SNAPSHOT packages as 0.1.0
stage=$target/stage
docs=$target/docs
src=$module/src
export LC_ALL=C SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$module" log -1 --format=%ct 2>/dev/null || date +%s)}
for tool in dpkg-deb asciidoctor sha256sum gzip tar; do
  command -v "$tool" >/dev/null || { echo "package.sh: $tool is missing (apt-get install dpkg asciidoctor)" >&2; exit 1; }
done
cli_jar=$(cd "$stage/lib" && ls jbits-cli-*.jar)

# --- the runtime: the JDK modules the jars use (jdeps finds jdk.net, for SO_PEERCRED, the service's peer-credential
# check on its Unix socket), plus what they reach only by name or by service: jdk.charsets (SMB and legacy
# encodings), jdk.localedata (dates in the user's locale), jdk.zipfs, java.naming and jdk.naming.dns (Kerberos for
# SMB), jdk.crypto.cryptoki (PKCS#11 keys for TLS). Elliptic-curve TLS is in java.base since JDK 22 (jdk.crypto.ec
# is empty and deprecated there).
runtime=$target/runtime
modules=$("$jdk/bin/jdeps" --ignore-missing-deps --multi-release 25 --print-module-deps \
  --class-path "$stage/lib/*" "$stage"/lib/*.jar 2>/dev/null | tail -n 1)
modules="$modules,jdk.charsets,jdk.localedata,jdk.zipfs,java.naming,jdk.naming.dns,jdk.crypto.cryptoki"
echo "package.sh: jlink --add-modules $modules"
rm -rf "$runtime"
# The module image stays uncompressed: the packages' own compression does better on it (zip-6 in jlink made both
# packages 5 MB larger). The archive for heaps of 32 GiB and more (classes_nocoops.jsa, 15 MB) goes: such a JVM
# starts without one.
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --include-locales=en,de,fr,es,it,ja,zh --generate-cds-archive --output "$runtime"
rm -f "$runtime/lib/server/classes_nocoops.jsa"

# --- man pages (AsciiDoc from picocli-codegen, written by DocGen) to roff, gzipped as Debian wants.
man=$target/man1
rm -rf "$man" && mkdir -p "$man"
asciidoctor -b manpage -a reproducible -D "$man" "$docs"/man/*.adoc
gzip -9nf "$man"/*.1

# --- the copyright file: the runtime, and each bundled library under the licence its pom declares.
copyright=$target/copyright
{
  echo "jbits $version"
  echo
  echo "This package bundles the libraries below, each under the licence its Maven pom declares."
  echo "Its Java runtime is made by jlink from $(sed -n 's/^IMPLEMENTOR_VERSION="\(.*\)"/\1/p' "$jdk/release")"
  echo "(OpenJDK: GPL-2.0 with the Classpath Exception); the runtime's own notices are in runtime/legal/"
  echo "under the installation (/usr/lib/jbits/runtime/legal/ for the package)."
  echo
  grep -v '^$' "$target/license/THIRD-PARTY.txt"
} >"$copyright"

completion_zsh() {
  cat <<'ZSH'
#compdef jbits
# zsh completion of jbits: the bash script picocli's AutoComplete writes, through zsh's bashcompinit.
autoload -U +X bashcompinit && bashcompinit
source /usr/share/bash-completion/completions/jbits
ZSH
}

# The launcher, with the class path in the order Maven resolved it (the CLI's jar first).
launcher() {
  local cp="\$lib/$cli_jar" j
  for j in $(cd "$stage/lib" && ls *.jar | grep -vx "$cli_jar"); do cp="$cp:\$lib/$j"; done
  sed -e "s|@CLI_JAR@|$cli_jar|" -e "s|@CLASSPATH@|$cp|" "$src/bin/jbits" >"$1"
  chmod 755 "$1"
}

# The program's directory, the same in both packages.
fill_app() {
  local app=$1
  mkdir -p "$app/bin" "$app/lib"
  launcher "$app/bin/jbits"
  cp -p "$stage"/lib/*.jar "$app/lib/"
  cp -a "$runtime" "$app/runtime"
}

# --- the .deb
deb=$target/deb
rm -rf "$deb" && mkdir -p "$deb/DEBIAN"
fill_app "$deb/usr/lib/jbits"
mkdir -p "$deb/usr/bin" "$deb/usr/share/man/man1" "$deb/usr/share/bash-completion/completions" \
  "$deb/usr/share/zsh/vendor-completions" "$deb/usr/lib/systemd/user" "$deb/usr/lib/systemd/system" \
  "$deb/etc/jbits" "$deb/usr/share/doc/jbits"
ln -s ../lib/jbits/bin/jbits "$deb/usr/bin/jbits"
cp "$man"/*.1.gz "$deb/usr/share/man/man1/"
install -m 644 "$docs/completion/jbits" "$deb/usr/share/bash-completion/completions/jbits"
completion_zsh >"$deb/usr/share/zsh/vendor-completions/_jbits"
install -m 644 "$src/systemd/jbits.service" "$src/systemd/jbits.socket" "$deb/usr/lib/systemd/user/"
install -m 644 "$src/systemd/jbits-serve.service" "$deb/usr/lib/systemd/system/"
install -m 644 "$src/etc/serve.conf" "$deb/etc/jbits/serve.conf"
install -m 644 "$copyright" "$deb/usr/share/doc/jbits/copyright"
install -m 755 "$src/deb/postinst" "$src/deb/prerm" "$src/deb/postrm" "$deb/DEBIAN/"
install -m 644 "$src/deb/conffiles" "$deb/DEBIAN/"
chmod -R u+rwX,go+rX,go-w "$deb/usr" "$deb/etc"
# Every installed file but the conffiles (administrators edit those) and the manifest itself; absolute paths.
(cd "$deb" && find usr -type f ! -path usr/lib/jbits/manifest.sha256 -print0 | sort -z | xargs -0 sha256sum |
  sed 's|  |  /|') >"$deb/usr/lib/jbits/manifest.sha256"
chmod 644 "$deb/usr/lib/jbits/manifest.sha256"
(cd "$deb" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$deb/DEBIAN/md5sums"
size_kb=$(du -sk --exclude=DEBIAN "$deb" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE_KB@/$size_kb/" "$src/deb/control" >"$deb/DEBIAN/control"
find "$deb" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
rm -f "$target"/jbits_*_amd64.deb
dpkg-deb --root-owner-group -Zxz -z3 --build "$deb" "$target/jbits_${version}_amd64.deb" >/dev/null

# --- the tarball: jbits-<version>/ with bin, lib, runtime, share (man pages, completion, units, copyright).
tarroot=$target/tar
top=jbits-$version
rm -rf "$tarroot" && mkdir -p "$tarroot/$top"
fill_app "$tarroot/$top"
mkdir -p "$tarroot/$top/share/man/man1" "$tarroot/$top/share/completion" "$tarroot/$top/share/systemd"
cp "$man"/*.1.gz "$tarroot/$top/share/man/man1/"
install -m 644 "$docs/completion/jbits" "$tarroot/$top/share/completion/jbits.bash"
install -m 644 "$src"/systemd/*.service "$src"/systemd/*.socket "$src/etc/serve.conf" "$tarroot/$top/share/systemd/"
install -m 644 "$copyright" "$tarroot/$top/share/copyright"
chmod -R u+rwX,go+rX,go-w "$tarroot/$top"
# Paths relative to jbits-<version>/, where the tarball's launcher says the installation is.
(cd "$tarroot/$top" && find . -type f ! -path ./manifest.sha256 -print0 | sort -z | xargs -0 sha256sum |
  sed 's|  \./|  |') >"$tarroot/$top/manifest.sha256"
chmod 644 "$tarroot/$top/manifest.sha256"
rm -f "$target"/jbits-*-linux-x64.tar.gz
tar -C "$tarroot" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
  -czf "$target/$top-linux-x64.tar.gz" "$top"

ls -l "$target/jbits_${version}_amd64.deb" "$target/$top-linux-x64.tar.gz"
