package dev.perfwatch.bench;

import dev.perfwatch.cli.CommandSet;

import java.util.List;

/** The launcher-only commands: bench, regression-bench, nab, gateway. */
public final class BenchCommands implements CommandSet {

    @Override
    public List<Object> commands() {
        return List.of(new BenchCommand(), new RegressionBenchCommand(), new NabCommand(), new GatewayCommand());
    }
}
