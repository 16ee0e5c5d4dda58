// pgjdbc workload: a PreparedStatement run often enough that the driver
// switches to a named server-side statement and binary transfer, batches
// (one failing on a duplicate key), setDate, autocommit off with commit
// and rollback, and what an application does (generated keys, upserts,
// createArrayOf, jsonb from strings, window functions, a data-modifying WITH),
// and what tools and ORMs read through DatabaseMetaData and
// ResultSetMetaData.
// The JDBC URL is the first argument.
import java.math.BigDecimal;
import java.sql.*;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

public class Workload {
    static Connection conn;

    interface Step { void run() throws SQLException; }

    static void step(String name, Step s) {
        System.out.println("== " + name);
        try {
            s.run();
        } catch (SQLException e) {
            System.out.println("error " + e.getSQLState() + " " + e.getMessage().split("\n")[0]);
            try { if (!conn.getAutoCommit()) conn.rollback(); } catch (SQLException ignored) { }
        }
        System.out.flush();
    }

    static void print(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                if (i > 1) b.append(" | ");
                Object v = rs.getObject(i);
                b.append(v == null ? "null" : v.getClass().getSimpleName() + ":" + v);
            }
            System.out.println(b);
        }
    }

    // part runs one part of the application step, reporting its error so
    // that the next part runs.
    static void part(String name, Step s) {
        System.out.println("-- " + name);
        try {
            s.run();
        } catch (SQLException e) {
            System.out.println("error " + e.getSQLState() + " " + e.getMessage().split("\n")[0]);
            try { if (!conn.getAutoCommit()) { conn.rollback(); conn.setAutoCommit(true); } } catch (SQLException ignored) { }
        }
    }

    // application does what a JDBC application or an ORM over it does.
    static void application() throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text, "
                + "tags text[], scores int[], profile jsonb, visits int NOT NULL DEFAULT 0, version int NOT NULL DEFAULT 1)");
            st.execute("CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id int NOT NULL, "
                + "amount numeric(10,2) NOT NULL, region text NOT NULL)");
            st.execute("CREATE TABLE invoices_archive (id bigint PRIMARY KEY, customer_id int, amount numeric(10,2), region text)");
        }

        // jsonb goes out as a string cast in the SQL text and comes back
        // with getString: a PGobject of type jsonb, getObject on a jsonb
        // column and getColumnTypeName make pgjdbc look the type up in
        // pg_catalog.pg_type, which pqdb does not have yet.
        part("generated keys", () -> {
            try (PreparedStatement ins = conn.prepareStatement(
                    "INSERT INTO customers (email, name, tags, scores, profile) VALUES (?, ?, ?, ?, ?::jsonb)", Statement.RETURN_GENERATED_KEYS)) {
                Object[][] customers = {
                    {"ada@example.com", "Ada", new String[] {"admin", "beta"}, new Integer[] {90, 85}, "{\"plan\": \"pro\", \"seats\": 5}"},
                    {"bob@example.com", "Bob", new String[] {"beta"}, new Integer[] {70}, "{\"plan\": \"free\", \"seats\": 1}"},
                    {"cy@example.com", "Cy", new String[] {}, null, "{\"plan\": \"pro\", \"seats\": 2, \"trial\": true}"},
                };
                for (Object[] c : customers) {
                    ins.setString(1, (String) c[0]);
                    ins.setString(2, (String) c[1]);
                    ins.setArray(3, conn.createArrayOf("text", (Object[]) c[2]));
                    if (c[3] == null) ins.setNull(4, Types.ARRAY);
                    else ins.setArray(4, conn.createArrayOf("integer", (Object[]) c[3]));
                    ins.setString(5, (String) c[4]);
                    ins.executeUpdate();
                    try (ResultSet keys = ins.getGeneratedKeys()) {
                        keys.next();
                        System.out.println("customer " + c[0] + " id " + keys.getInt("id"));
                    }
                }
            }
            try (PreparedStatement ins = conn.prepareStatement(
                    "INSERT INTO invoices (customer_id, amount, region) VALUES (?, ?, ?)", new String[] {"id"})) {
                Object[][] invoices = {{1, "120.00", "eu"}, {2, "15.50", "us"}, {1, "30.25", "eu"}, {3, "99.99", "us"}, {2, "5.00", "eu"}, {3, "42.00", "eu"}};
                for (Object[] inv : invoices) {
                    ins.setInt(1, (Integer) inv[0]);
                    ins.setBigDecimal(2, new BigDecimal((String) inv[1]));
                    ins.setString(3, (String) inv[2]);
                    ins.addBatch();
                }
                System.out.println("batch counts " + Arrays.toString(ins.executeBatch()));
                List<Long> ids = new ArrayList<>();
                try (ResultSet keys = ins.getGeneratedKeys()) {
                    while (keys.next()) ids.add(keys.getLong(1));
                }
                System.out.println("invoice ids " + ids);
            }
            try (PreparedStatement ins = conn.prepareStatement("INSERT INTO invoices (id, customer_id, amount, region) VALUES (?, ?, ?, ?)")) {
                ins.setLong(1, 100);
                ins.setInt(2, 1);
                ins.setBigDecimal(3, BigDecimal.ONE);
                ins.setString(4, "eu");
                ins.executeUpdate();
            } catch (SQLException e) {
                System.out.println("explicit identity: " + e.getSQLState() + " " + e.getMessage().split("\n")[0]);
            }
        });

        part("on conflict", () -> {
            try (PreparedStatement ins = conn.prepareStatement("INSERT INTO customers (email, name) VALUES (?, ?) ON CONFLICT (email) DO NOTHING")) {
                for (String email : new String[] {"ada@example.com", "dee@example.com"}) {
                    ins.setString(1, email);
                    ins.setString(2, "new");
                    System.out.println(email + " " + ins.executeUpdate());
                }
            }
            // The statement an ORM sends to save customers by their natural
            // key; a row is updated only when its name changed.
            String upsert = "INSERT INTO customers AS c (email, name, visits) VALUES (?, ?, ?), (?, ?, ?) "
                + "ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, visits = c.visits + EXCLUDED.visits, version = c.version + 1 "
                + "WHERE c.name IS DISTINCT FROM EXCLUDED.name RETURNING id, email, name, tags, scores, visits, version";
            try (PreparedStatement up = conn.prepareStatement(upsert)) {
                Object[][] saves = {{"bob@example.com", "Robert", 3, "eve@example.com", "Eve", 1}, {"bob@example.com", "Robert", 3, "ada@example.com", "Ada", 1}};
                for (Object[] save : saves) {
                    for (int i = 0; i < save.length; i++) up.setObject(i + 1, save[i]);
                    try (ResultSet rs = up.executeQuery()) { print(rs); }
                }
            }
            try (PreparedStatement ins = conn.prepareStatement("INSERT INTO customers (email, name) VALUES (?, ?) ON CONFLICT (email) DO NOTHING")) {
                for (String[] c : new String[][] {{"ada@example.com", "Ada"}, {"fay@example.com", "Fay"}}) {
                    ins.setString(1, c[0]);
                    ins.setString(2, c[1]);
                    ins.addBatch();
                }
                System.out.println("batch counts " + Arrays.toString(ins.executeBatch()));
            }
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT id, email, name, tags, scores, visits, version FROM customers ORDER BY id")) { print(rs); }
        });

        part("arrays", () -> {
            try (PreparedStatement sel = conn.prepareStatement("SELECT id, email FROM customers WHERE id = ANY(?) ORDER BY id")) {
                sel.setArray(1, conn.createArrayOf("int4", new Integer[] {1, 3, 99}));
                try (ResultSet rs = sel.executeQuery()) { print(rs); }
            }
            try (PreparedStatement sel = conn.prepareStatement("SELECT array_agg(id ORDER BY id) FROM customers WHERE email = ANY(?)")) {
                sel.setArray(1, conn.createArrayOf("text", new String[] {"cy@example.com", "bob@example.com"}));
                try (ResultSet rs = sel.executeQuery()) {
                    rs.next();
                    System.out.println("ids by email " + Arrays.toString((Object[]) rs.getArray(1).getArray()));
                }
            }
            try (PreparedStatement up = conn.prepareStatement("UPDATE customers SET tags = ?, scores = ? WHERE email = ?")) {
                up.setArray(1, conn.createArrayOf("text", new String[] {"vip", "has space", "quote\"d", "back\\slash", null}));
                up.setArray(2, conn.createArrayOf("integer", new Integer[] {1, null, 3}));
                up.setString(3, "dee@example.com");
                System.out.println("updated " + up.executeUpdate());
            }
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT id, tags, scores, 'beta' = ANY(tags) FROM customers ORDER BY id")) {
                while (rs.next()) {
                    Array tags = rs.getArray(2), scores = rs.getArray(3);
                    System.out.println(rs.getInt(1) + " " + (tags == null ? "null" : Arrays.toString((Object[]) tags.getArray()))
                        + " " + (scores == null ? "null" : scores.getBaseTypeName() + Arrays.toString((Object[]) scores.getArray()))
                        + " " + rs.getObject(4));
                }
            }
        });

        part("jsonb", () -> {
            try (PreparedStatement sel = conn.prepareStatement(
                    "SELECT id, profile->>'plan', (profile->>'seats')::int FROM customers WHERE profile @> ?::jsonb ORDER BY id")) {
                sel.setString(1, "{\"plan\": \"pro\"}");
                try (ResultSet rs = sel.executeQuery()) { print(rs); }
            }
            try (PreparedStatement sel = conn.prepareStatement("SELECT profile FROM customers WHERE id = ?")) {
                sel.setInt(1, 3);
                try (ResultSet rs = sel.executeQuery()) {
                    rs.next();
                    System.out.println("profile " + rs.getString(1));
                }
            }
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT jsonb_agg(jsonb_build_object('email', email, 'plan', profile->'plan') ORDER BY id) FROM customers WHERE profile IS NOT NULL")) {
                rs.next();
                System.out.println("plans " + rs.getString(1));
            }
        });

        part("window functions", () -> {
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT id, customer_id, region, amount, "
                    + "row_number() OVER (PARTITION BY region ORDER BY amount DESC, id), "
                    + "sum(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), "
                    + "lag(amount) OVER (PARTITION BY customer_id ORDER BY id) FROM invoices ORDER BY id")) { print(rs); }
        });

        part("rolled back upsert", () -> {
            conn.setAutoCommit(false);
            try (PreparedStatement up = conn.prepareStatement("INSERT INTO customers AS c (email, name) VALUES (?, ?) "
                    + "ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, version = c.version + 1 RETURNING name, version")) {
                up.setString(1, "ada@example.com");
                up.setString(2, "Ada Lovelace");
                try (ResultSet rs = up.executeQuery()) { print(rs); }
            } finally {
                conn.rollback();
                conn.setAutoCommit(true);
            }
            try (PreparedStatement sel = conn.prepareStatement("SELECT name, version FROM customers WHERE email = ?")) {
                sel.setString(1, "ada@example.com");
                try (ResultSet rs = sel.executeQuery()) { print(rs); }
            }
        });

        part("data-modifying WITH", () -> {
            try (PreparedStatement move = conn.prepareStatement("WITH moved AS (DELETE FROM invoices WHERE amount < ? RETURNING *) "
                    + "INSERT INTO invoices_archive SELECT * FROM moved RETURNING id")) {
                move.setBigDecimal(1, new BigDecimal("40"));
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = move.executeQuery()) {
                    while (rs.next()) ids.add(rs.getLong(1));
                }
                Collections.sort(ids);
                System.out.println("archived " + ids);
            }
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT (SELECT count(*) FROM invoices), (SELECT count(*) FROM invoices_archive), (SELECT sum(amount) FROM invoices_archive)")) { print(rs); }
        });
    }


    // The schema the metadata step reads: a serial, an identity and a
    // generated-by-default identity key, a foreign key of one column and
    // one of two columns with their actions, unique and check constraints,
    // defaults, a descending index, a comment, a view, a sequence, an enum
    // and the types an ORM maps (numeric(p,s), varchar(n), char(n),
    // timestamptz, jsonb, text[]).
    static final String[] METADATA_FIXTURE = {
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
        "CREATE SCHEMA shop",
        "CREATE TABLE authors (id serial PRIMARY KEY, name varchar(40) NOT NULL UNIQUE, born date, mood mood DEFAULT 'ok', rating real)",
        "CREATE TABLE books (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, author_id int NOT NULL REFERENCES authors (id) ON DELETE CASCADE, "
            + "title text NOT NULL, price numeric(8,2) CHECK (price >= 0), published timestamptz DEFAULT now(), meta jsonb, tags text[], "
            + "isbn char(13), pages smallint DEFAULT 100, CONSTRAINT books_author_title_key UNIQUE (author_id, title))",
        "CREATE INDEX books_published_idx ON books (published DESC)",
        "COMMENT ON TABLE books IS 'what the authors wrote'",
        "COMMENT ON COLUMN books.title IS 'as printed'",
        "CREATE VIEW cheap_books AS SELECT id, title, price FROM books WHERE price < 10",
        "CREATE SEQUENCE ticket_seq",
        "CREATE TABLE shop.orders (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, book_id bigint REFERENCES books (id), "
            + "author_id int, title text, qty int NOT NULL DEFAULT 1, "
            + "FOREIGN KEY (author_id, title) REFERENCES books (author_id, title) ON UPDATE CASCADE)",
        "INSERT INTO authors (name, born, mood, rating) VALUES ('Ada', '1815-12-10', 'happy', 4.5), ('Bob', NULL, 'sad', NULL)",
        "INSERT INTO books (author_id, title, price, published, meta, tags, isbn) VALUES "
            + "(1, 'Notes', 9.50, '2024-01-02 03:04:05+00', '{\"lang\": \"en\"}', '{math,engines}', '9780000000001'), "
            + "(2, 'Diary', 20.00, '2024-02-03 04:05:06+00', NULL, '{}', NULL)",
        "INSERT INTO shop.orders (book_id, author_id, title, qty) VALUES (1, 1, 'Notes', 2)",
    };

    // printColumns prints the named columns of every row of a metadata
    // result set, or its error, so that one failing call does not hide the
    // others.
    static void printColumns(String call, ResultSetSource source, String... columns) {
        System.out.println("-- " + call);
        try (ResultSet rs = source.get()) {
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (String c : columns) {
                    if (b.length() > 0) b.append(" | ");
                    b.append(c).append('=').append(rs.getString(c));
                }
                System.out.println(b);
            }
        } catch (SQLException e) {
            System.out.println("error " + e.getSQLState() + " " + e.getMessage().split("\n")[0]);
        }
    }

    interface ResultSetSource { ResultSet get() throws SQLException; }

    // metadata does what tools and ORMs over JDBC do to browse a database:
    // DatabaseMetaData's schemas, tables, columns, keys, indexes, types and
    // functions, and ResultSetMetaData of a query's columns.
    static void metadata() throws SQLException {
        try (Statement st = conn.createStatement()) {
            for (String sql : METADATA_FIXTURE) st.execute(sql);
        }
        DatabaseMetaData md = conn.getMetaData();
        printColumns("getSchemas", () -> md.getSchemas(), "TABLE_SCHEM", "TABLE_CATALOG");
        printColumns("getSchemas shop%", () -> md.getSchemas(null, "shop%"), "TABLE_SCHEM");
        printColumns("getTables", () -> md.getTables(null, null, "%", new String[] {"TABLE", "VIEW"}),
            "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS");
        printColumns("getTableTypes", () -> md.getTableTypes(), "TABLE_TYPE");
        printColumns("getTablePrivileges books", () -> md.getTablePrivileges(null, "public", "books"),
            "TABLE_SCHEM", "TABLE_NAME", "GRANTOR", "GRANTEE", "PRIVILEGE", "IS_GRANTABLE");
        printColumns("getColumnPrivileges books.title", () -> md.getColumnPrivileges(null, "public", "books", "title"),
            "TABLE_NAME", "COLUMN_NAME", "GRANTOR", "GRANTEE", "PRIVILEGE", "IS_GRANTABLE");
        printColumns("getUDTs", () -> md.getUDTs(null, "public", "%", null), "TYPE_SCHEM", "TYPE_NAME", "CLASS_NAME", "DATA_TYPE", "REMARKS", "BASE_TYPE");
        printColumns("getVersionColumns books", () -> md.getVersionColumns(null, "public", "books"),
            "SCOPE", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "PSEUDO_COLUMN");
        printColumns("getTables sequences", () -> md.getTables(null, "public", "%", new String[] {"SEQUENCE"}),
            "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE");
        for (String[] table : new String[][] {{"public", "authors"}, {"public", "books"}, {"shop", "orders"}, {"public", "cheap_books"}}) {
            printColumns("getColumns " + table[0] + "." + table[1], () -> md.getColumns(null, table[0], table[1], "%"),
                "ORDINAL_POSITION", "COLUMN_NAME", "TYPE_NAME", "DATA_TYPE", "COLUMN_SIZE", "DECIMAL_DIGITS", "NUM_PREC_RADIX",
                "NULLABLE", "IS_NULLABLE", "COLUMN_DEF", "REMARKS", "IS_AUTOINCREMENT", "IS_GENERATEDCOLUMN");
        }
        for (String[] table : new String[][] {{"public", "authors"}, {"public", "books"}, {"shop", "orders"}}) {
            printColumns("getPrimaryKeys " + table[1], () -> md.getPrimaryKeys(null, table[0], table[1]),
                "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME");
        }
        String[] keyColumns = {"PKTABLE_SCHEM", "PKTABLE_NAME", "PKCOLUMN_NAME", "FKTABLE_SCHEM", "FKTABLE_NAME", "FKCOLUMN_NAME",
            "KEY_SEQ", "UPDATE_RULE", "DELETE_RULE", "FK_NAME", "PK_NAME", "DEFERRABILITY"};
        printColumns("getImportedKeys books", () -> md.getImportedKeys(null, "public", "books"), keyColumns);
        printColumns("getImportedKeys orders", () -> md.getImportedKeys(null, "shop", "orders"), keyColumns);
        printColumns("getExportedKeys books", () -> md.getExportedKeys(null, "public", "books"), keyColumns);
        printColumns("getExportedKeys authors", () -> md.getExportedKeys(null, "public", "authors"), keyColumns);
        printColumns("getCrossReference authors books", () -> md.getCrossReference(null, "public", "authors", null, "public", "books"), keyColumns);
        for (boolean unique : new boolean[] {false, true}) {
            printColumns("getIndexInfo books unique=" + unique, () -> md.getIndexInfo(null, "public", "books", unique, true),
                "TABLE_NAME", "NON_UNIQUE", "INDEX_QUALIFIER", "INDEX_NAME", "TYPE", "ORDINAL_POSITION", "COLUMN_NAME", "ASC_OR_DESC", "FILTER_CONDITION");
        }
        printColumns("getIndexInfo authors", () -> md.getIndexInfo(null, "public", "authors", false, true),
            "TABLE_NAME", "NON_UNIQUE", "INDEX_NAME", "TYPE", "ORDINAL_POSITION", "COLUMN_NAME", "ASC_OR_DESC");
        printColumns("getBestRowIdentifier books", () -> md.getBestRowIdentifier(null, "public", "books", DatabaseMetaData.bestRowSession, true),
            "SCOPE", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "PSEUDO_COLUMN");
        System.out.println("-- getTypeInfo");
        try (ResultSet rs = md.getTypeInfo()) {
            List<String> names = Arrays.asList("bool", "int4", "int8", "numeric", "varchar", "bpchar", "text", "timestamptz", "date", "jsonb", "_int4", "_text", "mood");
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                if (!names.contains(rs.getString("TYPE_NAME"))) continue;
                rows.add(rs.getString("TYPE_NAME") + " | DATA_TYPE=" + rs.getInt("DATA_TYPE") + " | PRECISION=" + rs.getInt("PRECISION")
                    + " | NULLABLE=" + rs.getInt("NULLABLE") + " | CASE_SENSITIVE=" + rs.getBoolean("CASE_SENSITIVE")
                    + " | SEARCHABLE=" + rs.getInt("SEARCHABLE") + " | UNSIGNED_ATTRIBUTE=" + rs.getBoolean("UNSIGNED_ATTRIBUTE")
                    + " | AUTO_INCREMENT=" + rs.getBoolean("AUTO_INCREMENT") + " | LITERAL_PREFIX=" + rs.getString("LITERAL_PREFIX"));
            }
            Collections.sort(rows);
            for (String row : rows) System.out.println(row);
        } catch (SQLException e) {
            System.out.println("error " + e.getSQLState() + " " + e.getMessage().split("\n")[0]);
        }
        printColumns("getFunctions pg_catalog.lower", () -> md.getFunctions(null, "pg_catalog", "lower"),
            "FUNCTION_SCHEM", "FUNCTION_NAME", "FUNCTION_TYPE", "SPECIFIC_NAME");
        printColumns("getFunctionColumns pg_catalog.lower", () -> md.getFunctionColumns(null, "pg_catalog", "lower", "%"),
            "FUNCTION_NAME", "COLUMN_NAME", "COLUMN_TYPE", "DATA_TYPE", "TYPE_NAME", "ORDINAL_POSITION", "SPECIFIC_NAME");
        printColumns("getProcedureColumns pg_catalog.substr", () -> md.getProcedureColumns(null, "pg_catalog", "substr", "%"),
            "PROCEDURE_NAME", "COLUMN_NAME", "COLUMN_TYPE", "DATA_TYPE", "TYPE_NAME", "SPECIFIC_NAME");

        resultSetMetaData("SELECT a.id, a.name, a.mood, a.rating, b.id AS book_id, b.price, b.published, b.meta, b.tags, b.isbn, b.pages, "
            + "o.id AS order_id, o.qty, b.price * o.qty AS total, count(*) OVER () AS n "
            + "FROM authors a JOIN books b ON b.author_id = a.id LEFT JOIN shop.orders o ON o.book_id = b.id ORDER BY b.id");
        resultSetMetaData("SELECT * FROM cheap_books ORDER BY id");
        resultSetMetaData("SELECT id, name FROM authors UNION ALL SELECT id, title FROM books ORDER BY 1, 2");
    }

    // resultSetMetaData prints what ResultSetMetaData says of each column
    // of a query (some of it read from pg_attribute and pg_class by the
    // table OID and column number RowDescription gives), then its rows.
    static void resultSetMetaData(String query) throws SQLException {
        System.out.println("-- ResultSetMetaData " + query);
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(query)) {
            ResultSetMetaData rmd = rs.getMetaData();
            for (int i = 1; i <= rmd.getColumnCount(); i++) {
                System.out.println(rmd.getColumnLabel(i) + " | name=" + rmd.getColumnName(i) + " | type=" + rmd.getColumnTypeName(i)
                    + " | sqltype=" + rmd.getColumnType(i) + " | class=" + rmd.getColumnClassName(i)
                    + " | precision=" + rmd.getPrecision(i) + " | scale=" + rmd.getScale(i) + " | displaySize=" + rmd.getColumnDisplaySize(i)
                    + " | nullable=" + rmd.isNullable(i) + " | autoIncrement=" + rmd.isAutoIncrement(i)
                    + " | table=" + rmd.getTableName(i) + " | baseSchema=" + rmd.unwrap(org.postgresql.PGResultSetMetaData.class).getBaseSchemaName(i)
                    + " | baseTable=" + rmd.unwrap(org.postgresql.PGResultSetMetaData.class).getBaseTableName(i));
            }
            print(rs);
        }
    }

    public static void main(String[] args) throws Exception {
        conn = DriverManager.getConnection(args[0]);

        step("create", () -> {
            try (Statement st = conn.createStatement()) {
                st.execute("CREATE TABLE accounts (id int PRIMARY KEY, owner text, balance numeric(12,2), opened date, active boolean, score double precision, visits bigint)");
                System.out.println("update count " + st.getUpdateCount());
            }
        });

        step("prepared statement executed 10 times", () -> {
            try (PreparedStatement ins = conn.prepareStatement("INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= 10; i++) {
                    ins.setInt(1, i);
                    ins.setString(2, i % 3 == 0 ? null : "owner " + i);
                    ins.setBigDecimal(3, new BigDecimal(i + ".25"));
                    ins.setObject(4, java.time.LocalDate.of(2024, 1, 10 + i));
                    ins.setBoolean(5, i % 2 == 0);
                    ins.setDouble(6, i / 8.0);
                    ins.setLong(7, 10000000000L * i);
                    System.out.print(ins.executeUpdate() + (i == 10 ? "\n" : " "));
                }
            }
            try (PreparedStatement sel = conn.prepareStatement("SELECT id, owner, balance, opened, active, score, visits FROM accounts WHERE id = ?")) {
                for (int i = 1; i <= 10; i++) {
                    sel.setInt(1, i);
                    try (ResultSet rs = sel.executeQuery()) { print(rs); }
                }
                System.out.println("server-side statement " + sel.unwrap(org.postgresql.PGStatement.class).isUseServerPrepare());
            }
        });

        step("batch", () -> {
            try (PreparedStatement ins = conn.prepareStatement("INSERT INTO accounts (id, owner, balance) VALUES (?, ?, ?)")) {
                for (int i = 100; i < 105; i++) {
                    ins.setInt(1, i);
                    ins.setString(2, "batch " + i);
                    ins.setBigDecimal(3, new BigDecimal("0.50"));
                    ins.addBatch();
                }
                int[] counts = ins.executeBatch();
                System.out.println("batch counts " + java.util.Arrays.toString(counts));
            }
            try (Statement st = conn.createStatement()) {
                st.addBatch("UPDATE accounts SET balance = balance + 1 WHERE id >= 100");
                st.addBatch("DELETE FROM accounts WHERE id = 104");
                System.out.println("statement batch " + java.util.Arrays.toString(st.executeBatch()));
                try (ResultSet rs = st.executeQuery("SELECT count(*), sum(balance) FROM accounts WHERE id >= 100")) { print(rs); }
            }
        });

        step("batch with setDate and a duplicate key", () -> {
            String insert = "INSERT INTO accounts (id, owner, opened) VALUES (?, ?, ?)";
            try (PreparedStatement ins = conn.prepareStatement(insert)) {
                for (int i = 200; i < 203; i++) {
                    ins.setInt(1, i);
                    ins.setString(2, "dated " + i);
                    ins.setDate(3, Date.valueOf("2024-01-" + (i - 189)));
                    ins.addBatch();
                }
                System.out.println("batch counts " + java.util.Arrays.toString(ins.executeBatch()));
            }
            // The batch goes out as one pipeline ending in a single Sync, so
            // the duplicate rolls back the rows queued before it too.
            try (PreparedStatement ins = conn.prepareStatement(insert)) {
                for (int id : new int[] {210, 211, 1, 212}) {
                    ins.setInt(1, id);
                    ins.setString(2, "dated " + id);
                    ins.setDate(3, Date.valueOf("2024-02-01"));
                    ins.addBatch();
                }
                ins.executeBatch();
            } catch (BatchUpdateException e) {
                SQLException cause = e.getNextException();
                System.out.println("batch error " + e.getSQLState() + " counts " + java.util.Arrays.toString(e.getUpdateCounts()));
                System.out.println("cause " + cause.getSQLState() + " " + cause.getMessage().split("\n")[0]);
            }
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT id, owner, opened FROM accounts WHERE id >= 200 ORDER BY id")) { print(rs); }
            try (PreparedStatement sel = conn.prepareStatement("SELECT count(*) FROM accounts WHERE opened = ?")) {
                sel.setDate(1, Date.valueOf("2024-01-12"));
                try (ResultSet rs = sel.executeQuery()) { print(rs); }
            }
        });

        step("autocommit off", () -> {
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement()) {
                st.executeUpdate("INSERT INTO accounts (id, owner) VALUES (300, 'rolled back')");
                st.executeUpdate("UPDATE accounts SET owner = 'changed' WHERE id = 1");
                conn.rollback();
                try (ResultSet rs = st.executeQuery("SELECT owner FROM accounts WHERE id IN (1, 300) ORDER BY id")) { print(rs); }
                st.executeUpdate("INSERT INTO accounts (id, owner) VALUES (301, 'committed')");
                conn.commit();
                try (ResultSet rs = st.executeQuery("SELECT 1/0")) { print(rs); }
            } catch (SQLException e) {
                System.out.println("error " + e.getSQLState());
                conn.rollback();
            }
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT id, owner FROM accounts WHERE id >= 300 ORDER BY id")) { print(rs); }
            conn.commit();
            conn.setAutoCommit(true);
        });

        step("errors", () -> {
            for (String sql : new String[] {"SELECT * FROM nothing_here", "SELECT 'x'::int", "INSERT INTO accounts (id) VALUES (2)"}) {
                try (Statement st = conn.createStatement()) {
                    st.execute(sql);
                } catch (SQLException e) {
                    System.out.println(e.getSQLState() + " " + e.getMessage().split("\n")[0]);
                }
            }
        });

        step("metadata", Workload::metadata);
        step("application", Workload::application);
        conn.close();
    }
}
