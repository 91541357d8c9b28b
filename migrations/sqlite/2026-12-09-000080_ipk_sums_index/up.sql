-- Every column the monthly sums of the IPK ledger read (`ipk::series`: the staff dashboard
-- and open data), so that they read this index alone, in order, instead of looking up each
-- fact: on a million-card ledger summing every month by kelurahan went from 18 s to under
-- 1 s on SQLite. The ledger only grows, one fact a card or vacancy event, so keeping the
-- index costs little.
CREATE INDEX ipk_facts_sums_idx ON ipk_facts
    (flow, period, kelurahan_code, age_group, education, kbji_major, kbli_section, male, female, either);
