// pgjdbc workload: a PreparedStatement run often enough that the driver
// switches to a named server-side statement and binary transfer, batches
// (one failing on a duplicate key), setDate, and autocommit off with commit
// and rollback. The JDBC URL is the first argument.
import java.math.BigDecimal;
import java.sql.*;

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
        conn.close();
    }
}
