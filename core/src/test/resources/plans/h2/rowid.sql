SELECT * FROM cap_orders WHERE _ROWID_ = 42
