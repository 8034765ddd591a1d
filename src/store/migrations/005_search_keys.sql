-- velodesk schema, version 5: the riders' name keys are folded for search (Kazakh letters
-- and their Russian spellings, Latin transliteration: `Сәрсенбаев`, `Сарсенбаев` and
-- `Sarsenbayev` share one key). The keys are recomputed by the migration's Rust hook
-- (`store::people::refold_names`); nothing changes in the tables' shape.
CREATE INDEX IF NOT EXISTS riders_surname ON riders (surname_key);
