-- Back to three reports: a fourth still owed is forgotten.
UPDATE ak1_cards SET next_report_due = NULL
WHERE status = 'active' AND next_report_due = valid_until;
