-- The KBLI section of the employer of a placement recorded at the counter without a company
-- the portal knows (IPK III/7 counts placements by section). Placements with a company take
-- the company's section on the day instead.
ALTER TABLE placements ADD COLUMN kbli_section TEXT;
