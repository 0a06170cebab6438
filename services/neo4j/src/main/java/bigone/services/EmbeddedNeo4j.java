package bigone.services;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community embedded with its Bolt connector on 127.0.0.1:PORT,
 * for the test suite (the official drivers talk to it as to a server).
 *
 * <p>Usage: {@code EmbeddedNeo4j PORT DATA_DIR}. Auth is disabled, so a driver
 * may connect with any credentials. Prints {@code BOLT READY ...} once the
 * default database is available; shuts down cleanly on SIGTERM/SIGINT.
 */
public final class EmbeddedNeo4j {

    private EmbeddedNeo4j() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedNeo4j PORT DATA_DIR");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path home = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(home);
        long pageCacheMb = Long.getLong("bigone.neo4j.pagecache.mb", 128L);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Tests stop and restart this server: don't idle 2 x 5 s in Bolt shutdown.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("EmbeddedNeo4j: shutting down");
            System.out.flush();
            try {
                dbms.shutdown();
            } finally {
                stopped.countDown();
            }
            System.out.println("EmbeddedNeo4j: stopped");
            System.out.flush();
        }, "neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(TimeUnit.SECONDS.toMillis(120))) {
            System.err.println("EmbeddedNeo4j: default database did not become available");
            System.exit(1);
        }
        System.out.println("BOLT READY bolt://127.0.0.1:" + port + " (neo4j "
                + org.neo4j.kernel.internal.Version.getNeo4jVersion() + ", home " + home + ")");
        System.out.flush();

        stopped.await();
    }
}
