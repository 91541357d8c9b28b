-- The card's fourth report (issue 18, item 5: "melapor empat kali dalam dua tahun"): the
-- rules now ask for one more, due on the card's last day. An active card whose three
-- reports were made owes it; its next report was empty until now. Past months are
-- untouched: statistics count the dated events, not this column.
UPDATE ak1_cards SET next_report_due = valid_until
WHERE status = 'active' AND next_report_due IS NULL AND valid_until IS NOT NULL;
