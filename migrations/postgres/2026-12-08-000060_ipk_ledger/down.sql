DROP TABLE ipk_backfills;
DROP TABLE ipk_closed_months;
DROP TABLE ipk_facts;
DROP TABLE ref_ipk_reason;
DROP TABLE ref_ipk_flow;
DROP TABLE ref_age_group;
