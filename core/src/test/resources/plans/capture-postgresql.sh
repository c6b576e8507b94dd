#!/usr/bin/env bash
# Re-captures the PostgreSQL plan fixtures from a live server (psql on PATH, trust auth).
# The data is the same shape as capture-mariadb.sh and CaptureH2.java: 60,000 orders (1% status NEW),
# 5,000 customers, an index on cap_orders.customer_id. Plans are EXPLAIN (FORMAT JSON), never ANALYZE.
set -euo pipefail
cd "$(dirname "$0")/postgresql"
PSQL=(psql -h "${PGHOST:-127.0.0.1}" -U "${PGUSER:-postgres}" -d "${PGDATABASE:-test}" -v ON_ERROR_STOP=1 -qAt)

"${PSQL[@]}" <<'SQL'
DROP TABLE IF EXISTS cap_orders, cap_customers;
CREATE TABLE cap_customers (id bigint PRIMARY KEY, name varchar(100) NOT NULL, country varchar(2) NOT NULL);
CREATE TABLE cap_orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status varchar(20) NOT NULL,
  total numeric(10,2) NOT NULL, created_at timestamp NOT NULL, note text);
INSERT INTO cap_customers SELECT g, 'customer ' || g, (ARRAY['FR','DE','US','JP','BR'])[1 + g % 5]
  FROM generate_series(1, 5000) g;
INSERT INTO cap_orders SELECT g, 1 + g % 5000, CASE WHEN g % 100 = 0 THEN 'NEW' ELSE 'DONE' END,
  (g % 997) * 1.5, timestamp '2024-01-01' + g * interval '1 minute', NULL FROM generate_series(1, 60000) g;
CREATE INDEX cap_orders_customer_id_idx ON cap_orders (customer_id);
ANALYZE cap_customers;
ANALYZE cap_orders;
SQL

capture() { # name, sql, optional session settings run first on the same connection
  printf '%s\n' "$2" >"$1.sql"
  local pre=()
  if [[ -n "${3:-}" ]]; then pre=(-c "$3"); fi
  "${PSQL[@]}" "${pre[@]}" -c "EXPLAIN (FORMAT JSON) $2" >"$1.json"
}
capture seq_scan_filter "SELECT * FROM cap_orders WHERE status = 'NEW'"
capture seq_scan_no_filter "SELECT status, count(*) FROM cap_orders GROUP BY status"
capture seq_scan_complex_filter "SELECT * FROM cap_orders WHERE status IN ('NEW', 'HOLD') AND note LIKE 'abc%' OR note IS NULL AND total BETWEEN 10 AND 20"
capture index_scan_pk "SELECT * FROM cap_orders WHERE id = 42"
capture bitmap_index_scan "SELECT * FROM cap_orders WHERE customer_id = 42"
capture hash_join "SELECT o.id, c.name FROM cap_orders o JOIN cap_customers c ON c.id = o.customer_id WHERE c.country = 'FR' AND o.status = 'NEW'"
capture nested_loop "SELECT o.id FROM cap_customers c JOIN cap_orders o ON o.customer_id = c.id WHERE c.id = 7"
capture parallel_seq_scan "SELECT * FROM cap_orders WHERE status = 'NEW'" \
  "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0"
capture limit_stops_early "SELECT * FROM cap_orders WHERE status = 'NEW' LIMIT 10"
capture limit_after_sort "SELECT * FROM cap_orders WHERE status = 'NEW' ORDER BY created_at LIMIT 10"

"${PSQL[@]}" -c "DROP TABLE cap_orders, cap_customers"
