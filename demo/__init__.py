"""The fictional Northbridge Borough Council: its people (`people`), children and reviews at
every stage (`reviews`) and the information pages (`pages`), seeded by `seed_demo`. Only the
demo and the tests use it: the portal itself never imports it."""
