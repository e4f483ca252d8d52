#!/usr/bin/env bash
# Builds the agent and runs the demo workload under it, then shows the violation records.
# Everything happens on loopback addresses named by demo/hosts: nothing leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v jq >/dev/null || { echo "installing jq"; apt-get install -y -qq jq >/dev/null; }
mvn -q -B -DskipTests install
out=$(mktemp -d)
echo "== the workload, under the agent (workspace 1234, policy \"restricted\")"
java -javaagent:agent/target/egress-agent.jar=policy=demo/policy.json,workspace.id=1234,violations.log="$out/violations.jsonl",internal.cidrs=127.0.0.1/32 \
     -Djdk.net.hosts.file=demo/hosts \
     -cp test-apps/target/classes dev.egress.demo.DemoWorkload
echo
echo "== the violation records ($out/violations.jsonl)"
jq -c '{event_time, access_type, reason, destination_type, destination, port, protocol, caller: (.caller.class + "." + .caller.method + ":" + (.caller.line|tostring))}' "$out/violations.jsonl"
echo
echo "== one record in full"
head -n 1 "$out/violations.jsonl" | jq .
