package dev.reelroute.media;

import java.util.List;

/** A command for camel-exec: the executable and its arguments, never a shell line. */
public record ExecCommand(String executable, List<String> arguments) {
    public ExecCommand {
        arguments = List.copyOf(arguments);
    }

    /** Splits a command whose first element is the executable. */
    public static ExecCommand of(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        return new ExecCommand(command.get(0), command.subList(1, command.size()));
    }
}
