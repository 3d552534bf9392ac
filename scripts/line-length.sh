#!/usr/bin/env bash
# No line over 160 characters in what we write (the formatter folds code; this also catches
# strings, comments and shell). Generated benchmark results are not ours to fold.
set -euo pipefail
cd "$(dirname "$0")/.."
long=$(find source test bench scripts \( -name '*.ts' -o -name '*.tsx' -o -name '*.sh' -o -name '*.mjs' \) -not -path 'bench/results/*' -print0 \
	| xargs -0 awk 'length > 160 {print FILENAME ":" FNR ": " length " characters"}')
if [ -n "$long" ]; then
	echo "Lines over 160 characters:" >&2
	echo "$long" >&2
	exit 1
fi
