#!/usr/bin/env bash
# shipgate's own SBOM (CycloneDX 1.5 JSON on stdout): the Debian packages it
# links against at run time, with their installed versions, as
# pkg:deb/debian/NAME@VERSION?arch=ARCH&distro=debian-N purls. scripts/sast.sh
# ingests it, so that shipgate's own gate sees its dependencies (clause sca).
set -euo pipefail

# One list: the run-time libraries of the Makefile's pkg-config packages.
PACKAGES=(libc6 libsqlite3-0 libyajl2 libyaml-0-2 libsodium23 libssl3 libarchive13)

. /etc/os-release
distro="${ID:-debian}-${VERSION_ID:-unknown}"
version=$(git -C "$(dirname "$0")/.." describe --always --dirty 2>/dev/null || echo unknown)

printf '{\n  "bomFormat": "CycloneDX",\n  "specVersion": "1.5",\n  "version": 1,\n'
printf '  "metadata": {\n    "tools": {"components": [{"type": "application", "name": "shipgate-self-sbom", "version": "1"}]},\n'
printf '    "component": {"type": "application", "name": "shipgate", "version": "%s"}\n  },\n' "$version"
printf '  "components": ['
sep=""
for pkg in "${PACKAGES[@]}"; do
	line=$(dpkg-query -W -f='${Package}\t${Version}\t${Architecture}\t${source:Package}\t${Status}\n' "$pkg" \
		2>/dev/null | grep 'ok installed' | head -n 1) || continue
	IFS=$'\t' read -r name ver arch src _ <<<"$line"
	# Versions may hold '+', ':' and '~': percent-encode what a purl must.
	enc=$(printf '%s' "$ver" | sed 's/%/%25/g; s/+/%2B/g; s/:/%3A/g')
	printf '%s\n    {"type": "library", "bom-ref": "%s", "name": "%s", "version": "%s",\n' "$sep" "$name" "$name" "$ver"
	# Debian's advisories name source packages: `upstream`, as syft writes it.
	printf '     "purl": "pkg:deb/debian/%s@%s?arch=%s&distro=%s&upstream=%s"}' "$name" "$enc" "$arch" "$distro" "$src"
	sep=","
done
printf '\n  ]\n}\n'
