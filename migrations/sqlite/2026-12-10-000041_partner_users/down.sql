DROP TABLE partner_users;
DELETE FROM user_roles WHERE role = 'partner_user';
DELETE FROM ref_role WHERE code = 'partner_user';
