#!/usr/bin/env bash
# Self-test of scripts/secret-scan.sh, run by `make check-secrets` before the real scan.
# Plants secrets in a throw-away git repository and checks that the scanner fails, names each
# one by file, line and rule without printing it, leaves look-alikes alone, and honours the
# allow-list. The planted values are assembled at run time so that this file holds none.
set -euo pipefail

scanner="$(cd "$(dirname "$0")" && pwd)/secret-scan.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "test-secret-scan: FAIL: $*" >&2; failures=$((failures + 1)); }

git -C "$tmp" init -q
git -C "$tmp" config user.email t@example.com
git -C "$tmp" config user.name t

# Planted secrets.
key_id="AKIA$(printf 'Q7%.0s' 1 2 3 4 5 6 7 8)"                 # AKIA + 16
session_id="ASIA$(printf 'Z3%.0s' 1 2 3 4 5 6 7 8)"
secret_key="$(printf 'k9Xb/%.0s' 1 2 3 4 5 6 7 8)"             # 40 characters
password="Tr0ub4dor-$(printf '%s' horse)"
pem_begin="-----BEGIN RSA PRIV""ATE KEY-----"
pem_end="-----END RSA PRIV""ATE KEY-----"

mkdir -p "$tmp/src/cloud" "$tmp/config" "$tmp/deploy" "$tmp/tests/testdata/sigv4" "$tmp/certs"
printf 'const char* kKey = "%s";\n' "$key_id" >"$tmp/src/cloud/creds.cpp"
printf '[default]\naws_secret_access_key = %s\n' "$secret_key" >"$tmp/deploy/aws.ini"
printf '%s\nMIIEpAIBAAKCAQEA\n%s\n' "$pem_begin" "$pem_end" >"$tmp/deploy/notes.txt"
printf '{\n  "db": {\n    "password": "%s"\n  }\n}\n' "$password" >"$tmp/config/prod.json"
printf 'export DB_PASSWORD=%s\n' "$password" >"$tmp/deploy/env.sh"
printf 'db:\n  admin_password: %s\n' "$password" >"$tmp/deploy/app.yaml"
printf 'token: %s\n' "$session_id" >"$tmp/deploy/untracked.yml"   # untracked, not ignored
touch "$tmp/certs/server.pem"

# Look-alikes that must not count.
cat >"$tmp/src/cloud/ok.cpp" <<'CPP'
// Names a password field but holds no value; the sim's documented credential is not a secret.
constexpr const char* kPasswordField = "password";
std::string password = request.Get("password");
bool ok = password == expected_password;
std::string k = "AKIAIOSFODNN7EXAMPLE";
Credentials creds{.access_key_id = "test", .secret_access_key = "test"};
CPP
printf 'password: ${{ secrets.DB_PASSWORD }}\nPASSWORD=$DB_PASSWORD\n' >"$tmp/deploy/ci.yml"
printf 'EXPECT_TRUE(Login("admin", "%s"));\nauto u = User{.password = "%s"};\n' \
  "$password" "$password" >"$tmp/src/cloud/login_test.cpp"
printf 'const char* kPlanted = "%s";  // secret-scan:allow planted\n' "$key_id" \
  >"$tmp/src/cloud/marked.cpp"
printf 'AKIDEXAMPLE\n%s\n' "$key_id" >"$tmp/tests/testdata/sigv4/vector.txt"
mkdir -p "$tmp/ignored" && printf 'ignored/\n' >"$tmp/.gitignore"
printf 'k = "%s"\n' "$key_id" >"$tmp/ignored/cache.txt"

git -C "$tmp" add src config deploy/aws.ini deploy/notes.txt deploy/env.sh deploy/app.yaml deploy/ci.yml \
  tests certs .gitignore
git -C "$tmp" commit -q -m planted

# 1. Without an allow-list: fails and names every planted secret.
status=0
out=$(bash "$scanner" "$tmp" 2>&1) || status=$?
[ "$status" -ne 0 ] || fail "scanner passed a repository with planted secrets"
expect() {
  grep -qF -- "$1" <<<"$out" || fail "expected '$1' in the output"
}
expect "src/cloud/creds.cpp:1: [aws-access-key-id]"
expect "deploy/aws.ini:2: [aws-secret-access-key]"
expect "deploy/notes.txt:1: [private-key]"
expect "config/prod.json:3: [password-assignment]"
expect "deploy/env.sh:1: [password-assignment]"
expect "deploy/app.yaml:2: [password-assignment]"
expect "deploy/untracked.yml:1: [aws-access-key-id]"
expect "certs/server.pem:0: [sensitive-file]"
expect "tests/testdata/sigv4/vector.txt:2: [aws-access-key-id]"
for leaked in "$key_id" "$session_id" "$secret_key" "$password"; do
  if grep -qF -- "$leaked" <<<"$out"; then fail "a secret was printed unmasked"; fi
done
for clean in src/cloud/ok.cpp deploy/ci.yml src/cloud/login_test.cpp src/cloud/marked.cpp \
  ignored/cache.txt; do
  if grep -qF -- "$clean:" <<<"$out"; then fail "false positive in $clean"; fi
done
count=$(grep -c '^[^ ]*:[0-9]*: \[' <<<"$out" || true)
[ "$count" -eq 9 ] || fail "expected 9 findings, got $count"

# 2. The allow-list exempts whole paths and single lines.
cat >"$tmp/.secret-scan-allow" <<'ALLOW'
# comment lines and blank lines are ignored

tests/testdata/sigv4/**
deploy/*.ini
deploy/notes.txt:BEGIN|END|^MII
config/**:"password"
src/**/creds.cpp
deploy/env.sh
deploy/app.yaml
deploy/untracked.yml
certs/server.pem
ALLOW
status=0
out=$(bash "$scanner" "$tmp" 2>&1) || status=$?
[ "$status" -eq 0 ] || fail "allow-list not honoured: $out"

# 3. A line regex exempts only the lines it matches.
printf 'tests/testdata/sigv4/**\ndeploy/**:nothing-matches-this\nconfig/**\nsrc/**\ncerts/**\n' \
  >"$tmp/.secret-scan-allow"
status=0
out=$(bash "$scanner" "$tmp" 2>&1) || status=$?
[ "$status" -ne 0 ] || fail "a non-matching line regex exempted findings"
expect "deploy/aws.ini:2: [aws-secret-access-key]"
if grep -qF "src/cloud/creds.cpp" <<<"$out"; then fail "glob src/** did not exempt"; fi

if [ "$failures" -ne 0 ]; then
  echo "test-secret-scan: $failures failure(s)" >&2
  exit 1
fi
echo "test-secret-scan: ok (planted secrets found and masked, look-alikes and allow-list honoured)"
