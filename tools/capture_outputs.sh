#!/usr/bin/env bash
# Captures what every command prints on the embedded examples and on a generated 10k estate, one
# file per command, so that a refactoring can be checked for "no behaviour change" with `diff -r`:
#
#   tools/capture_outputs.sh target/release/azroute /tmp/before   # on the old commit
#   tools/capture_outputs.sh target/release/azroute /tmp/after    # on the new one
#   diff -r /tmp/before /tmp/after
#
# Each file holds the command line, its stdout, its stderr and its exit status. The 10k estate is
# generated once into $AZROUTE_CAPTURE_CACHE (default /tmp/azroute-capture-10k) and reused; set
# AZROUTE_CAPTURE_SKIP_10K=1 to capture the examples only.
set -u
bin=${1:?usage: capture_outputs.sh AZROUTE_BINARY OUT_DIR}
out=${2:?usage: capture_outputs.sh AZROUTE_BINARY OUT_DIR}
bin=$(realpath "$bin")
mkdir -p "$out"
n=0

run() {
    n=$((n + 1))
    local file
    file=$(printf '%s/%04d-%s.txt' "$out" "$n" "$(echo "$*" | tr -c 'A-Za-z0-9._-' '_' | cut -c1-90)")
    {
        echo "\$ azroute $*"
        echo "--- stdout"
        if [ "${digest:-0}" = 1 ]; then
            # Large outputs: their digest, size and first lines, so a capture stays small.
            "$bin" "$@" 2>"$file.err" >"$file.out"
            local status=$?
            sha256sum <"$file.out"
            wc -l <"$file.out"
            head -n 40 "$file.out"
            rm -f "$file.out"
            echo "--- exit $status"
        else
            "$bin" "$@" 2>"$file.err"
            echo "--- exit $?"
        fi
        echo "--- stderr"
        cat "$file.err"
    } >"$file" 2>&1
    rm -f "$file.err"
}

for ex in hub-spoke troubleshoot; do
    nics=$("$bin" routes --example "$ex" --all -o csv 2>/dev/null | tail -n +2 | cut -d, -f1 | sort -u | sed 's#.*/##')
    subnets=$("$bin" routes --example "$ex" --all -o json 2>/dev/null | grep -o 'virtualNetworks/[^"/]*/subnets/[^"/]*' | sed 's#virtualNetworks/##; s#/subnets/#/#' | sort -u)
    run routes --example "$ex" --all -o json
    run routes --example "$ex" --all -o csv
    run routes --example "$ex" --all -o json --explain
    for nic in $nics; do
        run routes --example "$ex" --nic "$nic"
        run routes --example "$ex" --nic "$nic" -o json --explain
        run security-rules --example "$ex" --nic "$nic" -o json
        run security-rules --example "$ex" --nic "$nic"
        for dest in 8.8.8.8 10.0.1.4 10.1.1.4 10.2.1.4 172.16.1.10 10.10.1.4 10.20.1.4 192.168.1.4; do
            run next-hop --example "$ex" --nic "$nic" --dest-ip "$dest" -o json --explain
        done
        for other in $nics; do
            run trace --example "$ex" --from "$nic" --to "$other" --port 443 -o json
            run trace --example "$ex" --from "$nic" --to "$other" --port 22
        done
        run trace --example "$ex" --from "$nic" --to 8.8.8.8 -o json
        run trace --example "$ex" --from "$nic" --to 172.16.1.10 -o mermaid
        run trace --example "$ex" --from 172.16.1.10 --to "$nic" --port 22 -o json
        run trace --example "$ex" --from 203.0.113.9 --to "$nic" --port 443 -o json
    done
    for s in $subnets; do
        run routes --example "$ex" --subnet "$s" -o json --explain
        run routes --example "$ex" --subnet "$s"
    done
    run reach --example "$ex"
    run reach --example "$ex" -o json
    run reach --example "$ex" -o csv --problems
    run doctor --example "$ex"
    run doctor --example "$ex" -o json
    run doctor --example "$ex" -o sarif
    run doctor --example "$ex" --explain
    run diff --before "example:$ex" --after "example:$ex"
    run diff --before "example:$ex" --after "example:$ex" -o json
    run verify --example "$ex"
done
run examples
run diff --before example:hub-spoke --after example:troubleshoot -o json
run ip-flow --example hub-spoke --nic nic-app2 --direction Inbound --protocol TCP --local 10.2.1.4:443 --remote 10.1.1.4:50000 -o json
run ip-flow --example hub-spoke --nic nic-app2 --direction Inbound --protocol TCP --local 10.2.1.4:3389 --remote 203.0.113.9:* -o json
run ip-flow --example troubleshoot --nic nic-db --direction Inbound --protocol TCP --local 10.20.2.4:1433 --remote 10.20.1.4:50000

if [ "${AZROUTE_CAPTURE_SKIP_10K:-0}" != 1 ]; then
    cache=${AZROUTE_CAPTURE_CACHE:-/tmp/azroute-capture-10k}
    [ -d "$cache" ] || "$bin" generate --preset 10k --out "$cache" >/dev/null 2>&1
    n=9000
    digest=1
    run routes --snapshot "$cache" --all -o csv
    run reach --snapshot "$cache" -o csv
    run doctor --snapshot "$cache" -o json
    run diff --before "$cache" --after "$cache" -o json
fi
echo "captured $(ls "$out" | wc -l) outputs into $out" >&2
