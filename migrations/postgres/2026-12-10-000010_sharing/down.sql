DROP TABLE api_key_scopes;
DROP TABLE api_keys;
DROP TABLE partner_grants;
DROP TABLE partners;
DROP TABLE ref_masking;
DROP TABLE ref_partner_kind;
