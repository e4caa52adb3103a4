// Package catalog holds the ICP filing domain's reference data as Go tables: provinces and their
// filing rules, MIIT dictionaries (subject natures, certificate types, content types, languages,
// access modes, pre-approval types) and the catalogue of review and inspection reasons.
//
// The tables are unexported and never modified; exported functions return copies, so callers may
// change what they receive without affecting anyone else. Codes are MIIT codes, stored as they are,
// never positional ids.
package catalog
