package dev.perfwatch.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** A command's output folder, given as its argument or by an option: one of them, or both the same. */
final class FolderArgument {

    private FolderArgument() {}

    /** The folder given (null: neither); two different ones are a usage error naming both. */
    static <T> T either(CommandSpec spec, T argument, String option, T optionValue) {
        if (argument != null && optionValue != null && !argument.equals(optionValue)) {
            throw new ParameterException(spec.commandLine(),
                    "two output folders given: " + argument + " and " + option + " " + optionValue + "; give one");
        }
        return argument != null ? argument : optionValue;
    }
}
