package dev.perfwatch.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real Flink 2.3 standalone session cluster: a JobManager and a TaskManager process started from the
 * Maven jars of a distribution's lib/ (the module's test classpath), bound to 127.0.0.1, with a default
 * 1.5 GB TaskManager of 2 slots; stopped by the processes it started.
 */
final class StandaloneCluster implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    final Path home;
    final Path conf;
    final int restPort;
    final String classpath;
    final List<String> jvmFlags;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    StandaloneCluster(Path home) throws Exception {
        this.home = home;
        System.out.println("standalone cluster in " + home + " (logs: jobmanager.log, taskmanager.log)");
        this.conf = Files.createDirectories(home.resolve("conf"));
        this.classpath = Files.readString(Path.of(System.getProperty("perfwatch.clusterClasspath"))).trim();
        this.jvmFlags = Arrays.asList(System.getProperty("perfwatch.jvmFlags").trim().split("\\s+"));
        this.restPort = freePort();
        Path tmp = Files.createDirectories(home.resolve("tmp"));
        Files.writeString(conf.resolve("config.yaml"), String.join("\n",
                "jobmanager.rpc.address: 127.0.0.1",
                "jobmanager.rpc.port: " + freePort(),
                "jobmanager.bind-host: 127.0.0.1",
                "taskmanager.host: 127.0.0.1",
                "taskmanager.bind-host: 127.0.0.1",
                "rest.address: 127.0.0.1",
                "rest.bind-address: 127.0.0.1",
                "rest.port: " + restPort,
                "blob.server.port: " + freePort(),
                "taskmanager.numberOfTaskSlots: 2",
                "parallelism.default: 1",
                "jobmanager.memory.process.size: 1024m",
                "taskmanager.memory.process.size: 1536m",
                "io.tmp.dirs: " + tmp,
                "web.tmpdir: " + tmp,
                "web.upload.dir: " + tmp,
                "env.java.opts.all: " + String.join(" ", jvmFlags),
                ""));
        Files.writeString(conf.resolve("log4j.properties"), String.join("\n",
                "rootLogger.level = INFO", "rootLogger.appenderRef.file.ref = file",
                "appender.file.type = File", "appender.file.name = file", "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout", "appender.file.layout.pattern = %d %-5p %c{1} - %m%n", ""));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** JVM flags and -D arguments Flink's scripts compute for a process's memory. */
    private List<List<String>> resourceParams(String which) throws Exception {
        Process p = new ProcessBuilder(java(), "-cp", classpath, "org.apache.flink.runtime.util.bash.BashJavaUtils", which,
                "--configDir", conf.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        List<List<String>> results = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
                results.add(Arrays.asList(line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim().split("\\s+")));
            }
        }
        if (results.size() < 2) {
            throw new IllegalStateException(which + " gave no resource parameters: " + out);
        }
        return results;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    void start() throws Exception {
        List<List<String>> jm = resourceParams("GET_JM_RESOURCE_PARAMS");
        List<List<String>> tm = resourceParams("GET_TM_RESOURCE_PARAMS");
        processes.add(launch("jobmanager", jm, "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"));
        processes.add(launch("taskmanager", tm, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner"));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try {
                JsonNode overview = get("/overview");
                if (overview.path("taskmanagers").asInt() == 1 && overview.path("slots-total").asInt() == 2) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster process exited: " + logs());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not come up: " + logs());
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // poll interval
        }
    }

    private Process launch(String name, List<List<String>> params, String mainClass) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvmFlags);
        cmd.addAll(params.get(0));
        cmd.add("-Dlog.file=" + home.resolve(name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        cmd.addAll(List.of("-cp", classpath, mainClass, "--configDir", conf.toString()));
        cmd.addAll(params.get(1));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolve(name + ".out").toFile()).start();
    }

    boolean jobManagerAlive() {
        return processes.get(0).isAlive();
    }

    /** The whole of one of the cluster's log files (jobmanager.out: the JobManager's console). */
    String log(String file) throws IOException {
        return Files.readString(home.resolve(file));
    }

    String logs() {
        StringBuilder b = new StringBuilder();
        for (String f : List.of("jobmanager.out", "taskmanager.out", "jobmanager.log", "taskmanager.log")) {
            try {
                String text = Files.readString(home.resolve(f));
                b.append("\n--- ").append(f).append(" (tail) ---\n").append(text.substring(Math.max(0, text.length() - 4000)));
            } catch (IOException e) {
                b.append("\n--- ").append(f).append(": ").append(e.getMessage());
            }
        }
        return b.toString();
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    JsonNode post(String path, String contentType, HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                .header("Content-Type", contentType).POST(body).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("POST " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** POST /jars/upload (multipart, field jarfile), as the web UI does; returns the jar id. */
    String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "----perfwatch" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName()
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] content = Files.readAllBytes(jar);
        byte[] all = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(content, 0, all, head.length, content.length);
        System.arraycopy(tail, 0, all, head.length + content.length, tail.length);
        JsonNode r = post("/jars/upload", "multipart/form-data; boundary=" + boundary, HttpRequest.BodyPublishers.ofByteArray(all));
        String filename = r.path("filename").asText();
        return Path.of(filename).getFileName().toString();
    }

    /** Waits for the job to reach a terminal state; returns it. */
    String awaitJob(String jobId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            String state = get("/jobs/" + jobId).path("state").asText();
            if (List.of("FINISHED", "FAILED", "CANCELED").contains(state)) {
                return state;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + jobId + " still " + state + logs());
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // poll interval
        }
    }

    /** Runs Flink's CLI (flink run ...) against the cluster; returns its exit code, output in {@code log}. */
    int flink(Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", classpath, "org.apache.flink.client.cli.CliFrontend"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("FLINK_CONF_DIR", conf.toString());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("flink " + String.join(" ", args) + " did not finish: " + Files.readString(log));
        }
        return p.exitValue();
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }
}
