#!/usr/bin/env bash
# Project-specific checks (curl's checksrc, s2n's grep checks):
#  - functions banned in src/util/banned.h are not called;
#  - core/ includes only core/ and util/ (it is pure: DESIGN.md section 2);
#  - util/ includes no domain module;
#  - every header compiles on its own.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0

banned='\b(strcpy|strcat|strncpy|strncat|sprintf|vsprintf|strtok|atoi|atol|gmtime|localtime|gets)\s*\('
if grep -rnE "$banned" src --include='*.c' --include='*.h' | grep -v 'src/util/banned.h'; then
	echo "lint: banned function used (see src/util/banned.h)"
	status=1
fi
if grep -rnE '#include "(ingest|store|app|cli|server|policy|evidence)/' src/core; then
	echo "lint: core/ must include only core/ and util/"
	status=1
fi
if grep -rnE '#include "(core|ingest|store|app|cli|server|policy|evidence)/' src/util; then
	echo "lint: util/ must not include domain modules"
	status=1
fi
for h in $(find src -name '*.h'); do
	if ! echo "#include \"${h#src/}\"" | cc -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Isrc \
		$(pkg-config --cflags sqlite3 libpq yaml-0.1 libsodium libcrypto) -fsyntax-only -x c - 2>/dev/null; then
		echo "lint: $h does not compile on its own"
		status=1
	fi
done
[ $status -eq 0 ] && echo "lint: clean"
exit $status
