-- psql's describing meta-commands over schema.sql's objects. Sizes
-- (\l+, \di+, \ds+) are left out: they are the servers' own bytes,
-- which differ; \dt+ and \dv+ name only relations both size at 0 bytes.
\echo '== \\l'
\l clients_psqldescribe
\echo '== \\dn'
\dn
\dn+
\echo '== \\dt'
\dt
\dt shop.*
\dt audit.*
\dt *.no*
\dt pg_catalog.*
\dt+ audit.counters
\echo '== \\dv'
\dv
\dv shop.*
\dv+ shop.*
\echo '== \\di'
\di
\di shop.*
\echo '== \\ds'
\ds
\ds *.*
\echo '== \\dT'
\dT
\dT shop.*
\dT+ shop.mood
\dT+ shop.positive_price
\dT int4
\echo '== \\dD'
\dD
\dD shop.*
\dD+ short_text
\echo '== \\df'
\df upper
\df+ upper
\echo '== \\du'
\du postgres
\du describe_*
\du+ describe_*
\echo '== \\dp'
\dp shop.*
\echo '== \\dd'
\dd
\echo '== \\d'
\d
\d shop.customers
\d shop.products
\d shop.orders
\d audit.log
\d audit.counters
\d audit.scratch
\d audit.scratch_pkey
\d notes
\d+ shop.customers
\d+ shop.products
\d+ shop.orders
\d+ notes
\d shop.big_orders
\d+ shop.big_orders
\d+ note_count
\d shop.orders_customer_placed
\d shop.customers_pkey
\d shop.orders_token_hash
\d shop.products_code_incl
\d shop.customers_lower_email
\d+ shop.orders_open
\d+ shop.customers_pkey
\d shop.customers_email_key
\d shop.orders_order_no
\d shop.order_no
\d+ shop.order_no
\d audit.tick
\d shop.customers_id_seq
\d shop.products_sku_seq
\d nosuchtable
\echo '== \\x'
\x on
SELECT id, email, name, country, mood FROM shop.customers ORDER BY id;
\d shop.customers
\x off
\echo '== \\conninfo'
\conninfo
