-- The shop's schema, for H2 and PostgreSQL alike. Dropped and made anew on every start: the demo seeds its own data.
-- Indexes are chosen on purpose: orders.tracking_code has none (the sequential-scan search), orders.reference has one.
DROP TABLE IF EXISTS invoices CASCADE;
DROP TABLE IF EXISTS order_lines CASCADE;
DROP TABLE IF EXISTS orders CASCADE;
DROP TABLE IF EXISTS products CASCADE;
DROP TABLE IF EXISTS customers CASCADE;

CREATE TABLE customers (
    id          BIGINT       PRIMARY KEY,
    name        VARCHAR(100) NOT NULL,
    email       VARCHAR(200) NOT NULL,
    city        VARCHAR(100) NOT NULL,
    loyalty     VARCHAR(20)  NOT NULL,
    created_at  TIMESTAMP    NOT NULL
);
CREATE UNIQUE INDEX customers_email_idx ON customers (email);

CREATE TABLE products (
    id          BIGINT        PRIMARY KEY,
    sku         VARCHAR(40)   NOT NULL,
    name        VARCHAR(200)  NOT NULL,
    category    VARCHAR(60)   NOT NULL,
    price       NUMERIC(12,2) NOT NULL
);
CREATE UNIQUE INDEX products_sku_idx ON products (sku);

CREATE TABLE orders (
    id            BIGINT        PRIMARY KEY,
    reference     VARCHAR(20)   NOT NULL,
    tracking_code VARCHAR(20)   NOT NULL,
    customer_id   BIGINT        NOT NULL REFERENCES customers (id),
    status        VARCHAR(20)   NOT NULL,
    created_at    TIMESTAMP     NOT NULL,
    total         NUMERIC(12,2) NOT NULL
);
CREATE UNIQUE INDEX orders_reference_idx ON orders (reference);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE INDEX orders_created_at_idx ON orders (created_at);

CREATE TABLE order_lines (
    id          BIGINT        PRIMARY KEY,
    order_id    BIGINT        NOT NULL REFERENCES orders (id),
    product_id  BIGINT        NOT NULL REFERENCES products (id),
    quantity    INTEGER       NOT NULL,
    unit_price  NUMERIC(12,2) NOT NULL
);
CREATE INDEX order_lines_order_idx ON order_lines (order_id);
CREATE INDEX order_lines_product_idx ON order_lines (product_id);

CREATE TABLE invoices (
    id          BIGINT        PRIMARY KEY,
    order_id    BIGINT        NOT NULL REFERENCES orders (id),
    number      VARCHAR(20)   NOT NULL,
    issued_at   TIMESTAMP     NOT NULL,
    amount      NUMERIC(12,2) NOT NULL,
    paid        BOOLEAN       NOT NULL
);
CREATE UNIQUE INDEX invoices_order_idx ON invoices (order_id);
