package dev.perfwatch.cluster;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), started from
 * the Maven jars on the module's test classpath, bound to 127.0.0.1; stopped by the process it started.
 */
final class KafkaBroker implements AutoCloseable {

    final Path home;
    final int port;
    private Process process;

    KafkaBroker(Path home) throws IOException {
        this.home = home;
        this.port = StandaloneCluster.freePort();
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    void start() throws Exception {
        int controllerPort = StandaloneCluster.freePort();
        Path logs = Files.createDirectories(home.resolve("data"));
        Path props = home.resolve("server.properties");
        Files.writeString(props, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logs,
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=3",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // keep every record: the tests' records carry their event time (fixed dates of the demo's data), which
                // the default retention (7 days by record timestamp, checked every 5 minutes) deletes once the
                // calendar has moved a week past them, sometimes between one test's writing and the next one's reading
                "log.retention.ms=-1",
                ""));
        String classpath = Files.readString(Path.of(System.getProperty("perfwatch.clusterClasspath"))).trim();
        Path log4j = home.resolve("log4j2.properties");
        Files.writeString(log4j, String.join("\n", "rootLogger.level = INFO", "rootLogger.appenderRef.file.ref = file",
                "appender.file.type = File", "appender.file.name = file", "appender.file.fileName = " + home.resolve("kafka.log"),
                "appender.file.layout.type = PatternLayout", "appender.file.layout.pattern = %d %-5p %c{1} - %m%n", ""));
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dlog4j2.configurationFile=" + log4j, "-cp", classpath);
        List<String> format = new ArrayList<>(java);
        format.addAll(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", props.toString()));
        Process f = new ProcessBuilder(format).redirectErrorStream(true).redirectOutput(home.resolve("format.out").toFile()).start();
        if (!f.waitFor(120, TimeUnit.SECONDS) || f.exitValue() != 0) {
            f.destroyForcibly();
            throw new IllegalStateException("formatting the Kafka storage failed: " + Files.readString(home.resolve("format.out")));
        }
        List<String> run = new ArrayList<>(java);
        run.addAll(List.of("kafka.Kafka", props.toString()));
        process = new ProcessBuilder(run).redirectErrorStream(true).redirectOutput(home.resolve("kafka.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!listening()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the Kafka broker did not start: " + logs());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates a topic (and waits until it exists). */
    void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    String logs() {
        StringBuilder b = new StringBuilder();
        for (String name : new String[] {"format.out", "kafka.out", "kafka.log"}) {
            try {
                String text = Files.readString(home.resolve(name));
                b.append("\n--- ").append(name).append(" (end)\n").append(text.substring(Math.max(0, text.length() - 4000)));
            } catch (IOException e) {
                // not written
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
