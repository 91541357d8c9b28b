-- What a verifier reviews has a revision that every change moves on; a decision names the
-- revision the verifier saw and succeeds only while it is still the current one, so an edit
-- made between opening and deciding is never published unseen.
ALTER TABLE vacancies ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
