#!/usr/bin/env bash
# Makes lab TLS material for netshard's control channel (mutual TLS):
# a CA, one certificate per agent (server) and one for the coordinator
# (client), all signed by that CA. Private keys are mode 0600.
#
#   deploy/tls/make-certs.sh DIR [AGENT_NAME...]
#
# DIR gets ca.pem, ca.key, coord.pem, coord.key and, per agent NAME (default
# "agent"), NAME.pem and NAME.key valid for the DNS names NAME and
# localhost and the address 127.0.0.1 (add more with SANS, e.g.
# SANS="DNS:agent-msk.example.net,IP:10.20.0.5"). Running it again with an
# existing ca.pem reuses that CA, so new agents join the same trust.
# For labs and tests: production certificates come from your own PKI.
set -euo pipefail
dir="${1:?usage: make-certs.sh DIR [AGENT_NAME...]}"
shift
agents=("$@")
[ ${#agents[@]} -gt 0 ] || agents=(agent)
days="${DAYS:-825}"
mkdir -p "$dir"
umask 077

if [ ! -f "$dir/ca.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$days" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" -subj "/CN=netshard lab CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
fi

# sign NAME EXTENDED_KEY_USAGE SUBJECT_ALT_NAMES
sign() {
  local name="$1" usage="$2" sans="$3"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/$name.key" \
    -out "$dir/$name.csr" -subj "/CN=$name" 2>/dev/null
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -days "$days" -out "$dir/$name.pem" \
    -extfile <(printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\nsubjectAltName=%s\n' \
      "$usage" "$sans") 2>/dev/null
  rm -f "$dir/$name.csr"
}

for agent in "${agents[@]}"; do
  sign "$agent" serverAuth "DNS:$agent,DNS:localhost,IP:127.0.0.1${SANS:+,$SANS}"
done
sign coord clientAuth "DNS:coord"
chmod 0644 "$dir"/*.pem
echo "make-certs: CA, coord and ${agents[*]} certificates in $dir" >&2
