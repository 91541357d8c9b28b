-- The sums of each closed month's facts, by every group the IPK tables use (issue 15): a
-- closed month takes no more facts, so its sums are kept once, when it closes, and a
-- report over closed months reads a few thousand sums a month instead of every fact.
CREATE TABLE ipk_month_sums (
    id           SERIAL PRIMARY KEY NOT NULL,
    period       INTEGER NOT NULL,
    flow         TEXT NOT NULL REFERENCES ref_ipk_flow (code),
    age_group    TEXT,
    education    SMALLINT,
    kbji_major   TEXT,
    kbli_section TEXT,
    inter_work   TEXT,
    male         INTEGER NOT NULL,
    female       INTEGER NOT NULL,
    either       INTEGER NOT NULL
);
CREATE INDEX ipk_month_sums_period_idx ON ipk_month_sums (flow, period);

-- The months closed before this table existed.
INSERT INTO ipk_month_sums
    (period, flow, age_group, education, kbji_major, kbli_section, inter_work, male, female, either)
SELECT period, flow, age_group, education, kbji_major, kbli_section, inter_work,
       SUM(male), SUM(female), SUM(either)
FROM ipk_facts
WHERE period <= (SELECT MAX(period) FROM ipk_closed_months)
GROUP BY period, flow, age_group, education, kbji_major, kbli_section, inter_work;

-- The open months are still summed from the facts: one index holds every column those
-- sums read (inter_work too, for III/8), so they never look up a fact's row. It starts
-- with (flow, period), which made the old index of those two redundant.
DROP INDEX ipk_facts_sums_idx;
DROP INDEX ipk_facts_period_idx;
CREATE INDEX ipk_facts_sums_idx ON ipk_facts (flow, period, kelurahan_code, age_group,
    education, kbji_major, kbli_section, inter_work, male, female, either);
-- The first month with data (the earliest a report may start), found without a scan.
CREATE INDEX ipk_facts_month_idx ON ipk_facts (period);
-- Corrections dated in a signed period (the statistics page counts them for each signed
-- period it shows): few, and found without reading every fact.
CREATE INDEX ipk_facts_corrections_idx ON ipk_facts (correction, occurred_on);
