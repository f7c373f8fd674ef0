package dev.perfwatch.bench;

import dev.perfwatch.cli.CommonOptions;
import dev.perfwatch.sql.SqlScript;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.gateway.SqlGateway;
import org.apache.flink.table.gateway.api.session.SessionEnvironment;
import org.apache.flink.table.gateway.api.session.SessionHandle;
import org.apache.flink.table.gateway.api.utils.SqlGatewayException;
import org.apache.flink.table.gateway.service.SqlGatewayServiceImpl;
import org.apache.flink.table.gateway.service.context.DefaultContext;
import org.apache.flink.table.gateway.service.session.Session;
import org.apache.flink.table.gateway.service.session.SessionManager;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = {"Start Flink's SQL Gateway (its REST API) embedded, bound to 127.0.0.1, where every new session already",
            "has perfwatch's functions and the tables of one output folder (as ./perfwatch sql-init writes them): any HTTP",
            "client asks for health, regressions, alerts, bottlenecks and suggestions with SQL over REST. Ctrl-C stops it."},
        footer = {"", "Example (see the README for the REST calls):",
            "  ./perfwatch gateway --output out --port 8083"})
public class GatewayCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    dev.perfwatch.cli.SqlTablesOptions tables;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8083", description = "REST port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        SqlGateway gateway = start();
        System.out.printf("SQL Gateway: http://127.0.0.1:%d (REST v1..v4), every session with perfwatch's functions and the tables of %s;"
                + " Ctrl-C stops it%n", port, tables.output.toAbsolutePath().normalize());
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::stop));
        gateway.waitUntilStop();
        return 0;
    }

    /** Starts the gateway (its REST endpoint listening) and returns it. */
    public SqlGateway start() throws Exception {
        tables.requireOutput();
        List<String> statements = initStatements();
        Configuration conf = new Configuration();
        conf.setString("sql-gateway.endpoint.type", "rest");
        conf.setString("sql-gateway.endpoint.rest.address", "127.0.0.1");
        conf.setString("sql-gateway.endpoint.rest.bind-address", "127.0.0.1");
        conf.setString("sql-gateway.endpoint.rest.port", Integer.toString(port));
        conf.setString("execution.target", "local");
        conf.setString("execution.attached", "true"); // the local executor runs attached only
        conf.setString("rest.bind-address", "127.0.0.1");
        conf.setString("rest.address", "127.0.0.1");
        if (common != null && common.parallelism != null) {
            conf.setString("parallelism.default", Integer.toString(common.parallelism));
        }
        SessionManager sessions = new InitializingSessions(SessionManager.create(new DefaultContext(conf, List.of())), statements);
        SqlGateway gateway = new SqlGateway(conf, sessions);
        gateway.start();
        return gateway;
    }

    /** The statements of ./perfwatch sql-init (functions, tables, the job's levels) without ADD JAR: the classes are here. */
    List<String> initStatements() throws Exception {
        List<String> args = new ArrayList<>(List.of("--output", tables.output.toString(), "--input", tables.input.toString(), "--kafka", tables.kafka, "--no-jar"));
        if (common != null && common.config != null) {
            args.addAll(List.of("--config", common.config.toString()));
        }
        if (common != null) {
            common.overrides.forEach(o -> args.addAll(List.of("--set", o)));
        }
        dev.perfwatch.cli.SqlInitCommand init = new dev.perfwatch.cli.SqlInitCommand();
        new picocli.CommandLine(init).parseArgs(args.toArray(new String[0]));
        List<String> out = new ArrayList<>();
        for (SqlScript.Statement s : SqlScript.parse("sql-init", init.render(), Map.of())) {
            out.add(s.text());
        }
        return out;
    }

    /** Every session it opens runs the init statements first (configureSession: SET, ADD JAR, CREATE ...). */
    static final class InitializingSessions implements SessionManager {
        private final SessionManager delegate;
        private final List<String> statements;

        InitializingSessions(SessionManager delegate, List<String> statements) {
            this.delegate = delegate;
            this.statements = statements;
        }

        @Override
        public void start() {
            delegate.start();
        }

        @Override
        public void stop() {
            delegate.stop();
        }

        @Override
        public Session getSession(SessionHandle handle) throws SqlGatewayException {
            return delegate.getSession(handle);
        }

        @Override
        public Session openSession(SessionEnvironment environment) throws SqlGatewayException {
            Session session = delegate.openSession(environment);
            SqlGatewayServiceImpl service = new SqlGatewayServiceImpl(delegate);
            for (String statement : statements) {
                service.configureSession(session.getSessionHandle(), statement, 0);
            }
            return session;
        }

        @Override
        public void closeSession(SessionHandle handle) throws SqlGatewayException {
            delegate.closeSession(handle);
        }
    }
}
