DROP INDEX ipk_facts_corrections_idx;
DROP INDEX ipk_facts_month_idx;
DROP INDEX ipk_facts_sums_idx;
CREATE INDEX ipk_facts_period_idx ON ipk_facts (flow, period);
CREATE INDEX ipk_facts_sums_idx ON ipk_facts
    (flow, period, kelurahan_code, age_group, education, kbji_major, kbli_section, male, female, either);
DROP TABLE ipk_month_sums;
