-- velodesk schema, version 2: indexes the simulator's day showed missing. Pricing a return
-- reads the rental's chain (D3) and what its legs already accrued; both were table scans.
CREATE INDEX rentals_chain ON rentals (chain_id);
CREATE INDEX accruals_rental ON accruals (rental_id) WHERE rental_id IS NOT NULL;
