DROP INDEX ipk_facts_sums_idx;
