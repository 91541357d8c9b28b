# Sourced by the API's scripts (bench-api.sh, fuzz-api.sh): a partner and an API key made by
# SQL, not by the data steward's page, so that the secret is known to the script only.
#
#   . scripts/api-key.sh
#   new_api_key bench masked job_seekers   # one data set
#   new_api_key fuzz unmasked              # every data set
#
# Sets `key` (as a partner sends it) and `key_sql` (the statements that make the partner,
# its grants, the key and its scopes; SQLite and PostgreSQL alike).
new_api_key() {
  local label=$1 masking=$2 only=${3:-}
  local which="TRUE"
  [ -z "$only" ] || which="d.code = '$only'"
  local prefix secret digest now expires partner
  prefix=$(python3 -c 'import secrets; print(secrets.token_hex(4))')
  secret=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
  digest=$(printf %s "$secret" | sha256sum | cut -d' ' -f1)
  now=$(date -u '+%Y-%m-%d %H:%M:%S')
  expires=$(date -d '+30 days' +%Y-%m-%d)
  partner="$label partner $prefix"
  key="sibuser_${prefix}_${secret}"
  key_sql="
INSERT INTO partners (name, kind, legal_basis, contact_name, contact_email, active, created_at)
  VALUES ('$partner', 'other', '$label', '$label', '$label@example.invalid', TRUE, '$now');
INSERT INTO partner_grants (partner_id, dataset, masking, granted_at)
  SELECT p.id, d.code, '$masking', '$now' FROM partners p, ref_export_dataset d
  WHERE p.name = '$partner' AND $which;
INSERT INTO api_keys (partner_id, label, prefix, secret_sha256, expires_on, created_at)
  SELECT id, '$label', '$prefix', '$digest', '$expires', '$now' FROM partners
  WHERE name = '$partner';
INSERT INTO api_key_scopes (key_id, dataset, masking)
  SELECT k.id, d.code, '$masking' FROM api_keys k, ref_export_dataset d
  WHERE k.prefix = '$prefix' AND $which;"
}
