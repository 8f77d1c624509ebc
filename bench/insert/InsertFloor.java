import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * PostgreSQL's insert floor for bench/insert.sh: CLIENTS connections, each inserting ROWS events a
 * transaction into the server's events table for SECONDS, with values made here and sent as
 * parameters of a prepared statement, in one of three statement shapes:
 *
 * <ul>
 *   <li>{@code values}: one INSERT … VALUES with a row of parameters per event;
 *   <li>{@code unnest}: one INSERT … SELECT FROM unnest of one array parameter per column, as the
 *       server's group commit sends its rows;
 *   <li>{@code copy}: COPY into a temporary table, then one INSERT … SELECT from it, since COPY
 *       alone cannot skip a taken dedup id.
 * </ul>
 *
 * Every shape ends in the server's ON CONFLICT clause on the dedup index and commits each batch.
 * Prints "ready" once connected, then "result ROWS COMMITS SECONDS" (the rows the statements
 * reported inserted) and writes each commit's latency in µs, one a line, to LATENCY_FILE.
 *
 * <pre>java -cp triggers-server.jar InsertFloor.java JDBC_URL SHAPE CLIENTS ROWS SECONDS LATENCY_FILE</pre>
 */
public final class InsertFloor {

  private static final int ORGS = 64;

  /** The payload of bench/lua/order.lua, about 260 bytes, its ids changing with n. */
  private static String order(long n) {
    return String.format(
        "{\"order_id\":\"ord_%012d\",\"customer\":{\"id\":\"cus_%08x\",\"email\":\"buyer%d@example.com\"},"
            + "\"items\":[{\"sku\":\"SKU-10042\",\"quantity\":2,\"unit_price\":\"19.90\"},"
            + "{\"sku\":\"SKU-20731\",\"quantity\":1,\"unit_price\":\"4.50\"}],\"total\":\"44.30\",\"currency\":\"EUR\","
            + "\"channel\":\"web\"}",
        n, n * 2654435761L % 4294967296L, n % 100000);
  }

  private static final UUID[] ORG_IDS = new UUID[ORGS];

  /** Payloads made once, so that making a batch costs the client little beside its ids. */
  private static final String[] ORDERS = new String[4096];

  static {
    for (int i = 0; i < ORGS; i++) {
      ORG_IDS[i] = UUID.fromString(String.format("00000000-0000-4000-8000-%012d", i));
    }
    for (int i = 0; i < ORDERS.length; i++) {
      ORDERS[i] = order(i);
    }
  }

  /** A UUIDv7 of the given millisecond. */
  private static UUID uuidV7(long millis) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0fffL);
    long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(high, low);
  }

  /** One batch's column values. */
  private record Rows(
      UUID[] orgIds, UUID[] ids, String[] types, String[] payloads, String[] dedupIds, long[] micros) {

    static Rows make(int n, AtomicLong counter, String client) {
      Rows rows =
          new Rows(
              new UUID[n], new UUID[n], new String[n], new String[n], new String[n], new long[n]);
      long millis = System.currentTimeMillis();
      long micros = millis * 1000;
      for (int i = 0; i < n; i++) {
        long k = counter.incrementAndGet();
        rows.orgIds[i] = ORG_IDS[(int) (k % ORGS)];
        rows.ids[i] = uuidV7(millis);
        rows.types[i] = "order.created";
        rows.payloads[i] = ORDERS[(int) (k % ORDERS.length)];
        rows.dedupIds[i] = k % 2 == 0 ? "floor-" + client + "-" + k : null;
        rows.micros[i] = micros;
      }
      return rows;
    }
  }

  private static final String CONFLICT =
      " ON CONFLICT (org_id, dedup_id) WHERE dedup_id IS NOT NULL DO NOTHING";

  private static final String COLUMNS = "events (org_id, id, type, payload, dedup_id, created_at)";

  /** Inserts one batch on a connection in one shape; answers the rows inserted. */
  private interface Shape {
    int insert(Connection connection, Rows rows) throws Exception;
  }

  private static Shape values(int n) {
    StringBuilder sql = new StringBuilder("INSERT INTO " + COLUMNS + " VALUES ");
    for (int i = 0; i < n; i++) {
      sql.append(i == 0 ? "" : ",")
          .append("(?, ?, ?, ?::json, ?, TIMESTAMPTZ 'epoch' + ? * INTERVAL '1 microsecond')");
    }
    String text = sql + CONFLICT;
    return (connection, rows) -> {
      try (PreparedStatement statement = connection.prepareStatement(text)) {
        int p = 1;
        for (int i = 0; i < n; i++) {
          statement.setObject(p++, rows.orgIds[i]);
          statement.setObject(p++, rows.ids[i]);
          statement.setString(p++, rows.types[i]);
          statement.setString(p++, rows.payloads[i]);
          if (rows.dedupIds[i] == null) {
            statement.setNull(p++, Types.VARCHAR);
          } else {
            statement.setString(p++, rows.dedupIds[i]);
          }
          statement.setLong(p++, rows.micros[i]);
        }
        return statement.executeUpdate();
      }
    };
  }

  private static final String UNNEST =
      "INSERT INTO "
          + COLUMNS
          + " SELECT o, i, t, p::json, d, TIMESTAMPTZ 'epoch' + c * INTERVAL '1 microsecond'"
          + " FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::int8[])"
          + " AS u(o, i, t, p, d, c)"
          + CONFLICT;

  private static int unnest(Connection connection, Rows rows) throws Exception {
    try (PreparedStatement statement = connection.prepareStatement(UNNEST)) {
      // The driver sends string arrays in binary form, but not UUID arrays: uuids go as text.
      statement.setObject(1, texts(rows.orgIds));
      statement.setObject(2, texts(rows.ids));
      statement.setObject(3, rows.types);
      statement.setObject(4, rows.payloads);
      statement.setObject(5, rows.dedupIds);
      statement.setObject(6, rows.micros);
      return statement.executeUpdate();
    }
  }

  private static String[] texts(UUID[] uuids) {
    String[] texts = new String[uuids.length];
    for (int i = 0; i < uuids.length; i++) {
      texts[i] = uuids[i].toString();
    }
    return texts;
  }

  private static final String FROM_STAGED =
      "INSERT INTO "
          + COLUMNS
          + " SELECT org_id, id, type, payload, dedup_id, created_at FROM staged"
          + CONFLICT;

  private static int copy(Connection connection, Rows rows) throws Exception {
    StringBuilder text = new StringBuilder(rows.ids.length * 360);
    for (int i = 0; i < rows.ids.length; i++) {
      // The payloads hold no tab, newline or backslash, so COPY's text format takes them as they are.
      text.append(rows.orgIds[i]).append('\t').append(rows.ids[i]).append('\t');
      text.append(rows.types[i]).append('\t').append(rows.payloads[i]).append('\t');
      text.append(rows.dedupIds[i] == null ? "\\N" : rows.dedupIds[i]).append('\t');
      text.append(java.time.Instant.ofEpochSecond(0, rows.micros[i] * 1000)).append('\n');
    }
    CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
    copy.copyIn("COPY staged FROM STDIN", new StringReader(text.toString()));
    try (PreparedStatement statement = connection.prepareStatement(FROM_STAGED)) {
      return statement.executeUpdate();
    }
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String shapeName = args[1];
    int clients = Integer.parseInt(args[2]);
    int n = Integer.parseInt(args[3]);
    long seconds = Long.parseLong(args[4]);
    Path latencyFile = Path.of(args[5]);
    Shape shape =
        switch (shapeName) {
          case "values" -> values(n);
          case "unnest" -> InsertFloor::unnest;
          case "copy" -> InsertFloor::copy;
          default -> throw new IllegalArgumentException("unknown shape " + shapeName);
        };
    List<Connection> connections = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Connection connection = DriverManager.getConnection(url, "postgres", "");
      if (shapeName.equals("copy")) {
        try (Statement statement = connection.createStatement()) {
          statement.execute(
              "CREATE TEMPORARY TABLE staged (org_id uuid, id uuid, type text, payload json,"
                  + " dedup_id text, created_at timestamptz) ON COMMIT DELETE ROWS");
        }
      }
      connection.setAutoCommit(false);
      connections.add(connection);
    }
    String run = Long.toString(System.nanoTime(), 36);
    AtomicLong counter = new AtomicLong();
    AtomicLong inserted = new AtomicLong();
    List<long[]> latencies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    System.out.println("ready");
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    for (int c = 0; c < clients; c++) {
      Connection connection = connections.get(c);
      long[] mine = new long[1 << 20];
      latencies.add(mine);
      String client = run + "-" + c;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      int k = 0;
                      while (System.nanoTime() < end) {
                        // The client makes its values before the clock starts, as the server
                        // has its events before it sends them.
                        Rows rows = Rows.make(n, counter, client);
                        long t0 = System.nanoTime();
                        inserted.addAndGet(shape.insert(connection, rows));
                        connection.commit();
                        if (k < mine.length) {
                          mine[k++] = (System.nanoTime() - t0) / 1000;
                        }
                      }
                    } catch (Exception e) {
                      e.printStackTrace();
                      System.exit(1);
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long commits = 0;
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(latencyFile))) {
      for (long[] mine : latencies) {
        for (long l : mine) {
          if (l == 0) {
            break;
          }
          out.println(l);
          commits++;
        }
      }
    }
    System.out.printf("result %d %d %.3f%n", inserted.get(), commits, elapsed);
    for (Connection connection : connections) {
      connection.close();
    }
  }
}
