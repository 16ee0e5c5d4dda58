-- The schema every replayed introspection query reads: one of each kind of
-- object client tools browse, in public and in a second schema.
CREATE SCHEMA sales;
COMMENT ON SCHEMA sales IS 'orders and their lines';
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE sales.status AS ENUM ('open', 'paid', 'shipped');
CREATE SEQUENCE invoice_no START 1000 INCREMENT 10;
CREATE TABLE customers (
    id serial PRIMARY KEY,
    email varchar(120) NOT NULL UNIQUE,
    name text NOT NULL DEFAULT 'anonymous',
    mood mood,
    balance numeric(12, 2) DEFAULT 0 CHECK (balance >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    note text
);
COMMENT ON TABLE customers IS 'people who buy';
COMMENT ON COLUMN customers.email IS 'login and contact address';
CREATE INDEX customers_name_idx ON customers (name);
CREATE TABLE sales.orders (
    order_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    status sales.status NOT NULL DEFAULT 'open',
    invoice integer DEFAULT nextval('invoice_no'),
    placed date NOT NULL,
    total numeric(10, 2),
    CONSTRAINT orders_total_check CHECK (total > 0)
);
CREATE INDEX orders_customer_placed_idx ON sales.orders (customer_id, placed DESC);
CREATE TABLE sales.order_lines (
    order_id bigint NOT NULL REFERENCES sales.orders (order_id),
    line_no smallint NOT NULL,
    sku char(8) NOT NULL,
    qty integer NOT NULL DEFAULT 1,
    price double precision,
    PRIMARY KEY (order_id, line_no),
    UNIQUE (order_id, sku)
);
COMMENT ON COLUMN sales.order_lines.sku IS 'stock keeping unit';
CREATE VIEW customer_orders AS
    SELECT c.id, c.email, o.order_id, o.total FROM customers c JOIN sales.orders o ON o.customer_id = c.id;
COMMENT ON VIEW customer_orders IS 'customers with their orders';
CREATE VIEW sales.open_orders AS SELECT order_id, placed FROM sales.orders WHERE status = 'open';
INSERT INTO customers (email, name, mood, balance) VALUES ('a@example.com', 'Ann', 'happy', 10), ('b@example.com', 'Bob', NULL, 0);
INSERT INTO sales.orders (customer_id, placed, total) VALUES (1, '2024-01-02', 12.5);
INSERT INTO sales.order_lines VALUES (1, 1, 'SKU00001', 2, 6.25);
