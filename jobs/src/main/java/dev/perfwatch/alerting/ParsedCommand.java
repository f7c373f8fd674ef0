package dev.perfwatch.alerting;

import dev.perfwatch.model.ControlCommand;
import dev.perfwatch.model.DeadLetter;

/** A line of the control directory: a valid command, or a dead letter saying why not (or neither: blank). */
public class ParsedCommand {
    public ControlCommand command;
    public DeadLetter rejected;

    public long eventTime() {
        return command != null ? command.at : Long.MIN_VALUE;
    }
}
